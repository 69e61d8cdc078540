from django.core.management.base import BaseCommand

from reviews.services.reminders import assignment_reminders_send, reminder_days


class Command(BaseCommand):
    help = (
        "Remind board members of assignments due within VETTED_ASSIGNMENT_REMINDER_DAYS days "
        "(once per due date) and of overdue ones (once a day). Every notice is recorded first, "
        "so a second run the same day sends nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the reminders due; send nothing."
        )

    def handle(self, *args, **options):
        run = assignment_reminders_send(dry_run=options["dry_run"])
        verb = "would be sent" if options["dry_run"] else "sent"
        self.stdout.write(
            self.style.SUCCESS(
                f"{run.due_soon} due-soon reminder(s) (due within {reminder_days()} days) and "
                f"{run.overdue} overdue reminder(s) {verb}."
            )
        )
