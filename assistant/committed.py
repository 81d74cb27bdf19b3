"""Retrieval that only ever passes on committed chunks.

While a document is being rewritten the store briefly holds chunks of two versions. A hit is
kept only when the committed manifest entry owns it *and* the document's text at its offsets is
the hit's text — so `quote == document_text[start:end]` holds for every citation even mid-write.
"""

from __future__ import annotations

from assistant.manifest import Manifest
from assistant.retrieval import Retriever, VectorCache
from assistant.store import ChunkStore
from assistant.types import Passage


class CommittedRetriever(Retriever):
    def __init__(self, store: ChunkStore, manifest: Manifest, vectors: VectorCache) -> None:
        super().__init__(store, manifest, vectors)
        self._committed = manifest

    def retrieve(self, query: str, k: int) -> list[Passage]:
        return [p for p in super().retrieve(query, k) if self._visible(p)]

    def _visible(self, passage: Passage) -> bool:
        entry = self._committed.get(passage.doc_id)
        return (
            entry is not None
            and passage.chunk_id in entry.chunk_ids
            and entry.document.text[passage.start : passage.end] == passage.text
        )
