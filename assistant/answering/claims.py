"""Answer-time citation verification: split an answer into claims and check each one.

A claim is the text before a run of `[n]` markers. It is supported when its markers point at
citations, every quantity and name in it appears in the cited quotes (`verification`), enough
of its content words do (a correct sentence citing the wrong passage shares few), and its
embedding is close enough to the nearest cited quote (or nearly all its words are in it). A
claim that *is* its cited quote — every extractive claim, possibly after a system-written
frame such as "As of Wed 14 Jan 2026:" or "An earlier report (…) said:" — scores 1.0 without
embedding anything.

Date notes the composer appends after markers ("(Monday = Mon 26 Jan 2026)") are derived from
the source's publication date, so they are kept with their claim but not checked against it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from assistant.answering.parts import NOT_COVERED
from assistant.answering.premise import NO_LEAD, OTHERWISE_LEAD
from assistant.answering.similarity import cosines
from assistant.answering.verification import check_claim
from assistant.language.words import content_terms
from assistant.types import Citation, Claim

MIN_TERM_OVERLAP = 0.3  # share of a claim's content words its cited quotes must contain
# A claim whose words are (nearly) all in its quotes needs no semantic vote: a short true claim
# ("The levies are paused.") sits far from a long quote in embedding space (MiniLM: 0.23).
LEXICAL_SUPPORT = 0.75

Embed = Callable[[list[str]], list[list[float]]]

_SEGMENT = re.compile(
    r"(?P<body>.*?)(?P<markers>(?:\s*\[\d+\])+)(?P<note>\s*\([^()\[\]]*=[^()\[\]]*\))?", re.DOTALL
)
_MARKER = re.compile(r"\[(\d+)\]")
# What a composer may write around a verbatim quote (see `dated.render_dated`); a frame is made
# from the source's metadata, and "X says:" only counts with its date label, so a claim cannot
# pin a verbatim quote on someone else just by prefixing a name.
_DATE = r"[A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2} \d{4}"  # relative_dates.fmt_day: "Wed 14 Jan 2026"
_DAY = rf"\((?:undated|{_DATE})\)"
_FRAMING = re.compile(
    rf"(?:{NOT_COVERED}\s*)*(?:(?:{re.escape(NO_LEAD)}|{re.escape(OTHERWISE_LEAD)})\s*)?"
    rf"(?:;\s*)?(?:As of (?:an undated report|{_DATE}):\s*)?"
    rf"(?:An earlier report {_DAY} said:\s*)?(?:Sources differ:\s*)?"
    rf"(?:[^\[\]]{{1,200}}? {_DAY} says:\s*)?"
)


@dataclass(frozen=True)
class Segment:
    """A piece of answer text: the claim, its markers and any trailing date note."""

    body: str
    markers: tuple[int, ...]
    note: str = ""

    def render(self, markers: tuple[int, ...] | None = None, mark: str = "") -> str:
        refs = "".join(f"[{n}]" for n in (self.markers if markers is None else markers))
        return " ".join(p for p in (self.body, refs, self.note.strip(), mark) if p)


def segments(answer: str) -> list[Segment]:
    """Split answer text into claims, each with the markers that end it."""
    out: list[Segment] = []
    end = 0
    for m in _SEGMENT.finditer(answer):
        if not m.group("markers"):
            continue
        markers = tuple(dict.fromkeys(int(n) for n in _MARKER.findall(m.group("markers"))))
        out.append(Segment(m.group("body").strip(), markers, m.group("note") or ""))
        end = m.end()
    rest = answer[end:].strip()
    if re.search(r"\w", rest):
        out.append(Segment(rest, ()))  # text no marker vouches for
    return out


def _flat(text: str) -> str:
    return " ".join(text.split())


def is_verbatim(claim: str, quotes: list[str]) -> bool:
    """True when `claim` is one of `quotes`, at most behind a system-written frame."""
    claim = _flat(claim)
    return any(
        quote and claim.endswith(quote) and _FRAMING.fullmatch(claim[: -len(quote)].strip())
        for quote in map(_flat, quotes)
    )


def term_overlap(claim: str, quotes: list[str]) -> float:
    terms = set(content_terms(claim))
    if not terms:
        return 1.0
    return len(terms & set(content_terms(" ".join(quotes)))) / len(terms)


def semantic_score(claim: str, quotes: list[str], embed: Embed | None) -> float:
    """Cosine between the claim and its closest cited quote (0..1); 1.0 for a verbatim quote."""
    if is_verbatim(claim, quotes):
        return 1.0
    if embed is None or not quotes:
        return 0.0
    vectors = embed([claim, *quotes])
    return max(0.0, *cosines(vectors[0], vectors[1:]))


def check_segment(
    segment: Segment,
    citations: Mapping[int, Citation],
    embed: Embed | None,
    min_score: float,
) -> Claim:
    """One claim's support against the quotes its markers point at."""
    text = segment.body.lstrip("; ")  # "; B says: …" continues a "Sources differ:" claim
    valid = [n for n in segment.markers if n in citations]
    if not valid or not text:
        return Claim(text, segment.markers, False, 0.0)
    quotes = [citations[n].quote for n in valid]
    if is_verbatim(text, quotes):
        return Claim(text, segment.markers, True, 1.0)
    grounded = check_claim(text, quotes)
    overlap = term_overlap(text, quotes)
    score = round(semantic_score(text, quotes, embed), 4)
    close = score >= min_score or overlap >= LEXICAL_SUPPORT
    supported = grounded.supported and overlap >= MIN_TERM_OVERLAP and close
    return Claim(
        text, segment.markers, supported, score,
        grounded.missing_numbers, grounded.missing_names,
    )  # fmt: skip


def check_claims(
    answer: str, citations: tuple[Citation, ...], embed: Embed | None, min_score: float
) -> list[tuple[Segment, Claim]]:
    """Every claim of `answer` with its support status, in order."""
    by_marker = {c.marker: c for c in citations}
    return [(s, check_segment(s, by_marker, embed, min_score)) for s in segments(answer)]
