from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, PlainTextResponse

from api.deps import AssistantDep, json_only
from api.schemas import BriefingOut, BriefingRequest
from assistant.serialize import briefing_to_dict, briefing_to_html, briefing_to_markdown

router = APIRouter(tags=["briefing"], dependencies=[Depends(json_only)])


@router.post("/briefing", response_model=BriefingOut)
def make_briefing(assistant: AssistantDep, request: BriefingRequest | None = None) -> BriefingOut:
    """A one-page briefing of the corpus, or of `topic`; every bullet is cited and verified.

    The briefing is saved: fetch it again (JSON, Markdown, HTML) by `id`, or pass `since` to a
    later request to see what changed.
    """
    request = request or BriefingRequest()
    briefing = assistant.brief(request.topic, since=request.since)
    return BriefingOut(**briefing_to_dict(briefing))


# The suffixed routes come first so "/briefing/abc.md" is not read as id "abc.md".
@router.get("/briefing/{briefing_id}.md", response_class=PlainTextResponse)
def briefing_markdown(briefing_id: str, assistant: AssistantDep) -> PlainTextResponse:
    """A saved briefing as Markdown (citations as footnotes)."""
    text = briefing_to_markdown(assistant.saved_briefing(briefing_id))
    return PlainTextResponse(text, media_type="text/markdown; charset=utf-8")


@router.get("/briefing/{briefing_id}.html", response_class=HTMLResponse)
def briefing_html(briefing_id: str, assistant: AssistantDep) -> HTMLResponse:
    """A saved briefing as a standalone HTML page (no scripts, no external resources)."""
    return HTMLResponse(briefing_to_html(assistant.saved_briefing(briefing_id)))


@router.get("/briefing/{briefing_id}", response_model=BriefingOut)
def get_briefing(briefing_id: str, assistant: AssistantDep) -> BriefingOut:
    """A saved briefing as JSON."""
    return BriefingOut(**briefing_to_dict(assistant.saved_briefing(briefing_id)))
