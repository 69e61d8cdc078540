from http import HTTPStatus

import pytest
from django.urls import reverse

from articles.models import (
    STATEMENT_MAX_LENGTH,
    Article,
    ArticleSummaryVariant,
    EvidenceSection,
    Statement,
    StatementVariant,
)
from citations.models import Citation
from tests import factories

pytestmark = pytest.mark.django_db


def _version(article):
    return Article.objects.get(pk=article.pk).version


def test_article_create_makes_creator_the_author(author_client, author):
    topic = factories.TopicFactory()

    response = author_client.post(
        reverse("desk:article_create"),
        {
            "title": "  Why do my  calves cramp when I run? ",
            "topic": topic.pk,
            "summary": "Usually **fatigue**.",
        },
    )

    article = Article.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("desk:article", args=[article.pk])
    assert article.title == "Why do my calves cramp when I run?"
    assert article.slug == "why-do-my-calves-cramp-when-i-run"
    assert list(article.authors.all()) == [author]
    assert article.status == Article.Status.DRAFT


def test_article_create_oversized_title_is_form_error(author_client):
    topic = factories.TopicFactory()

    response = author_client.post(
        reverse("desk:article_create"), {"title": "Q" * 301, "topic": topic.pk}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "at most 300 characters" in response.text
    assert not Article.objects.exists()


def test_article_edit_saves_fields_and_summary_variant(author_client, draft, desk_setup):
    student = desk_setup["audiences"]["student"]

    response = author_client.post(
        reverse("desk:article", args=[draft.pk]),
        {
            "title": "A clearer question?",
            "topic": draft.topic_id,
            "summary": "New summary.",
            "variant_student": "Summary for students.",
            "version": draft.version,
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    draft.refresh_from_db()
    assert draft.title == "A clearer question?"
    assert draft.summary == "New summary."
    assert ArticleSummaryVariant.objects.get(article=draft, audience=student).text == (
        "Summary for students."
    )


def test_section_and_statement_add_bump_article_version(author_client, draft, desk_setup):
    before = draft.version
    kind = desk_setup["kinds"]["research"]

    author_client.post(
        reverse("desk:section_add", args=[draft.pk]),
        {"kind": kind.pk, "heading": "", "version": before},
    )
    section = EvidenceSection.objects.filter(article=draft).order_by("-order").first()
    middle = _version(draft)
    response = author_client.post(
        reverse("desk:statement_add", args=[draft.pk, section.pk]),
        {"style": "bullet", "text": "Stretching may help.", "version": middle},
    )

    assert response.status_code == HTTPStatus.FOUND
    assert section.heading == "From the Research"
    assert section.order == 2
    assert section.statements.get().text == "Stretching may help."
    assert before != middle != _version(draft)


def test_statement_markdown_with_script_is_stored_as_typed_and_rendered_harmless(
    author_client, draft
):
    section = draft.sections.first()
    text = "Drink <script>alert('x')</script> **water** <img src=x onerror=alert(1)>"

    author_client.post(
        reverse("desk:statement_add", args=[draft.pk, section.pk]),
        {"style": "bullet", "text": text, "version": draft.version},
    )
    page = author_client.get(reverse("desk:article", args=[draft.pk]))
    preview = author_client.get(reverse("desk:article_preview", args=[draft.pk]))

    assert Statement.objects.filter(text=text).exists()
    for response in (page, preview):
        assert "<script>alert" not in response.text
        assert "<img src=x" not in response.text
        assert "<strong>water</strong>" in response.text
        assert "&lt;script&gt;" in response.text


def test_statement_oversized_text_is_form_error_and_nothing_saved(author_client, draft):
    section = draft.sections.first()
    count = Statement.objects.count()

    response = author_client.post(
        reverse("desk:statement_add", args=[draft.pk, section.pk]),
        {"style": "bullet", "text": "x" * (STATEMENT_MAX_LENGTH + 1), "version": draft.version},
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert f"at most {STATEMENT_MAX_LENGTH} characters" in response.text
    assert Statement.objects.count() == count
    assert _version(draft) == draft.version


def test_statement_out_of_range_position_is_form_error(author_client, draft):
    statement = Statement.objects.filter(section__article=draft).first()

    response = author_client.post(
        reverse("desk:statement", args=[draft.pk, statement.pk]),
        {
            "style": "bullet",
            "text": "Changed",
            "position": 99,
            "version": draft.version,
        },
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Choose a position from 1 to 2" in response.text or "less than or equal to 2" in (
        response.text
    )
    statement.refresh_from_db()
    assert statement.text != "Changed"


def test_section_out_of_range_position_is_form_error(author_client, draft):
    section = draft.sections.first()

    response = author_client.post(
        reverse("desk:section_update", args=[draft.pk, section.pk]),
        {
            "kind": section.kind_id,
            "heading": "Moved",
            "position": 0,
            "version": draft.version,
        },
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    # The refused form comes back with what the author typed, beside its error.
    assert 'value="Moved"' in response.text
    section.refresh_from_db()
    assert section.heading != "Moved"


def test_statement_update_moves_it_and_saves_variant(author_client, draft, desk_setup):
    section = draft.sections.first()
    first, second = section.statements.order_by("order")

    response = author_client.post(
        reverse("desk:statement", args=[draft.pk, second.pk]),
        {
            "style": "paragraph",
            "text": "Lead paragraph.",
            "position": 1,
            "variant_professional": "Clinician wording.",
            "version": draft.version,
        },
    )

    assert response.status_code == HTTPStatus.FOUND
    assert list(section.statements.order_by("order").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]
    assert StatementVariant.objects.get(statement=second).text == "Clinician wording."


def test_statement_move_and_delete_renumber(author_client, draft):
    section = draft.sections.first()
    first, second = section.statements.order_by("order")

    author_client.post(
        reverse("desk:statement_move", args=[draft.pk, first.pk]),
        {"direction": "down", "version": draft.version},
    )
    assert list(section.statements.order_by("order").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]
    author_client.post(
        reverse("desk:statement_delete", args=[draft.pk, second.pk]), {"version": _version(draft)}
    )

    assert list(section.statements.values_list("pk", "order")) == [(first.pk, 0)]


def test_section_move_swaps_positions(author_client, draft):
    first, second = draft.sections.order_by("order")

    author_client.post(
        reverse("desk:section_move", args=[draft.pk, second.pk]),
        {"direction": "up", "version": draft.version},
    )

    assert list(draft.sections.order_by("order").values_list("pk", flat=True)) == [
        second.pk,
        first.pk,
    ]


def test_citation_add_search_and_order(author_client, draft):
    statement = Statement.objects.filter(section__article=draft).first()
    reference = factories.ReferenceFactory(title="Quinine for nocturnal leg cramps")

    search = author_client.get(
        reverse("desk:statement", args=[draft.pk, statement.pk]), {"q": "quinine"}
    )
    response = author_client.post(
        reverse("desk:citation_add", args=[draft.pk, statement.pk]),
        {"reference": reference.pk, "version": draft.version},
    )

    assert "Quinine for nocturnal leg cramps" in search.text
    assert response.status_code == HTTPStatus.FOUND
    citations = list(statement.citations.order_by("order"))
    assert citations[-1].reference == reference
    author_client.post(
        reverse("desk:citation_move", args=[draft.pk, statement.pk, citations[-1].pk]),
        {"direction": "up", "version": _version(draft)},
    )
    assert statement.citations.order_by("order").first().reference == reference


def test_citation_to_missing_reference_is_form_error(author_client, draft):
    statement = Statement.objects.filter(section__article=draft).first()
    before = Citation.objects.count()

    response = author_client.post(
        reverse("desk:citation_add", args=[draft.pk, statement.pk]),
        {"reference": 999999, "version": draft.version},
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "not in the library" in response.text
    assert Citation.objects.count() == before


def test_citation_to_retracted_reference_refused(author_client, draft):
    statement = Statement.objects.filter(section__article=draft).first()
    reference = factories.ReferenceFactory(retracted=True)

    response = author_client.post(
        reverse("desk:citation_add", args=[draft.pk, statement.pk]),
        {"reference": reference.pk, "version": draft.version},
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "retracted" in response.text
    assert not statement.citations.filter(reference=reference).exists()


def test_missing_statement_is_not_found(author_client, draft):
    response = author_client.post(
        reverse("desk:statement_delete", args=[draft.pk, 999999]), {"version": draft.version}
    )

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_preview_renders_public_template_with_banner(author_client, draft):
    response = author_client.get(reverse("desk:article_preview", args=[draft.pk]))

    assert response.status_code == HTTPStatus.OK
    assert "articles/article_detail.html" in [t.name for t in response.templates]
    assert "Preview" in response.text
    assert draft.title in response.text
    assert response.context["is_preview"] is True
    assert response.context["revision"] is None


def test_dashboard_lists_changes_requested_first_with_board_comment(author_client, author):
    from django.contrib.contenttypes.models import ContentType
    from django_fsm_log.models import StateLog

    older = factories.ArticleFactory(authors=[author], title="Waiting on me?")
    Article.objects.filter(pk=older.pk).update(status=Article.Status.CHANGES_REQUESTED)
    factories.ArticleFactory(authors=[author], title="Newer draft?")
    StateLog.objects.create(
        content_type=ContentType.objects.get_for_model(Article),
        object_id=older.pk,
        source_state="under_review",
        state="changes_requested",
        transition="request_changes",
        description="Please cite the 2019 review for statement 2.",
    )

    response = author_client.get(reverse("desk:dashboard"))

    text = response.text
    assert text.index("Waiting on me?") < text.index("Newer draft?")
    assert "Please cite the 2019 review for statement 2." in text
    assert [row.article.title for row in response.context["action_rows"]] == ["Waiting on me?"]


def test_dashboard_shows_board_review_comment(author_client, author, board_member):
    from articles.services import revision_create
    from reviews.models import Review

    article = factories.article_with_evidence(authors=[author], title="Reviewed question?")
    revision = revision_create(article=article)
    Review.objects.create(
        revision=revision,
        member=board_member,
        decision="request_changes",
        comment="Statement 3 overstates the trial's result.",
    )

    response = author_client.get(reverse("desk:dashboard"))

    assert "Statement 3 overstates the trial&#x27;s result." in response.text
    assert board_member.display_name in response.text
