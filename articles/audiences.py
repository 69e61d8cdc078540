"""Which audience a reader has chosen: the ?audience= query, then the cookie, then the default."""

from django.core.cache import cache

from articles.models import Audience

AUDIENCE_COOKIE = "vetted_audience"
AUDIENCE_COOKIE_MAX_AGE = 60 * 60 * 24 * 365
AUDIENCES_CACHE_KEY = "vetted:audiences:v1"
AUDIENCES_CACHE_SECONDS = 60 * 60


def audiences_all() -> list[Audience]:
    """Every audience, from the cache; an audience saved or deleted clears it (page_cache)."""
    audiences = cache.get(AUDIENCES_CACHE_KEY)
    if audiences is None:
        audiences = list(Audience.objects.all())
        cache.set(AUDIENCES_CACHE_KEY, audiences, AUDIENCES_CACHE_SECONDS)
    return audiences


def audiences_forget() -> None:
    cache.delete(AUDIENCES_CACHE_KEY)


def audiences_for_request(request) -> list[Audience]:
    """Every audience, read once per request: the chooser and the choice share the list."""
    if not hasattr(request, "_vetted_audiences"):
        request._vetted_audiences = audiences_all()
    return request._vetted_audiences


def default_audience(audiences: list[Audience]) -> Audience | None:
    return next((a for a in audiences if a.is_default), audiences[0] if audiences else None)


def audience_for_request(request) -> Audience | None:
    """The reader's audience; an unknown or missing value falls back to the default."""
    audiences = audiences_for_request(request)
    by_slug = {a.slug: a for a in audiences}
    for candidate in (request.GET.get("audience"), request.COOKIES.get(AUDIENCE_COOKIE)):
        if candidate and candidate in by_slug:
            return by_slug[candidate]
    return default_audience(audiences)
