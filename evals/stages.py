"""`python -m evals.stages`: at which stage of the answerer each question suite case is lost.

A suite's pass count says how many answers were right, not where the wrong ones went wrong, and
that decides what to work on next: retrieval, the cheap scores' bar, the selector's shortlist,
the selector's judgement (answers it refused, near misses it let through) or the order of the
quoted sentences. The gold sentence of an answerable case is the first retrieved sentence that
holds every one of the case's facts; a case whose facts only appear across sentences counts as
"not retrieved". A question asked in parts is located by its first part. A suite with its own
corpus (time-travel) is asked against a throwaway store of that corpus, as `briefing eval` does.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from assistant.answering.answerability import Scored
from assistant.assistant import Assistant
from assistant.config import Settings
from assistant.errors import BriefingError
from assistant.types import Answer
from evals.dataset import Dataset, EvalCase, load_dataset
from evals.metrics import fact_found, score_case

ROOT = Path(__file__).resolve().parent.parent

PASSED = "passed"
NOT_RETRIEVED = "gold sentence not retrieved"
BELOW_BAR = "gold below the cheap bar"
OUTSIDE_SHORTLIST = "gold outside the shortlist"
REFUSED = "selector refused the gold"
NOT_QUOTED = "answered without the gold"
OTHER_ABSTENTION = "abstained otherwise"
ABSTAINED = "abstained (right)"
LET_THROUGH = "near miss let through by the selector"
ANSWERED = "near miss answered (selector not asked)"
ORDER = (PASSED, NOT_RETRIEVED, BELOW_BAR, OUTSIDE_SHORTLIST, REFUSED, NOT_QUOTED,
         OTHER_ABSTENTION, ABSTAINED, LET_THROUGH, ANSWERED)  # fmt: skip


@dataclass(frozen=True)
class Judged:
    """What the answerer saw for one question: every scored sentence and, where the selector
    was asked, its shortlist with the combined P of each."""

    scored: Sequence[Scored]
    shortlist: Sequence[Scored] = ()
    chances: Sequence[float] = ()


@dataclass(frozen=True)
class Located:
    suite: str
    case_id: str
    answerable: bool
    stage: str
    gold_rank: int | None  # among every scored sentence, best first
    gold_chance: float | None  # the selector's P for the gold sentence, where it was shortlisted
    best_chance: float | None


def locate(
    case: EvalCase, answer: Answer, judged: Judged, *, bar: float, threshold: float | None
) -> str:
    """The stage at which `case` was lost (or PASSED / ABSTAINED). `bar`: the cheap scores'
    abstention bar; `threshold`: the selector's, None when it is off."""
    passed = score_case(case, answer, 0.0).passed
    if not case.answerable:
        if passed:
            return ABSTAINED
        return LET_THROUGH if judged.chances else ANSWERED
    if passed:
        return PASSED
    rank = _gold_rank(case, judged.scored)
    if rank is None:
        return NOT_RETRIEVED
    if judged.scored[rank].score < bar:
        return BELOW_BAR
    if threshold is not None and judged.chances:
        if _gold_rank(case, judged.shortlist) is None:
            return OUTSIDE_SHORTLIST
        if max(judged.chances) < threshold:
            return REFUSED
    return OTHER_ABSTENTION if answer.abstained else NOT_QUOTED


def _gold_rank(case: EvalCase, scored: Sequence[Scored]) -> int | None:
    if not case.facts:
        return None
    return next(
        (i for i, s in enumerate(scored)
         if all(fact_found(f, s.evidence.text) for f in case.facts)),
        None,
    )  # fmt: skip


