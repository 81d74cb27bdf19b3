"""Reading a fictional news QA set as SQuAD-shaped articles, and the shipped sets' integrity."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from training.news import load_news_set
from training.pairs import Mix, build_pairs

SETS = Path(__file__).resolve().parents[2] / "training" / "news"
TEXT = (
    "Port Velna's dockers walked out on Monday. Some 2,300 workers joined the strike.\n\n"
    "The union wants a 9% rise. Leader Irma Sosk said talks had failed."
)


def _write(folder: Path, questions: list[dict[str, object]]) -> Path:
    folder.mkdir()
    doc = {"id": "velna", "title": "Velna strike", "text": TEXT, "published": "2026-03-02"}
    (folder / "corpus.jsonl").write_text(json.dumps(doc) + "\n")
    (folder / "questions.jsonl").write_text("\n".join(map(json.dumps, questions)) + "\n")
    return folder


def test_questions_attach_to_their_answer_sentence_or_nearest_paragraph(tmp_path: Path) -> None:
    folder = _write(tmp_path / "set", [
        {"id": "a", "question": "what raise does the union want", "answers": ["9%"],
         "gold_doc_ids": ["velna"], "answerable": True},
        {"id": "u", "question": "How long did the Velna dockers' strike last?", "answers": [],
         "gold_doc_ids": [], "answerable": False},
    ])  # fmt: skip
    (article,) = load_news_set(folder)
    first, second = article.paragraphs
    assert second.sentences == (
        "The union wants a 9% rise.",
        "Leader Irma Sosk said talks had failed.",
    )
    (answerable,) = second.questions
    assert answerable.sentence == 0 and answerable.answers == ("9%",)
    (near_miss,) = first.questions  # shares "Velna", "dockers", "strike" with paragraph one
    assert near_miss.sentence is None
    pairs = build_pairs([article], seed=1, mix=Mix(paragraph=1, article=1, random=0, impossible=2))
    assert [p.label for p in pairs if p.group == "a"].count(1.0) == 1
    assert all(p.label == 0.0 for p in pairs if p.group == "u")


@pytest.mark.parametrize("name", sorted(p.name for p in SETS.glob("set_*")))
def test_the_shipped_sets_hold_their_answers(name: str) -> None:
    """Every answerable question's answer is in a gold article; unanswerables have none."""
    folder = SETS / name
    docs = {}
    for line in (folder / "corpus.jsonl").read_text().splitlines():
        row = json.loads(line)
        docs[row["id"]] = row["text"]
    rows = [json.loads(line) for line in (folder / "questions.jsonl").read_text().splitlines()]
    assert len({r["id"] for r in rows}) == len(rows) >= 150
    unanswerable = [r for r in rows if not r["answerable"]]
    assert all(not r["answers"] and not r["gold_doc_ids"] for r in unanswerable)
    assert len(unanswerable) >= len(rows) // 3
    for r in rows:
        if r["answerable"]:
            assert any(a in docs[d] for a in r["answers"] for d in r["gold_doc_ids"]), r["id"]
    attached = [q for a in load_news_set(folder) for p in a.paragraphs for q in p.questions]
    assert len(attached) >= len(rows) - 5  # only answers split across sentences are left out
