"""The learned combiner: its features, its file, and that the answerer abstains where it says."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant.answering.combiner import FEATURES, Combiner, Signals, vectors
from assistant.answering.selector import PACKAGED, forget_selector, load_selector
from assistant.assistant import Assistant
from assistant.errors import ConfigError
from tests.conftest import make_settings

QUESTION = "What tariff rate does Japan face?"


def _signals(rule: float) -> Signals:
    return Signals(rule=rule, dense=0.5, lexical=0.5, form=0.0, unknown=0.0, headline=False)


def test_rows_hold_each_feature_in_order_with_gaps_to_the_best() -> None:
    rows = vectors([_signals(0.9), _signals(0.7)], [-1.0, 30.0])
    assert [len(r) for r in rows] == [len(FEATURES)] * 2
    named = [dict(zip(FEATURES, r, strict=True)) for r in rows]
    assert named[1]["logit"] == 12.0  # clipped: one wild logit cannot dominate
    assert named[1]["logit_gap"] == 0.0 and named[0]["logit_gap"] == -13.0
    assert named[0]["rule_gap"] == 0.0 and named[1]["rule_gap"] == pytest.approx(-0.2)
    assert named[0]["rank"] == 1.0 and named[1]["rank"] == 0.5
    assert vectors([], []) == []


def test_probabilities_follow_the_weights() -> None:
    only_rule = tuple(1.0 if n == "rule" else 0.0 for n in FEATURES)
    combiner = Combiner(only_rule, 0.0, 0.5)
    low, high = combiner.probabilities(vectors([_signals(0.1), _signals(2.0)], [0.0, 0.0]))
    assert 0.5 < low < high < 1.0


def test_the_file_round_trips_and_refuses_other_features(tmp_path: Path) -> None:
    combiner = Combiner(tuple(float(i) for i in range(len(FEATURES))), -1.5, 0.31)
    combiner.write(tmp_path / "combiner.json", fitted_on=["x"])
    assert Combiner.read(tmp_path / "combiner.json") == combiner
    raw = json.loads((tmp_path / "combiner.json").read_text())
    raw["features"] = raw["features"][:-1]
    (tmp_path / "combiner.json").write_text(json.dumps(raw))
    with pytest.raises(ValueError, match="features"):
        Combiner.read(tmp_path / "combiner.json")


def _selector_with(tmp_path: Path, weights: dict[str, float], bias: float) -> Path:
    folder = tmp_path / "selector"
    shutil.copytree(PACKAGED, folder, ignore=shutil.ignore_patterns("combiner.json"))
    row = tuple(weights.get(name, 0.0) for name in FEATURES)
    Combiner(row, bias, 0.5).write(folder / "combiner.json")
    forget_selector(folder)
    return folder


def test_a_selector_with_an_unreadable_combiner_is_a_config_error(tmp_path: Path) -> None:
    folder = _selector_with(tmp_path, {}, 0.0)
    (folder / "combiner.json").write_text("{")
    forget_selector(folder)
    with pytest.raises(ConfigError, match="could not be loaded"):
        load_selector(folder)


@pytest.mark.parametrize(("bias", "abstains"), [(-8.0, True), (8.0, False)])
def test_the_answerer_abstains_where_the_combined_p_says(
    tmp_path: Path, bias: float, abstains: bool
) -> None:
    folder = _selector_with(tmp_path, {}, bias)
    assistant = Assistant(make_settings(tmp_path, answer_selector=str(folder)))
    try:
        assert assistant.answerer.selector is not None
        assert assistant.answerer.selector.threshold == 0.5  # the combiner's, not selector.json's
        assistant.ingest()
        assert assistant.ask(QUESTION).abstained is abstains
    finally:
        assistant.close()


def test_where_the_combined_p_ties_the_cheap_order_is_kept(tmp_path: Path) -> None:
    """Every sentence equally likely: the same answer as without the selector."""
    answers = []
    for name, selector in (("off", "off"), ("on", str(_selector_with(tmp_path / "s", {}, 8.0)))):
        assistant = Assistant(make_settings(tmp_path / name, answer_selector=selector))
        try:
            assistant.ingest()
            answers.append(assistant.ask(QUESTION))
        finally:
            assistant.close()
    assert not answers[0].abstained
    assert answers[0].answer == answers[1].answer
    assert answers[0].citations == answers[1].citations


def test_the_sentence_most_likely_to_answer_leads(tmp_path: Path) -> None:
    """A combiner that prefers the cheap ranking's last shortlisted sentence puts it first."""
    folder = _selector_with(tmp_path, {"rank": -40.0}, 8.0)
    assistant = Assistant(make_settings(tmp_path, answer_selector=str(folder)))
    try:
        assistant.ingest()
        shortlists: list[list[str]] = []
        assert assistant.answerer.answerability is not None
        assistant.answerer.answerability.observer = lambda _q, short, _rows, _p: shortlists.append(
            [s.evidence.text for s in short]
        )
        answer = assistant.ask(QUESTION)
    finally:
        assistant.close()
    assert len(shortlists) == 1 and len(shortlists[0]) > 1
    assert not answer.abstained
    assert answer.citations[0].quote == shortlists[0][-1]


def test_a_follow_up_is_left_to_the_cheap_scores(tmp_path: Path) -> None:
    """The models learnt from standalone questions: a thin follow-up is never vetoed."""
    folder = _selector_with(tmp_path, {}, -8.0)  # would veto every standalone question
    assistant = Assistant(make_settings(tmp_path, answer_selector=str(folder)))
    try:
        assistant.ingest()
        seen: list[str] = []
        assert assistant.answerer.answerability is not None
        assistant.answerer.answerability.observer = lambda q, _short, _rows, _p: seen.append(q)
        first, session = assistant.chat(QUESTION)
        follow_up, _ = assistant.chat("What about cars?", session)
    finally:
        assistant.close()
    assert first.abstained and seen == [QUESTION]
    assert not follow_up.abstained and "25%" in follow_up.answer
