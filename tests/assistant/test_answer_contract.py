"""The answer contract: markers ↔ citations one-to-one, quotes are exact document slices,
abstentions cite nothing. Checked with the hashing embedder and with the real MiniLM model."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from assistant.assistant import Assistant
from assistant.errors import InvalidQuestion, UnknownSession
from assistant.types import Answer

MARKER = re.compile(r"\[(\d+)\]")

QUESTIONS = [
    "What tariff rate does Japan face?",
    "Who is Kurt Tong?",
    "What did Bessent say?",
    "How far did the STOXX 600 fall?",
    "What duty applies to cars?",
    "When will Giorgia Meloni meet Trump?",
    "How has China responded to the tariffs?",
    "What is the Bank of Japan's policy rate?",
]


def check_contract(assistant: Assistant, answer: Answer) -> None:
    markers = [int(m) for m in MARKER.findall(answer.answer)]
    if answer.abstained:
        assert answer.citations == ()
        assert markers == []
        assert answer.answer.strip()
        return
    assert answer.citations, "a non-abstained answer cites something"
    cited = Counter(c.marker for c in answer.citations)
    assert all(n == 1 for n in cited.values()), "each marker has exactly one citation"
    assert Counter(markers) == cited, "every marker in the text has a citation and vice versa"
    assert sorted(cited) == list(range(1, len(cited) + 1)), "markers are numbered 1..n"
    for citation in answer.citations:
        doc = assistant.document(citation.doc_id)
        assert citation.quote == doc.text[citation.start : citation.end]
        assert citation.quote.strip() == citation.quote and citation.quote
        assert citation.title == doc.title
        # extractive: the quoted sentence is what the answer says, right before its marker
        assert f"{citation.quote} [{citation.marker}]" in answer.answer


@pytest.mark.parametrize("question", QUESTIONS)
def test_contract_hashing(fast_assistant: Assistant, question: str) -> None:
    answer = fast_assistant.ask(question)
    assert answer.question == question
    check_contract(fast_assistant, answer)


def test_hashing_answers_a_direct_question(fast_assistant: Assistant) -> None:
    answer = fast_assistant.ask("Who is Kurt Tong?")
    assert not answer.abstained
    assert "managing partner at The Asia Group" in answer.citations[0].quote


def test_hashing_abstains_on_unknown_names(fast_assistant: Assistant) -> None:
    answer = fast_assistant.ask("How has China responded to the tariffs?")
    assert answer.abstained
    check_contract(fast_assistant, answer)


def test_chat_follow_up_contract_and_history(fast_assistant: Assistant) -> None:
    first, session = fast_assistant.chat("Who is Kurt Tong?")
    follow, same = fast_assistant.chat("What about cars?", session)
    assert same == session
    check_contract(fast_assistant, first)
    check_contract(fast_assistant, follow)
    assert follow.retrieval_query is not None and "Kurt Tong" in follow.retrieval_query
    history = fast_assistant.sessions.history(session)
    assert [t.question for t in history] == ["Who is Kurt Tong?", "What about cars?"]
    assert history[1].retrieval_query == follow.retrieval_query
    assert history[0].answer == first.answer


@pytest.mark.parametrize("question", ["", "   ", "\n\t"])
def test_empty_question_is_invalid(fast_assistant: Assistant, question: str) -> None:
    with pytest.raises(InvalidQuestion):
        fast_assistant.ask(question)
    with pytest.raises(InvalidQuestion):
        fast_assistant.chat(question)


def test_oversized_question_is_invalid(fast_assistant: Assistant) -> None:
    limit = fast_assistant.settings.max_question_chars
    with pytest.raises(InvalidQuestion, match=str(limit)):
        fast_assistant.ask("x" * (limit + 1))
    check_contract(fast_assistant, fast_assistant.ask("tariff " + "x" * (limit - 7)))


@pytest.mark.parametrize("session_id", ["0" * 32, "never-issued", "../../etc/passwd", "x" * 200])
def test_unknown_session_is_rejected(fast_assistant: Assistant, session_id: str) -> None:
    with pytest.raises(UnknownSession):
        fast_assistant.chat("Who is Kurt Tong?", session_id)


# -- real model ---------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("question", QUESTIONS)
def test_contract_real(real_assistant: Assistant, question: str) -> None:
    check_contract(real_assistant, real_assistant.ask(question))


@pytest.mark.slow
def test_real_japan_tariff_rate(real_assistant: Assistant) -> None:
    answer = real_assistant.ask("What tariff rate does Japan face?")
    assert not answer.abstained
    assert "24%" in answer.answer and "90 days" in answer.answer
    assert any("24%" in c.quote and "90 days" in c.quote for c in answer.citations)
    check_contract(real_assistant, answer)


@pytest.mark.slow
@pytest.mark.parametrize(
    "question",
    [
        "How has China responded to the tariffs?",
        "How has China responded to the weak yen?",
        "What is the Bank of Japan's current policy interest rate?",
    ],
)
def test_real_abstains_off_corpus(real_assistant: Assistant, question: str) -> None:
    answer = real_assistant.ask(question)
    assert answer.abstained, answer.answer
    check_contract(real_assistant, answer)


@pytest.mark.slow
def test_real_abstains_on_an_unknown_institution_rate(real_assistant: Assistant) -> None:
    # "Bank of Japan": the corpus never names the bank in any wording.
    answer = real_assistant.ask("What is the Bank of Japan's policy rate?")
    assert answer.abstained, answer.answer


@pytest.mark.slow
@pytest.mark.parametrize(
    "question",
    [
        "What tariff does the US apply to Japanese steel?",  # a product the sources never name
        "What deal did the US and Japan agree at Wednesday's meeting?",  # a meeting still ahead
        "What did Meloni and Trump agree on EU tariffs at their Thursday meeting?",
        "On what calendar date does the 90-day pause run out?",  # a span, not a date
    ],
)
def test_real_abstains_on_near_misses(real_assistant: Assistant, question: str) -> None:
    answer = real_assistant.ask(question)
    assert answer.abstained, answer.answer


@pytest.mark.slow
def test_real_figure_question_quotes_every_current_figure(real_assistant: Assistant) -> None:
    # The 24% levy is paused and the 10% rate is in force: "applies" needs both.
    answer = real_assistant.ask("What tariff rate applies to Japan?")
    assert "24%" in answer.answer and "10%" in answer.answer, answer.answer
    check_contract(real_assistant, answer)


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="BUG (abstention): 'What is the yen exchange rate?' is answered with the universal "
    "rate sentence. 'rate' earns the number kind-fit bonus and covers part of the question; "
    "'yen' and 'exchange' are lower-case words the corpus lacks, which alone cannot tell a "
    "missing subject from a paraphrase (see docs/answer-quality.md)",
)
def test_real_abstains_on_off_corpus_exchange_rate(real_assistant: Assistant) -> None:
    answer = real_assistant.ask("What is the yen exchange rate?")
    assert answer.abstained, answer.answer


@pytest.mark.slow
def test_real_chat_follow_up_about_cars(real_assistant: Assistant) -> None:
    first, session = real_assistant.chat("What tariff rate does Japan face?")
    follow, _ = real_assistant.chat("What about cars?", session)
    check_contract(real_assistant, first)
    check_contract(real_assistant, follow)
    assert not follow.abstained
    assert "25%" in follow.answer
    assert follow.retrieval_query is not None
    assert follow.retrieval_query.startswith("What tariff rate does Japan face?")
