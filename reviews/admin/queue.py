"""The board's queue on the article changelist: filters, sortable columns, and "awaiting my
review" with assigned work first.

Every column and filter is a correlated subquery or EXISTS on an indexed key, computed in the
changelist's one query: revisions by their unique (article, number), open assignments by the
partial (article, due_at) and (member, due_at) indexes, reviews by their unique (revision,
member), comments by their article and thread keys. The page costs the same number of queries
for three articles as for three thousand; only the page's rows are computed unless a sort or
filter asks for more.
"""

from datetime import timedelta

from django.contrib import admin
from django.db.models import (
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Subquery,
    Value,
)
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from articles import policies
from articles.models import Article, Revision
from reviews.models import Review, ReviewAssignment, StatementComment
from reviews.services.reminders import reminder_days

PENDING = [Article.Status.SUBMITTED, Article.Status.UNDER_REVIEW]


def _latest_revision():
    return Revision.objects.filter(article=OuterRef("pk")).order_by("-number")


def queue_annotate(queryset):
    """The queue's columns: latest revision number and time, earliest open due date, and
    whether an opening comment of any revision is still unresolved."""
    open_assignments = ReviewAssignment.objects.open().filter(article=OuterRef("pk"))
    return queryset.annotate(
        latest_number=Subquery(_latest_revision().values("number")[:1]),
        submitted_at=Subquery(_latest_revision().values("created_at")[:1]),
        next_due=Subquery(open_assignments.order_by("due_at").values("due_at")[:1]),
        has_open_comments=Exists(StatementComment.objects.open().filter(article=OuterRef("pk"))),
    )


def awaiting_review_for(queryset, user):
    """Pending, not the user's own, no conflict, not decided by them yet."""
    member = policies.board_member_for(user)
    if member is None:
        return queryset.none()
    decided = Review.objects.filter(member=member, revision_id=OuterRef("latest_revision_pk"))
    return (
        queryset.filter(status__in=PENDING)
        .exclude(authors=user)
        .exclude(topic__in=member.conflicts.all())
        .annotate(latest_revision_pk=Subquery(_latest_revision().values("pk")[:1]))
        .exclude(Exists(decided))
    )


def my_due(user):
    """The due date of the user's own open assignment on the article, if any."""
    member = policies.board_member_for(user)
    if member is None:
        return Value(None, output_field=DateTimeField())
    mine = ReviewAssignment.objects.open().filter(article=OuterRef("pk"), member=member)
    return Subquery(mine.order_by("due_at").values("due_at")[:1])


