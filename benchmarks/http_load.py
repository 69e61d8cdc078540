"""HTTP load: gunicorn (2 sync workers, production settings) serving the cached article page,
a bare view returning the same bytes, and the uncached page, in one run.

Run: .venv/bin/python benchmarks/http_load.py [SECONDS_PER_ROUND]   (default: 4)
     (also ``make bench-http``)

Its own SQLite database and static folder in a temporary directory; the cache is Redis at
``REDIS_URL`` (default ``redis://127.0.0.1:6379/14``, emptied first: give it a database
nothing else uses), as in production, or the local-memory cache with ``REDIS_URL=`` (empty).
The load generator is Python: several processes, each opening a new connection per request
(gunicorn's sync workers close every connection), so it is no ``wrk``: the client shares the
machine's CPUs with the server. Endpoints take turns, round after round, so a change in the
machine's load hits each of them alike; the ratio against the bare view is the figure to read.
"""

import http.client
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
CLIENT_PROCESSES = 4
ROUNDS = 3
SEED = """
from tests import factories
from articles.roles import roles_ensure
roles_ensure()
audiences = factories.default_audiences()
article = factories.article_with_evidence(
    sections=2, statements=3, slug="load-test",
    references=factories.ReferenceFactory.create_batch(6),
)
factories.StatementVariantFactory(
    statement=article.sections.first().statements.first(),
    audience=audiences["professional"], text="Clinician wording.",
)
factories.article_publish(article, reviewers=[factories.BoardMemberFactory()])
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str, headers: dict) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1", **headers})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _hammer(args) -> tuple[int, int]:
    port, path, headers, seconds = args
    done = errors = 0
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        try:
            status, _ = _get(port, path, headers)
        except OSError:
            errors += 1
            continue
        if status == 200:
            done += 1
        else:
            errors += 1
    return done, errors


def main(seconds: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        port = _free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "benchmarks.bare_site",
            "VETTED_LOCAL_SERVE": "1",
            "DATABASE_URL": f"sqlite:///{tmp}/load.sqlite3",
            "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14"),
            "DJANGO_STATIC_ROOT": f"{tmp}/static",
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "VETTED_BENCH_BARE_FILE": f"{tmp}/bare.html",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "2",
            "PYTHONPATH": str(ROOT),
        }
        run = {"cwd": ROOT, "env": env, "check": True}
        subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v0"], **run)
        subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], **run)
        subprocess.run([PY, "manage.py", "shell", "-c", SEED], **run, stdout=subprocess.DEVNULL)
        if env["REDIS_URL"]:
            flush = "from django.core.cache import cache; cache.clear()"
            subprocess.run([PY, "manage.py", "shell", "-c", flush], **run)
        server = subprocess.Popen(
            [PY, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi:application"],
            cwd=ROOT,
            env={**env, "GUNICORN_CMD_ARGS": "--log-level warning"},
            # Each request still writes its log line (as in production); nobody reads it here.
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(100):
                try:
                    status, body = _get(port, "/articles/load-test/", {})
                    break
                except OSError:
                    time.sleep(0.2)
            else:
                raise SystemExit("gunicorn did not answer")
            assert status == 200, status
            Path(env["VETTED_BENCH_BARE_FILE"]).write_bytes(body)
            endpoints = {
                "cached article page": ("/articles/load-test/", {}),
                "cached, audience cookie": (
                    "/articles/load-test/",
                    {"Cookie": "vetted_audience=professional"},
                ),
                "bare view, same bytes": ("/bare/load-test/", {}),
                "uncached (flash cookie)": ("/articles/load-test/", {"Cookie": "messages=x"}),
            }
            for path, headers in endpoints.values():  # warm every worker and the cache
                for _ in range(10):
                    _get(port, path, headers)
            rates: dict[str, list[float]] = {name: [] for name in endpoints}
            failures = dict.fromkeys(endpoints, 0)
            with multiprocessing.Pool(CLIENT_PROCESSES) as pool:
                for _ in range(ROUNDS):
                    for name, (path, headers) in endpoints.items():
                        jobs = [(port, path, headers, seconds)] * CLIENT_PROCESSES
                        results = pool.map(_hammer, jobs)
                        rates[name].append(sum(done for done, _ in results) / seconds)
                        failures[name] += sum(errors for _, errors in results)
        finally:
            server.terminate()
            server.wait(timeout=30)
        bare = statistics.median(rates["bare view, same bytes"])
        print(
            f"HTTP load: gunicorn, 2 sync workers, production settings, cache "
            f"{'Redis' if env['REDIS_URL'] else 'local memory'}; {CLIENT_PROCESSES} client "
            f"processes; median of {ROUNDS} rounds of {seconds:g} s; page {len(body)} bytes\n"
        )
        print(f"{'endpoint':<26} {'req/s':>8} {'vs bare':>8} {'errors':>7}")
        print("-" * 52)
        for name in endpoints:
            rate = statistics.median(rates[name])
            print(f"{name:<26} {rate:>8.0f} {rate / bare:>7.2f}x {failures[name]:>7}")


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 4.0)
