from django.core.management.base import BaseCommand
from django.utils import timezone

from articles.models import Article
from reviews.services import TransitionRefused, article_request_rereview


class Command(BaseCommand):
    help = (
        "Send approved articles whose next review is due back to the board as a new revision. "
        "The approved revision stays live meanwhile; a second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List the overdue articles; change nothing."
        )

    def handle(self, *args, **options):
        now = timezone.now()
        overdue = list(Article.objects.overdue(now).order_by("next_review_due", "pk"))
        if not overdue:
            self.stdout.write("No approved article is overdue for re-review.")
            return
        flagged = 0
        for article in overdue:
            if options["dry_run"]:
                due = f"{article.next_review_due:%Y-%m-%d}"
                self.stdout.write(f"Would flag “{article.title}” (due {due}).")
                continue
            try:
                revision = article_request_rereview(
                    article=article,
                    user=None,
                    by_system=True,
                    comment=f"Periodic re-review: due {article.next_review_due:%Y-%m-%d}.",
                )
            except TransitionRefused as refusal:
                # Another process moved it first; leave it be.
                self.stderr.write(f"Skipped “{article.title}”: {refusal.message}")
                continue
            flagged += 1
            self.stdout.write(
                f"Flagged “{article.title}” for re-review: revision {revision.number} "
                f"submitted; revision {article.live_revision.number} stays live."
            )
        if not options["dry_run"]:
            self.stdout.write(self.style.SUCCESS(f"{flagged} article(s) sent back for re-review."))
