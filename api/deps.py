"""Dependency aliases: handlers declare what they need; tests override `get_assistant`."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

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


def json_only(request: Request) -> None:
    """JSON endpoints answer 415 to a body of another type (the README's contract), before
    FastAPI would report the unparsed body as a 422 about its fields."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return
    sized = request.headers.get("content-length", "0") != "0"
    if not sized and "transfer-encoding" not in request.headers:
        return  # no body: the missing fields are the problem
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json" and not kind.endswith("+json"):
        raise HTTPException(415, "Send the request as JSON (content-type: application/json).")
