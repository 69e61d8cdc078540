"""Keep the audit trail append-only: a state log entry is never changed or deleted."""

from django.core.exceptions import PermissionDenied
from django.db.models.signals import pre_delete, pre_save
from django.dispatch import receiver
from django_fsm_log.models import StateLog

from reviews.models import Review


@receiver(pre_save, sender=StateLog, dispatch_uid="reviews.statelog_append_only")
def statelog_append_only(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk is not None and sender.objects.filter(pk=instance.pk).exists():
        raise PermissionDenied("Audit log entries cannot be changed.")


@receiver(pre_delete, sender=StateLog, dispatch_uid="reviews.statelog_undeletable")
def statelog_undeletable(sender, instance, **kwargs):
    raise PermissionDenied("Audit log entries cannot be deleted.")


@receiver(pre_delete, sender=Review, dispatch_uid="reviews.review_undeletable")
def review_undeletable(sender, instance, **kwargs):
    # Review.delete() refuses too; this also stops queryset deletes.
    raise PermissionDenied("Reviews cannot be deleted.")
