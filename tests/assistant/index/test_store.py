"""The chunk store contract, run against every deployment: embedded Chroma (PersistentClient in
tmp_path) and a real Chroma server (`chroma run` on 127.0.0.1, started once per session).

Also what the server store enables: several API workers (`briefing serve --workers N`), and the
refusal to run several on the embedded store.
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from assistant.assistant import Assistant
from assistant.cli.serving import check_workers
from assistant.config import Settings
from assistant.errors import ConfigError, StoreError
from assistant.index import store_index
from assistant.index.store import ChunkStore, ServerAddress, open_store
from assistant.intake.uploads import Upload
from assistant.search.embeddings import HashingEmbeddings
from assistant.types import Chunk
from tests.conftest import SEED_DOC_ID, make_settings
from tests.hosts import VENV_BIN, free_port, stop, wait_for

EMBEDDINGS = HashingEmbeddings()


@dataclass
class Deployment:
    """One way to run the store: how to open it, and the settings that select it."""

    name: str
    settings: dict[str, object]
    opened: list[ChunkStore] = field(default_factory=list)

    def open(self) -> ChunkStore:
        """Open the store (again: another client on the same data)."""
        self.opened.append(open_store(self._settings(), EMBEDDINGS))
        return self.opened[-1]

    def _settings(self) -> Settings:
        return Settings(_env_file=None, **self.settings)  # type: ignore[arg-type]


@pytest.fixture(params=["embedded", pytest.param("server", marks=pytest.mark.integration)])
def deployment(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Deployment]:
    """A folder in tmp_path, or a fresh collection on the session's Chroma server."""
    if request.param == "embedded":
        yield Deployment("embedded", {"data_dir": tmp_path / "data"})
        return
    url = request.getfixturevalue("chroma_server")
    collection = f"test_{uuid.uuid4().hex[:12]}"
    settings = {"data_dir": tmp_path / "data", "chroma_url": url, "chroma_collection": collection}
    yield Deployment("server", settings)
    ChunkStore.server(url, EMBEDDINGS, collection=collection).drop()


@pytest.fixture
def store(deployment: Deployment) -> ChunkStore:
    return deployment.open()


def chunks(doc_id: str, *texts: str) -> list[Chunk]:
    out, start = [], 0
    for index, text in enumerate(texts):
        out.append(Chunk(f"{doc_id}:{index}", doc_id, index, text, start, start + len(text)))
        start += len(text) + 1
    return out


NEWS = chunks(
    "news",
    "Japan faces a 24% tariff on its exports to the United States.",
    "The central bank held interest rates at 0.5 percent.",
    "Car makers warned of lower profits because of the 25% duty on cars.",
    "The Nikkei index fell sharply after the announcement.",
)


