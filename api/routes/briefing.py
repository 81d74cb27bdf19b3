from __future__ import annotations

from fastapi import APIRouter

from api.deps import AssistantDep
from api.schemas import BriefingOut, BriefingRequest
from assistant.serialize import briefing_to_dict

router = APIRouter(tags=["briefing"])


@router.post("/briefing", response_model=BriefingOut)
def make_briefing(assistant: AssistantDep, request: BriefingRequest | None = None) -> BriefingOut:
    """A one-page briefing of the corpus, or of `topic`; every bullet is cited."""
    briefing = assistant.brief(request.topic if request else None)
    return BriefingOut(**briefing_to_dict(briefing))
