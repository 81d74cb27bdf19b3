"""Sub-sentence spans (clauses) with document offsets, so bullets can quote just what they need."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.answering.evidence import Evidence
from assistant.language.clauses import clause_bounds
from assistant.types import Citation


@dataclass(frozen=True)
class Span:
    """A verbatim piece of a source sentence: `evidence.text[local_start:local_end]`."""

    evidence: Evidence
    start: int  # document offsets
    end: int

    @property
    def text(self) -> str:
        e = self.evidence
        return e.text[self.start - e.start : self.end - e.start]

    def cite(self, marker: int) -> Citation:
        e = self.evidence
        return Citation(
            marker, e.passage.doc_id, e.passage.title, self.text, self.start, self.end, 1.0
        )


def whole(evidence: Evidence) -> Span:
    return Span(evidence, evidence.start, evidence.end)


def clause_around(evidence: Evidence, local_start: int, local_end: int) -> Span:
    """The clause of `evidence` containing [local_start, local_end), trimmed of punctuation."""
    left, right = clause_bounds(evidence.text, local_start, local_end)
    return Span(evidence, evidence.start + left, evidence.start + right)
