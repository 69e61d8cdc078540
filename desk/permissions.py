"""The desk's door: who may come in, and which articles each user may open there.

The rules themselves are articles.policies; this module only applies them to requests.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy

from articles import policies
from articles.models import Article


def desk_articles(user) -> QuerySet[Article]:
    """Editors see every article; anyone else only those they author or co-author."""
    articles = Article.objects.select_related("topic")
    if policies.is_editor(user):
        return articles.all()
    # One authors row per (article, user): the join cannot repeat an article, so no DISTINCT,
    # which would sort every one of the user's articles before paging.
    return articles.filter(authors=user)


def desk_article_or_404(user, pk: int) -> Article:
    """The article if this user may open it; an unrelated article is simply not found."""
    return get_object_or_404(desk_articles(user), pk=pk)


class DeskAccessMixin(LoginRequiredMixin):
    """Logged in, and holding the desk's permission (authors and editors); 403 otherwise."""

    login_url = reverse_lazy("desk:login")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not policies.can_use_desk(request.user):
            raise PermissionDenied("The desk is for authors and editors.")
        return super().dispatch(request, *args, **kwargs)
