"""Follow-ups with an LLM configured: the usual condense-question step before retrieval.

"And on cars?" becomes "What tariff does the US apply to Japanese cars?" — a standalone
question to search with. The model's output is only ever a *search query* (never shown, never
cited), it is cut to one short line, and any failure or slow reply falls back to the offline
rewrite, within the LLM deadline.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from assistant.answering.conversation import RetrievalQuery, rewrite_follow_up
from assistant.types import Turn

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 300
HISTORY_TURNS = 3
_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="condense")
_SYSTEM = (
    "You rewrite a follow-up message from a conversation about news sources into one standalone "
    "search question. Keep every name, number and term it needs from the conversation. Do not "
    "answer it. Reply with the question only, on one line."
)


def _prompt(message: str, history: Sequence[Turn]) -> str:
    lines = [f"User: {t.question}\nAssistant: {t.answer[:400]}" for t in history[-HISTORY_TURNS:]]
    return "Conversation:\n" + "\n".join(lines) + f"\n\nFollow-up: {message}\nStandalone question:"


def _clean(reply: object) -> str:
    text = reply if isinstance(reply, str) else ""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line.strip("\"'“”` ")[:MAX_QUERY_CHARS]


class Condenser:
    """`(message, history) → RetrievalQuery`, the drop-in for `rewrite_follow_up`."""

    def __init__(self, model: BaseChatModel, timeout: float) -> None:
        self._model = model
        self._timeout = timeout

    def __call__(self, message: str, history: list[Turn]) -> RetrievalQuery:
        offline = rewrite_follow_up(message, history)
        if not history:
            return offline
        messages = [SystemMessage(_SYSTEM), HumanMessage(_prompt(message, history))]
        future = _POOL.submit(self._model.invoke, messages)
        try:
            standalone = _clean(future.result(timeout=self._timeout).content)
        except FutureTimeout:
            log.warning("condense-question step timed out; using the offline rewrite")
            return offline
        except Exception as exc:  # a backend failure never fails the question
            log.warning("condense-question step failed (%s); using the offline rewrite",
                        type(exc).__name__)  # fmt: skip
            return offline
        if not standalone:
            return offline
        return RetrievalQuery(standalone, offline.focus)
