"""One learned judgement over every signal a candidate sentence has: P(it answers the question).

The cross-encoder reads the question and the sentence together; the cheap signals (embedding
similarity, coverage of the question's words, whether the sentence can hold the kind of thing
asked for, its rank) see what it misses. A logistic model fitted on labelled news-style
questions (`python -m training.combine`) weighs them; when the best P of a shortlist is under
the threshold, chosen on questions neither model saw, the answerer abstains. The weights live
in `combiner.json` beside the selector; without that file the selector's own P is used.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

#: Scores of one candidate before they are combined (see `Signals.vector`).
FEATURES = (
    "logit",  # the cross-encoder's logit for (question, candidate)
    "logit_gap",  # its logit minus the best logit among the shortlist (0 for the best)
    "rule",  # the cheap score the shortlist was ranked by
    "rule_gap",  # its cheap score minus the shortlist's best
    "dense",  # cosine of question and sentence embeddings
    "lexical",  # share of the question's concepts the sentence words (rare ones weigh more)
    "form",  # can the sentence hold what is asked (a date, a name, a figure…): ≤ 0 when not
    "unknown",  # penalty for names in the question the corpus never mentions
    "headline",  # 1 when the candidate is a headline
    "rank",  # 1 / (1 + its rank by the cheap score)
)
LOGIT_CLIP = 12.0


def sigmoid(x: float) -> float:
    """Logit → probability (clipped so that extreme logits cannot overflow)."""
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, x))))


@dataclass(frozen=True)
class Signals:
    """What is known of one candidate sentence before the learned judgement."""

    rule: float
    dense: float
    lexical: float
    form: float
    unknown: float
    headline: bool


def vectors(signals: Sequence[Signals], logits: Sequence[float]) -> list[list[float]]:
    """Feature rows, in `FEATURES` order, for a shortlist ranked best-first by `rule`."""
    if not signals:
        return []
    clipped = [max(-LOGIT_CLIP, min(LOGIT_CLIP, float(x))) for x in logits]
    best_logit = max(clipped)
    best_rule = max(s.rule for s in signals)
    return [
        _row(s, logit, best_logit, best_rule, rank)
        for rank, (s, logit) in enumerate(zip(signals, clipped, strict=True))
    ]


def _row(s: Signals, logit: float, best_logit: float, best_rule: float, rank: int) -> list[float]:
    return [
        logit, logit - best_logit, s.rule, s.rule - best_rule, s.dense, s.lexical, s.form,
        s.unknown, float(s.headline), 1.0 / (1.0 + rank),
    ]  # fmt: skip


@dataclass(frozen=True)
class Combiner:
    """A logistic model over `FEATURES`, with the threshold it was calibrated at."""

    weights: tuple[float, ...]
    bias: float
    threshold: float

    def probabilities(self, rows: Sequence[Sequence[float]]) -> list[float]:
        out = []
        for row in rows:
            z = self.bias + sum(w * x for w, x in zip(self.weights, row, strict=True))
            out.append(sigmoid(z))
        return out

    @classmethod
    def read(cls, path: Path) -> Combiner:
        raw = json.loads(path.read_text(encoding="utf-8"))
        names = tuple(raw["features"])
        if names != FEATURES:
            raise ValueError(f"{path}: features {names} differ from this version's {FEATURES}")
        return cls(tuple(float(w) for w in raw["weights"]), float(raw["bias"]),
                   float(raw["threshold"]))  # fmt: skip

    def write(self, path: Path, **provenance: object) -> None:
        raw = {
            "features": list(FEATURES),
            "weights": [round(w, 6) for w in self.weights],
            "bias": round(self.bias, 6),
            "threshold": round(self.threshold, 4),
            **provenance,
        }
        path.write_text(json.dumps(raw, indent=2) + "\n", encoding="utf-8")
