"""Timeline: time expressions in source sentences, resolved against the publication date.

"stated Monday" in a report published Wednesday 16 April 2025 → Mon 14 Apr 2025; "will attend …
on Wednesday" → Wed 16 Apr 2025; "next week" → week of 21 Apr 2025. Without a publication date
the expression is shown as written, marked relative — never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from assistant.answering.evidence import Evidence
from assistant.briefs.spans import Span, clause_around, inside_quote, whole
from assistant.types import TimelineEvent

_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_EXPRESSION = re.compile(
    r"\b(?:(?P<rel>last|this|next)\s+)?(?P<day>" + "|".join(_DAYS) + r")(?:'s|’s)?\b"
    r"|\b(?P<span>this|next|last)\s+(?P<unit>week|month)\b"
    r"|\b(?P<near>today|tonight|yesterday|tomorrow)\b"
    r"|\b(?P<recent>recent|recently|earlier this (?:week|month))\b"
    r"|\b(?P<month>" + "|".join(m.capitalize() for m in _MONTHS) + r")\s+(?P<dom>\d{1,2})\b"
    r"|\bfor\s+(?P<n>\d+|ninety|sixty|thirty)\s+days\b",
    re.IGNORECASE,
)
_FUTURE = re.compile(
    r"\b(will|shall|scheduled|is set to|are set to|plans? to|expected|upcoming|may|might|"
    r"would|to meet|to visit|next)\b",
    re.IGNORECASE,
)
_SUBORDINATE = re.compile(r"^(though|although|like|which|while|because)\b", re.IGNORECASE)
_WORDS = {"ninety": 90, "sixty": 60, "thirty": 30}


@dataclass(frozen=True)
class FoundEvent:
    event: TimelineEvent
    span: Span
    order: tuple[int, date, int]  # (group, date, position): undated past first, open-ended last


def _fmt(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def resolve(match: re.Match[str], published: date | None, future: bool) -> TimelineEvent:
    """Turn one time expression into a dated (or explicitly relative) event."""
    text = match.group().strip()
    if match.group("n"):
        days = _WORDS.get(match.group("n").lower()) or int(match.group("n"))
        return TimelineEvent(
            text, None, f"end of the {days}-day period (start date not given)", False
        )
    if match.group("recent"):
        label = f"before {_fmt(published)} (date not given)" if published else "recently"
        return TimelineEvent(text, None, label, False)
    if published is None:
        return TimelineEvent(text, None, f"{text} (report undated)", False)
    if match.group("day"):
        target = _DAYS.index(match.group("day").lower())
        back = (published.weekday() - target) % 7
        ahead = (target - published.weekday()) % 7
        relative = (match.group("rel") or "").lower()
        if relative == "next" or (future and relative != "last"):
            day = published + timedelta(days=ahead or (7 if relative == "next" else 0))
        else:
            day = published - timedelta(days=back or (7 if relative == "last" else 0))
        return TimelineEvent(text, day, _fmt(day), True)
    if match.group("unit"):
        shift = {"this": 0, "next": 1, "last": -1}[match.group("span").lower()]
        if match.group("unit").lower() == "week":
            monday = published - timedelta(days=published.weekday()) + timedelta(weeks=shift)
            return TimelineEvent(text, monday, f"week of {monday.day} {monday:%b %Y}", True)
        month = (published.month - 1 + shift) % 12 + 1
        year = published.year + (published.month - 1 + shift) // 12
        first = date(year, month, 1)
        return TimelineEvent(text, first, f"{first:%B %Y}", True)
    if match.group("near"):
        offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}
        day = published + timedelta(days=offset[match.group("near").lower()])
        return TimelineEvent(text, day, _fmt(day), True)
    month = _MONTHS.index(match.group("month").lower()) + 1
    year = published.year - (1 if month - published.month > 6 else 0)
    try:
        day = date(year, month, int(match.group("dom")))
    except ValueError:
        return TimelineEvent(text, None, text, False)
    return TimelineEvent(text, day, _fmt(day), True)


def events_in(evidence: Evidence) -> list[FoundEvent]:
    text = evidence.text
    published = evidence.passage.published
    found = []
    for match in _EXPRESSION.finditer(text):
        if inside_quote(text, match.start()):
            continue  # a speaker's "today" is their time, not the report's
        span = clause_around(evidence, match.start(), match.end())
        if match.group("n"):
            span = whole(evidence)  # "paused for 90 days" needs its subject
        elif _SUBORDINATE.match(span.text):
            continue  # an aside ("like most of Trump's recently announced tariffs")
        event = resolve(match, published, bool(_FUTURE.search(span.text)))
        if event.date is not None:
            group = 1
        elif match.group("recent"):
            group = 0
        else:
            group = 2
        order = (group, event.date or date.min, evidence.position)
        found.append(FoundEvent(event, span, order))
    return found
