"""`python -m training.calibrate`: set the selector's abstention threshold on calibration data.

SQuAD 2.0's threshold does not transfer to news questions (paraphrased news questions score
lower than SQuAD's), so the shipped threshold is chosen on the project's own calibration
suites, asked through the whole pipeline (retrieval, shortlist, selector) with abstention off:
`tuning.yaml` and `heldout.yaml` (seed article) and a generated fictional collection
(`evals.make_large`, a seed no report uses). Never the blind sets or Tavrenia, which measure
it. The threshold is the one that passes the most cases: an answerable case passes when its
facts are quoted and its best score clears the bar, an unanswerable one when it does not.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from assistant.assistant import Assistant
from assistant.config import Settings
from evals.dataset import Dataset, load_dataset
from evals.jsonl import load_questions
from evals.make_large import generate
from evals.metrics import score_case
from evals.qa_metrics import contains
from training.card import write_card

ROOT = Path(__file__).resolve().parents[1]
SUITES = (ROOT / "evals/datasets/tuning.yaml", ROOT / "evals/datasets/heldout.yaml")
#: The generated collection: its own seed, so no reported figure is calibrated in-sample.
GENERATED = {"docs": 120, "questions": 60, "seed": 101}


@dataclass(frozen=True)
class Point:
    suite: str
    answerable: bool
    best: float  # best sentence score with abstention off (-1: no candidate at all)
    right: bool  # answerable: the quoted answer holds the expected facts


def _points(assistant: Assistant, dataset: Dataset) -> list[Point]:
    points = []
    for case in dataset.cases:
        answer = (
            assistant.ask(case.question, as_of=case.as_of)
            if case.as_of
            else assistant.ask(case.question)
        )
        best = max((c.score for c in answer.citations), default=-1.0)
        right = score_case(case, answer, 0.0).passed if case.answerable else False
        points.append(Point(dataset.name, case.answerable, best, right))
    return points


def _generated(settings: Settings, assistant: Assistant) -> list[Point]:
    points = []
    with tempfile.TemporaryDirectory(prefix="briefing-calibrate-") as tmp:
        corpus, questions = generate(**GENERATED)
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        (folder / "corpus.jsonl").write_text("\n".join(corpus) + "\n", encoding="utf-8")
        (Path(tmp) / "q.jsonl").write_text("\n".join(questions) + "\n", encoding="utf-8")
        local = settings.model_copy(update={"data_dir": Path(tmp) / "data", "corpus_dir": folder})
        other = Assistant(local, embeddings=assistant.embeddings)
        try:
            other.ingest()
            for item in load_questions(Path(tmp) / "q.jsonl"):
                answer = other.ask(item.question)
                best = max((c.score for c in answer.citations), default=-1.0)
                right = item.answerable and contains(answer.answer, item.answers) > 0
                points.append(Point("generated", item.answerable, best, right))
        finally:
            other.close()
    return points


def choose(points: list[Point]) -> tuple[float, int]:
    """The threshold passing the most cases (the middle of the best interval), and how many."""
    values = sorted({p.best for p in points} | {-1.0, 1.0})
    outcomes = []
    for low, high in itertools.pairwise(values):
        threshold = (low + high) / 2
        passed = sum((p.best >= threshold and p.right) if p.answerable else p.best < threshold
                     for p in points)  # fmt: skip
        outcomes.append((passed, threshold))
    best = max(p for p, _ in outcomes)
    winners = [t for p, t in outcomes if p == best]
    return winners[len(winners) // 2], best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="store it in selector.json")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="briefing-calibrate-") as tmp:
        settings = Settings(data_dir=Path(tmp), corpus_dir=ROOT / "corpus", abstain_threshold=-1.0)
        assistant = Assistant(settings)
        try:
            assistant.ingest()
            points = [p for s in SUITES for p in _points(assistant, load_dataset(s))]
            points += _generated(settings, assistant)
        finally:
            assistant.close()
    threshold, passed = choose(points)
    for name in sorted({p.suite for p in points}):
        part = [p for p in points if p.suite == name]
        ok = sum((p.best >= threshold and p.right) if p.answerable else p.best < threshold
                 for p in part)  # fmt: skip
        print(f"{name}: {ok}/{len(part)} at {threshold:.4f}", file=sys.stderr)
    print(f"threshold {threshold:.4f}: {passed}/{len(points)} calibration cases pass")
    if args.write:
        folder = (
            Settings().answer_selector_path
            or Settings(answer_selector="packaged").answer_selector_path
        )
        assert folder is not None
        card = json.loads((folder / "selector.json").read_text(encoding="utf-8"))
        card["threshold"] = round(threshold, 4)
        card["calibrated_on"] = (
            "tuning.yaml, heldout.yaml and a generated fictional collection (seed 101), "
            "by training.calibrate"
        )
        (folder / "selector.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
        write_card(folder)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
