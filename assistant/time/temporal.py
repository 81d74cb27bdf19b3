"""Time in questions: the reference date ("as of") and the period a question asks about.

"Today is January 8, 2026. What did Valdoria agree last week?" → as_of 2026-01-08, period
Mon 29 Dec 2025 – Sun 4 Jan 2026. Retrieval never uses documents published after `as_of`, and
prefers documents published inside the period.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

from assistant.types import Passage

_T = TypeVar("_T")

_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")  # fmt: skip
_MONTH = "|".join(_MONTHS)
_DATE = (
    rf"(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})"
    rf"|(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{_MONTH})(?:,?\s+(?P<y2>\d{{4}}))?"
)
_STATED = re.compile(
    rf"^\s*(?:today is|it is|it's|as of|as at)\s+(?:(?P<last>last|this)\s+(?P<wd>{'|'.join(_DAYS)})"
    rf"|(?:{_DAYS[0]}|{'|'.join(_DAYS[1:])})?,?\s*(?:{_DATE}))\s*[.,:;]?\s*",
    re.IGNORECASE,
)
_PERIOD = re.compile(
    r"\b(?P<rel>this|last|next)\s+(?P<unit>week|month|year)\b"
    r"|\b(?P<near>today|yesterday)\b"
    rf"|\b(?:on|last)\s+(?P<wd>{'|'.join(_DAYS)})\b"
    rf"|\bin\s+(?P<month>{_MONTH})\b"
    rf"|\b(?:on|since)\s+(?P<date>{_DATE})",
    re.IGNORECASE,
)
_CURRENT = re.compile(r"\b(now|current|currently|latest|still|today|at present|so far)\b", re.I)


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    phrase: str  # as written in the question

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class TimeContext:
    as_of: date
    stated: bool  # the question itself gave the date
    given: bool  # a reference date was asked for (argument or question), not just "today"
    question: str  # the question without the "Today is …" preamble
    period: Period | None
    wants_current: bool  # "now", "currently", "latest": newer sources should win


def _explicit(match: re.Match[str], near: date) -> date | None:
    g = match.groupdict()
    if g.get("iso"):
        try:
            return date.fromisoformat(g["iso"])
        except ValueError:
            return None
    for m, d, y in (("m1", "d1", "y1"), ("m2", "d2", "y2")):
        if g.get(m):
            month = _MONTHS.index(g[m].lower()) + 1
            year = int(g[y]) if g.get(y) else near.year - (1 if month > near.month else 0)
            try:
                return date(year, month, int(g[d]))
            except ValueError:
                return None
    return None


def _weekday_before(day: date, name: str, *, strictly: bool) -> date:
    back = (day.weekday() - _DAYS.index(name.lower())) % 7
    return day - timedelta(days=back or (7 if strictly else 0))


def _period(question: str, as_of: date) -> Period | None:
    match = _PERIOD.search(question)
    if not match:
        return None
    g, phrase = match.groupdict(), match.group().strip()
    if g["unit"]:
        shift = {"this": 0, "last": -1, "next": 1}[g["rel"].lower()]
        if g["unit"].lower() == "week":
            start = as_of - timedelta(days=as_of.weekday()) + timedelta(weeks=shift)
            return Period(start, min(start + timedelta(days=6), as_of), phrase)
        if g["unit"].lower() == "month":
            month, year = as_of.month + shift, as_of.year
            if month < 1:
                month, year = 12, year - 1
            elif month > 12:
                month, year = 1, year + 1
            start = date(year, month, 1)
            nxt = date(year + (month == 12), month % 12 + 1, 1)
            return Period(start, min(nxt - timedelta(days=1), as_of), phrase)
        year = as_of.year + shift
        return Period(date(year, 1, 1), min(date(year, 12, 31), as_of), phrase)
    if g["near"]:
        day = as_of - timedelta(days=1 if g["near"].lower() == "yesterday" else 0)
        return Period(day, day, phrase)
    if g["wd"]:
        day = _weekday_before(as_of, g["wd"], strictly=phrase.lower().startswith("last"))
        return Period(day, day, phrase)
    if g["month"]:
        month = _MONTHS.index(g["month"].lower()) + 1
        year = as_of.year - (1 if month > as_of.month else 0)
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        return Period(date(year, month, 1), min(nxt - timedelta(days=1), as_of), phrase)
    named = _explicit(match, as_of)
    if named is None:
        return None
    if phrase.lower().startswith("since"):
        return Period(named, as_of, phrase)
    return Period(named, named, phrase)


def _within_calendar(shift: Callable[[], _T]) -> _T | None:
    """Date arithmetic at the calendar's ends ("yesterday" as of 1 Jan 0001, "next week" as of
    31 Dec 9999) has no answer: the period is then not used, never an error."""
    try:
        return shift()
    except (OverflowError, ValueError):
        return None


def time_context(question: str, as_of: date | None, today: date) -> TimeContext:
    """Reference date: the explicit `as_of`, else one stated in the question, else `today`."""
    stated = _STATED.match(question)
    reference, rest, from_text = as_of or today, question, False
    if stated:
        rest = question[stated.end() :].strip() or question
        if stated.group("wd"):
            strictly = (stated.group("last") or "").lower() == "last"
            wd = stated.group("wd")
            day: date | None = _within_calendar(
                lambda: _weekday_before(as_of or today, wd, strictly=strictly)
            )
        else:
            day = _explicit(stated, as_of or today)
        if day is not None and as_of is None:
            reference, from_text = day, True
    return TimeContext(
        as_of=reference,
        stated=from_text,
        given=as_of is not None or from_text,
        question=rest,
        period=_within_calendar(lambda: _period(rest, reference)),
        wants_current=bool(_CURRENT.search(rest)),
    )


PERIOD_BOOST = 0.15  # a source published inside the period the question asks about
RECENCY_BOOST = 0.08  # the newest source, when the question asks about the current state


def time_prior(passages: Sequence[Passage], context: TimeContext) -> dict[str, float]:
    """Score adjustment per document id; undated documents are neutral (0), never guessed."""
    prior = {p.doc_id: 0.0 for p in passages}
    dated = sorted({p.published for p in passages if p.published})
    for p in passages:
        if p.published is None:
            continue
        if context.period is not None:
            inside = context.period.contains(p.published)
            prior[p.doc_id] = PERIOD_BOOST if inside else -PERIOD_BOOST
        elif context.wants_current and len(dated) > 1:
            rank = dated.index(p.published) / (len(dated) - 1)
            prior[p.doc_id] = RECENCY_BOOST * rank
    return prior


def published_by(passages: Sequence[Passage], as_of: date) -> list[Passage]:
    """Documents published after the reference date are never used to answer."""
    return [p for p in passages if p.published is None or p.published <= as_of]
