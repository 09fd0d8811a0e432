"""The cache of computed results, keyed by the data version: in this process, or in Redis for every server.

Backed by cachelib (Flask-Caching's own backend library): `SimpleCache` in the process by default,
`RedisCache` when the setting `VID_CACHE_URL` names a Redis server, so every worker and every server
shares what any of them computed. A key is namespaced: the prefix (`VID_CACHE_PREFIX`), what is kept,
the database, its data state (epoch, version) and a hash of the arguments. A write makes the data
version grow, so every older entry is simply never asked for again (and expires).

Values are pickled (cachelib's serialiser): acceptable only because the cache is the app's own and
nothing a user sends is ever written into it as such (see docs/security.md); the Redis server must be
as private as the database. If Redis does not answer, the cache degrades to this process's memory,
logs one line, and tries Redis again a few seconds later: the database remains the truth.

Results kept under a data version (`get_or_decode`: the metrics' frames) are also kept decoded in this
process, the last `DECODED_ENTRIES` of them, so a request does not unpickle the same frames again: a
key names one data state, so its value never changes (callers take shallow copies, pandas
copy-on-write, and never change what is kept).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, Protocol, TypeVar
from urllib.parse import urlsplit

from cachelib import BaseCache, RedisCache, SimpleCache

T = TypeVar("T")
log = logging.getLogger("vidmonitor.cache")

DEFAULT_PREFIX = "vid:"
KEEP_SECONDS = 24 * 60 * 60  # older data versions are never asked for again; let them go
RETRY_SECONDS = 5.0  # after Redis failed, how long to serve from memory before trying it again
REDIS_TIMEOUT_SECONDS = 2.0
DECODED_ENTRIES = 64  # results kept decoded in this process (a few data versions' frames)
_MISSING = object()


class Versioned(Protocol):
    """What a cache key needs from a data snapshot (models.db.Snapshot)."""

    @property
    def database(self) -> str: ...

    @property
    def state(self) -> tuple[str, int]: ...


class DataCache:
    """A cachelib backend behind namespaced, versioned keys, with a fallback to memory if Redis fails."""

    def __init__(self, backend: BaseCache, prefix: str = DEFAULT_PREFIX, shared: bool = False) -> None:
        self._backend = backend
        self._local = backend if not shared else SimpleCache(threshold=512, default_timeout=KEEP_SECONDS)
        self.prefix = prefix
        self.shared = shared
        self._down_until = 0.0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        self._decoded: OrderedDict[str, Any] = OrderedDict()

    def key(self, kind: str, snapshot: Versioned, arguments: Sequence[object] = ()) -> str:
        """`kind`:`database`:`epoch`:`version`:`hash of the arguments` (the backend adds the prefix)."""
        epoch, version = snapshot.state
        return f"{kind}:{snapshot.database}:{epoch}:{version}:{argument_hash(arguments)}"

    def plain_key(self, kind: str, name: str) -> str:
        """A key that does not depend on the data version (prepared uploads: by their token)."""
        return f"{kind}:{name}"

    def get(self, key: str) -> Any | None:
        """The value kept under `key`, or None (counted as a hit or a miss)."""
        value = self._call(lambda backend: backend.get(key), None)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
        return value

    def set(self, key: str, value: object, timeout: int = KEEP_SECONDS) -> None:
        """Keep `value` under `key` for `timeout` seconds."""
        self._forget_decoded(key)
        self._call(lambda backend: backend.set(key, value, timeout=timeout), None)

    def delete(self, key: str) -> None:
        """Forget `key`."""
        self._forget_decoded(key)
        self._call(lambda backend: backend.delete(key), None)

    def get_or_compute(self, key: str, compute: Callable[[], T]) -> T:
        """The value kept under `key`, or `compute()`'s, then kept (None is never kept)."""
        value = self.get(key)
        if value is not None:
            return value  # type: ignore[no-any-return]
        value = compute()
        if value is not None:
            self.set(key, value)
        return value

    def get_or_decode(self, key: str, compute: Callable[[], T]) -> T:
        """`get_or_compute` for a key of one data state (`key`), its value also kept decoded in this
        process: the same object to every caller, which must not change it (take a shallow copy)."""
        with self._lock:
            if key in self._decoded:
                self._decoded.move_to_end(key)
                return self._decoded[key]  # type: ignore[no-any-return]
        value = self.get_or_compute(key, compute)
        if value is not None:
            with self._lock:
                self._decoded[key] = value
                while len(self._decoded) > DECODED_ENTRIES:
                    self._decoded.popitem(last=False)
        return value

    def _forget_decoded(self, key: str) -> None:
        with self._lock:
            self._decoded.pop(key, None)

    def clear(self) -> None:
        """Forget everything under this cache's prefix (tests and benchmarks measure cold computations)."""
        with self._lock:
            self._decoded.clear()
        self._call(lambda backend: backend.clear(), None)
        if self._local is not self._backend:
            self._local.clear()

    def _call(self, operation: Callable[[BaseCache], Any], default: Any) -> Any:
        if self._local is self._backend:
            return operation(self._backend)
        if time.monotonic() < self._down_until:
            return operation(self._local)
        try:
            result = operation(self._backend)
        except Exception as error:  # any Redis or network failure: degrade, never fail the request
            with self._lock:
                if self._down_until == 0.0:
                    log.warning(
                        "shared cache unavailable (%s: %s); serving from this process's memory",
                        type(error).__name__,
                        error,
                    )
                self._down_until = time.monotonic() + RETRY_SECONDS
            return operation(self._local)
        if self._down_until:
            with self._lock:
                if self._down_until:
                    log.warning("shared cache available again")
                self._down_until = 0.0
        return result if result is not None else default


def argument_hash(arguments: Sequence[object]) -> str:
    """A hash of JSON-able arguments (dates and Decimals as text), stable across processes."""
    text = json.dumps(list(arguments), sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@lru_cache(maxsize=8)
def shared_cache(url: str | None, prefix: str = DEFAULT_PREFIX) -> DataCache:
    """One cache per (URL, prefix) for the process: in memory when `url` is empty, else Redis at `url`."""
    if not url:
        return DataCache(SimpleCache(threshold=1024, default_timeout=KEEP_SECONDS), prefix)
    if urlsplit(url).scheme not in ("redis", "rediss", "unix"):
        raise ValueError(
            "VID_CACHE_URL must be a redis:// or rediss:// URL (or empty for this process's memory)"
        )
    import redis

    client = redis.Redis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
    )
    return DataCache(
        RedisCache(host=client, key_prefix=prefix, default_timeout=KEEP_SECONDS), prefix, shared=True
    )


def default_cache() -> DataCache:
    """The cache the settings name (VID_CACHE_URL, VID_CACHE_PREFIX): what command lines and pages share."""
    from models.settings import get_settings

    settings = get_settings()
    return shared_cache(settings.cache_url, settings.cache_prefix)
