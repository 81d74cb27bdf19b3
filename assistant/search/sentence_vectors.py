"""Sentence vectors computed at ingest, so answering a question does not run the encoder.

The extractive answerer scores every sentence of the retrieved passages by its similarity to the
question; encoding those 20–40 sentences was ~90 % of a warm ask. Ingest already runs the model
over every chunk, so it also encodes each chunk's sentences — with the *query-time* encoder, so
the vectors are exactly the ones the answerer would compute — and keeps them in
`DATA_DIR/sentences.sqlite3`. `VectorCache.documents` looks them up before encoding.

Content-addressed: a row's key is a hash of (encoder, sentence text) and its value the vector
that encoder gives that text, so a row is never wrong, only missing (the answerer then encodes
the sentence, as before) or unused. That keeps the sidecar consistent under a crash, re-ingest or
delete without joining the manifest's journal: rows are written while the chunks are embedded
(before the manifest commits them, so recovery's replay writes them too), and `sync` — after
every ingest and delete — drops rows no committed chunk uses and fills in chunks that have none
(a store ingested before this file existed, or a crash between the two writes).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.config import Settings
from assistant.index.manifest import ManifestEntry
from assistant.index.sqlite import open_db
from assistant.intake.chunking import sentence_spans
from assistant.search.embeddings import HashingEmbeddings, SentenceEmbeddings
from assistant.statements.injection import is_untrusted
from assistant.types import Chunk, Document

#: Bump when the sentence splitting or the stored format changes: old rows are then dropped.
FORMAT = 1
#: Membership row of a chunk that has no citable sentence (so `sync` does not revisit it).
_NONE = b""
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS chunk_sentences (
    chunk_id TEXT NOT NULL, key BLOB NOT NULL, PRIMARY KEY (chunk_id, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS chunk_sentences_key ON chunk_sentences (key);
"""


def encoder_key(embeddings: Embeddings) -> str | None:
    """What identifies the vectors `embeddings` gives at query time; None: not cacheable."""
    if isinstance(embeddings, SentenceEmbeddings):
        onnx = embeddings.onnx
        if onnx is None:
            return f"torch-fp32:{embeddings.model_path}"
        from assistant.search.onnx_encoder import read_spec

        return f"onnx-fp32:{read_spec(embeddings.model_path).cache_key()}"
    if isinstance(embeddings, HashingEmbeddings):
        return f"hashing:{embeddings.dimensions}"
    return None


def sentence_texts(chunk: Chunk) -> list[str]:
    """The candidate sentences the answerer will take from `chunk` (as `evidence.sentences_of`)."""
    texts = []
    for start, end in sentence_spans(chunk.text, offset=chunk.start):
        local = chunk.text[start - chunk.start : end - chunk.start]
        if not is_untrusted(local):
            texts.append(local)
    return texts


@dataclass(frozen=True)
class SyncReport:
    chunks_dropped: int  # chunks no longer committed whose rows were removed
    chunks_indexed: int  # committed chunks that had no rows and were indexed now
    vectors: int  # sentence vectors stored after the sync


