import io
import re
from http import HTTPStatus

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from articles.models import Article
from articles.snapshots import build_snapshot, content_hash

pytestmark = pytest.mark.django_db

DEMO_SLUG = "foot-cramps-during-exercise"


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"articles", "citations", "reviews", "auth", "django_fsm_log"}
    }


def _seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--demo", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_second_run_changes_no_counts():
    first_output = _seed()
    counts = _counts()
    second_output = _seed()

    assert _counts() == counts
    assert counts["articles.Article"] >= 2
    assert counts["citations.Reference"] == 6
    assert "vetted-editor-demo" in first_output
    assert "vetted-editor-demo" not in second_output  # passwords only when accounts are made


def test_seed_demo_refuses_without_debug_or_demo_flag(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--demo"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not Article.objects.exists()


def test_seed_demo_article_page_lists_six_ama_references_in_citation_order(client):
    _seed()
    response = client.get(f"/articles/{DEMO_SLUG}/")

    assert response.status_code == HTTPStatus.OK
    body = response.content.decode()
    assert re.findall(r'<li id="ref-(\d+)"', body) == ["1", "2", "3", "4", "5", "6"]
    entries = re.findall(r'<span class="reference-text">(.*?)</span>', body)
    assert entries[0].startswith("Sawka MN, Burke LM, Eichner ER, Maughan RJ, Montain SJ")
    assert (
        "<i>Med Sci Sports Exerc</i>. 2007;39(2):377-390. doi:10.1249/mss.0b013e31802ca597"
        in (entries[0])
    )
    assert entries[1].startswith("Layzer RB. The origin of muscle fasciculations and cramps.")
    assert entries[5].startswith("Miller TM, Layzer RB. Muscle cramps.")


def test_seed_demo_users_have_roles_not_names():
    _seed()
    editor = apps.get_model("auth", "User").objects.get(username="editor")
    assert editor.is_staff
    assert editor.has_perm("articles.manage_article")
    assert not editor.has_perm("articles.review_article")
    board = apps.get_model("auth", "User").objects.get(username="okafor")
    assert board.has_perm("articles.review_article")
    assert board.board_member.credentials == "MD, FACSM"


def test_seed_demo_synthetic_articles_match_their_snapshots(client):
    _seed()
    before = Article.objects.count()
    _seed("--articles", "5")
    _seed("--articles", "3")

    synthetic = Article.objects.filter(slug__startswith="synthetic-").order_by("pk")
    assert Article.objects.count() == before + 8
    assert synthetic.count() == 8
    for article in synthetic[:2]:
        revision = article.live_revision
        assert revision.snapshot == build_snapshot(article)
        assert revision.content_hash == content_hash(build_snapshot(article))
    last = synthetic.last()
    assert client.get(last.get_absolute_url()).status_code == HTTPStatus.OK


def test_seed_demo_negative_article_count_refused():
    with pytest.raises(CommandError, match="zero or more"):
        _seed("--articles", "-1")


def test_seed_demo_approves_one_article_through_the_workflow(client):
    from django_fsm_log.models import StateLog

    _seed()
    article = Article.objects.get(slug="are-exercise-cramps-caused-by-dehydration")

    assert article.status == Article.Status.APPROVED
    assert article.live_revision is not None
    transitions = list(
        StateLog.objects.for_(article).order_by("timestamp").values_list("transition", flat=True)
    )
    assert transitions == ["submit", "start_review", "approve"]
    body = client.get(article.get_absolute_url()).content.decode()
    assert "Educational purpose only" not in body
    assert "Maya Okafor, MD, FACSM" in body
    assert article.title in client.get("/").content.decode()


def test_seed_demo_meets_a_quorum_of_two(settings):
    settings.VETTED_APPROVALS_REQUIRED = 2
    _seed()
    article = Article.objects.get(slug="are-exercise-cramps-caused-by-dehydration")
    assert article.status == Article.Status.APPROVED
    assert article.live_revision.reviews.filter(decision="approve").count() == 2
