"""What kind of answer a question wants (a quantity, a span, a count, a time, a person) and
whether a sentence holds that kind: the soft cues under the stricter rules in `asked.py`."""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.language.words import names_in, numbers_in

# "how many/much" asks for a quantity: a sentence without one cannot be the answer, however
# close it looks ("How much would the project cost?" vs "investment in a project may be discussed").
_WANTS_QUANTITY = re.compile(
    r"\b(how (much|many|high|large|big|far)|by how much|"
    r"what (percentage|share|amount|number) of|what (will|would|does|did|do) .{0,40}\bcost)\b",
    re.IGNORECASE,
)
_TIME_UNIT = r"(?:days?|weeks?|months?|years?|hours?)"
_WANTS_DURATION = re.compile(rf"\bhow many {_TIME_UNIT}\b", re.IGNORECASE)
_WANTS_COUNT = re.compile(r"\bhow many\b", re.IGNORECASE)
# a number that is not a percentage or a span of time
_COUNT = re.compile(rf"\b\d[\d,.]*\b(?!%|\s?(?:percent|per cent|{_TIME_UNIT})\b)")
_SPELLED_SPAN = "one|two|three|four|five|six|seven|eight|nine|ten|twelve|thirty|sixty|ninety"
_DURATION = re.compile(rf"\b(?:\d[\d,.]*|{_SPELLED_SPAN})[\s-]{_TIME_UNIT}\b", re.IGNORECASE)
_SPELLED_QUANTITY = re.compile(
    r"\b(half|third|quarter|fifth|tenth|double[ds]?|tripled?|twice|dozens?|hundreds?|"
    r"thousands?|millions?|billions?|trillions?|one|two|three|four|five|six|seven|eight|nine|"
    r"ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\b",
    re.IGNORECASE,
)
QUANTITY_MISSING_PENALTY = 0.4  # enough to rule the sentence out, not to hide a tie
_WANTS_NUMBER = re.compile(
    r"\b(how (much|many|high|large|big|long)|by how much|what (percent|percentage|rate|level|"
    r"share|figure|amount|number)|what .{0,30}\b(rate|tariff|duty|levy|levies|percent|percentage|"
    r"figure)s?\b|how far)\b",
    re.IGNORECASE,
)
_WANTS_TIME = re.compile(r"\b(when|what (day|date|time)|how long|which day)\b", re.IGNORECASE)
_WANTS_PERSON = re.compile(r"\b(who|whom|whose)\b", re.IGNORECASE)
_TIME_WORDS = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tomorrow|yesterday|"
    r"week|month|year|days?|january|february|march|april|may|june|july|august|september|"
    r"october|november|december|\d{4})\b",
    re.IGNORECASE,
)


def _is_code(token: str) -> bool:
    """ "RU-138/00000", "A320": letters and digits in one token name a thing, not a quantity."""
    token = token.strip(".,;:!?()[]\"'“”‘’")
    if re.fullmatch(r"\d+/\d+[\w/-]*", token):
        return True
    if not (any(c.isdigit() for c in token) and any(c.isalpha() for c in token)):
        return False
    return not re.fullmatch(r"[$€£¥]?\d[\d,.]*(?:%|s|st|nd|rd|th|bn|m|k|km|kg)?", token)


@lru_cache(maxsize=16_384)
def _without_codes(sentence: str) -> str:
    if not any(ch.isdigit() for ch in sentence):
        return sentence
    return " ".join(t for t in sentence.split() if not _is_code(t))


def kind_fit(question: str, sentence: str) -> float:
    """+ when the sentence holds what the question asks for, − when it clearly doesn't."""
    sentence = _without_codes(sentence)
    if _WANTS_DURATION.search(question):
        return 0.08 if _DURATION.search(sentence) else -QUANTITY_MISSING_PENALTY
    if _WANTS_COUNT.search(question):  # a percentage is not a count
        return 0.08 if _COUNT.search(sentence) else -QUANTITY_MISSING_PENALTY
    if _WANTS_QUANTITY.search(question):
        has = numbers_in(sentence) or _SPELLED_QUANTITY.search(sentence)
        return 0.08 if has else -QUANTITY_MISSING_PENALTY
    if _WANTS_NUMBER.search(question):
        return 0.08 if numbers_in(sentence) else -0.15
    if _WANTS_TIME.search(question):
        return 0.06 if _TIME_WORDS.search(sentence) else -0.06
    if _WANTS_PERSON.search(question):
        return 0.04 if names_in(sentence) else -0.06
    return 0.0


def wants_figure(question: str) -> bool:
    """ "What rate…", "how much…": the answer is a number."""
    return bool(_WANTS_NUMBER.search(question))
