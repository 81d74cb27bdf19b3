"""Word-class cues from lemminflect's bundled lexicon (`assistant.language.lemmas`): can a word be a
(finite) verb?

A statement says something happened or is so, so it has a finite verb; a headline in title case,
a byline, a credit or a "Read more" link usually does not. Only lowercase words are looked up
after the first: a capitalised word mid-sentence is a name ("May", "Will", "Trade Talks").
"""

from __future__ import annotations

import re

from assistant.language.lemmas import readings as _readings

_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")
# Contractions that carry a finite verb: "won't", "they're", "we'll", "I've", "I'm", "he'd".
_FINITE_CLITIC = re.compile(r"(?:n['’]t|['’](?:re|ll|ve|m|d))$", re.IGNORECASE)


def word_tokens(text: str) -> list[str]:
    return _WORD.findall(text)


def can_be_verb(word: str) -> bool:
    return bool(_FINITE_CLITIC.search(word)) or bool({"VERB", "AUX"} & set(_readings(word)))


def is_finite_form(word: str) -> bool:
    """An auxiliary, or an inflected verb form that is not a participle in -ing ("said",
    "faces", "is", "won't"); a base form ("share", "read") may be an imperative."""
    if _FINITE_CLITIC.search(word):
        return True
    readings = _readings(word)
    if "AUX" in readings:
        return True
    lower = word.lower()  # "fell" is a verb of its own, and the past of "fall": inflected
    return any(lemma != lower for lemma in readings.get("VERB", ())) and not lower.endswith("ing")


def is_imperative_verb(word: str) -> bool:
    """A base verb form that cannot open a sentence as an adverb or adjective ("Read", "Sign",
    "Subscribe"; not "Still", "Last", "Even")."""
    readings = _readings(word)
    lemmas = readings.get("VERB", ())
    return word.lower() in lemmas and not {"ADJ", "ADV", "AUX"} & set(readings)


def has_verb(words: list[str]) -> bool:
    """A lowercase word after the first that can be a verb, not an -ing form or an infinitive
    after "to" (lenient: "Tariffs hurt exporters." has one)."""
    for index in range(1, len(words)):
        word = words[index]
        if not word[:1].islower() or word.lower().endswith("ing"):
            continue
        if words[index - 1].lower() == "to":
            continue
        if can_be_verb(word):
            return True
    return False


def _plural_noun(word: str) -> bool:
    nouns = _readings(word).get("NOUN", ())
    return bool(nouns) and word.lower() not in nouns


def has_finite(words: list[str]) -> bool:
    """A lowercase finite verb form after the first word; a base form counts after a plural
    noun ("Trade unions plan a strike.": present tense, not an imperative)."""
    for index in range(1, len(words)):
        word = words[index]
        if not word[:1].islower():
            continue
        if is_finite_form(word):
            return True
        if index > 1 and can_be_verb(word) and _plural_noun(words[index - 1]):
            return True
    return False
