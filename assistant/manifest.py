"""SQLite record of ingested documents (metadata, full text, content hash, chunk ids) — the
truth about what was ingested and what citation offsets point into, while the store holds
vectors — and the journal that makes writing them to the store crash-safe.

Every store write is journaled (table `pending`, one row per document) before it starts:

    begin_puts   pending(put, writing)   the new version and the ids it will own; stale ids
    (store)      missing chunks written, then verified present and reachable by query
    commit_puts  documents row replaced, pending → cleanup (one transaction)
    (store)      stale chunks deleted
    finish       pending row gone

    begin_delete documents row gone, pending(delete, cleanup) (one transaction)
    (store)      its chunks deleted
    finish       pending row gone

A kill at any point leaves a pending row that says exactly what to redo (`Ingestor.recover`).
Only committed rows (`documents`) are visible to readers.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

from assistant.sqlite import open_db
from assistant.types import Document, DocumentInfo

_SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, title TEXT NOT NULL, source TEXT, published TEXT, url TEXT,
    path TEXT, content_hash TEXT NOT NULL, text TEXT NOT NULL, chunk_ids TEXT NOT NULL,
    ingested_at TEXT NOT NULL
)
""",
    """
CREATE TABLE IF NOT EXISTS pending (
    doc_id TEXT PRIMARY KEY,
    op TEXT NOT NULL CHECK (op IN ('put', 'delete')),
    phase TEXT NOT NULL CHECK (phase IN ('writing', 'cleanup')),
    document TEXT, content_hash TEXT, chunk_ids TEXT NOT NULL, stale_ids TEXT NOT NULL,
    started_at TEXT NOT NULL
)
""",
    # `documents` = how many transactions changed the documents table (see Manifest._load)
    "CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
)
_BUMP = (
    "INSERT INTO counters VALUES ('documents', 1) "
    "ON CONFLICT (name) DO UPDATE SET value = value + 1"
)


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


@dataclass(frozen=True)
class PendingOp:
    """A journaled store write that has not finished (see the module docstring)."""

    doc_id: str
    op: Literal["put", "delete"]
    phase: Literal["writing", "cleanup"]
    document: Document | None  # the version being written (put)
    content_hash: str | None
    chunk_ids: tuple[str, ...]  # what the document owns once the put is done
    stale_ids: tuple[str, ...]  # what to delete once the new chunks are in


@dataclass(frozen=True)
class PlannedPut:
    document: Document
    content_hash: str
    chunk_ids: tuple[str, ...]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _doc_to_json(document: Document) -> str:
    return json.dumps(
        {"id": document.id, "title": document.title, "text": document.text,
         "source": document.source, "url": document.url, "path": document.path,
         "published": document.published.isoformat() if document.published else None}
    )  # fmt: skip


def _doc_from_json(raw: str) -> Document:
    data = json.loads(raw)
    return Document(
        id=data["id"], title=data["title"], text=data["text"], source=data["source"],
        url=data["url"], path=data["path"],
        published=date.fromisoformat(data["published"]) if data["published"] else None,
    )  # fmt: skip


