"""Training pairs for the answer selector: (question, title, sentence) → does it answer?

Positives are the sentences that hold the answer span. Negatives, per question, are what the
answerer must learn to refuse: other sentences of the same paragraph (the hardest: same topic,
often the same words), sentences of other paragraphs of the article (the answer is simply
elsewhere, like most near-miss questions), a random sentence of another article, and — from the
SQuAD 2.0 part we train on — every-sentence negatives for questions written to look answerable
from their paragraph. Half of each kind is the sentence sharing most words with the question
(a bi-encoder's likely mistake), half is random. Seeded, so the data is the same on every run.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from training.squad import Article, Question

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    "a an the of in on at to for by with from and or is are was were be been what which who whom "
    "whose when where why how did do does that this these those it its as than into during".split()
)


@dataclass(frozen=True)
class Pair:
    question: str
    title: str
    sentence: str
    label: float  # 1.0: the sentence answers the question
    kind: str  # positive | paragraph | article | random | impossible
    group: str  # the question's id
    answer: str = ""  # positives: the answer text as the sentence holds it (for a span head)


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def _holds_answer(sentence: str, question: Question) -> bool:
    lowered = sentence.lower()
    return any(a.lower() in lowered for a in question.answers)


def _answer_in(sentence: str, question: Question) -> str:
    """The first of the question's answers the sentence holds, as the sentence spells it."""
    lowered = sentence.lower()
    for answer in question.answers:
        at = lowered.find(answer.lower())
        if answer and at >= 0:
            return sentence[at : at + len(answer)]
    return ""


def _pick(
    candidates: list[str], question_words: set[str], count: int, rng: random.Random
) -> list[str]:
    """`count` sentences: the most word-sharing first, then random ones (no repeats)."""
    if not candidates or count <= 0:
        return []
    chosen = [max(candidates, key=lambda s: (len(question_words & _words(s)), -len(s)))]
    rest = [s for s in candidates if s is not chosen[0]]
    rng.shuffle(rest)
    return (chosen + rest)[:count]


@dataclass(frozen=True)
class Mix:
    """How many negatives of each kind per question."""

    paragraph: int = 2
    article: int = 2
    random: int = 1
    impossible: int = 4  # per impossible question, from its own paragraph and article


def build_pairs(
    articles: Iterable[Article], *, seed: int, mix: Mix = Mix(), questions: int | None = None
) -> list[Pair]:
    """Pairs for (a seeded sample of `questions` of) the articles' questions."""
    rng = random.Random(seed)
    articles = list(articles)
    everything = [(a, s) for a in articles for s in (t for _, _, t in a.sentences())]
    work = [(ai, pi, q) for ai, a in enumerate(articles)
            for pi, p in enumerate(a.paragraphs) for q in p.questions]  # fmt: skip
    if questions is not None and questions < len(work):
        work = rng.sample(work, questions)
        work.sort(key=lambda item: (item[0], item[1]))
    pairs: list[Pair] = []
    for ai, pi, question in work:
        article = articles[ai]
        paragraph = article.paragraphs[pi]
        qwords = _words(question.text)
        title = article.title

        def pair(
            sentence: str, label: float, kind: str, q: Question = question, t: str = title
        ) -> Pair:
            return Pair(q.text, t, sentence, label, kind, q.id)

        own = [s for i, s in enumerate(paragraph.sentences)
               if i != question.sentence and not _holds_answer(s, question)]  # fmt: skip
        elsewhere = [t for p, _, t in article.sentences()
                     if p != pi and not _holds_answer(t, question)]  # fmt: skip
        if question.sentence is None:
            half = (mix.impossible + 1) // 2
            pairs += [pair(s, 0.0, "impossible") for s in _pick(own, qwords, half, rng)]
            pairs += [pair(s, 0.0, "impossible")
                      for s in _pick(elsewhere, qwords, mix.impossible - half, rng)]  # fmt: skip
            continue
        answer_sentence = paragraph.sentences[question.sentence]
        pairs.append(
            Pair(question.text, title, answer_sentence, 1.0, "positive", question.id,
                 _answer_in(answer_sentence, question))
        )  # fmt: skip
        pairs += [pair(s, 0.0, "paragraph") for s in _pick(own, qwords, mix.paragraph, rng)]
        pairs += [pair(s, 0.0, "article") for s in _pick(elsewhere, qwords, mix.article, rng)]
        for _ in range(mix.random):
            other, sentence = everything[rng.randrange(len(everything))]
            if other is not article:
                pairs.append(Pair(question.text, other.title, sentence, 0.0, "random", question.id))
    return pairs


def data_card(pairs: list[Pair], lengths: list[int]) -> str:
    """What the training data is, in a few lines (printed before training)."""
    kinds = Counter(p.kind for p in pairs)
    groups = len({p.group for p in pairs})
    ordered = sorted(lengths) or [0]
    p50, p95 = ordered[len(ordered) // 2], ordered[int(len(ordered) * 0.95)]
    lines = [
        f"pairs: {len(pairs):,}  questions: {groups:,}  positives: {kinds['positive']:,} "
        f"({kinds['positive'] / max(len(pairs), 1):.1%})",
        "negatives: "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(kinds.items()) if k != "positive"),
        f"tokens per pair: mean {sum(ordered) / len(ordered):.1f}, p50 {p50}, p95 {p95}, "
        f"max {ordered[-1]}",
    ]
    return "\n".join(lines)
