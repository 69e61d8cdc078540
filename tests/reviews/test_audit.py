import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_fsm_log.models import StateLog

from reviews.models import Review
from tests.factories import record_on_latest

pytestmark = pytest.mark.django_db


def test_audit_log_entry_cannot_be_changed(submitted):
    entry = StateLog.objects.for_(submitted).get()
    entry.description = "rewritten history"
    with pytest.raises(PermissionDenied):
        entry.save()
    assert StateLog.objects.get(pk=entry.pk).description is None


def test_audit_log_entry_cannot_be_deleted(submitted):
    # A savepoint of our own: Django deletes without one, which would poison the test's.
    with pytest.raises(PermissionDenied), transaction.atomic():
        StateLog.objects.for_(submitted).delete()
    assert StateLog.objects.for_(submitted).count() == 1


def test_review_cannot_be_changed_or_deleted(under_review, board_member):
    review = record_on_latest(article=under_review, user=board_member.user, decision="approve")
    review.comment = "edited"
    with pytest.raises(ValidationError):
        review.save()
    with pytest.raises(ValidationError):
        review.delete()
    with pytest.raises(PermissionDenied), transaction.atomic():
        Review.objects.all().delete()
    assert Review.objects.get(pk=review.pk).comment == ""
