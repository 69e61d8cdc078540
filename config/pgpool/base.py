"""PostgreSQL through psycopg's pool, failing fast while the server is known to be down.

Production selects this engine for ``DATABASE_URL=...?pool=true`` (config/settings/production.py);
it is Django's PostgreSQL backend with one change. psycopg's pool answers a request for a
connection only when one is ready or its timeout passes, even when the server refuses every
attempt at once. During an outage each request would then hold its sync gunicorn worker for the
whole timeout before its 503, and the requests queued behind it would wait too.

So after the pool timed out in this process, for ``FAIL_FAST_SECONDS`` a request that finds no
connection ready fails at once instead of waiting again (config/outage.py answers the 503). One
request a second still waits in full, which lets the pool grow and notice the server is back;
a connection the pool's background reconnection made ready is used straight away.
"""

import threading
import time

from django.db.backends.postgresql import base
from psycopg_pool import PoolTimeout

FAIL_FAST_SECONDS = 1.0

# Per process: database alias -> when its pool last timed out (shared by the threads).
_timed_out_at: dict[str, float] = {}
_lock = threading.Lock()


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        pool = self.pool
        if pool is not None and self._pool_recently_failed(pool):
            raise PoolTimeout("no connection: the server was unreachable a moment ago")
        try:
            connection = super().get_new_connection(conn_params)
        except PoolTimeout:
            with _lock:
                _timed_out_at[self.alias] = time.monotonic()
            raise
        if self.alias in _timed_out_at:
            with _lock:
                _timed_out_at.pop(self.alias, None)
        return connection

    def _pool_recently_failed(self, pool) -> bool:
        failed = _timed_out_at.get(self.alias)
        if failed is None or time.monotonic() - failed >= FAIL_FAST_SECONDS:
            return False
        return pool.get_stats().get("pool_available", 0) == 0
