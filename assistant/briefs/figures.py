"""Key figures: value, what it measures and its status, all read off one cited sentence.

"Japan currently faces 24% levies on its exports to the United States, though these have been
paused for 90 days" → 24% | levies on its exports to the United States | paused for 90 days.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answering.evidence import Evidence
from assistant.briefs.spans import Span
from assistant.types import Figure

_VALUE = re.compile(
    r"(?:[$€£¥]\s?\d[\d,.]*(?:\s?(?:billion|million|trillion|bn|m))?"
    r"|\d[\d,.]*\s?(?:%|percent|per cent)"
    r"|\d[\d,.]*\s(?:billion|million|trillion)(?:\s(?:dollars|yen|euros))?)",
    re.IGNORECASE,
)
_STATUS = re.compile(
    r"\b(paused(?: for \d+ days)?|suspended(?: for \d+ days)?"
    r"|(?:remains?|stays?) (?:active|in (?:force|effect))"
    r"|in (?:force|effect)|took effect|takes effect|(?:was|were) imposed|imposed|proposed|"
    r"threatened|scheduled|expire[sd]?|falling|fell|dropping|dropped|declin(?:ing|ed)|"
    r"rising|rose|gain(?:ing|ed)|rais(?:ing|ed)|cut)\b",
    re.IGNORECASE,
)
# Where a measure phrase ends: a clause break or a connective that starts a new thought.
_MEASURE_END = re.compile(
    r"[,;:.]|\s(?:though|although|which|while|as|like|and|but|after|before|since|when)\s"
)
_MAX_MEASURE_WORDS = 9


@dataclass(frozen=True)
class FoundFigure:
    figure: Figure
    span: Span  # the sentence it came from


def _measure_after(text: str, end: int) -> str:
    rest = text[end:]
    stop = _MEASURE_END.search(rest)
    phrase = rest[: stop.start()] if stop else rest
    words = phrase.split()[:_MAX_MEASURE_WORDS]
    return " ".join(words)


def _measure_before(text: str, start: int) -> str:
    head = text[:start]
    cut = max(head.rfind(","), head.rfind(" with "), head.rfind(" and "), head.rfind(";"))
    phrase = head[cut + 1 :] if cut >= 0 else head
    phrase = re.sub(r"^\s*(?:with|and)\s+", "", phrase)
    words = phrase.split()[-_MAX_MEASURE_WORDS:]
    return " ".join(words)


def _status_near(text: str, start: int, end: int) -> str | None:
    best: tuple[int, str] | None = None
    for match in _STATUS.finditer(text):
        distance = match.start() - end if match.start() >= end else start - match.end()
        if best is None or abs(distance) < best[0]:
            best = (abs(distance), match.group())
    return best[1] if best else None


def figures_in(evidence: Evidence) -> list[FoundFigure]:
    """Every percentage or money amount in the sentence, with its measure and status."""
    text = evidence.text
    found = []
    for match in _VALUE.finditer(text):
        value = match.group().strip()
        measure = _measure_after(text, match.end())
        if len(measure.split()) < 2:  # "… falling 0.7 percent" — the measure precedes it
            measure = _measure_before(text, match.start())
        cue = _STATUS.search(measure)
        if cue:  # "universal rate remains active" → measure "universal rate"
            before, after = measure[: cue.start()], measure[cue.end() :]
            measure = before if before.strip() else after
        measure = measure.strip(" \"'“”")
        if len(measure) < 3:
            continue
        status = _status_near(text, match.start(), match.end())
        span = Span(evidence, evidence.start, evidence.end)
        found.append(FoundFigure(Figure(value, measure, status), span))
    return found


def figure_text(figure: Figure) -> str:
    parts = [figure.value, figure.measure] + ([figure.status] if figure.status else [])
    return " — ".join(parts)


def figure_key(figure: Figure) -> str:
    """Identity of what is measured (the value may change between briefings)."""
    return "figure:" + re.sub(r"[^a-z0-9]+", " ", figure.measure.lower()).strip()
