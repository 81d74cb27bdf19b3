"""Clauses within a sentence: where a speaker's quotation runs, where one clause ends and the
next begins. What a time expression or a name belongs to is read from its own clause."""

from __future__ import annotations

import re

_CLAUSE_BREAK = re.compile(
    r",\s+|;\s+|:\s+(?=[\"“])|\s+(?:and|but|while|as)\s+(?=[a-z]+(?:ed|s)\b)"
)


def inside_quote(text: str, index: int) -> bool:
    before = text[:index]
    return before.count('"') % 2 == 1 or before.count("“") > before.count("”")


def clause_breaks(text: str) -> list[tuple[int, int]]:
    """(start, end) of separators outside quotation marks."""
    return [
        (m.start(), m.end())
        for m in _CLAUSE_BREAK.finditer(text)
        if not inside_quote(text, m.start())
    ]


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """(left, right) of the clause of `text` holding [start, end), trimmed of punctuation."""
    left, right = 0, len(text)
    for b_start, b_end in clause_breaks(text):
        if b_end <= start:
            left = b_end
        elif b_start >= end and right == len(text):
            right = b_start
    while right > left and text[right - 1] in ".,;: ":
        right -= 1
    return left, right
