"""`python -m training.combine`: learn when the answerer should abstain, from news-style data.

The cross-encoder's P(answers) alone does not transfer to news questions (they score lower
than SQuAD's), and the cheap scores that rank sentences were tuned on the seed article. So both
become features of one logistic model (`assistant.answering.combiner`), fitted on news-style
questions about fictional articles (`FOLDS`, near-miss unanswerables included) asked through
the whole pipeline: retrieval, the cheap shortlist, the selector. The selector itself learnt
from other sets (`training.selector.NEWS_SETS`), so the fit never sees scores of questions the
model trained on. The sets are cross-fitted: each is judged by the combiner fitted on the
others, and the threshold is chosen on those out-of-fold judgements plus the seed article's
tuning and heldout suites (judged by the combiner fitted on all sets, which is the one shipped).
The blind sets, Tavrenia and the other suites are never used: they measure.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.answering.answerability import Scored
from assistant.answering.combiner import FEATURES, Combiner
from assistant.answering.selector import forget_selector
from assistant.assistant import Assistant
from assistant.config import PACKAGED_SELECTOR, Settings
from assistant.types import Answer
from evals.dataset import load_dataset
from evals.jsonl import QAItem, load_questions
from evals.metrics import score_case
from evals.qa_metrics import contains
from training.card import write_card

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT / "training" / "news"
FOLDS = ("set_b", "set_c")  # each is judged by the combiner fitted on the rest
SUITES = (ROOT / "evals/datasets/tuning.yaml", ROOT / "evals/datasets/heldout.yaml")


@dataclass(frozen=True)
class Asked:
    """One question through the pipeline: its shortlist's feature rows and labels, its answer."""

    suite: str
    answerable: bool
    rows: list[list[float]]
    labels: list[int]  # per row: 1 when the sentence holds an expected answer (gold document)
    abstained: bool  # the cheap scores alone found nothing to quote
    right: bool  # answerable, answered, and the answer holds the expected facts

    def best(self, combiner: Combiner) -> float:
        """The best combined P, or -1 where the cheap scores already abstain."""
        if self.abstained or not self.rows:
            return -1.0
        return max(combiner.probabilities(self.rows))


Check = Callable[[Answer, list[Scored]], tuple[bool, list[int]]]


class Asking:
    """A throwaway store of one corpus; each question's shortlist is caught as it is judged."""

    def __init__(self, corpus: Path, base: Settings, *, cheap_abstain: bool) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="briefing-combine-")
        update: dict[str, object] = {"data_dir": Path(self._tmp.name), "corpus_dir": corpus}
        if not cheap_abstain:  # fitting: every question reaches the selector
            update["abstain_threshold"] = -1.0
        self.assistant = Assistant(base.model_copy(update=update))
        self.assistant.ingest()
        self._seen: list[list[Scored]] = []
        self._rows: list[list[float]] = []
        answerability = self.assistant.answerer.answerability
        if answerability is None:
            raise ValueError("the selector is off: set --selector to a selector folder")
        answerability.observer = self._observe

    def _observe(
        self, _question: str, shortlist: list[Scored], rows: list[list[float]], _p: list[float]
    ) -> None:
        self._seen.append(shortlist)
        self._rows += rows

    def ask(self, suite: str, question: str, answerable: bool, check: Check, **kw: object) -> Asked:
        self._seen.clear()
        self._rows = []
        answer = self.assistant.ask(question, **kw)  # type: ignore[arg-type]
        shortlist = [s for part in self._seen for s in part]
        right, labels = check(answer, shortlist)
        return Asked(suite, answerable, self._rows, labels, answer.abstained, right)

    def close(self) -> None:
        self.assistant.close()
        self._tmp.cleanup()


def _news_check(item: QAItem) -> Check:
    wanted = [a.casefold() for a in item.answers]

    def check(answer: Answer, shortlist: list[Scored]) -> tuple[bool, list[int]]:
        labels = [
            int(item.answerable and s.evidence.passage.doc_id in item.gold_doc_ids
                and any(a in s.evidence.text.casefold() for a in wanted))
            for s in shortlist
        ]  # fmt: skip
        right = item.answerable and not answer.abstained
        return right and contains(answer.answer, item.answers) > 0, labels

    return check


def ask_news(folder: Path, base: Settings, *, cheap_abstain: bool) -> list[Asked]:
    """Every question of a news set (`corpus.jsonl`, `questions.jsonl`)."""
    asking = Asking(folder, base, cheap_abstain=cheap_abstain)
    try:
        return [
            asking.ask(folder.name, item.question, item.answerable, _news_check(item))
            for item in load_questions(folder / "questions.jsonl")
        ]
    finally:
        asking.close()


def ask_suites(base: Settings) -> list[Asked]:
    """The seed article's calibration suites, with their own pass rule."""
    asking = Asking(ROOT / "corpus", base, cheap_abstain=True)
    out = []
    try:
        for path in SUITES:
            dataset = load_dataset(path)
            for case in dataset.cases:
                kw = {"as_of": case.as_of} if case.as_of else {}

                def check(answer: Answer, shortlist: list[Scored]) -> tuple[bool, list[int]]:
                    passed = case.answerable and score_case(case, answer, 0.0).passed  # noqa: B023
                    return passed, [0] * len(shortlist)

                out.append(asking.ask(dataset.name, case.question, case.answerable, check, **kw))
    finally:
        asking.close()
    return out


