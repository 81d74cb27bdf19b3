"""A PDF → `Document`: its text layer, page by page, with page breaks kept as form feeds.

The pages are joined with "\\n\\f\\n" (`paging.PAGE_BREAK` on a line of its own), so a
citation's offset gives its page and a paragraph never spans a page break. pypdf gives one line
per printed line; lines are joined into paragraphs (a sentence wrapped over lines, or carried
over to the next page, stays one sentence for the chunker, which ends sentences at line
breaks). Page numbers and running headers are dropped. Line-end hyphens are removed only when
the joined word occurs elsewhere in the document; otherwise the word keeps its hyphen.

A PDF without a text layer (scanned) is refused, never ingested empty; so are encrypted and
malformed files, with a message that names the file and says what to do.
"""

from __future__ import annotations

import io
import itertools
import logging
import math
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from assistant.errors import DocumentError
from assistant.intake.documents import slugify
from assistant.intake.paging import PAGE_BREAK
from assistant.types import Document

log = logging.getLogger(__name__)
# pypdf warns about every damaged structure it repairs ("EOF marker not found"); a file it
# cannot read raises a DocumentError that says so, so its warnings would only repeat that.
logging.getLogger("pypdf").setLevel(logging.ERROR)

#: Fewer visible characters per page than this, on average: a scan, not text.
MIN_CHARS_PER_PAGE = 20

_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_FIRST_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*(?=\s|$)")
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE
)
_BULLETS = ("•", "▪", "◦", "·", "●", "– ", "- ", "* ")
_NOT_TEXT = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
_WORD = re.compile(r"[^\W\d_]+")
_JUNK_TITLE = re.compile(
    r"^(?:untitled.*|microsoft word\s*-.*|.*\.(?:docx?|pdf|odt|rtf|indd|qxd|tex))$", re.IGNORECASE
)


def looks_like_pdf(raw: bytes) -> bool:
    """A PDF by its header (never its name)."""
    return raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"%PDF-")


def _open(raw: bytes, name: str) -> tuple[Any, list[Any]]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(
                f"{name} is encrypted (it needs a password); save a copy without one and add that"
            )
        return reader, list(reader.pages)
    except DocumentError:
        raise
    except DependencyError:
        raise DocumentError(
            f"{name} is encrypted with AES, which needs the `cryptography` package to read"
        ) from None
    except Exception as exc:  # pypdf raises many kinds on damaged files: all mean the same
        reason = str(exc)[:120] or "damaged"
        raise DocumentError(f"{name} is not a readable PDF ({reason})") from None


def _page_lines(page: Any, name: str, number: int) -> list[str]:
    """The page's printed lines, with an empty line wherever the vertical space between two
    lines is clearly wider than the page's usual line spacing (a paragraph or heading gap)."""
    heights: list[float] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if text.strip():
            try:
                heights.append(float(tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))
            except (TypeError, IndexError, ValueError):
                heights.append(float("nan"))  # no position: the gaps are not used

    try:
        raw = page.extract_text(visitor_text=visit) or ""
    except Exception as exc:  # one damaged page should not lose the others
        log.warning("unreadable PDF page", extra={"file": name, "page": number, "error": str(exc)})
        return []
    lines = []
    for line in raw.splitlines():
        soft = line.rstrip().endswith("\xad")  # a soft hyphen at the end: the word goes on
        line = " ".join(_NOT_TEXT.sub(" ", line).replace("\xad", "").split())
        lines.append(line + "\xad" if soft and line else line)
    return _with_gaps(lines, heights)


def _with_gaps(lines: list[str], heights: list[float]) -> list[str]:
    """`lines` with "" before each line that starts after a wide gap; unchanged when the text
    pieces pypdf reported do not line up one to one with the lines."""
    tops: list[float] = []
    for y in heights:
        if not tops or abs(y - tops[-1]) > 2.0:  # pieces of one line share its baseline
            tops.append(y)
    printed = [line for line in lines if line]
    if len(tops) != len(printed) or any(math.isnan(y) for y in heights):
        return lines
    gaps = [a - b for a, b in itertools.pairwise(tops)]
    usual = Counter(round(g) for g in gaps if g >= 1).most_common(1)  # points, going down
    if not usual:
        return printed
    spacing = usual[0][0]
    out = printed[:1]
    for gap, line in zip(gaps, printed[1:], strict=True):
        if gap > 1.3 * spacing:
            out.append("")
        out.append(line)
    return out


