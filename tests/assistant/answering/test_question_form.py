"""What a question asks for: a sentence that cannot hold the answer is ruled out."""

from __future__ import annotations

import pytest

from assistant.answering.asked import MISMATCH_PENALTY, QuestionForm, _object_of
from assistant.language.lexicon import load_lexicon

RATE = "Japan currently faces 24% levies on its exports to the United States."
CARS = (
    "A 10% universal rate remains active, as does a 25% duty on cars, which are central to "
    "Japan's export economy."
)


def fit(question: str, sentence: str) -> float:
    return QuestionForm(question, load_lexicon()).fit(sentence)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What tariff does the US apply to Japanese steel?", "Japanese steel"),
        ("What tariff does Washington charge on semiconductors imported from Japan?",
         "semiconductors Japan"),
        ("How high is the US levy on Japanese goods?", "Japanese"),
        ("What tariff percentage applies to goods from the European Union?", "European Union"),
        ("Auto tariff on Japan - what's the number?", "Japan"),
        ("For how long have the tariffs been put on hold?", ""),
        ("What rate applies to every country?", ""),
        ("Is the higher rate on Japan actually being collected right now?", "Japan"),
        ("Who is Kurt Tong?", ""),
        ("What reciprocal tariff rate does South Korea face?", "South Korea"),
        ("What duty do Japanese semiconductors face when they enter the US?",
         "Japanese semiconductors"),
    ],
)  # fmt: skip
def test_object_of_keeps_the_words_that_narrow_the_tariff(question: str, expected: str) -> None:
    assert _object_of(question) == expected


def test_a_tariff_on_something_the_sentence_does_not_mention_is_ruled_out() -> None:
    assert fit("What tariff does the US apply to Japanese steel?", RATE) < -0.3
    assert fit("What tariff rate has the US set for South Korean exports?", RATE) < -0.3
    # a generic object ("goods") and a demonym of a country the sentence names both pass
    assert fit("How high is the US levy on Japanese goods?", RATE) > 0
    assert fit("What is the duty on Japanese autos?", CARS) > 0


def test_a_date_question_needs_a_date_not_a_span() -> None:
    question = "On what calendar date does the 90-day pause run out?"
    assert fit(question, "The levies have been paused for 90 days.") <= -MISMATCH_PENALTY
    assert fit(question, "The pause ends on July 9.") > -0.1
    assert fit("On what day did Ishiba comment?", "Ishiba stated Monday that ...") > -0.1


def test_when_needs_a_point_in_time() -> None:
    span = "The levies have been paused for 90 days."
    assert fit("When does the 90-day pause end exactly?", span) < -0.3
    assert fit("When is Meloni due?", "Meloni is due at the White House on Thursday.") > 0
    assert fit("When will they meet?", "They will meet next week.") > -0.1
    # "when" inside the question is not what it asks for
    assert fit("What duty do Japanese cars face when exported?", CARS) > -0.1


def test_an_outcome_question_is_not_answered_by_a_plan() -> None:
    question = "What did Meloni and Trump agree on EU tariffs at their Thursday meeting?"
    plan = "Italian Prime Minister Giorgia Meloni is scheduled to meet Trump on Thursday."
    outcome = "Meloni and Trump agreed to keep talking about EU tariffs."
    assert fit(question, plan) <= -MISMATCH_PENALTY
    assert fit(question, outcome) > -0.1
    # what one meeting agreed needs a realised outcome, not a stance on a future deal
    meeting = "What deal did the US and Japan agree at Wednesday's meeting?"
    stance = "Ishiba stated Monday that Japan won't rush to reach a deal."
    assert fit(meeting, stance) <= -MISMATCH_PENALTY
    # without one event to report on, the stance can still correct the premise
    assert fit("On what date was the US-Japan trade deal signed?", stance) > -0.1
    # a question about the plan itself is not an outcome question
    assert fit("When will Meloni meet Trump?", plan) > -0.1


def test_who_needs_a_name_the_question_does_not_already_give() -> None:
    question = "Who is the White House press secretary quoted on the tariffs?"
    assert fit(question, "The White House press secretary described the measures.") < -0.3
    minister = "Which cabinet minister represents Japan in the talks?"
    akazawa = "Japan sent Economic Revitalisation Minister Ryosei Akazawa to begin discussions."
    assert fit(minister, akazawa) >= 0
    assert fit("Which Italian leader is visiting?", "Giorgia Meloni is due on Thursday.") >= 0


def test_a_role_the_question_does_not_name_answers_who() -> None:
    press = "The White House press secretary described the measures as addressing imbalances."
    assert fit("Which White House official defended the tariffs?", press) >= 0
    assert fit("What is the name of the White House press secretary?", press) < -0.3


def test_who_holds_a_role_needs_a_name_beside_that_role() -> None:
    invited = "Bessent has invited South Korea's finance minister for talks next week."
    assert fit("Who is the South Korean finance minister?", invited) < -0.3
    ishiba = "Japanese Prime Minister Shigeru Ishiba stated Monday that Japan won't rush."
    assert fit("Who is the Japanese premier quoted on the talks?", ishiba) > 0  # any wording
    bessent = "Akazawa expected to meet with Treasury Secretary Scott Bessent."
    assert fit("Who is the American Treasury chief Japan expected to meet?", bessent) > 0
    replaced = "Deputy Minister Ilse Varga replaced Anika Morrow as Valdoria's lead negotiator."
    assert fit("Who is Valdoria's lead negotiator?", replaced) > -0.1
    appositive = "Karoline Leavitt, the White House press secretary, said so."
    assert fit("What is the name of the press secretary?", appositive) > -0.1
