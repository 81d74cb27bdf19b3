"""Stories: which committed documents are copies or versions of the same article.

* Near-copies (a wire story on many sites, with small edits): MinHash LSH over 5-word shingles
  (`signatures.py`) proposes pairs; a pair joins when its estimated Jaccard similarity reaches
  the threshold. A story is a connected group. Retrieval keeps one copy of a story and its
  citations list the others (`diversity.py`), so copies never fill the top k.
* Versions (same `Document.url`, exact match): one story, and every version published before
  the newest is *superseded* — never retrieved or cited while the newer one exists.

`StoryIndex` recomputes the stories when `Manifest.generation` changes, like
`lexical.LexicalIndex`, reusing the signatures of unchanged documents: in memory per (doc id,
content hash), and across processes in DATA_DIR/stories.sqlite3 (signing 3,000 long articles
takes seconds; loading their signatures milliseconds).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assistant.index.manifest import Manifest, ManifestEntry
from assistant.index.minhash_lsh import candidate_pairs
from assistant.index.signatures import (
    NUM_PERM,
    Key,
    MinHashSigner,
    Signature,
    SignatureFile,
    Signer,
    similarity,
)
from assistant.types import Document, SourceCopy

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Stories:
    """The grouping of the committed documents; documents in no group are their own story."""

    story: Mapping[str, str] = field(default_factory=dict)  # doc id → story id (grouped only)
    members: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # current versions
    superseded: frozenset[str] = frozenset()
    refs: Mapping[str, SourceCopy] = field(default_factory=dict)  # grouped documents

    @property
    def trivial(self) -> bool:
        """No document shares a story and none is superseded: nothing to collapse."""
        return not self.story and not self.superseded

    def story_of(self, doc_id: str) -> str:
        return self.story.get(doc_id, doc_id)

    def copies_of(self, doc_id: str) -> tuple[SourceCopy, ...]:
        """The story's other current copies, by source name."""
        others = [self.refs[m] for m in self.members.get(self.story_of(doc_id), ()) if m != doc_id]
        return tuple(sorted(others, key=lambda c: ((c.source or "").casefold(), c.doc_id)))


def find_stories(
    documents: Sequence[Document],
    signatures: Sequence[Signature | None],
    threshold: float | None,
) -> Stories:
    """Group near-copies (`threshold`: least estimated Jaccard; None: none) and URL versions."""
    parent = {d.id: d.id for d in documents}

    def root(doc_id: str) -> str:
        while parent[doc_id] != doc_id:
            parent[doc_id] = parent[parent[doc_id]]
            doc_id = parent[doc_id]
        return doc_id

    def join(a: str, b: str) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    if threshold is not None:
        for a, b in _near_pairs(documents, signatures, threshold):
            join(a, b)
    superseded: set[str] = set()
    for versions in _by_url(documents).values():
        for doc in versions[1:]:
            join(versions[0].id, doc.id)
        superseded |= _older(versions)
    groups: dict[str, list[str]] = defaultdict(list)
    for doc in documents:
        groups[root(doc.id)].append(doc.id)
    story = {m: s for s, ms in groups.items() if len(ms) > 1 for m in ms}
    members = {s: tuple(sorted(m for m in ms if m not in superseded))
               for s, ms in groups.items() if len(ms) > 1}  # fmt: skip
    refs = {d.id: SourceCopy(d.id, d.title, d.source, d.url) for d in documents if d.id in story}
    return Stories(story, members, frozenset(superseded), refs)


def _near_pairs(
    documents: Sequence[Document], signatures: Sequence[Signature | None], threshold: float
) -> list[tuple[str, str]]:
    """Pairs LSH proposes whose estimated similarity reaches `threshold` (checked: LSH also
    proposes some pairs below it)."""
    signed = [(d.id, s) for d, s in zip(documents, signatures, strict=True) if s is not None]
    by_id = dict(signed)
    proposed = candidate_pairs(signed, threshold, NUM_PERM)
    return [(a, b) for a, b in sorted(proposed) if similarity(by_id[a], by_id[b]) >= threshold]


