"""Paths → a stream of `Document`s and skip notes, one document in memory at a time.

Folders are walked (hidden files and folders never count), each file goes to its loader, and
every problem becomes a `SkippedFile` naming the file (or `file:line` for a collection record),
so one bad file or record never stops the rest (a scanned PDF is skipped: it has no text). The
size limit is per document: a whole text, HTML, PDF or Word file, or one record of a JSONL
collection — never the collection file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from assistant.errors import DocumentError
from assistant.intake.collection import count_records, iter_jsonl
from assistant.intake.documents import (
    DOCX_SUFFIXES,
    HTML_SUFFIXES,
    JSONL_SUFFIXES,
    PDF_SUFFIXES,
    SUPPORTED_SUFFIXES,
    load_html,
    load_text,
)
from assistant.types import Document, SkippedFile


@dataclass(frozen=True)
class LoadResult:
    documents: tuple[Document, ...]
    skipped: tuple[SkippedFile, ...]


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
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


def expected_documents(paths: Iterable[Path]) -> int:
    """About how many documents `iter_paths` will yield (a progress bar's total)."""
    total = 0
    for path in iter_files(paths):
        suffix = path.suffix.lower()
        if suffix in JSONL_SUFFIXES:
            total += count_records(path)
        elif suffix in SUPPORTED_SUFFIXES:
            total += 1
    return total


def _load_file(path: Path, max_bytes: int) -> Iterator[Document | SkippedFile]:
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        yield SkippedFile(str(path), f"unsupported file type (use {supported})")
        return
    if suffix in JSONL_SUFFIXES:
        yield from iter_jsonl(path, max_record_bytes=max_bytes)
        return
    size = path.stat().st_size
    if size > max_bytes:
        raise DocumentError(f"{path}: {size:,} bytes is over the {max_bytes:,} limit")
    raw = path.read_bytes()
    if suffix in PDF_SUFFIXES or suffix in DOCX_SUFFIXES:
        yield _load_binary(path, raw, pdf=suffix in PDF_SUFFIXES)
    else:
        yield load_html(path, raw) if suffix in HTML_SUFFIXES else load_text(path, raw)


def _load_binary(path: Path, raw: bytes, *, pdf: bool) -> Document:
    """A PDF or Word file in a corpus folder (its messages name the file, not the folder)."""
    from assistant.intake.office import docx_document
    from assistant.intake.pdfs import pdf_document

    document = pdf_document(raw, name=path.name) if pdf else docx_document(raw, name=path.name)
    return replace(document, path=str(path))


def iter_paths(paths: Iterable[Path], *, max_bytes: int) -> Iterator[Document | SkippedFile]:
    """Every document under `paths`, in order, with a skip note for whatever cannot be used."""
    seen: dict[str, str] = {}
    for path in iter_files(paths):
        if not path.exists():
            yield SkippedFile(str(path), "no such file or folder")
            continue
        try:
            for item in _load_file(path, max_bytes):
                if isinstance(item, SkippedFile):
                    yield item
                elif item.id in seen:
                    yield SkippedFile(
                        str(path), f"duplicate document id {item.id!r} (first in {seen[item.id]})"
                    )
                else:
                    seen[item.id] = str(path)
                    yield item
        except DocumentError as exc:
            yield SkippedFile(str(path), str(exc).removeprefix(f"{path}: "))
        except OSError as exc:
            yield SkippedFile(str(path), f"cannot read file ({exc.strerror})")


def load_paths(paths: Iterable[Path], *, max_bytes: int) -> LoadResult:
    """`iter_paths`, collected (tests, benchmarks and small corpora)."""
    documents: list[Document] = []
    skipped: list[SkippedFile] = []
    for item in iter_paths(paths, max_bytes=max_bytes):
        (skipped if isinstance(item, SkippedFile) else documents).append(item)  # type: ignore[arg-type]
    return LoadResult(tuple(documents), tuple(skipped))
