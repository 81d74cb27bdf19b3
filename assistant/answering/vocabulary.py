"""What the corpus mentions: term document-frequencies and the names it knows.

Used to tell "the sources don't say" from "the sources say something nearby": a question about
a name the corpus never mentions (a country, company or index absent from every document)
cannot be answered from it, however similar the nearest sentence looks.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from assistant.index.manifest import Manifest, ManifestEntry
from assistant.language.lexicon import Concept, tokens
from assistant.language.words import content_terms, stem, words

#: Bump when what is counted changes: saved vocabularies of another format are recounted.
FORMAT = 1
_ACRONYM = re.compile(r"^[A-Z]{2,}s?$")
_DOTTED = re.compile(r"\b(?:[A-Za-z]\.){2,}")  # U.S. → us
_CAPITALISED = re.compile(r"^[A-Z][a-z]+(?:['’]s)?$")
_AMPERSAND = re.compile(r"\b[A-Z][A-Za-z]*&[A-Z][A-Za-z]*\b")  # S&P, AT&T: one name


class Vocabulary:
    def __init__(self, texts: Iterable[str] = ()) -> None:
        self._df: Counter[str] = Counter()
        self._token_df: Counter[str] = Counter()  # over lexicon tokens, for concepts
        self._word_df: Counter[str] = Counter()  # every word as written (lowercased)
        self._documents = 0
        self._apply(texts, 1)

    def changed(self, removed: Iterable[str], added: Iterable[str]) -> Vocabulary:
        """A new Vocabulary without the `removed` texts and with the `added` ones. This one is
        left as it is: other threads may be reading it."""
        new = Vocabulary()
        new._df, new._token_df, new._word_df = (
            self._df.copy(),
            self._token_df.copy(),
            self._word_df.copy(),
        )
        new._documents = self._documents
        new._apply(removed, -1)
        new._apply(added, 1)
        return new

    def _apply(self, texts: Iterable[str], sign: int) -> None:
        for text in texts:
            self._documents += sign
            lowered = {w.lower() for w in words(text)}
            lowered.update(m.group().replace(".", "").lower() for m in _DOTTED.finditer(text))
            lowered.update(m.group().lower() for m in _AMPERSAND.finditer(text))
            for counter, items in (
                (self._df, set(content_terms(text))), (self._token_df, set(tokens(text))),
                (self._word_df, lowered),
            ):  # fmt: skip
                for item in items:
                    counter[item] += sign
                    if counter[item] <= 0:
                        del counter[item]

    def idf(self, term: str) -> float:
        return math.log((self._documents + 1) / (self._df.get(term, 0) + 0.5))

    def concept_df(self, concept: Concept) -> int:
        """Passages that word the concept some way (a phrase: its rarest word's count)."""
        counts = (min(self._token_df.get(t, 0) for t in form) for form in concept.forms)
        return max(counts, default=0)

    def has_wording(self, form: tuple[str, ...]) -> bool:
        """Does some passage use every word of this wording (lexicon tokens)?"""
        return bool(form) and all(self._token_df.get(t, 0) for t in form)

    def concept_idf(self, concept: Concept) -> float:
        return math.log((self._documents + 1) / (self.concept_df(concept) + 0.5))

    def knows(self, word: str) -> bool:
        """True if the corpus has the word, its stem, or a close form (Vietnamese → Vietnam)."""
        lower = word.lower().removesuffix("'s").removesuffix("’s")
        if lower in self._word_df or stem(lower) in self._df:
            return True
        prefix = lower[: max(4, len(lower) - 3)]
        return len(lower) >= 6 and any(w.startswith(prefix) for w in self._word_df)

    def unknown_names(self, question: str, concepts: Sequence[Concept] = ()) -> list[str]:
        """Capitalised words and acronyms in `question` (not its first word) the corpus lacks.

        A name is known when the corpus has it in any wording `concepts` give for it
        ("Tokyo" → Japan, "Italy" → Italian).
        """
        wordings = [c for c in concepts if self.concept_df(c)]
        known = {w for c in wordings for w in words(c.surface)}
        found = words(question)
        joined = [m.group() for m in _AMPERSAND.finditer(question) if not self.knows(m.group())]
        return [
            t for i, t in enumerate(found)
            if (_ACRONYM.match(t) or (i > 0 and _CAPITALISED.match(t)))
            and t not in known and not self.knows(t)
        ] + joined  # fmt: skip

    # -- persistence (a 3,000-article collection takes ~15 s to count) ----------------------------
    def to_json(self) -> dict[str, object]:
        return {"format": FORMAT, "documents": self._documents, "df": self._df,
                "token_df": self._token_df, "word_df": self._word_df}  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Vocabulary | None:
        if data.get("format") != FORMAT:
            return None
        vocabulary = cls()
        vocabulary._documents = int(data["documents"])
        vocabulary._df = Counter(data["df"])
        vocabulary._token_df = Counter(data["token_df"])
        vocabulary._word_df = Counter(data["word_df"])
        return vocabulary


class CorpusVocabulary:
    """The committed corpus's Vocabulary, kept current whenever the manifest's generation moves
    on (this process's ingest, another worker's upload): only changed documents are re-read.

    With a `directory`, the writer saves it after an ingest (`save`), keyed by the committed
    documents, and a new process loads it instead of reading the whole corpus on its first
    question.
    """

    def __init__(self, manifest: Manifest, directory: Path | None = None) -> None:
        self._manifest = manifest
        self._directory = directory
        self._lock = threading.Lock()
        self._generation = -1
        self._entries: dict[str, ManifestEntry] = {}
        self._vocabulary = Vocabulary()

    def __call__(self) -> Vocabulary:
        with self._lock:  # one thread updates; readers keep the instance they were given
            generation = self._manifest.generation
            if generation != self._generation:
                current = {e.document.id: e for e in self._manifest.entries()}
                if self._generation == -1 and (saved := self._load(current)) is not None:
                    self._vocabulary = saved
                else:
                    gone = [e for i, e in self._entries.items() if _replaced(e, current.get(i))]
                    new = [e for i, e in current.items() if _replaced(e, self._entries.get(i))]
                    if gone or new:
                        self._vocabulary = self._vocabulary.changed(
                            _paragraphs(gone), _paragraphs(new)
                        )
                self._entries, self._generation = current, generation
            return self._vocabulary

    def save(self) -> None:
        """Bring it up to date and keep it on disk for other processes (the writer calls this)."""
        vocabulary = self()
        if self._directory is None:
            return
        with self._lock:
            key = _key(self._entries.values())
        self._directory.mkdir(parents=True, exist_ok=True)
        target = self._directory / f"{key}.json"
        if target.exists():
            return
        temp = self._directory / f".tmp-{uuid.uuid4().hex}"
        temp.write_text(json.dumps(vocabulary.to_json()), encoding="utf-8")
        temp.replace(target)
        for old in self._directory.glob("*.json"):  # keep only the current one
            if old != target:
                old.unlink(missing_ok=True)

    def _load(self, current: dict[str, ManifestEntry]) -> Vocabulary | None:
        if self._directory is None:
            return None
        path = self._directory / f"{_key(current.values())}.json"
        try:
            return Vocabulary.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):  # none yet, or unreadable: count
            return None


def _key(entries: Iterable[ManifestEntry]) -> str:
    digest = hashlib.sha256(f"vocabulary-{FORMAT}".encode())
    for entry in sorted(entries, key=lambda e: e.document.id):
        digest.update(f"{entry.document.id}\0{entry.content_hash}\0".encode())
    return digest.hexdigest()[:32]


def _replaced(entry: ManifestEntry, other: ManifestEntry | None) -> bool:
    return other is None or other.content_hash != entry.content_hash


def _paragraphs(entries: Iterable[ManifestEntry]) -> Iterator[str]:
    for entry in entries:
        yield from (p for p in entry.document.text.split("\n") if p.strip())
