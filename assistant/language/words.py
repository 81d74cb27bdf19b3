"""Small text helpers shared by answering, conversation and briefing: terms, numbers, names."""

from __future__ import annotations

import re
import unicodedata

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers him his how i if in into is it its itself
    just me more most my no nor not now of off on once only or other our out over own same she
    should so some such than that the their them then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would you
    your yours tell say said says know let us give me please currently anything something thing
    things there's what's who's about? much many kind sort""".split()
)
# Words that say what kind of answer is wanted rather than what it is about.
QUESTION_WORDS = frozenset("what which who whom whose when where why how".split())

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+(?:[.,]\d+)*%?")
_NUMBER = re.compile(
    r"(?:[$€£¥]\s?)?\d+(?:[.,]\d+)*\s?(?:%|percent|per cent|billion|million|trillion|days?|"
    r"weeks?|months?|years?)?",
    re.IGNORECASE,
)
_NAME = re.compile(r"\b(?:[A-Z][a-z]+|[A-Z]{2,})(?:\s+(?:[A-Z][a-z]+|[A-Z]{2,}|of|de|van))*\b")
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "es", "ed", "s")


def stem(word: str) -> str:
    """A deliberately light stemmer: enough to match cars/car, levies/levy, faces/face."""
    word = word.lower().strip("'’-")
    if word.endswith("%") or word[:1].isdigit():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "es" and not word.endswith(("ses", "xes", "zes", "ches", "shes")):
                suffix = "s"  # faces → face, not fac
            base = word[: -len(suffix)]
            word = base + "y" if suffix in ("ies", "ied") else base
            break
    # a final silent e differs between forms (pause/paused, face/faces): drop it everywhere
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def words(text: str) -> list[str]:
    return [m.group() for m in _WORD.finditer(text)]


def content_terms(text: str) -> list[str]:
    """Stemmed, lowercased words that carry meaning (no stopwords or question words)."""
    out = []
    for word in words(text):
        lower = word.lower()
        if lower in STOPWORDS or lower in QUESTION_WORDS or len(lower) < 2:
            continue
        out.append(stem(lower))
    return out


def numbers_in(text: str) -> list[str]:
    return [m.group().strip() for m in _NUMBER.finditer(text)]


def names_in(text: str) -> list[str]:
    """Capitalised word runs, excluding a sentence-initial common word."""
    found = []
    for match in _NAME.finditer(text):
        name = match.group()
        if name.lower() in STOPWORDS or name.lower() in QUESTION_WORDS:
            continue
        found.append(name)
    return found


def visible(text: str) -> bool:
    """True when `text` has a character that shows: not only spaces, control characters or
    format characters (zero-width spaces, direction marks)."""
    return any(unicodedata.category(ch)[0] not in "CZ" for ch in text)
