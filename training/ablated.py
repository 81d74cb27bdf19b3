"""Answer-ablated negatives: a positive sentence with its answer taken away, labelled "no".

The near misses the selector lets through are sentences about the asked thing that lack the
asked detail. Other-sentence negatives never show it that contrast on the *same* sentence: an
ablated negative keeps every word the question shares with the sentence and removes only the
answer, so the one thing left to learn is whether the answer is there. Half the ablations cut
the span out; half swap it for another question's answer of a different shape (a number for a
name, a name for a phrase), so a grammatical sentence cannot pass for an answer either.
The shapes are a coarse, exact property of the text (digits, a capital), not a judgement.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace

from training.pairs import Pair

_SPACES = re.compile(r"\s{2,}")
_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?)])")
_MIN_WORDS_LEFT = 4


def shape(answer: str) -> str:
    """number | name | phrase: what kind of span an answer is, from its characters alone."""
    if any(c.isdigit() for c in answer):
        return "number"
    return "name" if answer[:1].isupper() else "phrase"


def _without(sentence: str, answer: str, instead: str) -> str:
    pattern = re.compile(re.escape(answer), re.IGNORECASE)
    text = pattern.sub(lambda _: instead, sentence)  # literal: no backslash escapes
    return _BEFORE_PUNCT.sub(r"\1", _SPACES.sub(" ", text)).strip()


def ablated_negatives(pairs: list[Pair], *, share: float, seed: int) -> list[Pair]:
    """For a seeded `share` of the positives that name their answer, one ablated negative each.

    Its own random generator, so the other pairs are the same with or without ablation.
    """
    if share <= 0:
        return []
    rng = random.Random(seed)
    positives = [p for p in pairs if p.label >= 0.5 and p.answer.strip()]
    by_shape: dict[str, list[str]] = {}
    for p in positives:
        by_shape.setdefault(shape(p.answer), []).append(p.answer)
    made: list[Pair] = []
    for index, positive in enumerate(positives):
        if rng.random() >= share:
            continue
        instead = ""
        if index % 2:  # alternate: cut, swap, cut, swap …
            others = [s for s in by_shape if s != shape(positive.answer)]
            if others:
                pool = by_shape[others[rng.randrange(len(others))]]
                instead = pool[rng.randrange(len(pool))]
        sentence = _without(positive.sentence, positive.answer, instead)
        if len(sentence.split()) < _MIN_WORDS_LEFT or sentence == positive.sentence:
            continue
        made.append(replace(positive, sentence=sentence, label=0.0, kind="ablated", answer=""))
    return made
