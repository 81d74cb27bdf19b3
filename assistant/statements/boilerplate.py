"""Lines a source repeats on many of its pages: boilerplate, learned from the corpus.

A site's furniture — "Sign up for our morning briefing.", "All rights reserved.", a standing
note about comments — appears verbatim on most of that site's pages, while its articles'
sentences do not. So a line (normalised: case and spacing) is boilerplate when it appears in
at least `MIN_DOCUMENTS` documents of one source and in at least `MIN_SHARE` of that source's
documents. A background paragraph reused in a few follow-ups of one story stays below the
share on any site with more than a handful of pages.

`CorpusBoilerplate` keeps the answer current for the committed documents: recomputed when
`Manifest.generation` moves on (like `lexical.LexicalIndex`), reusing the line sets of
unchanged documents.
"""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from assistant.index.manifest import Manifest
from assistant.types import Document

MIN_DOCUMENTS = 3
MIN_SHARE = 0.5


def normalise(line: str) -> str:
    return " ".join(line.split()).lower()


def source_key(document: Document) -> str:
    """Who published it: the source, else the URL's host, else "" (all unattributed ones)."""
    if document.source:
        return document.source.strip().lower()
    if document.url:
        return urlsplit(document.url).netloc.lower()
    return ""


def line_set(text: str) -> frozenset[str]:
    return frozenset(normalise(line) for line in text.split("\n") if line.strip())


@dataclass(frozen=True)
class Boilerplate:
    """The repeated lines of each source."""

    lines: Mapping[str, frozenset[str]]

    def is_repeated(self, source: str, line: str) -> bool:
        return normalise(line) in self.lines.get(source, frozenset())


def find_boilerplate(
    documents: Iterable[tuple[str, frozenset[str]]],
    *,
    min_documents: int = MIN_DOCUMENTS,
    min_share: float = MIN_SHARE,
) -> Boilerplate:
    """From (source key, the document's distinct lines) pairs."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    totals: Counter[str] = Counter()
    for source, lines in documents:
        totals[source] += 1
        counts[source].update(lines)
    repeated = {
        source: frozenset(
            line for line, n in counter.items()
            if n >= min_documents and n >= min_share * totals[source]
        )
        for source, counter in counts.items()
    }  # fmt: skip
    return Boilerplate({s: lines for s, lines in repeated.items() if lines})


class CorpusBoilerplate:
    """The committed corpus's `Boilerplate`, recomputed when the manifest's generation moves."""

    def __init__(self, manifest: Manifest) -> None:
        self._manifest = manifest
        self._lock = threading.Lock()
        self._generation = -1
        self._current = Boilerplate({})
        self._line_sets: dict[tuple[str, str], tuple[str, frozenset[str]]] = {}

    def __call__(self) -> Boilerplate:
        with self._lock:
            generation = self._manifest.generation
            if generation != self._generation:
                fresh = {}
                for entry in self._manifest.entries():
                    key = (entry.document.id, entry.content_hash)
                    document = entry.document
                    fresh[key] = self._line_sets.get(key) or (
                        source_key(document),
                        line_set(document.text),
                    )
                self._line_sets = fresh
                self._current = find_boilerplate(fresh.values())
                self._generation = generation
            return self._current

    @property
    def generation(self) -> int:
        """The manifest generation the current answer was computed for."""
        return self._generation
