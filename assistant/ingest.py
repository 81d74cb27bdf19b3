"""Corpus → store, idempotently.

Unchanged documents write nothing; an edited document gets its new chunks written before its
stale ones are deleted; documents whose source file is gone are removed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from assistant.chunking import chunk_document
from assistant.config import Settings
from assistant.documents import load_paths
from assistant.manifest import Manifest, content_hash
from assistant.store import ChunkStore
from assistant.types import Chunk, Document, IngestReport

log = logging.getLogger(__name__)

#: Called as progress(chunks_done, chunks_total) while embedding.
ProgressFn = Callable[[int, int], None]


def _chunking_key(settings: Settings) -> str:
    return f"v1:{settings.chunk_max_chars}:{settings.chunk_min_chars}"


def _under(path: str | None, roots: Sequence[Path]) -> bool:
    if path is None:
        return False
    resolved = Path(path).resolve()
    return any(resolved.is_relative_to(root) for root in roots)


class Ingestor:
    def __init__(self, settings: Settings, manifest: Manifest, store: ChunkStore) -> None:
        self._settings = settings
        self._manifest = manifest
        self._store = store

    def ingest_paths(
        self, paths: Sequence[Path], progress: ProgressFn | None = None
    ) -> IngestReport:
        """Load files and sync them; folders given here are synced (deleted files removed)."""
        started = time.perf_counter()
        loaded = load_paths(paths, max_bytes=self._settings.max_file_bytes)
        for skip in loaded.skipped:
            log.warning("skipped %s: %s", skip.path, skip.reason)
        roots = [p.resolve() for p in paths if p.is_dir()]
        # a file with bad records (JSONL line) keeps the documents we can no longer read
        partial = {s.path.rsplit(":", 1)[0] for s in loaded.skipped}
        stats = self.sync(
            loaded.documents, prune_under=roots, keep_paths=partial, progress=progress
        )
        return IngestReport(
            documents_seen=len(loaded.documents),
            skipped=loaded.skipped,
            seconds=time.perf_counter() - started,
            **stats,
        )

    def sync(
        self,
        documents: Sequence[Document],
        *,
        prune_under: Sequence[Path] = (),
        keep_paths: set[str] | frozenset[str] = frozenset(),
        progress: ProgressFn | None = None,
    ) -> dict[str, int]:
        key = _chunking_key(self._settings)
        plan: list[tuple[Document, str, list[Chunk], set[str]]] = []
        counts = dict.fromkeys(
            ("documents_added", "documents_updated", "documents_unchanged",
             "documents_removed", "chunks_written", "chunks_deleted"), 0,
        )  # fmt: skip
        for doc in documents:
            digest = content_hash(doc, key)
            entry = self._manifest.get(doc.id)
            if entry and entry.content_hash == digest and entry.document.path == doc.path:
                missing = set(entry.chunk_ids) - self._store.existing_ids(entry.chunk_ids)
                if not missing:
                    counts["documents_unchanged"] += 1
                    continue
            chunks = chunk_document(
                doc, max_chars=self._settings.chunk_max_chars,
                min_chars=self._settings.chunk_min_chars,
            )  # fmt: skip
            stale = set(entry.chunk_ids) - {c.id for c in chunks} if entry else set()
            plan.append((doc, digest, chunks, stale))
            counts["documents_updated" if entry else "documents_added"] += 1

        new_chunks: list[tuple[Document, list[Chunk]]] = []
        for doc, _, chunks, _ in plan:
            present = self._store.existing_ids([c.id for c in chunks])
            new_chunks.append((doc, [c for c in chunks if c.id not in present]))
        total = sum(len(c) for _, c in new_chunks)
        done = 0
        if progress:
            progress(0, total)
        batch = self._settings.embedding_batch_size
        for (doc, digest, chunks, stale), (_, to_write) in zip(plan, new_chunks, strict=True):
            for i in range(0, len(to_write), batch):
                part = to_write[i : i + batch]
                self._store.add(part)
                done += len(part)
                counts["chunks_written"] += len(part)
                if progress:
                    progress(done, total)
            # New chunks are in: only now drop the old version's leftovers.
            self._store.delete(stale)
            counts["chunks_deleted"] += len(stale)
            self._manifest.put(doc, digest, [c.id for c in chunks])

        if prune_under:
            seen = {d.id for d in documents}
            for entry in self._manifest.entries():
                doc = entry.document
                if doc.id in seen or not _under(doc.path, prune_under) or doc.path in keep_paths:
                    continue
                if doc.path and Path(doc.path).exists() and not _loaded_from(doc.path, documents):
                    # The file is still there but failed to load this time: keep what we had.
                    continue
                self.remove(doc.id)
                counts["documents_removed"] += 1
                counts["chunks_deleted"] += len(entry.chunk_ids)
        return counts

    def remove(self, doc_id: str) -> bool:
        entry = self._manifest.get(doc_id)
        if entry is None:
            return False
        self._store.delete(entry.chunk_ids)
        self._manifest.remove(doc_id)
        return True


def _loaded_from(path: str, documents: Sequence[Document]) -> bool:
    return any(d.path == path for d in documents)
