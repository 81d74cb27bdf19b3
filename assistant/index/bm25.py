"""A BM25 index over chunks (bm25s), with the tokenizer, and saving/loading it.

Tokens are lowercased words run through `text.stem` (the same light stemmer the answerer uses,
so "levies" finds "levy"), numbers as written ("24%", "2.5"), and "24 percent" / "24 per cent"
folded into "24%". Stopwords are dropped: they carry no signal and inflate the index.

An index is immutable; `lexical.LexicalIndex` rebuilds one when the committed chunks change.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from assistant.language.words import QUESTION_WORDS, STOPWORDS, stem, words

log = logging.getLogger(__name__)

#: Part of every saved index's key: changing the tokenizer must rebuild saved indexes.
TOKENIZER_VERSION = "t1"
_PERCENT = re.compile(r"(\d)\s*(?:percent|per\s+cent)\b", re.IGNORECASE)
_DROP = STOPWORDS | QUESTION_WORDS
_ROWS = "rows.json"


def tokenize(text: str) -> list[str]:
    """Lowercased, stemmed content words and numbers; see the module docstring."""
    out = []
    for word in words(_PERCENT.sub(r"\1%", text)):
        lower = word.lower()
        if lower in _DROP:
            continue
        token = stem(lower)
        if token:
            out.append(token)
    return out


@dataclass(frozen=True)
class Row:
    """One indexed chunk: where its text lies in the committed document."""

    chunk_id: str
    doc_id: str
    start: int
    end: int


@dataclass(frozen=True)
class Hit:
    row: Row
    score: float


class Bm25Index:
    """BM25 (Lucene variant, k1=1.5, b=0.75) over a fixed list of chunk rows."""

    def __init__(self, model: bm25s.BM25 | None, rows: Sequence[Row], key: str) -> None:
        self.key = key  # what it was built from (see `lexical.manifest_key`)
        self.rows = tuple(rows)
        self._model = model
        docs = sorted({r.doc_id for r in self.rows})
        position = {d: i for i, d in enumerate(docs)}
        self._docs = docs
        self._row_doc = np.fromiter((position[r.doc_id] for r in self.rows), np.int32,
                                    len(self.rows))  # fmt: skip

    @classmethod
    def build(cls, rows: Sequence[Row], tokens: Sequence[list[str]], key: str) -> Bm25Index:
        if not rows or not any(tokens):  # nothing any query could match
            return cls(None, (), key)
        model = bm25s.BM25()
        # chunks with no indexable term at all (only symbols) make bm25s divide 0 by 0: they
        # simply match nothing
        with np.errstate(divide="ignore", invalid="ignore"):
            model.index([list(t) for t in tokens], show_progress=False)
        return cls(model, rows, key)

    def __len__(self) -> int:
        return len(self.rows)

    def search(self, query: str, k: int, allowed_docs: set[str] | None = None) -> list[Hit]:
        """The `k` best rows with a positive score; `allowed_docs`: only rows of these."""
        if self._model is None or k <= 0:
            return []
        ids = self._model.get_tokens_ids(tokenize(query))
        if not ids:
            return []
        mask = None
        if allowed_docs is not None:
            keep = [i for i, d in enumerate(self._docs) if d in allowed_docs]
            mask = np.isin(self._row_doc, np.asarray(keep, np.int32)).astype(np.float32)
        scores = self._model.get_scores(ids, weight_mask=mask)
        n = min(k, int(np.count_nonzero(scores > 0)))
        if n == 0:
            return []
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.lexsort((top, -scores[top]))]  # best first, ties by row (deterministic)
        return [Hit(self.rows[i], float(scores[i])) for i in top]

    # -- persistence --------------------------------------------------------------------------
    def save(self, directory: Path) -> None:
        """Write into `directory` (a fresh folder; the caller moves it into place)."""
        directory.mkdir(parents=True)
        if self._model is not None:
            self._model.save(str(directory), show_progress=False)
        payload = {"key": self.key, "rows": [[r.chunk_id, r.doc_id, r.start, r.end]
                                             for r in self.rows]}  # fmt: skip
        (directory / _ROWS).write_text(json.dumps(payload), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> Bm25Index | None:
        """The index saved in `directory`, or None when it is missing or unreadable."""
        try:
            payload = json.loads((directory / _ROWS).read_text(encoding="utf-8"))
            rows = [Row(str(c), str(d), int(s), int(e)) for c, d, s, e in payload["rows"]]
            model = bm25s.BM25.load(str(directory), show_progress=False) if rows else None
            return cls(model, rows, str(payload["key"]))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("ignoring an unreadable BM25 index", extra={"path": str(directory),
                                                                    "error": str(exc)})  # fmt: skip
            return None