class TestChunkStoreContract:
    """What ingest and retrieval rely on, for every deployment."""

    def test_a_new_store_is_empty(self, store: ChunkStore) -> None:
        assert store.count() == 0
        assert store.existing_ids(["nope"]) == set()
        assert store.search(EMBEDDINGS.embed_query("tariff"), 5) == []

    def test_added_chunks_are_counted_and_found_by_id(self, store: ChunkStore) -> None:
        store.add(NEWS)
        assert store.count() == len(NEWS)
        assert store.existing_ids([c.id for c in NEWS] + ["missing"]) == {c.id for c in NEWS}

    def test_search_returns_the_nearest_chunk_first_with_its_fields(
        self, store: ChunkStore
    ) -> None:
        store.add(NEWS)
        hits = store.search(EMBEDDINGS.embed_query(NEWS[1].text), 3)
        assert len(hits) == 3
        best = hits[0]
        assert (best.chunk_id, best.doc_id, best.text) == (NEWS[1].id, "news", NEWS[1].text)
        assert (best.start, best.end) == (NEWS[1].start, NEWS[1].end)
        assert best.score == pytest.approx(1.0, abs=1e-4)  # cosine similarity to itself
        scores = [h.score for h in hits]
        assert scores == sorted(scores, reverse=True)

    def test_asking_for_more_hits_than_chunks_returns_them_all(self, store: ChunkStore) -> None:
        store.add(NEWS[:2])
        assert len(store.search(EMBEDDINGS.embed_query("bank"), 10)) == 2

    def test_adding_an_existing_id_replaces_it(self, store: ChunkStore) -> None:
        store.add(NEWS)
        edited = Chunk(NEWS[0].id, "news", 0, "Japan faces a 30% tariff now.", 0, 29)
        store.add([edited])
        assert store.count() == len(NEWS)
        hit = store.search(EMBEDDINGS.embed_query(edited.text), 1)[0]
        assert (hit.chunk_id, hit.text, hit.end) == (edited.id, edited.text, 29)

    def test_delete_removes_only_the_given_ids(self, store: ChunkStore) -> None:
        store.add(NEWS)
        store.delete([NEWS[0].id, NEWS[2].id, "never-added"])
        store.delete([])
        assert store.existing_ids([c.id for c in NEWS]) == {NEWS[1].id, NEWS[3].id}
        assert all(h.chunk_id != NEWS[0].id for h in store.search(
            EMBEDDINGS.embed_query(NEWS[0].text), 4))  # fmt: skip

    def test_writes_and_reads_are_split_into_max_size_batches(self, store: ChunkStore) -> None:
        store.max_batch = 3  # the real limit is thousands; the splitting is what is tested
        many = chunks("many", *(f"Article sentence number {i} about trade." for i in range(10)))
        store.add(many)
        assert store.count() == 10
        assert store.existing_ids([c.id for c in many]) == {c.id for c in many}
        store.delete([c.id for c in many[:7]])
        assert store.count() == 3

    def test_vectors_computed_elsewhere_can_be_written(self, store: ChunkStore) -> None:
        vectors = EMBEDDINGS.embed_documents([c.text for c in NEWS])
        store.add_vectors(NEWS, vectors)
        assert store.search(vectors[3], 1)[0].chunk_id == NEWS[3].id
        with pytest.raises(ValueError, match="4 chunks but 3 vectors"):
            store.add_vectors(NEWS, vectors[:3])

    def test_ids_lists_every_chunk_page_by_page(self, store: ChunkStore) -> None:
        assert store.ids() == set()
        many = chunks("many", *(f"Article sentence number {i} about trade." for i in range(10)))
        store.add(many)
        expected = {c.id for c in many}
        assert store.ids(page=3) == store.ids(page=5) == store.ids() == expected
        store.delete([many[0].id])
        assert store.ids(page=3) == expected - {many[0].id}

    def test_new_collections_get_the_index_settings(self, store: ChunkStore) -> None:
        assert store.outdated == ""
        every = store_index.FIXED + store_index.ADJUSTABLE
        assert store_index.differences(store._collection, every) == {}
        assert store_index.HNSW["max_neighbors"] == 32

    def test_an_old_collection_is_reported_then_rebuilt_from_its_vectors(
        self, deployment: Deployment, caplog: pytest.LogCaptureFixture
    ) -> None:
        first = deployment.open()
        name, client = first._collection.name, first._client
        first.drop()
        legacy = client.create_collection(  # as older versions made it: Chroma's default M=16
            name=name,
            metadata={"hnsw:space": "cosine", "hnsw:search_ef": 50},
            embedding_function=None,
        )
        assert legacy.configuration["hnsw"]["max_neighbors"] == 16
        assert legacy.configuration["hnsw"]["ef_search"] == 50
        with caplog.at_level("WARNING"):
            old = deployment.open()
        assert "max_neighbors=16 (want 32)" in old.outdated
        assert store_index.differences(old._collection, store_index.ADJUSTABLE) == {}  # set
        assert "briefing reindex" in caplog.text
        old.add(NEWS)
        assert old.rebuild_index() == len(NEWS)
        assert old.outdated == ""
        again = deployment.open()
        assert again.outdated == "" and again.ids() == {c.id for c in NEWS}
        assert again.search(EMBEDDINGS.embed_query(NEWS[2].text), 1)[0].chunk_id == NEWS[2].id

    def test_a_rebuild_killed_after_dropping_the_original_is_finished_on_open(
        self, store: ChunkStore, deployment: Deployment
    ) -> None:
        store.add(NEWS)
        name = store._collection.name
        store._collection.modify(name=name + store_index.REBUILD_SUFFIX)  # the complete copy
        reopened = deployment.open()
        assert reopened._collection.name == name
        assert reopened.ids() == {c.id for c in NEWS}

    def test_a_rebuild_replaces_an_incomplete_copy(
        self, store: ChunkStore, deployment: Deployment
    ) -> None:
        store.add(NEWS)
        partial = store._client.create_collection(
            name=store._collection.name + store_index.REBUILD_SUFFIX, embedding_function=None
        )
        partial.add(ids=["stray"], embeddings=[[1.0] * 8], documents=["x"])
        assert store.rebuild_index() == len(NEWS)
        assert store.ids() == {c.id for c in NEWS}

    def test_data_survives_reopening(self, deployment: Deployment) -> None:
        deployment.open().add(NEWS)
        again = deployment.open()
        assert again.count() == len(NEWS)
        assert again.search(EMBEDDINGS.embed_query(NEWS[2].text), 1)[0].chunk_id == NEWS[2].id

    def test_an_assistant_ingests_and_answers_through_it(
        self, deployment: Deployment, tmp_path: Path
    ) -> None:
        assistant = Assistant(make_settings(tmp_path, **deployment.settings))
        try:
            assert assistant.store.shared == (deployment.name == "server")
            first = assistant.ingest()
            assert first.chunks_written == assistant.store.count() > 0
            assert assistant.ingest().chunks_written == 0  # idempotent
            answer = assistant.ask("What tariff rate does Japan face?")
            assert not answer.abstained
            assert answer.citations[0].doc_id == SEED_DOC_ID
        finally:
            assistant.close()


