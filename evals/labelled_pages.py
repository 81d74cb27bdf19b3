"""Hand-labelled scraped pages: documents plus one kind per line (see the fixture's header)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal, get_args

from assistant.types import Document

LineKind = Literal[
    "statement", "question", "heading", "title", "byline", "dateline", "caption", "credit",
    "boilerplate", "navigation",
]  # fmt: skip
KINDS: tuple[str, ...] = get_args(LineKind)


@dataclass(frozen=True)
class LabelledLine:
    """Line `line` (0-based, of `text.split("\\n")`) of document `doc_id` is of `kind`."""

    doc_id: str
    line: int
    text: str
    kind: str


@dataclass(frozen=True)
class LabelledPages:
    documents: tuple[Document, ...]
    labels: tuple[LabelledLine, ...]


def _page(block: list[str], where: str) -> tuple[Document, list[LabelledLine]]:
    doc_id = block[0].removeprefix("=== page").strip()
    header: dict[str, str] = {}
    index = 1
    while index < len(block) and block[index] != "---":
        key, _, value = block[index].partition(":")
        header[key.strip()] = value.strip()
        index += 1
    labels: list[LabelledLine] = []
    lines: list[str] = []
    for raw in block[index + 1 :]:
        kind, _, text = raw.partition(" ")
        if kind not in KINDS or not text.strip():
            raise ValueError(f"{where}: page {doc_id}: bad line {raw!r}")
        labels.append(LabelledLine(doc_id, len(lines), text, kind))
        lines.append(text)
    published = header.get("published")
    document = Document(
        id=doc_id, title=header.get("title", ""), text="\n".join(lines),
        source=header.get("source") or None,
        published=date.fromisoformat(published) if published else None,
    )  # fmt: skip
    return document, labels


def load_labelled_pages(path: Path) -> LabelledPages:
    """Pages in the fixture format: "=== page <id>", headers, "---", "<kind> <text>" lines."""
    blocks: list[list[str]] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.startswith("#") or not raw.strip():
            continue
        if raw.startswith("=== page"):
            blocks.append([])
        elif not blocks:
            raise ValueError(f"{path}: text before the first page")
        blocks[-1].append(raw.rstrip())
    documents, labels = [], []
    for block in blocks:
        document, lines = _page(block, str(path))
        documents.append(document)
        labels.extend(lines)
    return LabelledPages(tuple(documents), tuple(labels))
