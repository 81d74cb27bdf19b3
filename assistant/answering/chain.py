"""The answer pipeline: rewrite → retrieve → compose.

Each step is a typed function so the chain reads like the data flow and any step can be swapped
(an LLM condense-question step, hybrid retrieval, an LLM composer) without touching the others.
Time runs through every step: the reference date ("as of") bounds what may be used, the period
a question names ranks sources, and the composer says when its sources date from.

Plain functions, not a LangChain runnable: importing `langchain_core.runnables` (it brings
LangSmith's tracing) was ~0.45 s of every cold `briefing ask`, for callbacks nothing here used.
LangChain stays the seam for providers (`Embeddings`, `BaseChatModel`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from assistant.answering.conversation import RetrievalQuery, rewrite_follow_up
from assistant.answering.request import Composer, ComposeRequest
from assistant.search.diversity import with_copies
from assistant.search.filters import RetrievalFilters
from assistant.search.retrieval import Retriever
from assistant.statements.injection import question_as_data
from assistant.time.temporal import TimeContext, published_by, time_context, time_prior
from assistant.types import Answer, Passage, Turn

OVERFETCH = 4  # time filters and priors re-rank a wider pool than top_k


@dataclass(frozen=True)
class AskInput:
    question: str
    history: tuple[Turn, ...] = ()
    as_of: date | None = None  # reference date; None: stated in the question, else today
    today: date | None = None  # the clock, injectable for tests and evals
    time_aware: bool = True  # False: the date-blind baseline the evals compare against
    filters: RetrievalFilters | None = None  # sources and publication dates to draw on


@dataclass(frozen=True)
class _Rewritten:
    request: AskInput
    query: RetrievalQuery
    time: TimeContext | None


def rank_passages(
    retriever: Retriever,
    query: str,
    time: TimeContext | None,
    k: int,
    filters: RetrievalFilters | None = None,
) -> tuple[list[Passage], dict[str, float]]:
    """Top-k passages; with `time`, later sources are dropped and the time prior re-ranks."""
    if time is None:
        return retriever.retrieve(query, k, filters), {}
    pool = published_by(retriever.retrieve(query, k * OVERFETCH, filters), time.as_of)
    prior = time_prior(pool, time)
    pool.sort(key=lambda p: -(p.score + prior.get(p.doc_id, 0.0)))
    return pool[:k], prior


def cite_copies(retriever: Retriever, answer: Answer) -> Answer:
    """Each citation names the other copies of its story (retrieval kept only one)."""
    return with_copies(answer, retriever.stories.current() if retriever.stories else None)


FollowUpRewrite = Callable[[str, list[Turn]], RetrievalQuery]


def build_preparer(
    retriever: Retriever, top_k: int, follow_up: FollowUpRewrite = rewrite_follow_up
) -> Callable[[AskInput], ComposeRequest]:
    """rewrite → retrieve: everything a composer needs, for invoking or streaming.

    `follow_up` turns a follow-up into a search query: offline by default, an LLM's
    condense-question step when one is configured.
    """

    def rewrite(request: AskInput) -> _Rewritten:
        time = None
        question = question_as_data(request.question)  # an instruction in it is not obeyed
        if request.time_aware:
            time = time_context(question, request.as_of, request.today or date.today())
            question = time.question
        return _Rewritten(request, follow_up(question, list(request.history)), time)

    def retrieve(step: _Rewritten) -> ComposeRequest:
        passages, prior = rank_passages(
            retriever, step.query.text, step.time, top_k, step.request.filters
        )
        question = step.time.question if step.time else question_as_data(step.request.question)
        return ComposeRequest(
            question, passages, query=step.query.text, focus=step.query.focus, time=step.time,
            prior=prior, history=step.request.history,
        )  # fmt: skip

    return lambda request: retrieve(rewrite(request))


def build_answer_chain(
    retriever: Retriever,
    composer: Composer,
    top_k: int,
    follow_up: FollowUpRewrite = rewrite_follow_up,
) -> Callable[[AskInput], Answer]:
    prepare = build_preparer(retriever, top_k, follow_up)

    def answer(request: AskInput) -> Answer:
        composed = cite_copies(retriever, composer.compose(prepare(request)))
        return replace(composed, question=request.question)

    return answer
