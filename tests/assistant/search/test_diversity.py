"""Diverse, honest retrieval over a real store: one copy per story, a cap per document, newer
versions superseding older ones, and citations naming the other copies."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from assistant.answering.request import Final
from assistant.assistant import Assistant
from assistant.index.syndication import Stories
from assistant.search.diversity import diversify
from assistant.search.filters import RetrievalFilters
from assistant.serialize import briefing_from_dict, briefing_to_dict
from assistant.types import Document, Passage
from tests.conftest import make_settings
from tests.syndicated import COPIES, collection

COPY_IDS = {doc_id for doc_id, _, _ in COPIES}
OUTLETS = {outlet for _, outlet, _ in COPIES}
QUERY = "Velmora harbour board new ferry terminal north quay"
COST = "How much will the new ferry terminal in Velmora cost?"


def open_assistant(tmp_path: Path, **overrides: Any) -> Assistant:
    assistant = Assistant(make_settings(tmp_path, **overrides))
    for doc in collection():
        assistant.add_document(doc)
    return assistant


@pytest.fixture(params=["dense", "lexical", "hybrid"])
def assistant(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Assistant]:
    a = open_assistant(tmp_path, retrieval_mode=request.param)
    yield a
    a.close()


def found(a: Assistant, query: str = QUERY, k: int = 5, **filters: Any) -> list[str]:
    return [p.doc_id for p in a.retriever.retrieve(query, k, RetrievalFilters.of(**filters))]


def test_copies_of_one_story_never_fill_the_top_k(assistant: Assistant) -> None:
    ids = found(assistant)
    assert len(set(ids) & COPY_IDS) == 1
    assert len(set(ids) - COPY_IDS) >= 3  # other stories take the ranks the copies held


def test_without_grouping_the_copies_do_fill_it(tmp_path: Path) -> None:
    plain = open_assistant(tmp_path, near_duplicate_threshold=None, max_passages_per_document=None)
    try:
        assert len(set(found(plain)) & COPY_IDS) >= 3  # what the grouping prevents
    finally:
        plain.close()


def test_a_filter_keeps_the_copy_it_allows(assistant: Assistant) -> None:
    ids = found(assistant, sources=["Island Post"])
    assert ids[0] == "velmora-post"
    assert set(ids) <= {"velmora-post", "kessa-pier"}


def test_an_answer_cites_the_story_once_and_names_the_other_copies(assistant: Assistant) -> None:
    answer = assistant.ask(COST)
    assert not answer.abstained
    cited = {c.doc_id for c in answer.citations} & COPY_IDS
    assert len(cited) == 1
    for citation in answer.citations:
        if citation.doc_id in COPY_IDS:
            others = {c.source for c in citation.also_published_by}
            assert others == OUTLETS - {assistant.document(citation.doc_id).source}
            assert {c.doc_id for c in citation.also_published_by} == COPY_IDS - cited
        text = assistant.document(citation.doc_id).text
        assert text[citation.start : citation.end] == citation.quote


def test_a_streamed_answer_names_the_copies_too(tmp_path: Path) -> None:
    a = open_assistant(tmp_path)
    try:
        final = next(e for e in a.ask_stream(COST) if isinstance(e, Final)).answer
        assert any(len(c.also_published_by) == len(COPIES) - 1 for c in final.citations)
    finally:
        a.close()


def test_an_updated_version_at_the_same_url_supersedes_the_older(assistant: Assistant) -> None:
    old = Document(
        id="quay-plan-v1", title="Velmora quay plan", source="Velmora Herald",
        published=date(2026, 3, 1), url="https://herald.example/quay-plan",
        text="The Velmora quay bridge will cost 40 million crowns, the council said. "
        "Work on the quay bridge starts in June.",
    )  # fmt: skip
    assistant.add_document(old)
    assert "quay-plan-v1" in found(assistant, "Velmora quay bridge cost")
    new = replace(
        old, id="quay-plan-v2", published=date(2026, 3, 8),
        text="The Velmora quay bridge will now cost 52 million crowns, the council said. "
        "Work on the quay bridge starts in September.",
    )  # fmt: skip
    assistant.add_document(new)
    ids = found(assistant, "Velmora quay bridge cost", k=10)
    assert "quay-plan-v2" in ids and "quay-plan-v1" not in ids
    answer = assistant.ask("How much will the Velmora quay bridge cost?")
    assert {c.doc_id for c in answer.citations} & {"quay-plan-v1", "quay-plan-v2"} == {
        "quay-plan-v2"
    }
    assert "40 million" not in answer.answer
    assistant.remove_document("quay-plan-v2")  # the older version is all there is again
    assert "quay-plan-v1" in found(assistant, "Velmora quay bridge cost")


def test_passages_per_document_are_capped(tmp_path: Path) -> None:
    long = Document(
        id="terminal-diary", title="Terminal diary", source="Steel Weekly",
        text=" ".join(
            f"On day {n} of the works the new ferry terminal at the Velmora harbour took "
            f"{n * 3} more tonnes of steel, the harbour board said in its weekly note."
            for n in range(1, 40)
        ),
    )  # fmt: skip
    capped = open_assistant(tmp_path / "capped", max_passages_per_document=2)
    uncapped = open_assistant(tmp_path / "uncapped", max_passages_per_document=None)
    try:
        for a in (capped, uncapped):
            a.add_document(long)
        assert Counter(found(uncapped, k=8))["terminal-diary"] > 2
        counts = Counter(found(capped, k=8))
        assert counts["terminal-diary"] == 2 and max(counts.values()) <= 2
        assert len(found(capped, k=8)) == 8  # searched deeper to still return k
        alone = found(capped, k=6, sources=["Steel Weekly"])
        assert alone == ["terminal-diary"] * 6  # nothing else to show: the cap does not shorten
    finally:
        capped.close()
        uncapped.close()


def test_a_briefing_cites_one_copy_and_lists_the_others(tmp_path: Path) -> None:
    a = open_assistant(tmp_path)
    try:
        for briefing in (a.brief(), a.brief("Velmora ferry terminal")):
            listed = [s for s in briefing.sources if s.doc_id in COPY_IDS]
            assert len(listed) <= 1
            cited = {c.doc_id for s in briefing.sections for i in s.items for c in i.citations}
            assert len(cited & COPY_IDS) <= 1
            for source in listed:
                assert len(source.also_published_by) == len(COPIES) - 1
            assert briefing_from_dict(briefing_to_dict(briefing)) == briefing
        assert any(s.doc_id in COPY_IDS for s in a.brief().sources)
    finally:
        a.close()


def passage(doc_id: str, n: int) -> Passage:
    return Passage(f"{doc_id}:{n}", doc_id, doc_id, "text", 0, 4, 1.0 - n / 10)


def test_diversify_keeps_the_best_ranked_copy_and_drops_superseded_versions() -> None:
    stories = Stories(
        story={"a": "a", "b": "a", "old": "old", "new": "old"},
        members={"a": ("a", "b"), "old": ("new",)},
        superseded=frozenset({"old"}),
    )
    pool = [passage("b", 0), passage("old", 1), passage("a", 2), passage("b", 3), passage("c", 4)]
    assert [p.chunk_id for p in diversify(pool, stories, None)] == ["b:0", "b:3", "c:4"]
    assert [p.chunk_id for p in diversify(pool, stories, 1)] == ["b:0", "c:4"]
    assert diversify(pool, None, None) == pool
    # the cap spreads a result over documents, but fills up with what it left out, never
    # with a superseded version or a second copy
    assert [p.chunk_id for p in diversify(pool, stories, 1, fill=4)] == ["b:0", "c:4", "b:3"]
    assert [p.chunk_id for p in diversify(pool, None, 1, fill=4)] == ["b:0", "old:1", "a:2", "c:4"]


def test_grouping_and_the_cap_can_be_turned_off_from_the_environment(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, near_duplicate_threshold="off", max_passages_per_document="")
    assert settings.near_duplicate_threshold is None
    assert settings.max_passages_per_document is None
    assert make_settings(tmp_path).max_passages_per_document is not None
