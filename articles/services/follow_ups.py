"""Readers' follow-up questions: queued, rate-limited, and turned into drafts by editors."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from articles.models import Article, Audience, FollowUpQuestion
from articles.services.content import unique_slug


class FollowUpRateLimited(Exception):
    """This address has sent as many follow-up questions as the window allows."""


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
