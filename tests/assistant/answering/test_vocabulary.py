"""The corpus vocabulary follows the manifest document by document, as a full rebuild would."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answering.vocabulary import CorpusVocabulary, Vocabulary
from assistant.index.manifest import Manifest
from assistant.language.lexicon import load_lexicon
from tests.assistant.index.test_manifest import commit, planned

TEXTS = {
    "a": "Japan faces 24% levies.\nAkazawa met Bessent in Washington.",
    "b": "Italy's Meloni visits on Thursday.",
    "c": "The Kestrian cod quota falls to 40,000 tonnes.",
}


def _rebuilt(manifest: Manifest) -> Vocabulary:
    return Vocabulary(
        p for e in manifest.entries() for p in e.document.text.split("\n") if p.strip()
    )


def _same(one: Vocabulary, other: Vocabulary) -> bool:
    probes = ["japan", "levy", "meloni", "kestrian", "tonn", "quota", "akazawa"]
    lexicon = load_lexicon()
    concepts = lexicon.concepts("Who met Bessent in Washington about Italy's cod quota?")
    return (
        all(one.idf(t) == other.idf(t) for t in probes)
        and all(one.knows(w) == other.knows(w) for w in ["Meloni", "Kestria", "Tokyo", "Vietnam"])
        and [one.concept_df(c) for c in concepts] == [other.concept_df(c) for c in concepts]
    )


def test_incremental_updates_match_a_full_rebuild(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path / "m.sqlite3")
    vocabulary = CorpusVocabulary(manifest)
    for doc_id, text in TEXTS.items():
        commit(manifest, planned(doc_id, text))
    first = vocabulary()
    assert _same(first, _rebuilt(manifest)) and first.knows("Meloni")
    commit(manifest, planned("b", "Canada's Carney visits on Friday."))  # edit
    manifest.begin_delete("c")  # delete
    updated = vocabulary()
    assert _same(updated, _rebuilt(manifest))
    assert not updated.knows("Meloni") and updated.knows("Carney") and not updated.knows("Kestria")
    assert first.knows("Meloni")  # a reader holding the old instance is not disturbed


def test_a_saved_vocabulary_is_loaded_by_the_next_process_instead_of_recounted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = Manifest(tmp_path / "m.sqlite3")
    for doc_id, text in TEXTS.items():
        commit(manifest, planned(doc_id, text))
    CorpusVocabulary(manifest, tmp_path / "vocabulary").save()
    assert len(list((tmp_path / "vocabulary").glob("*.json"))) == 1

    counted: list[int] = []
    original = Vocabulary._apply
    monkeypatch.setattr(Vocabulary, "_apply",
                        lambda self, texts, sign: (counted.extend(1 for _ in texts),
                                                   original(self, [], sign))[-1])  # fmt: skip
    fresh = CorpusVocabulary(Manifest(tmp_path / "m.sqlite3"), tmp_path / "vocabulary")
    loaded = fresh()
    assert counted == []  # not one paragraph re-read
    monkeypatch.undo()
    assert _same(loaded, _rebuilt(manifest))
    # the corpus changed since it was saved: counted again, and the stale file replaced
    commit(manifest, planned("b", "Canada's Carney visits on Friday."))
    other = CorpusVocabulary(Manifest(tmp_path / "m.sqlite3"), tmp_path / "vocabulary")
    assert other().knows("Carney") and not other().knows("Meloni")
    other.save()
    assert len(list((tmp_path / "vocabulary").glob("*.json"))) == 1


def test_unchanged_generation_returns_the_same_instance(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path / "m.sqlite3")
    commit(manifest, planned("a", TEXTS["a"]))
    vocabulary = CorpusVocabulary(manifest)
    assert vocabulary() is vocabulary()


def test_a_name_joined_by_an_ampersand_is_one_name() -> None:
    vocabulary = Vocabulary(["The STOXX 600 fell 0.7 percent.", "AT&T shares rose."])
    assert vocabulary.unknown_names("How did the S&P 500 react?") == ["S&P"]
    assert vocabulary.unknown_names("How did AT&T shares do?") == []
