"""Questions that ask two things at once ("How much would it cost, and when would it open?").

Each part is answered, or not, on its own: a partial answer quotes what the sources say and
names the part they don't cover, instead of letting the covered part pass for the whole.
"""

from __future__ import annotations

import re

from assistant.language.words import content_terms

_JOINT = re.compile(
    r",?\s+and\s+(?=(?:what|which|who|whom|whose|when|where|why|how|on what|in what|by how|"
    r"for how|is|are|was|were|did|does|do|has|have|will|would)\b)",
    re.IGNORECASE,
)


def question_parts(question: str) -> list[str]:
    """The separate questions in `question`; one item when it asks one thing."""
    pieces = [p.strip(" ,;?") for p in _JOINT.split(question)]
    parts = [p + "?" for p in pieces if p]
    if len(parts) < 2 or any(not content_terms(p) for p in parts):
        return [question]
    return parts


_ORDINALS = ("first", "second", "third", "fourth", "fifth")
# The note as the answer verifier recognises it: written by us, so it needs no citation.
NOT_COVERED = (
    rf"The sources don't answer the (?:{'|'.join(_ORDINALS)}|part \d+) part of the question\."
)


def not_covered(index: int) -> str:
    """Says which part the sources leave open. It never repeats the question's words: a
    figure or name in them would read as if the sources had said it."""
    ordinal = _ORDINALS[index] if index < len(_ORDINALS) else f"part {index + 1}"
    return f"The sources don't answer the {ordinal} part of the question."
