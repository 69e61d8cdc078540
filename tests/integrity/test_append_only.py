"""The record of who decided what is append-only in the database itself, on both backends:
no queryset, bulk operation or raw SQL can change or delete a revision, a decision or an
audit-log entry."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django_fsm_log.models import StateLog

from articles.models import Revision
from reviews.models import Review

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(approved_article):
    return {
        "revision": Revision.objects.filter(pk=approved_article.live_revision_id),
        "review": Review.objects.filter(revision_id=approved_article.live_revision_id),
        "statelog": StateLog.objects.for_(approved_article),
    }


CHANGES = {
    "revision": {"content_hash": "0" * 64},
    "review": {"comment": "Rewritten after the fact."},
    "statelog": {"description": "Rewritten after the fact."},
}


def refused(action, *, also=()) -> bool:
    try:
        with transaction.atomic():
            action()
    except (DatabaseError, *also):
        return True
    return False


@pytest.mark.parametrize("table", ["revision", "review", "statelog"])
def test_queryset_update_refused(records, table):
    queryset = records[table]
    before = list(queryset.values())
    assert before
    assert refused(lambda: queryset.update(**CHANGES[table]))
    assert list(queryset.values()) == before


@pytest.mark.parametrize("table", ["revision", "review", "statelog"])
def test_queryset_delete_refused(records, table):
    queryset = records[table]
    count = queryset.count()
    # The database refuses even a delete that skips the model's own guards...
    assert refused(lambda: queryset._raw_delete(queryset.db))
    # ...and the ORM's delete is stopped before it gets there, or by the database.
    assert refused(lambda: queryset.delete(), also=(PermissionDenied, ValidationError))
    assert queryset.count() == count


@pytest.mark.parametrize("table", ["revision", "review", "statelog"])
def test_raw_sql_update_and_delete_refused(records, table):
    queryset = records[table]
    name = queryset.model._meta.db_table
    pk = queryset.first().pk
    column = next(iter(CHANGES[table]))

    def run(sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    assert refused(
        lambda: run(f"UPDATE {name} SET {column} = %s WHERE id = %s", [CHANGES[table][column], pk])
    )
    assert refused(lambda: run(f"DELETE FROM {name} WHERE id = %s", [pk]))
    assert queryset.filter(pk=pk).exists()


def test_new_rows_are_still_written(approved_article, author):
    """Append-only means appending works: the workflow keeps recording."""
    from reviews.services import article_revise

    before = StateLog.objects.count()
    article_revise(article=approved_article, user=author)
    assert StateLog.objects.count() == before + 1
