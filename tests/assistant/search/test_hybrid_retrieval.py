"""Hybrid retrieval: BM25 in step with the committed chunks, RRF, MMR, filters in every mode."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from assistant.assistant import Assistant
from assistant.errors import InvalidQuestion
from assistant.index.bm25 import Bm25Index, tokenize
from assistant.index.lexical import LexicalIndex
from assistant.search.filters import RetrievalFilters
from assistant.search.fusion import mmr, reciprocal_rank_fusion
from assistant.types import Document
from tests.conftest import make_settings

MODES = ("dense", "lexical", "hybrid")


class Crash(Exception):
    """Stands in for the process dying at this point."""


def doc(doc_id: str, text: str, source: str = "Wire", published: date | None = None) -> Document:
    return Document(id=doc_id, title=doc_id.title(), text=text, source=source, published=published)


def open_assistant(tmp_path: Path, mode: str, **overrides: Any) -> Assistant:
    return Assistant(make_settings(tmp_path, retrieval_mode=mode, **overrides))


@pytest.fixture(params=MODES)
def assistant(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Assistant]:
    a = open_assistant(tmp_path, request.param)
    a.ingest()
    yield a
    a.close()


def found(a: Assistant, query: str, k: int = 10, **filters: Any) -> list[str]:
    return [p.doc_id for p in a.retriever.retrieve(query, k, RetrievalFilters.of(**filters))]


# -- tokenizer, RRF, MMR --------------------------------------------------------------------------
def test_tokenize_lowercases_stems_and_keeps_numbers_and_percentages() -> None:
    assert tokenize("Japan faces 24% LEVIES on 2.5 cars") == tokenize("japan face 24% levy 2.5 car")
    assert tokenize("Japan faces 24% LEVIES on 2.5 cars")[2:5] == ["24%", "levy", "2.5"]
    assert tokenize("a 24 percent levy") == tokenize("a 24 per cent levy") == ["24%", "levy"]


def test_rrf_matches_hand_computed_scores() -> None:
    # a: 1/(60+1) + 1/(60+3);  b: 1/(60+2) + 1/(60+1);  c: 1/(60+3);  d: 1/(60+2)
    fused = dict(reciprocal_rank_fusion([["a", "b", "c"], ["b", "d", "a"]], k=60))
    assert fused["a"] == pytest.approx(1 / 61 + 1 / 63)
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["c"] == pytest.approx(1 / 63)
    assert fused["d"] == pytest.approx(1 / 62)
    order = [item for item, _ in reciprocal_rank_fusion([["a", "b", "c"], ["b", "d", "a"]])]
    assert order == ["b", "a", "d", "c"]


def test_rrf_k_changes_how_much_top_ranks_dominate() -> None:
    # x: first in one list only; y: third in both. A small k favours x, a large k favours y.
    rankings = [["x", "p", "y"], ["q", "r", "y"]]
    assert next(i for i, _ in reciprocal_rank_fusion(rankings, k=1)) == "x"
    assert next(i for i, _ in reciprocal_rank_fusion(rankings, k=100)) == "y"


def test_mmr_passes_over_a_near_duplicate() -> None:
    items = ["tariff rate japan cars", "tariff rate japan cars today", "rice imports quota"]
    # normalised relevance 1, .5, 0; the duplicate overlaps 4/5: .5*.5 - .5*.8 < .5*0 - 0
    picked = mmr(items, [1.0, 0.95, 0.9], lambda s: frozenset(s.split()), k=2, lambda_=0.5)
    assert picked == [items[0], items[2]]
    plain = mmr(items, [1.0, 0.95, 0.9], lambda s: frozenset(s.split()), k=2, lambda_=1.0)
    assert plain == items[:2]


# -- the index follows ingest, edit and delete ---------------------------------------------------
@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_index_follows_add_edit_and_delete(tmp_path: Path, mode: str) -> None:
    a = open_assistant(tmp_path, mode)
    a.ingest()
    assert "zorblax" not in found(a, "zorblax quota")
    a.add_document(doc("zorblax", "The zorblax quota was set at 40,000 tonnes on Monday."))
    assert found(a, "zorblax quota")[0] == "zorblax"
    a.add_document(doc("zorblax", "The quintrel quota was set at 40,000 tonnes on Monday."))
    passages = a.retriever.retrieve("quintrel", 10)
    assert passages and passages[0].doc_id == "zorblax" and "quintrel" in passages[0].text
    assert all("zorblax" not in p.text for p in a.retriever.retrieve("zorblax", 10))
    a.remove_document("zorblax")
    assert "zorblax" not in found(a, "quintrel quota")
    a.close()


def test_lexical_passages_quote_the_committed_text(tmp_path: Path) -> None:
    a = open_assistant(tmp_path, "lexical")
    a.ingest()
    passages = a.retriever.retrieve("Japan tariff 24%", 5)
    assert passages
    for p in passages:
        assert a.document(p.doc_id).text[p.start : p.end] == p.text
    a.close()


def test_index_is_saved_and_loaded_on_reopen_without_rebuilding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = open_assistant(tmp_path, "hybrid")
    a.ingest()
    before = found(a, "Japan tariff")
    a.close()
    saved = [p for p in a.settings.lexical_dir.iterdir() if not p.name.startswith(".")]
    assert len(saved) == 1

    def no_build(*args: object, **kwargs: object) -> Bm25Index:
        raise AssertionError("rebuilt instead of loading the saved index")

    monkeypatch.setattr(Bm25Index, "build", no_build)
    b = open_assistant(tmp_path, "hybrid")
    assert found(b, "Japan tariff") == before
    b.close()


def test_a_changed_collection_replaces_the_saved_index(tmp_path: Path) -> None:
    a = open_assistant(tmp_path, "lexical")
    a.ingest()
    found(a, "Japan")
    first = {p.name for p in a.settings.lexical_dir.iterdir()}
    a.add_document(doc("extra", "Glorbish exports fell sharply."))
    assert found(a, "glorbish") == ["extra"]
    second = {p.name for p in a.settings.lexical_dir.iterdir()}
    assert len(second) == 1 and second != first
    a.close()


def test_a_reader_answers_from_its_index_while_another_process_s_write_is_indexed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = open_assistant(tmp_path, "lexical")
    writer.ingest()
    reader = open_assistant(tmp_path, "lexical")
    assert found(reader, "Japan")  # the reader loaded its index
    writer.add_document(doc("extra", "Glorbish exports fell sharply."))
    assert found(writer, "glorbish") == ["extra"]  # the writer's own index is fresh at once

    release = threading.Event()
    original = Bm25Index.build

    def slow_build(*args: Any, **kwargs: Any) -> Bm25Index:
        assert release.wait(10), "test did not release the build"
        return original(*args, **kwargs)

    monkeypatch.setattr(Bm25Index, "build", slow_build)
    monkeypatch.setattr(LexicalIndex, "_load", lambda self, key: None)  # force a build
    # the reader's index is stale: it answers from it at once, without waiting for the build
    assert found(reader, "glorbish") == []
    assert found(reader, "Japan")
    release.set()
    for _ in range(200):
        if found(reader, "glorbish") == ["extra"]:
            break
        time.sleep(0.05)
    assert found(reader, "glorbish") == ["extra"]
    reader.close()
    writer.close()


@pytest.mark.parametrize("mode", ["lexical", "hybrid"])
def test_a_chunk_of_an_uncommitted_document_is_never_returned(
    tmp_path: Path, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = open_assistant(tmp_path, mode)
    a.ingest()
    found(a, "anything")  # the index exists before the write
    monkeypatch.setattr(a.manifest, "commit_puts", lambda puts: (_ for _ in ()).throw(Crash()))
    with pytest.raises(Crash):
        a.add_document(doc("pending", "The flurbic levy doubled overnight."))
    assert a.manifest.pending_count() == 1  # written to the store, not committed
    assert "pending" not in found(a, "flurbic levy")
    assert all("flurbic" not in p.text for p in a.retriever.retrieve("flurbic levy", 20))
    a.close()
    monkeypatch.undo()
    b = open_assistant(tmp_path, mode)  # recovery replays the write: now it is committed
    assert found(b, "flurbic levy")[0] == "pending"
    b.close()


# -- filters ------------------------------------------------------------------------------------
@pytest.fixture
def dated(assistant: Assistant) -> Assistant:
    for i, (source, day) in enumerate(
        [
            ("Harbor Times", date(2026, 1, 5)),
            ("Harbor Times", date(2026, 2, 5)),
            ("Coast Post", date(2026, 1, 20)),
            ("Coast Post", None),
        ]
    ):
        assistant.add_document(
            doc(f"cod-{i}", f"The cod quota talks continued, report {i} said.", source, day)
        )
    return assistant


def test_source_filter_in_every_mode(dated: Assistant) -> None:
    hits = found(dated, "cod quota talks", sources=["harbor times"])
    assert set(hits) == {"cod-0", "cod-1"}


def test_date_range_in_every_mode(dated: Assistant) -> None:
    hits = found(dated, "cod quota talks", since=date(2026, 1, 10), until=date(2026, 1, 31))
    assert hits == ["cod-2"]  # the undated report never matches a date bound


def test_filters_combine_and_can_leave_nothing(dated: Assistant) -> None:
    assert found(dated, "cod quota talks", sources=["Coast Post"], since=date(2026, 1, 1)) == [
        "cod-2"
    ]
    assert found(dated, "cod quota talks", sources=["Nobody"]) == []


def test_filters_reach_answers(dated: Assistant) -> None:
    filters = RetrievalFilters.of(sources=["Coast Post"], until=date(2026, 1, 31))
    answer = dated.ask("What did the report about the cod quota talks say?", filters=filters,
                       as_of=date(2026, 3, 1))  # fmt: skip
    assert {c.doc_id for c in answer.citations} <= {"cod-2"}


def test_selective_filter_in_a_larger_store_uses_the_where_path(tmp_path: Path) -> None:
    from assistant.search import retrieval

    a = open_assistant(tmp_path, "dense")
    words = "herring mackerel sprat plaice sole turbot hake pollock haddock whiting".split()
    for i in range(40):
        topic = f"{words[i % 10]} {words[(i * 3 + 1) % 10]} {words[(i * 7 + 2) % 10]}"
        a.add_document(doc(f"bulk-{i}", f"Bulk report {i}: {topic} fishing quotas.", "Bulk"))
    a.add_document(doc("rare", "A rare report about fishing quotas.", "Rare"))
    old = retrieval.MAX_OVERFETCH
    retrieval.MAX_OVERFETCH = 5  # force Chroma's own filter
    try:
        assert found(a, "fishing quotas", sources=["Rare"]) == ["rare"]
    finally:
        retrieval.MAX_OVERFETCH = old
    assert found(a, "fishing quotas", sources=["Rare"]) == ["rare"]
    a.close()


def test_empty_date_range_is_rejected() -> None:
    with pytest.raises(InvalidQuestion, match="empty"):
        RetrievalFilters(since=date(2026, 2, 1), until=date(2026, 1, 1))
    assert RetrievalFilters.of() is None
