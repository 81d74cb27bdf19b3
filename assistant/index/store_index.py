"""The HNSW index settings of the chunk collection, and rebuilding a collection made with others.

Why not Chroma's defaults: with `max_neighbors` (HNSW's M) at 16, a store of ~1,000 news
documents that was never killed still held 1–2 chunks that no `query` returned, even with their
own vector (the repair pass in `recovery` rewrote them, but some runs ended with one left);
with 32 (and `ef_construction` 200), none in any of 20 kill -9 trials
(`make reliability`). The graph settings are fixed when a collection is created, so a
collection made by an older version keeps M=16: `ChunkStore` notices on open, warns, and keeps
working (reconciliation still repairs what it finds), and `briefing reindex` rebuilds it from
its own stored vectors — nothing is embedded again.

Rebuilding is crash-safe: the copy goes to `<name>__rebuild`; the old collection is dropped only
once the copy is complete, and a copy found without its original on the next open is renamed
into place (`finish_interrupted_rebuild`). A copy found next to its original is incomplete and
is dropped by the next rebuild.

This module handles Chroma client/collection objects it is given; only `store` imports chromadb.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)

#: Settings for new collections (cosine: `StoredHit.score` is 1 - distance).
HNSW: dict[str, Any] = {
    "space": "cosine",
    "max_neighbors": 32,
    "ef_construction": 200,
    "ef_search": 100,
}
#: Fixed at creation: a difference here needs a rebuild.
FIXED = ("space", "max_neighbors", "ef_construction")
#: Changeable on an existing collection (`collection.modify`).
ADJUSTABLE = ("ef_search",)
REBUILD_SUFFIX = "__rebuild"


def configuration() -> dict[str, Any]:
    """The `configuration=` argument for creating the chunk collection."""
    return {"hnsw": dict(HNSW)}


def differences(collection: Any, keys: tuple[str, ...] = FIXED) -> dict[str, tuple[Any, Any]]:
    """Index settings of `collection` that differ from `HNSW`: key → (actual, wanted)."""
    actual = (collection.configuration or {}).get("hnsw") or {}
    return {k: (actual.get(k), HNSW[k]) for k in keys if actual.get(k) != HNSW[k]}


def describe(diff: dict[str, tuple[Any, Any]]) -> str:
    return ", ".join(f"{k}={have} (want {want})" for k, (have, want) in sorted(diff.items()))


def _exists(client: Any, name: str) -> bool:
    try:
        client.get_collection(name=name, embedding_function=None)
    except Exception:  # chromadb.errors.NotFoundError (HTTP: a 404 wrapped the same way)
        return False
    return True


def finish_interrupted_rebuild(client: Any, name: str) -> None:
    """A complete copy without its original (killed between drop and rename): put it in place."""
    copy = name + REBUILD_SUFFIX
    if not _exists(client, name) and _exists(client, copy):
        log.warning("finishing an interrupted index rebuild", extra={"collection": name})
        client.get_collection(name=copy, embedding_function=None).modify(name=name)


def rebuild(client: Any, collection: Any, page: int) -> Any:
    """Copy every record of `collection` into one made with `HNSW`, then swap; the new one."""
    name, copy_name = collection.name, collection.name + REBUILD_SUFFIX
    if _exists(client, copy_name):
        client.delete_collection(copy_name)  # an incomplete earlier attempt
    copy = client.create_collection(
        name=copy_name, configuration=configuration(), embedding_function=None
    )
    offset = 0
    while True:
        batch = collection.get(
            include=["embeddings", "documents", "metadatas"], limit=page, offset=offset
        )
        if not batch["ids"]:
            break
        copy.add(
            ids=batch["ids"], embeddings=batch["embeddings"],
            documents=batch["documents"], metadatas=batch["metadatas"],
        )  # fmt: skip
        offset += len(batch["ids"])
    if copy.count() != collection.count():
        raise RuntimeError(f"copied {copy.count()} of {collection.count()} chunks")
    client.delete_collection(name)
    copy.modify(name=name)
    log.info("rebuilt the vector index", extra={"collection": name, "chunks": offset})
    return client.get_collection(name=name, embedding_function=None)


def configuration_adjustable() -> dict[str, Any]:
    """The `configuration=` argument for `collection.modify`: only what may change."""
    return {"hnsw": {k: HNSW[k] for k in ADJUSTABLE}}
