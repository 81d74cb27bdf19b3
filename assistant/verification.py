"""Grounding checks: does the cited text actually contain what a claim states?

Numbers (after normalisation: "24 percent" = "24%", "ninety days" = "90 days") and capitalised
names in a claim must all appear in its cited quotes. The trustworthy-answers work extends this
with a semantic support score; every composer (answers, briefings) calls `check_claim`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_SPELLED = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "fifteen": "15",
    "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60",
    "seventy": "70", "eighty": "80", "ninety": "90", "hundred": "100",
}  # fmt: skip
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"\b[A-Z][A-Za-z'’.-]*[A-Za-z](?:\s+[A-Z][A-Za-z'’.-]*[A-Za-z])*")
_IGNORED_NAME_WORDS = {"a", "an", "the", "while", "and", "but", "on", "in", "as", "for", "these"}


def normalise(text: str) -> str:
    text = text.lower().replace("’", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"\s*(?:percent|per cent)\b", "%", text)
    text = re.sub(r"(\d)-(day|week|month|year)s?\b", r"\1 \2s", text)
    for word, digits in _SPELLED.items():
        text = re.sub(rf"\b{word}\b", digits, text)
    return re.sub(r"\s+", " ", text)


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in _NUMBER.findall(normalise(text))}


def _names(text: str) -> set[str]:
    names = set()
    for match in _NAME.finditer(text):
        words = [w for w in match.group().split() if w.lower() not in _IGNORED_NAME_WORDS]
        if words:
            names.add(" ".join(words).lower().removesuffix("'s").removesuffix("’s"))
    return names


@dataclass(frozen=True)
class ClaimCheck:
    supported: bool
    missing_numbers: tuple[str, ...]
    missing_names: tuple[str, ...]


def check_claim(claim: str, quotes: Iterable[str]) -> ClaimCheck:
    """Every number and every name in `claim` must occur in at least one of `quotes`."""
    evidence = " ".join(quotes)
    numbers = _numbers(claim) - _numbers(evidence)
    evidence_lower = normalise(evidence)
    names = {n for n in _names(claim) if n not in evidence_lower}
    return ClaimCheck(not numbers and not names, tuple(sorted(numbers)), tuple(sorted(names)))
