"""Who hears about a workflow step, and the mail they get. Sent after the commit, as a task."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from articles.models import Article
from citations.models import Reference
from reviews.models import BoardMember, Review, ReviewAssignment

# event -> (subject, template, audience)
EVENTS = {
    "submitted": ("Review requested: {title}", "reviews/email/submitted.txt", "board"),
    "review_started": ("Review started: {title}", "reviews/email/review_started.txt", "authors"),
    "request_changes": (
        "Changes requested: {title}",
        "reviews/email/request_changes.txt",
        "authors",
    ),
    "approve": ("Approved: {title}", "reviews/email/approve.txt", "authors"),
    "reject": ("Not approved: {title}", "reviews/email/reject.txt", "authors"),
}


def notify_on_commit(*, event: str, article: Article, comment: str = "", actor=None) -> None:
    """Queue the notification task once the surrounding transaction has committed."""
    if event not in EVENTS:
        return
    from reviews.tasks import notification_send

    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    transaction.on_commit(
        lambda: notification_send.enqueue(
            event=event, article_id=article.pk, comment=comment, actor_id=actor_id
        )
    )


def recipients_for(*, event: str, article: Article) -> list[str]:
    """Board members (not authors, no conflict) for a submission; the authors otherwise."""
    audience = EVENTS[event][2]
    if audience == "board":
        members = (
            BoardMember.objects.active()
            .exclude(user__in=article.authors.all())
            .exclude(conflicts=article.topic)
            .select_related("user")
        )
        emails = [member.user.email for member in members]
    else:
        emails = list(article.authors.filter(is_active=True).values_list("email", flat=True))
    return sorted({email for email in emails if email})


def notification_deliver(
    *, event: str, article_id: int, comment: str = "", actor_id: int | None = None
) -> int:
    """Render and send one workflow email; returns how many messages went out."""
    article = Article.objects.select_related("topic", "live_revision").filter(pk=article_id).first()
    if article is None or event not in EVENTS:
        return 0
    recipients = recipients_for(event=event, article=article)
    if not recipients:
        return 0
    subject_format, template, _audience = EVENTS[event]
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    member = getattr(actor, "board_member", None) if actor else None
    context = {
        "article": article,
        "comment": comment,
        "actor_name": (
            member.display_name
            if member
            else (actor.get_full_name() or actor.get_username())
            if actor
            else "Vetted"
        ),
        "revision": article.revision_under_review(),
        "site_name": getattr(settings, "SITE_NAME", "Vetted"),
    }
    body = render_to_string(template, context)
    subject = subject_format.format(title=article.title)[:200]
    # One message per recipient, so nobody sees who else was told.
    for email in recipients:
        send_mail(subject, body, None, [email])
    return len(recipients)


def editor_emails() -> set[str]:
    """Every active user who holds the editors' permission."""
    permission = Permission.objects.filter(
        content_type__app_label="articles", codename="manage_article"
    ).first()
    editors = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions=permission)
            | Q(user_permissions=permission)
        )
    )
    return set(editors.exclude(email="").values_list("email", flat=True))


def retraction_alert_deliver(*, reference_id: int, article_ids: list[int]) -> int:
    """Tell editors, and the members who approved each affected live revision, of a retraction."""
    reference = Reference.objects.filter(pk=reference_id).first()
    articles = list(
        Article.objects.filter(pk__in=article_ids).select_related("live_revision").order_by("title")
    )
    if reference is None or not articles:
        return 0
    approvers = Review.objects.filter(
        revision_id__in=[article.live_revision_id for article in articles],
        decision=Review.Decision.APPROVE,
        member__user__is_active=True,
    ).exclude(member__user__email="")
    recipients = sorted(
        editor_emails() | set(approvers.values_list("member__user__email", flat=True))
    )
    body = render_to_string(
        "reviews/email/retraction.txt",
        {
            "reference": reference,
            "articles": articles,
            "site_name": getattr(settings, "SITE_NAME", "Vetted"),
        },
    )
    subject = f"Retracted source cited by {len(articles)} live article(s): {reference.title}"[:200]
    for email in recipients:
        send_mail(subject, body, None, [email])
    return len(recipients)


# Assignment notices: kind -> (subject, template). The kinds are AssignmentReminder.Kind values.
ASSIGNMENT_NOTICES = {
    "assigned": ("Assigned to you, due {due}: {title}", "reviews/email/assignment_assigned.txt"),
    "due_soon": ("Review due {due}: {title}", "reviews/email/assignment_due_soon.txt"),
    "overdue": ("Review overdue since {due}: {title}", "reviews/email/assignment_overdue.txt"),
}


def assignment_notify_on_commit(*, assignment: ReviewAssignment, kind: str) -> None:
    """Queue the assignee's notice once the surrounding transaction has committed."""
    from reviews.tasks import assignment_notice_send

    assignment_id = assignment.pk
    transaction.on_commit(
        lambda: assignment_notice_send.enqueue(assignment_id=assignment_id, kind=kind)
    )


def assignment_notice_deliver(*, assignment_id: int, kind: str) -> int:
    """Email the assignee one notice; nothing if it was withdrawn or they cannot be reached."""
    assignment = (
        ReviewAssignment.objects.select_related("article__topic", "member__user", "revision")
        .filter(pk=assignment_id, withdrawn_at__isnull=True)
        .first()
    )
    if assignment is None or kind not in ASSIGNMENT_NOTICES:
        return 0
    user = assignment.member.user
    if not (user.is_active and user.email):
        return 0
    subject_format, template = ASSIGNMENT_NOTICES[kind]
    due = timezone.localtime(assignment.due_at) if assignment.due_at else None
    body = render_to_string(
        template,
        {
            "assignment": assignment,
            "article": assignment.article,
            "revision": assignment.revision,
            "member": assignment.member,
            "due": due,
            "site_name": getattr(settings, "SITE_NAME", "Vetted"),
        },
    )
    due_text = f"{due:%Y-%m-%d}" if due else "—"
    subject = subject_format.format(due=due_text, title=assignment.article.title)[:200]
    send_mail(subject, body, None, [user.email])
    return 1
