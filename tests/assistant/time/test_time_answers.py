"""Answers in time over the fictional multi-week collection (real model: supersession needs
semantic similarity between two reports of the same figure)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from assistant.assistant import Assistant
from tests.conftest import ROOT, make_settings

CORPUS = ROOT / "evals" / "corpora" / "valdoria"


@pytest.fixture(scope="module")
def valdoria(
    real_assistant: Assistant, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Assistant]:
    tmp: Path = tmp_path_factory.mktemp("valdoria")
    settings = make_settings(tmp, embeddings="sentence-transformers", corpus_dir=CORPUS)
    assistant = Assistant(settings, embeddings=real_assistant.embeddings)
    assistant.ingest()
    yield assistant
    assistant.close()


def _published(assistant: Assistant, doc_id: str) -> date | None:
    return assistant.document(doc_id).published


@pytest.mark.slow
def test_same_question_two_dates_two_answers(valdoria: Assistant) -> None:
    early = valdoria.ask("What is Kestria's cod quota?", as_of=date(2026, 1, 20))
    late = valdoria.ask("What is Kestria's cod quota?", as_of=date(2026, 1, 30))
    assert early.answer.startswith("As of Wed 14 Jan 2026") and "48,000 tonnes" in early.answer
    assert late.answer.startswith("As of Wed 28 Jan 2026") and "40,000 tonnes" in late.answer
    for answer, as_of in ((early, date(2026, 1, 20)), (late, date(2026, 1, 30))):
        assert answer.as_of == as_of
        for c in answer.citations:
            published = _published(valdoria, c.doc_id)
            assert published is None or published <= as_of
            assert valdoria.document(c.doc_id).text[c.start : c.end] == c.quote


@pytest.mark.slow
def test_a_correction_leads_and_the_earlier_figure_is_cited_too(valdoria: Assistant) -> None:
    answer = valdoria.ask(
        "Today is January 16, 2026. What landing fee will Kestrian boats pay in Valdorian ports?"
    )
    assert answer.as_of == date(2026, 1, 16)
    lead, _, earlier = answer.answer.partition("An earlier report")
    assert "2.5%" in lead and "3%" in earlier
    docs = [c.doc_id for c in answer.citations]
    assert docs[0] == "valdoria-2026-01-15-correction"
    assert "valdoria-2026-01-14-interim-deal" in docs


@pytest.mark.slow
def test_before_the_correction_only_the_first_report_counts(valdoria: Assistant) -> None:
    answer = valdoria.ask(
        "What landing fee will Kestrian boats pay in Valdorian ports?", as_of=date(2026, 1, 14)
    )
    assert "3%" in answer.answer and "2.5%" not in answer.answer


@pytest.mark.slow
def test_relative_dates_in_quotes_are_resolved(valdoria: Assistant) -> None:
    answer = valdoria.ask("What did Valdoria's parliament do this week?", as_of=date(2026, 1, 29))
    assert "Monday = Mon 26 Jan 2026" in answer.answer


@pytest.mark.slow
def test_date_blind_baseline_ignores_as_of(valdoria: Assistant) -> None:
    passages = valdoria.search("What is Kestria's cod quota?", as_of=date(2026, 1, 6))
    assert {p.doc_id for p in passages} <= {"valdoria-2026-01-05-talks-open",
                                            "valdoria-explainer-brennic-cod"}  # fmt: skip
    blind = valdoria.search(
        "What is Kestria's cod quota?", as_of=date(2026, 1, 6), time_aware=False
    )
    assert any((_published(valdoria, p.doc_id) or date.min) > date(2026, 1, 6) for p in blind)


def test_an_abstention_says_when_no_source_is_dated_in_the_period_asked_about() -> None:
    from assistant.answering.extractive import NO_ANSWER, _no_answer
    from assistant.time.temporal import time_context
    from assistant.types import Passage

    old = Passage("c1", "d1", "T", "Trump spoke.", 0, 12, 0.5, published=date(2025, 4, 16))
    today = date(2026, 11, 26)
    asked = time_context("What did Trump say yesterday?", None, today)
    assert _no_answer([old], asked) == (
        f"{NO_ANSWER} None of the sources found is dated yesterday (Wed 25 Nov 2026); "
        "the newest is from Wed 16 Apr 2025."
    )
    # a source inside the period, no period, or undated sources: nothing to explain
    assert _no_answer([old], time_context("What did Trump say?", None, today)) == NO_ANSWER
    inside = time_context("What did Trump say yesterday?", None, date(2025, 4, 17))
    assert _no_answer([old], inside) == NO_ANSWER
    undated = Passage("c2", "d2", "T", "Trump spoke.", 0, 12, 0.5)
    assert _no_answer([undated], asked) == NO_ANSWER
