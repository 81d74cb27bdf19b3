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

import json
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from assistant.database.engine import Database
from assistant.database.opening import as_database
from assistant.database.schema import counters, documents, pending, removed_documents
from assistant.index.manifest_rows import (
    ManifestEntry,
    PendingOp,
    PlannedPut,
    content_hash,
    doc_from_json,
    doc_to_json,
    document_row,
    entry_from_row,
    now,
)
from assistant.types import DocumentInfo

__all__ = ["Manifest", "ManifestEntry", "PendingOp", "PlannedPut", "content_hash"]


class Manifest:
    """Committed documents (cached per process, re-read when the generation moves) and the
    journal; in a SQLite file, or in the shared database every worker on every host uses."""

    def __init__(self, source: Path | Database) -> None:
        self._lock = threading.Lock()
        self._db = as_database(source, "manifest")
        self._cache: dict[str, ManifestEntry] | None = None
        self._data_version = self._changes = -1
        self._generation = 0
        self._seen_own, self._next_changes = False, -1
        self._pins = threading.local()

    @property
    def database(self) -> Database:
        return self._db

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def pinned(self) -> Iterator[None]:
        """One look at the generation for a whole request (an ask reads the manifest dozens
        of times): the thread sees the committed documents as they were when it began."""
        depth = getattr(self._pins, "depth", 0)
        if depth == 0:
            with self._lock:
                self._load()
        self._pins.depth = depth + 1
        try:
            yield
        finally:
            self._pins.depth = depth

    def _load(self, conn: Connection | None = None) -> dict[str, ManifestEntry]:
        if conn is None:
            if self._cache is not None and getattr(self._pins, "depth", 0) > 0:
                return self._cache
            with self._db.read() as reading:
                return self._load(reading)
        # SQLite bumps `data_version` on other connections' commits (asking costs no I/O); a
        # shared database is asked for the generation counter every time.
        version = self._db.data_version(conn)
        if version is None or version != self._data_version:
            self._data_version = -1 if version is None else version
            changes = int(conn.execute(_GENERATION).scalar() or 0)
            if changes != self._changes:
                if self._cache is not None and 0 <= self._changes < changes:
                    self._catch_up(conn, self._cache, since=self._changes)
                    self._generation += 1
                else:  # first load, or a counter that went back (a restored database)
                    self._cache = None
                self._changes = changes
        if self._cache is None:
            self._generation += 1
            rows = conn.execute(sa.select(documents).order_by(documents.c.doc_id)).all()
            self._cache = {row.doc_id: entry_from_row(row) for row in rows}
        return self._cache

    @staticmethod
    def _catch_up(conn: Connection, cache: dict[str, ManifestEntry], *, since: int) -> None:
        """Apply what later generations removed and wrote (written after removed: a document
        removed and added again is present). Reading a generation twice is harmless."""
        gone = conn.execute(
            sa.select(removed_documents.c.doc_id).where(removed_documents.c.removed_in > since)
        ).scalars()
        for doc_id in gone:
            cache.pop(doc_id, None)
        rows = conn.execute(sa.select(documents).where(documents.c.changed_in > since)).all()
        for row in rows:
            cache[row.doc_id] = entry_from_row(row)

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
        with self._lock, self._db.read() as conn:
            rows = conn.execute(
                sa.select(pending).order_by(pending.c.started_at, pending.c.doc_id)
            ).all()
        return [
            PendingOp(
                doc_id=row.doc_id, op=row.op, phase=row.phase,
                document=doc_from_json(row.document) if row.document else None,
                content_hash=row.content_hash, chunk_ids=tuple(json.loads(row.chunk_ids)),
                stale_ids=tuple(json.loads(row.stale_ids)),
            )
            for row in rows
        ]  # fmt: skip

    def pending_count(self) -> int:
        with self._lock, self._db.read() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(pending)).scalar_one())

    def begin_puts(self, puts: Sequence[PlannedPut]) -> dict[str, tuple[str, ...]]:
        """Journal new versions before any store write; returns each document's stale ids.

        Stale: what the committed version (and any unfinished earlier attempt) owned that the
        new version does not.
        """
        stale: dict[str, tuple[str, ...]] = {}
        with self._lock, self._db.write() as conn:
            committed = self._load(conn)
            for put in puts:
                doc_id = put.document.id
                before = set(committed[doc_id].chunk_ids) if doc_id in committed else set()
                before |= self._journaled_ids(conn, doc_id)  # an earlier attempt's own chunks
                old = tuple(sorted(before - set(put.chunk_ids)))
                stale[doc_id] = old
                self._journal(conn, doc_id, "put", "writing", put.chunk_ids, old,
                              doc_to_json(put.document), put.content_hash)  # fmt: skip
        return stale

    def commit_puts(self, puts: Sequence[PlannedPut]) -> None:
        """The new versions become visible; their journal rows move on to cleanup."""
        with self._lock:
            cache = self._load()
            with self._db.write() as conn:
                written, generation = now(), self._bump(conn)
                ids = [put.document.id for put in puts]
                for put in puts:
                    row = document_row(put, written, generation)
                    conn.execute(self._upsert(documents, row, "doc_id"))
                conn.execute(
                    pending.update().where(pending.c.doc_id.in_(ids)).values(phase="cleanup")
                )
                conn.execute(removed_documents.delete().where(removed_documents.c.doc_id.in_(ids)))
            for put in puts:  # the cache follows only once the transaction is in
                cache[put.document.id] = ManifestEntry(
                    put.document, put.content_hash, put.chunk_ids
                )
            self._adopt_own_change()
            self._generation += 1  # derived indexes (BM25, vocabulary) follow it

    def begin_delete(self, doc_id: str) -> tuple[str, ...]:
        """Hide `doc_id` now and journal the deletion of its chunks; returns those ids."""
        with self._lock:
            cache = self._load()
            with self._db.write() as conn:
                ids = set(cache[doc_id].chunk_ids) if doc_id in cache else set()
                stale = tuple(sorted(ids | self._journaled_ids(conn, doc_id)))
                conn.execute(documents.delete().where(documents.c.doc_id == doc_id))
                gone = {"doc_id": doc_id, "removed_in": self._bump(conn)}
                conn.execute(self._upsert(removed_documents, gone, "doc_id"))
                self._journal(conn, doc_id, "delete", "cleanup", (), stale, None, None)
            cache.pop(doc_id, None)
            self._adopt_own_change()
            self._generation += 1  # derived indexes (BM25, vocabulary) follow it
        return stale

    def finish(self, doc_ids: Iterable[str]) -> None:
        ids = list(doc_ids)
        if not ids:
            return
        with self._lock, self._db.write() as conn:
            conn.execute(pending.delete().where(pending.c.doc_id.in_(ids)))

    def _adopt_own_change(self) -> None:
        # Our own commit need not make every worker of this process re-read the manifest.
        if self._seen_own:
            self._changes = self._next_changes

    # -- statements --------------------------------------------------------------------------
    @staticmethod
    def _journaled_ids(conn: Connection, doc_id: str) -> set[str]:
        row = conn.execute(
            sa.select(pending.c.chunk_ids, pending.c.stale_ids).where(pending.c.doc_id == doc_id)
        ).first()
        return set(json.loads(row[0])) | set(json.loads(row[1])) if row else set()

    def _journal(
        self, conn: Connection, doc_id: str, op: str, phase: str, chunk_ids: Sequence[str],
        stale_ids: Sequence[str], document: str | None, digest: str | None,
    ) -> None:  # fmt: skip
        row = {"doc_id": doc_id, "op": op, "phase": phase, "document": document,
               "content_hash": digest, "chunk_ids": json.dumps(list(chunk_ids)),
               "stale_ids": json.dumps(list(stale_ids)), "started_at": now()}  # fmt: skip
        conn.execute(self._upsert(pending, row, "doc_id"))

    def _upsert(self, table: sa.Table, row: dict[str, Any], key: str) -> Any:
        statement = self._db.insert(table).values(**row)
        return statement.on_conflict_do_update(
            index_elements=[key], set_={k: v for k, v in row.items() if k != key}
        )

    def _bump(self, conn: Connection) -> int:
        """Move the generation on (returned); the cache stays valid when no one else moved it
        since."""
        statement = self._db.insert(counters).values(name="documents", value=1)
        value = conn.execute(
            statement.on_conflict_do_update(
                index_elements=["name"], set_={"value": counters.c.value + 1}
            ).returning(counters.c.value)
        ).scalar_one()
        self._seen_own = int(value) == self._changes + 1 and self._cache is not None
        self._next_changes = int(value)
        return int(value)


_GENERATION = sa.select(counters.c.value).where(counters.c.name == "documents")