def test_a_change_made_through_one_worker_is_seen_by_the_others(
    deployment: Deployment, tmp_path: Path
) -> None:
    """Two Assistants on one data dir and store, as `serve --workers 2` runs them: each caches
    the manifest, and must notice the other's commits without a restart."""
    settings = make_settings(tmp_path, **deployment.settings)
    one, two = Assistant(settings), Assistant(settings)
    question = "What levy did Narnia put on steel imports?"
    try:
        one.ingest()
        assert {d.id for d in two.documents()} == {d.id for d in one.documents()}
        before = two.ask(question)
        assert all(c.doc_id != "narnia-steel" for c in before.citations)
        one.upload(Upload(content=b"Narnia put a 75 percent levy on steel imports on Monday.\n",
                          id="narnia-steel", title="Narnia steel levy"))  # fmt: skip
        assert two.document("narnia-steel").title == "Narnia steel levy"
        answer = two.ask(question)
        assert not answer.abstained and answer.citations[0].doc_id == "narnia-steel"
        assert "75 percent" in answer.answer
        one.remove_document("narnia-steel")
        assert "narnia-steel" not in {d.id for d in two.documents()}
        assert all(c.doc_id != "narnia-steel" for c in two.ask(question).citations)
    finally:
        one.close()
        two.close()


# -- choosing the deployment --------------------------------------------------------------------


def test_settings_pick_the_embedded_store_by_default(settings: Settings) -> None:
    store = open_store(settings, EMBEDDINGS)
    assert (store.shared, store.where) == (False, str(settings.store_dir))


