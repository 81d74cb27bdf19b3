"""LLM answers held to the same contract as extractive ones.

The model sees numbered passages and must cite them; its text is split into claims, each
claim's `[n]` markers are mapped back to passages (invalid ones dropped), the quote becomes the
passage sentence that supports it, and `check_claim` verifies numbers and names against that
quote. Unverifiable claims are dropped. If nothing verifiable is left — or the backend is down,
slow, rate-limited or returns junk — the extractive answer is returned, flagged `degraded`.
"""

from __future__ import annotations

import logging
import queue
import re
import threading
import time as clock
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import replace

from langchain_core.language_models import BaseChatModel

from assistant.answering.claims import MIN_TERM_OVERLAP, term_overlap
from assistant.answering.extractive import NO_ANSWER, ExtractiveAnswerer
from assistant.answering.prompts import NOT_IN_SOURCES, build_messages
from assistant.answering.request import ComposeRequest, Final, StreamEvent, Token
from assistant.answering.verification import check_claim
from assistant.intake.chunking import sentence_spans
from assistant.language.words import content_terms
from assistant.statements import StatementFilter
from assistant.statements.injection import clean_passages
from assistant.types import Answer, Citation, Passage

log = logging.getLogger(__name__)

_MARKERS = re.compile(r"\[(\d+)\]")
_MARKER_AFTER_STOP = re.compile(r"([.!?])\s*((?:\[\d+\]\s*)+)")
_CLAIM_BREAK = re.compile(r"(?<=[.!?])\s+(?=[\"'“A-Z0-9])")
_URL = re.compile(r"(https?://|www\.)\S+|!\[[^\]]*\]\([^)]*\)", re.IGNORECASE)

_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="llm")


def _best_span(
    claim: str, passage: Passage, statements: StatementFilter | None = None
) -> tuple[str, int, int] | None:
    """The sentence of `passage` that best supports `claim` (numbers and names, then words);
    with `statements`, the best statement (None: the passage has none to cite)."""
    terms = set(content_terms(claim))
    best: tuple[float, str, int, int] | None = None
    spans = sentence_spans(passage.text, offset=passage.start)
    if statements is not None:
        spans = [(s, e) for s, e in spans if statements.is_statement(passage, s, e)]
        if not spans:
            return None
    for start, end in spans:
        quote = passage.text[start - passage.start : end - passage.start]
        overlap = len(terms & set(content_terms(quote))) / (len(terms) or 1)
        score = (2.0 if check_claim(claim, [quote]).supported else 0.0) + overlap
        if best is None or score > best[0]:
            best = (score, quote, start, end)
    return (best[1], best[2], best[3]) if best else (passage.text, passage.start, passage.end)


def _supported(claim: str, quotes: list[str]) -> bool:
    return check_claim(claim, quotes).supported and term_overlap(claim, quotes) >= MIN_TERM_OVERLAP


def verify(
    draft: str,
    passages: list[Passage],
    strict: bool = True,
    statements: StatementFilter | None = None,
) -> tuple[str, tuple[Citation, ...], int]:
    """(text with renumbered markers, citations, claims dropped) for an LLM draft.

    Not `strict`: a claim its passages do not support is kept, citing its best sentences, for
    `answering.verified` to mark; claims without a valid marker, or with a URL, still go.
    With `statements`, a claim cites statements only: a passage with none (a heading, a
    caption) cannot back it."""
    draft = _MARKER_AFTER_STOP.sub(lambda m: f" {m.group(2).strip()}{m.group(1)} ", draft.strip())
    kept: list[str] = []
    citations: list[Citation] = []
    markers: dict[tuple[str, int, int], int] = {}
    dropped = 0
    for sentence in _CLAIM_BREAK.split(draft):
        claim = re.sub(r"\s+([.!?,;:])", r"\1", _MARKERS.sub("", sentence)).strip()
        cited = [int(n) for n in dict.fromkeys(_MARKERS.findall(sentence))]
        valid = [n for n in cited if 1 <= n <= len(passages)]  # out-of-range markers dropped
        if not claim:
            continue
        if not valid or _URL.search(claim):
            dropped += 1
            continue
        found = [(passages[n - 1], _best_span(claim, passages[n - 1], statements)) for n in valid]
        usable = [(p, span) for p, span in found if span is not None]
        if not usable:
            dropped += 1
            continue
        sources = [p for p, _ in usable]
        spans = [span for _, span in usable]
        if not _supported(claim, [s[0] for s in spans]):
            # the claim may draw on neighbouring sentences of the same passage
            whole = [(p.text, p.start, p.end) for p in sources]
            if _supported(claim, [s[0] for s in whole]):
                spans = whole
            elif strict:
                log.info("dropped an unverified claim", extra={"claim": claim[:200]})
                dropped += 1
                continue
        refs = []
        for passage, (quote, start, end) in zip(sources, spans, strict=True):
            key = (passage.doc_id, start, end)
            if key not in markers:
                markers[key] = len(markers) + 1
                citations.append(Citation(markers[key], passage.doc_id, passage.title, quote,
                                          start, end, round(passage.score, 4)))  # fmt: skip
            refs.append(f"[{markers[key]}]")
        kept.append(f"{claim} {''.join(refs)}")
    return " ".join(kept), tuple(citations), dropped


