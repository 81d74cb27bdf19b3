"""Fitting the combiner end to end on three tiny fictional articles (hashing embedder).

This checks the mechanics `python -m training.combine` relies on (labels, fit, calibration,
the file the answerer reads), not the shipped weights' quality (see the model card).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant.answering.combiner import FEATURES, Combiner
from assistant.answering.selector import PACKAGED
from tests.conftest import make_settings
from training import combine

ARTICLES = [
    ("harbour-strike", "Dockers strike at Port Velna",
     "Some 2,300 dockworkers at Port Velna walked out on Monday. The Velna Dockers' Union is "
     "asking for a 9% pay rise. Union leader Irma Sosk said talks had failed. Ships queued "
     "outside the breakwater."),
    ("bank-rates", "Osterlan central bank holds rates",
     "The Bank of Osterla kept its main rate at 3.25% on Thursday. Governor Pell Ardin said "
     "inflation was easing. Economists had expected a cut. The next meeting is in June."),
    ("bridge-report", "Report blames bolts for Hessa bridge collapse",
     "Investigators said corroded bolts caused the collapse of the Hessa bridge. The report was "
     "published on Tuesday by the Transport Safety Board. Repairs will cost 40 million crowns. "
     "The bridge carried 18,000 cars a day."),
]  # fmt: skip
QUESTIONS = [
    ("how many dockers walked out at velna", ["2,300"], "harbour-strike"),
    ("What raise does the dockers' union want?", ["9%"], "harbour-strike"),
    ("who leads the dockers' union", ["Irma Sosk"], "harbour-strike"),
    ("What is Osterla's main interest rate now?", ["3.25%"], "bank-rates"),
    ("Who is the governor of the Bank of Osterla?", ["Pell Ardin"], "bank-rates"),
    ("What caused the Hessa bridge to fall?", ["corroded bolts"], "bridge-report"),
    ("How much will fixing the bridge cost?", ["40 million crowns"], "bridge-report"),
    ("How long did the Velna strike last?", [], ""),
    ("What did the finance minister say about the rate decision?", [], ""),
    ("How many people were injured when the Hessa bridge fell?", [], ""),
]


def _write_set(folder: Path) -> None:
    folder.mkdir(parents=True)
    rows = [{"id": i, "title": t, "text": x, "published": "2026-03-02", "source": "Test Wire"}
            for i, t, x in ARTICLES]  # fmt: skip
    (folder / "corpus.jsonl").write_text("\n".join(map(json.dumps, rows)) + "\n")
    qs = [
        {"id": f"q{n}", "question": q, "answers": a, "gold_doc_ids": [d] if d else [],
         "answerable": bool(a)}
        for n, (q, a, d) in enumerate(QUESTIONS)
    ]  # fmt: skip
    (folder / "questions.jsonl").write_text("\n".join(map(json.dumps, qs)) + "\n")


TWO_FOLDS = ("set_b", "set_c")  # passed as --folds; two small sets keep the test short


@pytest.fixture
def news(tmp_path: Path) -> Path:
    for name in TWO_FOLDS:
        _write_set(tmp_path / "news" / name)
    return tmp_path / "news"


def test_labels_mark_only_gold_sentences_holding_the_answer(news: Path, tmp_path: Path) -> None:
    base = make_settings(tmp_path, answer_selector="packaged")
    asked = combine.ask_news(news / TWO_FOLDS[0], base, cheap_abstain=False)
    assert len(asked) == len(QUESTIONS)
    for a in asked:
        assert len(a.rows) == len(a.labels) > 0  # no cheap abstention while fitting
        assert all(len(r) == len(FEATURES) for r in a.rows)
        if not a.answerable:
            assert not any(a.labels)
    found = [a for a in asked if a.answerable and any(a.labels)]
    assert len(found) >= 5  # the answer sentence reaches the shortlist for most questions


def test_training_writes_a_combiner_the_selector_loads(
    news: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "selector"
    shutil.copytree(PACKAGED, folder, ignore=shutil.ignore_patterns("combiner.json"))
    monkeypatch.setenv("BRIEFING_EMBEDDINGS", "hashing")
    monkeypatch.setenv("BRIEFING_CORPUS_DIR", str(news / "set_a"))
    argv = ["--news", str(news), "--selector", str(folder), "--folds", *TWO_FOLDS]
    assert combine.main(argv) == 0
    combiner = Combiner.read(folder / "combiner.json")
    assert len(combiner.weights) == len(FEATURES) and 0.0 <= combiner.threshold <= 1.0
    raw = json.loads((folder / "combiner.json").read_text())
    assert raw["fitted_on"] == [f"training/news/{n}" for n in TWO_FOLDS]
    assert raw["calibrated_on"][0].endswith(f"{TWO_FOLDS[0]} (out of fold)")
    assert raw["command"] == "python -m training.combine --folds set_b set_c"


def test_the_threshold_passes_the_most_calibration_cases() -> None:
    rule = FEATURES.index("rule")
    combiner = Combiner(tuple(float(i == rule) for i in range(len(FEATURES))), 0.0, 0.0)

    def asked(answerable: bool, rule_score: float, *, right: bool = True,
              abstained: bool = False) -> combine.Asked:  # fmt: skip
        row = [0.0] * len(FEATURES)
        row[rule] = rule_score  # P = sigmoid(rule score) under this combiner
        return combine.Asked("s", answerable, [row], [0], abstained, answerable and right)

    cases = [
        asked(True, 2.0), asked(True, 1.0),  # answered right, P 0.88 and 0.73
        asked(False, 0.0), asked(False, -1.0),  # unanswerable, P 0.50 and 0.27
        asked(True, 1.5, right=False),  # a wrong answer never passes
        asked(False, 3.0, abstained=True),  # the cheap scores already abstained: passes
    ]  # fmt: skip
    threshold, passed = combine.choose(cases, [c.best(combiner) for c in cases])
    assert passed == 5
    assert 0.5 < threshold < 0.731


def test_each_set_is_judged_by_the_combiner_fitted_on_the_others() -> None:
    rule = FEATURES.index("rule")

    def asked(suite: str, rule_score: float, label: int) -> combine.Asked:
        row = [0.0] * len(FEATURES)
        row[rule] = rule_score
        return combine.Asked(suite, True, [row], [label], False, True)

    # in set_b a high rule score marks the answer; in set_c the opposite
    fitted = {
        "set_b": [asked("set_b", x, int(x > 0)) for x in (-2.0, -1.0, 1.0, 2.0)],
        "set_c": [asked("set_c", x, int(x < 0)) for x in (-2.0, -1.0, 1.0, 2.0)],
    }
    judges = combine.out_of_fold(fitted)
    assert judges["set_b"].weights[rule] < 0 < judges["set_c"].weights[rule]
    assert judges["set_b"].weights == combine.fit(fitted["set_c"])[0]
