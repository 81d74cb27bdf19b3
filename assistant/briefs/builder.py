"""Build a Briefing: pick sentences by rule and centrality, compose bullets, verify each one.

Every bullet is made of verbatim source spans plus labels derived from them (a role, a resolved
date); `check_claim` confirms each bullet's numbers and names appear in what it cites, and a
bullet that fails is dropped and logged, never shown unverified.
"""

from __future__ import annotations

import logging
import math
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from assistant.answering.evidence import Evidence, sentences_of
from assistant.answering.verification import check_claim
from assistant.briefs.figures import figure_key, figure_text, figures_in
from assistant.briefs.people import people_index, statements_in
from assistant.briefs.spans import Span, whole
from assistant.briefs.timeline import FoundEvent, events_in
from assistant.statements import ShapeStatements, StatementFilter
from assistant.types import (
    Briefing,
    BriefingItem,
    BriefingSection,
    Citation,
    Passage,
    SourceRef,
    Statement,
)

log = logging.getLogger(__name__)

_FORWARD = re.compile(
    r"\b(will|scheduled|next week|next month|upcoming|expected|may also|plans? to|deadline|"
    r"due to|is set to|are set to|paused for|until|expires?)\b",
    re.IGNORECASE,
)
_DANGLING = re.compile(r"^(this|these|that|those|he|she|it|they|his|her|their)\b", re.IGNORECASE)
SUMMARY_SENTENCES = 3
LIMITS = {"figures": 8, "people": 10, "timeline": 12, "watch": 6}

Embed = Callable[[list[str]], list[list[float]]]


def _key(prefix: str, text: str) -> str:
    return f"{prefix}:" + re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()[:120]


@dataclass(frozen=True)
class Cite:
    """A marker for `span` without quoting it (the text before it restates part of it)."""

    span: Span


@dataclass(frozen=True)
class Derived:
    """Text computed from metadata, not claimed by the source (a resolved date label)."""

    text: str


Part = str | Span | Cite | Derived


def _compose(parts: Sequence[Part]) -> tuple[str, str, tuple[Citation, ...]]:
    """Join the parts: (text, the claim to verify, citations). Each span gets one marker."""
    text: list[str] = []
    claim: list[str] = []
    citations: list[Citation] = []
    markers: dict[tuple[str, int, int], int] = {}
    for part in parts:
        if isinstance(part, Derived):
            text.append(part.text)
            continue
        if isinstance(part, str):
            text.append(part)
            claim.append(part)
            continue
        span = part.span if isinstance(part, Cite) else part
        key = (span.evidence.passage.doc_id, span.start, span.end)
        if key not in markers:
            markers[key] = len(markers) + 1
            citations.append(span.cite(markers[key]))
        quoted = "" if isinstance(part, Cite) else span.text
        text.append(f"{quoted} [{markers[key]}]".lstrip())
        claim.append(quoted)
    return "".join(text), " ".join(claim), tuple(citations)


def _item(parts: Sequence[Part], key: str, **extra: object) -> BriefingItem | None:
    text, claim, citations = _compose(parts)
    check = check_claim(claim, [c.quote for c in citations])
    if not check.supported:
        log.warning(
            "briefing bullet dropped: not supported by its citations",
            extra={"missing_numbers": check.missing_numbers, "missing_names": check.missing_names},
        )
        return None
    return BriefingItem(text, citations, key, **extra)  # type: ignore[arg-type]


def _centrality(vectors: list[list[float]]) -> list[float]:
    n = len(vectors)
    if n < 2:
        return [1.0] * n
    norms = [math.sqrt(sum(x * x for x in v)) or 1.0 for v in vectors]
    return [
        sum(
            sum(x * y for x, y in zip(a, b, strict=True)) / (norms[i] * norms[j])
            for j, b in enumerate(vectors)
            if j != i
        )
        / (n - 1)
        for i, a in enumerate(vectors)
    ]


#: Writes the situation summary from the most central sentences (an LLM); returns verified
#: bullets, or an empty list to fall back to quoting those sentences.
SummaryWriter = Callable[[list[Passage]], list[BriefingItem]]
WRITER_SENTENCES = 8


def _as_passage(e: Evidence) -> Passage:
    p = e.passage
    return Passage(f"{p.chunk_id}@{e.start}", p.doc_id, p.title, e.text, e.start, e.end, 1.0,
                   p.published, p.source)  # fmt: skip


def _summary(
    evidence: list[Evidence], embed: Embed, writer: SummaryWriter | None = None
) -> list[BriefingItem]:
    if not evidence:
        return []
    scores = _centrality(embed([e.text for e in evidence]))
    # An opener like "This move…" leans on context the reader of a summary doesn't have.
    adjusted = [
        s - (0.1 if _DANGLING.match(e.text) else 0.0) for s, e in zip(scores, evidence, strict=True)
    ]
    ranked = sorted(zip(adjusted, evidence, strict=True), key=lambda p: (-p[0], p[1].position))
    if writer is not None:
        central = sorted((e for _, e in ranked[:WRITER_SENTENCES]), key=lambda e: e.position)
        written = writer([_as_passage(e) for e in central])
        if written:
            return written
    chosen = sorted((e for _, e in ranked[:SUMMARY_SENTENCES]), key=lambda e: e.position)
    items = [_item([whole(e)], _key("summary", e.text)) for e in chosen]
    return [i for i in items if i]


