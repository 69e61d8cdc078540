"""A retraction, end to end: flag the source, send live articles back, alert the people.

Only editors retract. One call marks the reference retracted (with the reason and the
retraction notice), sends every approved article whose live revision cites it back to the
board with ``request_rereview``, and, after the commit, queues a task that alerts the editors
and the board members who approved each affected live revision. Readers keep the last
approved text, with the citing statements marked and the stepper saying why.
"""

from dataclasses import dataclass, field
from http import HTTPStatus

from django.db import transaction
from django.utils.translation import gettext as _

from articles import policies
from articles.models import Article
from articles.services import reference_citing_articles
from citations.models import Reference
from citations.services import reference_mark_retracted
from reviews.services.transitions import TransitionRefused, article_request_rereview


@dataclass
class RetractionResult:
    reference: Reference
    sent_back: list[Article] = field(default_factory=list)
    live_elsewhere: list[Article] = field(default_factory=list)
    drafts: list[Article] = field(default_factory=list)


@transaction.atomic
def reference_retract(*, reference: Reference, user, reason: str, notice: str) -> RetractionResult:
    """Retract a source and deal with every article that cites it (see the module's note)."""
    if not policies.may_retract(user):
        raise TransitionRefused(
            _("Only editors mark a reference retracted."), status=HTTPStatus.FORBIDDEN
        )
    reference = reference_mark_retracted(reference=reference, reason=reason, notice=notice)
    working, live = reference_citing_articles(reference=reference)
    result = RetractionResult(reference=reference)
    comment = _("A cited source was retracted: “%(title)s”. %(reason)s") % {
        "title": reference.title[:120],
        "reason": reference.retraction_note,
    }
    for article in live:
        if article.status == Article.Status.APPROVED:
            article_request_rereview(article=article, user=user, comment=comment)
            result.sent_back.append(article)
        else:
            result.live_elsewhere.append(article)
    live_pks = {article.pk for article in live}
    result.drafts = [article for article in working if article.pk not in live_pks]
    if live:
        from reviews.tasks import retraction_alert_send

        reference_pk, article_pks = reference.pk, sorted(live_pks)
        transaction.on_commit(
            lambda: retraction_alert_send.enqueue(
                reference_id=reference_pk, article_ids=article_pks
            )
        )
    return result
