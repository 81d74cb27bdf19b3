"""The seam the answerers and the briefing builder ask: may this sentence be quoted?

`CorpusStatements` reads each sentence in its whole document (its line's neighbours: a caption
sits above its credit) with its source's repeated lines (`boilerplate.py`). `ShapeStatements`
has only the passage, so it judges shape alone; tests inject either, or a fake.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache, partial
from typing import Protocol

from assistant.index.manifest import Manifest
from assistant.statements.boilerplate import Boilerplate, CorpusBoilerplate, source_key
from assistant.statements.shape import Page
from assistant.types import Passage

PAGE_CACHE = 512  # documents whose analysis is kept between questions


class StatementFilter(Protocol):
    def is_statement(self, passage: Passage, start: int, end: int) -> bool:
        """True when the sentence at document offsets [start, end) of `passage`'s document
        is a statement, so it may be quoted as an answer or a bullet."""
        ...


@lru_cache(maxsize=256)
def _passage_page(text: str, title: str, offset: int) -> Page:
    return Page(text, title, offset=offset)


class ShapeStatements:
    """Shape only, from the passage's own text."""

    def is_statement(self, passage: Passage, start: int, end: int) -> bool:
        return _passage_page(passage.text, passage.title, passage.start).is_statement(start, end)


class CorpusStatements:
    """Shape in the whole document, plus the lines its source repeats on many pages."""

    def __init__(self, manifest: Manifest) -> None:
        self._manifest = manifest
        self._boilerplate = CorpusBoilerplate(manifest)
        self._lock = threading.Lock()
        self._pages: OrderedDict[tuple[str, str], Page] = OrderedDict()
        self._built_from: Boilerplate | None = None

    def is_statement(self, passage: Passage, start: int, end: int) -> bool:
        return self.page(passage).is_statement(start, end)

    def page(self, passage: Passage) -> Page:
        """The analysed document `passage` comes from (its own text when the committed
        document is not the one it was cut from)."""
        boilerplate = self._boilerplate()
        entry = self._manifest.get(passage.doc_id)
        if entry is None or entry.document.text[passage.start : passage.end] != passage.text:
            return _passage_page(passage.text, passage.title, passage.start)
        key = (entry.document.id, entry.content_hash)
        with self._lock:
            if boilerplate is not self._built_from:
                self._pages.clear()
                self._built_from = boilerplate
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
                return page
        document = entry.document
        repeated = partial(boilerplate.is_repeated, source_key(document))
        page = Page(document.text, document.title, repeated=repeated)
        with self._lock:
            self._pages[key] = page
            while len(self._pages) > PAGE_CACHE:
                self._pages.popitem(last=False)
        return page
