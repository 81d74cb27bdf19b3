"""The fictional news QA sets (`training/news/set_*`) in the shape SQuAD is read into.

SQuAD teaches the selector Wikipedia questions written while looking at the paragraph; users of
a news briefing paraphrase, and their unanswerable questions are near misses about the story
they follow. A hand-written fictional set (articles, questions, near-miss unanswerables; see
each set's README) is read here as `Article`s, so `training.pairs` builds its pairs exactly as
for SQuAD: an answerable question belongs to the first sentence of a gold article holding one of
its answers; an unanswerable one to the paragraph sharing most words with it, where the answerer
is most tempted to quote something.
"""

from __future__ import annotations

import json
from pathlib import Path

from assistant.intake.chunking import sentence_spans
from training.pairs import _words
from training.squad import Article, Paragraph, Question


def _split(text: str) -> list[tuple[str, ...]]:
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    return [tuple(p[s:e] for s, e in sentence_spans(p)) for p in paragraphs]


def _answer_at(
    docs: dict[str, tuple[str, list[tuple[str, ...]]]], gold: list[str], answers: list[str]
) -> tuple[str, int, int] | None:
    wanted = [a.casefold() for a in answers]
    for doc_id in gold:
        for p, sentences in enumerate(docs[doc_id][1] if doc_id in docs else []):
            for s, sentence in enumerate(sentences):
                if any(a in sentence.casefold() for a in wanted):
                    return doc_id, p, s
    return None


def load_news_set(folder: Path) -> list[Article]:
    """`folder/corpus.jsonl` + `folder/questions.jsonl` as articles with their questions."""
    docs: dict[str, tuple[str, list[tuple[str, ...]]]] = {}
    for line in (folder / "corpus.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            docs[row["id"]] = (row["title"], _split(row["text"]))
    attached: dict[tuple[str, int], list[Question]] = {}
    for line in (folder / "questions.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if row["answerable"]:
            at = _answer_at(docs, row["gold_doc_ids"], row["answers"])
            if at is None:
                continue  # an answer split across sentences: no single sentence to learn
            doc_id, p, s = at
            question = Question(row["id"], row["question"], tuple(row["answers"]), s)
        else:
            words = _words(row["question"])
            doc_id, p = max(
                ((d, i) for d, (_, paras) in docs.items() for i in range(len(paras))),
                key=lambda key: len(words & _words(" ".join(docs[key[0]][1][key[1]]))),
            )
            question = Question(row["id"], row["question"], (), None)
        attached.setdefault((doc_id, p), []).append(question)
    articles = []
    for doc_id, (title, paras) in sorted(docs.items()):
        held = [Paragraph(sentences, tuple(attached.get((doc_id, p), ())))
                for p, sentences in enumerate(paras)]  # fmt: skip
        articles.append(Article(title, tuple(held)))
    return articles
