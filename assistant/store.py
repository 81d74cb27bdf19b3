"""Vector store for chunks: Chroma behind a small interface. The only module importing chromadb.

Vectors and chunk positions live here; document metadata lives in the manifest, so a title
edit never requires re-embedding.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from langchain_core.embeddings import Embeddings

from assistant.errors import StoreError
from assistant.types import Chunk

log = logging.getLogger(__name__)

COLLECTION = "briefing_chunks"
_T = TypeVar("_T")


@dataclass(frozen=True)
class StoredHit:
    """A chunk found by similarity search; `score` is cosine similarity (higher is closer)."""

    chunk_id: str
    doc_id: str
    text: str
    start: int
    end: int
    score: float


class ChunkStore:
    """Chroma collection of chunk vectors, persisted under `directory`."""

    def __init__(self, directory: Path, embeddings: Embeddings) -> None:
        try:
            import chromadb
            from chromadb.config import Settings as ChromaSettings
            from langchain_chroma import Chroma

            directory.mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(
                path=str(directory), settings=ChromaSettings(anonymized_telemetry=False)
            )
            self._max_batch = int(client.get_max_batch_size())
            self._chroma = Chroma(
                collection_name=COLLECTION,
                embedding_function=embeddings,
                client=client,
                collection_metadata={"hnsw:space": "cosine"},
            )
        except Exception as exc:
            raise StoreError(f"cannot open the vector store at {directory}: {exc}") from exc

    def count(self) -> int:
        return len(self._chroma.get(include=[])["ids"])

    def existing_ids(self, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for batch in _batches(list(ids), self._max_batch):
            found.update(self._chroma.get(ids=batch, include=[])["ids"])
        return found

    def add(self, chunks: Sequence[Chunk]) -> None:
        """Embed and write `chunks` (the embedding provider is called per batch)."""
        for batch in _batches(list(chunks), self._max_batch):
            try:
                self._chroma.add_texts(
                    texts=[c.text for c in batch],
                    metadatas=[
                        {"doc_id": c.doc_id, "index": c.index, "start": c.start, "end": c.end}
                        for c in batch
                    ],
                    ids=[c.id for c in batch],
                )
            except Exception as exc:
                raise StoreError(f"writing {len(batch)} chunks failed: {exc}") from exc

    def delete(self, ids: Iterable[str]) -> None:
        for batch in _batches(list(ids), self._max_batch):
            self._chroma.delete(ids=batch)

    def search(self, vector: list[float], k: int) -> list[StoredHit]:
        try:
            results = self._chroma.similarity_search_by_vector_with_relevance_scores(vector, k=k)
        except Exception as exc:
            raise StoreError(f"vector search failed: {exc}") from exc
        hits = []
        # langchain-chroma returns the raw cosine *distance* here despite the method's name.
        for doc, distance in results:
            meta: dict[str, Any] = doc.metadata
            hits.append(
                StoredHit(
                    chunk_id=str(doc.id), doc_id=str(meta["doc_id"]), text=doc.page_content,
                    start=int(meta["start"]), end=int(meta["end"]), score=1.0 - float(distance),
                )
            )  # fmt: skip
        return hits


def _batches(items: list[_T], size: int) -> Iterable[list[_T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
