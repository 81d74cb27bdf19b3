"""Property tests (hypothesis) for the loaders and the chunker on hostile input: arbitrary bytes
and Unicode — NUL, lone surrogates, CR/LF mixes, empty files, very long lines.

Loaders either return documents or raise `DocumentError` (nothing else); the chunker never
fails on a loaded document, its chunks are exact, non-empty, ordered slices, and ids are
deterministic and unique.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from assistant.errors import DocumentError
from assistant.intake.chunking import chunk_document, sentence_spans
from assistant.intake.collection import load_jsonl
from assistant.intake.documents import load_html, load_text
from assistant.intake.uploads import Upload, safe_filename, sniff, to_document
from assistant.types import Document

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text with the characters that break naive code: NUL, lone surrogates, CR, LF, tabs, controls.
_NASTY = st.sampled_from(
    ["\x00", "\ud800", "\udfff", "\r", "\n", "\r\n", "\t", "\x0b", "\x1f", "\u2028", "\ufeff",
     "\U0001f600", ".", "!", "?", "“", "”", '"', " "]
)  # fmt: skip
nasty_text = st.lists(
    st.one_of(st.text(max_size=30), _NASTY, st.text(alphabet="ab. ", min_size=200, max_size=3000)),
    max_size=12,
).map("".join)
valid_text = nasty_text.map(lambda t: t.encode("utf-8", "ignore").decode("utf-8"))


def encoded(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")  # lone surrogates → invalid UTF-8 bytes


raw_bytes = st.one_of(st.binary(max_size=2000), nasty_text.map(encoded))


def check_document(doc: Document) -> None:
    assert doc.id and doc.title
    assert doc.text.strip()
    doc.text.encode("utf-8")  # storable: no lone surrogates


@FAST
@given(raw_bytes)
@example(b"")
@example(b"\x00\x00")
@example(b"---\ntitle: x\n---\n")
@example(b"---\n: : :\n---\nbody")
@example(b"---\n- a list\n---\nbody")
@example(b"---\npublished: 2025-13-45\n---\nbody")
@example(("word " * 50_000).encode())
def test_text_loader_returns_a_document_or_a_document_error(raw: bytes) -> None:
    try:
        doc = load_text(Path("x.md"), raw)
    except DocumentError:
        return
    check_document(doc)


@FAST
@given(raw_bytes)
@example(b"<html><body></body></html>")
@example(b"<p>\x00</p>")
@example(b"<html><head><meta property='article:published_time' content='never'></head>x</html>")
def test_html_loader_returns_a_document_or_a_document_error(raw: bytes) -> None:
    try:
        doc = load_html(Path("x.html"), raw)
    except DocumentError:
        return
    check_document(doc)


jsonl_record = st.fixed_dictionaries(
    {"id": st.one_of(st.text(max_size=10), st.integers()), "title": nasty_text,
     "text": nasty_text},
    optional={"published": st.one_of(st.text(max_size=12), st.none(), st.integers()),
              "url": st.one_of(st.text(max_size=10), st.none())},
)  # fmt: skip


@FAST
@given(st.lists(st.one_of(jsonl_record.map(json.dumps), nasty_text), max_size=6))
@example(['{"id": "a", "title": "t", "text": "lone \\ud800 surrogate"}'])
@example(['{"id": "a", "title": "t", "text": "nul \\u0000 inside"}'])
@example(["[1, 2]", "null", '"str"'])
def test_jsonl_loader_returns_documents_and_skips_or_a_document_error(lines: list[str]) -> None:
    raw = "\n".join(lines).encode("utf-8", "surrogatepass")
    try:
        documents, skipped = load_jsonl(Path("x.jsonl"), raw)
    except DocumentError:
        return
    for doc in documents:
        check_document(doc)
    assert all(s.reason for s in skipped)


@FAST
@given(raw_bytes)
def test_upload_sniffing_says_text_html_or_document_error(raw: bytes) -> None:
    try:
        kind = sniff(raw)
    except DocumentError:
        return
    if kind == "pdf":  # read by pypdf, which refuses what is not a PDF with a DocumentError
        assert raw.lstrip().startswith((b"%PDF-", b"\xef\xbb\xbf"))
        return
    assert kind in ("text", "html")  # a .docx is a whole ZIP archive: never random bytes
    raw.decode("utf-8-sig")


@FAST
@given(raw_bytes)
def test_a_pdf_or_word_upload_is_a_document_or_document_error(raw: bytes) -> None:
    try:
        document, _ = to_document(Upload(content=b"%PDF-1.4\n" + raw, filename="x.pdf"))
    except DocumentError:
        pass
    else:
        check_document(document)
    try:  # a damaged Word file: refused, or (mostly text) read as text, never a traceback
        document, kind = to_document(Upload(content=b"PK\x03\x04" + raw, filename="x.docx"))
    except DocumentError:
        return
    assert kind == "text"
    check_document(document)


@FAST
@given(st.text(max_size=300))
@example("../../etc/passwd")
@example("..\\..\\x")
@example("\x00")
def test_safe_filenames_are_plain_names(name: str) -> None:
    safe = safe_filename(name)
    assert safe and len(safe) <= 100
    assert "/" not in safe and "\\" not in safe and "\x00" not in safe
    assert not safe.startswith(".") and safe not in (".", "..")
    assert safe == safe_filename(name)


@FAST
@given(
    valid_text,
    st.integers(min_value=100, max_value=2000),
    st.integers(min_value=0, max_value=500),
)
@example("", 100, 0)
@example("\r\n\r\n  \n", 100, 0)
@example("A." * 5000, 100, 0)
@example("x" * 10_000, 100, 0)
@example('He said "Stop. Now. Please." Then left.', 100, 0)
def test_chunks_are_exact_non_empty_ordered_slices_with_stable_ids(
    text: str, max_chars: int, min_chars: int
) -> None:
    doc = Document("doc-1", "Title", text)
    chunks = chunk_document(doc, max_chars=max_chars, min_chars=min_chars)
    previous_end = 0
    for n, chunk in enumerate(chunks):
        assert chunk.index == n and chunk.doc_id == "doc-1"
        assert text[chunk.start : chunk.end] == chunk.text
        assert chunk.text.strip(), "no empty chunks"
        assert chunk.start >= previous_end
        previous_end = chunk.end
    ids = [c.id for c in chunks]
    assert len(set(ids)) == len(ids)
    assert ids == [c.id for c in chunk_document(doc, max_chars=max_chars, min_chars=min_chars)]
    # every non-blank stretch of the text is in some chunk
    covered = sum(len(c.text) for c in chunks)
    assert (covered == 0) == (not text.strip())


@FAST
@given(valid_text)
def test_sentence_spans_are_exact_and_ordered(text: str) -> None:
    spans = sentence_spans(text, offset=7)
    last = 7
    for start, end in spans:
        assert last <= start < end <= len(text) + 7
        assert text[start - 7 : end - 7].strip() == text[start - 7 : end - 7]
        last = end


@FAST
@given(raw_bytes)
def test_loaded_documents_always_chunk(raw: bytes) -> None:
    try:
        doc = load_text(Path("x.md"), raw)
    except DocumentError:
        assume(False)
        return
    chunks = chunk_document(doc, max_chars=700, min_chars=150)
    assert chunks and all(doc.text[c.start : c.end] == c.text for c in chunks)
