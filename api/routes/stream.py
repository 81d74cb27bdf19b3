from __future__ import annotations

from collections.abc import Iterator

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse

from api.deps import AssistantDep, json_only
from api.problems import describe
from api.schemas import ChatRequest
from api.sse import event
from assistant.answering.request import Final, Token
from assistant.serialize import answer_to_dict

router = APIRouter(tags=["chat"], dependencies=[Depends(json_only)])


@router.post(
    "/chat/stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
def chat_stream(request: ChatRequest, assistant: AssistantDep) -> StreamingResponse:
    """Server-Sent Events: `token` events (`{"text": …}`) as the answer is written, then one
    `final` event with the verified answer, its citations and `session_id`. Show the final
    answer in place of the streamed text: verification may have removed unsupported claims."""
    session_id, events = assistant.chat_stream(
        request.message,
        request.session_id,
        as_of=request.as_of,
        filters=request.filters.to_filters() if request.filters else None,
    )

    def frames() -> Iterator[str]:
        try:
            for item in events:
                if isinstance(item, Token):
                    yield event("token", {"text": item.text})
                elif isinstance(item, Final):
                    yield event("final", {**answer_to_dict(item.answer), "session_id": session_id})
        except Exception as exc:  # headers are sent: report in-band, logged like any request
            status, title, detail = describe(exc, "/chat/stream")
            yield event("error", {"title": title, "status": status, "detail": detail})

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(frames(), media_type="text/event-stream", headers=headers)
