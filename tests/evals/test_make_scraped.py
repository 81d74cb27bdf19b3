"""The generated scraped-news collection: deterministic, fair questions, labels that match the
pages, real near-copies and updates, and traps that are lines of the gold page."""

from __future__ import annotations

import json
import random
import sys
from datetime import date
from pathlib import Path

import pytest

from evals import make_scraped
from evals.jsonl import load_questions
from evals.scraped import ScrapedCollection, generate

KINDS = {"statement", "question", "heading", "title", "byline", "dateline", "caption", "credit",
         "boilerplate", "navigation"}  # fmt: skip


@pytest.fixture(scope="module")
def made() -> ScrapedCollection:
    return generate(300, 60, seed=4, syndicated=0.1, labelled=60)


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = text.lower().split()
    return {tuple(words[i : i + 5]) for i in range(len(words) - 4)}


def _jaccard(a: str, b: str) -> float:
    x, y = _shingles(a), _shingles(b)
    return len(x & y) / len(x | y)


def test_same_seed_same_collection() -> None:
    assert generate(25, 8, seed=3) == generate(25, 8, seed=3)
    assert generate(25, 8, seed=3).corpus != generate(25, 8, seed=2).corpus


def test_records_follow_the_corpus_schema(made: ScrapedCollection) -> None:
    assert len(made.corpus) == 300
    assert len({d["id"] for d in made.corpus}) == 300
    for doc in made.corpus:
        assert set(doc) == {"id", "title", "text", "published", "url", "source"}
        date.fromisoformat(str(doc["published"]))
        assert str(doc["url"]).startswith("https://") and ".example/" in str(doc["url"])
    assert 6 <= len({d["source"] for d in made.corpus}) <= 8


def test_labels_cover_every_kind_and_match_the_pages(made: ScrapedCollection) -> None:
    assert {row["kind"] for row in made.labels} == KINDS
    text = {d["id"]: str(d["text"]).split("\n") for d in made.corpus}
    for row in made.labels:
        assert text[str(row["doc_id"])][int(str(row["line"]))] == row["text"]
    labelled = {row["doc_id"] for row in made.labels}
    assert sum(len(text[str(d)]) for d in labelled) == len(made.labels)


def test_questions_are_fair(made: ScrapedCollection, tmp_path: Path) -> None:
    path = tmp_path / "questions.jsonl"
    path.write_text("".join(json.dumps(q) + "\n" for q in made.questions), encoding="utf-8")
    items = load_questions(path)
    assert len(items) == 60 and sum(not i.answerable for i in items) == 10
    text = {d["id"]: str(d["text"]) for d in made.corpus}
    kinds = {(r["doc_id"], r["text"]): r["kind"] for r in made.labels}
    for item in items:
        for gold in item.gold_doc_ids:
            (answer,) = item.answers
            lines = [line for line in text[gold].split("\n") if answer in line]
            assert lines, (item.id, gold)
            labelled = [kinds[(gold, line)] for line in lines if (gold, line) in kinds]
            assert not labelled or "statement" in labelled


def test_syndicated_copies_are_near_duplicates(made: ScrapedCollection) -> None:
    docs = {d["id"]: d for d in made.corpus}
    copies = [g for g in made.syndicated_groups if len({docs[i]["url"] for i in g}) > 1]
    assert len(copies) >= 3
    grouped = {i for g in made.syndicated_groups for i in g}
    for group in copies:
        assert 2 <= len(group) <= 6 and len(set(group)) == len(group)
        assert len({docs[i]["source"] for i in group}) == len(group)
        first = str(docs[group[0]]["text"])
        assert all(_jaccard(first, str(docs[i]["text"])) > 0.6 for i in group[1:])
    loners = [i for i in docs if i not in grouped]
    rng = random.Random(0)
    for _ in range(20):
        a, b = rng.sample(loners, 2)
        assert _jaccard(str(docs[a]["text"]), str(docs[b]["text"])) < 0.3


def test_updated_versions_share_a_url_and_come_later(made: ScrapedCollection) -> None:
    docs = {d["id"]: d for d in made.corpus}
    updates = [g for g in made.syndicated_groups if len({docs[i]["url"] for i in g}) == 1]
    assert updates
    for first, later in updates:
        assert first != later and docs[first]["text"] != docs[later]["text"]
        assert str(docs[first]["published"]) < str(docs[later]["published"])


def test_traps_are_non_statement_lines_of_the_gold_page(made: ScrapedCollection) -> None:
    questions = {q["id"]: q for q in made.questions}
    docs = {d["id"]: str(d["text"]).split("\n") for d in made.corpus}
    answerable = sum(bool(q["answerable"]) for q in made.questions)
    assert len(made.traps) >= 0.2 * answerable
    for trap in made.traps:
        gold = questions[trap["question_id"]]["gold_doc_ids"]
        assert isinstance(gold, list)
        assert trap["trap_text"] in docs[gold[0]]
        assert trap["trap_kind"] in KINDS - {"statement"}


def test_pages_are_as_long_as_scraped_articles() -> None:
    corpus = generate(30, 5, seed=1).corpus
    sizes = [len(json.dumps(d, ensure_ascii=False).encode()) for d in corpus]
    assert sum(sizes) / len(sizes) >= 9_000


def test_cli_writes_the_four_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    argv = ["make_scraped", str(tmp_path), "--docs", "12", "--questions", "6", "--seed", "2"]
    monkeypatch.setattr(sys, "argv", argv)
    make_scraped.main()
    names = ("corpus", "questions", "labels", "traps")
    lines = {n: (tmp_path / f"{n}.jsonl").read_text(encoding="utf-8").splitlines() for n in names}
    assert len(lines["corpus"]) == 12 and len(lines["questions"]) == 6
    assert lines["corpus"][0] == json.dumps(generate(12, 6, seed=2).corpus[0], ensure_ascii=False)
