"""Briefing: cited answers and one-page briefings over a news corpus."""

from assistant.config import Settings, get_settings
from assistant.errors import BriefingError
from assistant.types import Answer, Briefing, Chunk, Citation, Document, Passage

__all__ = [
    "Answer",
    "Briefing",
    "BriefingError",
    "Chunk",
    "Citation",
    "Document",
    "Passage",
    "Settings",
    "get_settings",
]
