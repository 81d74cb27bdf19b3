"""The BM25 index kept in step with the committed chunks.

The manifest is the truth (see `manifest.py`): the index is derived from its committed
documents only — each re-chunked with the store's chunking, keeping exactly the chunk ids the
manifest says it owns — so a chunk of a pending or half-written document is never indexed.

* Key: a digest of every committed (doc id, content hash) plus the tokenizer version. A saved
  index lives in DATA_DIR/lexical/<key>/; a process loads the one matching the manifest, else
  builds and saves one (written to a temp folder, then renamed: never a half-written index).
* In a process: `Manifest.generation` changes with every commit/delete. The writer refreshes
  the index right after its write (`refresh`), so what it just wrote is searchable at once;
  a reader that finds its index stale (another process wrote) keeps answering from it while
  one background thread rebuilds — a first question after a large ingest never waits for a
  BM25 build. Stale hits are harmless: retrieval keeps only chunks the manifest still commits.
  Rebuilds reuse the tokens of unchanged documents, so an ingest costs one re-index, not
  re-tokenizing the corpus.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

from assistant.index.bm25 import TOKENIZER_VERSION, Bm25Index, Hit, Row, tokenize
from assistant.index.manifest import Manifest, ManifestEntry
from assistant.types import Chunk, Document

log = logging.getLogger(__name__)

Chunker = Callable[[Document], list[Chunk]]


def manifest_key(entries: Sequence[ManifestEntry]) -> str:
    """Changes whenever a committed document (text, metadata or chunking) changes."""
    digest = hashlib.sha256(TOKENIZER_VERSION.encode())
    for entry in sorted(entries, key=lambda e: e.document.id):
        digest.update(f"{entry.document.id}\0{entry.content_hash}\0".encode())
    return digest.hexdigest()[:32]


class LexicalIndex:
    """Thread-safe owner of the current `Bm25Index`; `directory=None`: memory only."""

    def __init__(self, manifest: Manifest, chunker: Chunker, directory: Path | None) -> None:
        self._manifest = manifest
        self._chunker = chunker
        self._directory = directory
        self._lock = threading.Lock()  # guards the fields below, held only briefly
        self._build_lock = threading.Lock()  # one build at a time
        self._rebuilding = False
        self._index: Bm25Index | None = None
        self._generation = -1
        # per (doc id, content hash): its rows and their tokens, reused across rebuilds
        self._tokens: dict[tuple[str, str], list[tuple[Row, list[str]]]] = {}

    def search(self, query: str, k: int, allowed_docs: set[str] | None = None) -> list[Hit]:
        return self.current().search(query, k, allowed_docs)

    def current(self) -> Bm25Index:
        """The index to search now: the committed chunks' when it is up to date or there is
        none yet (built or loaded here); else the last one, while a rebuild runs behind."""
        with self._lock:
            index = self._index
            if index is not None and self._manifest.generation != self._generation:
                if not self._rebuilding:
                    self._rebuilding = True
                    threading.Thread(
                        target=self._refresh_behind, name="bm25-rebuild", daemon=True
                    ).start()
                return index
        return index if index is not None else self.refresh()

    def refresh(self) -> Bm25Index:
        """Bring the index up to date with the committed chunks now (the writer calls this)."""
        with self._build_lock:
            generation = self._manifest.generation
            with self._lock:
                if self._index is not None and generation == self._generation:
                    return self._index
            entries = self._manifest.entries()
            key = manifest_key(entries)
            index = self._index
            if index is None or index.key != key:
                index = self._load(key) or self._rebuild(entries, key)
            with self._lock:
                self._index, self._generation = index, generation
            return index

    def _refresh_behind(self) -> None:
        try:
            self.refresh()
        except Exception:  # the old index keeps serving; the next stale search tries again
            log.exception("BM25 rebuild failed")
        finally:
            with self._lock:
                self._rebuilding = False

    def _load(self, key: str) -> Bm25Index | None:
        if self._directory is None or not (self._directory / key).is_dir():
            return None
        return Bm25Index.load(self._directory / key)

    def _rebuild(self, entries: Sequence[ManifestEntry], key: str) -> Bm25Index:
        began = time.perf_counter()
        rows: list[Row] = []
        tokens: list[list[str]] = []
        fresh: dict[tuple[str, str], list[tuple[Row, list[str]]]] = {}
        for entry in entries:
            cache_key = (entry.document.id, entry.content_hash)
            items = self._tokens.get(cache_key)
            if items is None:
                items = self._rows_of(entry)
            fresh[cache_key] = items
            for row, terms in items:
                rows.append(row)
                tokens.append(terms)
        self._tokens = fresh
        index = Bm25Index.build(rows, tokens, key)
        log.info("built the BM25 index", extra={"chunks": len(rows),
                 "seconds": round(time.perf_counter() - began, 3)})  # fmt: skip
        self._save(index)
        return index

    def _rows_of(self, entry: ManifestEntry) -> list[tuple[Row, list[str]]]:
        """The committed chunks of `entry`: re-chunked, keeping only the ids it owns."""
        owned = set(entry.chunk_ids)
        chunks = [c for c in self._chunker(entry.document) if c.id in owned]
        if len(chunks) != len(owned):  # chunking changed since it was written; ingest redoes it
            log.warning("document chunks differ from the manifest; partly left out of BM25",
                        extra={"doc_id": entry.document.id})  # fmt: skip
        return [(Row(c.id, c.doc_id, c.start, c.end), tokenize(c.text)) for c in chunks]

    def _save(self, index: Bm25Index) -> None:
        if self._directory is None:
            return
        target = self._directory / index.key
        temp = self._directory / f".tmp-{uuid.uuid4().hex}"
        try:
            index.save(temp)
            temp.rename(target)
        except OSError as exc:  # another process saved the same key first, or a full disk
            if not target.is_dir():
                log.warning("could not save the BM25 index", extra={"error": str(exc)})
        finally:
            shutil.rmtree(temp, ignore_errors=True)
        for old in self._directory.iterdir():  # keep only the current index
            if old.name != index.key and not old.name.startswith(".tmp-"):
                shutil.rmtree(old, ignore_errors=True)
