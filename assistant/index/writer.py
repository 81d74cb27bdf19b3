"""The crash-safe write protocol between the manifest (journal) and the vector store.

For a group of documents (one Chroma write for many small documents):

1. journal each new version as pending (`Manifest.begin_puts`) — before any store write;
2. write only the chunk ids the store does not have (an existing id is never re-upserted: a
   kill during a re-upsert can leave vectors `get` finds and `query` does not, chroma #7678);
   a chunk whose text stayed but moved within its document is deleted first, then written;
3. verify: every id present (`get`), and a sample reachable by `query` with its own vector;
   a chunk that is not is deleted and written again, once;
4. commit (`Manifest.commit_puts`): the new versions become visible to readers;
5. delete the stale ids of the old versions, then close the journal rows.

A kill anywhere leaves journal rows that `recovery.recover` replays to the same end state.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from langchain_core.embeddings import Embeddings

from assistant.errors import IngestError
from assistant.index.manifest import Manifest, ManifestEntry, PlannedPut
from assistant.index.reachability import Reachability
from assistant.index.store import ChunkStore
from assistant.intake.chunking import chunk_document
from assistant.types import Chunk, Document

log = logging.getLogger(__name__)

#: Chunks per write group checked by query before the group is committed.
VERIFY_SAMPLE = 32  # 1 in 32 of a full group, as before groups grew
#: Chunks written per journaled group: one Chroma write, and the window ingest sorts by length
#: before encoding (256 → 1024: ingest ÷ raw encoder 0.70 → 0.76 on scraped pages).
GROUP_CHUNKS = 1024
#: Documents per group at most (metadata-only updates write no chunks).
GROUP_DOCUMENTS = 256
#: Rewrites of a chunk no search finds before the write fails.
REWRITE_ATTEMPTS = 3

#: Called as progress(chunks_done, chunks_total) while embedding.
ProgressFn = Callable[[int, int], None]


@dataclass
class Put:
    """One document to write: its new version, chunks, and chunks to rewrite in place."""

    planned: PlannedPut
    chunks: list[Chunk]
    moved: set[str] = field(default_factory=set)  # ids whose stored offsets are out of date

    @property
    def document(self) -> Document:
        return self.planned.document


@dataclass
class WriteStats:
    chunks_written: int = 0
    chunks_deleted: int = 0
    repaired: int = 0  # chunks rewritten because verification found them missing/unreachable


def _index_sentences(index: Callable[[Sequence[Chunk]], object], chunks: Sequence[Chunk]) -> None:
    """A sidecar failure must not fail the write: answers stay the same, only slower."""
    try:
        index(chunks)
    except Exception as exc:
        log.warning("sentence vectors not stored (answers encode them instead): %s", exc)


def _span(chunk: Chunk) -> tuple[int, int]:
    return chunk.start, chunk.end


def groups(puts: Sequence[Put], present: set[str], max_chunks: int) -> list[list[Put]]:
    """Split puts into write groups of at most `max_chunks` chunks to write (≥ 1 put each)."""
    out: list[list[Put]] = []
    current: list[Put] = []
    size = 0
    for put in puts:
        n = sum(1 for c in put.chunks if c.id not in present or c.id in put.moved)
        if current and (size + n > max_chunks or len(current) >= GROUP_DOCUMENTS):
            out.append(current)
            current, size = [], 0
        current.append(put)
        size += n
    if current:
        out.append(current)
    return out


class StoreWriter:
    """Writes documents to the store through the manifest journal (see the module docstring)."""

    def __init__(
        self,
        manifest: Manifest,
        store: ChunkStore,
        embeddings: Embeddings,
        *,
        embed_batch: int,
        chunk_max_chars: int,
        chunk_min_chars: int,
        probe: Embeddings | None = None,
        index_sentences: Callable[[Sequence[Chunk]], object] | None = None,
    ) -> None:
        self.manifest = manifest
        self.store = store
        self.embeddings = embeddings
        #: what checks of stored chunks embed with: the query-time encoder, so checking a store
        #: never loads the ingest model (its vectors match the ingest encoder's, cosine ≥ 0.9999)
        self.probe = probe or embeddings
        #: also given every embedded chunk (the sentence-vector sidecar); its failure is logged
        self.index_sentences = index_sentences
        self._embed_batch = embed_batch
        self._max_chars = chunk_max_chars
        self._min_chars = chunk_min_chars
        self._random = random.Random(0)
        self.reach = Reachability(store, manifest)
        #: chunks the vector index would not link in after REWRITE_ATTEMPTS (see `verify`)
        self.left_unreachable: list[str] = []

    @property
    def chunking_key(self) -> str:
        """Part of every content hash: changing the chunking re-chunks every document."""
        return f"v1:{self._max_chars}:{self._min_chars}"

    def chunks(self, document: Document) -> list[Chunk]:
        return chunk_document(document, max_chars=self._max_chars, min_chars=self._min_chars)

    def plan(self, document: Document, digest: str, current: ManifestEntry | None) -> Put:
        """What writing `document` takes, given the version the manifest has now."""
        chunks = self.chunks(document)
        moved: set[str] = set()
        if current is not None:
            shared = {c.id for c in chunks} & set(current.chunk_ids)
            if shared:
                old = {c.id: (c.start, c.end) for c in self.chunks(current.document)}
                if set(old) != set(current.chunk_ids):  # chunked with other settings
                    moved = shared
                else:  # same text and position in the order, but not the same offsets
                    moved = {
                        c.id for c in chunks if c.id in shared and old[c.id] != (c.start, c.end)
                    }
        return Put(PlannedPut(document, digest, tuple(c.id for c in chunks)), chunks, moved)

    # -- puts ------------------------------------------------------------------------------------
    def put_group(
        self,
        puts: Sequence[Put],
        present: set[str],
        stats: WriteStats,
        on_embedded: Callable[[int], None] | None = None,
    ) -> None:
        """Write one group of documents; `present`: ids known to be in the store already."""
        if not puts:
            return
        stale = self.manifest.begin_puts([p.planned for p in puts])
        moved = sorted({i for p in puts for i in p.moved})
        if moved:  # delete first, then write: never an upsert over an existing id
            self.store.delete(moved)
            stats.chunks_deleted += len(moved)
            present -= set(moved)
        to_write = [c for p in puts for c in p.chunks if c.id not in present]
        vectors = self._embed(to_write, on_embedded)
        self.store.add_vectors(to_write, vectors)
        self.reach.count_written(to_write)
        stats.chunks_written += len(to_write)
        stats.repaired += self.verify([c for p in puts for c in p.chunks], to_write, vectors)
        self.manifest.commit_puts([p.planned for p in puts])
        old = sorted({i for ids in stale.values() for i in ids})
        self.store.delete(old)
        stats.chunks_deleted += len(old)
        self.manifest.finish(p.document.id for p in puts)
        present.update(c.id for p in puts for c in p.chunks)

    def _embed(
        self, chunks: Sequence[Chunk], on_embedded: Callable[[int], None] | None = None
    ) -> list[list[float]]:
        # Batches of similar length pad little: a batch runs as long as its longest text, and
        # unsorted scraped chunks (a 40-character footer beside a 700-character paragraph)
        # made ingest's encoder ~1.5x slower than the same encoder on the same chunks.
        order = sorted(range(len(chunks)), key=lambda i: len(chunks[i].text))
        vectors: list[list[float]] = [[] for _ in chunks]
        for i in range(0, len(order), self._embed_batch):
            part = [chunks[j] for j in order[i : i + self._embed_batch]]
            try:
                encoded = self.embeddings.embed_documents([c.text for c in part])
            except Exception as exc:
                raise IngestError(f"embedding {len(part)} chunks failed: {exc}") from exc
            for j, vector in zip(order[i : i + self._embed_batch], encoded, strict=True):
                vectors[j] = vector
            if self.index_sentences:
                _index_sentences(self.index_sentences, part)
            if on_embedded:
                on_embedded(len(part))
        return vectors

    # -- deletes ---------------------------------------------------------------------------------
    def delete(self, doc_id: str) -> int:
        """Hide the document, then delete its chunks (journaled); the number deleted."""
        ids = self.manifest.begin_delete(doc_id)
        self.store.delete(ids)
        self.manifest.finish([doc_id])
        return len(ids)

    # -- verification ----------------------------------------------------------------------------
    def verify(
        self,
        wanted: Sequence[Chunk],
        written: Sequence[Chunk],
        vectors: Sequence[Sequence[float]],
        sample: int | None = VERIFY_SAMPLE,
    ) -> int:
        """Check `wanted` are present and (a sample of) `written` reachable; repair once.

        Returns how many chunks had to be rewritten; raises IngestError if a missing chunk cannot
        be written; a chunk the index will not link in is counted in `left_unreachable`.
        """
        repaired = 0
        missing = {c.id for c in wanted} - self.store.existing_ids([c.id for c in wanted])
        if missing:
            again = [c for c in wanted if c.id in missing]
            log.warning("chunks missing after a write; writing them again",
                        extra={"chunks": len(again)})  # fmt: skip
            self.store.add_vectors(again, self._embed(again))
            repaired += len(again)
            still = {c.id for c in again} - self.store.existing_ids([c.id for c in again])
            if still:
                raise IngestError(f"{len(still)} chunks did not persist in the vector store")
        pairs = list(zip(written, vectors, strict=True))
        if sample is not None and len(pairs) > sample:
            pairs = self._random.sample(pairs, sample)
        unreachable = [(c, v) for c, v in pairs if not self.reachable(c, v)]
        # A rewrite inserts the vector afresh (new graph level and links); in a large store an
        # approximate index occasionally needs more than one try to link a point in.
        for _ in range(REWRITE_ATTEMPTS):
            if not unreachable:
                return repaired
            log.warning("chunks present but not found by query; rewriting them",
                        extra={"chunks": len(unreachable)})  # fmt: skip
            self.store.delete([c.id for c, _ in unreachable])
            self.store.add_vectors([c for c, _ in unreachable], [v for _, v in unreachable])
            repaired += len(unreachable)
            unreachable = [(c, v) for c, v in unreachable if not self.reachable(c, v)]
        if unreachable:
            # Failing the whole ingest (a 100 MB collection) for one chunk the vector index will
            # not link in helps nobody: it is stored, BM25 finds it, and a deep check
            # (`briefing reindex`) rebuilds the index. Say so, loudly, and count it.
            ids = [c.id for c, _ in unreachable]
            self.left_unreachable.extend(ids)
            log.warning("%d chunk(s) stay unreachable by vector search after %d rewrites (keyword "
                        "search still finds them; `briefing reindex` rebuilds the index): %s",
                        len(ids), REWRITE_ATTEMPTS, ", ".join(ids))  # fmt: skip
        return repaired

    def reachable(self, chunk: Chunk, vector: Sequence[float]) -> bool:
        """Does a query with the chunk's own vector find it (`reachability.Reachability`)?"""
        return self.reach.reachable(chunk, vector)

    def unreachable(self, chunks: Sequence[Chunk]) -> list[Chunk]:
        """The chunks a query with their own text does not find."""
        out: list[Chunk] = []
        for i in range(0, len(chunks), self._embed_batch):
            part = chunks[i : i + self._embed_batch]
            vectors = self.probe.embed_documents([c.text for c in part])
            out.extend(c for c, v in zip(part, vectors, strict=True) if not self.reachable(c, v))
        return out

    def rewrite(self, chunks: Sequence[Chunk]) -> None:
        """Delete and write again (never upsert over an existing id)."""
        self.store.delete([c.id for c in chunks])
        self.add(chunks)

    def add(self, chunks: Sequence[Chunk]) -> None:
        """Write chunks the store does not have."""
        self.store.add_vectors(chunks, self._embed(chunks))
