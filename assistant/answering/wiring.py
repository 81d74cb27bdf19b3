"""The one place that picks the answering parts the settings describe.

Offline: the extractive answerer and the offline follow-up rewrite. With an LLM: the
generative answerer (extractive as its fallback) and the condense-question step. Either way,
every answer passes the claim-by-claim verifier before anyone sees it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.answering.chain import FollowUpRewrite
from assistant.answering.conversation import rewrite_follow_up
from assistant.answering.extractive import ExtractiveAnswerer
from assistant.answering.request import Composer
from assistant.answering.selector import load_selector
from assistant.answering.verified import VerifiedComposer
from assistant.answering.vocabulary import Vocabulary
from assistant.config import Settings
from assistant.language.lexicon import load_lexicon
from assistant.search.retrieval import VectorCache
from assistant.statements import StatementFilter

if TYPE_CHECKING:  # LangChain's chat and message modules: ~0.5 s of a cold start without an LLM
    from langchain_core.language_models import BaseChatModel


@dataclass(frozen=True)
class Answering:
    extractive: ExtractiveAnswerer
    composer: VerifiedComposer
    follow_up: FollowUpRewrite


def build_answering(
    settings: Settings,
    vectors: VectorCache,
    vocabulary: Callable[[], Vocabulary],
    model: BaseChatModel | None,
    statements: StatementFilter | None = None,
) -> Answering:
    """`statements`: which sentences may be quoted (default: judged by shape alone)."""
    folder = settings.answer_selector_path
    selector = load_selector(folder) if folder is not None else None
    extractive = ExtractiveAnswerer(
        vectors, vocabulary, threshold=settings.effective_abstain_threshold,
        max_sentences=settings.max_answer_sentences,
        lexicon=load_lexicon(settings.synonyms_file), selector=selector,
        candidates=settings.selector_candidates, statements=statements,
    )  # fmt: skip
    inner: Composer = extractive
    follow_up: FollowUpRewrite = rewrite_follow_up
    if model is not None:
        from assistant.answering.condense import Condenser
        from assistant.answering.generative import GenerativeAnswerer

        inner = GenerativeAnswerer(
            model, extractive, settings.llm_timeout, strict=settings.strict_citations
        )
        follow_up = Condenser(model, settings.llm_timeout)
    composer = VerifiedComposer(
        inner, vectors.documents, min_score=settings.effective_claim_support,
        strict=settings.strict_citations, fallback=extractive if model else None,
    )  # fmt: skip
    return Answering(extractive, composer, follow_up)
