"""Invariants every reliability trial ends with: nothing lost, duplicated or unreachable."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant.assistant import Assistant
from assistant.index.manifest import content_hash
from assistant.index.reachability import REACH_K
from assistant.intake.chunking import chunk_document
from assistant.intake.loading import load_paths


@dataclass(frozen=True)
class Consistency:
    documents: int  # in the corpus folder
    committed: int  # of those, committed with their current content
    pending: int  # journal rows left
    manifest_chunks: int
    store_chunks: int
    missing: int  # owned by the manifest, absent from the store
    orphans: int  # in the store, owned by nothing
    duplicates: int  # chunk ids owned twice / same (doc, index) twice
    unreachable: int  # present but not returned by a query with the chunk's own vector
    wrong_offsets: int  # stored hit whose text is not document_text[start:end]

    @property
    def ok(self) -> bool:
        return (
            self.committed == self.documents
            and self.pending == 0
            and self.manifest_chunks == self.store_chunks
            and not (self.missing or self.orphans or self.duplicates)
            and not (self.unreachable or self.wrong_offsets)
        )


def check(assistant: Assistant, corpus: Path) -> Consistency:
    settings = assistant.settings
    key = assistant._ingestor.writer.chunking_key
    loaded = load_paths([corpus], max_bytes=settings.max_file_bytes).documents
    committed = 0
    for doc in loaded:
        entry = assistant.manifest.get(doc.id)
        if entry and entry.content_hash == content_hash(doc, key):
            committed += 1
    entries = assistant.manifest.entries()
    owned = [cid for e in entries for cid in e.chunk_ids]
    positions = [(e.document.id, cid.split(":")[-2]) for e in entries for cid in e.chunk_ids]
    duplicates = (len(owned) - len(set(owned))) + (len(positions) - len(set(positions)))
    present = assistant.store.existing_ids(owned)
    store_count = assistant.store.count()
    unreachable = wrong = 0
    embed = assistant._ingestor.writer.embeddings
    for entry in entries:
        chunks = chunk_document(
            entry.document, max_chars=settings.chunk_max_chars, min_chars=settings.chunk_min_chars
        )
        vectors = embed.embed_documents([c.text for c in chunks])
        for chunk, vector in zip(chunks, vectors, strict=True):
            hits = assistant.store.search(vector, REACH_K)
            hit = next((h for h in hits if h.chunk_id == chunk.id), None)
            if hit is None:
                unreachable += 1
            elif (hit.start, hit.end, hit.text) != (chunk.start, chunk.end, chunk.text):
                wrong += 1
    return Consistency(
        documents=len(loaded), committed=committed, pending=assistant.manifest.pending_count(),
        manifest_chunks=len(set(owned)), store_chunks=store_count,
        missing=len(set(owned) - present), orphans=max(0, store_count - len(present)),
        duplicates=duplicates, unreachable=unreachable, wrong_offsets=wrong,
    )  # fmt: skip
