"""Parties and positions: who is who, and who said what (quotes kept apart from reported claims).

Rules over capitalised runs: "Japanese Prime Minister Shigeru Ishiba" → role + name; an
appositive ("Kurt Tong, managing partner at The Asia Group, …") → role; a surname alone
("Ishiba") resolves to the fullest form seen anywhere in the pool.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answering.evidence import Evidence
from assistant.briefs.spans import Span
from assistant.language.clauses import clause_breaks, inside_quote
from assistant.types import Statement

TITLE_WORDS = frozenset(
    "president prime minister secretary chancellor governor senator ambassador chairman chair "
    "ceo director spokesperson spokesman spokeswoman premier king queen mayor commissioner "
    "treasurer envoy negotiator representative".split()
)
_RUN = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+(?:of\s+)?[A-Z][\w'’.-]*)*")
_LEADING_NOISE = frozenset("while the a an and but as if when after before these this".split())
_VERB = re.compile(
    r"\b(said|says|stated|states|noted|notes|told|described|announced|argued|warned|added|"
    r"insisted|declared|urged|wrote|posted|stating|saying|(?:has |have )?ruled out)\b"
)
_ORG_ROLE = re.compile(
    r"\b((?:The\s+)?(?:[A-Z][\w'’]*\s+)+(?:press secretary|spokesperson|spokesman|spokeswoman))"
)
_APPOSITIVE = re.compile(r"^,\s+((?:[a-z][\w'’-]*\s+)[^,\"“”]{3,120}?),")
_ROLE_NOUN = re.compile(
    r"\b(partner|official|minister|secretary|director|analyst|economist|professor|chief|head|"
    r"founder|adviser|advisor|president|chair\w*|executive|lawmaker|senator|member|fellow|"
    r"strategist|spokes\w+|ambassador|governor|negotiator|researcher|editor|correspondent)\b"
)
_QUOTED = re.compile(r"[\"“]([^\"”]+)[\"”]")


@dataclass(frozen=True)
class Person:
    name: str
    role: str | None
    role_span: Span | None  # where the role is stated


@dataclass(frozen=True)
class Mention:
    name: str  # as written (may be a surname)
    role: str | None
    start: int  # offsets local to the sentence
    end: int
    possessive: bool  # "Trump's tariffs": a mention, not a speaker


@dataclass(frozen=True)
class FoundStatement:
    statement: Statement
    span: Span
    person: Person | None


def _mentions(text: str) -> list[Mention]:
    mentions = []
    for match in _RUN.finditer(text):
        words = match.group().split()
        offset = match.start()
        while words and words[0].lower() in _LEADING_NOISE:
            offset = text.index(words[1], offset) if len(words) > 1 else match.end()
            words = words[1:]
        if not words:
            continue
        title_at = max((i for i, w in enumerate(words) if w.lower() in TITLE_WORDS), default=-1)
        name_words = words[title_at + 1 :]
        if not name_words:
            continue
        role = " ".join(words[: title_at + 1]) or None
        after = text[match.end() :]
        appositive = _APPOSITIVE.match(after)
        if (
            role is None
            and appositive
            and _ROLE_NOUN.search(appositive.group(1))
            and not _VERB.search(appositive.group(1))
            and not inside_quote(text, match.start())
        ):
            role = appositive.group(1).strip()
        name = " ".join(name_words).rstrip(".")
        possessive = name.endswith(("'s", "’s"))
        name = name.removesuffix("'s").removesuffix("’s")
        mentions.append(Mention(name, role, offset, match.end(), possessive))
    return mentions


def people_index(evidence: Sequence[Evidence]) -> dict[str, Person]:
    """Known people by every form of their name (full name and surname)."""
    people: dict[str, Person] = {}
    for item in evidence:
        for m in _mentions(item.text):
            if m.role is None or len(m.name.split()) > 4:
                continue
            role_span = Span(item, item.start, item.end)
            existing = people.get(m.name.split()[-1])
            full = m.name if not existing or len(m.name) >= len(existing.name) else existing.name
            person = Person(
                full,
                existing.role if existing and existing.role else m.role,
                existing.role_span if existing and existing.role else role_span,
            )
            people[person.name] = people[person.name.split()[-1]] = person
    return people


def _speaker_at(
    text: str, mentions: list[Mention], verb_at: int, clause_start: int, people: dict[str, Person]
) -> Mention | None:
    known = [
        m
        for m in mentions
        if m.end <= verb_at and not m.possessive and (m.role or m.name in people)
    ]
    in_clause = [m for m in known if m.start >= clause_start]
    if in_clause:
        return in_clause[-1]
    return known[0] if known else None


def statements_in(evidence: Evidence, people: dict[str, Person]) -> list[FoundStatement]:
    """Attributed statements in one sentence, split where a new speaker's clause begins."""
    text = evidence.text
    mentions = _mentions(text)
    breaks = [0] + [end for _, end in clause_breaks(text)]
    found: list[tuple[int, str, str | None, Person | None]] = []  # (start, speaker, role, person)
    for verb in _VERB.finditer(text):
        clause_start = max(b for b in breaks if b <= verb.start())
        org = [m for m in _ORG_ROLE.finditer(text) if m.end() <= verb.start()]
        mention = _speaker_at(text, mentions, verb.start(), clause_start, people)
        if org and (mention is None or org[-1].start() > mention.end):
            speaker, role, person, start = org[-1].group(1).removeprefix("The "), None, None, 0
        elif mention is not None:
            person = people.get(mention.name) or people.get(mention.name.split()[-1])
            speaker = person.name if person else mention.name
            role = person.role if person else mention.role
            start = clause_start if mention.start >= clause_start else 0
        else:
            continue
        if not found or found[-1][1] != speaker:
            found.append((start, speaker, role, person))
    results = []
    for i, (start, speaker, role, person) in enumerate(found):
        end = found[i + 1][0] if i + 1 < len(found) else len(text)
        local = text[start:end].rstrip(" ,;")
        quote = next((q for q in _QUOTED.findall(local) if len(q.split()) >= 3), None)
        span = Span(evidence, evidence.start + start, evidence.start + start + len(local))
        statement = Statement(speaker, role, "quote" if quote else "reported", quote)
        results.append(FoundStatement(statement, span, person))
    return results
