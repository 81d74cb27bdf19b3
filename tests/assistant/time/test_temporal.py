"""Reference dates and periods in questions; the time prior and the publication cut-off."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.time.temporal import Period, published_by, time_context, time_prior
from assistant.types import Passage

TODAY = date(2026, 1, 8)  # a Thursday


@pytest.mark.parametrize(
    ("question", "as_of", "rest"),
    [
        ("Today is January 8, 2026. What was agreed?", date(2026, 1, 8), "What was agreed?"),
        ("As of 2025-12-01, what is the quota?", date(2025, 12, 1), "what is the quota?"),
        ("It is 3 March 2025: who leads?", date(2025, 3, 3), "who leads?"),
        ("as of last Friday, who leads the talks?", date(2026, 1, 2), "who leads the talks?"),
        ("What is the quota?", TODAY, "What is the quota?"),
    ],
)
def test_reference_date_from_the_question(question: str, as_of: date, rest: str) -> None:
    context = time_context(question, None, TODAY)
    assert context.as_of == as_of and context.question == rest
    assert context.stated == (question != rest)
    assert context.given == context.stated


def test_an_explicit_as_of_wins_over_the_text() -> None:
    context = time_context("Today is January 8, 2026. What now?", date(2025, 5, 1), TODAY)
    assert context.as_of == date(2025, 5, 1) and context.given and not context.stated


@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        ("What happened last week?", date(2025, 12, 29), date(2026, 1, 4)),
        ("What happened this week?", date(2026, 1, 5), date(2026, 1, 8)),
        ("What happened yesterday?", date(2026, 1, 7), date(2026, 1, 7)),
        ("What happened on Monday?", date(2026, 1, 5), date(2026, 1, 5)),
        ("What happened last Thursday?", date(2026, 1, 1), date(2026, 1, 1)),
        ("What was decided in March?", date(2025, 3, 1), date(2025, 3, 31)),
        ("What changed since December 12?", date(2025, 12, 12), date(2026, 1, 8)),
        ("What was agreed this month?", date(2026, 1, 1), date(2026, 1, 8)),
    ],
)
def test_relative_periods(question: str, start: date, end: date) -> None:
    period = time_context(question, None, TODAY).period
    assert period is not None and (period.start, period.end) == (start, end)


def test_no_period_and_current_state_cues() -> None:
    assert time_context("What is the quota?", None, TODAY).period is None
    assert time_context("What is the quota now?", None, TODAY).wants_current
    assert not time_context("What was the first quota?", None, TODAY).wants_current


def _passage(doc: str, published: date | None) -> Passage:
    return Passage(f"{doc}:0", doc, doc, "text", 0, 4, 0.5, published)


def test_later_sources_are_cut_and_undated_ones_kept() -> None:
    pool = [_passage("old", date(2026, 1, 1)), _passage("new", date(2026, 1, 9)),
            _passage("undated", None)]  # fmt: skip
    assert [p.doc_id for p in published_by(pool, TODAY)] == ["old", "undated"]


def test_time_prior_favours_the_period_and_is_neutral_on_undated() -> None:
    pool = [_passage("inside", date(2026, 1, 6)), _passage("outside", date(2025, 12, 1)),
            _passage("undated", None)]  # fmt: skip
    context = time_context("What happened this week?", None, TODAY)
    prior = time_prior(pool, context)
    assert prior["inside"] > 0 > prior["outside"] and prior["undated"] == 0
    current = time_context("What is the quota now?", None, TODAY)
    prior = time_prior(pool, current)
    assert prior["inside"] > prior["outside"] and prior["undated"] == 0
    assert Period(date(2026, 1, 1), date(2026, 1, 2), "x").contains(date(2026, 1, 2))


@pytest.mark.parametrize(
    ("question", "as_of"),
    [
        ("What happened this week?", date.max),
        ("What happens next year?", date.max),
        ("What happened yesterday?", date.min),
        ("What happened last week?", date.min),
        ("What was decided in March?", date.min),
        ("As of last Friday, who leads?", date.min),
    ],
)
def test_a_period_off_the_calendar_is_not_used(question: str, as_of: date) -> None:
    assert time_context(question, as_of, TODAY).period is None


def test_a_stated_date_at_the_calendar_start_has_no_yesterday() -> None:
    context = time_context("Today is January 1, 0001. What happened yesterday?", None, TODAY)
    assert context.as_of == date(1, 1, 1) and context.period is None
