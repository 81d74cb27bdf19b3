"""Briefing: cited answers and one-page briefings over a news corpus.

The names below are the library's public face; every other module is internal and may move.
`Assistant` is imported on first use, so `import assistant` stays light (no model, no store).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant.config import Settings, get_settings
from assistant.errors import (
    BriefingError,
    ConfigError,
    DocumentError,
    FetchFailed,
    FetchRefused,
    IngestError,
    InvalidQuestion,
    NotFound,
    ProviderError,
    StoreError,
    UnknownSession,
)
from assistant.types import Answer, Briefing, Chunk, Citation, Document, Passage

if TYPE_CHECKING:
    from assistant.assistant import Assistant

__all__ = [
    "Answer",
    "Assistant",
    "Briefing",
    "BriefingError",
    "Chunk",
    "Citation",
    "ConfigError",
    "Document",
    "DocumentError",
    "FetchFailed",
    "FetchRefused",
    "IngestError",
    "InvalidQuestion",
    "NotFound",
    "Passage",
    "ProviderError",
    "Settings",
    "StoreError",
    "UnknownSession",
    "get_settings",
]


def __getattr__(name: str) -> Any:
    if name == "Assistant":
        from assistant.assistant import Assistant

        return Assistant
    raise AttributeError(f"module 'assistant' has no attribute {name!r}")


def __dir__() -> list[str]:
    # `Assistant` lives in __getattr__ until first use; dir() and completion should list it.
    return sorted({*globals(), *__all__})
