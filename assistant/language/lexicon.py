"""Equivalent wordings: near-synonyms and country names, so "Tokyo" can find "Japan".

A bi-encoder scores "automobiles" close to "cars" but "retaliate" no closer to "countermeasures"
than to "rush", so term matching alone decides too much. This lexicon gives each question term
the other wordings news copy uses for the same thing: tight synonym groups for trade, markets
and politics (`data/synonyms.txt`, extendable with a user file) and, for every country, its
names, capital and demonym (`data/countries.tsv`, generated from the `countryinfo` data).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from assistant.errors import ConfigError
from assistant.language.lemmas import readings
from assistant.language.words import QUESTION_WORDS, STOPWORDS, stem

Form = tuple[str, ...]  # a wording as a sequence of normalised tokens

_DATA = Path(__file__).parent / "data"
_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Za-z][A-Za-z'’-]*|\d+(?:[.,]\d+)*%?")
_US = "u.s."  # "US" the country, kept apart from "us" the pronoun
_MAX_PHRASE = 6
_LEMMA_ORDER = ("VERB", "NOUN", "ADJ", "ADV", "AUX")  # a verb's lemma undoes irregular forms


@cache
def _lemma(word: str) -> str:
    """sent → send, fell → fall, levies → levy; then the light stemmer, as everywhere else."""
    lemmas = readings(word)
    for pos in _LEMMA_ORDER:
        if pos in lemmas:
            return stem(lemmas[pos][0])
    return stem(word)


def tokens(text: str) -> list[str]:
    """Normalised tokens: lowercased stems; dotted and upper-case "US" become one country token."""
    out = []
    for match in _TOKEN.finditer(text):
        raw = match.group()
        bare = raw.replace(".", "")
        if bare in ("US", "USA"):
            out.append(_US)
        elif "." in raw:
            out.append(bare.lower())
        else:
            out.append(_lemma(raw.lower().removesuffix("'s").removesuffix("’s")))
    return out


@dataclass(frozen=True)
class Wording:
    """A text's tokens in order (for phrases) and as a set (for single words)."""

    sequence: tuple[str, ...]
    vocabulary: frozenset[str]

    def contains(self, form: Form) -> bool:
        if len(form) == 1:
            return form[0] in self.vocabulary
        if not all(token in self.vocabulary for token in form):
            return False
        width, seq = len(form), self.sequence
        return any(seq[i : i + width] == form for i in range(len(seq) - width + 1))


@lru_cache(maxsize=65_536)
def wording(text: str) -> Wording:
    """Cached: the same candidate sentences come back for question after question."""
    sequence = tuple(tokens(text))
    return Wording(sequence, frozenset(sequence))


@dataclass(frozen=True)
class Concept:
    """One thing a question asks about, and every wording that expresses it."""

    surface: str  # as written in the question
    forms: frozenset[Form]

    def found_in(self, text: Wording) -> bool:
        return any(text.contains(form) for form in self.forms)


class Lexicon:
    def __init__(
        self,
        groups: Iterable[Iterable[str]],
        regions: Iterable[tuple[list[str], list[str]]] = (),
    ) -> None:
        self._groups: dict[Form, set[Form]] = {}
        self._terms: dict[Form, set[str]] = {}  # the group members as written, for search
        for group in groups:
            self._add_group(group)
        # One way only: "a Southeast Asian country" may be Vietnam; Vietnam is not every one.
        self._narrower: dict[Form, set[Form]] = {}
        for wordings, members in regions:
            self._add_group(wordings)
            wider = {tuple(tokens(w)) for w in wordings} - {()}
            narrower = set().union(*(self.equivalents(tuple(tokens(m))) for m in members))
            for form in wider:
                self._narrower.setdefault(form, set()).update(narrower)

    def _add_group(self, group: Iterable[str]) -> None:
        written = {term: tuple(tokens(term)) for term in group}
        forms = set(written.values()) - {()}
        for form in forms:
            self._groups.setdefault(form, set()).update(forms)
            self._terms.setdefault(form, set()).update(t for t, f in written.items() if f)

    def written(self, text: str) -> frozenset[str]:
        """Every wording of `text`'s group as written ("premier" → "prime minister", "PM" …)."""
        return frozenset(self._terms.get(tuple(tokens(text)), set()) | {text})

    def equivalents(self, form: Form, *, narrower: bool = False) -> frozenset[Form]:
        """Other wordings of `form`; with `narrower`, a region's countries in all their wordings."""
        same = self._groups.get(form, set()) | {form}
        if not narrower:
            return frozenset(same)
        return frozenset(same.union(*(self._narrower.get(f, set()) for f in same)))

    def expansion(self, text: str, known: Callable[[Form], bool] | None = None) -> str:
        """`text` plus other wordings of its concepts: a keyword query that finds a source
        saying "countermeasures" for a question saying "retaliate". With `known` (does the
        corpus use this wording?), only wordings the corpus lacks are expanded: an added synonym
        weighs as much as the user's own word, so it must not drown a word that matches."""
        extra: set[str] = set()
        for concept in self.concepts(text):
            if known is not None and known(tuple(tokens(concept.surface))):
                continue
            for form in concept.forms:
                extra.update(self._terms.get(form, ()))
        lower = text.lower()
        return " ".join([text, *sorted(t for t in extra if t.lower() not in lower)])

    def concepts(self, text: str) -> list[Concept]:
        """The question's content, longest lexicon phrase first ("hit back", "South Korea")."""
        found: list[Concept] = []
        matches = list(_TOKEN.finditer(text))
        seq = tokens(text)
        i = 0
        while i < len(seq):
            for width in range(min(_MAX_PHRASE, len(seq) - i), 0, -1):
                form = tuple(seq[i : i + width])
                if (width > 1 and form in self._groups) or width == 1:
                    break
            surface = text[matches[i].start() : matches[i + width - 1].end()]
            # "Which Asian minister" asks for one of Asia's countries; "Asian markets" does not.
            asks_member = i > 0 and matches[i - 1].group().lower() in ("which", "what")
            if width > 1 or _is_content(matches[i].group(), seq[i]):
                found.append(Concept(surface, self.equivalents(form, narrower=asks_member)))
            i += width
        return found


def _is_content(raw: str, token: str) -> bool:
    lower = raw.lower()
    if token == _US:
        return True
    return len(lower) >= 2 and lower not in STOPWORDS and lower not in QUESTION_WORDS


def _synonym_groups(path: Path) -> Iterator[list[str]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            yield [term.strip() for term in line.split(",") if term.strip()]


def _country_groups(path: Path) -> Iterator[list[str]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, others, capital, demonym = [*line.split("\t"), "", "", ""][:4]
        yield [name, *others.split("|"), capital, demonym]


def _regions(path: Path) -> Iterator[tuple[list[str], list[str]]]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        wordings, members = line.split("\t")
        yield wordings.split("|"), members.split("|")


@cache
def load_lexicon(extra: Path | None = None) -> Lexicon:
    """The packaged groups plus, optionally, a user's synonyms file in the same format."""
    groups = [*_synonym_groups(_DATA / "synonyms.txt"), *_country_groups(_DATA / "countries.tsv")]
    if extra is not None:
        try:
            groups.extend(_synonym_groups(extra))
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"cannot read BRIEFING_SYNONYMS_FILE {extra}: {error}") from None
    return Lexicon(groups, _regions(_DATA / "regions.tsv"))
