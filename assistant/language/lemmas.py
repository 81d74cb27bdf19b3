"""A word's lemmas by word class, from lemminflect's bundled lookup, without importing lemminflect.

`readings("sent")` is `{"VERB": ("send",), …}`, what `lemminflect.getAllLemmas("sent")` gives.
Importing lemminflect and loading its table through it took ~0.3 s of every cold
`briefing ask` (its import also builds the out-of-vocabulary model, which we never call);
reading the same two files directly takes about half of that. Lookups only: a word the
table lacks has no readings, as with `getAllLemmas`.
"""

from __future__ import annotations

import gzip
from collections.abc import Mapping
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from types import MappingProxyType
from typing import cast

from assistant.errors import ConfigError

Readings = Mapping[str, tuple[str, ...]]  # word class (VERB, NOUN, ADJ, ADV, AUX) → lemmas

_NONE: Readings = MappingProxyType({})


def readings(word: str) -> Readings:
    """The lemmas of `word` (looked up lowercased) by word class; empty when it is unknown."""
    return _table().get(word.lower(), _NONE)


def _resources() -> Path:
    spec = find_spec("lemminflect")  # finds the package without running its __init__
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError("lemminflect is not installed; reinstall briefing's dependencies")
    return Path(next(iter(spec.submodule_search_locations))) / "resources"


@cache
def _table() -> dict[str, Readings]:
    folder = _resources()
    table: dict[str, dict[str, tuple[str, ...]]] = {}
    upos: dict[str, str] = {}  # the lookup's categories as word classes (modal → AUX)
    # Rows: word,category,lemma/lemma…; a later row for the same word and class wins. Words
    # are looked up lowercased, so a capitalised row ("Hanoi") is never found; lemmas come back
    # lowercase.
    text = gzip.decompress((folder / "lemma_lu.csv.gz").read_bytes()).decode()
    for line in text.splitlines():
        word, category, forms = line.split(",")
        if word != word.lower():
            continue
        forms = forms.lower()
        if category not in upos:
            upos[category] = "AUX" if category == "modal" else category.upper()
        table.setdefault(word, {})[upos[category]] = tuple(forms.split("/"))
    # Overrides: inflection,upos,lemma; they replace the lookup's readings for that class.
    for line in (folder / "lemma_overrides.csv").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, word_class, lemma = line.split(",")
            if word == word.lower():
                table.setdefault(word, {})[word_class] = (lemma.lower(),)
    return cast(dict[str, Readings], table)  # read-only to callers
