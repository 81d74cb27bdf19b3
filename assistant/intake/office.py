"""A Word file (.docx) → `Document`: its paragraphs and tables in order, one block each.

A paragraph's soft line breaks and tabs become spaces (the chunker ends sentences at line
breaks); table rows become "cell | cell" lines. Headers, footers, comments and tracked
deletions are not part of the text. The title comes from the file's properties, else its first
heading; the date from when the file says it was created.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from assistant.errors import DocumentError
from assistant.intake.documents import slugify
from assistant.types import Document

_NOT_TEXT = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
#: Unpacked size allowed per byte of .docx: text compresses well, a zip bomb far better.
MAX_EXPANSION = 100
MAX_UNPACKED = 200_000_000
#: python-docx's own template says it was created then: not a date anyone gave the document.
_TEMPLATE_CREATED = datetime(2013, 12, 23, 23, 15, tzinfo=UTC)


def looks_like_docx(raw: bytes) -> bool:
    """A Word document by its content (a ZIP holding `word/document.xml`), never its name."""
    if not raw.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _check_archive(raw: bytes, name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if "word/document.xml" not in archive.namelist():
                raise DocumentError(f"{name} is a ZIP archive but not a Word document (.docx)")
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DocumentError(f"{name} is not a readable Word document (.docx)") from None
    if unpacked > min(MAX_UNPACKED, MAX_EXPANSION * max(len(raw), 1)):
        raise DocumentError(f"{name} unpacks to {unpacked:,} bytes: too large to read")


def _clean(text: str) -> str:
    return " ".join(_NOT_TEXT.sub(" ", text).split())


def _blocks(document: Any) -> list[tuple[str, str]]:
    """(style name, text) of each non-empty paragraph and table row, in order."""
    from docx.table import Table

    blocks = []
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                cells = list(dict.fromkeys(_clean(cell.text) for cell in row.cells))
                line = " | ".join(cell for cell in cells if cell)
                if line:
                    blocks.append(("Table", line))
            continue
        text = _clean(item.text)
        if text:
            style = item.style.name if item.style is not None else ""
            blocks.append((str(style or ""), text))
    return blocks


def docx_document(raw: bytes, *, name: str) -> Document:
    """The document in a .docx file; `name` (a file name) gives its id and names it in errors."""
    import docx

    _check_archive(raw, name)
    try:
        document = docx.Document(io.BytesIO(raw))
        blocks = _blocks(document)
        props = document.core_properties
        title, created = _clean(props.title or ""), props.created
    except DocumentError:
        raise
    except Exception as exc:  # python-docx and lxml raise many kinds on damaged files
        raise DocumentError(f"{name} is not a readable Word document ({str(exc)[:120]})") from None
    if not blocks:
        raise DocumentError(f"{name} has no text")
    heading = next((t for s, t in blocks if s.startswith(("Title", "Heading"))), blocks[0][1])
    published: date | None = None
    if isinstance(created, datetime) and created.replace(tzinfo=UTC) != _TEMPLATE_CREATED:
        published = created.date()
    return Document(
        id=slugify(Path(name).stem),
        title=(title or heading[:200] or name)[:500],
        text="\n\n".join(text for _, text in blocks),
        published=published,
    )
