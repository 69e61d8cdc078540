"""Who wrote an article: only editors change it, never while the board has it, on the record."""

from http import HTTPStatus

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _
from django_fsm_log.models import StateLog

from articles import policies
from articles.models import Article
from reviews.services.transitions import TransitionRefused, _locked


def _names(users) -> str:
    return ", ".join(sorted(user.get_full_name() or user.get_username() for user in users)) or "—"


@transaction.atomic
def article_authors_set(*, article: Article, user, authors) -> Article:
    """Replace the article's authors; the change is written to the audit trail.

    Removed authors stay recorded as contributors of the working copy, so they still cannot
    decide on the revision they helped write.
    """
    article = _locked(article)
    if article.status in policies.IN_BOARD_HANDS:
        raise TransitionRefused(
            _("Authors cannot change while the board has the article (it is %(status)s).")
            % {"status": article.get_status_display().lower()}
        )
    if not policies.may_change_authors(user, article):
        raise TransitionRefused(
            _("Only editors change an article's authors."), status=HTTPStatus.FORBIDDEN
        )
    wanted = {author.pk for author in authors}
    if not wanted:
        raise TransitionRefused(
            _("An article needs at least one author."), status=HTTPStatus.BAD_REQUEST
        )
    before = list(article.authors.all())
    current = {author.pk for author in before}
    if wanted == current:
        return article
    users = get_user_model().objects.filter(pk__in=wanted)
    article.authors.set(users)
    removed = current - wanted
    if removed:
        article.contributors.add(*removed)
    StateLog.objects.create(
        content_object=article,
        transition="change_authors",
        source_state=article.status,
        state=article.status,
        by=user if user and user.is_authenticated else None,
        description=_("Authors: %(before)s → %(after)s")
        % {"before": _names(before), "after": _names(users)},
    )
    return article
