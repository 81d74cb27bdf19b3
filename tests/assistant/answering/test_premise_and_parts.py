""" "No" and "the sources say otherwise" vs "the sources don't say"; two-part questions."""

from __future__ import annotations

import pytest

from assistant.answering.claims import is_verbatim
from assistant.answering.parts import NOT_COVERED, not_covered, question_parts
from assistant.answering.premise import NO_LEAD, OTHERWISE_LEAD, lead_in
from assistant.assistant import Assistant
from assistant.language.lexicon import load_lexicon

RULED_OUT = "Ishiba has currently ruled out countermeasures to the U.S. tariffs."


def _lead(question: str, sentence: str) -> str | None:
    return lead_in(question, load_lexicon().concepts(question), sentence)


def test_yes_no_question_answered_by_a_negation_says_no() -> None:
    assert _lead("Has Japan said it will retaliate?", RULED_OUT) == NO_LEAD


def test_presupposing_question_is_corrected() -> None:
    assert _lead("Why did Japan impose countermeasures?", RULED_OUT) == OTHERWISE_LEAD
    no_deal = "Ishiba said Japan won't rush to reach a deal."
    assert _lead("On what date was the trade deal signed?", no_deal) == OTHERWISE_LEAD


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        ("Has Japan said it will retaliate?", "Japan faces 24% levies, paused for 90 days."),
        ("Why hasn't Japan retaliated?", RULED_OUT),  # a negative question, a negative answer
        ("Has Japan said it will retaliate?", "Officials did not comment on the Alaska project."),
        ("Who ruled out countermeasures?", RULED_OUT),  # not a yes/no or presupposing question
    ],
)
def test_no_lead_in_when_the_quote_simply_answers(question: str, sentence: str) -> None:
    assert _lead(question, sentence) is None


def test_two_questions_in_one_are_split() -> None:
    assert question_parts("How much would it cost, and when would it open?") == [
        "How much would it cost?",
        "when would it open?",
    ]
    assert question_parts("Who are Akazawa and Bessent?") == ["Who are Akazawa and Bessent?"]


def test_not_covered_note_repeats_nothing_from_the_question() -> None:
    assert not_covered(1) == "The sources don't answer the second part of the question."


def test_system_notes_are_frames_the_verifier_accepts() -> None:
    note = not_covered(0)
    assert is_verbatim(f"{note} {NO_LEAD} {RULED_OUT}", [RULED_OUT])
    assert not is_verbatim(f"Yes: {RULED_OUT}", [RULED_OUT])
    assert NOT_COVERED.startswith("The sources")


@pytest.mark.slow
def test_real_answer_says_no_and_cites_the_source(real_assistant: Assistant) -> None:
    answer = real_assistant.ask("Has Japan said it will retaliate against the US tariffs?")
    assert answer.answer.startswith(NO_LEAD)
    assert "countermeasures" in answer.citations[0].quote
    assert all(claim.supported for claim in answer.claims)


@pytest.mark.slow
def test_real_false_premise_is_corrected(real_assistant: Assistant) -> None:
    answer = real_assistant.ask("Why did Japan impose countermeasures on the US?")
    assert answer.answer.startswith(OTHERWISE_LEAD)
    assert "ruled out countermeasures" in answer.citations[0].quote


@pytest.mark.slow
def test_real_partial_answer_names_the_open_part(real_assistant: Assistant) -> None:
    answer = real_assistant.ask(
        "What tariff rate does Japan face, and how many cars does it export each year?"
    )
    assert not answer.abstained
    assert answer.answer.startswith(not_covered(1))
    assert "24%" in answer.answer
    assert all(claim.supported for claim in answer.claims)
