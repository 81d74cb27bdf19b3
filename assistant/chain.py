"""The answer pipeline as a LangChain runnable: rewrite → retrieve → compose.

Each step is a typed function so the chain reads like the data flow and any step can be swapped
(an LLM condense-question step, hybrid retrieval, an LLM answerer) without touching the others.
"""

from __future__ import annotations

from dataclasses import dataclass

from langchain_core.runnables import Runnable, RunnableLambda

from assistant.answering.extractive import ExtractiveAnswerer
from assistant.conversation import RetrievalQuery, rewrite_follow_up
from assistant.retrieval import Retriever
from assistant.types import Answer, Passage, Turn


@dataclass(frozen=True)
class AskInput:
    question: str
    history: tuple[Turn, ...] = ()


@dataclass(frozen=True)
class _Retrieved:
    request: AskInput
    query: RetrievalQuery
    passages: list[Passage]


def build_answer_chain(
    retriever: Retriever, answerer: ExtractiveAnswerer, top_k: int
) -> Runnable[AskInput, Answer]:
    def rewrite(request: AskInput) -> tuple[AskInput, RetrievalQuery]:
        return request, rewrite_follow_up(request.question, list(request.history))

    def retrieve(step: tuple[AskInput, RetrievalQuery]) -> _Retrieved:
        request, query = step
        return _Retrieved(request, query, retriever.retrieve(query.text, top_k))

    def compose(step: _Retrieved) -> Answer:
        return answerer.answer(
            step.request.question, step.passages, query=step.query.text, focus=step.query.focus
        )

    return (
        RunnableLambda(rewrite, name="rewrite")
        | RunnableLambda(retrieve, name="retrieve")
        | RunnableLambda(compose, name="compose")
    )
