"""SQLite record of ingested documents: metadata, full text, content hash and chunk ids.

The store holds vectors; the manifest is the source of truth for what was ingested, the text
that citation offsets point into, and what to remove when a file disappears.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from assistant.sqlite import open_db
from assistant.types import Document, DocumentInfo

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    source TEXT,
    published TEXT,
    url TEXT,
    path TEXT,
    content_hash TEXT NOT NULL,
    text TEXT NOT NULL,
    chunk_ids TEXT NOT NULL,
    ingested_at TEXT NOT NULL
)
"""


def content_hash(document: Document, chunking_key: str) -> str:
    """Changes whenever the text, metadata or chunking parameters change."""
    payload = json.dumps(
        [document.text, document.title, document.source, str(document.published),
         document.url, chunking_key]
    )  # fmt: skip
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ManifestEntry:
    document: Document
    content_hash: str
    chunk_ids: tuple[str, ...]


class Manifest:
    def __init__(self, path: Path) -> None:
        self._lock = threading.Lock()
        self._db = open_db(path)
        self._db.execute(_SCHEMA)
        self._cache: dict[str, ManifestEntry] | None = None

    def close(self) -> None:
        self._db.close()

    def _load(self) -> dict[str, ManifestEntry]:
        if self._cache is None:
            rows = self._db.execute(
                "SELECT doc_id, title, source, published, url, path, content_hash, text, "
                "chunk_ids FROM documents ORDER BY doc_id"
            ).fetchall()
            self._cache = {
                row[0]: ManifestEntry(
                    Document(
                        id=row[0], title=row[1], source=row[2],
                        published=date.fromisoformat(row[3]) if row[3] else None,
                        url=row[4], path=row[5], text=row[7],
                    ),
                    row[6],
                    tuple(json.loads(row[8])),
                )
                for row in rows
            }  # fmt: skip
        return self._cache

    def entries(self) -> list[ManifestEntry]:
        with self._lock:
            return list(self._load().values())

    def get(self, doc_id: str) -> ManifestEntry | None:
        with self._lock:
            return self._load().get(doc_id)

    def put(self, document: Document, digest: str, chunk_ids: list[str]) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO documents VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    document.id, document.title, document.source,
                    document.published.isoformat() if document.published else None,
                    document.url, document.path, digest, document.text,
                    json.dumps(chunk_ids), datetime.now(UTC).isoformat(timespec="seconds"),
                ),
            )  # fmt: skip
            self._load()[document.id] = ManifestEntry(document, digest, tuple(chunk_ids))

    def remove(self, doc_id: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
            self._load().pop(doc_id, None)

    def infos(self) -> list[DocumentInfo]:
        return [
            DocumentInfo(
                id=e.document.id, title=e.document.title, source=e.document.source,
                published=e.document.published, url=e.document.url, path=e.document.path,
                chunk_count=len(e.chunk_ids), chars=len(e.document.text),
            )
            for e in self.entries()
        ]  # fmt: skip