class GenerativeAnswerer:
    """An LLM writes the answer; verification decides what of it may be shown."""

    def __init__(
        self, model: BaseChatModel, fallback: ExtractiveAnswerer, timeout: float,
        *, strict: bool = True,
    ) -> None:  # fmt: skip
        self._model = model
        self._strict = strict
        self.fallback = fallback
        self._statements = fallback.statements  # cite what the extractive answerer may quote
        self._timeout = timeout
        self.threshold = fallback.threshold

    def _degraded(self, reason: str, request: ComposeRequest) -> Answer:
        log.warning("LLM answer unavailable; extractive answer used", extra={"reason": reason})
        return replace(self.fallback.compose(request), degraded=True)

    def _finish(self, draft: str, request: ComposeRequest) -> Answer:
        as_of = request.time.as_of if request.time else None
        rewritten = request.query if request.query != request.question else None
        if NOT_IN_SOURCES.lower() in draft.lower():
            return Answer(request.question, NO_ANSWER, True, (), rewritten, as_of)
        text, citations, dropped = verify(draft, request.passages, self._strict, self._statements)
        if not citations:
            return self._degraded(f"no verifiable claim ({dropped} dropped)", request)
        return Answer(request.question, text, False, citations, rewritten, as_of)

    def compose(self, request: ComposeRequest) -> Answer:
        request = replace(request, passages=clean_passages(request.passages))
        if not request.passages:
            return self.fallback.compose(request)
        messages = build_messages(request.question, request.passages, list(request.history))
        future = _POOL.submit(self._model.invoke, messages)
        try:
            reply = future.result(timeout=self._timeout)
        except FutureTimeout:
            return self._degraded("timeout", request)
        except Exception as exc:  # any backend failure degrades; it never becomes a 5xx
            return self._degraded(type(exc).__name__, request)
        return self._finish(reply.content if isinstance(reply.content, str) else "", request)

    def stream(self, request: ComposeRequest) -> Iterator[StreamEvent]:
        """Tokens as the model writes them, then the verified answer (which may differ)."""
        request = replace(request, passages=clean_passages(request.passages))
        if not request.passages:
            yield Final(self.fallback.compose(request))
            return
        events: queue.Queue[tuple[str, str]] = queue.Queue()
        messages = build_messages(request.question, request.passages, list(request.history))

        def produce() -> None:
            try:
                for chunk in self._model.stream(messages):
                    if isinstance(chunk.content, str) and chunk.content:
                        events.put(("token", chunk.content))
                events.put(("done", ""))
            except Exception as exc:
                events.put(("error", type(exc).__name__))

        threading.Thread(target=produce, daemon=True, name="llm-stream").start()
        deadline = clock.monotonic() + self._timeout
        parts: list[str] = []
        while True:
            try:
                kind, value = events.get(timeout=max(0.0, deadline - clock.monotonic()))
            except queue.Empty:
                kind, value = "error", "timeout"
            if kind == "token":
                parts.append(value)
                yield Token(value)
                continue
            if kind == "error":
                yield Final(self._degraded(value, request))
            else:
                yield Final(self._finish("".join(parts), request))
            return
