"""With an LLM configured, a follow-up is condensed into a standalone search question."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from assistant.answering.condense import MAX_QUERY_CHARS, Condenser
from assistant.assistant import Assistant
from assistant.config import Settings
from assistant.types import Turn
from tests.fakes import PromptedChatModel

HISTORY = [Turn("What tariff does Japan face?", "Japan faces 24% levies. [1]", "tariff Japan")]


def _condenser(reply: str | Exception, delay: float = 0.0) -> tuple[Condenser, PromptedChatModel]:
    def respond(prompt: str) -> str:
        time.sleep(delay)
        if isinstance(reply, Exception):
            raise reply
        return reply

    model = PromptedChatModel(respond=respond)
    return Condenser(model, timeout=0.5), model


def test_follow_up_becomes_the_models_standalone_question() -> None:
    condense, model = _condenser('"What tariff applies to Japanese cars?"\nextra line')
    query = condense("And on cars?", HISTORY)
    assert query.text == "What tariff applies to Japanese cars?"
    assert query.focus == ["car"]  # the answer must still be about what the user asked
    assert "What tariff does Japan face?" in model.prompts[0]  # the history was shown


def test_first_question_needs_no_model() -> None:
    condense, model = _condenser("unused")
    assert condense("What tariff does Japan face?", []).text == "What tariff does Japan face?"
    assert model.prompts == []


@pytest.mark.parametrize("reply", ["", "   \n", RuntimeError("backend down")])
def test_failures_fall_back_to_the_offline_rewrite(reply: str | Exception) -> None:
    condense, _ = _condenser(reply)
    assert condense("And on cars?", HISTORY).text == "tariff Japan on cars?"


def test_a_slow_model_falls_back_within_the_deadline() -> None:
    condense, _ = _condenser("What tariff applies to cars?", delay=3.0)
    assert condense("And on cars?", HISTORY).text == "tariff Japan on cars?"


def test_an_overlong_reply_is_cut() -> None:
    condense, _ = _condenser("x" * 5000)
    assert len(condense("And on cars?", HISTORY).text) == MAX_QUERY_CHARS


@pytest.fixture
def ingested(fast_assistant: Assistant) -> Iterator[Settings]:
    yield fast_assistant.settings


def test_chat_follow_up_searches_with_the_condensed_question(ingested: Settings) -> None:
    def respond(prompt: str) -> str:
        if "Standalone question:" in prompt:
            return "What duty applies to Japanese cars exported to the US?"
        return "NOT IN SOURCES"

    assistant = Assistant(ingested, chat_model=PromptedChatModel(respond=respond))
    _, session = assistant.chat("What tariff does Japan face?")
    follow, _ = assistant.chat("And on cars?", session)
    assert follow.retrieval_query == "What duty applies to Japanese cars exported to the US?"
    assistant.close()
