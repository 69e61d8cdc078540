"""Issue 13 for authors and developers: the citation picker, the preview's way back, the
reading level, the seed's report, and the Makefile's promises."""

import re
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, Disclaimer, Statement
from citations.models import Reference
from desk.readability import article_reading_level, reading_level
from tests import factories

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def library():
    garber = factories.ReferenceFactory(
        title="Quantity and quality of exercise", authors=[{"family": "Garber"}], year=2011
    )
    other = factories.ReferenceFactory(
        title="Exercise and fluid replacement", authors=[{"family": "Sawka"}], year=2007
    )
    return {"garber": garber, "other": other}


def test_reference_search_finds_authors_and_years(library):
    assert list(Reference.objects.search("garber")) == [library["garber"]]
    assert list(Reference.objects.search("2007")) == [library["other"]]
    assert list(Reference.objects.search("Garber 2011")) == [library["garber"]]
    assert list(Reference.objects.search("Garber 2007")) == []
    assert set(Reference.objects.search("")) == set(Reference.objects.all())


def _statement_url(article: Article) -> tuple[str, Statement]:
    statement = Statement.objects.filter(section__article=article).order_by("pk").first()
    return reverse("desk:statement", args=[article.pk, statement.pk]), statement


def test_citation_picker_finds_by_author(author_client, draft, library):
    url, _ = _statement_url(draft)
    html = author_client.get(url, {"q": "Garber"}).content.decode()
    assert "Quantity and quality of exercise" in html
    assert "Exercise and fluid replacement" not in html


def test_citation_picker_without_a_search_lists_recent_and_most_cited(
    author_client, draft, library
):
    url, statement = _statement_url(draft)
    other_statement = Statement.objects.exclude(pk=statement.pk).filter(section__article=draft)[0]
    factories.CitationFactory(statement=other_statement, reference=library["other"], order=5)
    html = author_client.get(url).content.decode()
    most_cited = html.split('class="list-unstyled search-results most-cited"')[1].split("</ul>")[0]
    recent = html.split('class="list-unstyled search-results recent-references"')[1]
    assert "Exercise and fluid replacement" in most_cited
    assert "Quantity and quality of exercise" in recent.split("</ul>")[0]
    assert "Browse the whole library" in html


def test_preview_links_back_to_the_editor(author_client, draft):
    html = author_client.get(reverse("desk:article_preview", args=[draft.pk])).content.decode()
    assert re.search(
        rf'<a class="[^"]*back-to-editor"[^>]*href="{reverse("desk:article", args=[draft.pk])}"',
        html,
    )


def test_reading_level_grades_plain_and_hard_text(settings):
    settings.VETTED_READING_GRADE_TARGET = 8
    easy = reading_level("Stop and stretch the calf. " * 6)
    hard = reading_level(
        "Exercise-associated neuromuscular hyperexcitability necessitates individualised "
        "multidisciplinary physiological characterisation, notwithstanding considerable "
        "methodological heterogeneity across observational investigations. " * 2
    )
    assert easy.measurable and not easy.above_target
    assert hard.above_target and hard.grade > 12
    assert not reading_level("Too short.").measurable
    # Markdown is stripped before grading: emphasis changes nothing.
    assert reading_level("**Stop** and stretch the calf. " * 6).grade == easy.grade


def test_article_page_shows_reading_level_against_the_setting(author_client, draft, settings):
    settings.VETTED_READING_GRADE_TARGET = 3
    url = reverse("desk:article", args=[draft.pk])
    html = author_client.get(url).content.decode()
    level = article_reading_level(draft, draft.sections.all())
    assert "Reading level" in html and "grade 3 or below" in html
    if level.measurable:
        assert f"grade {level.grade_label}" in html


def test_hard_reading_level_never_blocks_submitting(author_client, draft, settings):
    settings.VETTED_READING_GRADE_TARGET = 0
    Statement.objects.filter(section__article=draft).update(
        text="Neuromuscular hyperexcitability necessitates multidisciplinary characterisation."
    )
    author_client.post(reverse("desk:article_submit", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == Article.Status.SUBMITTED


def test_statement_page_shows_its_reading_level(author_client, draft):
    url, _ = _statement_url(draft)
    assert "Reading level" in author_client.get(url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_seed_demo_reports_what_it_made_and_sends_no_mail():
    # Transactional, so the workflow's after-commit notifications really fire.
    mail.outbox = []
    out = StringIO()
    call_command("seed_demo", "--demo", stdout=out)
    text = out.getvalue()
    assert "submitted article  /articles/foot-cramps-during-exercise/" in text
    assert "approved article" in text and "draft article" in text
    assert re.search(r"okafor\s+/ vetted-board-demo\s+Medical Advisory Board, /admin/", text)
    assert "notification(s) from the seed were not sent" in text
    # No mail body, header or address reaches the terminal, and none is sent.
    assert "Subject:" not in text and "@vetted.example" not in text
    assert mail.outbox == []
    again = StringIO()
    call_command("seed_demo", "--demo", stdout=again)
    assert "nothing changed" in again.getvalue()


def _recipe(target: str) -> str:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    match = re.search(rf"^{target}:.*?\n((?:\t.*\n|\s*\\\n)+)", makefile, re.M)
    assert match, target
    return match.group(1)


def test_make_test_checks_the_format_and_installs_browser_deps():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "ruff format --check ." in _recipe("test")
    assert re.search(r"^test:.*browser-deps", makefile, re.M)
    deps = _recipe("browser-deps")
    assert "apt-get install" in deps and "id -u" in deps


def test_test_screenshots_are_ignored_and_make_screenshots_refreshes_docs():
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "test-results/screenshots/article-1280.png"],
        cwd=ROOT,
        check=False,
    )
    assert ignored.returncode == 0
    assert "VETTED_SCREENSHOTS_DIR=docs/screenshots" in _recipe("screenshots")


def test_author_chooses_the_articles_disclaimer(author_client, draft):
    cramps = Disclaimer.objects.create(name="Cramps", text="Cramps default.")
    url = reverse("desk:article", args=[draft.pk])
    assert "The topic&#x27;s disclaimer" in author_client.get(url).content.decode()
    fields = {"title": draft.title, "topic": draft.topic_id, "summary": draft.summary}
    author_client.post(url, {**fields, "disclaimer": cramps.pk, "version": draft.version})
    draft.refresh_from_db()
    assert draft.disclaimer == cramps
    # Empty goes back to the topic's choice.
    author_client.post(url, {**fields, "disclaimer": "", "version": draft.version})
    draft.refresh_from_db()
    assert draft.disclaimer is None
