"""Dependency aliases: handlers declare what they need; tests override `get_assistant`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from assistant.assistant import Assistant
from assistant.sources.adding import Intake
from assistant.sources.feeds import FeedStore


def get_assistant(request: Request) -> Assistant:
    assistant: Assistant = request.app.state.assistant
    return assistant


AssistantDep = Annotated[Assistant, Depends(get_assistant)]


def get_intake(request: Request) -> Intake:
    intake: Intake = request.app.state.intake
    return intake


IntakeDep = Annotated[Intake, Depends(get_intake)]


def get_feeds(request: Request) -> FeedStore:
    feeds: FeedStore = request.app.state.feeds
    return feeds


FeedsDep = Annotated[FeedStore, Depends(get_feeds)]
