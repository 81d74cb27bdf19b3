"""Questions and corpus JSONL: valid files load, malformed lines are reported as file:line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.jsonl import JsonlError, QAItem, check_gold, load_corpus, load_questions

GOOD = {
    "id": "q1",
    "question": "Who?",
    "answers": ["A"],
    "gold_doc_ids": ["d1"],
    "answerable": True,
}


def write(tmp_path: Path, *lines: str, name: str = "q.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_loads_answerable_and_unanswerable(tmp_path: Path) -> None:
    unanswerable = {"id": "q2", "question": "Why?", "answers": [], "gold_doc_ids": [],
                    "answerable": False}  # fmt: skip
    items = load_questions(write(tmp_path, json.dumps(GOOD), "", json.dumps(unanswerable)))
    assert items == (
        QAItem("q1", "Who?", ("A",), ("d1",), True),
        QAItem("q2", "Why?", (), (), False),
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "malformed JSON"),
        ("[1, 2]", "must be a JSON object"),
        (json.dumps(GOOD | {"extra": 1}), "unknown key(s) extra"),
        (json.dumps(GOOD | {"question": " "}), "'question' must be a non-empty string"),
        (json.dumps(GOOD | {"answerable": "yes"}), "'answerable' must be true or false"),
        (json.dumps(GOOD | {"answers": "A"}), "'answers' must be a list"),
        (json.dumps(GOOD | {"gold_doc_ids": []}), "needs 'answers' and 'gold_doc_ids'"),
        (json.dumps(GOOD | {"answerable": False}), "must not list 'answers'"),
    ],
)
def test_bad_lines_are_named_by_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = write(tmp_path, json.dumps(GOOD | {"id": "ok"}), line)
    with pytest.raises(JsonlError) as caught:
        load_questions(path)
    assert str(caught.value).startswith(f"{path}:2: ")
    assert message in str(caught.value)


def test_duplicate_ids_and_empty_files_are_errors(tmp_path: Path) -> None:
    with pytest.raises(JsonlError, match=r":2: duplicate id 'q1' \(first on line 1\)"):
        load_questions(write(tmp_path, json.dumps(GOOD), json.dumps(GOOD)))
    with pytest.raises(JsonlError, match="no questions"):
        load_questions(write(tmp_path, "", name="empty.jsonl"))


LIMIT = 1_000_000


def test_corpus_lines_must_all_load(tmp_path: Path) -> None:
    doc = {"id": "d1", "title": "T", "text": "Body."}
    good = write(tmp_path, json.dumps(doc), name="c.jsonl")
    assert load_corpus(good, max_record_bytes=LIMIT).ids == {"d1"}
    bad = write(tmp_path, json.dumps(doc), json.dumps({"id": "d2", "title": "T"}), name="b.jsonl")
    with pytest.raises(JsonlError, match=r"b\.jsonl:2: missing required field\(s\) text"):
        load_corpus(bad, max_record_bytes=LIMIT)


def test_skipped_records_are_allowed_only_when_asked(tmp_path: Path) -> None:
    doc = {"id": "d1", "title": "T", "text": "Body."}
    bad = write(tmp_path, json.dumps(doc), "{not json", name="b.jsonl")
    checked = load_corpus(bad, max_record_bytes=LIMIT, allow_skipped=True)
    assert checked.ids == {"d1"}
    assert [s.path for s in checked.skipped] == [f"{bad}:2"]


def test_a_corpus_without_usable_documents_is_an_error(tmp_path: Path) -> None:
    bad = write(tmp_path, "{not json", name="b.jsonl")
    with pytest.raises(JsonlError, match="no usable documents"):
        load_corpus(bad, max_record_bytes=LIMIT, allow_skipped=True)


def test_gold_ids_must_exist_in_the_corpus(tmp_path: Path) -> None:
    path = write(tmp_path, json.dumps({"id": "d1", "title": "T", "text": "B."}))
    corpus = load_corpus(path, max_record_bytes=LIMIT)
    items = (QAItem("q1", "Who?", ("A",), ("d9",), True),)
    with pytest.raises(JsonlError, match=r"'q1' names gold doc.* d9"):
        check_gold(items, corpus.ids, tmp_path / "q.jsonl")
