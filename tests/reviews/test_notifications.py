import pytest

from reviews.services import (
    TransitionRefused,
    article_submit,
)
from tests.factories import record_on_latest, start_review_on_latest

pytestmark = pytest.mark.django_db


def test_submit_emails_board_after_commit(
    draft,
    author,
    board_member,
    other_board_member,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    other_board_member.conflicts.add(draft.topic)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article_submit(article=draft, user=author)
    assert mailoutbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert [m.to for m in mailoutbox] == [[board_member.user.email]]
    assert draft.title in mailoutbox[0].subject


def test_authors_told_of_each_decision_step(
    submitted, author, board_member, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        start_review_on_latest(article=submitted, user=board_member.user)
    with django_capture_on_commit_callbacks(execute=True):
        record_on_latest(
            article=submitted,
            user=board_member.user,
            decision="request_changes",
            comment="Cite the trial.",
        )
    subjects = [m.subject.split(":")[0] for m in mailoutbox]
    assert subjects == ["Review started", "Changes requested"]
    assert all(m.to == [author.email] for m in mailoutbox)
    assert "Cite the trial." in mailoutbox[1].body
    assert board_member.credentials in mailoutbox[1].body


def test_approval_and_rejection_emails(
    author, board_member, mailoutbox, django_capture_on_commit_callbacks
):
    from tests import factories

    for decision, comment, subject in [
        ("approve", "", "Approved"),
        ("reject", "Not supported.", "Not approved"),
    ]:
        article = factories.article_with_evidence(authors=[author])
        article_submit(article=article, user=author)
        start_review_on_latest(article=article, user=board_member.user)
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            record_on_latest(
                article=article, user=board_member.user, decision=decision, comment=comment
            )
        assert [m.subject.split(":")[0] for m in mailoutbox] == [subject]


def test_refused_transition_sends_nothing(
    submitted, author, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(TransitionRefused),
    ):
        start_review_on_latest(article=submitted, user=author)
    assert callbacks == []
    assert mailoutbox == []
