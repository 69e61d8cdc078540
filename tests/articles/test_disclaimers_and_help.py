"""Issue 13 for readers: disclaimers chosen per article, the "When to get help" box, the
demo's content and citation order, Markdown-free search snippets, the favicon."""

import re
from http import HTTPStatus
from io import StringIO

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import IntegrityError, transaction

from articles.completeness import submission_problems
from articles.models import Article, Disclaimer, SectionKind, Topic
from articles.search import search_articles
from articles.selectors import disclaimer_choose, page_content
from articles.snapshots import build_snapshot
from reviews.diff import revision_diff
from tests import factories

pytestmark = pytest.mark.django_db
DEMO = "/articles/foot-cramps-during-exercise/"


@pytest.fixture
def disclaimers(audiences):
    general = Disclaimer.objects.create(text="General default.")
    Disclaimer.objects.create(audience=audiences["professional"], text="General, clinical.")
    cramps = Disclaimer.objects.create(name="Cramps", text="Cramps default.")
    Disclaimer.objects.create(
        name="Cramps", audience=audiences["professional"], text="Cramps, clinical."
    )
    sport = Disclaimer.objects.create(name="Sport", text="Sport default.")
    return {"general": general, "cramps": cramps, "sport": sport}


def test_disclaimer_article_choice_beats_topic_which_beats_general(disclaimers, audiences):
    article = factories.article_with_evidence()
    assert disclaimer_choose(article, None).text == "General default."
    Topic.objects.filter(pk=article.topic_id).update(disclaimer=disclaimers["sport"])
    assert disclaimer_choose(article, None).text == "Sport default."
    article.disclaimer = disclaimers["cramps"]
    assert disclaimer_choose(article, None).text == "Cramps default."


def test_disclaimer_uses_the_chosen_ones_audience_wording(disclaimers, audiences):
    article = factories.article_with_evidence(disclaimer=disclaimers["cramps"])
    assert disclaimer_choose(article, audiences["professional"]).text == "Cramps, clinical."
    # No student wording for "Cramps": its default, never another disclaimer's student text.
    assert disclaimer_choose(article, audiences["student"]).text == "Cramps default."
    article.disclaimer = disclaimers["sport"]
    assert disclaimer_choose(article, audiences["professional"]).text == "Sport default."


def test_disclaimer_one_wording_per_audience_per_name(disclaimers, audiences):
    with pytest.raises(IntegrityError), transaction.atomic():
        Disclaimer.objects.create(name="Cramps", text="A second default.")
    # Another name may have its own default and its own audience wordings.
    Disclaimer.objects.create(name="Heat", audience=audiences["professional"], text="Heat.")


