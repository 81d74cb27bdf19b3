"""Vector store for chunks: a Chroma collection behind a small interface. The only module
importing chromadb.

Two deployments, one contract (tests/assistant/index/test_store.py runs it against both):

* **embedded** (default): `chromadb.PersistentClient` on a folder under the data dir. It belongs
  to one process — run one API worker, and ingest while the server is stopped.
* **server**: `chromadb.HttpClient` to a Chroma server (`BRIEFING_CHROMA_URL`, optional
  `BRIEFING_CHROMA_TOKEN`). Any number of processes and hosts can share it.

The collection's HNSW settings (`store_index.HNSW`) are set when it is created; a collection
made with others is reported on open and rebuilt by `rebuild_index` (`briefing reindex`).
Vectors and chunk positions live here; document metadata lives in the manifest, so a title
edit never requires re-embedding. The store embeds what it writes with the embeddings it is
given (at ingest: the batch encoder); searching takes a ready query vector.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from langchain_core.embeddings import Embeddings

from assistant.errors import ConfigError, StoreError
from assistant.index import store_index
from assistant.types import Chunk

if TYPE_CHECKING:
    from assistant.config import Settings

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


@dataclass(frozen=True)
class ServerAddress:
    """Where a Chroma server listens, parsed from `BRIEFING_CHROMA_URL`."""

    host: str
    port: int
    ssl: bool

    @classmethod
    def parse(cls, url: str) -> ServerAddress:
        parts = urlsplit(url.strip())
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ConfigError(
                f"BRIEFING_CHROMA_URL must look like http://HOST:PORT or https://HOST, not {url!r}"
            )
        if parts.path not in {"", "/"} or parts.query:
            raise ConfigError(f"BRIEFING_CHROMA_URL takes no path or query: {url!r}")
        try:
            port = parts.port
        except ValueError as exc:
            raise ConfigError(f"bad port in BRIEFING_CHROMA_URL {url!r}") from exc
        ssl = parts.scheme == "https"
        return cls(parts.hostname, port or (443 if ssl else 8000), ssl)

    @property
    def url(self) -> str:
        return f"{'https' if self.ssl else 'http'}://{self.host}:{self.port}"


class ChunkStore:
    """Chroma collection of chunk vectors. Build with `embedded`, `server` or `open_store`."""

    def __init__(
        self, client: Any, embeddings: Embeddings, *, collection: str, where: str, shared: bool
    ) -> None:
        """Wrap an open Chroma client (use the class methods: they keep chromadb in here)."""
        self.where = where
        #: True when several processes may use this store at once (a Chroma server).
        self.shared = shared
        self._client = client
        self._embeddings = embeddings
        try:
            store_index.finish_interrupted_rebuild(client, collection)
            self._collection = client.get_or_create_collection(
                name=collection, configuration=store_index.configuration(),
                embedding_function=None,
            )  # fmt: skip
            self.max_batch = int(client.get_max_batch_size())
            self._adjust_index()
        except StoreError:
            raise
        except Exception as exc:
            raise StoreError(f"cannot open the vector store at {where}: {exc}") from exc

    def _adjust_index(self) -> None:
        """Fix what can be changed in place; warn about what needs `briefing reindex`."""
        if store_index.differences(self._collection, store_index.ADJUSTABLE):
            self._collection.modify(configuration=store_index.configuration_adjustable())
        fixed = store_index.differences(self._collection)
        if "space" in fixed:
            raise StoreError(
                f"the collection {self._collection.name!r} at {self.where} does not use cosine "
                "distance; point BRIEFING_CHROMA_COLLECTION at another collection"
            )
        #: Index settings that differ from `store_index.HNSW` (empty: none).
        self.outdated = store_index.describe(fixed)
        if fixed:
            log.warning(
                "the vector index was built with older settings (%s): some chunks may be "
                "unreachable by search; run `briefing reindex` with the server stopped to "
                "rebuild it from the stored vectors", self.outdated,
                extra={"store": self.where, "collection": self._collection.name},
            )  # fmt: skip

    def rebuild_index(self) -> int:
        """Rebuild the collection with today's index settings (crash-safe, no re-embedding);
        how many chunks it holds. Only with no other process using the store."""
        try:
            self._collection = store_index.rebuild(self._client, self._collection, self.max_batch)
        except Exception as exc:
            raise StoreError(f"rebuilding the vector index failed: {exc}") from exc
        self._adjust_index()
        return self.count()

    @classmethod
    def embedded(
        cls, directory: Path, embeddings: Embeddings, *, collection: str = COLLECTION
    ) -> ChunkStore:
        """A store in `directory`, owned by this process (PersistentClient)."""
        try:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            directory.mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(
                path=str(directory), settings=ChromaSettings(anonymized_telemetry=False)
            )
        except Exception as exc:
            raise StoreError(f"cannot open the vector store at {directory}: {exc}") from exc
        return cls(client, embeddings, collection=collection, where=str(directory), shared=False)

    @classmethod
    def server(
        cls,
        url: str,
        embeddings: Embeddings,
        *,
        token: str | None = None,
        collection: str = COLLECTION,
    ) -> ChunkStore:
        """A store on the Chroma server at `url` (HttpClient); `token` is sent as a bearer token."""
        address = ServerAddress.parse(url)
        try:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            auth: dict[str, Any] = {}
            if token:
                auth = {
                    "chroma_client_auth_provider": (
                        "chromadb.auth.token_authn.TokenAuthClientProvider"
                    ),
                    "chroma_client_auth_credentials": token,
                }
            client = chromadb.HttpClient(
                host=address.host, port=address.port, ssl=address.ssl,
                settings=ChromaSettings(anonymized_telemetry=False, **auth),
            )  # fmt: skip
        except Exception as exc:
            raise StoreError(f"cannot reach the Chroma server at {address.url}: {exc}") from exc
        return cls(client, embeddings, collection=collection, where=address.url, shared=True)

    # -- reading ----------------------------------------------------------------------------
    def count(self) -> int:
        return int(self._collection.count())

    def existing_ids(self, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for batch in _batches(list(ids), self.max_batch):
            found.update(self._collection.get(ids=batch, include=[])["ids"])
        return found

    def ids(self, page: int | None = None) -> set[str]:
        """Every chunk id in the store, read in pages of `page` (default: the max batch)."""
        size, found, offset = page or self.max_batch, set[str](), 0
        while True:
            try:
                batch = self._collection.get(include=[], limit=size, offset=offset)["ids"]
            except Exception as exc:
                raise StoreError(f"listing chunk ids failed: {exc}") from exc
            found.update(batch)
            if len(batch) < size:
                return found
            offset += len(batch)

    def search(
        self, vector: Sequence[float], k: int, doc_ids: Sequence[str] | None = None
    ) -> list[StoredHit]:
        """The `k` chunks nearest to `vector`, closest first (`doc_ids`: only theirs)."""
        where: Any = {"doc_id": {"$in": list(doc_ids)}} if doc_ids is not None else None
        try:
            result = self._collection.query(
                query_embeddings=[list(vector)], n_results=k, where=where,
                include=["documents", "metadatas", "distances"],
            )  # fmt: skip
        except Exception as exc:
            raise StoreError(f"vector search failed: {exc}") from exc
        ids, texts = result["ids"][0], (result["documents"] or [[]])[0]
        metas, distances = (result["metadatas"] or [[]])[0], (result["distances"] or [[]])[0]
        hits = []
        for chunk_id, text, meta, distance in zip(ids, texts, metas, distances, strict=True):
            hits.append(
                StoredHit(
                    chunk_id=str(chunk_id), doc_id=str(meta["doc_id"]), text=str(text),
                    start=int(str(meta["start"])), end=int(str(meta["end"])),
                    score=1.0 - float(distance),  # cosine distance → similarity
                )
            )  # fmt: skip
        return hits

    # -- writing ----------------------------------------------------------------------------
    def add(self, chunks: Sequence[Chunk]) -> None:
        """Embed `chunks` (one call to the embeddings) and write them in max-size batches."""
        if not chunks:
            return
        try:
            vectors = self._embeddings.embed_documents([c.text for c in chunks])
        except Exception as exc:
            raise StoreError(f"embedding {len(chunks)} chunks failed: {exc}") from exc
        self.add_vectors(chunks, vectors)

    def add_vectors(self, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]]) -> None:
        """Write chunks with vectors computed elsewhere (same model!); replaces equal ids."""
        if len(chunks) != len(vectors):
            raise ValueError(f"{len(chunks)} chunks but {len(vectors)} vectors")
        pairs = list(zip(chunks, vectors, strict=True))
        for batch in _batches(pairs, self.max_batch):
            try:
                self._collection.upsert(
                    ids=[c.id for c, _ in batch],
                    embeddings=[list(v) for _, v in batch],
                    documents=[c.text for c, _ in batch],
                    metadatas=[
                        {"doc_id": c.doc_id, "index": c.index, "start": c.start, "end": c.end}
                        for c, _ in batch
                    ],
                )
            except Exception as exc:
                raise StoreError(f"writing {len(batch)} chunks failed: {exc}") from exc

    def delete(self, ids: Iterable[str]) -> None:
        for batch in _batches(list(ids), self.max_batch):
            try:
                self._collection.delete(ids=batch)
            except Exception as exc:
                raise StoreError(f"deleting {len(batch)} chunks failed: {exc}") from exc

    def drop(self) -> None:
        """Delete the whole collection (tests and benchmarks clean up shared servers with it)."""
        self._client.delete_collection(self._collection.name)


def open_store(settings: Settings, embeddings: Embeddings) -> ChunkStore:
    """The store the settings name: a Chroma server when `chroma_url` is set, else embedded."""
    if settings.chroma_url:
        token = settings.chroma_token.get_secret_value() if settings.chroma_token else None
        return ChunkStore.server(
            settings.chroma_url, embeddings, token=token, collection=settings.chroma_collection
        )
    return ChunkStore.embedded(
        settings.store_dir, embeddings, collection=settings.chroma_collection
    )


def _batches(items: list[_T], size: int) -> Iterable[list[_T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
