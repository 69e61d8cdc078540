"""The cached article page under a threaded server: each thread gets its own audience's
wording while the per-process pointer memo is shared, and an archive that commits mid-stream
turns every later answer into a 410."""

import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache

from articles.audiences import AUDIENCE_COOKIE
from reviews.services import article_archive
from tests import factories

# PostgreSQL only: on SQLite the live server's threads share the test's one in-memory
# connection, which cannot serve concurrent queries (InterfaceError), whatever the code does.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

THREADS = 8
ROUNDS = 15
CLINICIAN = "Clinician wording for the threaded test."


def _fetch(url: str, cookie: str | None) -> tuple[int, str]:
    headers = {"Cookie": f"{AUDIENCE_COOKIE}={cookie}"} if cookie else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_threads_get_their_own_wording_then_410_after_archive(live_server, roles):
    audiences = factories.default_audiences()
    member = factories.BoardMemberFactory()
    article = factories.article_with_evidence(slug="threaded-page")
    statement = article.sections.first().statements.first()
    factories.StatementVariantFactory(
        statement=statement, audience=audiences["professional"], text=CLINICIAN
    )
    article = factories.article_publish(article, reviewers=[member])
    cache.clear()
    url = f"{live_server.url}{article.get_absolute_url()}"
    cookies = [None, "professional", "patient", None, "professional", "patient", None, None]
    start = threading.Barrier(THREADS)

    def reader(index: int) -> list[str]:
        cookie = cookies[index]
        problems = []
        start.wait()
        for _ in range(ROUNDS):
            status, html = _fetch(url, cookie)
            wants_clinician = cookie == "professional"
            if status != 200 or (CLINICIAN in html) != wants_clinician:
                problems.append(f"{cookie}: {status}, clinician={CLINICIAN in html}")
        return problems

    with ThreadPoolExecutor(THREADS) as pool:
        problems = [p for batch in pool.map(reader, range(THREADS)) for p in batch]
    assert problems == []

    # Archive while every audience's page and pointer are warm; the commit retires them all.
    article_archive(article=article, user=factories.EditorFactory())
    with ThreadPoolExecutor(THREADS) as pool:
        after = list(pool.map(lambda index: _fetch(url, cookies[index])[0], range(THREADS)))
    assert set(after) == {410}
