from __future__ import annotations

from fastapi import APIRouter

from api.deps import AssistantDep
from api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
def health(assistant: AssistantDep) -> Health:
    docs = assistant.documents()
    return Health(status="ok", documents=len(docs), chunks=sum(d.chunk_count for d in docs))
