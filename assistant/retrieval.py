"""Question → top-k passages (dense search over the chunk store, joined with the manifest)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Protocol

from langchain_core.embeddings import Embeddings

from assistant.manifest import Manifest
from assistant.store import ChunkStore
from assistant.types import Passage


class StoredVectors(Protocol):
    """Vectors computed ahead of time (`sentence_vectors.SentenceVectors`)."""

    def lookup(self, texts: Sequence[str]) -> dict[str, list[float]]: ...


class VectorCache:
    """Bounded LRU of text → embedding, so repeated questions skip the encoder.

    Document texts (an answer's candidate sentences) are looked up in `stored` first — vectors
    of the same encoder computed at ingest — and only the rest are encoded.
    """

    def __init__(
        self, embeddings: Embeddings, size: int = 2048, stored: StoredVectors | None = None
    ) -> None:
        self._embeddings = embeddings
        self._stored = stored
        self._size = size
        self._items: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def query(self, text: str) -> list[float]:
        return self._get([text], query=True)[0]

    def documents(self, texts: list[str]) -> list[list[float]]:
        return self._get(texts, query=False)

    def clear(self) -> None:
        """Forget every cached vector (benchmarks time first asks with it)."""
        with self._lock:
            self._items.clear()

    def _get(self, texts: list[str], *, query: bool) -> list[list[float]]:
        prefix = "q:" if query else "d:"
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if prefix + t not in self._items]
        found = self._stored.lookup(missing) if missing and self._stored and not query else {}
        missing = [t for t in missing if t not in found]
        if missing:
            vectors = (
                [self._embeddings.embed_query(missing[0])]
                if query
                else self._embeddings.embed_documents(missing)
            )
            found.update(zip(missing, vectors, strict=True))
        if found:
            with self._lock:
                for text, vector in found.items():
                    self._items[prefix + text] = vector
                while len(self._items) > self._size:
                    self._items.popitem(last=False)
        with self._lock:
            for t in texts:
                self._items.move_to_end(prefix + t)
            return [self._items[prefix + t] for t in texts]


class Retriever:
    def __init__(self, store: ChunkStore, manifest: Manifest, vectors: VectorCache) -> None:
        self._store = store
        self._manifest = manifest
        self._vectors = vectors

    def retrieve(self, query: str, k: int) -> list[Passage]:
        hits = self._store.search(self._vectors.query(query), k)
        passages = []
        for hit in hits:
            entry = self._manifest.get(hit.doc_id)
            if entry is None:  # vector without a manifest record: never cite it
                continue
            doc = entry.document
            passages.append(
                Passage(
                    chunk_id=hit.chunk_id, doc_id=hit.doc_id, title=doc.title, text=hit.text,
                    start=hit.start, end=hit.end, score=hit.score,
                    published=doc.published, source=doc.source,
                )
            )  # fmt: skip
        return passages
