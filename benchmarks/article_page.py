"""The public article page: SQL queries and render time, cold and warm cache, small vs large.

Run: .venv/bin/python benchmarks/article_page.py [REPEATS]   (default: 20)
Uses its own temporary SQLite database. The query count must be the same for every size
(the page reads one JSON snapshot); the warm time shows the per-(revision, audience) cache.
"""

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


def _timed(client, url: str, *, clear_cache: bool, repeats: int) -> tuple[float, int]:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(repeats):
        if clear_cache:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        queries = len(captured.captured_queries)
    return statistics.median(times) * 1000, queries


def main(repeats: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client

        from articles.roles import roles_ensure
        from tests import factories

        call_command("migrate", verbosity=0)
        roles_ensure()
        factories.default_audiences()
        reviewer = factories.BoardMemberFactory()
        client = Client()
        print(f"repeats per figure: {repeats} (median shown)\n")
        header = (
            f"{'article':>8} {'statements':>10} {'refs':>5} {'queries':>8} "
            f"{'cold ms':>8} {'warm ms':>8} {'warm q':>7}"
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
            article = factories.article_publish(article, reviewers=[reviewer])
            url = article.get_absolute_url()
            cold_ms, cold_queries = _timed(client, url, clear_cache=True, repeats=repeats)
            client.get(url)
            warm_ms, warm_queries = _timed(client, url, clear_cache=False, repeats=repeats)
            print(
                f"{label:>8} {sections * statements:>10} {refs:>5} {cold_queries:>8} "
                f"{cold_ms:>8.1f} {warm_ms:>8.1f} {warm_queries:>7}"
            )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
