"""External-eval metrics on toy cases computed by hand."""

from __future__ import annotations

import pytest

from evals import qa_metrics as m
from evals.metrics import percentile


def test_squad_normalisation_drops_case_punctuation_and_articles() -> None:
    assert m.squad_normalise("The  Rail-Freight Union!") == "railfreight union"


def test_exact_match_takes_the_best_gold_answer() -> None:
    assert m.exact_match("the Orsk cave salamander.", ["salamander", "Orsk cave salamander"]) == 1
    assert m.exact_match("an Orsk salamander", ["Orsk cave salamander"]) == 0


def test_token_f1_by_hand() -> None:
    # prediction tokens: w x c d ; gold: c d e -> common 2, P = 2/4, R = 2/3, F1 = 4/7
    assert m.token_f1("w x c d", ["c d e"]) == pytest.approx(4 / 7)
    assert m.token_f1("the c d", ["c d e"]) == pytest.approx(0.8)  # "the" is dropped
    assert m.token_f1("x", ["c d e", "x"]) == 1.0
    assert m.token_f1("a b", ["c"]) == 0.0


def test_contains_needs_whole_tokens() -> None:
    assert m.contains("Workers got 9.5% more.", ["9.5%"]) == 1.0
    assert m.contains("He is 400 years old", ["40"]) == 0.0


def test_ranks_hits_and_reciprocal_rank() -> None:
    ranked = ["x", "y", "gold-b", "gold-a"]
    rank = m.first_gold_rank(ranked, ["gold-a", "gold-b"])
    assert rank == 3
    assert (m.hit_at(rank, 1), m.hit_at(rank, 4), m.hit_at(None, 10)) == (0.0, 1.0, 0.0)
    assert m.reciprocal_rank(rank) == pytest.approx(1 / 3)
    assert m.reciprocal_rank(11, k=10) == 0.0


def test_wilson_interval_matches_the_textbook_value() -> None:
    # 8/10 at 95%: Wilson interval 0.4902 .. 0.9433
    e = m.wilson(8, 10)
    assert (e.value, round(e.low, 4), round(e.high, 4), e.n) == (0.8, 0.4902, 0.9433, 10)
    assert m.wilson(0, 0) == m.Estimate(0.0, 0.0, 1.0, 0)


def test_bootstrap_is_reproducible_and_brackets_the_mean() -> None:
    values = [0.0, 1.0, 0.5, 1.0, 0.25, 1.0]
    first, second = m.bootstrap(values), m.bootstrap(values)
    assert first == second
    assert first.value == pytest.approx(3.75 / 6)
    assert first.low < first.value < first.high
    assert m.bootstrap([2.0, 2.0]) == m.Estimate(2.0, 2.0, 2.0, 2)


def test_percentile_interpolates() -> None:
    assert percentile([1, 2, 3, 4], 50) == 2.5
    assert percentile([10, 20], 95) == pytest.approx(19.5)
    assert percentile([], 50) == 0.0
