"""Before `make serve` starts anything: is PostgreSQL reachable (create the database if it is
missing), and is Redis reachable? Exits non-zero with a plain message when one is not.

Run without Django, so a missing database is created before Django ever connects to it.
Usage: python scripts/preflight.py   (reads DATABASE_URL and REDIS_URL)
"""

import os
import sys
from urllib.parse import unquote, urlsplit

import psycopg
import redis
from psycopg import sql

TIMEOUT_SECONDS = 3


def fail(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)
    sys.exit(1)


def _where(url) -> str:
    return f"{url.hostname or 'localhost'}:{url.port or 5432}"


def ensure_database(database_url: str) -> None:
    url = urlsplit(database_url)
    if url.scheme not in {"postgres", "postgresql", "pgsql"}:
        fail(f"make serve runs on PostgreSQL; DATABASE_URL is {url.scheme}://… instead.")
    name = unquote(url.path.lstrip("/"))
    if not name:
        fail("DATABASE_URL names no database, e.g. postgres://postgres@127.0.0.1:5432/vetted")
    server = {
        "host": url.hostname or "localhost",
        "port": url.port or 5432,
        "user": unquote(url.username or "postgres"),
        "password": unquote(url.password or "") or None,
        "connect_timeout": TIMEOUT_SECONDS,
    }
    try:
        # The maintenance database exists on every server; ours may not yet.
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"Created PostgreSQL database {name!r} on {_where(url)}.")
    except psycopg.OperationalError as exc:
        # psycopg's first line ends with the cause: "… port 5999 failed: Connection refused".
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        reason = first_line.rsplit("failed: ", 1)[-1] or type(exc).__name__
        fail(
            f"PostgreSQL is not reachable at {_where(url)} ({reason}).\n"
            "       Start it (e.g. `sudo service postgresql start`) or set DATABASE_URL."
        )
    except psycopg.Error as exc:
        fail(f"PostgreSQL at {_where(url)} refused to create database {name!r}: {exc}")


def check_redis(redis_url: str) -> None:
    url = urlsplit(redis_url)
    where = f"{url.hostname or 'localhost'}:{url.port or 6379}"
    try:
        client = redis.Redis.from_url(
            redis_url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
        )
        client.ping()
    except (redis.RedisError, ValueError) as exc:
        fail(
            f"Redis is not reachable at {where} ({exc}).\n"
            "       Start it (e.g. `sudo service redis-server start`) or set REDIS_URL."
        )


if __name__ == "__main__":
    ensure_database(os.environ["DATABASE_URL"])
    check_redis(os.environ["REDIS_URL"])
    print("PostgreSQL and Redis are reachable.")
