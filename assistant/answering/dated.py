"""Dates in answers: newer sources supersede older ones, and answers say "as of" when.

When the chosen sentence and a sentence from another source talk about the same thing (close
embeddings) but give different figures, the most recently published one leads and the earlier
one is quoted as what an earlier report said — both cited. Relative dates in a quoted sentence
("on Thursday") are resolved against that source's publication date in a note after it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from assistant.answering.evidence import Evidence
from assistant.relative_dates import EXPRESSION, FUTURE, fmt_day, resolve
from assistant.text import numbers_in
from assistant.types import Citation

SAME_TOPIC = 0.75  # cosine between two sentences that report the same thing
MAX_EARLIER = 2

Vector = Callable[[str], list[float]]


@dataclass(frozen=True)
class Arranged:
    lead: list[tuple[Evidence, float]]  # newest first
    earlier: list[tuple[Evidence, float]]  # superseded reports, newest first


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def _figures(text: str) -> frozenset[str]:
    return frozenset(n.lower().replace(" ", "") for n in numbers_in(text))


def _published(item: tuple[Evidence, float]) -> date:
    return item[0].passage.published or date.min


def supersede(
    chosen: list[tuple[Evidence, float]],
    candidates: list[tuple[Evidence, float]],
    vector: Vector,
) -> Arranged:
    """Put the newest report of the lead fact first; keep differing earlier reports apart."""
    head, head_figures = chosen[0], _figures(chosen[0][0].text)
    if not head_figures:
        return Arranged(chosen, [])
    head_vec = vector(head[0].text)
    rivals = [
        c for c in candidates
        if c[0].passage.doc_id != head[0].passage.doc_id
        and _figures(c[0].text) and _figures(c[0].text) != head_figures
        and _cosine(head_vec, vector(c[0].text)) >= SAME_TOPIC
    ]  # fmt: skip
    if not rivals:
        return Arranged(chosen, [])
    group = sorted([head, *rivals], key=_published, reverse=True)
    newest = group[0]
    earlier = [g for g in group[1:] if _published(g) < _published(newest)][:MAX_EARLIER]
    taken = {id(g[0]) for g in group}
    rest = [c for c in chosen if id(c[0]) not in taken]
    return Arranged([newest, *rest][: len(chosen)], earlier)


def date_notes(item: Evidence) -> str:
    """ " (Thursday = Thu 17 Apr 2025)" for relative dates the source's date resolves."""
    published = item.passage.published
    if published is None:
        return ""
    future = bool(FUTURE.search(item.text))
    notes = [
        f"{event.expression} = {event.label}"
        for event in (resolve(m, published, future) for m in EXPRESSION.finditer(item.text))
        if event.resolved
    ]
    return f" ({'; '.join(dict.fromkeys(notes))})" if notes else ""


def render_dated(arranged: Arranged, as_of: bool) -> tuple[str, tuple[Citation, ...]]:
    """Lead sentences (with "As of <date>:" when asked), then what earlier reports said."""
    parts: list[str] = []
    citations: list[Citation] = []
    for item, score in arranged.lead:
        citations.append(item.cite(len(citations) + 1, score))
        parts.append(f"{item.text} [{len(citations)}]{date_notes(item)}")
    if as_of and arranged.lead:
        parts[0] = f"{as_of_label(arranged.lead[0][0])}: {parts[0]}"
    for item, score in arranged.earlier:
        citations.append(item.cite(len(citations) + 1, score))
        when = fmt_day(item.passage.published) if item.passage.published else "undated"
        parts.append(f"An earlier report ({when}) said: {item.text} [{len(citations)}]")
    return " ".join(parts), tuple(citations)


def as_of_label(item: Evidence) -> str:
    published = item.passage.published
    return f"As of {fmt_day(published)}" if published else "As of an undated report"
