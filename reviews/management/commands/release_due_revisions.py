from django.core.management.base import BaseCommand
from django.utils import timezone

from reviews.releases import ScheduledRelease
from reviews.services.releases import release_due_revisions


class Command(BaseCommand):
    help = (
        "Put live every approved revision whose scheduled go-live time has come; a schedule "
        "whose revision is no longer the approved one lapses. Run every minute (systemd timer "
        "vetted-release-due.timer); a second run at once changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List the due schedules; change nothing."
        )

    def handle(self, *args, **options):
        now = timezone.now()
        if options["dry_run"]:
            due = ScheduledRelease.objects.due(now).select_related("article", "revision")
            for schedule in due.order_by("go_live_at", "pk"):
                self.stdout.write(
                    f"Due: “{schedule.article.title}” revision {schedule.revision.number} "
                    f"(at {schedule.go_live_at:%Y-%m-%d %H:%M} UTC)."
                )
            return
        for row in release_due_revisions(now=now):
            self.stdout.write(
                f"{row.get_kind_display()}: “{row.article.title}” revision {row.revision.number}."
            )
