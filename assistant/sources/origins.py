"""Where each document came from (table `origins`, next to the feeds: `DATA_DIR/intake.sqlite3`
or the shared database): a URL someone added, a followed feed, an upload, or a file of the
corpus folder (no row: the default).

The Sources view shows it; nothing in retrieval or answering depends on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import sqlalchemy as sa

from assistant.database.engine import Database
from assistant.database.opening import as_database
from assistant.database.schema import origins

OriginKind = Literal["url", "feed", "upload", "file"]


@dataclass(frozen=True)
class Origin:
    kind: OriginKind
    detail: str | None = None  # the URL fetched, the feed's id, the uploaded file's name
    added_at: str | None = None  # ISO 8601, UTC; set when recorded


class OriginStore:
    def __init__(self, source: Path | Database) -> None:
        self._db = as_database(source, "intake")

    def close(self) -> None:
        self._db.close()

    def record(self, doc_id: str, origin: Origin) -> None:
        """Remember how `doc_id` came in; the latest way wins (a feed entry added by hand first
        is a URL until the feed brings it again)."""
        added = origin.added_at or datetime.now(UTC).isoformat(timespec="seconds")
        row = {"kind": origin.kind, "detail": origin.detail, "added_at": added}
        statement = self._db.insert(origins).values(doc_id=doc_id, **row)
        with self._db.write() as conn:
            conn.execute(statement.on_conflict_do_update(index_elements=["doc_id"], set_=row))

    def get(self, doc_id: str) -> Origin | None:
        with self._db.read() as conn:
            row = conn.execute(
                sa.select(origins.c.kind, origins.c.detail, origins.c.added_at)
                .where(origins.c.doc_id == doc_id)
            ).first()  # fmt: skip
        return Origin(row[0], row[1], row[2]) if row else None

    def all(self) -> dict[str, Origin]:
        with self._db.read() as conn:
            rows = conn.execute(sa.select(origins)).all()
        return {r.doc_id: Origin(r.kind, r.detail, r.added_at) for r in rows}

    def forget(self, doc_id: str) -> None:
        with self._db.write() as conn:
            conn.execute(origins.delete().where(origins.c.doc_id == doc_id))
