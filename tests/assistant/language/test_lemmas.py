"""Our loader of lemminflect's lookup must read exactly what lemminflect itself reads."""

from __future__ import annotations

import lemminflect
from lemminflect.core.Lemmatizer import Lemmatizer

from assistant.language.lemmas import readings


def test_every_word_reads_as_lemminflect_reads_it() -> None:
    lemmatizer = Lemmatizer()
    words = set(lemmatizer._getLemmaDict()) | set(lemmatizer._getOverridesDict())
    assert len(words) > 50_000
    differ = [w for w in words if dict(readings(w)) != lemminflect.getAllLemmas(w.lower())]
    assert differ == []


def test_irregular_forms_and_unknown_words() -> None:
    assert readings("sent")["VERB"] == ("send",)
    assert readings("Levies")["NOUN"] == ("levy",)  # looked up lowercased
    assert "AUX" in readings("would")  # the lookup's "modal" category
    assert readings("hanoi") == {}  # capitalised rows are never found, as in lemminflect
    assert readings("zzqx") == {}