class Manifest:
    def __init__(self, path: Path) -> None:
        self._lock = threading.Lock()
        self._db = open_db(path)
        for statement in _SCHEMA:
            self._db.execute(statement)
        self._cache: dict[str, ManifestEntry] | None = None
        self._data_version = self._changes = -1
        self._generation = 0

    def close(self) -> None:
        self._db.close()

    def _load(self) -> dict[str, ManifestEntry]:
        # Server workers share the manifest: SQLite bumps `data_version` on other connections'
        # commits (asking costs no I/O); then the change counter says whether documents changed.
        version = int(self._db.execute("PRAGMA data_version").fetchone()[0])
        if version != self._data_version:
            self._data_version = version
            row = self._db.execute("SELECT value FROM counters WHERE name = 'documents'")
            changes = int((row.fetchone() or (0,))[0])
            if changes != self._changes:
                self._changes, self._cache = changes, None
        if self._cache is None:
            self._generation += 1
            rows = self._db.execute(
                "SELECT doc_id, title, source, published, url, path, content_hash, text, "
                "chunk_ids FROM documents ORDER BY doc_id"
            ).fetchall()
            self._cache = {
                row[0]: ManifestEntry(
                    Document(id=row[0], title=row[1], source=row[2], url=row[4], path=row[5],
                             published=date.fromisoformat(row[3]) if row[3] else None,
                             text=row[7]),
                    row[6], tuple(json.loads(row[8])),
                )
                for row in rows
            }  # fmt: skip
        return self._cache

    # -- committed documents ---------------------------------------------------------------------
    def entries(self) -> list[ManifestEntry]:
        with self._lock:
            return list(self._load().values())

    @property
    def generation(self) -> int:
        """Changes whenever the committed documents may have changed: first use, this
        process's commits and deletes, and another process's changes (read again)."""
        with self._lock:
            self._load()
            return self._generation

    def get(self, doc_id: str) -> ManifestEntry | None:
        with self._lock:
            return self._load().get(doc_id)

    def infos(self) -> list[DocumentInfo]:
        return [
            DocumentInfo(
                id=e.document.id, title=e.document.title, source=e.document.source,
                published=e.document.published, url=e.document.url, path=e.document.path,
                chunk_count=len(e.chunk_ids), chars=len(e.document.text),
            )
            for e in self.entries()
        ]  # fmt: skip

    # -- the journal -----------------------------------------------------------------------------
    def pending(self) -> list[PendingOp]:
        with self._lock:
            rows = self._db.execute(
                "SELECT doc_id, op, phase, document, content_hash, chunk_ids, stale_ids "
                "FROM pending ORDER BY started_at, doc_id"
            ).fetchall()
        return [
            PendingOp(
                doc_id=row[0], op=row[1], phase=row[2],
                document=_doc_from_json(row[3]) if row[3] else None, content_hash=row[4],
                chunk_ids=tuple(json.loads(row[5])), stale_ids=tuple(json.loads(row[6])),
            )
            for row in rows
        ]  # fmt: skip

    def pending_count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM pending").fetchone()[0])

    def begin_puts(self, puts: Sequence[PlannedPut]) -> dict[str, tuple[str, ...]]:
        """Journal new versions before any store write; returns each document's stale ids.

        Stale: what the committed version (and any unfinished earlier attempt) owned that the
        new version does not.
        """
        stale: dict[str, tuple[str, ...]] = {}
        with self._lock, self._transaction():
            committed = self._load()
            for put in puts:
                before = set(committed[put.document.id].chunk_ids) if (
                    put.document.id in committed) else set()  # fmt: skip
                row = self._db.execute(
                    "SELECT chunk_ids, stale_ids FROM pending WHERE doc_id = ?", (put.document.id,)
                ).fetchone()
                if row:  # an unfinished earlier attempt may have written chunks of its own
                    before |= set(json.loads(row[0])) | set(json.loads(row[1]))
                old = tuple(sorted(before - set(put.chunk_ids)))
                stale[put.document.id] = old
                self._db.execute(
                    "INSERT OR REPLACE INTO pending VALUES (?, 'put', 'writing', ?, ?, ?, ?, ?)",
                    (put.document.id, _doc_to_json(put.document), put.content_hash,
                     json.dumps(list(put.chunk_ids)), json.dumps(list(old)), _now()),
                )  # fmt: skip
        return stale

    def commit_puts(self, puts: Sequence[PlannedPut]) -> None:
        """The new versions become visible; their journal rows move on to cleanup."""
        with self._lock:
            cache = self._load()
            self._commit_rows(puts)
            for put in puts:  # the cache follows only once the transaction is in
                cache[put.document.id] = ManifestEntry(
                    put.document, put.content_hash, put.chunk_ids
                )
            self._generation += 1  # derived indexes (BM25, vocabulary) follow it

    def _commit_rows(self, puts: Sequence[PlannedPut]) -> None:
        with self._transaction():
            now = _now()
            for put in puts:
                doc = put.document
                self._db.execute(
                    "INSERT OR REPLACE INTO documents VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (
                        doc.id, doc.title, doc.source,
                        doc.published.isoformat() if doc.published else None,
                        doc.url, doc.path, put.content_hash, doc.text,
                        json.dumps(list(put.chunk_ids)), now,
                    ),
                )  # fmt: skip
                self._db.execute("UPDATE pending SET phase = 'cleanup' WHERE doc_id = ?", (doc.id,))
            self._db.execute(_BUMP)

    def begin_delete(self, doc_id: str) -> tuple[str, ...]:
        """Hide `doc_id` now and journal the deletion of its chunks; returns those ids."""
        with self._lock:
            cache = self._load()
            stale = self._delete_rows(doc_id, cache)
            cache.pop(doc_id, None)
            self._generation += 1  # derived indexes (BM25, vocabulary) follow it
        return stale

    def _delete_rows(self, doc_id: str, cache: dict[str, ManifestEntry]) -> tuple[str, ...]:
        with self._transaction():
            ids = set(cache[doc_id].chunk_ids) if doc_id in cache else set()
            row = self._db.execute(
                "SELECT chunk_ids, stale_ids FROM pending WHERE doc_id = ?", (doc_id,)
            ).fetchone()
            if row:
                ids |= set(json.loads(row[0])) | set(json.loads(row[1]))
            stale = tuple(sorted(ids))
            self._db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
            self._db.execute(_BUMP)
            self._db.execute(
                "INSERT OR REPLACE INTO pending VALUES (?, 'delete', 'cleanup', NULL, NULL, "
                "'[]', ?, ?)",
                (doc_id, json.dumps(list(stale)), _now()),
            )
        return stale

    def finish(self, doc_ids: Iterable[str]) -> None:
        with self._lock, self._transaction():
            self._db.executemany("DELETE FROM pending WHERE doc_id = ?", [(i,) for i in doc_ids])

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE … COMMIT (ROLLBACK on error) on the autocommit connection."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
