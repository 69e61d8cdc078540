"""Reloading an article never touches state that threads share.

django-fsm-2 reloads a protected state field by switching the field's protection off on the
field object, which every thread shares; another thread reading at that moment fails with
"Direct status modification is not allowed". Article.refresh_from_db reloads through the
instance instead. Both tests here failed on the code before the fix.
"""

import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import models

from articles.models import Article
from tests import factories

THREADS = 8
REQUESTS_PER_THREAD = 30


def test_refresh_from_db_never_switches_shared_protection_off(monkeypatch):
    """While an article reloads, the status field (shared by every thread) stays protected."""
    field = Article._meta.get_field("status")
    seen = []

    def recording_reload(self, using=None, fields=None, from_queryset=None):
        seen.append(field.protected)  # what any other thread would see at this moment
        self.status = Article.Status.SUBMITTED

    monkeypatch.setattr(models.Model, "refresh_from_db", recording_reload)
    articles = [Article(pk=index + 1, title="Q?", slug=f"q-{index}") for index in range(THREADS)]
    barrier = threading.Barrier(THREADS)

    def reload_many(article):
        barrier.wait()
        for _ in range(50):
            article.refresh_from_db()

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(reload_many, articles))

    assert seen and all(seen)
    assert {article.status for article in articles} == {Article.Status.SUBMITTED}
    with pytest.raises(AttributeError):
        articles[0].status = Article.Status.APPROVED


@pytest.mark.postgres
def test_threaded_server_serves_the_desk_article_without_errors(live_server, transactional_db):
    """8 threads x 30 GETs of one desk article page on the threaded live server: all 200."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from articles.roles import roles_ensure

    roles_ensure()
    factories.default_audiences()
    author = factories.AuthorFactory()
    article = factories.article_with_evidence(authors=[author])
    session = SessionStore()
    session[SESSION_KEY] = str(author.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = author.get_session_auth_hash()
    session.create()
    url = f"{live_server.url}/desk/articles/{article.pk}/"
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

    def fetch_many(_):
        statuses = []
        for _ in range(REQUESTS_PER_THREAD):
            request = urllib.request.Request(url, headers={"Cookie": cookie})
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    statuses.append(response.status)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)
        return statuses

    with ThreadPoolExecutor(THREADS) as pool:
        statuses = [status for batch in pool.map(fetch_many, range(THREADS)) for status in batch]

    assert len(statuses) == THREADS * REQUESTS_PER_THREAD
    assert set(statuses) == {200}
