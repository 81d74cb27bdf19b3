"""Sub-sentence spans (clauses) with document offsets, so bullets can quote just what they need."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answering.evidence import Evidence
from assistant.types import Citation

_CLAUSE_BREAK = re.compile(
    r",\s+|;\s+|:\s+(?=[\"“])|\s+(?:and|but|while|as)\s+(?=[a-z]+(?:ed|s)\b)"
)


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


def inside_quote(text: str, index: int) -> bool:
    before = text[:index]
    return before.count('"') % 2 == 1 or before.count("“") > before.count("”")


def clause_breaks(text: str) -> list[tuple[int, int]]:
    """(start, end) of separators outside quotation marks."""
    return [
        (m.start(), m.end())
        for m in _CLAUSE_BREAK.finditer(text)
        if not inside_quote(text, m.start())
    ]


def clause_around(evidence: Evidence, local_start: int, local_end: int) -> Span:
    """The clause of `evidence` containing [local_start, local_end), trimmed of punctuation."""
    text = evidence.text
    left, right = 0, len(text)
    for b_start, b_end in clause_breaks(text):
        if b_end <= local_start:
            left = b_end
        elif b_start >= local_end and right == len(text):
            right = b_start
    while right > left and text[right - 1] in ".,;: ":
        right -= 1
    return Span(evidence, evidence.start + left, evidence.start + right)
