"""Sentence splitting and sentence-aware chunking with exact character offsets.

Every span returned here satisfies `text[start:end] == span_text`, which is what lets a citation
quote point back into its document.
"""

from __future__ import annotations

import hashlib
import re

from assistant.types import Chunk, Document

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "sen", "rep", "gov", "lt", "col",
    "capt", "sgt", "inc", "co", "corp", "ltd", "plc", "vs", "etc", "no", "vol", "fig", "approx",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "u.s", "u.k", "u.n", "e.u", "e.g", "i.e", "a.m", "p.m", "d.c",
}  # fmt: skip
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")


def _is_abbreviation(text: str, dot_end: int) -> bool:
    match = _WORD_BEFORE.search(text, 0, dot_end)
    if not match:
        return False
    word = match.group(1).lower()
    return word in _ABBREVIATIONS or len(word) == 1  # "J. Smith" initials


def _open_quote(text: str) -> bool:
    straight = text.count('"')
    curly = text.count("“") - text.count("”")
    return straight % 2 == 1 or curly > 0


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentence_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """(start, end) of each sentence; line breaks always end a sentence.

    Boundaries inside an open double quote are ignored so quoted speech stays whole.
    """
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        line_text, base = line.group(), line.start()
        start = 0
        for match in _BOUNDARY.finditer(line_text):
            end = match.end()
            if match.group().startswith(".") and _is_abbreviation(line_text, match.start() + 1):
                continue
            if _open_quote(line_text[start:end]) and not _open_quote(line_text[start:]):
                # the quote closes later in this line: keep the quoted speech in one sentence
                continue
            s, e = _strip_span(line_text, start, end)
            if e > s:
                spans.append((base + s + offset, base + e + offset))
            start = end
        s, e = _strip_span(line_text, start, len(line_text))
        if e > s:
            spans.append((base + s + offset, base + e + offset))
    return spans


def chunk_id(doc_id: str, index: int, text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return f"{doc_id}:{index}:{digest}"


def chunk_document(document: Document, *, max_chars: int, min_chars: int) -> list[Chunk]:
    """Pack whole sentences into chunks of at most `max_chars` (a longer sentence stands alone).

    A paragraph break starts a new chunk once the current one holds `min_chars`, so chunks
    follow the article's own structure where they can.
    """
    text = document.text
    chunks: list[Chunk] = []
    current: list[tuple[int, int]] = []

    def flush() -> None:
        if not current:
            return
        start, end = current[0][0], current[-1][1]
        body = text[start:end]
        chunks.append(Chunk(chunk_id(document.id, len(chunks), body), document.id,
                            len(chunks), body, start, end))  # fmt: skip
        current.clear()

    previous_end = 0
    for start, end in sentence_spans(text):
        if current:
            size = end - current[0][0]
            paragraph_break = "\n" in text[previous_end:start]
            held = previous_end - current[0][0]
            if size > max_chars or (paragraph_break and held >= min_chars):
                flush()
        current.append((start, end))
        previous_end = end
    flush()
    return chunks
