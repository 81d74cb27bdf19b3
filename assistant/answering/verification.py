"""Grounding checks: does the cited text actually contain what a claim states?

Every quantity in a claim — number, percentage, money amount, date, duration — must appear in
its cited quotes after normalisation ("24 percent" = "24%", "ninety days" = "90 days",
"$1.5 billion" = "1.5 billion dollars"), with a compatible unit: "24 days" is not supported by
"24%". Capitalised names (people, organisations, places, months and weekdays of dates) must
appear too. Answers (`answering.claims`) add a semantic support score on top; briefings call
`check_claim` directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_SPELLED = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "fifteen": "15",
    "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60",
    "seventy": "70", "eighty": "80", "ninety": "90", "hundred": "100",
}  # fmt: skip
_NAME = re.compile(r"\b[A-Z][A-Za-z'’.-]*[A-Za-z](?:\s+[A-Z][A-Za-z'’.-]*[A-Za-z])*")
_IGNORED_NAME_WORDS = {"a", "an", "the", "while", "and", "but", "on", "in", "as", "for", "these"}
_QUANTITY = re.compile(
    r"(?P<cur>[$€£¥])?\s?(?P<value>\d+(?:[.,]\d+)*)"
    r"(?:\s?(?P<scale>trillion|billion|million|thousand|tn|bn|mn)\b)?"
    r"(?:\s?(?P<unit>%|percentage points?|days?|weeks?|months?|years?|hours?|minutes?|"
    r"tonnes?|tons?|barrels?|dollars?|euros?|pounds?|yen|yuan)(?![a-z]))?"
)
_SCALES = {"tn": "trillion", "bn": "billion", "mn": "million"}
_CURRENCIES = {"$": "usd", "dollar": "usd", "€": "eur", "euro": "eur", "£": "gbp",
               "pound": "gbp", "¥": "jpy", "yen": "jpy", "yuan": "cny"}  # fmt: skip


def normalise(text: str) -> str:
    text = text.lower().replace("’", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"\s*(?:percent|per cent)\b", "%", text)
    text = re.sub(r"(\d)-(day|week|month|year|hour)s?\b", r"\1 \2s", text)
    for word, digits in _SPELLED.items():
        text = re.sub(rf"\b{word}\b", digits, text)
    return re.sub(r"\s+", " ", text)


@dataclass(frozen=True)
class Quantity:
    """A number with what it counts; a unit part left None matches any."""

    value: str  # canonical digits: "1.5", "48000"
    kind: str | None  # "%", "day", "tonne", …
    scale: str | None  # "billion", …
    currency: str | None  # "usd", …

    def matches(self, other: Quantity) -> bool:
        return self.value == other.value and all(
            a is None or b is None or a == b
            for a, b in ((self.kind, other.kind), (self.scale, other.scale),
                         (self.currency, other.currency))
        )  # fmt: skip


def _canonical(digits: str) -> str:
    digits = digits.replace(",", "")
    try:
        number = Decimal(digits)
    except InvalidOperation:
        return digits
    return format(number.normalize(), "f") if "." in digits else digits


def quantities(text: str) -> list[Quantity]:
    """Every quantity in `text`, normalised ("$1.5 billion" → 1.5 / billion / usd)."""
    found = []
    for m in _QUANTITY.finditer(normalise(text)):
        unit = (m.group("unit") or "").removesuffix("s") or None
        currency = _CURRENCIES.get(m.group("cur") or "") or _CURRENCIES.get(unit or "")
        if unit in _CURRENCIES:
            unit = None
        if unit == "ton":
            unit = "tonne"
        if unit and unit.startswith("percentage point"):
            unit = "point"
        scale = m.group("scale")
        found.append(Quantity(_canonical(m.group("value")), unit,
                              _SCALES.get(scale or "", scale), currency))  # fmt: skip
    return found


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
    """Every quantity and every name in `claim` must occur in at least one of `quotes`."""
    evidence = " ".join(quotes)
    available = quantities(evidence)
    numbers = {q.value for q in quantities(claim) if not any(q.matches(e) for e in available)}
    evidence_lower = normalise(evidence)
    names = {n for n in _names(claim) if n not in evidence_lower}
    return ClaimCheck(not numbers and not names, tuple(sorted(numbers)), tuple(sorted(names)))
