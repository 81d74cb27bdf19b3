"""Relative time expressions in source text ("Monday", "next week", "recently", "for 90 days")
resolved against a document's publication date — or kept relative, never guessed."""

from __future__ import annotations

import re
from datetime import date, timedelta

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
EXPRESSION = re.compile(
    r"\b(?:(?P<rel>last|this|next)\s+)?(?P<day>" + "|".join(_DAYS) + r")(?:'s|’s)?\b"
    r"|\b(?P<span>this|next|last)\s+(?P<unit>week|month)\b"
    r"|\b(?P<near>today|tonight|yesterday|tomorrow)\b"
    r"|\b(?P<recent>recent|recently|earlier this (?:week|month))\b"
    r"|\b(?P<month>" + "|".join(m.capitalize() for m in _MONTHS) + r")\s+(?P<dom>\d{1,2})\b"
    r"|\bfor\s+(?P<n>\d+|ninety|sixty|thirty)\s+days\b",
    re.IGNORECASE,
)
FUTURE = re.compile(
    r"\b(will|shall|scheduled|is set to|are set to|plans? to|expected|upcoming|may|might|"
    r"would|to meet|to visit|next)\b",
    re.IGNORECASE,
)
_WORDS = {"ninety": 90, "sixty": 60, "thirty": 30}


def fmt_day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def resolve(match: re.Match[str], published: date | None, future: bool) -> TimelineEvent:
    """Turn one time expression into a dated (or explicitly relative) event; shown as written
    when the date would fall off the calendar (a report dated 1 Jan 0001 saying "yesterday")."""
    try:
        return _resolve(match, published, future)
    except (OverflowError, ValueError):
        text = match.group().strip()
        return TimelineEvent(text, None, text, False)


def _resolve(match: re.Match[str], published: date | None, future: bool) -> TimelineEvent:
    text = match.group().strip()
    if match.group("n"):
        days = _WORDS.get(match.group("n").lower()) or int(match.group("n"))
        return TimelineEvent(
            text, None, f"end of the {days}-day period (start date not given)", False
        )
    if match.group("recent"):
        label = f"before {fmt_day(published)} (date not given)" if published else "recently"
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
        return TimelineEvent(text, day, fmt_day(day), True)
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
        return TimelineEvent(text, day, fmt_day(day), True)
    month = _MONTHS.index(match.group("month").lower()) + 1
    # the nearest such day: "December 30" in a January report is last year's, "January 1" in a
    # November report next year's
    gap = month - published.month
    year = published.year - (gap > 6) + (gap < -6)
    day = date(year, month, int(match.group("dom")))  # 30 February: ValueError, as written
    return TimelineEvent(text, day, fmt_day(day), True)
