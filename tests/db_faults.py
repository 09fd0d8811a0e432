"""Databases that fail as real ones do: unreachable, read-only and full, on SQLite and PostgreSQL.

Tests run as root in CI, where file permissions stop nothing, so read-only and full are made by
the databases themselves: SQLite's read-only open mode (`mode=ro`), `PRAGMA query_only`, and
`PRAGMA max_page_count` (the file may not grow: SQLITE_FULL, "database or disk is full", exactly
what a full disk gives); PostgreSQL's `default_transaction_read_only` (what a standby answers).
"""

from __future__ import annotations

import socket
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


class Switch:
    """A fault a test turns on and off; connections opened while it is on keep it (as SQLite does
    with a file it opened read-only), so only discarding them lets the app recover."""

    def __init__(self, engine: Engine, pragma: Callable[[Any], None]) -> None:
        self.on = False
        self._pragma = pragma

        @event.listens_for(engine, "connect")
        def _apply(dbapi_connection: Any, _record: Any) -> None:
            if self.on:
                self._pragma(dbapi_connection)


def query_only(dbapi_connection: Any) -> None:
    dbapi_connection.execute("PRAGMA query_only = ON")


def no_growth(dbapi_connection: Any) -> None:
    _no_growth(dbapi_connection, None)
