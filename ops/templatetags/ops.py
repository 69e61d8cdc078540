"""Small filters for the operational pages (lockout, upload refused)."""

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(duration: timedelta | None) -> int:
    """Whole minutes in a timedelta, rounded up: a 90-second wait reads as 2 minutes."""
    if not duration:
        return 0
    return -(-int(duration.total_seconds()) // 60)
