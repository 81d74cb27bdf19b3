"""The fictional Tavrenia collection: files match their generator, and every gold answer is
literally in each of its gold documents (so the questions are fair)."""

from __future__ import annotations

import json

from assistant.intake.collection import load_jsonl
from evals import make_tavrenia as t
from evals.jsonl import check_gold, load_corpus, load_questions


def test_files_are_what_the_generator_writes() -> None:
    corpus = (t.OUT / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    questions = (t.OUT / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    assert corpus == t.corpus_lines()
    assert questions == t.question_lines()


def test_shape_and_fairness() -> None:
    path = t.OUT / "corpus.jsonl"
    docs, skipped = load_jsonl(path, path.read_bytes())
    assert not skipped
    items = load_questions(t.OUT / "questions.jsonl")
    check_gold(items, load_corpus(path, max_record_bytes=1_000_000).ids, t.OUT / "questions.jsonl")
    assert len(docs) >= 30 and len({d.published for d in docs}) >= 15
    assert len(items) >= 40 and sum(not i.answerable for i in items) >= 8
    text = {d.id: d.text for d in docs}
    for i in items:
        for gold in i.gold_doc_ids:
            assert any(a in text[gold] for a in i.answers), (i.id, gold)
    # the contradicting figure: union and port authority disagree on the number of strikers
    assert "3,400" in text["kelmora-strike-begins-tpa"]
    assert "2,100" in text["port-authority-disputes-numbers"]


def test_large_generator_is_deterministic_and_consistent() -> None:
    from evals.make_large import generate

    corpus, questions = generate(40, 12, seed=3)
    assert (corpus, questions) == generate(40, 12, seed=3)
    texts = {d["id"]: d["text"] for d in map(json.loads, corpus)}
    assert len(texts) == 40
    for q in map(json.loads, questions):
        for gold in q["gold_doc_ids"]:
            assert q["answers"][0] in texts[gold]
