"""The answer selector: loading, batching, settings, and what the shipped model has learnt."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.answering.selector import PACKAGED, TITLE_WORDS, candidate_text, load_selector
from assistant.assistant import Assistant
from assistant.errors import ConfigError
from tests.conftest import make_settings

TITLE = "Trump to attend Japan tariff talks"
SENT = (
    "Japan sent Economic Revitalisation Minister Ryosei Akazawa to begin discussions with "
    "Treasury Secretary Scott Bessent."
)
TRUMP = "President Donald Trump announced he will personally attend trade talks with Japan."
MARKETS = "The pan-European STOXX 600 index fell 0.7 percent."


def test_the_candidate_carries_a_short_title_before_the_sentence() -> None:
    assert candidate_text("", "A sentence.") == "A sentence."
    long_title = " ".join(f"w{i}" for i in range(30))
    text = candidate_text(long_title, "A sentence.")
    assert text.endswith(" | A sentence.") and text.count("w") == TITLE_WORDS


def test_scores_do_not_depend_on_batching_or_order() -> None:
    selector = load_selector(PACKAGED)
    candidates = [(TITLE, s) for s in (SENT, TRUMP, MARKETS)] * 15  # more than one batch
    together = selector.score("Who did Japan send to the talks?", candidates)
    alone = [
        float(selector.score("Who did Japan send to the talks?", [c])[0]) for c in candidates[:3]
    ]
    assert together.shape == (45,)
    # int8 activations are quantised per tensor: pairs run alone, so neighbours never matter
    np.testing.assert_allclose(together[:3], alone, atol=1e-6)
    assert selector.score("Who?", []).shape == (0,)


def test_the_shipped_model_reads_question_and_sentence_together() -> None:
    selector = load_selector(PACKAGED)
    question = "Which Japanese minister was dispatched to Washington for the negotiations?"
    sent, trump, markets = selector.score(
        question, [(TITLE, SENT), (TITLE, TRUMP), (TITLE, MARKETS)]
    )
    assert sent > trump and sent > markets


def test_a_missing_or_broken_selector_is_a_clear_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"model\.onnx.*missing"):
        load_selector(tmp_path)
    broken = tmp_path / "broken"
    shutil.copytree(PACKAGED, broken)
    (broken / "model.onnx").write_bytes(b"not a model")
    with pytest.raises(ConfigError, match="could not be loaded"):
        load_selector(broken)


def test_settings_pick_the_selector_and_its_threshold(tmp_path: Path) -> None:
    combined = PACKAGED / "combiner.json"
    card = json.loads((combined if combined.is_file() else PACKAGED / "selector.json").read_text())
    on = Assistant(make_settings(tmp_path / "on", answer_selector="packaged"))
    off = Assistant(make_settings(tmp_path / "off"))  # the default
    fixed = Assistant(make_settings(tmp_path / "fixed", abstain_threshold=0.9))
    try:
        assert on.answerer.selector is not None
        assert on.answerer.selector.threshold == pytest.approx(card["threshold"])
        # the cheap scores keep their own bar whether the selector is on or off
        assert on.answerer.threshold == off.answerer.threshold == pytest.approx(0.12)
        assert off.answerer.selector is None
        assert fixed.answerer.threshold == 0.9
    finally:
        for assistant in (on, off, fixed):
            assistant.close()
