"""What the size-sweep benchmarks (scale.py, board_queue.py) share: a fresh PostgreSQL
database, one measurement in a child process on a given database, and the table that puts
the sizes side by side with the largest/smallest ratio."""

import json
import os
import subprocess
import sys

PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def pg_database(name: str) -> str:
    """A new, empty PostgreSQL database (dropped first if it was left over); its URL."""
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as server:
        server.execute(f"DROP DATABASE IF EXISTS {name}")
        server.execute(f"CREATE DATABASE {name}")
    return f"{PG_SERVER}/{name}"


def run_child(script: str, database_url: str, *args) -> dict:
    """Run ``script --child ARGS`` against that database and read the JSON it prints last.

    A child per database, so each measurement starts with Django set up for it alone."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
    }
    command = [sys.executable, script, "--child", *map(str, args)]
    output = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def size_table(results: list[dict], *, size: str, extra: str, title: str) -> None:
    """One vendor's runs side by side as a Markdown table: per page, the ``extra`` column of
    the largest run, the queries seen at every size, the median ms by size, and the ratio."""
    results = sorted(results, key=lambda result: result[size])
    small, large = results[0], results[-1]
    sizes = " | ".join(f"{result[size]:,} ms" for result in results)
    print(f"\n{small['vendor']}: {title}")
    print(f"| page | {extra} | queries | {sizes} | ratio |")
    print("|---|---|---|" + "---|" * len(results) + "---|")
    for index, row in enumerate(large["rows"]):
        times = [result["rows"][index]["ms"] for result in results]
        queries = sorted({result["rows"][index]["queries"] for result in results})
        ratio = times[-1] / times[0] if times[0] else 0
        value = row[extra]
        shown = f"{value:,}" if isinstance(value, int) else value
        print(
            f"| {row['page']} | {shown} | {'/'.join(map(str, queries))} | "
            + " | ".join(f"{time:.1f}" for time in times)
            + f" | {ratio:.2f}x |"
        )
