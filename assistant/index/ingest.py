"""Corpus → store, idempotently and crash-safely.

Unchanged documents write nothing; an edited document gets only its missing chunks written, and
its stale ones deleted after the new version is committed; documents whose source file is gone
are removed. Every write goes through the journal in `writer.StoreWriter`, holds the data dir's
writer lock (`locking.WriterLock`), and the first write of a process first replays whatever a
crash left pending and reconciles the store with the manifest (`recovery`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from langchain_core.embeddings import Embeddings

from assistant.config import Settings
from assistant.database.locking import WriterBusy, WriterLock
from assistant.index.manifest import Manifest, content_hash
from assistant.index.ownership import held_elsewhere
from assistant.index.recovery import RecoveryReport, reconcile, replay
from assistant.index.store import ChunkStore
from assistant.index.writer import GROUP_CHUNKS, ProgressFn, Put, StoreWriter, WriteStats, groups
from assistant.intake.loading import expected_documents, iter_paths
from assistant.types import Chunk, Document, DocumentChange, IngestReport, SkippedFile

log = logging.getLogger(__name__)

__all__ = ["Ingestor", "ProgressFn"]

#: Documents synced at a time while a collection streams in: memory stays bounded by this
#: (not by the file), and each batch still fills several full write groups.
STREAM_BATCH = 512
_COUNTS = ("documents_added", "documents_updated", "documents_unchanged", "documents_removed",
           "chunks_written", "chunks_deleted")  # fmt: skip


def _under(path: str | None, roots: Sequence[Path]) -> bool:
    if path is None:
        return False
    resolved = Path(path).resolve()
    return any(resolved.is_relative_to(root) for root in roots)


def _yielded(path: Path, loaded_paths: set[str]) -> bool:
    """Did any document come from `path` (a file, or a file under a folder)?"""
    if str(path) in loaded_paths:
        return True
    root = path.resolve()
    return path.is_dir() and any(_under(p, [root]) for p in loaded_paths)


class Ingestor:
    def __init__(
        self,
        settings: Settings,
        manifest: Manifest,
        store: ChunkStore,
        embeddings: Embeddings,
        lock: WriterLock | None = None,
        probe: Embeddings | None = None,
        index_sentences: Callable[[Sequence[Chunk]], object] | None = None,
    ) -> None:
        self._settings = settings
        self._manifest = manifest
        self._store = store
        self.lock = lock or WriterLock.for_settings(settings)
        self.writer = StoreWriter(
            manifest, store, embeddings, embed_batch=settings.embedding_batch_size,
            chunk_max_chars=settings.chunk_max_chars, chunk_min_chars=settings.chunk_min_chars,
            probe=probe, index_sentences=index_sentences,
        )  # fmt: skip
        self._reconciled = False

    # -- recovery --------------------------------------------------------------------------------
    def recover(self, *, deep: bool = False) -> RecoveryReport | None:
        """Replay interrupted writes and reconcile store ↔ manifest (every chunk checked by
        query with `deep`). None when another process owns the store: recovery is its job."""
        try:
            with self.lock.hold("briefing recovery"):
                return self._recover(full=True, deep=deep)
        except WriterBusy:
            return None

    def recover_quick(self) -> RecoveryReport | None:
        """At start: replay the journal; reconcile only when the store's ids are not exactly
        the manifest's."""
        try:
            with self.lock.hold("briefing recovery"):
                return self._recover(full=False, deep=False)
        except WriterBusy:
            return None

    def _recover(self, *, full: bool, deep: bool) -> RecoveryReport:
        replayed = replay(self.writer)
        owned = {cid for e in self._manifest.entries() for cid in e.chunk_ids}
        if not full and self._store.ids() == owned:
            return RecoveryReport(replayed=replayed)
        report = reconcile(self.writer, deep=deep)
        self._reconciled = True
        if replayed or not report.clean:
            log.warning("store reconciled with the manifest",
                        extra={"replayed": replayed, "report": report})  # fmt: skip
        return RecoveryReport(
            replayed, report.missing_rewritten, report.orphans_deleted, report.orphans_left,
            report.unreachable_rewritten, report.chunks_checked,
        )  # fmt: skip

    def _before_writing(self) -> None:
        if not self._reconciled:
            self._recover(full=True, deep=False)
        elif self._manifest.pending_count():
            replay(self.writer)

    # -- ingest ----------------------------------------------------------------------------------
    def ingest_paths(
        self, paths: Sequence[Path], progress: ProgressFn | None = None
    ) -> IngestReport:
        """Stream files in and sync them; folders given here are synced (deleted files removed).

        `progress(documents_done, documents_expected)`: a JSONL collection is counted by lines
        up front, so the total is known before the first record is read.
        """
        started = time.perf_counter()
        # stored paths must not depend on where the next ingest runs from (pruning reads them)
        paths = [Path(p).absolute() for p in paths]
        unreachable_before = len(self.writer.left_unreachable)
        expected = expected_documents(paths) if progress else 0
        skipped: list[SkippedFile] = []
        seen: set[str] = set()
        loaded_paths: set[str] = set()
        counts = dict.fromkeys(_COUNTS, 0)
        batch: list[Document] = []
        done = 0

        def within(chunks_done: int, chunks_total: int) -> None:
            if progress and chunks_total:  # the batch's share, as embedding goes
                share = len(batch) * chunks_done // chunks_total
                progress(done + share, max(expected, done + len(batch)))

        def flush() -> None:
            nonlocal done
            for key, value in self._sync(batch, (), frozenset(), within).items():
                counts[key] += value
            done += len(batch)
            batch.clear()
            if progress:
                progress(done, max(expected, done))

        with self.lock.hold("briefing ingest"):
            self._before_writing()
            if progress:
                progress(0, expected)
            for item in iter_paths(paths, max_bytes=self._settings.max_file_bytes):
                if isinstance(item, SkippedFile):
                    log.info("skipped %s: %s", item.path, item.reason)  # the report lists it
                    skipped.append(item)
                    continue
                if other := held_elsewhere(item, self._manifest.get(item.id)):
                    why = f"duplicate document id {item.id!r} (already ingested from {other})"
                    skipped.append(SkippedFile(item.path or item.id, why))
                    continue
                seen.add(item.id)
                if item.path:
                    loaded_paths.add(item.path)
                batch.append(item)
                if len(batch) >= STREAM_BATCH:
                    flush()
            flush()
            roots = [p.resolve() for p in paths if p.is_dir()]
            # a file with bad records (JSONL line) keeps the documents we can no longer read
            partial = {s.path.rsplit(":", 1)[0] for s in skipped}
            removed, deleted = self._prune(seen, loaded_paths, roots, partial)
        counts["documents_removed"] += removed
        counts["chunks_deleted"] += deleted
        return IngestReport(
            documents_seen=len(seen),
            skipped=tuple(skipped),
            seconds=time.perf_counter() - started,
            empty_paths=tuple(str(p) for p in paths if not _yielded(p, loaded_paths)),
            chunks_unreachable=len(self.writer.left_unreachable) - unreachable_before,
            **counts,
        )

    def sync(
        self,
        documents: Sequence[Document],
        *,
        prune_under: Sequence[Path] = (),
        keep_paths: set[str] | frozenset[str] = frozenset(),
        progress: ProgressFn | None = None,
    ) -> dict[str, int]:
        with self.lock.hold("briefing ingest"):
            self._before_writing()
            return self._sync(documents, prune_under, keep_paths, progress)

    def _sync(
        self,
        documents: Sequence[Document],
        prune_under: Sequence[Path],
        keep_paths: set[str] | frozenset[str],
        progress: ProgressFn | None,
    ) -> dict[str, int]:
        key = self.writer.chunking_key
        counts = dict.fromkeys(_COUNTS, 0)
        current = {d.id: self._manifest.get(d.id) for d in documents}
        digests = {d.id: content_hash(d, key) for d in documents}
        same = {
            d.id: e.chunk_ids
            for d in documents
            if (e := current[d.id]) and (e.content_hash, e.document.path) == (digests[d.id], d.path)
        }
        present = self._store.existing_ids([i for ids in same.values() for i in ids])
        unchanged = {doc_id for doc_id, ids in same.items() if set(ids) <= present}
        puts: list[Put] = []
        for doc in documents:
            if doc.id in unchanged:
                counts["documents_unchanged"] += 1
                continue
            puts.append(self.writer.plan(doc, digests[doc.id], current[doc.id]))
            counts["documents_updated" if current[doc.id] else "documents_added"] += 1

        present = self._store.existing_ids([c.id for p in puts for c in p.chunks])
        total = sum(1 for p in puts for c in p.chunks if c.id not in present or c.id in p.moved)
        done = 0
        if progress:
            progress(0, total)

        def embedded(n: int) -> None:
            nonlocal done
            done += n
            if progress:
                progress(done, total)

        stats = WriteStats()
        for group in groups(puts, present, GROUP_CHUNKS):
            self.lock.ensure_held()  # a long ingest may outlive its lock
            self.writer.put_group(group, present, stats, embedded)
        counts["chunks_written"] += stats.chunks_written
        counts["chunks_deleted"] += stats.chunks_deleted

        if prune_under:
            removed, deleted = self._prune(
                {d.id for d in documents}, {d.path for d in documents if d.path},
                prune_under, keep_paths,
            )  # fmt: skip
            counts["documents_removed"] += removed
            counts["chunks_deleted"] += deleted
        return counts

    def _prune(
        self,
        seen: set[str],
        loaded_paths: set[str],
        prune_under: Sequence[Path],
        keep_paths: set[str] | frozenset[str],
    ) -> tuple[int, int]:
        """Remove documents under `prune_under` that this sync no longer found: (docs, chunks)."""
        removed = deleted = 0
        if not prune_under:
            return 0, 0
        for entry in self._manifest.entries():
            doc = entry.document
            if doc.id in seen or not _under(doc.path, prune_under) or doc.path in keep_paths:
                continue
            if doc.path and Path(doc.path).exists() and doc.path not in loaded_paths:
                # The file is still there but failed to load this time: keep what we had.
                continue
            deleted += self.writer.delete(doc.id)
            removed += 1
        return removed, deleted

    # -- single documents (the API) --------------------------------------------------------------
    def put(self, document: Document) -> DocumentChange:
        """Add or update one document."""
        counts = self.sync([document])
        status: Literal["added", "updated", "unchanged"] = (
            "added" if counts["documents_added"]
            else "updated" if counts["documents_updated"] else "unchanged"
        )  # fmt: skip
        entry = self._manifest.get(document.id)
        return DocumentChange(
            document.id, status, counts["chunks_written"], counts["chunks_deleted"],
            len(entry.chunk_ids) if entry else 0,
        )  # fmt: skip

    def remove(self, doc_id: str) -> DocumentChange | None:
        """Remove one document; None when there is no such document."""
        with self.lock.hold("briefing ingest"):
            self._before_writing()
            if self._manifest.get(doc_id) is None:
                return None
            deleted = self.writer.delete(doc_id)
        return DocumentChange(doc_id, "deleted", 0, deleted, 0)
