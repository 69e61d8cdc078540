"""Sign-off and GRADE certainty per statement: recorded with the approving member's Review,
required where settings say so, and shown on the public page for the displayed revision."""

from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article
from reviews.models import Review, StatementGrade
from reviews.services import TransitionRefused, article_submit
from tests import factories
from tests.factories import record_on_latest, start_review_on_latest

pytestmark = pytest.mark.django_db


def ids_of(article) -> list[int]:
    snapshot = Article.objects.get(pk=article.pk).revision_under_review().snapshot
    return [s["id"] for section in snapshot["sections"] for s in section["statements"]]


def approve(article, member, grades):
    from reviews.services import review_record

    revision = Article.objects.get(pk=article.pk).revision_under_review()
    return review_record(
        article=article,
        user=member.user,
        decision="approve",
        revision_number=revision.number,
        content_hash=revision.content_hash,
        grades=grades,
    )


def test_approve_records_sign_off_and_grade_per_statement(under_review, board_member):
    ids = ids_of(under_review)
    review = approve(under_review, board_member, {ids[0]: "high", ids[1]: "very_low"})
    recorded = dict(review.grades.values_list("statement_id", "grade"))
    assert set(recorded) == set(ids)
    assert (recorded[ids[0]], recorded[ids[1]], recorded[ids[2]]) == ("high", "very_low", "")


def test_approve_refused_without_required_grade(under_review, board_member, settings):
    settings.VETTED_UNGRADED_STATEMENTS_ALLOWED = False
    ids = ids_of(under_review)
    with pytest.raises(TransitionRefused) as refusal:
        approve(under_review, board_member, dict.fromkeys(ids[1:], "low"))
    assert "1 of 6" in refusal.value.message
    assert not Review.objects.filter(decision="approve").exists()
    assert not StatementGrade.objects.exists()
    assert Article.objects.get(pk=under_review.pk).status == Article.Status.UNDER_REVIEW
    approve(under_review, board_member, dict.fromkeys(ids, "low"))
    assert Article.objects.get(pk=under_review.pk).status == Article.Status.APPROVED


@pytest.mark.parametrize("grades", [{1: "certain"}, {999_999: "high"}, {"x": "high"}])
def test_approve_refused_for_unknown_grade_or_statement(under_review, board_member, grades):
    if 1 in grades:
        grades = {ids_of(under_review)[0]: "certain"}
    with pytest.raises(TransitionRefused):
        approve(under_review, board_member, grades)
    assert not Review.objects.exists()


def test_grades_are_append_only(under_review, board_member):
    from django.core.exceptions import ValidationError
    from django.db import DatabaseError, transaction

    ids = ids_of(under_review)
    approve(under_review, board_member, {ids[0]: "high"})
    grade = StatementGrade.objects.get(statement_id=ids[0])
    with pytest.raises(DatabaseError), transaction.atomic():
        StatementGrade.objects.filter(pk=grade.pk).update(grade="low")
    with pytest.raises(ValidationError):
        grade.delete()
    assert StatementGrade.objects.get(pk=grade.pk).grade == "high"


def test_admin_approve_page_grades_each_statement(client, under_review, board_member, settings):
    settings.VETTED_UNGRADED_STATEMENTS_ALLOWED = False
    client.force_login(board_member.user)
    url = reverse("admin:articles_article_transition", args=[under_review.pk, "approve"])
    ids = ids_of(under_review)
    page = client.get(url)
    assert all(f'name="grade_{statement_id}"' in page.text for statement_id in ids)
    revision = under_review.revision_under_review()
    seen = {"revision_number": revision.number, "content_hash": revision.content_hash}
    missing = client.post(url, {**seen, "decision": "approve", f"grade_{ids[0]}": "high"})
    assert missing.status_code == HTTPStatus.BAD_REQUEST
    assert not Review.objects.exists()
    grades = {f"grade_{statement_id}": "moderate" for statement_id in ids}
    done = client.post(url, {**seen, "decision": "approve", **grades})
    assert done.status_code == HTTPStatus.FOUND
    assert set(StatementGrade.objects.values_list("grade", flat=True)) == {"moderate"}


def published_with_grades(author, member, *, statements: int, grade: str):
    article = factories.article_with_evidence(authors=[author], statements=statements)
    article_submit(article=article, user=author)
    start_review_on_latest(article=article, user=member.user)
    approve(article, member, dict.fromkeys(ids_of(article), grade))
    return Article.objects.get(pk=article.pk)


def test_public_page_shows_grades_with_constant_queries(client, author, board_member):
    small = published_with_grades(author, board_member, statements=1, grade="high")
    large = published_with_grades(author, board_member, statements=6, grade="low")
    counts = []
    for article in (small, large):
        cache.clear()  # cold each time: the first read would warm the audience list
        with CaptureQueriesContext(connection) as queries:
            response = client.get(article.get_absolute_url())
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert response.text.count("Certainty: low") == 12
    assert reverse("articles:editorial_policy") + "#certainty" in response.text


def test_public_page_shows_grades_of_displayed_revision_only(client, author, board_member):
    article = published_with_grades(author, board_member, statements=1, grade="high")
    article = factories.reopen(article)
    article_submit(article=article, user=author)
    start_review_on_latest(article=article, user=board_member.user)
    # The new revision is under review: readers keep the live one, with its grades.
    response = client.get(article.get_absolute_url())
    assert "Certainty: high" in response.text
    record_on_latest(
        article=Article.objects.get(pk=article.pk), user=board_member.user, decision="approve"
    )
    # Approved ungraded: the new live revision shows no grade from the old one.
    response = client.get(article.get_absolute_url())
    assert "Certainty:" not in response.text


def test_editorial_policy_explains_scale(client, db):
    text = client.get(reverse("articles:editorial_policy")).text
    assert 'id="certainty"' in text
    for label in ("High", "Moderate", "Low", "Very low"):
        assert f"<dt>{label}</dt>" in text
