"""OpenAI-compatible endpoints, so any OpenAI client or chat UI can use Briefing as a model.

Only verified text is ever sent: a streamed completion streams the final, verified answer (an
OpenAI client cannot take back text it has already shown), with citations as footnotes.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterator

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse

from api.deps import AssistantDep, json_only
from api.openai_schemas import Completion, CompletionRequest, ModelCard, ModelList
from api.sse import event
from assistant.errors import InvalidQuestion
from assistant.serialize import answer_to_dict, citation_to_dict
from assistant.types import Answer, Turn

router = APIRouter(prefix="/v1", tags=["openai-compatible"], dependencies=[Depends(json_only)])
MODEL_ID = "briefing"
_STARTED = int(time.time())


def footnoted(answer: Answer) -> str:
    if not answer.citations:
        return answer.answer
    notes = [
        f"[{c.marker}] {c.title} ({c.doc_id}, chars {c.start}–{c.end}): “{c.quote}”"
        for c in answer.citations
    ]
    return answer.answer + "\n\nSources:\n" + "\n".join(notes)


def _question_and_history(request: CompletionRequest) -> tuple[str, list[Turn]]:
    turns: list[Turn] = []
    pending: str | None = None
    question = None
    for message in request.messages:
        if message.role == "user":
            pending = question = message.text()
        elif message.role == "assistant" and pending is not None:
            turns.append(Turn(pending, message.text(), pending))
            pending = None
    if not question or request.messages[-1].role != "user":
        raise InvalidQuestion("the last message must be a user message with the question")
    return question, turns


@router.get("/models", response_model=ModelList)
def models() -> ModelList:
    return ModelList(data=[ModelCard(id=MODEL_ID, created=_STARTED)])


@router.post("/chat/completions", response_model=Completion)
def completions(
    request: CompletionRequest, assistant: AssistantDep
) -> Completion | StreamingResponse:
    """Answer the last user message (earlier turns are conversation history)."""
    question, history = _question_and_history(request)
    answer = assistant.ask(question, history)
    completion_id = f"chatcmpl-{uuid.uuid4().hex}"
    created = int(time.time())
    content = footnoted(answer)
    citations = [citation_to_dict(c) for c in answer.citations]
    if not request.stream:
        return Completion(
            id=completion_id, created=created, model=MODEL_ID,
            choices=[{"index": 0, "message": {"role": "assistant", "content": content},
                      "finish_reason": "stop"}],
            usage={"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
            citations=citations, briefing=answer_to_dict(answer),
        )  # fmt: skip

    def chunk(delta: dict[str, str], finish: str | None = None, **extra: object) -> str:
        body = {"id": completion_id, "object": "chat.completion.chunk", "created": created,
                "model": MODEL_ID, "choices": [{"index": 0, "delta": delta,
                                                "finish_reason": finish}], **extra}  # fmt: skip
        return event(None, body)

    def frames() -> Iterator[str]:
        yield chunk({"role": "assistant", "content": ""})
        for piece in re.findall(r"\S+\s*|\s+", content):
            yield chunk({"content": piece})
        yield chunk({}, "stop", citations=citations, briefing=answer_to_dict(answer))
        yield event(None, "[DONE]")

    return StreamingResponse(frames(), media_type="text/event-stream")
