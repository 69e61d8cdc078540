"""Readers' follow-up questions: queued, rate-limited, and turned into drafts by editors."""

import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from articles.models import Article, Audience, FollowUpQuestion
from articles.services.content import unique_slug
from config.cache import CacheUnavailable


class FollowUpRateLimited(Exception):
    """This address has sent as many follow-up questions as the window allows."""


class FollowUpRateLimitUnavailable(FollowUpRateLimited):
    """The cache that counts senders is down: the form refuses (fails closed) until it is back."""


def client_hash(address: str) -> str:
    """A salted, keyed hash of the sender's address: enough to rate-limit, useless to identify."""
    return salted_hmac(
        "vetted.follow_up.client", address or "unknown", algorithm="sha256"
    ).hexdigest()


def follow_up_recent_count(*, client: str) -> int:
    window = timedelta(seconds=settings.VETTED_FOLLOW_UP_WINDOW_SECONDS)
    return FollowUpQuestion.objects.filter(
        client_hash=client, created_at__gte=timezone.now() - window
    ).count()


def _count_in_cache(*, client: str) -> int:
    """Count this question in the sender's current window, atomically across workers.

    The database count alone lets two questions sent at the same moment both pass; the cache's
    counter does not. When the cache cannot count, the form is refused, never waved through:
    it is the one public form that writes, so it fails closed (reading never depends on this).
    """
    window = settings.VETTED_FOLLOW_UP_WINDOW_SECONDS
    start = int(time.time() // window * window)
    key = f"vetted:follow-up:rate:{client}:{start}"
    try:
        cache.add(key, 0, timeout=window + 1)
        return cache.incr(key)
    except CacheUnavailable as exc:
        raise FollowUpRateLimitUnavailable from exc
    except ValueError:  # the window's counter expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        return 1
    except Exception as exc:  # any backend that cannot count: refuse rather than guess
        raise FollowUpRateLimitUnavailable from exc


@transaction.atomic
def follow_up_create(
    *,
    article: Article,
    audience: Audience | None,
    question: str,
    email: str = "",
    client_address: str,
) -> FollowUpQuestion:
    """Queue a reader's question for the editors, refusing senders over the rate limit."""
    client = client_hash(client_address)
    if _count_in_cache(client=client) > settings.VETTED_FOLLOW_UP_RATE:
        raise FollowUpRateLimited
    if follow_up_recent_count(client=client) >= settings.VETTED_FOLLOW_UP_RATE:
        raise FollowUpRateLimited
    follow_up = FollowUpQuestion(
        article=article,
        audience=audience,
        question=question,
        email=email,
        client_hash=client,
    )
    follow_up.full_clean()
    follow_up.save()
    return follow_up


@transaction.atomic
def follow_up_convert_to_draft(*, follow_up: FollowUpQuestion, created_by=None) -> Article:
    """Turn a reader's question into a new draft article in the same topic."""
    follow_up = FollowUpQuestion.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.converted_article_id:
        return follow_up.converted_article
    title = " ".join(follow_up.question.split())
    if len(title) > 300:
        title = title[:299].rstrip() + "…"
    article = Article(
        title=title,
        slug=unique_slug(title, fallback="follow-up-question"),
        topic_id=follow_up.article.topic_id,
        summary="",
    )
    # The protected FSM field refuses the re-assignment clean_fields() makes; it is the default.
    article.full_clean(exclude=["status"])
    article.save()
    if created_by is not None and created_by.pk:
        article.authors.add(created_by)
        article.contributors.add(created_by)
    follow_up.status = FollowUpQuestion.Status.CONVERTED
    follow_up.converted_article = article
    follow_up.full_clean()
    follow_up.save(update_fields=["status", "converted_article"])
    return article


@transaction.atomic
def follow_up_status_set(*, follow_up: FollowUpQuestion, status: str) -> FollowUpQuestion:
    """Mark a question answered or dismissed; a converted question keeps its status."""
    if follow_up.status == FollowUpQuestion.Status.CONVERTED:
        return follow_up
    follow_up.status = status
    follow_up.full_clean()
    follow_up.save(update_fields=["status"])
    return follow_up
