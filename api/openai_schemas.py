"""The subset of the OpenAI chat-completions wire format Briefing speaks."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")

    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool"]
    content: str | list[ContentPart] | None = None

    def text(self) -> str:
        if isinstance(self.content, str):
            return self.content
        return " ".join(p.text or "" for p in self.content or [] if p.type == "text")


class CompletionRequest(BaseModel):
    # clients send many optional knobs (temperature, top_p, …); they do not apply here
    model_config = ConfigDict(extra="allow")

    model: str = "briefing"
    messages: list[ChatMessage] = Field(..., min_length=1)
    stream: bool = False


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str = "briefing"


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


class Completion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[dict[str, Any]]
    usage: dict[str, int]
    citations: list[dict[str, Any]] = Field(
        ..., description="The answer's citations (quote, offsets), also footnotes in the content."
    )
    briefing: dict[str, Any] = Field(..., description="The full Briefing answer contract.")