def test_article_page_shows_the_articles_disclaimer(client, disclaimers, audiences):
    article = factories.article_publish(
        factories.article_with_evidence(slug="chosen", disclaimer=disclaimers["cramps"])
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Cramps default." in html and "General default." not in html
    html = client.get(article.get_absolute_url() + "?audience=professional").content.decode()
    assert "Cramps, clinical." in html


def _help_section(article: Article, *, cited: bool):
    kind, _ = SectionKind.objects.get_or_create(
        slug=SectionKind.HELP, defaults={"name": "When to get help", "default_heading": "Help"}
    )
    section = factories.EvidenceSectionFactory(
        article=article, kind=kind, heading="When to get help", order=9
    )
    statement = factories.StatementFactory(
        section=section, order=0, text="Call for help if a cramp comes with **chest pain**."
    )
    if cited:
        factories.CitationFactory(statement=statement, reference=factories.ReferenceFactory())
    return section


def test_help_box_statements_need_no_citation_but_others_still_do(audiences):
    article = factories.article_with_evidence(sections=1, statements=1)
    _help_section(article, cited=False)
    assert submission_problems(article) == []
    factories.StatementFactory(section=article.sections.first(), order=5, text="Uncited claim.")
    assert [p.code for p in submission_problems(article)] == ["uncited"]


def test_help_box_is_in_the_snapshot_the_diff_and_the_page(client, audiences):
    article = factories.article_with_evidence(slug="with-help", sections=1, statements=1)
    before = build_snapshot(article)
    _help_section(article, cited=True)
    snapshot = build_snapshot(article)
    assert [s["kind"] for s in snapshot["sections"]][-1] == SectionKind.HELP
    diff = revision_diff(before, snapshot)
    added = [s for s in diff.sections if s.kind == "added"]
    assert added and added[0].heading == "When to get help"
    # The board reads the added wording rendered, not as raw Markdown.
    assert "<strong><ins>chest pain</ins></strong>" in added[0].statements[0].wording
    assert "**" not in added[0].statements[0].wording

    article = factories.article_publish(article)
    html = client.get(article.get_absolute_url()).content.decode()
    box = re.search(r'<section class="help-box[^"]*" role="region"[^>]*>.*?</section>', html, re.S)
    assert box is not None
    assert "<strong>chest pain</strong>" in box.group(0)
    assert 'aria-labelledby="section-2"' in box.group(0)


def test_citation_marker_lists_numbers_in_ascending_order(audiences):
    first, second = factories.ReferenceFactory(), factories.ReferenceFactory()
    article = factories.article_with_evidence(sections=1, statements=1, references=[first])
    statement = article.sections.first().statements.first()
    factories.StatementFactory(section=statement.section, order=1)
    later = statement.section.statements.get(order=1)
    factories.CitationFactory(statement=later, reference=second, order=0)
    factories.CitationFactory(statement=later, reference=first, order=1)
    content = page_content(build_snapshot(article), None)
    assert content.sections[0].statements[1].citations == (1, 2)


def test_search_snippet_shows_text_not_markdown(audiences):
    factories.article_publish(
        factories.article_with_evidence(
            slug="md", summary="Stretch **gently** and see [a doctor](https://example.org) soon."
        )
    )
    snippet = str(search_articles("gently")[0].snippet)
    assert "**" not in snippet and "](" not in snippet
    assert "<mark>gently</mark>" in snippet
    assert "see a doctor soon" in snippet


def test_favicon_is_served_and_linked(client, audiences):
    assert finders.find("favicon.svg")
    html = client.get("/").content.decode()
    assert re.search(r'<link rel="icon" href="/static/favicon\.svg', html)


@pytest.fixture
def demo():
    call_command("seed_demo", "--demo", stdout=StringIO())
    return Article.objects.get(slug="foot-cramps-during-exercise")


def test_demo_article_answers_the_question_with_cited_prevention_and_relief(client, demo):
    snapshot = demo.displayed_revision.snapshot
    statements = [s for section in snapshot["sections"] for s in section["statements"]]
    headings = [s["text"] for s in statements if s["style"] == "subheading"]
    assert "How to prevent cramps" in headings and "Relief during a cramp" in headings
    evidence = [
        s
        for section in snapshot["sections"]
        if section["kind"] != SectionKind.HELP
        for s in section["statements"]
        if s["style"] != "subheading"
    ]
    assert all(s["citations"] for s in evidence)
    assert any("within minutes" in s["text"] and s["citations"] for s in evidence)
    html = client.get(DEMO).content.decode()
    markers = re.findall(r'<sup class="cite">\[(.*?)\]</sup>', html)
    for marker in markers:
        numbers = [int(n) for n in re.findall(r">(\d+)</a>", marker)]
        assert numbers == sorted(numbers)
    assert "When to get help" in html and "chest pain" in html


def test_demo_references_are_complete(client, demo):
    snapshot = demo.displayed_revision.snapshot
    by_title = {ref["title"]: ref for ref in snapshot["references"].values()}
    trial = by_title[next(t for t in by_title if t.startswith("Influence of hydration"))]
    assert "Jung AP" in trial["formatted"] and "2005;40(2):71-75" in trial["formatted"]
    assert trial["evidence_grade"] == "low"
    review = by_title["Muscle cramps"]
    assert "2005;32(4):431-442" in review["formatted"]


def test_demo_articles_have_fitting_disclaimers(client, demo):
    html = client.get(DEMO).content.decode()
    assert "about muscle cramps" in html
    approved = client.get("/articles/are-exercise-cramps-caused-by-dehydration/")
    assert approved.status_code == HTTPStatus.OK
    text = approved.content.decode()
    assert "drinking during exercise" in text and "about muscle cramps" not in text
