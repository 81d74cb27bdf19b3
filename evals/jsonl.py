"""External eval inputs: a questions JSONL and a corpus JSONL, validated line by line.

Questions: one object a line, `{"id", "question", "answers": [str], "gold_doc_ids": [str],
"answerable": bool}`. Errors name `file:line`, so a typo never silently weakens an eval. The
corpus uses the ingest loader's format (`assistant.intake.collection`); here it is only
checked, streaming and strictly — a skipped line would change what is being measured.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import DocumentError
from assistant.intake.collection import iter_jsonl
from assistant.types import SkippedFile

_KEYS = frozenset({"id", "question", "answers", "gold_doc_ids", "answerable"})


class JsonlError(ValueError):
    """A malformed line or file; the message starts with `file:line`."""


@dataclass(frozen=True)
class QAItem:
    id: str
    question: str
    answers: tuple[str, ...]
    gold_doc_ids: tuple[str, ...]
    answerable: bool


def load_questions(path: Path) -> tuple[QAItem, ...]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise JsonlError(f"{path}: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise JsonlError(f"{path}: cannot read ({exc.strerror})") from None
    items: list[QAItem] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise JsonlError(f"{where}: malformed JSON ({exc.msg} at column {exc.colno})") from None
        item = _item(raw, where)
        if item.id in seen:
            raise JsonlError(f"{where}: duplicate id {item.id!r} (first on line {seen[item.id]})")
        seen[item.id] = number
        items.append(item)
    if not items:
        raise JsonlError(f"{path}: no questions")
    return tuple(items)


def _item(raw: Any, where: str) -> QAItem:
    if not isinstance(raw, dict):
        raise JsonlError(f"{where}: each line must be a JSON object")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise JsonlError(f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {sorted(_KEYS)}")
    for key in ("id", "question"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise JsonlError(f"{where}: {key!r} must be a non-empty string")
    answerable = raw.get("answerable", True)
    if not isinstance(answerable, bool):
        raise JsonlError(f"{where}: 'answerable' must be true or false, got {answerable!r}")
    answers = _strings(raw, "answers", where)
    gold = _strings(raw, "gold_doc_ids", where)
    if answerable and not (answers and gold):
        raise JsonlError(f"{where}: an answerable question needs 'answers' and 'gold_doc_ids'")
    if not answerable and answers:
        raise JsonlError(f"{where}: an unanswerable question must not list 'answers'")
    return QAItem(raw["id"].strip(), raw["question"].strip(), answers, gold, answerable)


def _strings(raw: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise JsonlError(f"{where}: {key!r} must be a list of non-empty strings")
    return tuple(value)


@dataclass(frozen=True)
class CorpusCheck:
    """What a corpus JSONL holds: its document ids and the records that cannot be used."""

    ids: frozenset[str]
    skipped: tuple[SkippedFile, ...]


def load_corpus(path: Path, *, max_record_bytes: int, allow_skipped: bool = False) -> CorpusCheck:
    """Check every record of a corpus JSONL, streaming; a bad line or duplicate id is an error
    (a skipped record would change what is measured) unless `allow_skipped`."""
    ids: set[str] = set()
    skipped: list[SkippedFile] = []
    try:
        for item in iter_jsonl(path, max_record_bytes=max_record_bytes):
            if isinstance(item, SkippedFile):
                skipped.append(item)
            elif item.id in ids:
                skipped.append(SkippedFile(str(path), f"duplicate document id {item.id!r}"))
            else:
                ids.add(item.id)
    except DocumentError as exc:
        raise JsonlError(str(exc)) from None
    except OSError as exc:
        raise JsonlError(f"{path}: cannot read ({exc.strerror})") from None
    if skipped and not allow_skipped:
        first = skipped[0]
        more = f" (and {len(skipped) - 1} more bad lines)" if len(skipped) > 1 else ""
        raise JsonlError(
            f"{first.path}: {first.reason}{more}; --allow-skipped scores the rest anyway"
        )
    if not ids:
        raise JsonlError(f"{path}: no usable documents")
    return CorpusCheck(frozenset(ids), tuple(skipped))


def check_gold(items: tuple[QAItem, ...], ids: frozenset[str], path: Path) -> None:
    """Every gold doc id must exist in the corpus, or the eval would measure nothing."""
    for item in items:
        missing = [g for g in item.gold_doc_ids if g not in ids]
        if missing:
            raise JsonlError(
                f"{path}: question {item.id!r} names gold doc(s) not in the corpus: "
                + ", ".join(missing)
            )
