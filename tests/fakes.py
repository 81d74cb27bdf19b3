"""Fakes for tests: a chat model that answers from the prompt it is given."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field


class PromptedChatModel(BaseChatModel):
    """Replies `respond(last prompt)`; records every prompt it saw."""

    respond: Callable[[str], str]
    prompts: list[str] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "prompted-fake"

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None,
                  **kwargs: Any) -> ChatResult:  # fmt: skip
        prompt = str(messages[-1].content)
        self.prompts.append(prompt)
        return ChatResult(generations=[ChatGeneration(message=AIMessage(self.respond(prompt)))])


def passage_number(prompt: str, needle: str) -> int:
    """The number of the fenced passage in a Briefing prompt whose text contains `needle`."""
    for match in re.finditer(r"\[(\d+)\][^\n]*\n<<<\n(.*?)\n>>>", prompt, re.DOTALL):
        if needle in match.group(2):
            return int(match.group(1))
    return 0