def _figures(evidence: list[Evidence]) -> list[BriefingItem]:
    items = []
    for e in evidence:
        for found in figures_in(e):
            items.append(
                _item(
                    [figure_text(found.figure), " ", Cite(found.span)],
                    figure_key(found.figure),
                    figure=found.figure,
                )
            )
    return [i for i in items if i]


def _people(evidence: list[Evidence]) -> list[BriefingItem]:
    people = people_index(evidence)
    items: list[BriefingItem | None] = []
    speakers = set()
    for e in evidence:
        for found in statements_in(e, people):
            s = found.statement
            speakers.add(s.speaker)
            label = s.speaker
            parts: list[Part] = [label]
            if s.role:
                parts.append(f", {s.role}")
                role_span = found.person.role_span if found.person else None
                if role_span and role_span.start != found.span.evidence.start:
                    parts += [" ", Cite(role_span)]  # the role is stated in another sentence
            parts += [" — quoted: " if s.kind == "quote" else " — reported: ", found.span]
            items.append(_item(parts, _key(f"people:{s.speaker}", found.span.text), statement=s))
    # Who's who: people with a stated role who made no statement of their own.
    listed = set()
    for person in people.values():
        if person.name in speakers or person.name in listed or not person.role_span:
            continue
        listed.add(person.name)
        statement = Statement(person.name, person.role, "party")
        items.append(
            _item(
                [f"{person.name}, {person.role} ", Cite(person.role_span)],
                _key("party", person.name),
                statement=statement,
            )
        )
    return [i for i in items if i]


def _events(evidence: list[Evidence]) -> list[FoundEvent]:
    return sorted((f for e in evidence for f in events_in(e)), key=lambda f: f.order)


def _event_item(found: FoundEvent, section: str) -> BriefingItem | None:
    label = Derived(f"{found.event.label}: ")
    return _item(
        [label, found.span],
        _key(f"{section}:{found.event.label}", found.span.text),
        event=found.event,
    )


def _timeline(events: list[FoundEvent]) -> list[BriefingItem]:
    return [i for i in (_event_item(f, "timeline") for f in events) if i]


def _watch(evidence: list[Evidence], events: list[FoundEvent]) -> list[BriefingItem]:
    """Upcoming dated events, open-ended deadlines, then other forward-looking sentences."""
    upcoming = [
        f
        for f in events
        if f.order[0] == 2
        or (
            f.event.date
            and f.span.evidence.passage.published
            and f.event.date >= f.span.evidence.passage.published
            and _FORWARD.search(f.span.text)
        )
    ]
    items = [_event_item(f, "watch") for f in upcoming]
    dated = {f.span.evidence.start for f in events}
    items += [
        _item([whole(e)], _key("watch", e.text))
        for e in evidence
        if _FORWARD.search(e.text) and e.start not in dated
    ]
    return [i for i in items if i]


def _unique(items: list[BriefingItem], limit: int) -> tuple[BriefingItem, ...]:
    seen, out = set(), []
    for item in items:
        if item.key in seen:
            continue
        seen.add(item.key)
        out.append(item)
    return tuple(out[:limit])


def build(
    passages: list[Passage],
    topic: str | None,
    embed: Embed,
    corpus_state: tuple[tuple[str, str], ...],
    urls: dict[str, str | None],
    writer: SummaryWriter | None = None,
    statements: StatementFilter | None = None,
) -> Briefing:
    """`statements`: which sentences may become bullets (default: judged by shape alone)."""
    evidence = [
        e
        for e in sentences_of(passages, statements or ShapeStatements())
        if e.text.strip() != e.passage.title.strip() and len(e.text.split()) >= 4
    ]
    events = _events(evidence)
    sections = (
        BriefingSection("summary", "Situation", tuple(_summary(evidence, embed, writer))),
        BriefingSection("figures", "Key figures", _unique(_figures(evidence), LIMITS["figures"])),
        BriefingSection(
            "people", "Parties and positions", _unique(_people(evidence), LIMITS["people"])
        ),
        BriefingSection("timeline", "Timeline", _unique(_timeline(events), LIMITS["timeline"])),
        BriefingSection(
            "watch", "What to watch", _unique(_watch(evidence, events), LIMITS["watch"])
        ),
    )
    cited = {c.doc_id for s in sections for i in s.items for c in i.citations}
    by_doc = {p.doc_id: p for p in passages}
    sources = tuple(
        SourceRef(p.doc_id, p.title, p.source, p.published, urls.get(p.doc_id))
        for p in by_doc.values()
        if p.doc_id in cited
    )
    # The headline comes from the newest document the briefing actually cites.
    cited_titles = [p.title for p in passages if p.doc_id in cited]
    lead = (cited_titles or [p.title for p in passages] or ["No documents ingested yet"])[0]
    return Briefing(
        headline=f"Briefing: {topic}" if topic else lead,
        topic=topic,
        sections=sections,
        sources=sources,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        id=secrets.token_hex(6),
        corpus_state=corpus_state,
    )
