"""Stories: near-copies grouped by MinHash, same-URL versions superseded, signatures reused."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from assistant.index.manifest import Manifest, PlannedPut, content_hash
from assistant.index.signatures import MinHashSigner, Signature, shingle_hashes, similarity
from assistant.index.syndication import StoryIndex, find_stories
from assistant.types import Document
from tests.syndicated import COPIES, OTHERS, collection

COPY_IDS = [doc_id for doc_id, _, _ in COPIES]


class CountingSigner:
    """The real signer, recording every text it is asked to sign."""

    def __init__(self) -> None:
        self.signed: list[str] = []

    def sign(self, texts: Sequence[str]) -> list[Signature | None]:
        self.signed.extend(texts)
        return MinHashSigner().sign(texts)


def signed(docs: Sequence[Document]) -> list[Signature | None]:
    return MinHashSigner().sign([d.text for d in docs])


def version(doc_id: str, text: str, published: date | None) -> Document:
    return Document(id=doc_id, title="Quay plan", text=text, source="Velmora Herald",
                    published=published, url="https://herald.example/quay")  # fmt: skip


def test_copies_with_small_edits_are_one_story_and_other_stories_stay_apart() -> None:
    docs = collection()
    stories = find_stories(docs, signed(docs), 0.6)
    assert len({stories.story_of(i) for i in COPY_IDS}) == 1
    story_ids = {stories.story_of(d.id) for d in OTHERS}
    assert len(story_ids) == len(OTHERS)
    assert stories.story_of(COPY_IDS[0]) not in story_ids
    assert [c.source for c in stories.copies_of("velmora-wire")] == [
        "Coastal Courier", "Island Post", "North Ledger", "Velmora Herald"
    ]  # fmt: skip
    assert stories.copies_of("ostra-fares") == ()
    assert not stories.superseded


def test_copies_are_far_above_the_threshold_and_distinct_stories_far_below() -> None:
    sigs = [s for s in signed(collection()) if s is not None]
    copies, others = sigs[: len(COPIES)], sigs[len(COPIES) :]
    assert all(similarity(a, b) >= 0.8 for a in copies for b in copies)
    assert all(similarity(a, b) < 0.2 for a in copies for b in others)


def test_without_a_threshold_copies_are_not_grouped() -> None:
    docs = collection()
    assert find_stories(docs, signed(docs), None).trivial


def test_a_newer_version_at_the_same_url_supersedes_the_older() -> None:
    old = version("quay-1", "The quay will cost 40 million crowns.", date(2026, 3, 1))
    new = version("quay-2", "The quay will now cost 52 million crowns.", date(2026, 3, 8))
    undated = version("quay-0", "Plans for the quay were announced.", None)
    stories = find_stories([old, new, undated], [None, None, None], None)
    assert stories.superseded == {"quay-1", "quay-0"}
    assert stories.story_of("quay-1") == stories.story_of("quay-2")
    assert stories.copies_of("quay-2") == ()  # an older version is not another outlet's copy


def test_versions_published_the_same_day_supersede_none() -> None:
    a = version("quay-a", "The quay will cost 40 million crowns.", date(2026, 3, 1))
    b = replace(a, id="quay-b", text="The quay is to cost 40 million crowns.")
    stories = find_stories([a, b], [None, None], 0.6)
    assert not stories.superseded
    assert [c.doc_id for c in stories.copies_of("quay-a")] == ["quay-b"]


def test_shingles_and_signatures() -> None:
    assert len(shingle_hashes("one two three four five six")) == 2
    assert len(shingle_hashes("One two")) == 1  # shorter than a shingle: one shingle
    assert MinHashSigner().sign(["", " ... "]) == [None, None]
    a, b = MinHashSigner().sign(["The Quay opens today.", "the quay opens TODAY"])
    assert a is not None and b is not None and similarity(a, b) == 1.0


# -- the index over the committed documents ------------------------------------------------------
def commit(manifest: Manifest, docs: Sequence[Document]) -> None:
    puts = [PlannedPut(d, content_hash(d, "test"), (f"{d.id}:0",)) for d in docs]
    manifest.begin_puts(puts)
    manifest.commit_puts(puts)
    manifest.finish(d.id for d in docs)


@pytest.fixture
def manifest(tmp_path: Path) -> Manifest:
    m = Manifest(tmp_path / "manifest.sqlite3")
    commit(m, collection())
    return m


def test_regrouping_signs_only_new_and_changed_documents(
    tmp_path: Path, manifest: Manifest
) -> None:
    signer = CountingSigner()
    index = StoryIndex(manifest, tmp_path / "stories.sqlite3", 0.6, signer)
    first = index.current()
    assert len(signer.signed) == len(collection())
    assert index.current() is first  # nothing committed since: not even regrouped
    signer.signed.clear()
    changed = replace(OTHERS[0], text=OTHERS[0].text + " The operator may review the fares.")
    added = replace(OTHERS[1], id="strike-talks", text="Talks to end the strike resumed.", url=None)
    commit(manifest, [changed, added])
    assert len(index.current().story) == len(COPIES)
    assert sorted(signer.signed) == sorted([changed.text, added.text])


def test_signatures_are_saved_for_the_next_process(tmp_path: Path, manifest: Manifest) -> None:
    StoryIndex(manifest, tmp_path / "stories.sqlite3", 0.6, CountingSigner()).current()
    later = CountingSigner()
    stories = StoryIndex(manifest, tmp_path / "stories.sqlite3", 0.6, later).current()
    assert later.signed == []
    assert len(stories.story) == len(COPIES)
    in_memory = CountingSigner()
    StoryIndex(manifest, None, 0.6, in_memory).current()
    assert len(in_memory.signed) == len(collection())


def test_removing_a_copy_regroups_without_signing(tmp_path: Path, manifest: Manifest) -> None:
    signer = CountingSigner()
    index = StoryIndex(manifest, tmp_path / "stories.sqlite3", 0.6, signer)
    index.current()
    signer.signed.clear()
    manifest.begin_delete("velmora-post")
    assert len(index.current().copies_of("velmora-wire")) == len(COPIES) - 2
    assert signer.signed == []
