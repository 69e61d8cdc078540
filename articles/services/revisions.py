"""Revisions: the working copy frozen for the board."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from articles.models import Article, Revision
from articles.snapshots import build_snapshot, content_hash
from citations.models import Reference


def _statements(snapshot: dict) -> dict:
    return {
        statement.get("id"): (statement.get("text"), tuple(statement.get("citations", ())))
        for section in snapshot.get("sections", [])
        for statement in section.get("statements", [])
    }


def retraction_correction_note(live: Revision | None, snapshot: dict) -> str:
    """A note for readers when the new snapshot changes statements of a live revision that
    cites a source retracted since: such a revision is a correction. Empty otherwise."""
    if live is None or _statements(live.snapshot) == _statements(snapshot):
        return ""
    keys = [key for key in live.snapshot.get("references", {}) if str(key).isdigit()]
    retracted = list(
        Reference.objects.filter(pk__in=keys, retracted=True)
        .order_by("pk")
        .values_list("title", flat=True)[:3]
    )
    if not retracted:
        return ""
    return _("Corrected after the retraction of a cited source: %(titles)s.") % {
        "titles": "; ".join(f"“{title[:120]}”" for title in retracted)
    }


@transaction.atomic
def revision_create(
    *,
    article: Article,
    created_by=None,
    change_summary: str = "",
    corrects_error: bool = False,
    correction_note: str = "",
) -> Revision:
    """Freeze the article's current working copy into a new numbered revision.

    The revision is a correction when the author says it corrects an error (with a note for
    readers), or when it changes statements of a live revision whose cited source has been
    retracted since (the note then names the source unless the author wrote one).
    """
    # Lock the article row so two submits cannot take the same number.
    Article.objects.select_for_update().filter(pk=article.pk).exists()
    snapshot = build_snapshot(article)
    last = article.revisions.aggregate(last=Max("number"))["last"] or 0
    contributors = {
        *article.authors.values_list("pk", flat=True),
        *article.contributors.values_list("pk", flat=True),
    }
    correction_note = (correction_note or "").strip()
    automatic = retraction_correction_note(article.live_revision, snapshot)
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
        is_correction=bool(corrects_error or automatic),
        correction_note=correction_note or automatic,
    )
    revision.full_clean()
    revision.save()
    return revision
