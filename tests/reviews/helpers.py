"""Small helpers the workflow tests share."""

from django_fsm_log.models import StateLog

from articles.models import Article
from tests.factories import record_on_latest


def fresh(article):
    return Article.objects.get(pk=article.pk)


def approved(under_review, board_member):
    record_on_latest(article=under_review, user=board_member.user, decision="approve")
    return fresh(under_review)


def last_log(article):
    return StateLog.objects.for_(article).order_by("-timestamp", "-pk").first()
