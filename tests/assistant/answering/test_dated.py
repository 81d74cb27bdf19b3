"""Relative dates in a quoted sentence, noted after it: read in the tense of their own clause."""

from __future__ import annotations

from datetime import date

from assistant.answering.dated import date_notes
from assistant.answering.evidence import Evidence
from assistant.types import Passage

MONDAY = date(2026, 1, 26)


def notes(text: str) -> str:
    passage = Passage("d:0", "d", "Steel", text, 0, len(text), 0.9, MONDAY)
    return date_notes(Evidence(passage, text, 0, len(text), 0))


def test_a_past_event_is_not_moved_ahead_by_a_later_clause() -> None:
    text = ("Prime Minister Elias Varnholm backed the decision in parliament on Tuesday, "
            "saying the government would protect every mill job.")  # fmt: skip
    assert notes(text) == " (Tuesday = Tue 20 Jan 2026)"


def test_a_planned_event_is_ahead() -> None:
    assert notes("The minister will meet his counterpart on Tuesday, officials said.") == (
        " (Tuesday = Tue 27 Jan 2026)"
    )
