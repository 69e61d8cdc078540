import re
from http import HTTPStatus

import pytest

from articles.models import Article, Statement
from articles.selectors import number_references, page_content
from articles.services import revision_create
from articles.snapshots import build_snapshot, content_hash
from tests.factories import (
    AudienceFactory,
    CitationFactory,
    EvidenceSectionFactory,
    ReferenceFactory,
    StatementFactory,
    StatementVariantFactory,
    article_publish,
    article_submit_for_readers,
    article_with_evidence,
    default_section_kinds,
    reopen,
)

pytestmark = pytest.mark.django_db


def _article_html(response) -> str:
    """The <article> element, without the per-response CSRF token of its forms."""
    body = response.content.decode()
    article = body[body.index("<article") : body.index("</article>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", article)


def _publish(article: Article):
    """Submit the working copy, so it is public as a pending revision."""
    article = article_submit_for_readers(article)
    return article.revision_under_review()


def test_numbering_follows_first_citation_across_sections():
    kinds = default_section_kinds()
    first, second, third = ReferenceFactory(), ReferenceFactory(), ReferenceFactory()
    guidelines = EvidenceSectionFactory(kind=kinds["guidelines"], order=0)
    research = EvidenceSectionFactory(article=guidelines.article, kind=kinds["research"], order=1)
    s1 = StatementFactory(section=guidelines, order=0)
    CitationFactory(statement=s1, reference=third, order=0)
    CitationFactory(statement=s1, reference=first, order=1)
    s2 = StatementFactory(section=research, order=0)
    CitationFactory(statement=s2, reference=second, order=0)
    CitationFactory(statement=s2, reference=third, order=1)

    snapshot = build_snapshot(guidelines.article)
    numbers = number_references(snapshot)

    assert numbers == {str(third.pk): 1, str(first.pk): 2, str(second.pk): 3}
    content = page_content(snapshot, None)
    assert [r.number for r in content.references] == [1, 2, 3]
    assert content.sections[0].statements[0].citations == (1, 2)
    # Cited as [second, third]: AMA lists a marker's numbers in ascending order, [1,3].
    assert content.sections[1].statements[0].citations == (1, 3)


def test_content_hash_is_stable_and_content_sensitive():
    article = article_with_evidence()
    snapshot = build_snapshot(article)
    assert content_hash(snapshot) == content_hash(dict(reversed(list(snapshot.items()))))
    statement = Statement.objects.filter(section__article=article).first()
    statement.text = "Changed."
    statement.save()
    assert content_hash(build_snapshot(article)) != content_hash(snapshot)


def test_revision_numbers_increase_per_article():
    article = article_with_evidence()
    assert revision_create(article=article).number == 1
    assert revision_create(article=article).number == 2
    assert revision_create(article=article_with_evidence()).number == 1


def test_page_renders_from_snapshot_not_live_tables(client):
    article = article_with_evidence(statements=2)
    article_publish(article)
    url = article.get_absolute_url()
    before = client.get(url)
    reopen(article)
    statement = Statement.objects.filter(section__article=article).first()
    original = statement.text
    statement.text = "An edit made after the snapshot."
    statement.save()
    Article.objects.filter(pk=article.pk).update(title="Edited title?")

    after = client.get(url)

    assert after.status_code == HTTPStatus.OK
    assert _article_html(after) == _article_html(before)
    assert original in _article_html(after)
    assert "An edit made after the snapshot." not in after.content.decode()
    assert "Edited title?" not in after.content.decode()


def test_page_shows_statement_html_as_text(client):
    article = article_with_evidence(sections=1, statements=1)
    statement = Statement.objects.get(section__article=article)
    typed = '<script>alert("x")</script> and <img src=x onerror=alert(1)>'
    statement.text = typed
    statement.save()
    _publish(article)

    response = client.get(article.get_absolute_url())

    statement.refresh_from_db()
    assert statement.text == typed  # stored as typed
    body = response.content.decode()
    assert "<script>alert" not in body
    assert "<img src=x" not in body
    assert "&lt;script&gt;alert" in body


def test_page_uses_audience_variant_with_fallback(client):
    AudienceFactory(slug="patient", is_default=True)
    professional = AudienceFactory(slug="professional")
    article = article_with_evidence(statements=2)
    first, second = Statement.objects.filter(section__article=article).order_by("order")[:2]
    StatementVariantFactory(statement=first, audience=professional, text="Clinician wording.")
    _publish(article)
    url = article.get_absolute_url()

    default_body = _article_html(client.get(url))
    professional_body = _article_html(client.get(url + "?audience=professional"))
    unknown_body = _article_html(client.get(url + "?audience=nonsense"))

    assert "Clinician wording." not in default_body and first.text in default_body
    assert "Clinician wording." in professional_body and first.text not in professional_body
    assert second.text in professional_body  # no variant: default text
    assert unknown_body == default_body


def test_page_of_draft_is_not_found(client):
    article = article_with_evidence()
    revision_create(article=article)
    assert client.get(article.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND


def test_page_of_archived_article_is_gone(client):
    from reviews.services import article_archive
    from tests.factories import EditorFactory

    article = article_with_evidence()
    _publish(article)
    article_archive(article=article, user=EditorFactory())
    assert client.get(article.get_absolute_url()).status_code == HTTPStatus.GONE