def fit(asked: list[Asked], *, c: float = 1.0) -> tuple[tuple[float, ...], float]:
    """Logistic weights over `FEATURES` (no scaling: the weights are read as they are)."""
    from sklearn.linear_model import LogisticRegression

    x = np.array([r for a in asked for r in a.rows], dtype=np.float64)
    y = np.array([lab for a in asked for lab in a.labels], dtype=np.int64)
    model = LogisticRegression(C=c, max_iter=5000)
    model.fit(x, y)
    return tuple(float(w) for w in model.coef_[0]), float(model.intercept_[0])


def passes(asked: Asked, best: float, threshold: float) -> bool:
    return (best >= threshold and asked.right) if asked.answerable else best < threshold


def choose(asked: list[Asked], bests: list[float]) -> tuple[float, int]:
    """The threshold passing the most cases (the middle of the best interval), and how many.
    `bests`: each case's best combined P (`Asked.best`) under the combiner that judges it."""
    values = sorted(set(bests) | {0.0, 1.0})
    outcomes = []
    for low, high in itertools.pairwise(values):
        threshold = (low + high) / 2
        outcomes.append((sum(map(passes, asked, bests, [threshold] * len(asked))), threshold))
    most = max(p for p, _ in outcomes)
    winners = [t for p, t in outcomes if p == most]
    return winners[len(winners) // 2], most


def report(asked: list[Asked], bests: list[float], threshold: float) -> list[str]:
    lines = []
    for suite in dict.fromkeys(a.suite for a in asked):
        part = [(a, b) for a, b in zip(asked, bests, strict=True) if a.suite == suite]
        ok = sum(passes(a, b, threshold) for a, b in part)
        lines.append(f"{suite}: {ok}/{len(part)} pass")
    return lines


def out_of_fold(fitted: dict[str, list[Asked]], *, c: float = 1.0) -> dict[str, Combiner]:
    """Per set, the combiner fitted on the other sets only: the one that judges it."""
    return {
        name: Combiner(*fit([a for o in fitted if o != name for a in fitted[o]], c=c), 0.0)
        for name in fitted
    }


def _install(combiner: Combiner, folder: Path) -> None:
    """The answerer reads the combiner from the selector's folder: write it, reload it."""
    combiner.write(folder / "combiner.json")
    forget_selector(folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--selector", type=Path, default=PACKAGED_SELECTOR,
                        help="the selector folder to write combiner.json into")  # fmt: skip
    parser.add_argument("--news", type=Path, default=NEWS, help="folder with the news sets")
    parser.add_argument(
        "--folds",
        nargs="+",
        default=list(FOLDS),
        help="the news sets (under --news) that fit and calibrate the combiner",
    )
    parser.add_argument("--c", type=float, default=1.0, help="inverse L2 strength of the fit")
    args = parser.parse_args(argv)
    folds = tuple(args.folds)
    target = args.selector / "combiner.json"
    base = Settings(answer_selector=str(args.selector))
    target.unlink(missing_ok=True)  # features come from the plain selector's logits
    forget_selector(args.selector)
    fitted = {name: ask_news(args.news / name, base, cheap_abstain=False) for name in folds}
    calibration: list[Asked] = []
    bests: list[float] = []
    # threshold 0 while calibrating: nothing is vetoed, and the likeliest sentence still leads
    for name, judge in out_of_fold(fitted, c=args.c).items():
        _install(judge, args.selector)
        asked = ask_news(args.news / name, base, cheap_abstain=True)
        calibration += asked
        bests += [a.best(judge) for a in asked]
    weights, bias = fit([a for name in folds for a in fitted[name]], c=args.c)
    print("weights: " + ", ".join(f"{n} {w:+.3f}" for n, w in zip(FEATURES, weights, strict=True))
          + f", bias {bias:+.3f}", file=sys.stderr)  # fmt: skip
    shipped = Combiner(weights, bias, 0.0)
    _install(shipped, args.selector)
    suites = ask_suites(base)
    calibration += suites
    bests += [a.best(shipped) for a in suites]
    threshold, passed = choose(calibration, bests)
    Combiner(weights, bias, threshold).write(
        target,
        fitted_on=[f"training/news/{n}" for n in folds],
        calibrated_on=[
            *(f"training/news/{n} (out of fold)" for n in folds),
            *(s.name for s in SUITES),
        ],
        command=" ".join(["python -m training.combine", "--folds", *folds]),
    )
    forget_selector(args.selector)
    if (args.selector / "metrics.json").is_file():  # the model card describes the combiner too
        write_card(args.selector)
    print(f"threshold {threshold:.4f}: {passed}/{len(calibration)} calibration cases pass")
    print("\n".join(report(calibration, bests, threshold)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
