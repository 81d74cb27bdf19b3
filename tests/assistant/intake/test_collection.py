"""JSONL collections stream record by record; each bad record is named by `file:line`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.errors import DocumentError
from assistant.intake.collection import count_records, iter_jsonl
from assistant.types import Document, SkippedFile


def record(n: int, text: str = "") -> bytes:
    body = {"id": f"d{n}", "title": f"T{n}", "text": text or f"Body {n}."}
    return json.dumps(body).encode() + b"\n"


def read(path: Path, limit: int = 1000) -> tuple[list[Document], list[SkippedFile]]:
    docs: list[Document] = []
    skipped: list[SkippedFile] = []
    for item in iter_jsonl(path, max_record_bytes=limit):
        (skipped if isinstance(item, SkippedFile) else docs).append(item)  # type: ignore[arg-type]
    return docs, skipped


def test_an_overlong_record_is_skipped_and_line_numbers_stay_right(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_bytes(
        b"\xef\xbb\xbf" + record(1) + record(2, "x" * 5000) + b"\n" + record(4) + b"\xff\xfe\n"
    )
    docs, skipped = read(path)
    assert [d.id for d in docs] == ["d1", "d4"]
    assert [s.path for s in skipped] == [f"{path}:2", f"{path}:5"]
    assert "over the 1,000 limit" in skipped[0].reason
    assert "UTF-8" in skipped[1].reason


def test_a_record_without_a_final_newline_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_bytes(record(1) + record(2).rstrip(b"\n"))
    assert [d.id for d in read(path)[0]] == ["d1", "d2"]
    assert count_records(path) == 2


@pytest.mark.parametrize("raw", [b"", b"\n\n", b"PK\x03\x04\x00\x00binary"])
def test_a_file_that_is_not_a_collection_is_refused_whole(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "c.jsonl"
    path.write_bytes(raw)
    with pytest.raises(DocumentError):
        read(path)
