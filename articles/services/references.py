"""What the reference library's deletions mean for articles: never lose a cited source."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from articles.models import Article
from citations.models import Reference
from citations.services import reference_delete_uncited


def reference_citing_articles(*, reference: Reference) -> tuple[list[Article], list[Article]]:
    """(articles whose working copy cites it, articles whose live revision cites it)."""
    working = list(
        Article.objects.filter(sections__statements__citations__reference=reference)
        .distinct()
        .order_by("title", "pk")
    )
    live = list(
        Article.objects.filter(
            live_revision__snapshot__references__has_key=str(reference.pk)
        ).order_by("title", "pk")
    )
    return working, live


@transaction.atomic
def reference_delete(*, reference: Reference) -> None:
    """Delete a reference no live revision and no working copy cites, else ValidationError."""
    working, live = reference_citing_articles(reference=reference)
    problems = []
    if live:
        problems.append(
            ValidationError(
                "This reference cannot be deleted because published articles cite it: "
                "%(articles)s. Ask an editor to mark it retracted instead.",
                code="reference_cited_live",
                params={"articles": ", ".join(f"“{a.title}”" for a in live)},
            )
        )
    if working:
        problems.append(
            ValidationError(
                "This reference cannot be deleted because these articles cite it: %(articles)s. "
                "Remove those citations first.",
                code="reference_cited",
                params={"articles": ", ".join(f"“{a.title}”" for a in working)},
            )
        )
    if problems:
        raise ValidationError({NON_FIELD_ERRORS: problems})
    reference_delete_uncited(reference=reference)
