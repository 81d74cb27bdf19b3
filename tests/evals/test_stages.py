"""Where a suite's cases are lost: the stage rules, and a real run through the selector."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answering.answerability import Scored
from assistant.answering.evidence import Evidence
from assistant.types import Answer, Citation, Passage
from evals import stages
from evals.dataset import EvalCase, Fact, load_dataset
from evals.stages import Judged, locate
from tests.conftest import make_settings

TEXT = "Japan faces 24% levies. Talks begin on Wednesday. Markets fell."
PASSAGE = Passage("c0", "doc", "Title", TEXT, 0, len(TEXT), 0.9)
RATE = EvalCase("rate", "What rate does Japan face?", facts=(Fact("24%"),), doc="doc")
NEAR_MISS = EvalCase("alaska", "How much will Japan invest in Alaska?", answerable=False)


def _scored(*pairs: tuple[str, float]) -> list[Scored]:
    out = []
    for position, (sentence, score) in enumerate(pairs):
        start = TEXT.index(sentence)
        evidence = Evidence(PASSAGE, sentence, start, start + len(sentence), position)
        out.append(Scored(evidence, score))
    return out


RATE_FIRST = _scored(("Japan faces 24% levies.", 0.8), ("Markets fell.", 0.5))
RATE_THIRD = _scored(
    ("Markets fell.", 0.8), ("Talks begin on Wednesday.", 0.7), ("Japan faces 24% levies.", 0.6)
)
REFUSED = Answer("q", "The sources I have don't answer that.", True)
MARKETS = Citation(1, "doc", "Title", "Markets fell.", TEXT.index("Markets"), len(TEXT), 0.5)
WRONG = Answer("q", "Markets fell. [1]", False, (MARKETS,))
RIGHT = Answer(
    "q", "Japan faces 24% levies. [1]", False,
    (Citation(1, "doc", "Title", "Japan faces 24% levies.", 0, 23, 0.8),),
)  # fmt: skip


def _at(case: EvalCase, answer: Answer, judged: Judged, threshold: float | None = 0.3) -> str:
    return locate(case, answer, judged, bar=0.55, threshold=threshold)


def test_an_answerable_case_is_lost_at_the_first_stage_that_drops_its_gold_sentence() -> None:
    assert _at(RATE, RIGHT, Judged(RATE_FIRST)) == stages.PASSED
    unrelated = _scored(("Markets fell.", 0.9))
    assert _at(RATE, REFUSED, Judged(unrelated)) == stages.NOT_RETRIEVED
    low = _scored(("Markets fell.", 0.6), ("Japan faces 24% levies.", 0.5))
    assert _at(RATE, REFUSED, Judged(low)) == stages.BELOW_BAR
    judged = Judged(RATE_THIRD, RATE_THIRD[:2], (0.6, 0.4))
    assert _at(RATE, WRONG, judged) == stages.OUTSIDE_SHORTLIST
    judged = Judged(RATE_FIRST, RATE_FIRST, (0.2, 0.1))
    assert _at(RATE, REFUSED, judged) == stages.REFUSED
    # the shortlist skips a headline the body outranks: membership, not rank, decides
    judged = Judged(RATE_THIRD, (RATE_THIRD[0], RATE_THIRD[2]), (0.2, 0.1))
    assert _at(RATE, REFUSED, judged) == stages.REFUSED
    judged = Judged(RATE_FIRST, RATE_FIRST, (0.2, 0.4))
    assert _at(RATE, WRONG, judged) == stages.NOT_QUOTED
    assert _at(RATE, REFUSED, judged) == stages.OTHER_ABSTENTION


def test_without_the_selector_a_dropped_gold_is_never_blamed_on_it() -> None:
    assert _at(RATE, WRONG, Judged(RATE_THIRD), threshold=None) == stages.NOT_QUOTED
    assert _at(RATE, REFUSED, Judged(RATE_FIRST), threshold=None) == stages.OTHER_ABSTENTION


def test_a_near_miss_is_right_when_refused_and_says_who_let_it_through() -> None:
    assert _at(NEAR_MISS, REFUSED, Judged(RATE_FIRST)) == stages.ABSTAINED
    assert _at(NEAR_MISS, WRONG, Judged(RATE_FIRST, RATE_FIRST, (0.5, 0.1))) == stages.LET_THROUGH
    assert _at(NEAR_MISS, WRONG, Judged(RATE_FIRST)) == stages.ANSWERED


@pytest.mark.slow
def test_a_run_through_the_packaged_selector_sees_its_shortlists(tmp_path: Path) -> None:
    suite = tmp_path / "tiny.yaml"
    suite.write_text(
        "name: tiny\ndefault_doc: trump-japan-trade-talks\ncases:\n"
        "  - id: rate\n    question: What tariff rate does Japan face?\n    facts: ['24%']\n"
        "  - id: alaska\n    question: How much will Japan invest in the Alaskan gas project?\n"
        "    answerable: false\n",
        encoding="utf-8",
    )
    settings = make_settings(
        tmp_path, embeddings="sentence-transformers", answer_selector="packaged"
    )
    located = stages.run(settings, [load_dataset(suite)])
    assert [x.case_id for x in located] == ["rate", "alaska"]
    rate = located[0]
    assert rate.gold_rank is not None  # the 24% sentence was scored: the answerer was watched
    assert rate.best_chance is not None  # and the selector's shortlist was caught
    assert rate.stage in {stages.PASSED, stages.REFUSED, stages.NOT_QUOTED}
    assert f"| {rate.stage} | 1 | 1 |" in stages.table(located)


def test_a_suite_with_its_own_corpus_is_asked_against_it(tmp_path: Path) -> None:
    corpus = tmp_path / "own"
    corpus.mkdir()
    (corpus / "harbour.md").write_text(
        "# Harbour levy\n\nThe Port of Quellmouth raised its berth levy to 7% on Monday.\n",
        encoding="utf-8",
    )
    suite = tmp_path / "own.yaml"
    suite.write_text(
        "name: own\ncorpus: own\ncases:\n"
        "  - id: levy\n    question: What berth levy does the Port of Quellmouth charge?\n"
        "    facts: ['7%']\n",
        encoding="utf-8",
    )
    located = stages.run(make_settings(tmp_path), [load_dataset(suite)])
    assert [(x.suite, x.case_id) for x in located] == [("own", "levy")]
    assert located[0].gold_rank is not None  # the seed corpus has no such sentence


def test_a_folder_that_is_not_a_selector_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert stages.main(["seed", "--selector", str(tmp_path)]) == 1
    assert "model.onnx" in capsys.readouterr().err
