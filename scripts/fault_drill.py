"""Fault drill: restart PostgreSQL under load and measure what readers see (`make drill`).

For each database mode (persistent connections, then ``?pool=true``) it:

1. starts gunicorn (2 workers, config.settings.production with the local-serve defaults)
   against a throwaway PostgreSQL cluster and a throwaway Redis, both created here;
2. runs a load of reader requests from several threads: a seeded article page, the home page
   and /healthz;
3. stops PostgreSQL (fast shutdown), waits, starts it again, and keeps the load running;
4. reports the requests made during the outage by status, their median and longest latency,
   any 500 (there must be none), and the seconds from the database being back to the first
   database-backed 200 and to steady 200s (the target is 5 s, with no gunicorn restart).

Needs: PostgreSQL's server programs (``initdb``, ``pg_ctl``; found through ``pg_config
--bindir`` or /usr/lib/postgresql/*/bin), ``redis-server``, and the project's virtualenv.
Run as root, the cluster is run as the ``postgres`` user (initdb refuses root). Nothing on
the machine's own PostgreSQL or Redis is touched; everything is removed at the end.

Usage: .venv/bin/python scripts/fault_drill.py [--outage SECONDS] [--threads N]
"""

import argparse
import contextlib
import http.client
import json
import os
import pwd
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
TARGET_RECOVERY_SECONDS = 5.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def pg_bindir() -> Path:
    candidates = []
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        candidates.append(
            Path(subprocess.check_output(["pg_config", "--bindir"], text=True).strip())
        )
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for bindir in candidates:
        if (bindir / "initdb").exists() and (bindir / "pg_ctl").exists():
            return bindir
    sys.exit("error: the drill needs PostgreSQL's server programs (initdb, pg_ctl); none found.")


class Cluster:
    """A PostgreSQL cluster of our own in a temporary directory, trust auth, loopback only."""

    def __init__(self, workdir: Path) -> None:
        self.bindir = pg_bindir()
        self.data = workdir / "pgdata"
        self.sockets = workdir / "pgsock"
        self.log = workdir / "postgres.log"
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # initdb refuses root: run the cluster as the postgres user
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                sys.exit("error: running as root, the drill needs a `postgres` user for initdb.")
            for path in (workdir,):
                os.chown(path, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self._run("mkdir", "-p", str(self.sockets))

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*self.as_user, *command], check=check, capture_output=True, text=True, timeout=120
        )

    def _pg_ctl(self, *args: str) -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), *args)

    def init(self) -> None:
        self._run(
            str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres",
            "--auth=trust", "--no-sync", "-E", "UTF8",
        )  # fmt: skip

    def start(self) -> None:
        options = f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._pg_ctl("-w", "-o", options, "start")

    def stop(self) -> None:
        self._pg_ctl("-w", "-m", "fast", "stop")

    def url(self, name: str, *, pool: bool) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}" + ("?pool=true" if pool else "")


@dataclass
class Sample:
    started: float
    ended: float
    path: str
    status: int  # 0: no answer at all (connection error or timeout)
    database_ok: bool

    @property
    def latency(self) -> float:
        return self.ended - self.started


def fetch(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=35)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        return response.status, response.read()
    except OSError:
        return 0, b""
    finally:
        connection.close()


def database_ok(path: str, status: int, body: bytes) -> bool:
    """Did this answer need and get the database? /healthz says so in its JSON."""
    if path == "/healthz":
        with contextlib.suppress(ValueError, KeyError):
            return json.loads(body)["database"]["status"] == "ok"
        return False
    return status == 200


class Load:
    def __init__(self, port: int, paths: list[str], threads: int) -> None:
        self.port, self.paths, self.threads = port, paths, threads
        self.samples: list[Sample] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._workers = [threading.Thread(target=self._run, args=(i,)) for i in range(threads)]

    def _run(self, offset: int) -> None:
        turn = offset
        while not self._stop.is_set():
            path = self.paths[turn % len(self.paths)]
            turn += 1
            started = time.monotonic()
            status, body = fetch(self.port, path)
            sample = Sample(
                started, time.monotonic(), path, status, database_ok(path, status, body)
            )
            with self._lock:
                self.samples.append(sample)

    def __enter__(self):
        for worker in self._workers:
            worker.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for worker in self._workers:
            worker.join()


def manage(env: dict, *args: str) -> None:
    result = subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    if result.returncode:
        sys.exit(f"error: manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")


def worker_pids(master: int) -> set[int]:
    """gunicorn's worker processes: a worker that died and was replaced shows up here."""
    listing = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True)
    return {int(pid) for pid in listing.stdout.split()}


def wait_until(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    sys.exit(f"error: timed out waiting for {what}")


def drill_one(cluster: Cluster, base_env: dict, *, pool: bool, outage: float, threads: int):
    env = {**base_env, "DATABASE_URL": cluster.url("vetted_drill", pool=pool)}
    port = free_port()
    env["GUNICORN_BIND"] = f"127.0.0.1:{port}"
    log_path = Path(base_env["DRILL_DIR"]) / f"gunicorn-{'pool' if pool else 'plain'}.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [PY, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi:application"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    try:
        wait_until(lambda: database_ok("/healthz", *fetch(port, "/healthz")), 60, "gunicorn")
        status, home = fetch(port, "/")
        match = re.search(rb'href="(/articles/[a-z0-9-]+/)"', home)
        if status != 200 or not match:
            sys.exit("error: the seeded home page lists no article")
        paths = [match.group(1).decode(), "/", "/healthz"]
        workers_before = worker_pids(server.pid)
        with Load(port, paths, threads) as load:
            time.sleep(3)
            down_at = time.monotonic()
            cluster.stop()
            time.sleep(outage)
            cluster.start()  # returns once the server accepts connections
            up_at = time.monotonic()
            time.sleep(12)
        if server.poll() is not None:
            sys.exit("error: gunicorn stopped during the drill")
        result = summarize(load.samples, down_at, up_at, pool=pool, cached_path=paths[0])
        result["workers_replaced"] = len(workers_before - worker_pids(server.pid))
        return result
    finally:
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=30)


