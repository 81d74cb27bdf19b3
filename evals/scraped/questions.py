"""Questions over the generated pages, and which of them are lexical traps.

A question is a trap when, in its first gold page, a non-statement line (subhead, heading,
caption, title, boilerplate) matches it better than every statement sentence does: more
content words shared with the question, or as many and a shorter text (as any length-normalised
scorer would prefer). A naive lexical answerer would quote that line instead of the answer.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from evals.scraped.facts import FACTS, NEVER_STATED
from evals.scraped.pages import Line
from evals.scraped.stories import Story

_STOP = frozenset(
    "a an the in of to is be will what how who which when did does do was it its at with for on "
    "and by from that this are much many has have as".split()
)
_WORD = re.compile(r"[a-z0-9]+")
_SENTENCE = re.compile(r'(?<=[.!?])\s+(?=["A-Z])|(?<=[.!?]")\s+')


@dataclass(frozen=True)
class Group:
    """One story and every page it appears on (syndicated copies, updated versions)."""

    story: Story
    doc_ids: tuple[str, ...]
    revised: str  # the fact whose figure changed between versions ("" if none): never asked


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in _STOP)


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text) if s]


def trap(question: str, lines: list[Line]) -> Line | None:
    """The non-statement line that out-scores every statement sentence, if there is one."""
    asked = _words(question)
    best: dict[bool, tuple[tuple[int, int], Line | None]] = {
        True: ((0, 0), None),
        False: ((0, 0), None),
    }
    for kind, text in lines:
        statement = kind == "statement"
        for unit in sentences(text) if statement else [text]:
            score = (len(asked & _words(unit)), -len(unit))
            if score[0] and score > best[statement][0]:
                best[statement] = (score, (kind, text))
    return best[False][1] if best[False][0] > best[True][0] else None


def _stated(answer: str, lines: list[Line]) -> bool:
    return any(kind == "statement" and answer in text for kind, text in lines)


def make_questions(
    rng: random.Random, groups: list[Group], lines: dict[str, list[Line]], count: int
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """`count` questions (every sixth unanswerable, near-miss) and the trap records."""
    order = rng.sample(range(len(groups)), len(groups))
    taken = {(g.story.subject.full, g.story.ctx["town"]) for g in groups}
    subjects = sorted({g.story.subject.full for g in groups})
    asked: set[tuple[int, str]] = set()
    questions: list[dict[str, object]] = []
    traps: list[dict[str, object]] = []
    for n in range(count):
        qid = f"sq{n:04d}"
        group = groups[order[n % len(groups)]]
        ctx = group.story.ctx
        if n % 6 == 5:
            text = _unanswerable(rng, group, taken, subjects)
            questions.append({"id": qid, "question": text, "answers": [], "gold_doc_ids": [],
                              "answerable": False})  # fmt: skip
            continue
        keys = [k for k in group.story.facts if k != group.revised]
        fresh = [k for k in keys if (order[n % len(groups)], k) not in asked] or keys
        key = rng.choice(fresh)
        asked.add((order[n % len(groups)], key))
        answer = group.story.facts[key][0]
        gold = [d for d in group.doc_ids if _stated(answer, lines[d])]
        text = _cap(rng.choice(FACTS[key].questions).format_map(ctx))
        questions.append({"id": qid, "question": text, "answers": [answer],
                          "gold_doc_ids": gold, "answerable": True})  # fmt: skip
        found = trap(text, lines[gold[0]])
        if found is not None:
            traps.append({"question_id": qid, "trap_text": found[1], "trap_kind": found[0]})
    return questions, traps


def _unanswerable(
    rng: random.Random, group: Group, taken: set[tuple[str, str]], subjects: list[str]
) -> str:
    """A near miss: a fact this story never gives, or a project that no story covers."""
    ctx = group.story.ctx
    missing = [k for k in FACTS if k not in group.story.facts]
    roll = rng.random()
    if missing and roll < 0.4:
        return _cap(rng.choice(FACTS[rng.choice(missing)].questions).format_map(ctx))
    others = [s for s in subjects if (s, ctx["town"]) not in taken]
    if others and roll < 0.7:
        key = rng.choice(list(FACTS))
        template = FACTS[key].questions[0] if key != "capacity" else FACTS[key].questions[1]
        return _cap(template.format_map({**ctx, "subj": rng.choice(others)}))
    return _cap(rng.choice(NEVER_STATED).format_map(ctx))


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]
