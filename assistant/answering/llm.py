"""The one place that picks a chat model (LangChain `BaseChatModel` is the interface).

`extractive` needs no model at all; the others are reached over HTTP, so a missing or broken
server degrades answers to extractive ones instead of failing requests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.config import Settings
from assistant.errors import ConfigError

if TYPE_CHECKING:  # ~0.5 s to import: only the LLM backends below need it at run time
    from langchain_core.language_models import BaseChatModel

DEFAULT_MODELS = {"openai": "gpt-4o-mini", "ollama": "llama3.2"}


def make_chat_model(settings: Settings) -> BaseChatModel | None:
    """The configured chat model, or None for the offline extractive answerer."""
    match settings.llm:
        case "extractive":
            return None
        case "openai":
            return _openai(settings)
        case "ollama":
            return _ollama(settings)
    raise ConfigError(f"unknown llm backend {settings.llm!r}")  # pragma: no cover


def _openai(settings: Settings) -> BaseChatModel:
    from langchain_openai import ChatOpenAI

    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    if key is None and settings.llm_base_url is None:
        raise ConfigError(
            "BRIEFING_LLM=openai needs BRIEFING_LLM_API_KEY (for api.openai.com) or "
            "BRIEFING_LLM_BASE_URL (a local OpenAI-compatible server)"
        )
    return ChatOpenAI(
        model=settings.llm_model or DEFAULT_MODELS["openai"],
        base_url=settings.llm_base_url,
        # local servers ignore the key, but the client insists on having one
        api_key=key or "not-needed",
        timeout=settings.llm_timeout,
        max_retries=settings.llm_max_retries,
        max_tokens=settings.llm_max_tokens,
        temperature=0,
    )


def _ollama(settings: Settings) -> BaseChatModel:
    from langchain_ollama import ChatOllama

    return ChatOllama(
        model=settings.llm_model or DEFAULT_MODELS["ollama"],
        base_url=settings.llm_base_url,
        num_predict=settings.llm_max_tokens,
        temperature=0,
        client_kwargs={"timeout": settings.llm_timeout},
    )
