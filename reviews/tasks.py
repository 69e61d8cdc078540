"""Background tasks of the review workflow (Django's tasks framework)."""

from django.tasks import task

from reviews.notifications import (
    assignment_notice_deliver,
    notification_deliver,
    retraction_alert_deliver,
)


@task
def notification_send(
    *, event: str, article_id: int, comment: str = "", actor_id: int | None = None
) -> int:
    """Email the people a workflow step concerns."""
    return notification_deliver(
        event=event, article_id=article_id, comment=comment, actor_id=actor_id
    )


@task
def retraction_alert_send(*, reference_id: int, article_ids: list[int]) -> int:
    """Alert editors and the approving board members that a cited source was retracted."""
    return retraction_alert_deliver(reference_id=reference_id, article_ids=article_ids)


@task
def release_due_send() -> int:
    """Put live every approved revision whose go-live time has come (see services.releases)."""
    from reviews.services.releases import release_due_revisions

    return len(release_due_revisions())


@task
def assignment_notice_send(*, assignment_id: int, kind: str) -> int:
    """Email a board member about their assignment: assigned, due soon or overdue."""
    return assignment_notice_deliver(assignment_id=assignment_id, kind=kind)
