"""Django's Redis cache, degraded rather than broken while Redis is unreachable.

Production (``REDIS_URL``) uses ``ResilientRedisCache``. When Redis does not answer:

- reads miss and writes are dropped (``get``, ``set``, ``add``, ``touch``, their ``_many``
  forms, ``has_key``): pages render uncached, and cached_db sessions read the database, so
  signing in and out keep working;
- removals (``delete``, ``delete_many``) are remembered and replayed by this process as soon
  as Redis answers again. Without that, a session ended during the outage (signing out,
  "sign out everywhere") would find its old copy in Redis afterwards and work again. The
  memory is per process and bounded (``MAX_PENDING_REMOVALS``); if a worker exits before
  Redis is back, its copies live until their timeout, and the log says so;
- counters raise ``CacheUnavailable`` (``incr``, ``decr``), as does ``clear``. It is a
  ``ValueError``, Django's "no such counter", so a caller that only knows Django's API treats
  the count as new (the API's per-token limit stays open for reading), while a limit that
  must fail closed catches ``CacheUnavailable`` first (the follow-up form,
  articles/services/follow_ups.py).

After a failure the cache skips Redis for ``RETRY_SECONDS`` in this process, so a Redis that
hangs costs one socket timeout per process, not one per call. ``ping`` always asks Redis and
raises; /healthz uses it to name the failing cache. Failures are logged as a warning at most
once per ``LOG_EVERY_SECONDS`` in each process.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("vetted.cache")

RETRY_SECONDS = 2.0
LOG_EVERY_SECONDS = 30.0
MAX_PENDING_REMOVALS = 10_000
_FAILED = object()


class CacheUnavailable(ValueError):
    """The cache could not be reached, so this operation could not be done."""


def _redis_errors() -> tuple[type[BaseException], ...]:
    import redis

    # ConnectionError and TimeoutError are RedisErrors; OSError covers a socket failing
    # outside redis-py's own wrapping.
    return (redis.RedisError, OSError)


class _Breaker:
    """Per process: when Redis last failed, how many calls failed since the last log line."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.logged_at = -LOG_EVERY_SECONDS
        self.suppressed = 0

    def is_open(self) -> bool:
        return time.monotonic() < self.down_until

    def trip(self, operation: str, exc: BaseException | None) -> None:
        now = time.monotonic()
        with self.lock:
            if exc is not None:
                self.down_until = now + RETRY_SECONDS
            if now - self.logged_at < LOG_EVERY_SECONDS:
                self.suppressed += 1
                return
            suppressed, self.suppressed, self.logged_at = self.suppressed, 0, now
        logger.warning(
            "Cache unavailable: %s degraded (%s); %d more failures since the last report",
            operation,
            type(exc).__name__ if exc is not None else "skipped while Redis is down",
            suppressed,
            extra={"cache_operation": operation},
        )

    def reset(self) -> None:
        self.down_until = 0.0


class ResilientRedisCache(RedisCache):
    """RedisCache whose outage degrades the site instead of failing its requests."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._breaker = _Breaker()
        self._errors = _redis_errors()
        self._pending_lock = threading.Lock()
        self._pending_removals: set[str] = set()

    def _call(self, operation: str, call, *args, fallback=None, strict: bool = False):
        if self._breaker.is_open():
            self._breaker.trip(operation, None)
            if strict:
                raise CacheUnavailable(f"cache {operation}: Redis is unreachable")
            return fallback
        try:
            result = call(*args)
        except self._errors as exc:
            self._breaker.trip(operation, exc)
            if strict:
                raise CacheUnavailable(f"cache {operation}: {type(exc).__name__}") from exc
            return fallback
        if self._pending_removals:
            self._replay_removals()
        return result

    # Degraded: a miss, or a write dropped.
    def get(self, key, default=None, version=None):
        return self._call("get", super().get, key, default, version, fallback=default)

    def get_many(self, keys, version=None):
        return self._call("get_many", super().get_many, keys, version, fallback={})

    def has_key(self, key, version=None):
        return self._call("has_key", super().has_key, key, version, fallback=False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call("set", super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's contract: the keys that failed to insert.
        return self._call("set_many", super().set_many, data, timeout, version, fallback=list(data))

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", super().add, key, value, timeout, version, fallback=False)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", super().touch, key, timeout, version, fallback=False)

    # Removals: remembered, and replayed once Redis answers.
    def delete(self, key, version=None):
        full_key = self.make_and_validate_key(key, version=version)
        result = self._call("delete", self._cache.delete, full_key, fallback=_FAILED)
        if result is _FAILED:
            self._remember_removals([full_key])
            return False
        return result

    def delete_many(self, keys, version=None):
        full_keys = [self.make_and_validate_key(key, version=version) for key in keys]
        if full_keys:
            result = self._call("delete_many", self._cache.delete_many, full_keys, fallback=_FAILED)
            if result is _FAILED:
                self._remember_removals(full_keys)

    def _remember_removals(self, full_keys: list[str]) -> None:
        with self._pending_lock:
            room = MAX_PENDING_REMOVALS - len(self._pending_removals)
            self._pending_removals.update(full_keys[: max(room, 0)])
            lost = len(full_keys) - max(room, 0)
        if lost > 0:
            logger.error(
                "Cache unavailable: %d removals could not be remembered; those entries stay "
                "in Redis until they expire",
                lost,
            )

    def _replay_removals(self) -> None:
        with self._pending_lock:
            full_keys, self._pending_removals = list(self._pending_removals), set()
        try:
            self._cache.delete_many(full_keys)
        except self._errors:
            self._remember_removals(full_keys)
        else:
            logger.info("Cache back: replayed %d removals made while it was down", len(full_keys))

    # Strict: a count, or a whole flush, that cannot be done is refused.
    def clear(self):
        return self._call("clear", super().clear, strict=True)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", super().incr, key, delta, version, strict=True)

    def ping(self) -> None:
        """Ask Redis, whatever the breaker says; raises the client's error when it fails."""
        self._cache.get_client(write=True).ping()
        self._breaker.reset()
        if self._pending_removals:
            self._replay_removals()
