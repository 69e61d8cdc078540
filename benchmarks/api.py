"""The content API at scale: drafts per second through the batch endpoint, read latency.

Run: .venv/bin/python benchmarks/api.py [ARTICLES] [BATCHES] [REPEATS]
     (defaults: 10000 articles, 5 batches of 100 drafts, 30 reads per measurement)

Uses its own temporary SQLite database (set BENCH_DATABASE_URL to use another, e.g. a scratch
PostgreSQL database). It seeds the demo site plus ARTICLES synthetic approved articles
(`seed_demo --articles`), then:
- pushes BATCHES batches of 100 two-citation drafts through POST /api/v1/drafts/batch, every
  write going through the desk's content services, and reports drafts per second;
- reads the first and a deep page of GET /api/v1/articles (cursor pagination) and one article
  (GET /api/v1/articles/<slug>), cold and warm, and a 304 revalidation, reporting the median
  latency and the SQL query count of each. The list's query count must not grow with depth.
"""

import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _draft(n: int, references: list) -> dict:
    return {
        "topic": references[0]["topic"],
        "question": f"Benchmark question {n}: does stretching prevent cramps?",
        "summary": "A benchmark summary.",
        "provenance": {"kind": "machine", "pipeline": "bench", "model": "none"},
        "sections": [
            {
                "kind": kind,
                "statements": [
                    {
                        "style": "bullet",
                        "text": f"Benchmark statement {n}.{order}.",
                        "citations": [{"doi": references[order % len(references)]["doi"]}],
                    }
                    for order in range(2)
                ],
            }
            for kind in ("guidelines", "research")
        ],
    }


def _measure(client, url: str, headers: dict, repeats: int, *, expect=200, clear=False):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(repeats):
        if clear:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, headers=headers)
            times.append(time.perf_counter() - started)
        assert response.status_code == expect, (url, response.status_code, response.content[:300])
        queries = len(captured.captured_queries)
    return statistics.median(times) * 1000, queries, response


def main(articles: int, batches: int, repeats: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = os.environ.get(
            "BENCH_DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3"
        )
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
        import django

        django.setup()
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.test import Client

        from api.tokens import token_create
        from articles.models import Article
        from articles.roles import AUTHORS
        from citations.models import Reference

        settings.VETTED_API_RATE = 1_000_000
        call_command("migrate", verbosity=0)
        call_command("seed_demo", "--demo", stdout=io.StringIO())
        started = time.perf_counter()
        call_command("seed_demo", "--demo", "--articles", str(articles), stdout=io.StringIO())
        seeded = time.perf_counter() - started
        author = get_user_model().objects.filter(groups__name=AUTHORS).first()
        _, raw = token_create(user=author, scopes=["drafts:write", "content:read"])
        headers = {"Authorization": f"Bearer {raw}"}
        topic = Article.objects.values_list("topic__slug", flat=True).first()
        references = [
            {"doi": doi, "topic": topic}
            for doi in Reference.objects.exclude(doi="").values_list("doi", flat=True)[:4]
        ]
        client = Client()
        print(f"Catalogue: {Article.objects.public().count()} public articles ({seeded:.1f}s seed)")

        times = []
        for batch in range(batches):
            body = json.dumps({"drafts": [_draft(batch * 100 + i, references) for i in range(100)]})
            started = time.perf_counter()
            response = client.post(
                "/api/v1/drafts/batch", body, content_type="application/json", headers=headers
            )
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.content[:500]
            assert response.json()["created"] == 100, response.content[:500]
        total = sum(times)
        print(
            f"Batch writes: {batches * 100} drafts in {total:.2f}s = "
            f"{batches * 100 / total:.1f} drafts/s (median batch {statistics.median(times):.2f}s)"
        )

        print(f"\n{'read':<34} {'median ms':>10} {'queries':>8}")
        first_ms, first_q, first = _measure(client, "/api/v1/articles?limit=50", headers, repeats)
        deep_cursor = first.json()["next_cursor"]
        for _ in range(articles // 100):  # walk ~half the catalogue for a deep cursor
            page = client.get(f"/api/v1/articles?limit=50&cursor={deep_cursor}", headers=headers)
            deep_cursor = page.json()["next_cursor"] or deep_cursor
        deep_ms, deep_q, _ = _measure(
            client, f"/api/v1/articles?limit=50&cursor={deep_cursor}", headers, repeats
        )
        slug = Article.objects.public().order_by("-pk").values_list("slug", flat=True).first()
        url = f"/api/v1/articles/{slug}"
        cold_ms, cold_q, article = _measure(client, url, headers, repeats, clear=True)
        warm_ms, warm_q, _ = _measure(client, url, headers, repeats)
        etag = {**headers, "If-None-Match": article["ETag"]}
        not_modified_ms, nm_q, _ = _measure(client, url, etag, repeats, expect=304)
        for label, ms, queries in [
            ("list, first page (50)", first_ms, first_q),
            ("list, deep page (50, cursor)", deep_ms, deep_q),
            ("article, cold cache", cold_ms, cold_q),
            ("article, warm cache", warm_ms, warm_q),
            ("article, If-None-Match → 304", not_modified_ms, nm_q),
        ]:
            print(f"{label:<34} {ms:>10.2f} {queries:>8}")
        assert first_q == deep_q, "the list's query count must not depend on the page's depth"


if __name__ == "__main__":
    args = [int(arg) for arg in sys.argv[1:]]
    main(*(args + [10_000, 5, 30][len(args) :]))
