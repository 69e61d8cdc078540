"""Lists read the displayed revision's question and topic from two columns on the article.

They are copied in ``Article.save()`` whenever the displayed revision changes; these tests
walk every state change that moves it, and the two doors that skip ``save()`` (the bulk seed
and migration 0012's fill).
"""

from importlib import import_module

import pytest
from django.db import connection

from articles.models import Article
from articles.services.content import article_update
from demo.synthetic import synthetic_articles_create
from reviews.services import article_archive
from tests import factories

fill = import_module("articles.migrations.0012_listing_keyset").FILL


def _listing(article: Article) -> tuple:
    article = Article.objects.get(pk=article.pk)
    return article.listing_title, article.listing_topic_id


def _shown(article: Article) -> tuple:
    revision = Article.objects.get(pk=article.pk).displayed_revision
    return (revision.title, revision.topic_id) if revision else (None, None)


@pytest.fixture
def published(audiences):
    factories.default_section_kinds()
    article = factories.article_with_evidence(title="Do cramps pass?", slug="cramps-pass")
    assert _listing(article) == (None, None)
    return factories.article_publish(article)


def test_listing_follows_a_pending_then_an_approved_revision(audiences):
    factories.default_section_kinds()
    article = factories.article_submit_for_readers(
        factories.article_with_evidence(title="Pending question?", slug="pending-q")
    )
    assert _listing(article) == _shown(article) == ("Pending question?", article.topic_id)


def test_listing_stays_on_the_live_text_while_a_new_draft_changes(published):
    article = factories.reopen(published)
    other = factories.TopicFactory()
    article_update(
        user=factories.EditorFactory(),
        article_pk=article.pk,
        version=article.version,
        title="A new question in the working copy?",
        topic=other,
        summary=article.summary,
    )
    assert _listing(article) == ("Do cramps pass?", published.topic_id)


def test_listing_moves_with_a_new_approval(client, published):
    article = factories.reopen(published)
    other = factories.TopicFactory()
    article_update(
        user=factories.EditorFactory(),
        article_pk=article.pk,
        version=article.version,
        title="Do night cramps pass?",
        topic=other,
        summary=article.summary,
    )
    article = factories.article_publish(Article.objects.get(pk=article.pk))
    assert _listing(article) == _shown(article) == ("Do night cramps pass?", other.pk)
    assert b"Do night cramps pass?" in client.get(other.get_absolute_url()).content
    assert b"cramps-pass" not in client.get(published.topic.get_absolute_url()).content


def test_archived_article_keeps_its_listing_but_leaves_the_topic_page(client, published):
    article_archive(article=published, user=factories.EditorFactory())
    assert _listing(published)[0] == "Do cramps pass?"
    assert b"cramps-pass" not in client.get(published.topic.get_absolute_url()).content


def test_save_with_update_fields_writes_the_listing_too(published):
    article = Article.objects.get(pk=published.pk)
    article.displayed_revision = None
    article.save(update_fields=["displayed_revision"])
    assert _listing(article) == (None, None)
    article.displayed_revision_id = published.live_revision_id
    article.save(update_fields=["displayed_revision_id"])
    assert _listing(article) == ("Do cramps pass?", published.topic_id)


def test_bulk_seeded_articles_carry_their_listing(audiences):
    factories.default_section_kinds()
    factories.ReferenceFactory.create_batch(2)
    synthetic_articles_create(count=5, author=factories.AuthorFactory())
    for article in Article.objects.all():
        assert _listing(article) == _shown(article)


def test_migration_fill_copies_every_displayed_revision(published):
    draft = factories.article_with_evidence(slug="never-shown")
    Article.objects.update(listing_title=None, listing_topic=None)
    with connection.cursor() as cursor:
        cursor.execute(fill)
    assert _listing(published) == _shown(published)
    assert _listing(draft) == (None, None)


def test_topic_pages_and_topic_lists_read_the_listing_index(published):
    from articles.listings import REVISION, TITLE, topic_articles
    from articles.sitemaps import TopicSitemap
    from articles.views import _public_topics

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    page = topic_articles(published.topic).order_by(TITLE, REVISION)[:51]
    # What numbered_page_cursor walks: the index alone.
    numbered = (
        Article.objects.filter(listing_topic=published.topic)
        .order_by(TITLE, REVISION)
        .values_list(REVISION, flat=True)[100:101]
    )
    for queryset in (page, numbered, _public_topics(), TopicSitemap().items()):
        assert "articles_article_listing" in queryset.explain()
