"""Is a written chunk findable by a query with its own vector? The guard against lost writes.

A kill during a re-upsert can leave vectors `get` finds and `query` does not (chroma #7678), so
every write is checked on a sample. An approximate (HNSW) index also misses points for reasons
that are not lost writes, and scraped collections provoke them: a site's footer becomes the
same chunk on hundreds of pages, and such clusters cost the index recall around them. This
module tells the two apart:

* a chunk the top REACH_K miss but a wider search (a larger `ef`) finds is indexed;
* a perfect match with the very same text is as good (identical texts are indistinguishable);
* a text stored more often than a graph node has links forms an island a search may never
  enter: dense search cannot, and need not, find a footer — BM25 still does;
* a zero vector (no term the embedder knows) has no direction: no query can rank it.

Anything else no search finds is a fault: the writer rewrites it, and fails if it stays lost.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from assistant.index.manifest import Manifest
from assistant.index.store import ChunkStore
from assistant.index.store_index import HNSW
from assistant.types import Chunk

#: A chunk counts as reachable when a query with its own vector returns it in the top REACH_K.
REACH_K = 10
#: The wider search that tells an index's recall miss from a lost write.
DEEP_K = 200
#: Scores this close to a perfect match are ties (identical texts have identical vectors).
TIE = 1e-5
#: Identical chunks beyond the HNSW graph's links per node (`store_index.HNSW`).
MANY_COPIES = int(HNSW["max_neighbors"])


def has_direction(vector: Sequence[float]) -> bool:
    norm = math.fsum(v * v for v in vector)
    return math.isfinite(norm) and norm > 1e-12


def text_digest(chunk_id: str) -> str:
    """The text digest that ends every chunk id (`chunking.chunk_id`)."""
    return chunk_id.rsplit(":", 1)[-1]


class Reachability:
    def __init__(self, store: ChunkStore, manifest: Manifest) -> None:
        self._store = store
        self._manifest = manifest
        self._copies: Counter[str] | None = None  # text digest → chunks that have it

    def reachable(self, chunk: Chunk, vector: Sequence[float]) -> bool:
        if not has_direction(vector):
            return True
        for k in (REACH_K, DEEP_K):
            hits = self._store.search(vector, k)
            if any(h.chunk_id == chunk.id for h in hits):
                return True
            if any(h.score >= 1.0 - TIE and h.text == chunk.text for h in hits):
                return True
        return self.copies(chunk) > MANY_COPIES

    def copies(self, chunk: Chunk) -> int:
        """Committed or written chunks with exactly this chunk's text; counted once from the
        manifest, then kept up by `count_written`."""
        if self._copies is None:
            self._copies = Counter(
                text_digest(cid) for entry in self._manifest.entries() for cid in entry.chunk_ids
            )
        return self._copies[text_digest(chunk.id)]

    def count_written(self, chunks: Sequence[Chunk]) -> None:
        """Chunks just written (not yet committed, so not in the manifest)."""
        if chunks:
            self.copies(chunks[0])  # count the committed ones first
            assert self._copies is not None
            self._copies.update(text_digest(c.id) for c in chunks)
