"""Revisions: the working copy frozen for the board."""

from django.db import transaction
from django.db.models import Max

from articles.models import Article, Revision
from articles.snapshots import build_snapshot, content_hash


@transaction.atomic
def revision_create(*, article: Article, created_by=None, change_summary: str = "") -> Revision:
    """Freeze the article's current working copy into a new numbered revision."""
    # Lock the article row so two submits cannot take the same number.
    Article.objects.select_for_update().filter(pk=article.pk).exists()
    snapshot = build_snapshot(article)
    last = article.revisions.aggregate(last=Max("number"))["last"] or 0
    contributors = {
        *article.authors.values_list("pk", flat=True),
        *article.contributors.values_list("pk", flat=True),
    }
    revision = Revision(
        article=article,
        number=last + 1,
        snapshot=snapshot,
        content_hash=content_hash(snapshot),
        title=article.title,
        topic_id=article.topic_id,
        contributor_ids=sorted(contributors),
        created_by=created_by,
        change_summary=(change_summary or "").strip(),
    )
    revision.full_clean()
    revision.save()
    return revision