def _by_url(documents: Sequence[Document]) -> dict[str, list[Document]]:
    found: dict[str, list[Document]] = defaultdict(list)
    for doc in documents:
        if doc.url:
            found[doc.url].append(doc)
    return {url: docs for url, docs in found.items() if len(docs) > 1}


def _older(versions: Sequence[Document]) -> set[str]:
    """Versions published before the newest dated one (undated ones count as older)."""
    dates = [d.published for d in versions if d.published is not None]
    if not dates:
        return set()
    newest = max(dates)
    return {d.id for d in versions if d.published is None or d.published < newest}


class StoryIndex:
    """Thread-safe owner of the current `Stories`; `path=None`: signatures kept in memory only."""

    def __init__(
        self,
        manifest: Manifest,
        path: Path | None,
        threshold: float | None,
        signer: Signer | None = None,
    ) -> None:
        self._manifest = manifest
        self._path = path
        self._file: SignatureFile | None = None
        self._threshold = threshold
        self._signer = signer or MinHashSigner()
        self._lock = threading.Lock()
        self._stories: Stories | None = None
        self._generation = -1
        self._keys: frozenset[Key] = frozenset()
        self._signatures: dict[Key, Signature | None] = {}

    def current(self) -> Stories:
        """The stories of the committed documents as this process's manifest sees them now."""
        with self._lock:
            generation = self._manifest.generation
            if self._stories is None or generation != self._generation:
                entries = self._manifest.entries()
                keys = frozenset(_key(e) for e in entries)
                if self._stories is None or keys != self._keys:
                    self._stories = self._rebuild(entries)
                    self._keys = keys
                self._generation = generation
            return self._stories

    def _rebuild(self, entries: Sequence[ManifestEntry]) -> Stories:
        began = time.perf_counter()
        signatures = self._signed(entries) if self._threshold is not None else {}
        stories = find_stories(
            [e.document for e in entries],
            [signatures.get(_key(e)) for e in entries],
            self._threshold,
        )
        log.info("grouped syndicated copies", extra={"documents": len(entries),
                 "grouped": len(stories.story), "superseded": len(stories.superseded),
                 "seconds": round(time.perf_counter() - began, 3)})  # fmt: skip
        return stories

    def _signed(self, entries: Sequence[ManifestEntry]) -> dict[Key, Signature | None]:
        """Signatures of `entries`: kept, else saved by any process, else signed now."""
        keys = [_key(e) for e in entries]
        known = self._signatures
        missing = [k for k in keys if k not in known]
        stale: set[Key] = set(known) - set(keys)
        if missing and self._path is not None:
            first = self._file is None
            saved = self._saved(None if first else missing)
            if first:
                stale |= set(saved) - set(keys)
            known = {**known, **saved}
            missing = [k for k in missing if k not in known]
        if missing:
            texts = {_key(e): e.document.text for e in entries}
            fresh = dict(zip(missing, self._signer.sign([texts[k] for k in missing]), strict=True))
            known = {**known, **fresh}
            self._save(fresh, stale)
        elif stale:
            self._save({}, stale)
        self._signatures = {k: known[k] for k in keys}
        return self._signatures

    def _saved(self, keys: list[Key] | None) -> dict[Key, Signature | None]:
        assert self._path is not None
        try:
            if self._file is None:
                self._file = SignatureFile(self._path)
            return self._file.load(keys)
        except (sqlite3.Error, OSError) as exc:  # a read-only data dir: sign in memory
            log.warning("cannot read saved signatures", extra={"error": str(exc)})
            self._path = None
            return {}

    def _save(self, fresh: dict[Key, Signature | None], stale: set[Key]) -> None:
        if self._file is None:
            return
        try:
            self._file.add(fresh.items())
            self._file.remove(stale)
        except (sqlite3.Error, OSError) as exc:
            log.warning("cannot save signatures", extra={"error": str(exc)})


def _key(entry: ManifestEntry) -> Key:
    return (entry.document.id, entry.content_hash)
