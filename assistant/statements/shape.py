"""Is a source sentence a statement? Decided from its shape and the shape of its line.

Scraped pages keep one block per line: headline, byline, dateline, subheads, captions and
credits, share and subscribe lines, navigation. Only statements may be quoted as answers or
briefing bullets; the rest still helps retrieval as passage context. No phrase lists: a
sentence is judged by punctuation, word classes and position, a line by its layout.

Sentence kinds, first match wins:

* title — the document's title (or one ` | `-separated part of it);
* question — ends with "?" (a subhead such as "How was he captured?");
* fragment — no terminal punctuation (headline, byline, dateline, label, credit);
* verbless — no word after the first that can be a verb ("By Anna Melroy.", "Advertisement.");
* imperative — opens with a bare verb and its first clause has no finite verb ("Sign up for
  our briefing, delivered daily.", "Read more: …");
* statement — everything else, however short ("Talks resumed.").

Line kinds override them: navigation (three or more short segments between separators),
repeated (the source's boilerplate, see `boilerplate.py`), credit (a short unpunctuated
"Name/Agency" or "Photo: Mostly Capitalised Name" line, or one opening with ©), imperative (a
line of one or two sentences ending in an imperative: "Our newsletter is free. Sign up here.")
and caption (the one- or two-sentence statement-shaped line just above a credit — or just below
it when the line above cannot be one — or the rest of a line ending in a credit).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from typing import Literal

from assistant.intake.chunking import sentence_spans
from assistant.statements.grammar import has_finite, has_verb, is_imperative_verb, word_tokens

Kind = Literal[
    "statement", "question", "title", "fragment", "verbless", "imperative",
    "navigation", "repeated", "credit", "caption",
]  # fmt: skip
STATEMENT: Kind = "statement"

_CLOSE = "\"'”’)]"
_TERMINAL = re.compile(rf"[.!…][{re.escape(_CLOSE)}]*$")
_QUESTION = re.compile(rf"\?[{re.escape(_CLOSE)}]*$")
_OPENERS = "\"'“‘(["
_NAV_SEPARATOR = re.compile(r"\s+[|·•»>/›]\s+|\s{3,}")
_CLAUSE_END = re.compile(r"[,;:()–—]|\s-\s")
# "Tess Arlen/Corvel Courier", "Rowe / MDW", "(Corvel Courier)/Tess Arlen"
_SLASH_NAME = re.compile(r"[A-Za-z)]\s?/\s?\(?[A-Z]")
_LABEL = re.compile(r"^[A-Za-z]+:\s+(.+)$")  # "Photo: Tess Arlen"
_TITLE_PARTS = re.compile(r"\s+[|–—-]\s+")

NAV_SEGMENTS = 3  # a menu or breadcrumb has at least this many short segments
NAV_SEGMENT_WORDS = 4
CREDIT_WORDS = 12
CREDIT_NAME_SHARE = 0.6  # of the words after "Photo:" that are capitalised (a name)
CAPTION_SENTENCES = 2
CALL_SENTENCES = 2  # a short line that ends telling the reader what to do is a call to action

RepeatedLine = Callable[[str], bool]


def _never(_: str) -> bool:
    return False


def _norm(text: str) -> str:
    return " ".join(text.split()).lower().strip(" .!:;,-–—|" + _OPENERS + _CLOSE)


def _is_title(sentence: str, title: str) -> bool:
    norm = _norm(sentence)
    if not norm or not title.strip():
        return False
    if norm == _norm(title):
        return True
    parts = {_norm(p) for p in _TITLE_PARTS.split(title)}
    return norm in parts and len(norm.split()) >= 3


def _imperative(sentence: str, words: list[str]) -> bool:
    if not words or sentence[:1] in _OPENERS or not sentence.startswith(words[0]):
        return False
    if not is_imperative_verb(words[0]):
        return False
    after = sentence[len(words[0]) :]
    if after.startswith(","):  # "Police, who arrived later, said …": a subject, not a verb
        return False
    clause = _CLAUSE_END.split(after, maxsplit=1)[0]
    return not has_finite([words[0], *word_tokens(clause)])


def sentence_kind(sentence: str, title: str = "") -> Kind:
    """The kind of one sentence judged on its own (see the module docstring)."""
    core = sentence.strip()
    if _is_title(core, title):
        return "title"
    if _QUESTION.search(core):
        return "question"
    if not _TERMINAL.search(core):
        return "fragment"
    words = word_tokens(core)
    if not has_verb(words):
        return "verbless"
    if _imperative(core, words):
        return "imperative"
    return STATEMENT


def is_navigation(line: str) -> bool:
    parts = [p for p in _NAV_SEPARATOR.split(line.strip()) if p.strip()]
    return len(parts) >= NAV_SEGMENTS and all(
        len(word_tokens(p)) <= NAV_SEGMENT_WORDS for p in parts
    )


def is_credit(text: str) -> bool:
    """A photo credit: short, unpunctuated, "Name/Agency" or "Label: Name", maybe bracketed."""
    core = text.strip()
    if core.startswith("(") and core.endswith(")"):
        core = core[1:-1].strip()
    words = word_tokens(core)
    if not words or len(words) > CREDIT_WORDS or _TERMINAL.search(core) or _QUESTION.search(core):
        return False
    if len(sentence_spans(core)) > 1:  # a caption with its credit after it, not a credit
        return False
    if _SLASH_NAME.search(core):
        return True
    label = _LABEL.match(core)
    if label is None or any(ch.isdigit() or ch == "," for ch in label.group(1)):
        return False  # a date ("Published: 22/04/2031") or a list ("Topics: Energy, Port")
    name = word_tokens(label.group(1))  # "Jon Aster", "Jon Aster for The Velmont Ledger"
    capitalised = sum(1 for w in name if w[:1].isupper())
    return bool(name) and capitalised >= CREDIT_NAME_SHARE * len(name)


class Page:
    """One document's lines and sentences, each with its kind.

    `text` starts at `offset` in its document (a passage of it, or the whole of it), so kinds
    are asked for by document offsets like citations.
    """

    def __init__(
        self, text: str, title: str = "", *, repeated: RepeatedLine = _never, offset: int = 0
    ) -> None:
        self._text, self._title, self._offset = text, title, offset
        self._lines: list[tuple[int, int]] = []
        self._line_kinds: dict[int, Kind] = {}  # by line index: the whole line's kind
        self._kinds: dict[tuple[int, int], Kind] = {}  # by sentence span (document offsets)
        for match in re.finditer(r"[^\n]+", text):
            if match.group().strip():
                self._lines.append((match.start() + offset, match.end() + offset))
        self._starts = [start for start, _ in self._lines]
        self._mark_lines(repeated)

    def _line_text(self, index: int) -> str:
        start, end = self._lines[index]
        return self._text[start - self._offset : end - self._offset]

    def _sentences(self, index: int) -> list[tuple[int, int]]:
        return sentence_spans(self._line_text(index), offset=self._lines[index][0])

    def _span_text(self, start: int, end: int) -> str:
        return self._text[start - self._offset : end - self._offset]

    def _mark_lines(self, repeated: RepeatedLine) -> None:
        for index in range(len(self._lines)):
            line = self._line_text(index).strip()
            if is_navigation(line):
                self._line_kinds[index] = "navigation"
            elif repeated(line):
                self._line_kinds[index] = "repeated"
            elif line.startswith("©") or is_credit(line):
                self._line_kinds[index] = "credit"
        for index in range(len(self._lines)):
            if index in self._line_kinds:
                continue
            sentences = self._sentences(index)
            kinds = [sentence_kind(self._span_text(*s), self._title) for s in sentences]
            if kinds and kinds[-1] == "imperative" and len(kinds) <= CALL_SENTENCES:
                self._line_kinds[index] = "imperative"  # "Our newsletter is free. Sign up."
            elif len(sentences) > 1 and is_credit(self._span_text(*sentences[-1])):
                self._kinds[sentences[-1]] = "credit"
                self._mark_caption(index, sentences[:-1])
        for index in range(len(self._lines)):
            # also when the source repeats the credit; the caption is usually above it
            if is_credit(self._line_text(index)) and not self._mark_caption(index - 1):
                self._mark_caption(index + 1)

    def _mark_caption(self, index: int, sentences: list[tuple[int, int]] | None = None) -> bool:
        """Mark line `index` (or those of its `sentences`) a caption if it can be one: a
        sentence or two describing a photo; a longer block is article text."""
        if not 0 <= index < len(self._lines) or index in self._line_kinds:
            return False
        sentences = self._sentences(index) if sentences is None else sentences
        if not 0 < len(sentences) <= CAPTION_SENTENCES:
            return False
        if any(self._kinds.get(s) == "caption" for s in sentences):
            return False  # already the caption of another credit
        if all(sentence_kind(self._span_text(*s), self._title) == STATEMENT for s in sentences):
            self._kinds.update(dict.fromkeys(sentences, "caption"))
            return True
        return False

    def kind(self, start: int, end: int) -> Kind:
        """The kind of the sentence at document offsets [start, end)."""
        index = bisect_right(self._starts, start) - 1
        if 0 <= index < len(self._lines) and start < self._lines[index][1]:
            line_kind = self._line_kinds.get(index)
            if line_kind is not None:
                return line_kind
        known = self._kinds.get((start, end))
        if known is None:
            known = sentence_kind(self._span_text(start, end), self._title)
            self._kinds[(start, end)] = known
        return known

    def is_statement(self, start: int, end: int) -> bool:
        return self.kind(start, end) == STATEMENT

    def sentences(self) -> list[tuple[int, int, Kind]]:
        """Every sentence of the page with its kind, in order."""
        return [(s, e, self.kind(s, e)) for i in range(len(self._lines)) for s, e in
                self._sentences(i)]  # fmt: skip
