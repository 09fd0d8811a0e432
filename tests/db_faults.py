"""Databases that fail as real ones do: unreachable, read-only and full, on SQLite and PostgreSQL.

Tests run as root in CI, where file permissions stop nothing, so read-only and full are made by
the databases themselves: SQLite's read-only open mode (`mode=ro`), `PRAGMA query_only`, and
`PRAGMA max_page_count` (the file may not grow: SQLITE_FULL, "database or disk is full", exactly
what a full disk gives); PostgreSQL's `default_transaction_read_only` (what a standby answers).
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url


def dead_postgres_url() -> str:
    """A PostgreSQL URL at a local port where nothing listens (connections are refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/test"


def read_only_url(url: str) -> str:
    """The same database, opened read-only: reads work, every write is refused by the server."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"sqlite:///file:{parsed.database}?mode=ro&uri=true"
    options = parsed.query.get("options", "")
    options = " ".join(part for part in (options, "-cdefault_transaction_read_only=on") if part)
    return parsed.update_query_dict({"options": options}).render_as_string(hide_password=False)


def _no_growth(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    pages = cursor.execute("PRAGMA page_count").fetchone()[0]
    cursor.execute(f"PRAGMA max_page_count = {max(int(pages), 1)}")
    cursor.close()


@contextmanager
def sqlite_full() -> Iterator[None]:
    """Every SQLite connection opened inside the block finds its file unable to grow (a full disk)."""
    event.listen(Engine, "connect", _no_growth)
    try:
        yield
    finally:
        event.remove(Engine, "connect", _no_growth)


class StickyFault:
    """A SQLite fault a test turns on and off. Every connection used while it is on takes the
    fault for good, as SQLite keeps a file it opened read-only read-only: the app recovers only if
    it discards such connections, never because the test turned the fault off."""

    def __init__(self, engine: Engine, pragma: Callable[[Any], None]) -> None:
        self.on = False

        @event.listens_for(engine, "checkout")
        def _apply(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
            if self.on:
                pragma(dbapi_connection)


def query_only(dbapi_connection: Any) -> None:
    dbapi_connection.execute("PRAGMA query_only = ON")


def no_growth(dbapi_connection: Any) -> None:
    _no_growth(dbapi_connection, None)


class TcpProxy:
    """A local TCP relay to a database server that a test can take away and give back on the same
    port: taken away, every open connection is cut and new ones are refused, as when the server
    stops; given back, new connections reach the server again."""

    def __init__(self, target: tuple[str, int]) -> None:
        self._target = target
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self._listener: socket.socket | None = None
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()

    def url(self, url: str) -> str:
        """`url` (a PostgreSQL URL on the target) reached through this relay instead."""
        return make_url(url).set(host="127.0.0.1", port=self.port).render_as_string(hide_password=False)

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
            listener.close()
        with self._lock:
            for connection in self._open:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
                connection.close()
            self._open.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # stopped
            upstream = socket.create_connection(self._target)
            with self._lock:
                self._open.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)
