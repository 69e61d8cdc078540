"""The queue and the editors' overview at size: the same number of queries for 3 as for 30
articles, assignments and members; and the overview's figures."""

from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from reviews.models import BoardMember
from reviews.services import article_submit
from reviews.services.assignments import assignment_create
from reviews.workload import board_workload
from tests import factories
from tests.board.conftest import comment_on
from tests.factories import record_on_latest, start_review_on_latest

OVERVIEW = "/admin/reviews/reviewassignment/overview/"
NOW = timezone.now()


@contextmanager
def frozen(moment):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def count_queries(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries)


class Queue:
    """Pending articles, each assigned (some overdue), some under review with a comment."""

    def __init__(self, author, editor, member, commenter):
        self.author, self.editor, self.member, self.commenter = author, editor, member, commenter
        self.size = 0

    def grow_to(self, size):
        while self.size < size:
            self.size += 1
            past = self.size % 2 == 0
            at = NOW - timedelta(days=10) if past else NOW
            article = factories.article_with_evidence(
                authors=[self.author], title=f"Queued {self.size}?", sections=1, statements=1
            )
            with frozen(at):
                article_submit(article=article, user=self.author)
                assignment_create(
                    article=article,
                    members=[self.member, self.commenter],
                    due_at=at + timedelta(days=3),
                    user=self.editor,
                )
            if self.size % 3 == 0:
                start_review_on_latest(article=article, user=self.commenter.user)
                comment_on(Article.objects.get(pk=article.pk), self.commenter)


@pytest.fixture
def queue(author, editor, board_member, other_board_member):
    return Queue(author, editor, board_member, other_board_member)


QUERIES = [
    "",
    "?queue=mine",
    "?queue=late",
    "?due=overdue",
    "?due=soon",
    "?due=unassigned",
    "?waiting=7",
    "?revision=later",
    "?comments=open",
    "?o=4",
    "?o=-6",
    "?o=5",
    "?o=7",
    "?provenance__exact=person",
]


def test_changelist_queries_do_not_grow_with_the_queue(client, queue, board_member, editor):
    """Every filter and sort, for an editor and for a member, at 3 and at 30 articles."""
    counts = {}
    for size in (3, 30):
        queue.grow_to(size)
        for user in (editor, board_member.user):
            client.force_login(user)
            for query in QUERIES:
                url = f"/admin/articles/article/{query}"
                counts.setdefault((user.pk, query), []).append(count_queries(client, url))
    grew = {key: pair for key, pair in counts.items() if pair[0] != pair[1]}
    assert not grew, grew


def test_the_overview_costs_the_same_for_3_and_30_members_and_assignments(
    client, queue, editor, author
):
    client.force_login(editor)
    counts = []
    for size in (3, 30):
        queue.grow_to(size)
        while BoardMember.objects.count() < size:
            factories.BoardMemberFactory()
        counts.append(count_queries(client, OVERVIEW))
    assert counts[0] == counts[1], counts


def test_the_overview_is_for_editors(client, board_member, author):
    client.force_login(board_member.user)
    assert client.get(OVERVIEW).status_code == 403
    client.force_login(author)
    assert client.get(OVERVIEW).status_code in (302, 403)


def test_the_overview_figures(client, author, editor, board_member, other_board_member):
    t0 = NOW - timedelta(days=20)

    def submitted(title, at):
        article = factories.article_with_evidence(authors=[author], title=title)
        with frozen(at):
            article_submit(article=article, user=author)
        return Article.objects.get(pk=article.pk)

    def assign(article, member, at, days):
        with frozen(at):
            assignment_create(
                article=article, members=[member], due_at=at + timedelta(days=days), user=editor
            )

    def decide(article, member, at):
        with frozen(at):
            start_review_on_latest(article=article, user=member.user)
            record_on_latest(
                article=article, user=member.user, decision="request_changes", comment="Why?"
            )

    # board_member: two decisions, 2 and 4 days after assignment; one open overdue, one open.
    one, two = submitted("One?", t0), submitted("Two?", t0)
    assign(one, board_member, t0, 5)
    assign(two, board_member, t0, 5)
    decide(one, board_member, t0 + timedelta(days=2))
    decide(two, board_member, t0 + timedelta(days=4))
    late = submitted("Late?", t0)
    assign(late, board_member, t0, 3)
    fresh = submitted("Fresh?", NOW)
    assign(fresh, board_member, NOW, 5)
    # other_board_member: one decision, unassigned, 5 days after submission; one 40 days ago.
    old = submitted("Old?", NOW - timedelta(days=45))
    decide(old, other_board_member, NOW - timedelta(days=40))
    picked = submitted("Picked up?", NOW - timedelta(days=6))
    decide(picked, other_board_member, NOW - timedelta(days=1))

    workload = board_workload()
    loads = {load.member: load for load in workload.members}
    mine, other = loads[board_member], loads[other_board_member]
    assert (mine.open, mine.overdue, mine.decisions) == (2, 1, 2)
    assert mine.median_to_decision == timedelta(days=3)
    assert (other.open, other.overdue, other.decisions) == (0, 0, 1)
    assert other.median_to_decision == timedelta(days=5)
    assert [a.article.title for a in workload.overdue] == ["Late?"]

    client.force_login(editor)
    body = client.get(OVERVIEW).content.decode()
    assert "Late?" in body and "3.0 d" in body and "5.0 d" in body
    assert "1 overdue assignment" in body
    assert "Board workload" in client.get("/admin/articles/article/").content.decode()