@pytest.mark.integration
def test_settings_pick_the_server_store_when_a_url_is_set(
    tmp_path: Path, chroma_server: str
) -> None:
    settings = make_settings(
        tmp_path, chroma_url=chroma_server, chroma_token="s3cret", chroma_collection="pick_test"
    )
    assert "s3cret" not in repr(settings)  # a SecretStr
    store = open_store(settings, EMBEDDINGS)
    try:
        assert (store.shared, store.where) == (True, chroma_server)
        assert not settings.store_dir.exists()  # nothing embedded was created
        assert store.count() == 0
    finally:
        store.drop()


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("http://127.0.0.1:8001", ServerAddress("127.0.0.1", 8001, ssl=False)),
        ("https://chroma.example.org", ServerAddress("chroma.example.org", 443, ssl=True)),
        ("http://chroma:9000/", ServerAddress("chroma", 9000, ssl=False)),
        ("http://localhost", ServerAddress("localhost", 8000, ssl=False)),
    ],
)
def test_server_urls_are_parsed(url: str, address: ServerAddress) -> None:
    assert ServerAddress.parse(url) == address


@pytest.mark.parametrize(
    "url", ["127.0.0.1:8001", "ftp://host", "http://", "http://host:99999", "http://h/x"]
)
def test_bad_server_urls_are_config_errors(url: str) -> None:
    with pytest.raises(ConfigError, match="BRIEFING_CHROMA_URL"):
        ServerAddress.parse(url)


def test_an_unreachable_server_is_a_store_error() -> None:
    with pytest.raises(StoreError, match=r"127\.0\.0\.1"):
        ChunkStore.server(f"http://127.0.0.1:{free_port()}", EMBEDDINGS)


# -- several API workers ------------------------------------------------------------------------


def briefing_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    corpus = make_settings(tmp_path).corpus_dir  # copies the seed corpus
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    env.update(
        BRIEFING_DATA_DIR=str(tmp_path / "data"), BRIEFING_CORPUS_DIR=str(corpus),
        BRIEFING_EMBEDDINGS="hashing", **extra,
    )  # fmt: skip
    return env


def test_worker_counts_are_checked_against_the_store(tmp_path: Path) -> None:
    embedded = make_settings(tmp_path)
    check_workers(embedded, 1)  # one worker: always fine
    with pytest.raises(ConfigError, match="--workers 3 needs a Chroma server"):
        check_workers(embedded, 3)
    check_workers(make_settings(tmp_path, chroma_url="http://127.0.0.1:8001"), 3)


def test_several_workers_on_the_embedded_store_are_refused(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(VENV_BIN / "briefing"), "serve", "--workers", "2", "--port", str(free_port())],
        env=briefing_env(tmp_path), cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    message = " ".join(done.stderr.split())
    assert done.returncode == 2, done.stderr
    assert "--workers 2 needs a Chroma server" in message
    assert "belongs to one process" in message and "BRIEFING_CHROMA_URL" in message
    assert not (tmp_path / "data" / "chroma").exists()  # refused before opening anything


@pytest.mark.integration
def test_several_workers_share_a_chroma_server(tmp_path: Path, chroma_server: str) -> None:
    port, log = free_port(), tmp_path / "serve.log"
    collection = f"workers_{uuid.uuid4().hex[:8]}"
    env = briefing_env(tmp_path, BRIEFING_CHROMA_URL=chroma_server,
                       BRIEFING_CHROMA_COLLECTION=collection)  # fmt: skip
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [str(VENV_BIN / "briefing"), "serve", "--workers", "2", "--ingest",
             "--port", str(port)],
            env=env, cwd=tmp_path, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        wait_for(f"http://127.0.0.1:{port}/health", 120, process, log)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/chat",
            data=json.dumps({"message": "What tariff rate does Japan face?"}).encode(),
            headers={"content-type": "application/json"},
        )
        for _ in range(4):
            with urllib.request.urlopen(request, timeout=30) as response:
                body = json.loads(response.read())
            assert not body["abstained"]
            assert body["citations"][0]["doc_id"] == SEED_DOC_ID
        output = log.read_text()
        assert output.count("Started server process") == 2, output
        assert "chunks written" in output  # the ingest ran once, before the workers
    finally:
        stop(process)
        ChunkStore.server(chroma_server, EMBEDDINGS, collection=collection).drop()
