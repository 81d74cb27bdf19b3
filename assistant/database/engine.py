"""`Database`: one SQLite file or a shared PostgreSQL database, behind the same few calls.

* SQLite: one connection per file (a `StaticPool`), used by one thread at a time, in autocommit
  mode with WAL; writes run in `BEGIN IMMEDIATE` transactions so two processes never deadlock
  upgrading a read lock. `PRAGMA data_version` tells, at no I/O cost, whether another
  connection has committed since the last look.
* PostgreSQL (psycopg 3): one engine and connection pool per process and URL, shared by every
  store; the default READ COMMITTED isolation, writes in one transaction each.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool

from assistant.errors import ConfigError, StoreError

_SCHEMES = {"postgresql", "postgres", "postgresql+psycopg"}
_SHARED: dict[tuple[str, int], tuple[Engine, int]] = {}  # (url, pool size) → engine, users
_SHARED_LOCK = threading.Lock()


def normalise_url(url: str) -> str:
    """`postgresql://…` (or `postgres://`) as the psycopg 3 URL SQLAlchemy needs; ConfigError
    for anything else. The password never appears in the message."""
    try:
        parsed = sa.make_url(url.strip())
    except sa.exc.ArgumentError:
        raise ConfigError(
            "BRIEFING_DATABASE_URL is not a database URL; expected "
            "postgresql://USER:PASSWORD@HOST:PORT/DATABASE"
        ) from None
    if parsed.drivername not in _SCHEMES:
        raise ConfigError(
            f"BRIEFING_DATABASE_URL must be a PostgreSQL URL (postgresql://…), not "
            f"{parsed.drivername}://; leave it unset for the SQLite files in the data directory"
        )
    if not parsed.host or not parsed.database:
        raise ConfigError("BRIEFING_DATABASE_URL needs a host and a database name")
    return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def redacted(url: str) -> str:
    return sa.make_url(url).render_as_string(hide_password=True)


class Database:
    """Connections for one back end; `shared` when other hosts may use it too."""

    def __init__(self, engine: Engine, *, release: Any = None) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self.shared = self.dialect == "postgresql"
        self._lock = threading.RLock() if not self.shared else None
        self._release = release

    @property
    def where(self) -> str:
        return redacted(str(self.engine.url.render_as_string(hide_password=False)))

    def close(self) -> None:
        if self._release is not None:
            self._release()
            self._release = None
        elif not self.shared:
            self.engine.dispose()

    @contextmanager
    def _serial(self) -> Iterator[None]:
        if self._lock is None:
            yield
            return
        with self._lock:
            yield

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for reads (SQLite: autocommit; PostgreSQL: one transaction)."""
        with self._serial(), self._connect() as conn:
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back when it raises."""
        with self._serial(), self._connect() as conn:
            if self.shared:
                with conn.begin():
                    yield conn
                return
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.exec_driver_sql("ROLLBACK")
                raise
            conn.exec_driver_sql("COMMIT")

    @contextmanager
    def _connect(self) -> Iterator[Connection]:
        try:
            conn = self.engine.connect()
        except sa.exc.OperationalError as exc:
            why = _first_line(exc)
            raise StoreError(f"cannot reach the database at {self.where}: {why}") from None
        with conn:
            yield conn

    def data_version(self, conn: Connection) -> int | None:
        """SQLite's count of other connections' commits; None where there is none (PostgreSQL)."""
        if self.shared:
            return None
        return int(conn.exec_driver_sql("PRAGMA data_version").scalar_one())

    def insert(self, table: sa.Table) -> Any:
        """An INSERT that knows ON CONFLICT (`on_conflict_do_update` / `_do_nothing`)."""
        if self.shared:  # imported here: the default (SQLite) start-up never needs it
            from sqlalchemy.dialects import postgresql

            return postgresql.insert(table)
        from sqlalchemy.dialects import sqlite

        return sqlite.insert(table)

    def ping(self) -> None:
        """StoreError unless the database answers a query now."""
        with self.read() as conn:
            try:
                conn.execute(sa.text("SELECT 1"))
            except sa.exc.DBAPIError as exc:  # connected, then lost (a server shutting down)
                why = _first_line(exc)
                raise StoreError(f"the database at {self.where} did not answer: {why}") from None


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def sqlite_engine(path: Path) -> Engine:
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(
        f"sqlite:///{path}", poolclass=StaticPool, isolation_level="AUTOCOMMIT",
        connect_args={"check_same_thread": False, "timeout": 30},
    )  # fmt: skip

    @sa.event.listens_for(engine, "connect")
    def _wal(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA journal_mode=WAL")

    return engine


def shared_engine(url: str, pool_size: int) -> tuple[Engine, Any]:
    """The process's engine for `url` (built on first use) and a function releasing one use."""
    key = (url, pool_size)
    with _SHARED_LOCK:
        engine, users = _SHARED.get(key) or (None, 0)
        if engine is None:
            engine = sa.create_engine(
                url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True,
                pool_recycle=1800, connect_args={"connect_timeout": 5,
                                                 "application_name": "briefing"},
            )  # fmt: skip
        _SHARED[key] = (engine, users + 1)

    def release() -> None:
        with _SHARED_LOCK:
            held, count = _SHARED[key]
            if count <= 1:
                del _SHARED[key]
                held.dispose()
            else:
                _SHARED[key] = (held, count - 1)

    return engine, release
