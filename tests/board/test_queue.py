"""The board's queue on the article changelist: "awaiting my review" puts assigned work first
by due date; filters and sortable columns for topic, waiting time, due date, provenance,
revision number and open comments."""

from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from articles.models import Article
from reviews.services import article_request_rereview, article_submit, comment_resolve
from reviews.services.assignments import assignment_create
from tests import factories
from tests.board.conftest import comment_on

CHANGELIST = "/admin/articles/article/"
NOW = timezone.now()


@contextmanager
def frozen(moment):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def submit(author, title, *, at=None, **kwargs):
    article = factories.article_with_evidence(authors=[author], title=title, **kwargs)
    with frozen(at or timezone.now()):
        article_submit(article=article, user=author)
    return Article.objects.get(pk=article.pk)


def assign(article, member, editor, *, due_in, at=None):
    at = at or timezone.now()
    with frozen(at):
        return assignment_create(
            article=article, members=[member], due_at=at + due_in, user=editor
        )[0]


def listed(client, query="") -> list[str]:
    response = client.get(CHANGELIST + query)
    assert response.status_code == 200, response.status_code
    return [article.title for article in response.context["cl"].result_list]


def test_awaiting_my_review_puts_assigned_work_first_by_due_date(
    client, author, editor, board_member, other_board_member
):
    oldest = submit(author, "Unassigned, waiting longest?", at=NOW - timedelta(days=9))
    later_due = submit(author, "Due in five days?", at=NOW - timedelta(days=3))
    sooner_due = submit(author, "Due tomorrow?", at=NOW - timedelta(days=1))
    newest = submit(author, "Unassigned, newest?")
    someone_elses = submit(author, "Assigned to someone else?", at=NOW - timedelta(days=2))
    assign(later_due, board_member, editor, due_in=timedelta(days=5))
    assign(sooner_due, board_member, editor, due_in=timedelta(days=1))
    assign(someone_elses, other_board_member, editor, due_in=timedelta(hours=1))
    client.force_login(board_member.user)
    assert listed(client, "?queue=mine") == [
        sooner_due.title,
        later_due.title,
        oldest.title,
        someone_elses.title,
        newest.title,
    ]
    # A column the member sorts by wins over the default order (no action column for members:
    # the title is column 0).
    assert listed(client, "?queue=mine&o=0")[0] == "Assigned to someone else?"


def test_a_decided_or_withdrawn_assignment_leaves_the_front(client, author, editor, board_member):
    first = submit(author, "Older?", at=NOW - timedelta(days=5))
    assigned = submit(author, "Assigned?")
    made = assign(assigned, board_member, editor, due_in=timedelta(days=2))
    client.force_login(board_member.user)
    assert listed(client, "?queue=mine") == [assigned.title, first.title]
    from reviews.services.assignments import assignment_withdraw

    assignment_withdraw(assignment=made, user=editor)
    assert listed(client, "?queue=mine") == [first.title, assigned.title]


def test_due_filters_and_the_overdue_queue(client, author, editor, board_member):
    overdue = submit(author, "Overdue?", at=NOW - timedelta(days=6))
    assign(overdue, board_member, editor, due_in=timedelta(days=3), at=NOW - timedelta(days=5))
    soon = submit(author, "Due soon?")
    assign(soon, board_member, editor, due_in=timedelta(days=1))
    far = submit(author, "Due later?")
    assign(far, board_member, editor, due_in=timedelta(days=20))
    unassigned = submit(author, "Nobody yet?")
    client.force_login(editor)
    assert listed(client, "?due=overdue") == [overdue.title]
    assert listed(client, "?queue=late") == [overdue.title]
    assert listed(client, "?due=soon") == [soon.title]
    assert set(listed(client, "?due=assigned")) == {overdue.title, soon.title, far.title}
    assert listed(client, "?due=unassigned") == [unassigned.title]
    # The due column sorts by the earliest open due date, unassigned last.
    assert listed(client, "?o=6") == [overdue.title, soon.title, far.title, unassigned.title]
    body = client.get(CHANGELIST + "?o=6").content.decode()
    assert "(overdue)" in body


def test_an_assignment_on_an_older_revision_is_not_open(client, author, editor, board_member):
    article = factories.article_publish(
        factories.article_with_evidence(authors=[author], title="Re-reviewed?")
    )
    article_request_rereview(article=article, user=None, by_system=True, comment="Yearly.")
    client.force_login(editor)
    assert listed(client, "?due=assigned") == []
    assert listed(client, "?due=unassigned") == [article.title]


def test_waiting_time_filter_and_sort(client, author, editor):
    submit(author, "Ten days?", at=NOW - timedelta(days=10))
    submit(author, "Two days?", at=NOW - timedelta(days=2))
    submit(author, "Just now?")
    factories.article_with_evidence(authors=[author], title="A draft?")
    client.force_login(editor)
    assert listed(client, "?waiting=7") == ["Ten days?"]
    assert set(listed(client, "?waiting=1")) == {"Ten days?", "Two days?"}
    assert listed(client, "?status__exact=submitted&o=4") == ["Ten days?", "Two days?", "Just now?"]
    body = client.get(CHANGELIST + "?status__exact=submitted").content.decode()
    assert "1\xa0week" in body or "1 week" in body


def test_revision_number_filter_and_column(client, author, editor):
    first = submit(author, "First time?")
    again = factories.article_publish(
        factories.article_with_evidence(authors=[author], title="Second time?")
    )
    article_request_rereview(article=again, user=None, by_system=True, comment="Yearly.")
    client.force_login(editor)
    assert listed(client, "?revision=first") == [first.title]
    assert listed(client, "?revision=later") == [again.title]
    assert listed(client, "?status__exact=submitted&o=-5") == [again.title, first.title]


def test_open_comments_filter(client, author, editor, under_review, board_member):
    quiet = submit(author, "No comments?")
    thread = comment_on(under_review, board_member)
    client.force_login(editor)
    assert listed(client, "?comments=open") == [under_review.title]
    assert quiet.title in listed(client, "?comments=none")
    comment_resolve(thread=thread, user=author)
    assert listed(client, "?comments=open") == []


def test_topic_and_provenance_filters(client, author, editor):
    heart = factories.TopicFactory(slug="heart", name="Heart")
    submit(author, "Heart question?", topic=heart)
    submit(author, "Other question?")
    client.force_login(editor)
    assert listed(client, f"?topic__id__exact={heart.pk}") == ["Heart question?"]
    assert listed(client, "?provenance__exact=machine") == []
    assert len(listed(client, "?provenance__exact=person")) == 2


@pytest.mark.parametrize("query", ["?due=bogus", "?waiting=-1", "?revision=x", "?comments=1"])
def test_unknown_filter_values_are_ignored(client, author, editor, query):
    submit(author, "Only question?")
    client.force_login(editor)
    assert listed(client, query) == ["Only question?"]
