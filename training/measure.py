"""How well a scorer picks answer sentences and spots unanswerable questions (held-out data).

Scorers take `(question, [(title, sentence), …])` and return one score per candidate: the
trained selector (P(answers)) or the packaged bi-encoder (cosine), so both are measured alike.
- SQuAD 2.0 dev, the articles never trained on: answer-sentence top-1 among the paragraph's
  sentences and among the whole article's (the selector re-ranks the bi-encoder's top 20 there,
  as the answerer does); abstention ROC-AUC of the best score over the question's paragraph.
- SelQA test (never trained on): MAP and MRR.
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from training.squad import Article, DevSplit
from training.threshold import best_threshold

Scorer = Callable[[str, Sequence[tuple[str, str]]], Iterable[float]]


def roc_auc(positive: Sequence[float], negative: Sequence[float]) -> float:
    """P(a random positive scores above a random negative), ties counted half."""
    if not positive or not negative:
        return float("nan")
    scores = np.concatenate([np.asarray(positive), np.asarray(negative)])
    ranks = np.empty(len(scores))
    order = scores.argsort(kind="mergesort")
    ranks[order] = np.arange(1, len(scores) + 1)
    for value in np.unique(scores):  # average ranks of ties
        tie = scores == value
        ranks[tie] = ranks[tie].mean()
    n_pos = len(positive)
    return float((ranks[:n_pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * len(negative)))


def bi_encoder(base: Path) -> Scorer:
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(base), device="cpu")
    # an article's ~200 sentences are scored for each of its questions: encode each text once
    cache: dict[str, np.ndarray] = {}

    def score(question: str, candidates: Sequence[tuple[str, str]]) -> Sequence[float]:
        texts = [question, *(s for _, s in candidates)]
        missing = list(dict.fromkeys(t for t in texts if t not in cache))
        if missing:
            encoded = model.encode(missing, normalize_embeddings=True, batch_size=64)
            cache.update(zip(missing, encoded, strict=True))
        vectors = np.stack([cache[t] for t in texts])
        return list(vectors[1:] @ vectors[0])

    return score


def squad_metrics(
    articles: list[Article],
    scorers: dict[str, Scorer],
    *,
    limit: int,
    thresholds: dict[str, float] | None = None,
    seed: int = 3,
) -> dict[str, dict[str, float]]:
    """Per scorer: top-1 in paragraph / in article (answerable), abstention ROC-AUC and, for a
    scorer with a threshold, abstention accuracy at it (answered ≥ it, abstained below)."""
    items = [(a, p, q) for a in articles for p in a.paragraphs for q in p.questions]
    items = random.Random(seed).sample(items, min(limit, len(items)))
    shortlist = scorers.get("bi-encoder")
    results: dict[str, dict[str, float]] = {}
    best: dict[str, tuple[list[float], list[float]]] = {n: ([], []) for n in scorers}
    hits = {n: [0, 0] for n in scorers}
    answerable = 0
    for article, paragraph, question in items:
        title = article.title
        own = [(title, s) for s in paragraph.sentences]
        whole = [(title, t) for _, _, t in article.sentences()]
        target = None
        if question.sentence is not None:
            target = paragraph.sentences[question.sentence]
            answerable += 1
        top20: list[int] | None = None
        if target is not None and shortlist is not None:
            dense = np.asarray(shortlist(question.text, whole))
            top20 = list(np.argsort(-dense)[:20])
        for name, scorer in scorers.items():
            scores = list(scorer(question.text, own))
            (best[name][0] if target is not None else best[name][1]).append(max(scores))
            if target is None:
                continue
            hits[name][0] += own[int(np.argmax(scores))][1] == target
            pool = whole if top20 is None or name == "bi-encoder" else [whole[i] for i in top20]
            pool_scores = list(scorer(question.text, pool))
            hits[name][1] += pool[int(np.argmax(pool_scores))][1] == target
    for name in scorers:
        results[name] = {
            "top1_paragraph": hits[name][0] / max(answerable, 1),
            "top1_article": hits[name][1] / max(answerable, 1),
            "abstention_roc_auc": roc_auc(*best[name]),
        }
        if thresholds and name in thresholds:
            yes, no = best[name]
            t = thresholds[name]
            right = sum(v >= t for v in yes) + sum(v < t for v in no)
            results[name]["abstention_accuracy"] = right / max(len(yes) + len(no), 1)
            results[name]["threshold"] = t
    results["_counts"] = {"answerable": answerable, "unanswerable": len(items) - answerable}
    return results


def best_scores(articles: list[Article], scorer: Scorer) -> tuple[list[float], list[float]]:
    """Best score over each question's paragraph: (answerable questions, impossible ones)."""
    yes: list[float] = []
    no: list[float] = []
    for article in articles:
        for paragraph in article.paragraphs:
            candidates = [(article.title, s) for s in paragraph.sentences]
            for question in paragraph.questions:
                value = max(scorer(question.text, candidates))
                (yes if question.sentence is not None else no).append(float(value))
    return yes, no


def selqa_metrics(path: Path, scorers: dict[str, Scorer]) -> dict[str, dict[str, float]]:
    """MAP and MRR over SelQA's candidate sentences (questions with an answer among them)."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        records = json.load(handle)
    results = {}
    for name, scorer in scorers.items():
        aps, rrs = [], []
        for record in records:
            gold = set(record["answers"])
            if not gold:
                continue
            title = str(record.get("article", ""))
            candidates = [(title, c) for c in record["candidates"]]
            scores = np.asarray(scorer(record["question"], candidates))
            ranked = list(np.argsort(-scores, kind="mergesort"))
            found, precisions = 0, []
            for rank, index in enumerate(ranked, start=1):
                if index in gold:
                    found += 1
                    precisions.append(found / rank)
            aps.append(sum(precisions) / len(gold))
            rrs.append(next(1 / r for r, i in enumerate(ranked, start=1) if i in gold))
        results[name] = {"map": float(np.mean(aps)), "mrr": float(np.mean(rrs)), "n": len(aps)}
    return results


def held_out_metrics(
    folder: Path,
    dev: DevSplit,
    datasets: Path,
    base: Path,
    *,
    threads: int,
    limit: int,
    smoke: bool = False,
) -> dict[str, Any]:
    """The selector in `folder` vs the bi-encoder on data never trained on, plus the SQuAD 2.0
    threshold chosen on the calibration articles (a smoke run measures a tiny slice only)."""
    from assistant.answering.selector import AnswerSelector

    selector = AnswerSelector(folder, threads=threads)
    calibrate = dev.calibrate[:1] if smoke else dev.calibrate
    threshold, accuracy = best_threshold(*best_scores(calibrate, selector.score))
    measure = dev.measure[:1] if smoke else dev.measure
    scorers = {"selector": selector.score, "bi-encoder": bi_encoder(base)}
    selqa = datasets / "selqa" / "selqa-ass-test.json.gz"
    return {
        "squad2_measure": squad_metrics(
            measure, scorers, limit=20 if smoke else limit, thresholds={"selector": threshold}
        ),
        "selqa_test": {} if smoke else selqa_metrics(selqa, scorers),
        "squad2_calibration": {"threshold": threshold, "accuracy": accuracy},
    }
