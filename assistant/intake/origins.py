"""Where each document came from (`DATA_DIR/intake.sqlite3`, table `origins`): a URL someone
added, a followed feed, an upload, or a file of the corpus folder (no row: the default).

The Sources view shows it; nothing in retrieval or answering depends on it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from assistant.sqlite import open_db

OriginKind = Literal["url", "feed", "upload", "file"]


@dataclass(frozen=True)
class Origin:
    kind: OriginKind
    detail: str | None = None  # the URL fetched, the feed's id, the uploaded file's name
    added_at: str | None = None  # ISO 8601, UTC; set when recorded


class OriginStore:
    def __init__(self, path: Path) -> None:
        self._lock = threading.Lock()
        self._db = open_db(path)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS origins (doc_id TEXT PRIMARY KEY, kind TEXT NOT NULL, "
            "detail TEXT, added_at TEXT NOT NULL)"
        )

    def close(self) -> None:
        self._db.close()

    def record(self, doc_id: str, origin: Origin) -> None:
        """Remember how `doc_id` came in; the latest way wins (a feed entry added by hand first
        is a URL until the feed brings it again)."""
        added = origin.added_at or datetime.now(UTC).isoformat(timespec="seconds")
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO origins VALUES (?, ?, ?, ?)",
                (doc_id, origin.kind, origin.detail, added),
            )

    def get(self, doc_id: str) -> Origin | None:
        with self._lock:
            row = self._db.execute(
                "SELECT kind, detail, added_at FROM origins WHERE doc_id = ?", (doc_id,)
            ).fetchone()
        return Origin(row[0], row[1], row[2]) if row else None

    def all(self) -> dict[str, Origin]:
        with self._lock:
            rows = self._db.execute("SELECT doc_id, kind, detail, added_at FROM origins").fetchall()
        return {r[0]: Origin(r[1], r[2], r[3]) for r in rows}

    def forget(self, doc_id: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM origins WHERE doc_id = ?", (doc_id,))
