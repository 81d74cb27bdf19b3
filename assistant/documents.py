"""Loaders: files on disk → `Document`s.

Supported: `.txt`, `.md`/`.markdown` (optional YAML front matter), `.html`/`.htm` (the text a
reader sees: scripts, styles, comments and elements hidden with `hidden`, `aria-hidden` or an
inline `display:none`/`visibility:hidden` style are dropped — uploads are read the same way),
`.jsonl` (one document per line: id, title, text, optional published/url/source).
A file that cannot be loaded raises `DocumentError`; `load_paths` turns those into skip notes so
one bad file never stops the rest.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import DocumentError
from assistant.sniffing import NotText, TextProblem, decode_text
from assistant.types import Document, SkippedFile

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_ID_UNSAFE = re.compile(r"[^a-z0-9]+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


@dataclass(frozen=True)
class LoadResult:
    documents: tuple[Document, ...]
    skipped: tuple[SkippedFile, ...]


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


def _drop_hidden(soup: Any) -> None:
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


def _storable(record: dict[str, Any]) -> bool:
    """False when a JSON record holds lone surrogates ("\\ud800"): not storable text."""
    try:
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _first_line_title(text: str, fallback: str) -> str:
    for line in text.splitlines():
        stripped = line.strip().lstrip("#").strip()
        if stripped:
            return stripped[:200]
    return fallback


def _optional_str(meta: dict[str, Any], key: str) -> str | None:
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
        source=_optional_str(meta, "source"),
        published=parse_date(meta.get("published", meta.get("date")), where=str(path)),
        url=_optional_str(meta, "url"),
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
    _drop_hidden(soup)
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


def load_jsonl(path: Path, raw: bytes) -> tuple[list[Document], list[SkippedFile]]:
    text = _decode(raw, path)
    documents: list[Document] = []
    skipped: list[SkippedFile] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
            if not isinstance(record, dict):
                raise DocumentError(f"{where}: each line must be a JSON object")
            if "\\ud" in line.lower() and not _storable(record):
                raise DocumentError(f"{where}: not valid Unicode (a lone surrogate escape)")
            missing = [k for k in ("id", "title", "text") if not record.get(k)]
            if missing:
                raise DocumentError(f"{where}: missing required field(s) {', '.join(missing)}")
            body = str(record["text"]).replace("\r\n", "\n")
            if not body.strip():
                raise DocumentError(f"{where}: text is empty")
            documents.append(
                Document(
                    id=str(record["id"]),
                    title=str(record["title"]),
                    text=body,
                    source=_optional_str(record, "source"),
                    published=parse_date(record.get("published"), where=where),
                    url=_optional_str(record, "url"),
                    path=str(path),
                )
            )
        except json.JSONDecodeError as exc:
            skipped.append(SkippedFile(where, f"malformed JSON ({exc.msg})"))
        except DocumentError as exc:
            skipped.append(SkippedFile(where, str(exc).removeprefix(f"{where}: ")))
    if not documents and not skipped:
        raise DocumentError(f"{path}: no records")
    return documents, skipped


def _iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            # hidden files and folders (.git, .drafts) are never part of a corpus
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            yield path


def load_paths(paths: Iterable[Path], *, max_bytes: int) -> LoadResult:
    """Load every supported file under `paths`; report what was skipped and why."""
    documents: list[Document] = []
    skipped: list[SkippedFile] = []
    seen: dict[str, str] = {}
    for path in _iter_files(paths):
        if not path.exists():
            skipped.append(SkippedFile(str(path), "no such file or folder"))
            continue
        suffix = path.suffix.lower()
        if suffix not in SUPPORTED_SUFFIXES:
            supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
            skipped.append(SkippedFile(str(path), f"unsupported file type (use {supported})"))
            continue
        try:
            size = path.stat().st_size
            if size > max_bytes:
                raise DocumentError(f"{path}: {size:,} bytes is over the {max_bytes:,} limit")
            raw = path.read_bytes()
            if suffix in JSONL_SUFFIXES:
                loaded, bad_lines = load_jsonl(path, raw)
                skipped.extend(bad_lines)
            elif suffix in HTML_SUFFIXES:
                loaded = [load_html(path, raw)]
            else:
                loaded = [load_text(path, raw)]
        except DocumentError as exc:
            skipped.append(SkippedFile(str(path), str(exc).removeprefix(f"{path}: ")))
            continue
        except OSError as exc:
            skipped.append(SkippedFile(str(path), f"cannot read file ({exc.strerror})"))
            continue
        for doc in loaded:
            if doc.id in seen:
                skipped.append(
                    SkippedFile(
                        str(path), f"duplicate document id {doc.id!r} (first in {seen[doc.id]})"
                    )
                )
                continue
            seen[doc.id] = str(path)
            documents.append(doc)
    return LoadResult(tuple(documents), tuple(skipped))