class QueueFilter(admin.SimpleListFilter):
    title = _("review queue")
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [
            ("mine", _("Awaiting my review")),
            ("late", _("Assignment overdue")),
            ("overdue", _("Overdue for re-review")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return awaiting_review_for(queryset, request.user)
        if self.value() == "late":
            late = ReviewAssignment.objects.overdue(timezone.now()).filter(article=OuterRef("pk"))
            return queryset.filter(status__in=PENDING).filter(Exists(late))
        if self.value() == "overdue":
            return queryset.overdue(timezone.now())
        return queryset


class DueFilter(admin.SimpleListFilter):
    title = _("due date")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("Overdue")),
            ("soon", _("Due within %(days)s days") % {"days": reminder_days()}),
            ("assigned", _("Assigned")),
            ("unassigned", _("Not assigned")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        assignments = ReviewAssignment.objects.open().filter(article=OuterRef("pk"))
        if self.value() == "overdue":
            return queryset.filter(Exists(assignments.filter(due_at__lt=now)))
        if self.value() == "soon":
            soon = assignments.filter(due_at__gte=now, due_at__lte=now + timedelta(reminder_days()))
            return queryset.filter(Exists(soon))
        if self.value() == "assigned":
            return queryset.filter(Exists(assignments))
        if self.value() == "unassigned":
            return queryset.filter(status__in=PENDING).exclude(Exists(assignments))
        return queryset


class WaitingFilter(admin.SimpleListFilter):
    """Pending articles whose revision under review was submitted more than N days ago."""

    title = _("waiting")
    parameter_name = "waiting"
    days_by_key = {"1": 1, "7": 7, "30": 30}

    def lookups(self, request, model_admin):
        return [
            (key, _("More than %(n)s day(s)") % {"n": n}) for key, n in self.days_by_key.items()
        ]

    def queryset(self, request, queryset):
        days = self.days_by_key.get(self.value() or "")
        if days is None:
            return queryset
        newer = Revision.objects.filter(
            article=OuterRef("pk"), created_at__gt=timezone.now() - timedelta(days=days)
        )
        return queryset.filter(status__in=PENDING).exclude(Exists(newer))


class RevisionNumberFilter(admin.SimpleListFilter):
    title = _("revision")
    parameter_name = "revision"

    def lookups(self, request, model_admin):
        return [("first", _("First revision")), ("later", _("Revision 2 or later"))]

    def queryset(self, request, queryset):
        later = Revision.objects.filter(article=OuterRef("pk"), number__gte=2)
        if self.value() == "first":
            return queryset.filter(Exists(Revision.objects.filter(article=OuterRef("pk")))).exclude(
                Exists(later)
            )
        if self.value() == "later":
            return queryset.filter(Exists(later))
        return queryset


class OpenCommentsFilter(admin.SimpleListFilter):
    title = _("open comments")
    parameter_name = "comments"

    def lookups(self, request, model_admin):
        return [("open", _("Has open comments")), ("none", _("No open comments"))]

    def queryset(self, request, queryset):
        unresolved = StatementComment.objects.open().filter(article=OuterRef("pk"))
        if self.value() == "open":
            return queryset.filter(Exists(unresolved))
        if self.value() == "none":
            return queryset.exclude(Exists(unresolved))
        return queryset


class QueueAdminMixin:
    """Queue columns, filters and the "awaiting my review" order for the article admin."""

    queue_filters = [
        QueueFilter,
        DueFilter,
        WaitingFilter,
        RevisionNumberFilter,
        OpenCommentsFilter,
    ]

    def get_queryset(self, request):
        queryset = queue_annotate(super().get_queryset(request))
        if request.GET.get("queue") == "mine":
            queryset = queryset.annotate(my_due=my_due(request.user))
        return queryset

    def get_ordering(self, request):
        """In "awaiting my review", the member's assigned work first by due date, then the
        rest of the queue, longest waiting first. A column the user sorts by comes first,
        this order breaks its ties."""
        if request.GET.get("queue") == "mine":
            return [F("my_due").asc(nulls_last=True), F("submitted_at").asc(nulls_last=True)]
        return super().get_ordering(request)

    @admin.display(description=_("waiting"), ordering="submitted_at")
    def waiting(self, obj):
        if obj.status not in PENDING or obj.submitted_at is None:
            return "—"
        return format_html(
            '<time datetime="{}">{}</time>',
            obj.submitted_at.isoformat(),
            timesince(obj.submitted_at, timezone.now(), depth=1),
        )

    @admin.display(description=_("rev."), ordering="latest_number")
    def revision_number(self, obj):
        return obj.latest_number or "—"

    @admin.display(description=_("due"), ordering=F("next_due").asc(nulls_last=True))
    def due(self, obj):
        if obj.next_due is None:
            return "—"
        local = timezone.localtime(obj.next_due)
        late = obj.next_due < timezone.now()
        return format_html(
            '<time datetime="{}" title="{}"{}>{}</time>{}',
            obj.next_due.isoformat(),
            f"{local:%Y-%m-%d %H:%M}",
            format_html(' class="{}"', "vetted-overdue") if late else "",
            f"{local:%Y-%m-%d}",
            format_html("<br>{}", _("(overdue)")) if late else "",
        )

    @admin.display(description=_("comments"), boolean=True, ordering="has_open_comments")
    def open_comments(self, obj):
        return obj.has_open_comments
