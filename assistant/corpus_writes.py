"""The façade's write side: ingest, add, upload and remove documents, recover, reindex, and the
writer lock. A mixin of `Assistant`, which builds the parts it uses."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from assistant.answering.vocabulary import CorpusVocabulary
from assistant.config import Settings
from assistant.database.locking import WriterLock
from assistant.errors import NotFound
from assistant.index.ingest import Ingestor, ProgressFn
from assistant.index.manifest import Manifest
from assistant.index.recovery import RecoveryReport
from assistant.index.store import ChunkStore
from assistant.index.uploaded import Uploaded, accept
from assistant.intake.uploads import Upload, remove_stored
from assistant.search.committed import CommittedRetriever
from assistant.search.sentence_vectors import SentenceVectors, retire
from assistant.types import Document, DocumentChange, IngestReport


class CorpusWrites:
    settings: Settings
    manifest: Manifest
    store: ChunkStore
    retriever: CommittedRetriever
    vocabulary: CorpusVocabulary
    sentence_vectors: SentenceVectors | None
    _ingestor: Ingestor
    _claims: int

    def ingest(
        self, paths: Sequence[Path] | None = None, progress: ProgressFn | None = None
    ) -> IngestReport:
        done = self._ingestor.ingest_paths(list(paths or [self.settings.corpus_dir]), progress)
        self.sync_sentence_vectors()
        self.retriever.refresh()  # derived indexes are part of ingest: a first question never
        self.vocabulary.save()  # waits for them, in this process or the next
        return done

    def add_document(self, document: Document) -> DocumentChange:
        """Add or update one document (crash-safe, like ingest)."""
        before = self.manifest.get(document.id)
        try:
            change = self._ingestor.put(document)
        finally:
            retire(self.sentence_vectors, before, self.manifest.get(document.id))
        self.retriever.refresh()
        return change

    def upload(
        self, upload: Upload, *, literal: bool = False,
        same_file: Callable[[str], bool] = lambda doc_id: False,
    ) -> Uploaded:  # fmt: skip
        """Add or update a document a client sent (content sniffed, stored under the data dir).
        A derived id replaces only what `same_file` says came from this file (`accept`)."""
        return accept(upload, literal=literal, data_dir=self.settings.data_dir,
                      current=self.manifest.get, put=self.add_document,
                      same_file=same_file)  # fmt: skip

    def remove_document(self, doc_id: str) -> DocumentChange:
        """Remove one document and its chunks; NotFound when there is no such document."""
        entry = self.manifest.get(doc_id)
        try:
            change = self._ingestor.remove(doc_id)
        finally:
            retire(self.sentence_vectors, entry, self.manifest.get(doc_id))
        if change is None or entry is None:
            raise NotFound(f"no document with id {doc_id!r}")
        remove_stored(entry.document, self.settings.data_dir)
        self.retriever.refresh()
        return change

    def recover(self, *, deep: bool = False) -> RecoveryReport | None:
        """Replay interrupted writes and reconcile store ↔ manifest (`deep`: query every chunk).
        None when another process owns the store."""
        report = self._ingestor.recover(deep=deep)
        if report is not None:
            self.sync_sentence_vectors()
        return report

    def sync_sentence_vectors(self) -> None:
        """Sentence vectors for every committed chunk, none for others (`sentence_vectors`)."""
        if self.sentence_vectors is not None:
            self.sentence_vectors.sync(self.manifest.entries(), self._ingestor.writer.chunks)

    def reindex(self) -> tuple[int, RecoveryReport | None]:
        """Rebuild the vector index with today's settings from the stored vectors, then check
        every chunk by query: (chunks, recovery report). Needs the writer lock."""
        with self._ingestor.lock.hold("briefing reindex"):
            chunks = self.store.rebuild_index()
            return chunks, self.recover(deep=True)

    @property
    def writer_lock(self) -> WriterLock:
        return self._ingestor.lock

    def claim_writer(self, role: str, detail: str | None = None) -> None:
        """Own the store for writing until `release_writer` or `close` (a server does this);
        `locking.WriterBusy` when another process owns it."""
        self._ingestor.lock.claim(role, detail)
        self._claims += 1

    def release_writer(self) -> None:
        if self._claims:
            self._claims -= 1
            self._ingestor.lock.release()
