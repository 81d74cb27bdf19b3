"""The façade the API, CLI and evals use: ingest(), ask(), chat(), brief(), documents()."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from langchain_core.embeddings import Embeddings

from assistant.answering.chain import (
    AskInput,
    build_answer_chain,
    build_preparer,
    cite_copies,
    rank_passages,
)
from assistant.answering.llm import make_chat_model
from assistant.answering.request import Final, StreamEvent
from assistant.answering.vocabulary import CorpusVocabulary
from assistant.answering.wiring import build_answering
from assistant.briefs.history import BriefingStore
from assistant.config import Settings
from assistant.corpus_writes import CorpusWrites
from assistant.database.opening import open_database
from assistant.errors import InvalidQuestion, NotFound
from assistant.index.ingest import Ingestor
from assistant.index.manifest import Manifest
from assistant.index.store import open_store
from assistant.intake.paging import answer_with_pages, briefing_with_pages
from assistant.language.words import visible
from assistant.search.committed import build_retriever
from assistant.search.embeddings import for_ingest, make_embeddings
from assistant.search.filters import RetrievalFilters
from assistant.search.retrieval import VectorCache
from assistant.search.sentence_vectors import open_sentence_vectors
from assistant.statements import CorpusStatements
from assistant.statements.injection import question_as_data
from assistant.time.temporal import time_context
from assistant.types import (
    Answer,
    Briefing,
    Document,
    DocumentInfo,
    Passage,
    Turn,
)

if TYPE_CHECKING:  # a chat model's import is ~0.5 s: only a configured LLM pays it
    from langchain_core.language_models import BaseChatModel

log = logging.getLogger(__name__)


class Assistant(CorpusWrites):
    """Owns the store, manifest, sessions and models for one data directory.

    Build one per process: the Chroma store is not process-safe, and model loads are slow.
    """

    def __init__(
        self,
        settings: Settings,
        embeddings: Embeddings | None = None,
        chat_model: BaseChatModel | None = None,
    ) -> None:
        from assistant.answering.conversation import SessionStore

        self.settings = settings
        self.embeddings = embeddings or make_embeddings(settings)
        self.sentence_vectors = open_sentence_vectors(settings, self.embeddings)
        self.vectors = VectorCache(self.embeddings, stored=self.sentence_vectors)
        self.manifest = Manifest(open_database(settings, "manifest"))
        ingest_embeddings = for_ingest(self.embeddings)
        self.store = open_store(settings, ingest_embeddings)
        self.sessions = SessionStore(open_database(settings, "sessions"))
        self.briefings = BriefingStore(open_database(settings, "briefings"))
        self.retriever = build_retriever(
            settings, self.store, self.manifest, self.vectors,
            known=lambda wording: self.vocabulary().has_wording(wording),
        )  # fmt: skip
        self.vocabulary = CorpusVocabulary(self.manifest, settings.data_dir / "vocabulary")
        answering = build_answering(
            settings, self.vectors, self.vocabulary, chat_model or make_chat_model(settings),
            CorpusStatements(self.manifest),  # only statements are quoted, never a heading
        )  # fmt: skip
        self.answerer, self.composer = answering.extractive, answering.composer
        follow_up = answering.follow_up
        self._prepare = build_preparer(self.retriever, settings.top_k, follow_up)
        self._chain = build_answer_chain(self.retriever, self.composer, settings.top_k, follow_up)
        self._ingestor = Ingestor(
            settings, self.manifest, self.store, ingest_embeddings, probe=self.embeddings,
            index_sentences=self.sentence_vectors.index if self.sentence_vectors else None,
        )  # fmt: skip
        self._claims = 0
        self._ingestor.recover_quick()  # finish what a crash left pending (if we may write)

    @property
    def generative(self) -> bool:
        """True when an LLM writes the answers (they stream token by token)."""
        return self.composer.inner is not self.answerer

    def close(self) -> None:
        while self._claims:
            self.release_writer()
        self._ingestor.lock.close()
        for closable in (self.manifest, self.sentence_vectors, self.sessions):
            if closable is not None:
                closable.close()
        self.briefings.close()

    def documents(self) -> list[DocumentInfo]:
        return self.manifest.infos()

    def document(self, doc_id: str) -> Document:
        entry = self.manifest.get(doc_id)
        if entry is None:
            raise NotFound(f"no document with id {doc_id!r}")
        return entry.document

    def _text_of(self, doc_id: str) -> str | None:
        """A cited document's text (citations into a PDF name their page from it)."""
        entry = self.manifest.get(doc_id)
        return entry.document.text if entry is not None else None

    # -- questions --------------------------------------------------------------------------
    def _check(self, question: str) -> str:
        question = question.strip()
        if not visible(question):
            raise InvalidQuestion("the question is empty")
        try:
            question.encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidQuestion(
                "the question is not valid text (a byte that is not UTF-8, or a lone surrogate "
                "such as \\ud800)"
            ) from None
        if len(question) > self.settings.max_question_chars:
            raise InvalidQuestion(
                f"the question is {len(question)} characters; the limit is "
                f"{self.settings.max_question_chars}"
            )
        return question

    def ask(
        self,
        question: str,
        history: Sequence[Turn] = (),
        *,
        as_of: date | None = None,
        today: date | None = None,
        time_aware: bool = True,
        filters: RetrievalFilters | None = None,
    ) -> Answer:
        """Answer from sources published on or before `as_of` (default: a date stated in the
        question, else today) that pass `filters`."""
        request = AskInput(self._check(question), tuple(history), as_of, today, time_aware, filters)
        with self.manifest.pinned():
            return answer_with_pages(self._chain(request), self._text_of)

    def ask_stream(
        self,
        question: str,
        history: Sequence[Turn] = (),
        *,
        as_of: date | None = None,
        filters: RetrievalFilters | None = None,
    ) -> Iterator[StreamEvent]:
        """Like `ask`, as events: answer tokens as they are written, then the final Answer."""
        request = AskInput(self._check(question), tuple(history), as_of, filters=filters)
        with self.manifest.pinned():  # one step of the generator: one thread
            prepared = self._prepare(request)
        for event in self.composer.stream(prepared):
            if isinstance(event, Final):
                answer = answer_with_pages(cite_copies(self.retriever, event.answer), self._text_of)
                event = Final(replace(answer, question=request.question))
            yield event

    def search(
        self,
        question: str,
        *,
        k: int = 10,
        as_of: date | None = None,
        today: date | None = None,
        time_aware: bool = True,
        filters: RetrievalFilters | None = None,
    ) -> list[Passage]:
        """The passages an answer would draw on, best first (retrieval evals use this)."""
        question = question_as_data(self._check(question))
        time = time_context(question, as_of, today or date.today()) if time_aware else None
        query = time.question if time else question
        with self.manifest.pinned():
            return rank_passages(self.retriever, query, time, k, filters)[0]

    def chat(
        self,
        message: str,
        session_id: str | None = None,
        *,
        as_of: date | None = None,
        filters: RetrievalFilters | None = None,
    ) -> tuple[Answer, str]:
        """Answer within a session (created when `session_id` is None) and record the turn."""
        message = self._check(message)
        if session_id is None:
            session_id = self.sessions.create()
        history = self.sessions.history(session_id)
        answer = self.ask(message, history, as_of=as_of, filters=filters)
        self._remember(session_id, message, answer)
        return answer, session_id

    def chat_stream(
        self,
        message: str,
        session_id: str | None = None,
        *,
        as_of: date | None = None,
        filters: RetrievalFilters | None = None,
    ) -> tuple[str, Iterator[StreamEvent]]:
        """(session id, events); the turn is recorded when the final answer is produced.

        Validation and the session lookup happen before any event, so errors surface as
        ordinary exceptions (→ 4xx), not mid-stream.
        """
        message = self._check(message)
        session = session_id or self.sessions.create()
        history = self.sessions.history(session)

        def events() -> Iterator[StreamEvent]:
            for event in self.ask_stream(message, history, as_of=as_of, filters=filters):
                if isinstance(event, Final):
                    self._remember(session, message, event.answer)
                yield event

        return session, events()

    def _remember(self, session_id: str, message: str, answer: Answer) -> None:
        self.sessions.append(
            session_id, Turn(message, answer.answer, answer.retrieval_query or message)
        )

    def brief(self, topic: str | None = None, since: str | None = None) -> Briefing:
        """Build and save a briefing; `since` (an id or "last") adds what changed since then."""
        from assistant.briefs.assemble import BriefingInputs, build_briefing
        from assistant.briefs.history import with_changes

        if topic is not None:
            topic = self._check(topic)
        previous = None
        if since is not None:
            previous = (
                self.briefings.latest(topic) if since == "last" else self.briefings.get(since)
            )
        with self.manifest.pinned():
            inputs = BriefingInputs(
                self.retriever,
                self.answerer,
                self.manifest,
                self.vectors,
                self.settings.top_k,
                writer=self.composer if self.generative else None,
            )
            briefing = briefing_with_pages(build_briefing(inputs, topic), self._text_of)
        if previous is not None:
            briefing = with_changes(briefing, previous)
        self.briefings.save(briefing)
        return briefing

    def saved_briefing(self, briefing_id: str) -> Briefing:
        return self.briefings.get(briefing_id)