def summarize(
    samples: list[Sample], down_at: float, up_at: float, *, pool: bool, cached_path: str
) -> dict:
    during = [s for s in samples if down_at <= s.started < up_at]
    by_status: dict[int, int] = {}
    for sample in during:
        by_status[sample.status] = by_status.get(sample.status, 0) + 1
    failed = [s for s in during if s.status != 200]
    latencies = [s.latency for s in failed] or [0.0]
    # Recovery: requests that need the database (the home page and /healthz's database part;
    # the article page is served from Redis while it is cached).
    after = sorted(
        (s for s in samples if s.ended >= up_at and s.path != cached_path), key=lambda s: s.ended
    )
    first_ok = next((s.ended - up_at for s in after if s.database_ok), None)
    last_bad = max((s.ended - up_at for s in after if not s.database_ok), default=0.0)
    steady = max(last_bad, first_ok or 0.0)
    return {
        "mode": "pool=true" if pool else "persistent",
        "requests": len(samples),
        "outage_seconds": round(up_at - down_at, 1),
        "during_outage": dict(sorted(by_status.items())),
        "outage_median_ms": round(statistics.median(latencies) * 1000, 1),
        "outage_max_ms": round(max(latencies) * 1000, 1),
        "errors_500": sum(1 for s in samples if s.status >= 500 and s.status != 503),
        "no_answer": sum(1 for s in samples if s.status == 0),
        "first_200_s": None if first_ok is None else round(first_ok, 2),
        "steady_200_s": round(steady, 2),
    }


def print_table(results: list[dict]) -> None:
    columns = [
        ("mode", "mode"),
        ("requests", "requests"),
        ("outage_seconds", "outage s"),
        ("during_outage", "during outage (status: count)"),
        ("outage_median_ms", "non-200 median ms"),
        ("outage_max_ms", "non-200 max ms"),
        ("errors_500", "5xx but 503"),
        ("no_answer", "no answer"),
        ("workers_replaced", "workers replaced"),
        ("first_200_s", "first 200 after up, s"),
        ("steady_200_s", "steady 200s after up, s"),
    ]
    rows = [[label for _, label in columns]]
    for result in results:
        cells = []
        for key, _ in columns:
            value = result[key]
            if isinstance(value, dict):
                value = ", ".join(f"{status or 'none'}: {count}" for status, count in value.items())
            cells.append(str(value))
        rows.append(cells)
    widths = [max(len(row[i]) for row in rows) for i in range(len(columns))]
    lines = [
        "| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |"
        for row in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    print("\n".join(lines))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outage", type=float, default=3.0, help="seconds PostgreSQL stays down")
    parser.add_argument("--threads", type=int, default=6, help="concurrent reader threads")
    args = parser.parse_args()
    if not shutil.which("redis-server"):
        sys.exit("error: the drill needs redis-server on PATH.")

    workdir = Path(tempfile.mkdtemp(prefix="vetted-drill-"))
    os.chmod(workdir, 0o755)
    cluster = Cluster(workdir)
    redis_port = free_port()
    redis = None
    try:
        print(f"PostgreSQL cluster on port {cluster.port}, Redis on {redis_port}, in {workdir}")
        cluster.init()
        cluster.start()
        redis = subprocess.Popen(
            ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(workdir)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "VETTED_"))}
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.production",
            VETTED_LOCAL_SERVE="1",
            DATABASE_URL=cluster.url("vetted_drill", pool=False),
            REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
            DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            DJANGO_STATIC_ROOT=str(workdir / "static"),
            WEB_CONCURRENCY="2",
            DRILL_DIR=str(workdir),
        )
        print("Creating the database, migrating, seeding the demo, collecting static files")
        subprocess.run(
            [*cluster.as_user, str(cluster.bindir / "createdb"), "-h", "127.0.0.1",
             "-p", str(cluster.port), "-U", "postgres", "vetted_drill"],
            check=True,
        )  # fmt: skip
        manage(env, "migrate", "--noinput")
        manage(env, "setup_roles")
        manage(env, "seed_demo", "--demo")  # a throwaway site: the demo accounts are fine
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        results = []
        for pool in (False, True):
            print(f"Drill: {'pool=true' if pool else 'persistent connections'} …", flush=True)
            results.append(
                drill_one(cluster, env, pool=pool, outage=args.outage, threads=args.threads)
            )
        print()
        print_table(results)
        ok = all(
            r["errors_500"] == 0
            and r["no_answer"] == 0
            and r["workers_replaced"] == 0
            and r["first_200_s"] is not None
            and r["steady_200_s"] <= TARGET_RECOVERY_SECONDS
            for r in results
        )
        print(
            "\nPASS: no 500, service back within 5 s without a restart"
            if ok
            else "\nFAIL: see the table (target: no 500, steady 200s within 5 s)"
        )
        return 0 if ok else 1
    finally:
        if redis is not None:
            redis.terminate()
            redis.wait(timeout=10)
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
