"""JSONL collections: many documents in one file, read record by record.

A scraped-news export is one file of 20–100 MB; reading it whole would tie memory to the file
size and let one size limit meant for a document refuse the whole collection. Here the limit
applies to each record (`max_record_bytes`), at most one record's bytes are held at a time, and a
bad record is skipped with `file:line` and a reason while the rest loads.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from assistant.errors import DocumentError
from assistant.intake.documents import optional_str, parse_date
from assistant.intake.sniffing import NotText, decode_text
from assistant.types import Document, SkippedFile

REQUIRED = ("id", "title", "text")
_SNIFF_BYTES = 8192
_DISCARD_BLOCK = 1 << 20


def _storable(record: dict[str, Any]) -> bool:
    """False when a JSON record holds lone surrogates ("\\ud800"): not storable text."""
    try:
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def record_document(line: str, where: str, path: Path) -> Document:
    """One JSONL line → a `Document`, or `DocumentError` saying what is wrong with it."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise DocumentError(f"malformed JSON ({exc.msg})") from None
    if not isinstance(record, dict):
        raise DocumentError("each line must be a JSON object")
    if "\\ud" in line.lower() and not _storable(record):
        raise DocumentError("not valid Unicode (a lone surrogate escape)")
    missing = [k for k in REQUIRED if not record.get(k)]
    if missing:
        raise DocumentError(f"missing required field(s) {', '.join(missing)}")
    body = str(record["text"]).replace("\r\n", "\n")
    if not body.strip():
        raise DocumentError("text is empty")
    try:
        published = parse_date(record.get("published"), where=where)
    except DocumentError as exc:
        raise DocumentError(str(exc).removeprefix(f"{where}: ")) from None
    return Document(
        id=str(record["id"]), title=str(record["title"]), text=body,
        source=optional_str(record, "source"), published=published,
        url=optional_str(record, "url"), path=str(path),
    )  # fmt: skip


def _lines(stream: IO[bytes], limit: int) -> Iterator[tuple[int, bytes | None, int]]:
    """(line number, bytes or None when over `limit`, size) without holding an overlong line."""
    number = 0
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            return
        number += 1
        if len(raw) <= limit or raw.endswith(b"\n"):
            yield number, raw, len(raw)
            continue
        size = len(raw)
        while not raw.endswith(b"\n"):  # drain the rest of an overlong record unread
            raw = stream.readline(_DISCARD_BLOCK)
            if not raw:
                break
            size += len(raw)
        yield number, None, size


def _check_text(path: Path) -> None:
    """Refuse a whole file that is not text (a zip renamed .jsonl) before reporting lines."""
    with path.open("rb") as stream:
        head = stream.read(_SNIFF_BYTES)
    if not head.strip():
        raise DocumentError(f"{path}: file is empty")
    try:
        # only the head: a multibyte character cut at the boundary is not an error
        decode_text(head, nul_scan=None, control_scan=_SNIFF_BYTES)
    except NotText as exc:
        if exc.problem in ("nul", "controls"):
            raise DocumentError(f"{path}: looks like a binary file") from None


def iter_jsonl(path: Path, *, max_record_bytes: int) -> Iterator[Document | SkippedFile]:
    """Each record of `path` as a `Document`, or a `SkippedFile` naming `path:line` and why.

    Raises `DocumentError` only for the file as a whole (unreadable, binary, no records).
    """
    _check_text(path)
    records = 0
    with path.open("rb") as stream:
        for number, raw, size in _lines(stream, max_record_bytes):
            where = f"{path}:{number}"
            if raw is None:
                yield SkippedFile(
                    where, f"record is {size:,} bytes, over the {max_record_bytes:,} limit"
                )
                records += 1
                continue
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if not raw.strip():
                continue
            records += 1
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield SkippedFile(where, f"not valid UTF-8 text (byte {exc.start})")
                continue
            try:
                yield record_document(line.rstrip("\r\n"), where, path)
            except DocumentError as exc:
                yield SkippedFile(where, str(exc))
    if not records:
        raise DocumentError(f"{path}: no records")


def load_jsonl(path: Path, raw: bytes) -> tuple[list[Document], list[SkippedFile]]:
    """Records of an in-memory JSONL (eval corpora, tests): documents and skipped lines."""
    documents: list[Document] = []
    skipped: list[SkippedFile] = []
    text = raw.decode("utf-8-sig", errors="surrogateescape")
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            line.encode("utf-8")
        except UnicodeEncodeError:
            skipped.append(SkippedFile(where, "not valid UTF-8 text"))
            continue
        try:
            documents.append(record_document(line, where, path))
        except DocumentError as exc:
            skipped.append(SkippedFile(where, str(exc)))
    if not documents and not skipped:
        raise DocumentError(f"{path}: no records")
    return documents, skipped


def count_records(path: Path) -> int:
    """Lines, counted fast (a progress bar's total while records stream); 0 when unreadable."""
    count = 0
    try:
        with path.open("rb") as stream:
            tail = b"\n"
            while block := stream.read(_DISCARD_BLOCK):
                count += block.count(b"\n")
                tail = block[-1:]
        return count + (tail != b"\n")
    except OSError:
        return 0
