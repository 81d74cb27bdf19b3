from __future__ import annotations

import pytest

from assistant.types import Answer, Citation
from evals.dataset import EvalCase, Fact, Thresholds
from evals.metrics import fact_found, normalise, percentile, score_case, summarise

DOC = "trump-japan-trade-talks"


def cite(quote: str, doc_id: str = DOC, marker: int = 1) -> Citation:
    return Citation(marker=marker, doc_id=doc_id, title="t", quote=quote, start=0, end=len(quote),
                    score=0.9)  # fmt: skip


@pytest.mark.parametrize(
    ("fact", "text"),
    [
        ("24%", "Japan faces 24 percent levies"),
        ("24%", "Japan faces 24 per cent levies"),
        ("24 percent", "Japan faces 24% levies"),
        ("24%", "a rate of twenty-four percent"),
        ("90 days", "paused for ninety days"),
        ("90 days", "a 90-day pause"),
        ("ninety days", "paused for 90 days"),
        ("first mover advantage", "a “first-mover advantage” for early movers"),
        ("won't rush", "Japan won’t rush"),
        ("AKAZAWA", "Ryosei Akazawa"),
        ("0.7%", "the STOXX 600 fell 0.7 percent."),
    ],
)
def test_plain_facts_match_after_normalisation(fact: str, text: str) -> None:
    assert fact_found(Fact(fact), text)


@pytest.mark.parametrize(
    ("fact", "text"),
    [
        ("10%", "a 110% rate"),
        ("10%", "a 1.10% rate"),
        ("24%", "a 25% rate"),
        ("90 days", "paused for 9 days"),
        ("dax", "the nodax index"),
    ],
)
def test_plain_facts_do_not_match_inside_other_numbers_or_words(fact: str, text: str) -> None:
    assert not fact_found(Fact(fact), text)


def test_normalise_canonical_forms() -> None:
    assert normalise("  The  90-Day\tpause  ") == "the 90 days pause"
    assert normalise("Twenty-Five PER CENT") == "25%"
    assert normalise("one hundred") == "100"
    assert normalise("1,000 cars") == "1000 cars"
    assert normalise("‘a’ “b”") == "'a' \"b\""


def test_regex_facts_run_on_normalised_text() -> None:
    fact = Fact(r"economic revitali[sz]ation", is_regex=True)
    assert fact_found(fact, "the Economic Revitalization Minister")
    assert fact_found(fact, "ECONOMIC REVITALISATION")
    assert not fact_found(fact, "the economy minister")
    assert fact_found(Fact(r"\b24%", is_regex=True), "24 percent")


def answerable_case() -> EvalCase:
    return EvalCase(id="car-duty", question="Car duty?", facts=(Fact("25%"), Fact("cars")), doc=DOC)


def test_citation_support_comes_from_quotes_not_answer_text() -> None:
    case = answerable_case()
    answer = Answer(
        question=case.question,
        answer="A 25% duty applies to cars [1].",
        abstained=False,
        citations=(cite("A 10% universal rate remains active."),),
    )
    result = score_case(case, answer, latency_ms=5.0)
    assert result.facts_found == (True, True)
    assert result.citation_supported == (False, False)
    assert result.hit
    assert not result.cited_expected_doc
    assert not result.passed


def test_fully_supported_answer_passes() -> None:
    case = answerable_case()
    quote = "A 10% universal rate remains active, as does a 25% duty on cars."
    answer = Answer(question=case.question, answer="25 percent on cars [1].", abstained=False,
                    citations=(cite(quote),))  # fmt: skip
    result = score_case(case, answer, latency_ms=5.0)
    assert result.citation_supported == (True, True)
    assert result.hit and result.cited_expected_doc and result.abstention_correct
    assert result.passed
    assert result.missing_facts == ()


def test_citing_another_doc_is_not_a_hit() -> None:
    case = answerable_case()
    answer = Answer(question="q", answer="25% on cars", abstained=False,
                    citations=(cite("a 25% duty on cars", doc_id="other"),))  # fmt: skip
    result = score_case(case, answer, latency_ms=1.0)
    assert result.citation_supported == (True, True)
    assert not result.hit and not result.cited_expected_doc and not result.passed


def test_abstention_scoring() -> None:
    unanswerable = EvalCase(id="boj-rate", question="BoJ rate?", answerable=False)
    abstain = Answer(question="q", answer="The sources do not say.", abstained=True)
    attempt = Answer(question="q", answer="0.5%", abstained=False)

    assert score_case(unanswerable, abstain, 1.0).abstention_correct
    assert score_case(unanswerable, abstain, 1.0).passed
    assert not score_case(unanswerable, attempt, 1.0).abstention_correct
    assert not score_case(unanswerable, attempt, 1.0).passed

    answerable = answerable_case()
    wrongly_abstained = score_case(answerable, abstain, 1.0)
    assert not wrongly_abstained.abstention_correct
    assert not wrongly_abstained.passed


def test_summary_ratios_and_meets() -> None:
    good = score_case(
        answerable_case(),
        Answer(question="q", answer="25% on cars", abstained=False,
               citations=(cite("a 25% duty on cars"),)),
        10.0,
    )  # fmt: skip
    bad = score_case(
        answerable_case(), Answer(question="q", answer="no idea", abstained=False), 30.0
    )
    summary = summarise([good, bad])
    assert summary.fact_recall == 0.5
    assert summary.citation_support == 0.5
    assert summary.abstention_accuracy == 1.0
    assert summary.hit_at_k == 0.5
    assert summary.latency_p50_ms == 20.0
    assert (summary.cases_passed, summary.cases_total) == (1, 2)
    assert summary.meets(Thresholds(0.5, 0.5, 1.0, 0.5)) == []
    failed = summary.meets(Thresholds())
    assert [f.split()[0] for f in failed] == ["fact_recall", "citation_support", "hit_at_k"]


def test_empty_summary_is_vacuously_perfect() -> None:
    summary = summarise([])
    assert summary.fact_recall == summary.hit_at_k == summary.abstention_accuracy == 1.0
    assert summary.latency_p95_ms == 0.0


def test_percentile_interpolates() -> None:
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert percentile([5.0], 95) == 5.0
    assert percentile([0.0, 100.0], 95) == pytest.approx(95.0)
