"""Documents sent to the API (`POST /documents`): untrusted bytes → a `Document` and a stored file.

* The type comes from the content, never the file name: a PDF (`%PDF-`) or a Word file (a ZIP
  holding `word/document.xml`) is read by `intake.pdfs` / `intake.office` (a scanned PDF is
  refused: no text layer); other bytes that are not text (NUL bytes, invalid UTF-8, control
  characters) are refused; markup is read as HTML (visible text only; elements hidden with
  `hidden`, `aria-hidden` or an inline `display:none`/`visibility:hidden` style are dropped
  first, like scripts and comments); anything else is text or Markdown (optional YAML front
  matter).
* Names are never used as paths: the document is stored as `DATA_DIR/uploads/<id>.md`, where
  the id is a checked slug; `safe_filename` only derives a default id. A PDF's page breaks are
  kept in the stored text as form feeds, so citations can name pages after a re-ingest too.
* Errors are `DocumentError`s that name the upload, never a server path.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Literal

import yaml

from assistant.errors import DocumentError
from assistant.intake.documents import load_html, load_text, slugify
from assistant.intake.office import docx_document, looks_like_docx
from assistant.intake.pdfs import looks_like_pdf, pdf_document
from assistant.intake.sniffing import NotText, TextProblem, decode_text
from assistant.types import Document

UPLOADS = "uploads"
#: Ids a client may choose: letters, digits, `.`, `_`, `-`; no leading dot; ≤ 128 chars.
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"
_ID = re.compile(ID_PATTERN)
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_HTML = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|article|div|p|h[1-6]|"
    rb"section|span|table|ul|ol|br|a\s)[\s>/]",
    re.IGNORECASE | re.DOTALL,
)
_UPLOAD_PROBLEMS: dict[TextProblem, str] = {
    "empty": "the upload is empty",
    "nul": "the upload is not text (it contains NUL bytes)",
    "encoding": "the upload is not UTF-8 text (bad byte at {byte})",
    "controls": "the upload is not text (it contains control characters)",
}

Kind = Literal["text", "html", "pdf", "docx"]


@dataclass(frozen=True)
class Upload:
    """What a client sent: the content, and the metadata fields it set (None: not given)."""

    content: bytes
    filename: str | None = None
    id: str | None = None
    title: str | None = None
    published: date | None = None
    source: str | None = None
    url: str | None = None


def safe_filename(name: str | None) -> str:
    """The last component of any path-like name, reduced to `[A-Za-z0-9._-]`, no leading dot."""
    if not name:
        return "upload"
    name = name.replace("\x00", "")
    base = PureWindowsPath(PurePosixPath(name).name).name  # strips / and \ components alike
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    base = _UNSAFE_NAME.sub("-", base).strip(".-_")
    return base[:100] or "upload"


def check_id(doc_id: str) -> str:
    if not _ID.match(doc_id) or ".." in doc_id:
        raise DocumentError(
            f"invalid document id {doc_id[:80]!r}: use letters, digits, '.', '_' and '-' "
            "(at most 128, not starting with a dot)"
        )
    return doc_id


def sniff(raw: bytes, *, files: bool = True) -> Kind:
    """`pdf`, `docx` (with `files`), `html` or `text` from the bytes themselves; DocumentError
    for anything else."""
    if files and looks_like_pdf(raw):
        return "pdf"
    if files and looks_like_docx(raw):
        return "docx"
    try:
        decode_text(raw, nul_scan=None, control_scan=65536)
    except NotText as exc:
        raise DocumentError(exc.describe(_UPLOAD_PROBLEMS)) from None
    return "html" if _HTML.match(raw.lstrip(b"\xef\xbb\xbf")) else "text"


def to_document(upload: Upload, *, literal: bool = False) -> tuple[Document, Kind]:
    """Read an upload; explicit fields override what the content says.

    `literal`: the content is a JSON `text` field — plain text is taken as it is (no front
    matter); markup is still read as HTML.
    """
    name = safe_filename(upload.filename)
    kind = sniff(upload.content, files=not literal)
    where = Path(f"{Path(name).stem or 'upload'}.{'html' if kind == 'html' else 'md'}")
    if kind == "pdf":  # messages name the file as the client did (its safe form)
        document = pdf_document(upload.content, name=name)
    elif kind == "docx":
        document = docx_document(upload.content, name=name)
    elif kind == "html":
        document = load_html(where, upload.content)  # hidden elements dropped there
    elif literal:
        text = upload.content.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
        document = Document(id="upload", title=upload.title or "Untitled", text=text)
    else:
        document = load_text(where, upload.content)
    if any("\ud800" <= ch <= "\udfff" for ch in document.text):
        raise DocumentError("the upload is not valid Unicode text")
    if upload.id:
        doc_id = upload.id
    elif literal or (upload.title and not upload.filename):
        doc_id = slugify(upload.title or document.title)
    else:
        doc_id = document.id
    document = replace(
        document,
        id=check_id(doc_id),
        title=" ".join((upload.title or document.title).split())[:500] or doc_id,
        published=upload.published or document.published,
        source=upload.source or document.source,
        url=upload.url or document.url,
        path=None,
    )
    return document, kind


def store(document: Document, data_dir: Path) -> Document:
    """Keep the document as `DATA_DIR/uploads/<id>.md`; the document with that path.

    Stored as Markdown (the visible text of an HTML upload) with its metadata as front matter,
    so `briefing ingest DATA_DIR/uploads` would read back the very same document, and no
    markup from a client is ever kept.
    """
    folder = (data_dir / UPLOADS).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    target = (folder / f"{check_id(document.id)}.md").resolve()
    if target.parent != folder:  # belt and braces: check_id already forbids separators
        raise DocumentError("invalid document id")
    published = document.published.isoformat() if document.published else None
    meta = {"id": document.id, "title": document.title, "source": document.source,
            "url": document.url, "published": published}  # fmt: skip
    front = yaml.safe_dump({k: v for k, v in meta.items() if v}, allow_unicode=True)
    partial = target.with_name(target.name + ".part")
    partial.write_text(f"---\n{front}---\n{document.text}", encoding="utf-8")
    partial.replace(target)  # atomic: a reader never sees half a file
    return replace(document, path=str(target))


def remove_stored(document: Document, data_dir: Path) -> None:
    """Delete the stored upload of a removed document (nothing outside the uploads folder)."""
    if not document.path:
        return
    folder = (data_dir / UPLOADS).resolve()
    path = Path(document.path).resolve()
    if path.parent == folder and path.is_file():
        path.unlink()


def is_upload(document: Document, data_dir: Path) -> bool:
    """True when the document came in through the API (its file is in the uploads folder)."""
    return is_upload_path(document.path, data_dir)


def is_upload_path(path: str | None, data_dir: Path) -> bool:
    """True when `path` is a stored upload's file."""
    return bool(path) and Path(path or "").resolve().parent == (data_dir / UPLOADS).resolve()
