"""The public site at scale: bytes, SQL queries and median time of each bounded page.

Run: .venv/bin/python benchmarks/scale.py [SIZE ...]        (default: 1000 10000)
     BENCH_DATABASES=sqlite,postgres   which databases (default: both; postgres needs the
                                        local server at 127.0.0.1:5432, user postgres, trust)
     BENCH_REPEATS=30                   requests per page (median reported)
     BENCH_REUSE=postgres://.../db1,...  measure already seeded databases instead (size = their
                                        article count); e.g. ones made by
                                        `seed_demo --demo --articles 100000`; the last table
                                        puts them side by side, with the ratio of the largest
                                        to the smallest (SQLite URLs work too)

Each size gets a fresh database: migrate, `seed_demo`, then `seed_demo --articles SIZE`
(synthetic approved articles over eight topics). Pages are requested in-process through the
full middleware stack with Django's test client, DEBUG off, the cache cleared before each
request. The targets (issue 9): bytes and queries flat as the catalogue grows; time within 2x
from 1,000 to 100,000; search within 50 ms on PostgreSQL at 100,000.

The deep topic page is timed twice: ``?page=50`` (an old numbered link: one index walk to the
50th page's start, then a redirect) and the keyset page it redirects to (``?after=``), which is
what the Next links use. Below 2,500 articles in the topic, the last page stands in for page 50.
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
from benchmarks.sizes import pg_database, run_child, size_table  # noqa: E402

FOLLOW = "follow the redirect above"
DEEP = "/topics/muscle-cramps/?page={deep}"
PAGES = [
    ("home", "/"),
    ("topic, page 1", "/topics/muscle-cramps/"),
    # ?page=50 answers with a redirect to the keyset page at the same place; both are timed.
    # A smaller catalogue has fewer pages: its last one stands in (the "deep page" row).
    ("topic, ?page=50 (redirect)", DEEP),
    ("topic, page 50 (?after=)", FOLLOW),
    ("search: common word", "/search/?q=cramps"),
    ("search: rare word", "/search/?q=myokymia"),
    ("search: common, page 5", "/search/?q=cramps&page=5"),
    ("sitemap index", "/sitemap.xml"),
    ("sitemap section (1,000 URLs)", "/sitemap-articles.xml"),
    ("feed", "/feeds/latest/"),
    ("board", "/board/"),
    ("admin changelist", "/admin/articles/article/"),
    ("desk dashboard (author)", "/desk/"),
]


def measure(size: int, repeats: int, seed: bool) -> dict:
    """In this process: seed if asked, then time every page. Returns rows as a dict."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article

    settings.DEBUG = False
    seconds = None
    if seed:
        call_command("migrate", verbosity=0)
        call_command("seed_demo", "--demo", stdout=io.StringIO())
        started = time.perf_counter()
        call_command("seed_demo", "--demo", "--articles", str(size), stdout=io.StringIO())
        seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    admin, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    author = get_user_model().objects.get(username="author")
    clients = {"admin": Client(), "author": Client(), "reader": Client()}
    clients["admin"].force_login(admin)
    clients["author"].force_login(author)
    rows = []
    previous = ""
    for name, url in PAGES:
        if url == FOLLOW:
            url = clients["reader"].get(previous)["Location"]
        elif url == DEEP:
            listed = Article.objects.public().filter(listing_topic__slug="muscle-cramps").count()
            url = DEEP.format(deep=min(50, max(2, -(-listed // 50))))
        previous = url
        client = clients[
            "admin" if url.startswith("/admin/") else "author" if "desk" in url else "reader"
        ]
        client.get(url)  # warm the process (templates, imports), not the page cache
        times = []
        for _ in range(repeats):
            cache.clear()
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        rows.append(
            {
                "page": name,
                "status": response.status_code,
                "bytes": len(response.content),
                "queries": len(queries),
                "ms": statistics.median(times),
            }
        )
    return {
        "vendor": connection.vendor,
        "articles": Article.objects.count(),
        "seed_seconds": seconds,
        "rows": rows,
    }


def _run_child(database_url: str, size: int, repeats: int, seed: bool) -> dict:
    return run_child(__file__, database_url, size, repeats, "1" if seed else "0")


def _print(results: list[dict]) -> None:
    for result in results:
        seeded = f", seeded in {result['seed_seconds']:.0f} s" if result["seed_seconds"] else ""
        print(f"\n{result['vendor']}, {result['articles']:,} articles{seeded}")
        print(f"{'page':<30} {'status':>6} {'bytes':>8} {'queries':>7} {'median ms':>9}")
        for row in result["rows"]:
            print(
                f"{row['page']:<30} {row['status']:>6} {row['bytes']:>8} {row['queries']:>7}"
                f" {row['ms']:>9.1f}"
            )


def _compare(results: list[dict]) -> None:
    """One vendor's runs side by side, with the largest/smallest ratio."""
    if len(results) < 2:
        return
    largest = max(result["articles"] for result in results)
    title = f"bytes and queries at {largest:,}; median ms by size"
    size_table(results, size="articles", extra="bytes", title=title)


def main(sizes: list[int]) -> None:
    repeats = int(os.environ.get("BENCH_REPEATS", "30"))
    reuse = os.environ.get("BENCH_REUSE")
    if reuse:
        results = []
        for url in reuse.split(","):
            results.append(_run_child(url, 0, repeats, seed=False))
            _print(results[-1:])
        _compare(results)
        return
    databases = os.environ.get("BENCH_DATABASES", "sqlite,postgres").split(",")
    results = []
    for vendor in databases:
        for size in sizes:
            with tempfile.TemporaryDirectory() as tmp:
                if vendor == "sqlite":
                    url = f"sqlite:///{tmp}/bench.sqlite3"
                else:
                    url = pg_database(f"vetted_bench_{size}")
                results.append(_run_child(url, size, repeats, seed=True))
            _print(results[-1:])
    print("\nSame pages, all runs: bytes and queries should not grow with the catalogue.")
    _print(results)
    for vendor in databases:
        _compare([result for result in results if result["vendor"].startswith(vendor[:6])])


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        size, repeats, seed = (int(value) for value in sys.argv[2:5])
        print(json.dumps(measure(size, repeats, bool(seed))))
    else:
        main([int(arg) for arg in sys.argv[1:]] or [1000, 10000])
