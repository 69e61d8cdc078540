import io

import pytest
from django.core.management import call_command
from django_fsm_log.models import StateLog

from articles.models import Article

pytestmark = pytest.mark.django_db


def test_seed_demo_submits_through_the_workflow():
    call_command("seed_demo", "--demo", stdout=io.StringIO())
    article = Article.objects.get(slug="foot-cramps-during-exercise")
    assert article.status == Article.Status.SUBMITTED
    log = StateLog.objects.for_(article).get()
    assert (log.transition, log.by.username) == ("submit", "author")
    assert article.revisions.count() == 1
    call_command("seed_demo", "--demo", stdout=io.StringIO())
    assert StateLog.objects.for_(article).count() == 1
    assert article.revisions.count() == 1
