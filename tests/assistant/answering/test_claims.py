"""Answer-time claim verification: the checks, strict vs marked, and every composer's answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answering.claims import check_claims, is_verbatim
from assistant.answering.verification import check_claim
from assistant.answering.verified import UNVERIFIED, verify_answer
from assistant.assistant import Assistant
from assistant.search.embeddings import HashingEmbeddings
from assistant.types import Answer, Citation
from tests.conftest import make_settings
from tests.fakes import PromptedChatModel, passage_number

TARIFF = (
    "Japan currently faces 24% levies on its exports to the United States, though these have "
    "been paused for 90 days like most of Trump's recently announced tariffs."
)
MOVER = "Bessent noted that countries that move first will have a first mover advantage."
CITATIONS = (
    Citation(1, "japan", "Japan", TARIFF, 0, len(TARIFF), 0.5),
    Citation(2, "bessent", "Bessent", MOVER, 0, len(MOVER), 0.4),
)
EMBED = HashingEmbeddings().embed_documents
MIN_SCORE = 0.2  # the hashing embedder's default (config.DEFAULT_CLAIM_SUPPORT)


def _claims(text: str) -> list[tuple[str, bool, tuple[str, ...], tuple[str, ...]]]:
    return [
        (c.text, c.supported, c.missing_numbers, c.missing_names)
        for _, c in check_claims(text, CITATIONS, EMBED, MIN_SCORE)
    ]


def test_wrong_number_wrong_name_and_wrong_passage_are_all_caught() -> None:
    answer = (
        "Japan faces 34% levies on its exports to the United States. [1] "  # wrong number
        "Canada faces 24% levies on its exports to the United States. [1] "  # wrong name
        "Japan faces 24% levies, paused for ninety days. [2] "  # true, but cites the wrong passage
        "Japan faces 24 percent levies, paused for ninety days. [1]"  # true, right passage
    )
    wrong_number, wrong_name, wrong_passage, correct = _claims(answer)
    assert wrong_number[1:] == (False, ("34",), ())
    assert wrong_name[1:] == (False, (), ("canada",))
    assert wrong_passage[1:] == (False, ("24", "90"), ("japan",))
    assert correct[1:] == (True, (), ())


def test_a_claim_without_numbers_or_names_citing_the_wrong_passage_is_caught() -> None:
    (wrong,) = check_claims("The levies have been paused for now. [2]", CITATIONS, EMBED, 0.2)
    (right,) = check_claims("The levies have been paused for now. [1]", CITATIONS, EMBED, 0.2)
    assert not wrong[1].supported and right[1].supported


def test_claims_need_a_valid_marker() -> None:
    assert _claims("Japan faces 24% levies. [7]")[0][1] is False
    assert _claims("Japan faces 24% levies.")[0][1] is False


@pytest.mark.parametrize(
    ("claim", "quote", "supported"),
    [
        ("24 percent levies", "24% levies", True),
        ("paused for ninety days", "paused for 90 days", True),
        ("a 90-day pause", "paused for 90 days", True),
        ("a $1.5 billion deal", "a deal worth 1.5 billion dollars", True),
        ("a €1.5 billion deal", "a deal worth 1.5 billion dollars", False),
        ("paused for 24 days", "24% levies", False),
        ("a 2.50% fee", "a 2.5% fee", True),
        ("talks on 9 April", "talks on 9 May", False),
    ],
)
def test_quantities_are_normalised_and_units_must_agree(
    claim: str, quote: str, supported: bool
) -> None:
    assert check_claim(claim, [quote]).supported is supported


def test_verbatim_quotes_score_one_without_embedding() -> None:
    def never(texts: list[str]) -> list[list[float]]:
        raise AssertionError("a verbatim claim must not be embedded")

    framed = f"As of Wed 14 Jan 2026: {TARIFF} [1] (Monday = Mon 12 Jan 2026)"
    ((_, claim),) = check_claims(framed, CITATIONS, never, MIN_SCORE)
    assert claim.supported and claim.score == 1.0
    assert is_verbatim(f"An earlier report (undated) said: {MOVER}", [MOVER])
    assert not is_verbatim(f"Ishiba says: {MOVER}", [MOVER])  # a name is not a frame


def test_strict_drops_unsupported_claims_and_renumbers() -> None:
    draft = Answer("Q?", f"Japan faces 34% levies. [1] {MOVER} [2]", False, CITATIONS)
    strict = verify_answer(draft, EMBED, MIN_SCORE, strict=True)
    assert strict.answer == f"{MOVER} [1]"
    assert [(c.marker, c.doc_id) for c in strict.citations] == [(1, "bessent")]
    assert [(c.markers, c.supported, c.score) for c in strict.claims] == [((1,), True, 1.0)]


def test_not_strict_keeps_and_marks_unsupported_claims() -> None:
    draft = Answer("Q?", f"Japan faces 34% levies. [1] {MOVER} [2]", False, CITATIONS)
    marked = verify_answer(draft, EMBED, MIN_SCORE, strict=False)
    assert marked.answer == f"Japan faces 34% levies. [1] {UNVERIFIED} {MOVER} [2]"
    assert [c.supported for c in marked.claims] == [False, True]
    assert marked.claims[0].missing_numbers == ("34",)
    assert marked.citations == CITATIONS


def test_an_answer_with_no_supported_claim_abstains() -> None:
    draft = Answer("Q?", "Japan faces 34% levies. [1]", False, CITATIONS)
    verified = verify_answer(draft, EMBED, MIN_SCORE, strict=True)
    assert verified.abstained and verified.citations == () and verified.claims == ()


def test_extractive_answers_carry_per_claim_status(fast_assistant: Assistant) -> None:
    answer = fast_assistant.ask("What tariff rate does Japan face?")
    assert not answer.abstained and answer.claims
    assert len(answer.claims) == len(answer.citations)
    for claim, citation in zip(answer.claims, answer.citations, strict=True):
        assert claim.supported and claim.score == 1.0 and claim.markers == (citation.marker,)
        assert claim.text == citation.quote


def _llm(settings_path: Path, fast: Assistant, strict: bool) -> Assistant:
    def respond(prompt: str) -> str:
        n = passage_number(prompt, "24%")
        return (
            f"Japan faces a 24% levy on its exports to the United States [{n}]. "
            f"Japan faces a 34% levy on cars [{n}]."
        )

    settings = make_settings(settings_path, strict_citations=strict)
    return Assistant(
        settings, embeddings=fast.embeddings, chat_model=PromptedChatModel(respond=respond)
    )


@pytest.mark.parametrize("strict", [True, False])
def test_generative_answers_carry_per_claim_status(
    fast_assistant: Assistant, tmp_path: Path, strict: bool
) -> None:
    llm = _llm(tmp_path, fast_assistant, strict)
    llm.ingest()
    try:
        answer = llm.ask("What tariff rate does Japan face?")
        streamed = list(llm.ask_stream("What tariff rate does Japan face?"))[-1].answer  # type: ignore[union-attr]
    finally:
        llm.close()
    assert not answer.degraded and answer.answer.startswith("Japan faces a 24% levy")
    good = answer.claims[0]
    assert good.supported and 0.0 < good.score <= 1.0 and good.markers == (1,)
    if strict:
        assert "34%" not in answer.answer and len(answer.claims) == 1
    else:
        assert f"34% levy on cars. [1] {UNVERIFIED}" in answer.answer
        assert [c.supported for c in answer.claims] == [True, False]
        assert answer.claims[1].missing_numbers == ("34",)
    assert streamed.claims == answer.claims and streamed.answer == answer.answer
