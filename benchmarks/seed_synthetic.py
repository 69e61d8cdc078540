"""How long `seed_demo --articles N` takes, and how many SQL queries it makes, on a fresh SQLite DB.

Run: .venv/bin/python benchmarks/seed_synthetic.py [N ...]   (default: 100 1000)
The query count should stay flat as N grows: the synthetic articles go in with bulk inserts.
"""

import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        call_command("migrate", verbosity=0)
        call_command("seed_demo", stdout=io.StringIO())
        print(f"{'N':>6} {'seconds':>8} {'ms/article':>10} {'queries':>8}")
        for n in sizes:
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                call_command("seed_demo", "--articles", str(n), stdout=io.StringIO())
                elapsed = time.perf_counter() - started
            print(f"{n:>6} {elapsed:>8.2f} {1000 * elapsed / n:>10.2f} {len(queries):>8}")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [100, 1000])
