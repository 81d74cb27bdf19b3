"""SQuAD articles split into the sentences the answerer will see, with each answer's sentence.

Sentences come from the project's own splitter (`assistant.intake.chunking.sentence_spans`), so the
model is trained on exactly the units it scores at run time.
"""

from __future__ import annotations

import gzip
import json
import random
from dataclasses import dataclass
from pathlib import Path

from assistant.intake.chunking import sentence_spans


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    answers: tuple[str, ...]
    sentence: int | None  # index of the paragraph sentence holding the answer; None: impossible


@dataclass(frozen=True)
class Paragraph:
    sentences: tuple[str, ...]
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Article:
    title: str
    paragraphs: tuple[Paragraph, ...]

    def sentences(self) -> list[tuple[int, int, str]]:
        """(paragraph, sentence, text) of every sentence in the article."""
        return [(p, s, t) for p, para in enumerate(self.paragraphs)
                for s, t in enumerate(para.sentences)]  # fmt: skip


def _answer_sentence(spans: list[tuple[int, int]], start: int, end: int) -> int | None:
    """The sentence that holds the whole answer span (None: it crosses a boundary)."""
    for index, (s, e) in enumerate(spans):
        if s <= start and end <= e:
            return index
    return None


def load_squad(path: Path) -> list[Article]:
    """The articles of a SQuAD v1.1/v2.0 JSON file; questions whose span crosses sentences go."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        data = json.load(handle)["data"]
    articles = []
    for raw in data:
        paragraphs = []
        for para in raw["paragraphs"]:
            context = para["context"]
            spans = sentence_spans(context)
            questions = []
            for qa in para["qas"]:
                answers = tuple(dict.fromkeys(a["text"] for a in qa.get("answers", [])))
                if qa.get("is_impossible"):
                    questions.append(Question(qa["id"], qa["question"], (), None))
                    continue
                first = qa["answers"][0]
                start = int(first["answer_start"])
                index = _answer_sentence(spans, start, start + len(first["text"]))
                if index is not None:
                    questions.append(Question(qa["id"], qa["question"], answers, index))
            sentences = tuple(context[s:e] for s, e in spans)
            paragraphs.append(Paragraph(sentences, tuple(questions)))
        articles.append(Article(raw["title"].replace("_", " "), tuple(paragraphs)))
    return articles


@dataclass(frozen=True)
class DevSplit:
    """SQuAD 2.0 dev divided by article, so no article is both trained on and measured on."""

    train: list[Article]
    calibrate: list[Article]
    measure: list[Article]


def split_dev(articles: list[Article], seed: int = 13) -> DevSplit:
    """~40 % of the articles to train on, ~20 % to calibrate on, ~40 % to measure on."""
    ordered = sorted(articles, key=lambda a: a.title)
    random.Random(seed).shuffle(ordered)
    n = len(ordered)
    a, b = round(n * 0.4), round(n * 0.6)
    return DevSplit(ordered[:a], ordered[a:b], ordered[b:])
