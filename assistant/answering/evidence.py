"""Sentences inside retrieved passages, with offsets in their documents (citable units)."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.intake.chunking import sentence_spans
from assistant.statements import StatementFilter
from assistant.statements.injection import is_untrusted
from assistant.types import Citation, Passage


@dataclass(frozen=True)
class Evidence:
    """One source sentence: `text == document.text[start:end]`."""

    passage: Passage
    text: str
    start: int
    end: int
    position: int  # order within the passage list, for stable tie-breaking

    def cite(self, marker: int, score: float) -> Citation:
        return Citation(
            marker=marker, doc_id=self.passage.doc_id, title=self.passage.title,
            quote=self.text, start=self.start, end=self.end, score=round(score, 4),
        )  # fmt: skip


def sentences_of(
    passages: list[Passage], statements: StatementFilter | None = None
) -> list[Evidence]:
    """Split each passage into sentences, dropping repeats (overlapping chunks, duplicates).

    With `statements`, only statements: a heading, question subhead, byline, caption or
    boilerplate line is context for retrieval, never a quote."""
    seen: set[tuple[str, int]] = set()
    seen_text: set[str] = set()
    evidence: list[Evidence] = []
    for passage in passages:
        for start, end in sentence_spans(passage.text, offset=passage.start):
            local = passage.text[start - passage.start : end - passage.start]
            if is_untrusted(local):  # planted instructions, links: never quoted
                continue
            key = (passage.doc_id, start)
            normalised = " ".join(local.split()).lower()
            if key in seen or normalised in seen_text:
                continue
            if statements is not None and not statements.is_statement(passage, start, end):
                continue
            seen.add(key)
            seen_text.add(normalised)
            evidence.append(Evidence(passage, local, start, end, len(evidence)))
    return evidence


def render(sentences: list[tuple[Evidence, float]]) -> tuple[str, tuple[Citation, ...]]:
    """Quote each sentence verbatim followed by its marker; one citation per sentence."""
    parts, citations = [], []
    for marker, (item, score) in enumerate(sentences, start=1):
        parts.append(f"{item.text} [{marker}]")
        citations.append(item.cite(marker, score))
    return " ".join(parts), tuple(citations)
