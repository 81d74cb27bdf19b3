"""When a written chunk counts as reachable: what separates an index's recall miss (repeated
boilerplate in scraped collections) from a lost write."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.index.manifest import Manifest
from assistant.index.reachability import DEEP_K, MANY_COPIES
from assistant.index.store import StoredHit
from assistant.index.writer import StoreWriter
from assistant.search.embeddings import HashingEmbeddings
from assistant.types import Chunk


class MissingStore:
    """An index that returns `found` only to searches at least `visible_from` deep."""

    def __init__(self, found: list[StoredHit], visible_from: int | None) -> None:
        self.found, self.visible_from = found, visible_from
        self.depths: list[int] = []

    def search(self, vector: Sequence[float], k: int) -> list[StoredHit]:
        self.depths.append(k)
        other = StoredHit("other:0:x", "other", "Something else.", 0, 15, 0.4)
        if self.visible_from is not None and k >= self.visible_from:
            return [*self.found, other]
        return [other]


def chunk(doc: str, text: str = "Terms | Privacy | Contact us", digest: str = "d1") -> Chunk:
    return Chunk(f"{doc}:0:{digest}", doc, 0, text, 0, len(text))


def writer(tmp_path: Path, store: Any) -> StoreWriter:
    return StoreWriter(Manifest(tmp_path / "m.sqlite3"), store, HashingEmbeddings(),
                       embed_batch=8, chunk_max_chars=700, chunk_min_chars=150)  # fmt: skip


def hit(c: Chunk, score: float = 1.0) -> StoredHit:
    return StoredHit(c.id, c.doc_id, c.text, c.start, c.end, score)


def test_a_chunk_only_a_wider_search_finds_is_indexed(tmp_path: Path) -> None:
    c = chunk("a")
    store = MissingStore([hit(c)], visible_from=DEEP_K)
    assert writer(tmp_path, store).reachable(c, [1.0, 0.0])
    assert store.depths[-1] == DEEP_K


def test_an_identical_copy_stands_for_the_chunk(tmp_path: Path) -> None:
    c, copy = chunk("a"), chunk("b")
    assert writer(tmp_path, MissingStore([hit(copy)], visible_from=1)).reachable(c, [1.0, 0.0])
    different = chunk("b", text="Terms | Privacy")
    store = MissingStore([hit(different)], visible_from=1)
    assert not writer(tmp_path, store).reachable(c, [1.0, 0.0])


def test_a_lost_write_is_unreachable_unless_its_text_is_everywhere(tmp_path: Path) -> None:
    c = chunk("a")
    w = writer(tmp_path, MissingStore([], visible_from=None))
    assert not w.reachable(c, [1.0, 0.0])  # copies counted from the (empty) manifest: 0
    w.reach.count_written([chunk(f"q{i}") for i in range(MANY_COPIES + 1)])
    assert w.reachable(c, [1.0, 0.0])


class StubbornStore(MissingStore):
    """Holds every chunk written, but its index never returns `lost`."""

    def __init__(self) -> None:
        super().__init__([], visible_from=None)
        self.rewrites = 0

    def existing_ids(self, ids: Sequence[str]) -> set[str]:
        return set(ids)

    def delete(self, ids: Sequence[str]) -> None:
        pass

    def add_vectors(self, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]]) -> None:
        self.rewrites += 1


def test_a_chunk_the_index_never_links_in_is_counted_not_fatal(tmp_path: Path) -> None:
    store = StubbornStore()
    w = writer(tmp_path, store)
    lost = chunk("a", text="A unique paragraph.", digest="u1")
    repaired = w.verify([lost], [lost], [[1.0, 0.0]])
    assert store.rewrites == 3 and repaired == 3  # tried, more than once
    assert w.left_unreachable == [lost.id]
