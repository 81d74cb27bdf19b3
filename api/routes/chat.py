from __future__ import annotations

from fastapi import APIRouter, Depends

from api.deps import AssistantDep, json_only
from api.schemas import ChatRequest, ChatResponse
from assistant.serialize import answer_to_dict

router = APIRouter(tags=["chat"], dependencies=[Depends(json_only)])


@router.post("/chat", response_model=ChatResponse, response_model_exclude_none=True)
def chat(request: ChatRequest, assistant: AssistantDep) -> ChatResponse:
    """Answer a question with citations; pass `session_id` back to ask follow-ups."""
    filters = request.filters.to_filters() if request.filters else None
    answer, session_id = assistant.chat(
        request.message, request.session_id, as_of=request.as_of, filters=filters
    )
    return ChatResponse(**answer_to_dict(answer), session_id=session_id)
