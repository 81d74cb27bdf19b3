"""Dates in answers: newer sources supersede older ones, and answers say "as of" when.

When the chosen sentence and a sentence from another source talk about the same thing (close
embeddings) but give different figures, the most recently published one leads and the earlier
one is quoted as what an earlier report said — both cited. When neither is newer (same day, or
either undated) nothing supersedes: the answer says "Sources differ:" and quotes each, naming
its source and date. Relative dates in a quoted sentence ("on Thursday") are resolved against
that source's publication date in a note after it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from assistant.answering.evidence import Evidence
from assistant.answering.similarity import cosine
from assistant.language.clauses import clause_bounds
from assistant.language.words import numbers_in
from assistant.time.relative_dates import EXPRESSION, FUTURE, fmt_day, resolve
from assistant.types import Citation

SAME_TOPIC = 0.75  # cosine between two sentences that report the same thing
MAX_EARLIER = 2

Vector = Callable[[str], list[float]]


@dataclass(frozen=True)
class Arranged:
    lead: list[tuple[Evidence, float]]  # newest first
    earlier: list[tuple[Evidence, float]]  # superseded reports, newest first
    conflicting: list[tuple[Evidence, float]] = field(default_factory=list)  # as new as lead[0]


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
        and cosine(head_vec, vector(c[0].text)) >= SAME_TOPIC
    ]  # fmt: skip
    if not rivals:
        return Arranged(chosen, [])
    group = sorted([head, *rivals], key=_published, reverse=True)
    newest = group[0]
    earlier = [g for g in group[1:] if _superseded(g, newest)][:MAX_EARLIER]
    differing = [g for g in group[1:] if not _superseded(g, newest)]
    conflicting = _distinct_figures(newest, differing)[:MAX_EARLIER]
    taken = {id(g[0]) for g in group}
    rest = [c for c in chosen if id(c[0]) not in taken]
    return Arranged([newest, *rest][: len(chosen)], earlier, conflicting)


def _superseded(item: tuple[Evidence, float], newest: tuple[Evidence, float]) -> bool:
    """Only a dated report published before a dated newer one is superseded by it."""
    a, b = item[0].passage.published, newest[0].passage.published
    return a is not None and b is not None and a < b


def _distinct_figures(
    lead: tuple[Evidence, float], items: list[tuple[Evidence, float]]
) -> list[tuple[Evidence, float]]:
    """One report per differing set of figures (a second source repeating one adds nothing)."""
    seen, out = {_figures(lead[0].text)}, []
    for item in items:
        figures = _figures(item[0].text)
        if figures not in seen:
            seen.add(figures)
            out.append(item)
    return out


def date_notes(item: Evidence) -> str:
    """ " (Thursday = Thu 17 Apr 2025)" for relative dates the source's date resolves."""
    published = item.passage.published
    if published is None:
        return ""
    text = item.text
    notes = []
    for match in EXPRESSION.finditer(text):
        # the tense of the expression's own clause: "backed it on Tuesday, saying it would …"
        left, right = clause_bounds(text, match.start(), match.end())
        event = resolve(match, published, bool(FUTURE.search(text[left:right])))
        if event.resolved:
            notes.append(f"{event.expression} = {event.label}")
    return f" ({'; '.join(dict.fromkeys(notes))})" if notes else ""


def render_dated(arranged: Arranged, as_of: bool) -> tuple[str, tuple[Citation, ...]]:
    """Lead sentences (with "As of <date>:" when asked), then what earlier reports said."""
    parts: list[str] = []
    citations: list[Citation] = []
    for item, score in arranged.lead:
        citations.append(item.cite(len(citations) + 1, score))
        parts.append(f"{item.text} [{len(citations)}]{date_notes(item)}")
    if arranged.conflicting and arranged.lead:
        parts[0] = f"Sources differ: {source_label(arranged.lead[0][0])} says: {parts[0]}"
        for item, score in arranged.conflicting:
            citations.append(item.cite(len(citations) + 1, score))
            said = f"{source_label(item)} says: {item.text} [{len(citations)}]{date_notes(item)}"
            parts[0] += f"; {said}"
    if as_of and arranged.lead:
        parts[0] = f"{as_of_label(arranged.lead[0][0])}: {parts[0]}"
    for item, score in arranged.earlier:
        citations.append(item.cite(len(citations) + 1, score))
        when = fmt_day(item.passage.published) if item.passage.published else "undated"
        parts.append(f"An earlier report ({when}) said: {item.text} [{len(citations)}]")
    return " ".join(parts), tuple(citations)


def source_label(item: Evidence) -> str:
    """ "Valdoria Herald (Wed 14 Jan 2026)": who published the report, and when."""
    passage = item.passage
    when = fmt_day(passage.published) if passage.published else "undated"
    return f"{passage.source or passage.title} ({when})"


def as_of_label(item: Evidence) -> str:
    published = item.passage.published
    return f"As of {fmt_day(published)}" if published else "As of an undated report"
