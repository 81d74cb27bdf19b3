"""Question → top-k passages: dense (Chroma), lexical (BM25) or both fused, joined with the
manifest, filtered by source and date, and diversified (one copy per story, a cap per
document: `diversity.py`).

Scores: dense passages carry cosine similarity; lexical ones BM25 divided by the best score;
fused (hybrid) ones are ordered by reciprocal rank fusion and carry the dense scores in that
order, so later steps that add a time prior (`temporal.time_prior`) see the scale they expect.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal, Protocol

from langchain_core.embeddings import Embeddings

from assistant.index.bm25 import tokenize
from assistant.index.lexical import LexicalIndex
from assistant.index.manifest import Manifest
from assistant.index.store import ChunkStore, StoredHit
from assistant.index.syndication import StoryIndex
from assistant.search.diversity import diversify
from assistant.search.filters import RetrievalFilters
from assistant.search.fusion import mmr, reciprocal_rank_fusion
from assistant.types import Passage

Mode = Literal["dense", "lexical", "hybrid"]
#: Past this many hits, a filtered dense search asks Chroma to filter instead of over-fetching.
MAX_OVERFETCH = 200
#: Deepest search a diverse result widens to (copies of one story can fill many ranks).
MAX_DIVERSE_FETCH = 1_000


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
        unique = list(dict.fromkeys(texts))
        with self._lock:  # a local copy: other threads may evict while we encode
            known = {t: self._items[prefix + t] for t in unique if prefix + t in self._items}
        missing = [t for t in unique if t not in known]
        found = self._stored.lookup(missing) if missing and self._stored and not query else {}
        missing = [t for t in missing if t not in found]
        if missing:
            vectors = (
                [self._embeddings.embed_query(missing[0])]
                if query
                else self._embeddings.embed_documents(missing)
            )
            found.update(zip(missing, vectors, strict=True))
        known.update(found)
        with self._lock:
            for text in unique:
                self._items[prefix + text] = known[text]
                self._items.move_to_end(prefix + text)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return [known[t] for t in texts]


@dataclass(frozen=True)
class RetrievalOptions:
    mode: Mode = "dense"
    rrf_k: int = 60
    depth: int = 20  # candidates per ranker for fusion and MMR (at least k)
    mmr_lambda: float | None = None  # None: no MMR
    per_document: int | None = None  # most passages of one document in a result; None: any
    # Rewrites the keyword (BM25) query, e.g. adding synonyms; dense search needs none.
    expand: Callable[[str], str] | None = None


@dataclass(frozen=True)
class _Scope:
    """What a filter leaves: document ids and their share of the chunks."""

    doc_ids: set[str]
    chunks: int
    total: int


class Retriever:
    def __init__(
        self,
        store: ChunkStore,
        manifest: Manifest,
        vectors: VectorCache,
        lexical: LexicalIndex | None = None,
        options: RetrievalOptions | None = None,
        stories: StoryIndex | None = None,
    ) -> None:
        self._store = store
        self._manifest = manifest
        self._vectors = vectors
        self._lexical = lexical
        self.options = options or RetrievalOptions()
        self.stories = stories  # None: copies and versions are not told apart
        if self.options.mode != "dense" and lexical is None:
            raise ValueError(f"retrieval mode {self.options.mode!r} needs a lexical index")

    def refresh(self) -> None:
        """After this process wrote: bring derived indexes up to date now, so the writer's next
        search sees what it wrote (readers elsewhere rebuild in the background)."""
        if self._lexical is not None:
            self._lexical.refresh()
        if self.stories is not None:  # signs what was written, saved for the other processes
            self.stories.current()

    def retrieve(
        self, query: str, k: int, filters: RetrievalFilters | None = None
    ) -> list[Passage]:
        """The `k` best passages of committed documents that pass `filters`, best first: one
        copy per story, no superseded version, at most `per_document` per document."""
        opts = self.options
        scope = self._scope(filters) if filters is not None and filters.active else None
        if scope is not None and not scope.doc_ids:
            return []
        stories = self.stories.current() if self.stories is not None else None
        if stories is not None and stories.trivial:
            stories = None
        depth = max(k, opts.depth) if opts.mode == "hybrid" or opts.mmr_lambda is not None else k
        keywords = opts.expand(query) if opts.expand else query
        fetch = depth
        while True:  # collapsing copies leaves fewer than fetched: fetch deeper until k remain
            dense = self._dense(query, fetch, scope) if opts.mode != "lexical" else []
            lexical = self._lexical_search(keywords, fetch, scope) if opts.mode != "dense" else []
            pool = _fuse(dense, lexical, opts.rrf_k) if opts.mode == "hybrid" else dense or lexical
            if stories is None and opts.per_document is None:
                break
            kept = diversify(pool, stories, opts.per_document)
            exhausted = len(dense) < fetch and len(lexical) < fetch
            if len(kept) >= k or exhausted or fetch >= MAX_DIVERSE_FETCH:
                pool = diversify(pool, stories, opts.per_document, fill=k)
                break
            fetch = min(fetch * 3, MAX_DIVERSE_FETCH)
        if opts.mmr_lambda is not None:
            pool = mmr(pool, [p.score for p in pool], lambda p: frozenset(tokenize(p.text)),
                       k, opts.mmr_lambda)  # fmt: skip
        return pool[:k]

    def _scope(self, filters: RetrievalFilters) -> _Scope:
        doc_ids: set[str] = set()
        chunks = total = 0
        for entry in self._manifest.entries():
            total += len(entry.chunk_ids)
            if filters.matches(entry.document):
                doc_ids.add(entry.document.id)
                chunks += len(entry.chunk_ids)
        return _Scope(doc_ids, chunks, total)

    def _dense(self, query: str, k: int, scope: _Scope | None) -> list[Passage]:
        vector = self._vectors.query(query)
        if scope is None:
            return self._passages(self._store.search(vector, k))
        # over-fetch in proportion to what the filter leaves, widening until k pass
        fetch = min(scope.total, math.ceil(k * scope.total / max(scope.chunks, 1) * 1.5))
        while True:
            if fetch > MAX_OVERFETCH:
                hits = self._store.search(vector, k, doc_ids=sorted(scope.doc_ids))
                return self._passages(hits)[:k]
            kept = [h for h in self._store.search(vector, fetch) if h.doc_id in scope.doc_ids]
            if len(kept) >= k or fetch >= scope.total:
                return self._passages(kept)[:k]
            fetch = min(scope.total, fetch * 4)

    def _lexical_search(self, query: str, k: int, scope: _Scope | None) -> list[Passage]:
        assert self._lexical is not None
        hits = self._lexical.search(query, k, scope.doc_ids if scope else None)
        best = hits[0].score if hits else 1.0
        passages = []
        for hit in hits:
            entry = self._manifest.get(hit.row.doc_id)
            if entry is None:
                continue
            doc = entry.document
            passages.append(
                Passage(
                    chunk_id=hit.row.chunk_id, doc_id=doc.id, title=doc.title,
                    text=doc.text[hit.row.start : hit.row.end], start=hit.row.start,
                    end=hit.row.end, score=hit.score / best, published=doc.published,
                    source=doc.source,
                )
            )  # fmt: skip
        return passages

    def _passages(self, hits: list[StoredHit]) -> list[Passage]:
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


def _fuse(dense: list[Passage], lexical: list[Passage], rrf_k: int) -> list[Passage]:
    """RRF order; the i-th passage gets the i-th best dense score (see the module docstring)."""
    by_id = {p.chunk_id: p for p in lexical} | {p.chunk_id: p for p in dense}
    fused = reciprocal_rank_fusion(
        [[p.chunk_id for p in dense], [p.chunk_id for p in lexical]], rrf_k
    )
    scale = sorted((p.score for p in dense or lexical), reverse=True)
    out = []
    for i, (chunk_id, _) in enumerate(fused):
        score = scale[i] if i < len(scale) else scale[-1] - 1e-6 * (i + 1 - len(scale))
        out.append(replace(by_id[chunk_id], score=score))
    return out
