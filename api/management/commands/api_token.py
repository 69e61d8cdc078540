"""manage.py api_token create USER --scope ... [--expires DAYS] | revoke PREFIX | list [USER]"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from api.models import ApiToken, Scope
from api.tokens import token_create, token_revoke


class Command(BaseCommand):
    help = "Create, revoke and list API tokens. A new token is printed once, never again."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Make a token for a user.")
        create.add_argument("username")
        create.add_argument(
            "--scope", action="append", required=True, choices=Scope.values, dest="scopes"
        )
        create.add_argument("--expires", type=int, default=None, metavar="DAYS")
        create.add_argument("--name", default="")
        revoke = actions.add_parser("revoke", help="Revoke a token by its prefix or id.")
        revoke.add_argument("token")
        listing = actions.add_parser("list", help="List tokens (never their secrets).")
        listing.add_argument("username", nargs="?")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _create(self, *, username, scopes, expires, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user “{username}”.")
        try:
            token, raw = token_create(user=user, scopes=scopes, name=name, expires_in_days=expires)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(raw)
        self.stderr.write(
            f"Token {token.prefix}… for {user} with {', '.join(token.scopes)}"
            f"{f', expires {token.expires_at:%Y-%m-%d}' if token.expires_at else ''}. "
            "It is shown only this once: store it now."
        )

    def _revoke(self, *, token, **options):
        lookup = {"pk": int(token)} if token.isdigit() else {"prefix": token.rstrip("…")}
        found = ApiToken.objects.filter(**lookup)
        if found.count() != 1:
            raise CommandError(f"No single token matches “{token}”.")
        revoked = token_revoke(token=found.get())
        self.stdout.write(f"Revoked {revoked.prefix}… ({revoked.user}).")

    def _list(self, *, username=None, **options):
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "pk")
        if username:
            tokens = tokens.filter(user__username=username)
        for token in tokens:
            state = "revoked" if token.revoked_at else "active" if token.is_usable else "expired"
            self.stdout.write(
                f"{token.pk}\t{token.prefix}…\t{token.user}\t{','.join(token.scopes)}\t{state}\t"
                f"expires {token.expires_at:%Y-%m-%d}"
                if token.expires_at
                else f"{token.pk}\t{token.prefix}…\t{token.user}\t{','.join(token.scopes)}\t"
                f"{state}\tno expiry"
            )
