from django.core.management.base import BaseCommand

from articles.roles import roles_ensure


class Command(BaseCommand):
    help = "Create the Authors, Medical Advisory Board and Editors groups with their permissions."

    def handle(self, *args, **options):
        for name, group in roles_ensure().items():
            self.stdout.write(f"{name}: {group.permissions.count()} permissions")
