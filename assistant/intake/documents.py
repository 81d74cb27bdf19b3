"""Loaders: files on disk → `Document`s.

Supported: `.txt`, `.md`/`.markdown` (optional YAML front matter), `.html`/`.htm` (the text a
reader sees: scripts, styles, comments and elements hidden with `hidden`, `aria-hidden` or an
inline `display:none`/`visibility:hidden` style are dropped — uploads are read the same way),
JSONL collections (one document per line) are read record by record in `collection`; `.pdf` and
`.docx` files by `intake.pdfs` / `intake.office`; walking paths, picking the loader and turning
errors into skip notes is `loading`.
A file that cannot be loaded raises `DocumentError`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import DocumentError
from assistant.intake.sniffing import NotText, TextProblem, decode_text
from assistant.types import Document

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl"}  # collections: many documents per file
PDF_SUFFIXES = {".pdf"}
DOCX_SUFFIXES = {".docx"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | PDF_SUFFIXES | DOCX_SUFFIXES

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_ID_UNSAFE = re.compile(r"[^a-z0-9]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def slugify(text: str) -> str:
    slug = _ID_UNSAFE.sub("-", text.lower()).strip("-")
    return slug[:80] or "document"


def parse_date(value: Any, *, where: str) -> date | None:
    """Accept ISO dates/datetimes (strings or YAML-parsed values); reject anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        except ValueError:
            pass
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            pass
    raise DocumentError(f"{where}: unreadable publication date {value!r} (use YYYY-MM-DD)")


_FILE_PROBLEMS: dict[TextProblem, str] = {
    "empty": "file is empty",
    "nul": "looks like a binary file (contains NUL bytes)",
    "encoding": "not valid UTF-8 text (byte {byte})",
    "controls": "looks like a binary file (control characters)",
}


def _decode(raw: bytes, path: Path) -> str:
    try:
        text = decode_text(raw, nul_scan=8192, control_scan=8192)
    except NotText as exc:
        raise DocumentError(f"{path}: {exc.describe(_FILE_PROBLEMS)}") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def drop_hidden(soup: Any) -> None:
    """Remove what a reader of the page would not see: hidden instructions live there."""
    from bs4 import Comment

    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    hidden = [
        tag for tag in soup.find_all(True)
        if tag.has_attr("hidden")
        or str(tag.get("aria-hidden", "")).lower() == "true"
        or _HIDDEN_STYLE.search(str(tag.get("style", "")))
    ]  # fmt: skip
    for tag in hidden:
        if not tag.decomposed:
            tag.decompose()
    for tag in soup(["script", "style", "noscript", "template", "head"]):
        tag.decompose()


_SENTENCE_END = re.compile(r"[.!][\"'”’)\]]*$")


def _first_line_title(text: str, fallback: str) -> str:
    """A Markdown heading or a headline-like first line; a first line that ends a sentence
    ("Zorbia set its tariff at 77%.") is text to quote, so the title is then the file's name."""
    for line in text.splitlines():
        stripped = line.strip().lstrip("#").strip()
        if stripped:
            heading = line.lstrip().startswith("#")
            return fallback if not heading and _SENTENCE_END.search(stripped) else stripped[:200]
    return fallback


def optional_str(meta: dict[str, Any], key: str) -> str | None:
    value = meta.get(key)
    return None if value is None or value == "" else str(value)


def load_text(path: Path, raw: bytes) -> Document:
    text = _decode(raw, path)
    meta: dict[str, Any] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        try:
            parsed = yaml.safe_load(match.group(1)) or {}
        except (yaml.YAMLError, ValueError) as exc:  # ValueError: impossible dates (2025-13-45)
            raise DocumentError(f"{path}: malformed YAML front matter ({exc})") from None
        if not isinstance(parsed, dict):
            raise DocumentError(f"{path}: front matter must be a mapping of fields")
        meta = parsed
        text = text[match.end() :]
    if not text.strip():
        raise DocumentError(f"{path}: no text after the front matter")
    doc_id = str(meta.get("id") or slugify(path.stem))
    return Document(
        id=doc_id,
        title=str(meta.get("title") or _first_line_title(text, path.stem)),
        text=text,
        source=optional_str(meta, "source"),
        published=parse_date(meta.get("published", meta.get("date")), where=str(path)),
        url=optional_str(meta, "url"),
        path=str(path),
    )


def load_html(path: Path, raw: bytes) -> Document:
    from bs4 import BeautifulSoup  # imported lazily: only HTML ingest needs it

    markup = _decode(raw, path)
    soup = BeautifulSoup(markup, "html.parser")
    meta = {
        str(tag.get("property") or tag.get("name")).lower(): str(tag.get("content"))
        for tag in soup.find_all("meta")
        if (tag.get("property") or tag.get("name")) and tag.get("content")
    }
    title = (soup.title.get_text(" ", strip=True) if soup.title else "") or meta.get("og:title")
    drop_hidden(soup)
    blocks = [" ".join(line.split()) for line in soup.get_text("\n").splitlines() if line.strip()]
    text = "\n".join(blocks)
    if not text.strip():
        raise DocumentError(f"{path}: HTML has no visible text")
    published = meta.get("article:published_time") or meta.get("date") or meta.get("pubdate")
    return Document(
        id=slugify(path.stem),
        title=title or _first_line_title(text, path.stem),
        text=text,
        source=meta.get("og:site_name") or meta.get("author"),
        published=parse_date(published, where=str(path)),
        url=meta.get("og:url"),
        path=str(path),
    )
