"""Who may use the desk, and which articles each user may open there."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy

from articles.models import Article
from articles.roles import AUTHORS, EDITORS

DESK_ROLES = (AUTHORS, EDITORS)


def can_use_desk(user) -> bool:
    """Authors and editors work at the desk; nobody else, whatever other role they hold."""
    return bool(user and user.is_authenticated) and user.groups.filter(
        name__in=DESK_ROLES
    ).exists()


def is_editor(user) -> bool:
    return bool(user and user.is_authenticated) and user.groups.filter(name=EDITORS).exists()


def desk_articles(user) -> QuerySet[Article]:
    """Editors see every article; anyone else only those they author or co-author."""
    articles = Article.objects.select_related("topic")
    if is_editor(user):
        return articles.all()
    return articles.filter(authors=user).distinct()


def desk_article_or_404(user, pk: int) -> Article:
    """The article if this user may open it; an unrelated article is simply not found."""
    return get_object_or_404(desk_articles(user), pk=pk)


class DeskAccessMixin(LoginRequiredMixin):
    """Logged in, and in the Authors or Editors group (403 otherwise)."""

    login_url = reverse_lazy("desk:login")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_use_desk(request.user):
            raise PermissionDenied("The desk is for authors and editors.")
        return super().dispatch(request, *args, **kwargs)
