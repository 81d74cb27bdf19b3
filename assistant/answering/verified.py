"""Every composer's answer passes here before anyone sees it: claims are checked, not assumed.

`VerifiedComposer` wraps a composer (extractive, generative, streaming or not). Strict (the
default): unsupported claims are dropped, the citations they alone used go with them, markers
are renumbered, and an answer left with no claim abstains — or, for an LLM, becomes the
verified extractive answer flagged `degraded`. Not strict: unsupported claims stay, marked
"(unverified)". Either way the answer carries each claim's status in `Answer.claims`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import replace

from assistant.answering.claims import Embed, Segment, check_claims
from assistant.answering.extractive import NO_ANSWER
from assistant.answering.request import Composer, ComposeRequest, Final, StreamEvent
from assistant.types import Answer, Citation, Claim

log = logging.getLogger(__name__)

UNVERIFIED = "(unverified)"


def _renumbered(
    kept: list[tuple[Segment, Claim]], citations: tuple[Citation, ...], strict: bool
) -> tuple[str, tuple[Citation, ...], tuple[Claim, ...]]:
    by_marker = {c.marker: c for c in citations}
    new: dict[int, int] = {}
    parts, claims = [], []
    for segment, claim in kept:
        for n in segment.markers:
            if n in by_marker and n not in new:
                new[n] = len(new) + 1
        markers = tuple(new[n] for n in segment.markers if n in new)
        mark = "" if claim.supported or strict else UNVERIFIED
        parts.append(segment.render(markers, mark))
        claims.append(replace(claim, markers=markers))
    cited = tuple(replace(by_marker[old], marker=n) for old, n in new.items())
    text = re.sub(r"\] ;", "];", " ".join(parts)).lstrip("; ")  # "…[1]; B says: …"
    return text, cited, tuple(claims)


def verify_answer(answer: Answer, embed: Embed | None, min_score: float, strict: bool) -> Answer:
    """`answer` with per-claim support; strict: with its unsupported claims removed."""
    if answer.abstained:
        return replace(answer, claims=())
    checked = check_claims(answer.answer, answer.citations, embed, min_score)
    kept = [(s, c) for s, c in checked if c.supported or not strict]
    for _, claim in checked:
        if not claim.supported:
            log.info(
                "unsupported claim",
                extra={"claim": claim.text[:200], "score": claim.score, "strict": strict,
                       "missing_numbers": claim.missing_numbers,
                       "missing_names": claim.missing_names},
            )  # fmt: skip
    if not kept:
        return replace(answer, answer=NO_ANSWER, abstained=True, citations=(), claims=())
    text, citations, claims = _renumbered(kept, answer.citations, strict)
    return replace(answer, answer=text, citations=citations, claims=claims)


class VerifiedComposer:
    """A composer whose every answer — invoked or streamed — is verified claim by claim."""

    def __init__(
        self,
        inner: Composer,
        embed: Embed | None,
        *,
        min_score: float,
        strict: bool = True,
        fallback: Composer | None = None,
    ) -> None:
        self.inner = inner
        self._embed = embed
        self._min_score = min_score
        self.strict = strict
        self._fallback = fallback  # an LLM's answer that verifies to nothing degrades to this
        self.threshold = inner.threshold

    def verify(self, answer: Answer, request: ComposeRequest) -> Answer:
        verified = verify_answer(answer, self._embed, self._min_score, self.strict)
        if verified.abstained and not answer.abstained and self._fallback is not None:
            log.warning("no claim of the LLM answer verified; extractive answer used")
            extractive = self._fallback.compose(request)
            fallback = verify_answer(extractive, self._embed, self._min_score, self.strict)
            return replace(fallback, degraded=True)
        return verified

    def compose(self, request: ComposeRequest) -> Answer:
        return self.verify(self.inner.compose(request), request)

    def stream(self, request: ComposeRequest) -> Iterator[StreamEvent]:
        for event in self.inner.stream(request):
            yield Final(self.verify(event.answer, request)) if isinstance(event, Final) else event