class SentenceVectors:
    """The sidecar: sentence text → vector of the query-time encoder (see the module doc)."""

    def __init__(self, path: Path, encoder: str, embeddings: Embeddings) -> None:
        self._encoder = encoder
        self._embeddings = embeddings
        self._lock = threading.Lock()
        self._db = open_db(path)
        self._db.execute("PRAGMA synchronous=NORMAL")
        with self._lock:
            self._db.executescript(_SCHEMA)
            row = self._db.execute("SELECT value FROM meta WHERE name = 'encoder'").fetchone()
            identity = f"{FORMAT}:{encoder}"
            if row is None or row[0] != identity:  # another model or format: start over
                self._db.execute("BEGIN IMMEDIATE")
                self._db.execute("DELETE FROM vectors")
                self._db.execute("DELETE FROM chunk_sentences")
                self._db.execute("INSERT OR REPLACE INTO meta VALUES ('encoder', ?)", (identity,))
                self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def key(self, text: str) -> bytes:
        return hashlib.blake2b(
            text.encode("utf-8"), digest_size=16, person=b"briefing-sent-v1"
        ).digest()

    # -- query time ------------------------------------------------------------------------------
    def lookup(self, texts: Sequence[str]) -> dict[str, list[float]]:
        """The stored vectors of those `texts` that have one."""
        keys = {self.key(t): t for t in dict.fromkeys(texts)}
        found: dict[str, list[float]] = {}
        if not keys:
            return found
        marks = ",".join("?" * len(keys))
        with self._lock:
            rows = self._db.execute(
                f"SELECT key, vector FROM vectors WHERE key IN ({marks})", list(keys)
            ).fetchall()
        for key, blob in rows:
            found[keys[key]] = np.frombuffer(blob, dtype=np.float32).tolist()
        return found

    # -- ingest ----------------------------------------------------------------------------------
    def index(self, chunks: Sequence[Chunk]) -> int:
        """Store the sentence vectors of `chunks` (encoding only new sentences); how many new."""
        members = [(c.id, sentence_texts(c)) for c in chunks]
        wanted = {self.key(t): t for _, texts in members for t in texts}
        with self._lock:
            have = self._present(list(wanted))
        new = [(k, t) for k, t in wanted.items() if k not in have]
        vectors = self._embeddings.embed_documents([t for _, t in new]) if new else []
        rows = [(k, np.asarray(v, dtype=np.float32).tobytes())
                for (k, _), v in zip(new, vectors, strict=True)]  # fmt: skip
        links = [(cid, self.key(t)) for cid, texts in members for t in texts]
        links += [(cid, _NONE) for cid, texts in members if not texts]
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany("INSERT OR IGNORE INTO vectors VALUES (?, ?)", rows)
                self._db.executemany("INSERT OR IGNORE INTO chunk_sentences VALUES (?, ?)", links)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return len(rows)

    def forget(self, chunk_ids: Iterable[str]) -> None:
        """Drop the rows of chunks that are gone (vectors other chunks still use stay)."""
        ids = sorted(set(chunk_ids))
        if not ids:
            return
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                keys: set[bytes] = set()
                for marks, part in _in_batches(ids):
                    keys.update(r[0] for r in self._db.execute(
                        f"SELECT key FROM chunk_sentences WHERE chunk_id IN ({marks})", part
                    ))  # fmt: skip
                    self._db.execute(
                        f"DELETE FROM chunk_sentences WHERE chunk_id IN ({marks})", part
                    )
                self._db.executemany(
                    "DELETE FROM vectors WHERE key = ? AND NOT EXISTS "
                    "(SELECT 1 FROM chunk_sentences WHERE chunk_sentences.key = vectors.key)",
                    [(k,) for k in keys],
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def sync(
        self, entries: Iterable[ManifestEntry], chunks_of: Callable[[Document], list[Chunk]]
    ) -> SyncReport:
        """Match the committed chunks: drop rows of chunks that are gone, index those missing."""
        live: dict[str, ManifestEntry] = {}
        for entry in entries:
            live.update(dict.fromkeys(entry.chunk_ids, entry))
        with self._lock:
            rows = self._db.execute("SELECT DISTINCT chunk_id FROM chunk_sentences").fetchall()
        indexed = {r[0] for r in rows}
        dead = indexed - live.keys()
        self.forget(dead)
        missing = live.keys() - indexed
        documents = {live[c].document.id: live[c].document for c in missing}
        todo = [c for d in documents.values() for c in chunks_of(d) if c.id in missing]
        for i in range(0, len(todo), 256):
            self.index(todo[i : i + 256])
        with self._lock:
            count = int(self._db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])
        return SyncReport(len(dead), len(todo), count)

    def _present(self, keys: Sequence[bytes]) -> set[bytes]:
        present: set[bytes] = set()
        for marks, part in _in_batches(keys):
            present.update(r[0] for r in self._db.execute(
                f"SELECT key FROM vectors WHERE key IN ({marks})", part
            ))  # fmt: skip
        return present


def open_sentence_vectors(settings: Settings, embeddings: Embeddings) -> SentenceVectors | None:
    """The data dir's sidecar for `embeddings` (query-time), or None when off or not cacheable."""
    key = encoder_key(embeddings) if settings.effective_sentence_vectors else None
    if key is None:
        return None
    return SentenceVectors(settings.sentence_vectors_path, key, embeddings)


def retire(
    sidecar: SentenceVectors | None, before: ManifestEntry | None, after: ManifestEntry | None
) -> None:
    """After a document was updated or removed: forget the chunks `before` had, `after` has not."""
    if sidecar is not None and before is not None:
        sidecar.forget(set(before.chunk_ids) - set(after.chunk_ids if after else ()))


_V = TypeVar("_V")


def _in_batches(values: Sequence[_V]) -> Iterator[tuple[str, Sequence[_V]]]:
    """`(placeholders, values)` in slices SQLite accepts in one `IN (…)`."""
    for i in range(0, len(values), 500):
        part = values[i : i + 500]
        yield ",".join("?" * len(part)), part
