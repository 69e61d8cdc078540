"""The board's queue at volume: the article changelist's filters and sorts and the editors'
workload page, with thousands of pending articles and assignments.

Run: .venv/bin/python benchmarks/board_queue.py [SIZE ...]     (default: 500 5000 pending articles)
     BENCH_DATABASES=sqlite,postgres   which databases (default: both; postgres needs the
                                        local server at 127.0.0.1:5432, user postgres, trust)
     BENCH_REPEATS=15                   requests per page (median reported)

Each size gets a fresh database: migrate, `seed_demo`, `seed_demo --articles SIZE`; then every
synthetic article is put back in the board's hands (status submitted, in bulk) and given two
assignments, one of them to the measured member, a third of them overdue. Pages are requested
in-process through the full middleware stack, DEBUG off, cache cleared before each request.
The claim (issue 12): queries flat and time within 2x as the queue grows tenfold; the smallest
size is the baseline, measured in the same run.
"""

import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.sizes import pg_database, run_child, size_table  # noqa: E402

PAGES = [
    ("queue (editor)", "editor", "/admin/articles/article/"),
    ("awaiting my review", "member", "/admin/articles/article/?queue=mine"),
    ("assignment overdue", "editor", "/admin/articles/article/?queue=late"),
    ("due: not assigned", "editor", "/admin/articles/article/?due=unassigned"),
    ("sort: waiting", "editor", "/admin/articles/article/?o=4"),
    ("sort: due date", "editor", "/admin/articles/article/?o=6"),
    ("filter: revision 2+", "editor", "/admin/articles/article/?revision=later"),
    ("filter: open comments", "editor", "/admin/articles/article/?comments=open"),
    ("board workload", "editor", "/admin/reviews/reviewassignment/overview/"),
]


def _pending_queue():
    """Put the synthetic articles in the board's hands and assign them, in bulk."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.utils import timezone

    from articles.models import Article, Revision
    from articles.roles import BOARD, EDITORS
    from reviews.models import BoardMember, ReviewAssignment

    users = get_user_model().objects
    editor = users.create_user("bench-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS))
    members = []
    for name in ("bench-member", "bench-second"):
        user = users.create_user(name, is_staff=True, email=f"{name}@example.org")
        user.groups.add(Group.objects.get(name=BOARD))
        members.append(BoardMember.objects.create(user=user, credentials="MD", specialty="GP"))
    synthetic = Article.objects.exclude(live_revision=None).filter(slug__startswith="synthetic")
    synthetic.update(status=Article.Status.SUBMITTED)
    revisions = dict(Revision.objects.filter(article__in=synthetic).values_list("article_id", "pk"))
    now = timezone.now()
    rows = []
    for index, (article_id, revision_id) in enumerate(sorted(revisions.items())):
        for member in members:
            due = now - timedelta(days=1) if index % 3 == 0 else now + timedelta(days=index % 9)
            rows.append(
                ReviewAssignment(
                    article_id=article_id,
                    revision_id=revision_id,
                    member=member,
                    assigned_by=editor,
                    due_at=due,
                )
            )
    # bulk_create skips the model's save() guard: these members may decide on every article.
    # Assigned ten days ago, so that the overdue ones are due after they were assigned (a
    # database check).
    with mock.patch("django.utils.timezone.now", return_value=now - timedelta(days=10)):
        ReviewAssignment.objects.bulk_create(rows, batch_size=1000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return editor, members[0].user


def measure(size: int, repeats: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article

    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--demo", stdout=io.StringIO())
    call_command("seed_demo", "--demo", "--articles", str(size), stdout=io.StringIO())
    editor, member = _pending_queue()
    clients = {"editor": Client(), "member": Client()}
    clients["editor"].force_login(editor)
    clients["member"].force_login(member)
    rows = []
    for name, who, url in PAGES:
        client = clients[who]
        client.get(url)  # warm the process (templates, imports)
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
                "queries": len(queries),
                "ms": statistics.median(times),
            }
        )
    pending = Article.objects.filter(status__in=["submitted", "under_review"]).count()
    return {"vendor": connection.vendor, "pending": pending, "rows": rows}


def main(sizes: list[int]) -> None:
    repeats = int(os.environ.get("BENCH_REPEATS", "15"))
    for vendor in os.environ.get("BENCH_DATABASES", "sqlite,postgres").split(","):
        results = []
        for size in sizes:
            with tempfile.TemporaryDirectory() as tmp:
                if vendor == "sqlite":
                    url = f"sqlite:///{tmp}/bench.sqlite3"
                else:
                    url = pg_database(f"vetted_bench_queue_{size}")
                results.append(run_child(__file__, url, size, repeats))
        title = "queries and median ms by pending articles"
        size_table(results, size="pending", extra="status", title=title)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(measure(int(sys.argv[2]), int(sys.argv[3]))))
    else:
        main([int(arg) for arg in sys.argv[1:]] or [500, 5000])
