"""MinHash signatures of document texts (datasketch), and the SQLite file that keeps them.

A signature estimates the Jaccard similarity of two texts' sets of 5-word shingles: copies of
one wire story with small edits share most of them (0.69 or more on generated scraped pages),
distinct stories few (at most 0.15; templated short items up to 0.54), so a threshold between
the two finds syndicated copies (`syndication.py`, README "Syndicated copies"). Words are
hashed with CRC-32 and shingles combined in numpy, because datasketch's default per-shingle
SHA-1 costs twice as much; `MinHash.bulk` reuses one set of permutations for every document.

Signatures depend only on the text and `FORMAT`, so a saved one is reused until its document
changes; `SignatureFile` keeps them per (doc id, content hash) in DATA_DIR/stories.sqlite3.
"""

from __future__ import annotations

import re
import sqlite3
import zlib
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from assistant.index.sqlite import open_db

NUM_PERM = 128
SHINGLE_WORDS = 5
SEED = 1
#: Part of every saved signature's identity: changing how texts are signed drops saved rows.
FORMAT = f"affine32-p{NUM_PERM}-s{SEED}-w{SHINGLE_WORDS}-crc32-v1"
_WORD = re.compile(r"\w+")
_MIX = np.uint64(1_099_511_628_211)  # FNV-64 prime: combines word hashes into a shingle hash

Signature = npt.NDArray[np.uint32]
Key = tuple[str, str]  # (doc id, content hash)


class Signer(Protocol):
    """Texts → MinHash signatures (None for a text without words)."""

    def sign(self, texts: Sequence[str]) -> list[Signature | None]: ...


def shingle_hashes(text: str) -> npt.NDArray[np.uint64]:
    """32-bit hashes of the text's distinct lowercased 5-word shingles (one for shorter texts)."""
    words = _WORD.findall(text.lower())
    if not words:
        return np.zeros(0, dtype=np.uint64)
    hashes = np.fromiter((zlib.crc32(w.encode()) for w in words), np.uint64, len(words))
    width = min(SHINGLE_WORDS, len(hashes))
    count = len(hashes) - width + 1
    combined = np.zeros(count, dtype=np.uint64)
    for offset in range(width):
        combined = combined * _MIX + hashes[offset : offset + count]
    folded = (combined ^ (combined >> np.uint64(32))) & np.uint64(0xFFFFFFFF)
    return np.unique(folded)


class MinHashSigner:
    """The signer every store uses; tests wrap it to count what gets signed."""

    def sign(self, texts: Sequence[str]) -> list[Signature | None]:
        from datasketch import MinHash  # imports SciPy: only where documents are signed

        shingles = [shingle_hashes(t) for t in texts]
        present = [s for s in shingles if len(s)]
        signed = iter(MinHash.bulk(present, num_perm=NUM_PERM, seed=SEED, hashfunc=int))
        return [next(signed).hashvalues.astype(np.uint32) if len(s) else None for s in shingles]


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets."""
    return float(np.mean(a == b))


class SignatureFile:
    """Saved signatures per (doc id, content hash), shared by processes (SQLite, WAL).

    Each call opens its own connection: calls are rare (when the committed documents change),
    and nothing stays open for the owner to close.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        with self._connect() as db:
            db.executescript(
                "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);"
                "CREATE TABLE IF NOT EXISTS signatures (doc_id TEXT NOT NULL, content_hash "
                "TEXT NOT NULL, signature BLOB, PRIMARY KEY (doc_id, content_hash)) WITHOUT ROWID;"
            )
            row = db.execute("SELECT value FROM meta WHERE name = 'format'").fetchone()
            if row is None or row[0] != FORMAT:
                db.execute("DELETE FROM signatures")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (FORMAT,))

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = open_db(self._path)
        try:
            yield db
        finally:
            db.close()

    def load(self, keys: Collection[Key] | None = None) -> dict[Key, Signature | None]:
        """Every saved signature, or those of `keys` that are saved."""
        with self._connect() as db:
            if keys is None:
                rows = db.execute("SELECT doc_id, content_hash, signature FROM signatures")
                found = rows.fetchall()
            else:
                query = "SELECT doc_id, content_hash, signature FROM signatures WHERE doc_id = ? "
                query += "AND content_hash = ?"
                found = [row for key in keys for row in db.execute(query, key).fetchall()]
        return {(doc_id, digest): _decode(blob) for doc_id, digest, blob in found}

    def add(self, signed: Iterable[tuple[Key, Signature | None]]) -> None:
        rows = [(k[0], k[1], s.tobytes() if s is not None else None) for k, s in signed]
        with self._connect() as db:
            db.executemany("INSERT OR REPLACE INTO signatures VALUES (?, ?, ?)", rows)

    def remove(self, keys: Iterable[Key]) -> None:
        with self._connect() as db:
            db.executemany(
                "DELETE FROM signatures WHERE doc_id = ? AND content_hash = ?", list(keys)
            )


def _decode(blob: bytes | None) -> Signature | None:
    return np.frombuffer(blob, dtype=np.uint32) if blob else None
