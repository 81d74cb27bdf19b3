"""`forbidden` and `says` in eval cases: what an answer must not state, and framing it must."""

from __future__ import annotations

import pytest

from assistant.types import Answer, Citation
from evals.dataset import parse_dataset
from evals.metrics import score_case

QUOTE = "Japan currently faces 24% levies on its exports."


def _case(**extra: object):  # type: ignore[no-untyped-def]
    raw = {"id": "c", "question": "What tariff?", "facts": ["24%"], "doc": "d"} | extra
    return parse_dataset({"name": "t", "cases": [raw]}).cases[0]


def _answer(text: str) -> Answer:
    citation = Citation(1, "d", "D", QUOTE, 0, len(QUOTE), 1.0)
    return Answer("What tariff?", text, False, (citation,))


def test_a_forbidden_phrase_fails_an_otherwise_correct_answer() -> None:
    case = _case(forbidden=["50%"])
    assert score_case(case, _answer(f"{QUOTE} [1]"), 1.0).passed
    failed = score_case(case, _answer(f"{QUOTE} [1] Some say 50 percent."), 1.0)
    assert not failed.passed and [f.pattern for f in failed.forbidden_found] == ["50%"]


def test_says_checks_framing_in_the_text_only() -> None:
    case = _case(says=["no, according to the sources"])
    good = score_case(case, _answer(f"No, according to the sources: {QUOTE} [1]"), 1.0)
    assert good.passed and good.says_missing == ()
    assert not score_case(case, _answer(f"{QUOTE} [1]"), 1.0).passed


def test_says_is_rejected_on_an_unanswerable_case() -> None:
    with pytest.raises(ValueError, match="says"):
        parse_dataset(
            {"name": "t", "cases": [{"id": "u", "question": "Q?", "answerable": False,
                                     "says": ["x"]}]}
        )  # fmt: skip
