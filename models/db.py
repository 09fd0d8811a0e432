"""Engines and units of work: how every other module reaches the database."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, func, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from models.base import utcnow
from models.faults import fault_point, invalidate_on_write_fault
from models.tables import DataState

_WRITE_OPTION = "vid_write"
CONNECT_TIMEOUT_SECONDS = 10


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`, with SQLite made safe for concurrent writers and foreign keys enforced."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # A server that does not answer must not hold a request (or a command) for ever.
        if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
            kwargs.setdefault("connect_args", {"connect_timeout": CONNECT_TIMEOUT_SECONDS})
        return create_engine(url, pool_pre_ping=True, **kwargs)

    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 60}, **kwargs)
    event.listen(engine, "handle_error", invalidate_on_write_fault)  # recover once writable again

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from pysqlite so BEGIN IMMEDIATE can be issued for writers.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA busy_timeout = 60000")
        if database and database != ":memory:":
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A writer takes the write lock at BEGIN: two writers then queue instead of deadlocking.
        writer = connection.get_execution_options().get(_WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")

    return engine


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """One shared engine per URL for the process (the web app and command lines use this)."""
    return make_engine(url)


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session for reading; it is closed (and its transaction rolled back) on exit."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


@dataclass(frozen=True)
class Snapshot:
    """One consistent view of the database: a read session inside one transaction, and the data state
    (epoch, version) that transaction sees. Every read made through `session` sees that version,
    whatever is written meanwhile; caches key what they keep by `database` and `state`, and `memo`
    holds what this snapshot already computed or fetched (one request asks the cache once each)."""

    session: Session
    epoch: str
    version: int
    database: str
    memo: dict[object, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def state(self) -> tuple[str, int]:
        """The data state as caches key it: (epoch, version)."""
        return self.epoch, self.version

    def close(self) -> None:
        """End the transaction (rolled back: it only read) and return the connection to the pool."""
        self.session.close()


def database_identity(engine: Engine) -> str:
    """A short stable name of the database an engine serves (its URL, password left out), for cache keys."""
    url = engine.url.render_as_string(hide_password=True)
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def open_snapshot(engine: Engine) -> Snapshot:
    """Begin one read-only transaction and read the data state in it; the caller closes the snapshot.

    On PostgreSQL the transaction is REPEATABLE READ READ ONLY: all its statements see the data as of
    its first one. On SQLite (WAL) a read transaction sees one state from its first read on. Either
    way the version read first is the version of everything read after it.
    """
    if engine.dialect.name == "postgresql":
        engine = engine.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    session = Session(engine, expire_on_commit=False, autoflush=False)
    try:
        epoch, version = data_state_key(session)
    except BaseException:
        session.close()
        raise
    return Snapshot(session, epoch, version, database_identity(engine))


@contextmanager
def read_snapshot(engine: Engine) -> Iterator[Snapshot]:
    """A `Snapshot` for the block: one transaction, one data version; closed on exit."""
    snapshot = open_snapshot(engine)
    try:
        yield snapshot
    finally:
        snapshot.close()


_UNCHANGED = "vid_data_unchanged"


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work: commits on success, rolls back on any exception, bumps the data version.

    Writers are serialised: SQLite by BEGIN IMMEDIATE, PostgreSQL by a row lock on data_state.
    Everything read inside the block is therefore current, and no update can be lost. A unit of
    work that changes nothing published (a sign-in, a refused file) says so with
    `keep_data_version`, and the data version, which pages and exports show, stays as it was.
    """
    writer = engine.execution_options(**{_WRITE_OPTION: True})
    with Session(writer, expire_on_commit=False) as session, session.begin():
        state = session.execute(select(DataState).where(DataState.id == 1).with_for_update()).scalar_one()
        yield session
        session.flush()
        if not session.info.pop(_UNCHANGED, False):
            session.execute(
                update(DataState)
                .where(DataState.id == 1)
                .values(version=state.version + 1, updated_at=utcnow())
            )
        fault_point("commit")  # tests only (VID_FAULT_POINT): a kill here must leave nothing
    fault_point("committed")  # and a kill here, everything


@contextmanager
def account_transaction(engine: Engine) -> Iterator[Session]:
    """A unit of work for accounts, sessions, sign-ins and audit notes: commits on success, rolls back
    on any exception, and neither takes the writer lock (the `data_state` row) nor bumps the data
    version. So a sign-in or an account change never waits for an upload, and no cache is emptied.

    On SQLite the transaction begins IMMEDIATE, as every SQLite writer must to read-then-write
    safely; it waits only for another transaction's final write, never for a whole upload's
    validation. On PostgreSQL it is a plain transaction; callers that count before they write (the
    sign-in limits) serialise on an advisory lock of their own (`serialise_on`).
    """
    writer = engine.execution_options(**{_WRITE_OPTION: True})
    with Session(writer, expire_on_commit=False) as session, session.begin():
        yield session


def serialise_on(session: Session, *names: str) -> None:
    """Hold, until the transaction ends, a lock per name (PostgreSQL advisory locks; SQLite's
    IMMEDIATE transaction already serialises every writer). Taken in one order: no deadlock."""
    if session.get_bind().dialect.name != "postgresql":
        return
    keys = sorted({_lock_key(name) for name in names})
    for key in keys:
        session.execute(select(func.pg_advisory_xact_lock(key)))


def _lock_key(name: str) -> int:
    """A signed 64-bit key for an advisory lock, from a name spaced apart from any other user's."""
    digest = hashlib.sha256(f"vid-monitor:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def keep_data_version(session: Session) -> None:
    """Mark this unit of work as changing nothing that pages, metrics or exports read.

    Only for writes to accounts and to the record of refused or unchanged uploads: anything cached
    per data version must not depend on what such a write touches.
    """
    session.info[_UNCHANGED] = True


def data_state_key(session: Session | Connection) -> tuple[str, int]:
    """What identifies the data's state for caches: the database's epoch and its version.

    The epoch is a random token set when the database is created, so a re-created (or swapped)
    database never matches results cached from another one at the same version number.
    """
    epoch, version = session.execute(
        select(DataState.epoch, DataState.version).where(DataState.id == 1)
    ).one()
    return str(epoch), int(version)


def data_version(session: Session) -> int:
    """The current data version: it changes whenever anything is written."""
    return int(session.execute(select(DataState.version).where(DataState.id == 1)).scalar_one())
