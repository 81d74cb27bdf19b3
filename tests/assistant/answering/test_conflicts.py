"""Two sources, one measure, two figures: the answer says so and cites both.

The documents are fictional, written for this test (no real country, levy or outlet)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from assistant.assistant import Assistant
from tests.conftest import make_settings

LEDGER = """---
id: norland-ledger-steel-levy
title: "FICTIONAL: Norland sets levy on Varian steel"
source: Norland Ledger (fictional)
published: 2026-03-02
---
FICTIONAL: Norland sets levy on Varian steel

This is a fictional report written for Briefing's tests.
Norland will charge a 24% levy on imported Varian steel from April.
Trade minister Ilse Moran said the levy protects the Brenmark mills.
"""
WIRE = """---
id: harbour-wire-steel-levy
title: "FICTIONAL: Varian steel faces Norland levy"
source: Harbour Wire (fictional)
published: {published}
---
FICTIONAL: Varian steel faces Norland levy

This is a fictional report written for Briefing's tests.
Norland will charge a 25% levy on imported Varian steel from April.
Varian exporters said they would ask for talks.
"""
QUESTION = "What levy will Norland charge on imported Varian steel?"


def _assistant(tmp: Path, wire_published: str) -> Assistant:
    corpus = tmp / "conflict"
    corpus.mkdir()
    (corpus / "ledger.md").write_text(LEDGER, encoding="utf-8")
    (corpus / "wire.md").write_text(WIRE.format(published=wire_published), encoding="utf-8")
    assistant = Assistant(make_settings(tmp, corpus_dir=corpus))
    assistant.ingest()
    return assistant


@pytest.fixture(params=["2026-03-02", "''"], ids=["same-day", "one-undated"])
def conflicting(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Assistant]:
    assistant = _assistant(tmp_path, request.param)
    yield assistant
    assistant.close()


def test_differing_figures_are_both_stated_and_cited(conflicting: Assistant) -> None:
    answer = conflicting.ask(QUESTION, as_of=date(2026, 3, 10))
    assert not answer.abstained
    assert "Sources differ:" in answer.answer and "24%" in answer.answer and "25%" in answer.answer
    assert "Norland Ledger (fictional) (Mon 2 Mar 2026) says:" in answer.answer
    assert "; Harbour Wire (fictional) (" in answer.answer
    cited = {c.doc_id for c in answer.citations}
    assert {"norland-ledger-steel-levy", "harbour-wire-steel-levy"} <= cited
    for c in answer.citations:
        assert conflicting.document(c.doc_id).text[c.start : c.end] == c.quote
    assert answer.claims and all(c.supported and c.score == 1.0 for c in answer.claims)


def test_a_newer_report_supersedes_instead(tmp_path: Path) -> None:
    assistant = _assistant(tmp_path, "2026-03-05")
    try:
        answer = assistant.ask(QUESTION, as_of=date(2026, 3, 10))
    finally:
        assistant.close()
    assert "Sources differ" not in answer.answer
    lead, _, earlier = answer.answer.partition("An earlier report (Mon 2 Mar 2026) said:")
    assert "25%" in lead and "24%" in earlier
