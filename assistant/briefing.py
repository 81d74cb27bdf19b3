"""A one-page briefing of the corpus or a topic, built only from cited source sentences.

Offline and extractive: sentences are picked by rules (figures, attributed statements, forward-
looking cues) and by centrality over their embeddings for the summary; each bullet quotes its
sentence verbatim and cites it, so nothing in a briefing can be unsupported.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from assistant.answering.evidence import Evidence, render, sentences_of
from assistant.text import names_in, numbers_in
from assistant.types import Briefing, BriefingItem, BriefingSection, Passage, SourceRef

if TYPE_CHECKING:
    from assistant.assistant import Assistant

_ATTRIBUTION = re.compile(
    r"\b(said|says|stated|states|noted|notes|told|described|announced|argued|warned|added|"
    r"ruled out|plans?|wants?|insisted|according to|stating|posted|won't|will not)\b",
    re.IGNORECASE,
)
_FORWARD = re.compile(
    r"\b(will|scheduled|next week|next month|upcoming|expected|may also|plans? to|"
    r"deadline|due to|is set to|are set to|paused for|until)\b",
    re.IGNORECASE,
)
_FIGURE = re.compile(r"\d")
_DANGLING = re.compile(r"^(this|these|that|those|he|she|it|they|his|her|their)\b", re.IGNORECASE)
MAX_POOL_DOCS = 30  # a whole-corpus briefing reads the most recent documents


def _centrality(vectors: list[list[float]]) -> list[float]:
    n = len(vectors)
    if n < 2:
        return [1.0] * n
    norms = [math.sqrt(sum(x * x for x in v)) or 1.0 for v in vectors]
    scores = []
    for i, a in enumerate(vectors):
        total = sum(
            sum(x * y for x, y in zip(a, b, strict=True)) / (norms[i] * norms[j])
            for j, b in enumerate(vectors)
            if j != i
        )
        scores.append(total / (n - 1))
    return scores


def _pool(assistant: Assistant, topic: str | None) -> list[Passage]:
    if topic:
        return assistant.retriever.retrieve(topic, max(assistant.settings.top_k * 3, 12))
    entries = sorted(
        assistant.manifest.entries(),
        key=lambda e: (e.document.published is not None, e.document.published, e.document.id),
        reverse=True,
    )[:MAX_POOL_DOCS]
    passages = []
    for entry in entries:
        doc = entry.document
        passages.append(
            Passage(
                chunk_id=f"{doc.id}:all", doc_id=doc.id, title=doc.title, text=doc.text,
                start=0, end=len(doc.text), score=1.0, published=doc.published,
                source=doc.source,
            )
        )  # fmt: skip
    return passages


def _is_body_sentence(item: Evidence) -> bool:
    # A headline line repeats the title and says nothing a bullet should.
    return item.text.strip() != item.passage.title.strip() and len(item.text) > 40


def build_briefing(assistant: Assistant, topic: str | None) -> Briefing:
    passages = _pool(assistant, topic)
    evidence = [e for e in sentences_of(passages) if _is_body_sentence(e)]
    if topic:
        # keep only sentences that bear on the topic
        scored = assistant.answerer.score(topic, topic, [], passages)
        relevant = {(s.evidence.passage.doc_id, s.evidence.start) for s in scored if s.score >= 0.3}
        evidence = [e for e in evidence if (e.passage.doc_id, e.start) in relevant]
    used: set[tuple[str, int]] = set()

    def take(candidates: list[Evidence], limit: int) -> list[Evidence]:
        out = []
        for item in candidates:
            key = (item.passage.doc_id, item.start)
            if key in used:
                continue
            used.add(key)
            out.append(item)
            if len(out) == limit:
                break
        return out

    centrality = (
        _centrality(assistant.vectors.documents([e.text for e in evidence])) if evidence else []
    )
    # A summary sentence opening with "This"/"He" leans on context the reader doesn't have.
    adjusted = [c - (0.1 if _DANGLING.match(e.text) else 0.0)
                for c, e in zip(centrality, evidence, strict=True)]  # fmt: skip
    by_centrality = [e for _, e in sorted(zip(adjusted, evidence, strict=True),
                                          key=lambda p: (-p[0], p[1].position))]  # fmt: skip
    # The summary is a synopsis: its sentences may reappear below, where they belong by kind.
    summary = sorted(by_centrality[:3], key=lambda e: e.position)
    figures = take([e for e in evidence if _FIGURE.search(e.text) and numbers_in(e.text)], 6)
    people = take([e for e in evidence if _ATTRIBUTION.search(e.text) and names_in(e.text)], 6)
    watch = take([e for e in evidence if _FORWARD.search(e.text)], 5)

    def section(key: str, heading: str, items: list[Evidence]) -> BriefingSection:
        return BriefingSection(key, heading, tuple(_item(e) for e in items))

    sections = (
        section("summary", "Situation", summary),
        section("figures", "Key facts and figures", figures),
        section("people", "Who's who and their positions", people),
        section("watch", "What happens next / what to watch", watch),
    )
    cited_docs = {c.doc_id for s in sections for i in s.items for c in i.citations}
    sources = tuple(
        SourceRef(p.doc_id, p.title, p.source, p.published, _url(assistant, p.doc_id))
        for p in {p.doc_id: p for p in passages}.values()
        if p.doc_id in cited_docs
    )
    lead = passages[0].title if passages else "No documents ingested yet"
    headline = f"Briefing: {topic}" if topic else lead
    return Briefing(
        headline=headline,
        topic=topic,
        sections=sections,
        sources=sources,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )


def _item(evidence: Evidence) -> BriefingItem:
    text, citations = render([(evidence, 1.0)])
    return BriefingItem(text, citations)


def _url(assistant: Assistant, doc_id: str) -> str | None:
    entry = assistant.manifest.get(doc_id)
    return entry.document.url if entry else None