def _drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Without page numbers and the headers/footers repeated on most pages."""

    def key(line: str) -> str:
        return re.sub(r"\d+", "#", line.lower())

    edges: Counter[str] = Counter()
    for lines in pages:
        shown = [line for line in lines if line]
        edges.update({key(line) for line in shown[:1] + shown[-1:]})
    repeated = {k for k, n in edges.items() if n >= 3 and n > len(pages) / 2}

    def running(line: str) -> bool:
        return bool(_PAGE_NUMBER.match(line)) or key(line) in repeated

    out = []
    for lines in pages:
        body = list(lines)
        for _ in range(2):  # a header and a page number, at either end
            while body and not body[0]:
                body.pop(0)
            while body and not body[-1]:
                body.pop()
            if body and running(body[0]):
                body.pop(0)
            if body and running(body[-1]):
                body.pop()
        out.append(body)
    return out


def _join(before: str, after: str, vocabulary: set[str]) -> str:
    """Two lines of one paragraph: a space, or none after a hyphen that splits a word."""
    if before.endswith("\xad"):
        return before[:-1] + after
    if before.endswith("-") and before[-2:-1].isalpha() and after[:1].islower():
        head = re.search(r"[^\W\d_]+-$", before)
        tail = _WORD.match(after)
        if head and tail and (head.group()[:-1] + tail.group()).lower() in vocabulary:
            return before[:-1] + after  # "tar-" + "iff" where "tariff" occurs elsewhere
        return before + after  # "well-" + "known": keep the hyphen
    return f"{before} {after}"


def _ends_paragraph(line: str, following: str, width: int) -> bool:
    if not following or following.startswith(_BULLETS):
        return True
    if _SENTENCE_END.search(line):
        return len(line) < 0.85 * width  # a short last line: the paragraph ends here
    heading = len(line) < 0.6 * width and not line.endswith((",", ";", ":", "-", "\xad"))
    starts = line[:1].isupper() or line[:1].isdigit()
    return heading and starts and not following[:1].islower()


def _paragraphs(lines: list[str], vocabulary: set[str]) -> list[str]:
    width = max((len(line) for line in lines), default=0)
    paragraphs: list[str] = []
    current = ""
    for i, line in enumerate(lines):
        if line:
            current = _join(current, line, vocabulary) if current else line
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if current and (not line or _ends_paragraph(line, following, width)):
            paragraphs.append(current.replace("\xad", ""))
            current = ""
    return paragraphs


def _carry_over(pages: list[list[str]], vocabulary: set[str]) -> None:
    """A sentence that runs on to the next page is finished on the page where it starts (a
    citation names the page its quote starts on)."""
    for before, after in itertools.pairwise(pages):
        if not before or not after or _SENTENCE_END.search(before[-1]):
            continue
        if not after[0][:1].islower():
            continue
        end = _FIRST_SENTENCE.search(after[0])
        cut = end.end() if end else len(after[0])
        before[-1] = _join(before[-1], after[0][:cut].strip(), vocabulary)
        rest = after[0][cut:].strip()
        if rest:
            after[0] = rest
        else:
            after.pop(0)


def _metadata(reader: Any) -> tuple[str | None, date | None]:
    try:
        meta = reader.metadata
        title = " ".join(str(meta.title or "").split()) if meta else ""
        created = meta.creation_date if meta else None
    except Exception:  # unreadable metadata is no reason to refuse the text
        return None, None
    title = "" if _JUNK_TITLE.match(title) else title
    return title or None, created.date() if created else None


def pdf_document(raw: bytes, *, name: str, url: str | None = None) -> Document:
    """The document in a PDF; `name` (a file name) gives its id and names it in errors."""
    reader, pdf_pages = _open(raw, name)
    if not pdf_pages:
        raise DocumentError(f"{name} has no pages")
    lines = [_page_lines(page, name, n) for n, page in enumerate(pdf_pages, 1)]
    visible = sum(len("".join(line.split())) for page in lines for line in page)
    if visible < MIN_CHARS_PER_PAGE * len(lines):
        raise DocumentError(f"{name} has no text layer (a scanned PDF?); run OCR on it first")
    lines = _drop_running_lines(lines)
    vocabulary = {w.lower() for page in lines for line in page for w in _WORD.findall(line)}
    pages = [_paragraphs(page, vocabulary) for page in lines]
    _carry_over(pages, vocabulary)
    text = f"\n{PAGE_BREAK}\n".join("\n\n".join(page) for page in pages)
    title, created = _metadata(reader)
    first_line = next((line for page in lines for line in page if line), "")
    return Document(
        id=slugify(Path(name).stem),
        title=(title or first_line.replace("\xad", "")[:200] or name)[:500],
        text=text,
        published=created,
        url=url,
    )
