"""The sentence-vector sidecar (opt-in): filled at ingest, used at ask time, in step with the
manifest."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from assistant.assistant import Assistant
from assistant.config import Settings
from assistant.search.embeddings import HashingEmbeddings
from assistant.search.sentence_vectors import SentenceVectors, sentence_texts
from tests.conftest import SEED_DOC_ID, make_settings
from tests.reliability.corpus import edit_and_delete, generate

QUESTIONS = (
    "What tariff rate does Japan face?",
    "Who leads the Japanese negotiating team?",
    "When were the tariffs paused?",
    "What did the markets do?",
)


class CountingEmbeddings(HashingEmbeddings):
    """The hashing embedder, counting the texts it encodes as documents."""

    def __init__(self) -> None:
        super().__init__()
        self.documents = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.documents += len(texts)
        return super().embed_documents(texts)


class Crash(Exception):
    pass


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The sidecar is off by default (it doubles ingest's encoder work): these tests turn it on."""
    return make_settings(tmp_path, sentence_vectors=True)


@pytest.fixture
def counting() -> CountingEmbeddings:
    return CountingEmbeddings()


@pytest.fixture
def assistant(settings: Settings, counting: CountingEmbeddings) -> Iterator[Assistant]:
    a = Assistant(settings, counting)
    a.ingest()
    yield a
    a.close()


def sidecar(assistant: Assistant) -> SentenceVectors:
    assert assistant.sentence_vectors is not None
    return assistant.sentence_vectors


def committed_sentences(assistant: Assistant) -> set[str]:
    writer = assistant._ingestor.writer
    return {
        text
        for entry in assistant.manifest.entries()
        for chunk in writer.chunks(entry.document)
        for text in sentence_texts(chunk)
    }


def stored_chunk_ids(assistant: Assistant) -> set[str]:
    db = sidecar(assistant)._db
    return {r[0] for r in db.execute("SELECT DISTINCT chunk_id FROM chunk_sentences")}


def vector_count(assistant: Assistant) -> int:
    return int(sidecar(assistant)._db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])


def manifest_chunk_ids(assistant: Assistant) -> set[str]:
    return {cid for e in assistant.manifest.entries() for cid in e.chunk_ids}


def assert_in_step(assistant: Assistant) -> None:
    """Every committed chunk's sentences are stored, with the encoder's own vectors; no extras."""
    assert stored_chunk_ids(assistant) == manifest_chunk_ids(assistant)
    sentences = sorted(committed_sentences(assistant))
    found = sidecar(assistant).lookup(sentences)
    assert set(found) == set(sentences)
    assert vector_count(assistant) == len(sentences)
    expected = HashingEmbeddings().embed_documents(sentences)
    for text, vector in zip(sentences, expected, strict=True):
        assert found[text] == pytest.approx(vector, abs=1e-6)


def test_ingest_stores_the_vector_of_every_candidate_sentence(assistant: Assistant) -> None:
    assert_in_step(assistant)


def test_asking_encodes_no_sentence_the_ingest_stored(
    assistant: Assistant, counting: CountingEmbeddings
) -> None:
    counting.documents = 0
    for question in QUESTIONS:
        assistant.ask(question)
    assert counting.documents == 0


def test_answers_are_the_same_without_the_sidecar(tmp_path: Path, assistant: Assistant) -> None:
    plain = Assistant(make_settings(tmp_path / "off", sentence_vectors=False))
    try:
        plain.ingest()
        assert plain.sentence_vectors is None
        assert not plain.settings.sentence_vectors_path.exists()
        for question in QUESTIONS:
            assert assistant.ask(question) == plain.ask(question)
    finally:
        plain.close()


def test_removing_and_updating_documents_drops_their_rows(
    tmp_path: Path, counting: CountingEmbeddings
) -> None:
    corpus = tmp_path / "many"
    generate(corpus, 12)
    a = Assistant(make_settings(tmp_path, corpus_dir=corpus, sentence_vectors=True), counting)
    try:
        a.ingest()
        before = vector_count(a)
        a.remove_document(a.documents()[0].id)
        assert_in_step(a)
        assert vector_count(a) < before
        document = a.document(a.documents()[0].id)
        a.add_document(replace(document, text="A short replacement. It has two sentences."))
        assert_in_step(a)
        edit_and_delete(corpus, 11, edit=0.3, delete=0.2)
        a.ingest()
        assert_in_step(a)
    finally:
        a.close()


def test_a_crash_between_the_two_writes_is_filled_in_by_the_next_ingest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(tmp_path, sentence_vectors=True)
    first = Assistant(settings)

    def crash(*_: Any) -> None:
        raise Crash("killed")

    monkeypatch.setattr(first.manifest, "commit_puts", crash)
    with pytest.raises(Crash):
        first.ingest()  # sentence rows written, chunks never committed
    monkeypatch.undo()
    first.close()
    again = Assistant(settings)  # recovery replays the journal
    try:
        again.ingest()
        assert_in_step(again)
    finally:
        again.close()


def test_a_store_ingested_without_it_is_backfilled_by_ingest(tmp_path: Path) -> None:
    old = Assistant(make_settings(tmp_path, sentence_vectors=False))
    old.ingest()
    old.close()
    new = Assistant(make_settings(tmp_path, sentence_vectors=True))
    try:
        assert stored_chunk_ids(new) == set()
        report = new.ingest()
        assert report.chunks_written == 0  # nothing re-embedded for the store
        assert_in_step(new)
    finally:
        new.close()


def test_a_sidecar_failure_does_not_fail_the_ingest(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = Assistant(settings)
    try:
        monkeypatch.setattr(a._ingestor.writer, "index_sentences", lambda _: 1 / 0)
        a.ingest()
        assert a.manifest.get(SEED_DOC_ID) is not None
        assert stored_chunk_ids(a) == manifest_chunk_ids(a)  # the sync after ingest filled it
    finally:
        a.close()


def test_another_encoder_starts_the_sidecar_over(tmp_path: Path) -> None:
    path = tmp_path / "sentences.sqlite3"
    first = SentenceVectors(path, "hashing:512", HashingEmbeddings())
    first._db.execute("INSERT INTO vectors VALUES (?, ?)", (first.key("A sentence."), b"\0" * 4))
    first.close()
    same = SentenceVectors(path, "hashing:512", HashingEmbeddings())
    assert set(same.lookup(["A sentence."])) == {"A sentence."}
    same.close()
    other = SentenceVectors(path, "hashing:64", HashingEmbeddings(64))
    assert other.lookup(["A sentence."]) == {}
    other.close()


def test_a_blank_variable_is_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_SENTENCE_VECTORS", "")
    assert Settings(_env_file=None).sentence_vectors is None


@pytest.mark.parametrize(
    ("selector", "explicit", "expected"),
    [("off", None, False), ("packaged", None, True), ("packaged", False, False),
     ("off", True, True)],
)  # fmt: skip
def test_unset_follows_the_selector(
    tmp_path: Path, selector: str, explicit: bool | None, expected: bool
) -> None:
    """The selector adds ~50 ms per ask, so it brings the sidecar (~40 ms off) unless told
    otherwise; an explicit setting always wins."""
    settings = make_settings(tmp_path, answer_selector=selector, sentence_vectors=explicit)
    assert settings.effective_sentence_vectors is expected
    a = Assistant(settings, HashingEmbeddings())
    try:
        a.ingest()
        assert (a.sentence_vectors is not None) is expected
        assert settings.sentence_vectors_path.exists() is expected
    finally:
        a.close()