class Watching:
    """One assistant over a corpus in a throwaway store, watching what its answerer scores."""

    def __init__(self, settings: Settings) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="briefing-stages-")
        try:
            update = {"data_dir": Path(self._tmp.name)}
            self.assistant = Assistant(settings.model_copy(update=update))
        except BaseException:
            self._tmp.cleanup()
            raise
        try:
            self.assistant.ingest()
        except BaseException:
            self.close()
            raise
        answerer = self.assistant.answerer
        self.bar = answerer.threshold
        self.threshold = answerer.selector.threshold if answerer.selector else None
        self._scored: list[list[Scored]] = []
        self._shortlists: list[tuple[list[Scored], list[float]]] = []
        score = answerer.score

        def watched(*args: object, **kw: object) -> list[Scored]:
            out = score(*args, **kw)  # type: ignore[arg-type]
            self._scored.append(out)
            return out

        answerer.score = watched  # type: ignore[method-assign]
        if answerer.answerability is not None:
            answerer.answerability.observer = self._observe

    def _observe(self, _q: str, shortlist: list[Scored], _: object, chances: list[float]) -> None:
        self._shortlists.append((shortlist, chances))

    def ask(self, case: EvalCase) -> tuple[Answer, Judged]:
        self._scored.clear()
        self._shortlists.clear()
        answer = self.assistant.ask(case.question, as_of=case.as_of)
        scored = self._scored[0] if self._scored else []
        if not self._shortlists:
            return answer, Judged(scored)
        shortlist, chances = self._shortlists[0]
        return answer, Judged(scored, shortlist, chances)

    def close(self) -> None:
        self.assistant.close()
        self._tmp.cleanup()


def run(settings: Settings, datasets: Sequence[Dataset]) -> list[Located]:
    """Every case located, suite by suite; a suite with its own corpus gets its own store."""
    found: dict[str, list[Located]] = {}
    for corpus in dict.fromkeys(d.corpus for d in datasets):
        update = {} if corpus is None else {"corpus_dir": corpus, "chroma_url": None}
        watching = Watching(settings.model_copy(update=update))
        try:
            for dataset in (d for d in datasets if d.corpus == corpus):
                found[dataset.name] = [_located(watching, dataset.name, c) for c in dataset.cases]
        finally:
            watching.close()
    return [x for d in datasets for x in found[d.name]]


def _located(watching: Watching, suite: str, case: EvalCase) -> Located:
    answer, judged = watching.ask(case)
    stage = locate(case, answer, judged, bar=watching.bar, threshold=watching.threshold)
    rank = _gold_rank(case, judged.scored) if case.answerable else None
    listed = _gold_rank(case, judged.shortlist) if case.answerable else None
    gold = judged.chances[listed] if listed is not None else None
    best = max(judged.chances) if judged.chances else None
    return Located(suite, case.id, case.answerable, stage, rank, gold, best)


def table(located: Sequence[Located]) -> str:
    suites = list(dict.fromkeys(x.suite for x in located))
    stages = [stage for stage in ORDER if any(x.stage == stage for x in located)]
    counts = {s: Counter(x.stage for x in located if x.suite == s) for s in suites}
    lines = [f"| stage | {' | '.join(suites)} | all |", "|---" * (len(suites) + 2) + "|"]
    for stage in stages:
        row = [str(counts[s][stage]) for s in suites]
        lines.append(f"| {stage} | {' | '.join(row)} | {sum(map(int, row))} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m evals.stages",
        description=__doc__,
        epilog="example: python -m evals.stages blind4 --selector packaged --json stages.json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("suites", nargs="+", help="suite names under evals/datasets or paths")
    parser.add_argument(
        "--selector",
        default=None,
        help="`packaged`, `off` or a selector folder (default: BRIEFING_ANSWER_SELECTOR)",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write every case here")
    args = parser.parse_args(argv)
    paths = [Path(s) if s.endswith(".yaml") else ROOT / "evals/datasets" / f"{s}.yaml"
             for s in args.suites]  # fmt: skip
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        parser.error(f"no such suite: {', '.join(missing)}")
    try:
        datasets = [load_dataset(p) for p in paths]
    except ValueError as error:  # a brief or conversation suite, or a malformed file
        parser.error(f"not a question suite: {error}")
    chosen = {} if args.selector is None else {"answer_selector": args.selector}
    try:
        located = run(Settings(corpus_dir=ROOT / "corpus", **chosen), datasets)
    except BriefingError as error:  # a selector folder that is not one, a broken store…
        sys.stderr.write(f"python -m evals.stages: error: {error}\n")
        return 1
    sys.stdout.write(table(located) + "\n")
    if args.json is not None:
        args.json.write_text(json.dumps([asdict(x) for x in located], indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
