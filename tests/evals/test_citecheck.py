"""Citation precision checks each (claim, citation) pair with the answer verifier."""

from __future__ import annotations

from assistant.types import Answer, Citation
from evals.citecheck import check_answer, claims


def cite(marker: int, quote: str) -> Citation:
    return Citation(marker, "d", "T", quote, 0, len(quote), 0.5)


def test_claims_split_on_markers_and_drop_attribution_frames() -> None:
    text = (
        "As of Tue 3 Feb 2026: The deal gives 9.5%. [1] (Wednesday = Wed 4 Feb 2026) "
        "An earlier report (Tue 27 Jan 2026) said: The union wants 11%. [2][3] Uncited."
    )
    assert claims(text) == [
        ("The deal gives 9.5%.", (1,)),
        ("The union wants 11%.", (2, 3)),
        ("Uncited.", ()),
    ]


def test_wrong_number_wrong_name_and_right_quote() -> None:
    answer = Answer(
        "q",
        "Dascu leads the union. [1] The rise is 12%. [2] Vrieg accepted it. [3]",
        False,
        (cite(1, "HWF leader Mirela Dascu spoke."), cite(2, "The rise is 9.5%."),
         cite(3, "Dascu accepted it.")),
    )  # fmt: skip
    checks = check_answer(answer)
    assert [c.supported for c in checks] == [True, False, False]
    assert [c.supported_markers for c in checks] == [(1,), (), ()]
    assert [(c.has_numbers, c.numbers_grounded) for c in checks] == [
        (False, True), (True, False), (False, True),
    ]  # fmt: skip


def test_abstentions_have_nothing_to_check() -> None:
    assert check_answer(Answer("q", "The sources don't say.", True)) == ()


def test_a_sources_differ_answer_checks_each_quote_without_its_source_label() -> None:
    text = (
        "Sources differ: Tanne Herald (Mon 23 Jun 2025) says: The plant will cost 40 million "
        "crowns. [1]; Quenith Courier (Mon 23 Jun 2025) says: The plant will cost 52 million "
        "crowns. [2]"
    )
    assert claims(text) == [
        ("The plant will cost 40 million crowns.", (1,)),
        ("The plant will cost 52 million crowns.", (2,)),
    ]
    answer = Answer(
        "q", text, False,
        (cite(1, "The plant will cost 40 million crowns."),
         cite(2, "The plant will cost 52 million crowns.")),
    )  # fmt: skip
    assert [c.supported_markers for c in check_answer(answer)] == [(1,), (2,)]


def test_a_name_without_a_date_label_is_part_of_the_claim() -> None:
    quote = "The rise is 9.5%."
    answer = Answer("q", f"Vrieg says: {quote} [1]", False, (cite(1, quote),))
    assert [c.supported for c in check_answer(answer)] == [False]
