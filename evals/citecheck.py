"""Citation precision: does each cited quote support the answer sentence that cites it?

An answer is split into claims, each the text before a run of `[n]` markers. Each (claim,
citation) pair is checked with `assistant.answering.verification.check_claim` — every number
and name in the claim must appear in that quote — the same grounding check answers and
briefings use.
Source-attribution frames the answerer adds ("As of Wed 14 Jan 2026:", "An earlier report
(date) said:", "Sources differ: Herald (date) says: …; Courier (date) says: …", "(Monday = Mon
26 Jan 2026)") describe the cited document's source and date, not its text, so they are removed
before the check, as the answer-time verifier removes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answering.parts import NOT_COVERED
from assistant.answering.premise import NO_LEAD, OTHERWISE_LEAD
from assistant.answering.verification import check_claim, normalise
from assistant.types import Answer

_MARKERS = re.compile(r"((?:\s*\[\d+\])+)")
_MARKER = re.compile(r"\[(\d+)\]")
_DAY = r"\((?:undated|[A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2} \d{4})\)"  # "(Wed 14 Jan 2026)"
_FRAMES = (  # what `answering.claims` strips at answer time too
    re.compile(r"^;\s*"),  # "…[1]; B (date) says: …" continues a "Sources differ:" claim
    re.compile(rf"^{NOT_COVERED}\s*"),
    re.compile(rf"^(?:{re.escape(NO_LEAD)}|{re.escape(OTHERWISE_LEAD)})\s*"),
    re.compile(r"^As of [^:]{1,40}:\s*"),
    re.compile(r"^An earlier report \([^)]{1,40}\) said:\s*"),
    re.compile(r"^Sources differ:\s*"),
    re.compile(rf"^[^\[\]]{{1,200}}? {_DAY} says:\s*"),  # a source label: its name and date
    re.compile(r"^\((?:[^()]*=[^()]*)\)\s*"),  # relative-date notes after the previous marker
)


@dataclass(frozen=True)
class ClaimCheck:
    claim: str
    markers: tuple[int, ...]
    supported_markers: tuple[int, ...]  # citations whose quote alone supports the claim
    supported: bool  # all cited quotes together support it
    has_numbers: bool
    numbers_grounded: bool  # no number in the claim is missing from its quotes


def claims(text: str) -> list[tuple[str, tuple[int, ...]]]:
    """(claim text, its markers) for each cited claim; uncited text gets an empty marker tuple."""
    out: list[tuple[str, tuple[int, ...]]] = []
    parts = _MARKERS.split(text)
    for i in range(0, len(parts), 2):
        claim = _strip_frames(parts[i])
        markers = tuple(int(m) for m in _MARKER.findall(parts[i + 1])) if i + 1 < len(parts) else ()
        if claim:
            out.append((claim, markers))
    return out


def _strip_frames(text: str) -> str:
    text = text.strip()
    changed = True
    while changed:
        changed = False
        for frame in _FRAMES:
            stripped = frame.sub("", text, count=1)
            if stripped != text:
                text, changed = stripped.strip(), True
    return text


def check_answer(answer: Answer) -> tuple[ClaimCheck, ...]:
    """One check per claim of a non-abstained answer (abstentions have no claims to check)."""
    if answer.abstained:
        return ()
    quotes = {c.marker: c.quote for c in answer.citations}
    checks = []
    for claim, markers in claims(answer.answer):
        cited = [quotes[m] for m in markers if m in quotes]
        together = check_claim(claim, cited)
        alone = tuple(
            m for m in markers if m in quotes and check_claim(claim, [quotes[m]]).supported
        )
        checks.append(
            ClaimCheck(
                claim=claim,
                markers=markers,
                supported_markers=alone,
                supported=bool(cited) and together.supported,
                has_numbers=re.search(r"\d", normalise(claim)) is not None,
                numbers_grounded=bool(cited) and not together.missing_numbers,
            )
        )
    return tuple(checks)
