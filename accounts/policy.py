"""Who must use a second factor. Roles come from articles.policies; this module only adds the
rule that everyone who decides what readers see (board members, editors, any staff) signs in
with one when VETTED_REQUIRE_2FA is on."""

from django.conf import settings

from articles import policies


def is_vetted_role(user) -> bool:
    """Board members, editors, staff and superusers: the people a stolen password would let
    approve or publish medical content."""
    if not (user is not None and user.is_authenticated and user.is_active):
        return False
    return bool(
        user.is_superuser
        or user.is_staff
        or user.has_perm(policies.REVIEW)
        or user.has_perm(policies.MANAGE)
    )


def second_factor_required(user) -> bool:
    return bool(settings.VETTED_REQUIRE_2FA) and is_vetted_role(user)


def may_reset_second_factor(user) -> bool:
    """Editors and superusers reset a colleague's two-factor set-up when a phone is lost."""
    return bool(
        user is not None and user.is_active and (user.is_superuser or policies.is_editor(user))
    )
