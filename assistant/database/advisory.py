"""The writer lock of a shared database: a PostgreSQL session-level advisory lock.

The lock belongs to one connection, held open (outside the pool's reach) for as long as the
lock is claimed. When the holder dies — even `kill -9`, even the whole host — its connection
ends and PostgreSQL frees the lock, so another host's writer takes over with no stale lock to
clear. Who holds it (pid, host, role) is kept in `lock_owners`, for the message others get.

The flip side: a holder whose connection drops (a network cut, a database restart) loses the
lock without noticing, and another host may take it. `still_held` asks the database, on the
holding connection, whether this session still has it; the writer asks before every write.
"""

from __future__ import annotations

import hashlib
import socket
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from assistant.config import Settings
from assistant.database.holders import Owner
from assistant.database.opening import open_database
from assistant.database.schema import lock_owners

_HELD_BY_THIS_SESSION = sa.text(
    "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
    " AND pid = pg_backend_pid() AND classid::bigint = :hi AND objid::bigint = :lo"
    " AND objsubid = 1)"
)


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for `pg_advisory_lock`."""
    digest = hashlib.sha256(f"briefing:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class AdvisoryLock:
    """`LockBackend` on PostgreSQL; one lock per Chroma collection (one deployment)."""

    def __init__(self, settings: Settings, name: str = "writer") -> None:
        self._db = open_database(settings, "coordination")
        self.name = f"{name}:{settings.chroma_collection}"
        self.key = f"pg:{self._db.where}:{self.name}"
        self.where = f"the shared store ({settings.chroma_collection} at {settings.chroma_url})"
        self._id = lock_key(self.name)

    def try_lock(self) -> Connection | None:
        conn = self._db.engine.connect()
        try:
            got = conn.execute(sa.select(sa.func.pg_try_advisory_lock(self._id))).scalar()
            conn.commit()  # the lock is the session's: it outlives this transaction
        except BaseException:
            conn.close()
            raise
        if not got:
            conn.close()
            return None
        return conn

    def unlock(self, handle: Connection) -> None:
        try:
            handle.execute(sa.select(sa.func.pg_advisory_unlock(self._id)))
            handle.commit()
        except sa.exc.DBAPIError:
            pass  # the connection is gone, and the lock with it
        finally:
            handle.close()

    def still_held(self, handle: Connection) -> bool:
        """Whether the holding connection is alive and its session still has the lock.

        Looked up in `pg_locks` rather than inferred from a working connection: SQLAlchemy
        reconnects an invalidated connection on its next use, and a new session has no lock.
        """
        hi, lo = (self._id >> 32) & 0xFFFFFFFF, self._id & 0xFFFFFFFF  # a bigint key's halves
        try:
            held = handle.execute(_HELD_BY_THIS_SESSION, {"hi": hi, "lo": lo}).scalar()
            handle.commit()
        except sa.exc.SQLAlchemyError:
            return False
        return bool(held)

    def record(self, handle: Connection, owner: Owner) -> None:
        row: dict[str, Any] = {
            "name": self.name,
            "pid": owner.pid,
            "host": socket.gethostname(),
            "role": owner.role,
            "detail": owner.detail,
            "since": owner.since,
        }
        statement = self._db.insert(lock_owners).values(**row)
        handle.execute(
            statement.on_conflict_do_update(
                index_elements=["name"], set_={k: v for k, v in row.items() if k != "name"}
            )
        )  # fmt: skip
        handle.commit()

    def held_elsewhere(self) -> bool:
        handle = self.try_lock()
        if handle is None:
            return True
        self.unlock(handle)
        return False

    def read_owner(self) -> Owner | None:
        with self._db.read() as conn:
            row = conn.execute(
                sa.select(lock_owners).where(lock_owners.c.name == self.name)
            ).first()
        if row is None:
            return None
        return Owner(row.pid, row.role, row.detail, row.since, host=row.host)

    def close(self) -> None:
        self._db.close()
