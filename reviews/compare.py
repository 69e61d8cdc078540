"""The side-by-side view of the review page: the revision under review and the live one,
each rendered as readers see it, with the labelled changes and the decision steps after them.

Reached from the review diff on the article's admin page; the admin's own view permission
and workflow buttons decide who sees it and which steps it offers.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from articles.models import Article
from articles.selectors import page_content
from reviews.diff import revision_diff


def _rendered(revision):
    if revision is None:
        return None
    content = page_content(revision.snapshot, None)
    return {
        "revision": revision,
        "content": content,
        "retracted_numbers": {ref.number for ref in content.references if ref.retracted},
    }


def compare_view(request, pk: int):
    article = get_object_or_404(Article.objects.select_related("live_revision"), pk=pk)
    model_admin = admin.site._registry[Article]
    if not model_admin.has_view_permission(request, article):
        raise PermissionDenied
    revision = article.revision_under_review()
    live = article.live_revision
    same = revision is not None and live is not None and revision.pk == live.pk
    diff = revision_diff(live.snapshot if live else None, revision.snapshot) if revision else None
    return render(
        request,
        "reviews/compare.html",
        {
            **admin.site.each_context(request),
            "opts": Article._meta,
            "original": article,
            "title": f"Side by side: {article}",
            "revision": revision,
            "live": live,
            "same": same,
            "diff": diff,
            "left": _rendered(revision),
            "right": None if same else _rendered(live),
            "change_url": reverse("admin:articles_article_change", args=[article.pk]),
            "workflow_buttons": model_admin.workflow_buttons(request, article),
        },
    )


compare = admin.site.admin_view(compare_view)
