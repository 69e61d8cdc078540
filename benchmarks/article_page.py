"""The public article page in-process: uncached, cached (with and without an audience cookie)
and a bare view returning the same bytes through the same middleware, in one run.

Run: .venv/bin/python benchmarks/article_page.py [REPEATS]   (default: 60; median shown)
Uses its own temporary SQLite database and the test settings (local-memory cache).

Columns, per article size:
- ``cold``: every cache emptied before each request (audiences, disclaimers, facts, pages);
- ``changed``: the page's stored copies retired (page_cache.article_changed, as after a
  re-review, a retraction or an archive), the site-wide caches warm: the render the first
  reader pays after a change (a new approval also re-reads the board's record: +3 queries);
- ``miss``: only the stored page gone (evicted, a new deploy, another audience's first
  read), the data around it still kept;
- ``cached``: a stored page, no cookie; ``cached+cookie``: the same with an audience cookie
  choosing another wording; ``bare``: a view that returns those bytes and nothing else.
Ratios are against ``bare`` in the same run, so the machine's load cancels out.
"""

import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = [  # label, sections, statements per section, distinct references
    ("small", 2, 3, 6),
    ("medium", 3, 10, 20),
    ("large", 6, 20, 60),
]
BARE_BYTES = {"body": b""}
urlpatterns: list = []  # filled in main(): this module is the benchmark's URLconf


def bare_view(request, slug):
    from django.http import HttpResponse

    return HttpResponse(BARE_BYTES["body"])


def _median(client, url: str, repeats: int, *, before=None, expect=200, **extra) -> tuple:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries, size = [], 0, 0
    for _ in range(repeats):
        if before is not None:
            before()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, **extra)
            times.append(time.perf_counter() - started)
        assert response.status_code == expect, (url, response.status_code)
        queries, size = len(captured.captured_queries), len(response.content)
    return statistics.median(times) * 1000, queries, size


def main(repeats: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
        import django

        django.setup()
        logging.disable(logging.INFO)  # the request log line is the same for every column
        from django.conf import settings
        from django.core.cache import cache
        from django.core.management import call_command
        from django.test import Client
        from django.urls import clear_url_caches, include, path

        from articles import page_cache
        from articles.audiences import AUDIENCE_COOKIE
        from articles.roles import roles_ensure
        from tests import factories

        # Last, and shaped like an article address: URL resolution costs both the same.
        urlpatterns[:] = [path("", include("config.urls")), path("bare/<slug:slug>/", bare_view)]
        settings.ROOT_URLCONF = __name__
        clear_url_caches()
        call_command("migrate", verbosity=0)
        roles_ensure()
        audiences = factories.default_audiences()
        reviewer = factories.BoardMemberFactory()
        client = Client()
        print(f"Article page, in-process: median of {repeats} requests per figure (ms)\n")
        header = (
            f"{'article':>7} {'refs':>4} {'cold':>6} {'q':>2} {'changed':>7} {'q':>2} "
            f"{'miss':>5} {'q':>2} "
            f"{'cached':>6} {'+cookie':>7} {'q':>2} {'bare':>6} {'cached/bare':>11} "
            f"{'cookie/bare':>11} {'bytes':>6}"
        )
        print(header)
        print("-" * len(header))
        for label, sections, statements, refs in SIZES:
            article = factories.article_with_evidence(
                sections=sections,
                statements=statements,
                slug=f"bench-{label}",
                references=factories.ReferenceFactory.create_batch(refs),
            )
            first = article.sections.first().statements.first()
            factories.StatementVariantFactory(
                statement=first, audience=audiences["professional"], text="Clinician wording."
            )
            article = factories.article_publish(article, reviewers=[reviewer])
            url = article.get_absolute_url()
            cold, cold_q, _ = _median(client, url, repeats, before=cache.clear)
            client.get(url)
            uncached, uncached_q, size = _median(
                client,
                url,
                repeats,
                before=lambda slug=article.slug: page_cache.article_changed(slug),
            )
            miss, miss_q, _ = _median(
                client,
                url,
                repeats,
                before=lambda slug=article.slug: cache.delete(page_cache._pointer_key(slug)),
            )
            client.get(url)
            cached, cached_q, size = _median(client, url, repeats)
            client.cookies[AUDIENCE_COOKIE] = "professional"
            client.get(url)
            cookie, cookie_q, _ = _median(client, url, repeats)
            del client.cookies[AUDIENCE_COOKIE]
            BARE_BYTES["body"] = client.get(url).content
            bare, _, _ = _median(client, f"/bare/{article.slug}/", repeats)
            assert cached_q == cookie_q == 0, (cached_q, cookie_q)
            print(
                f"{label:>7} {refs:>4} {cold:>6.2f} {cold_q:>2} {uncached:>7.2f} {uncached_q:>2} "
                f"{miss:>5.2f} {miss_q:>2} "
                f"{cached:>6.2f} {cookie:>7.2f} {cached_q:>2} {bare:>6.2f} "
                f"{cached / bare:>10.2f}x {cookie / bare:>10.2f}x {size:>6}"
            )
        print(
            "\nTargets: cached and cached+cookie within 1.5x of bare; queries the same for 6, 20 "
            "and 60 references. Old-versus-new figures: README, Speed."
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 60)
