"""What every answer composer receives, and the events a streaming composer emits."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from assistant.time.temporal import TimeContext
from assistant.types import Answer, Passage, Turn


@dataclass(frozen=True)
class ComposeRequest:
    question: str  # as the composer should read it (a stated date already taken out)
    passages: list[Passage]
    query: str | None = None  # the retrieval query when a follow-up was rewritten
    focus: list[str] = field(default_factory=list)
    time: TimeContext | None = None
    prior: Mapping[str, float] | None = None
    history: tuple[Turn, ...] = ()


@dataclass(frozen=True)
class Token:
    text: str


@dataclass(frozen=True)
class Final:
    answer: Answer


StreamEvent = Token | Final


def replay(answer: Answer) -> Iterator[StreamEvent]:
    """Stream an already-finished answer word by word (the offline composer is instant)."""
    for piece in re.findall(r"\S+\s*", answer.answer):
        yield Token(piece)
    yield Final(answer)


class Composer(Protocol):
    """An answer composer: the extractive one, or an LLM held to the same contract."""

    threshold: float

    def compose(self, request: ComposeRequest) -> Answer: ...

    def stream(self, request: ComposeRequest) -> Iterator[StreamEvent]: ...
