"""Stories: the facts and body of one news event, before any outlet lays it out as a page.

A body is a tuple of blocks `(kind, sentences)`: statement paragraphs and the subheads between
them. Fact sentences are kept apart so near-copies can be edited without touching an answer.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from evals.scraped import vocab as v
from evals.scraped.facts import FACTS, NUMERIC, fact_value, revised

Block = tuple[str, tuple[str, ...]]  # (label kind, sentences); a subhead has one "sentence"


def name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(v.SYLLABLES) for _ in range(parts)).capitalize()


def person(rng: random.Random) -> str:
    return f"{name(rng, 2)} {name(rng, rng.choice((2, 2, 3)))}"


@dataclass(frozen=True)
class World:
    """The invented places a collection draws from (one per seed)."""

    towns: tuple[str, ...]
    regions: tuple[str, ...]

    @classmethod
    def make(cls, rng: random.Random, towns: int = 400) -> World:
        made: dict[str, None] = {}
        while len(made) < towns:
            made[name(rng, rng.choice((2, 3, 3)))] = None
        return cls(tuple(made), tuple(name(rng, 3) for _ in range(14)))


@dataclass(frozen=True)
class Story:
    subject: v.Subject
    ctx: dict[str, str]  # slot values shared by every sentence of the story
    cast: tuple[str, ...]  # people the story quotes again and again
    facts: dict[str, tuple[str, str]]  # key -> (answer, the sentence stating it)
    headline: str
    blocks: tuple[Block, ...]
    published: date


class Scene:
    """Fills templates for one story: story slots first, then fresh draws from the rng."""

    def __init__(self, rng: random.Random, ctx: dict[str, str], cast: tuple[str, ...]) -> None:
        self.rng, self.ctx, self.cast = rng, ctx, cast
        r = rng
        self._draw: dict[str, Callable[[], str]] = {
            "n": lambda: f"{r.randint(20, 3000):,}",
            "n_small": lambda: str(r.randint(2, 14)),
            "n_small2": lambda: str(r.randint(15, 60)),
            "n_big": lambda: f"{r.randint(8, 400) * 1000:,}",
            "pct": lambda: str(r.randint(2, 48)),
            "month": lambda: r.choice(v.MONTHS),
            "weekday": lambda: r.choice(v.WEEKDAYS),
            "year0": lambda: str(r.randint(2005, 2019)),
            "year1": lambda: str(r.randint(2020, 2024)),
            "hour": lambda: str(r.randint(6, 9)),
            "hour2": lambda: str(r.randint(16, 20)),
            "p": lambda: r.choice(cast) if r.random() < 0.7 else person(r),
            "role": lambda: r.choice(v.ROLES),
            "quote": lambda: r.choice(v.QUOTES),
            "town2": lambda: r.choice(ctx["near"].split("|")),
            "firm2": lambda: f"{name(r, 2)} Research",
        }

    def fill(self, template: str) -> str:
        slots = dict(self.ctx)
        for key in _slots(template):
            if key not in slots:
                slots[key] = self._draw[key]()
        text = template.format_map(slots)
        return text[0].upper() + text[1:]

    def filler(self) -> str:
        """One statement sentence that states nothing a question asks about."""
        r, roll = self.rng, self.rng.random()
        if roll < 0.45:
            opener = r.choice(v.OPENERS) if r.random() < 0.4 else ""
            actor, verb, obj = r.choice(v.ACTORS), r.choice(v.VERBS), r.choice(v.OBJECTS)
            return self.fill(f"{opener}{actor} {verb} {obj}{r.choice(v.TAILS)}.")
        if roll < 0.65:
            stat, period = r.choice(v.STATS), r.choice(v.PERIODS)
            text = f"{stat} {r.choice(v.MOVES)} by {{pct}} percent {period}, "
            return self.fill(text + r.choice(v.STAT_SOURCES) + ".")
        if roll < 0.82:
            return self.fill(r.choice(v.SAYS))
        return self.fill(r.choice(v.FIXED))


_SLOT_CACHE: dict[str, tuple[str, ...]] = {}


def _slots(template: str) -> tuple[str, ...]:
    if template not in _SLOT_CACHE:
        parts = [p.split("}", 1)[0] for p in template.split("{")[1:]]
        _SLOT_CACHE[template] = tuple(dict.fromkeys(parts))
    return _SLOT_CACHE[template]


def make_story(rng: random.Random, world: World, subject: v.Subject, town: str) -> Story:
    near = rng.sample([t for t in world.towns[:60] if t != town], 3)
    cast = tuple(person(rng) for _ in range(4))
    firm = f"{name(rng, 2)} {rng.choice(v.FIRMS)}"
    ctx = {
        "subj": subject.full, "short": subject.short, "verb": subject.verb,
        "unit": subject.unit, "body": subject.body, "town": town, "Town": town,
        "region": rng.choice(world.regions), "near": "|".join(near),
        "official": f"{rng.choice(v.TITLES)} {person(rng)}",
        "street": f"{name(rng, 2)} {rng.choice(v.STREETS)}",
        "place": f"{name(rng, 2)} {rng.choice(v.PLACES)}",
    }  # fmt: skip
    ctx["Region"] = ctx["region"]
    scene = Scene(rng, ctx, cast)
    keys = [k for k in FACTS if rng.random() < 0.85]
    facts: dict[str, tuple[str, str]] = {}
    for key in keys:
        value = fact_value(rng, key, subject.unit, person(rng), firm)
        template = rng.choice(FACTS[key].sentences).replace("{value}", value)
        facts[key] = (value, scene.fill(template))
    published = date(2025, 1, 1) + timedelta(days=rng.randint(0, 600))
    story = Story(subject, ctx, cast, facts, scene.fill(rng.choice(v.HEADLINES)), (), published)
    return replace(story, blocks=_body(rng, scene, story))


def _body(rng: random.Random, scene: Scene, story: Story) -> tuple[Block, ...]:
    paragraphs = rng.randint(15, 30)
    per_paragraph = rng.randint(8_000, 10_000) // paragraphs
    homes = rng.sample(range(1, paragraphs), min(len(story.facts), paragraphs - 1))
    by_home = dict(zip(homes, story.facts, strict=False))
    blocks: list[Block] = []
    for i in range(paragraphs):
        sentences = [scene.fill(rng.choice(v.LEDES))] if i == 0 else []
        key = by_home.get(i)
        if key is not None:
            if rng.random() < 0.45:  # a subhead echoing the question, right above the answer
                kind, text = rng.choice(FACTS[key].echoes)
                blocks.append((kind, (scene.fill(text),)))
            sentences.append(story.facts[key][1])
        elif i > 2 and rng.random() < 0.18:
            heading = rng.random() < 0.5
            kind, pool = ("heading", v.HEADINGS) if heading else ("question", v.SUBHEAD_QUESTIONS)
            blocks.append((kind, (rng.choice(pool),)))
        while sum(len(s) + 1 for s in sentences) < per_paragraph:
            sentences.append(scene.filler())
        blocks.append(("statement", tuple(sentences)))
    return tuple(blocks)


def near_copy(rng: random.Random, story: Story) -> Story:
    """A syndicated rewrite: new headline, a few words swapped, one sentence dropped, one added."""
    scene = Scene(rng, story.ctx, story.cast)
    keep = {sentence for _, sentence in story.facts.values()}
    blocks = list(story.blocks)
    paragraphs = [i for i, (kind, _) in enumerate(blocks) if kind == "statement"]
    for i in paragraphs:
        if rng.random() < 0.3:
            sentences = list(blocks[i][1])
            j = rng.randrange(len(sentences))
            if sentences[j] not in keep:
                old, new = rng.choice(v.SWAPS)
                sentences[j] = sentences[j].replace(f" {old} ", f" {new} ", 1)
                blocks[i] = ("statement", tuple(sentences))
    drop = [(i, j) for i in paragraphs for j, s in enumerate(blocks[i][1])
            if s not in keep and j > 0 and len(blocks[i][1]) > 2]  # fmt: skip
    if drop:
        i, j = rng.choice(drop)
        blocks[i] = ("statement", blocks[i][1][:j] + blocks[i][1][j + 1 :])
    i = rng.choice(paragraphs)
    blocks[i] = ("statement", (*blocks[i][1], scene.filler()))
    headline = scene.fill(rng.choice(v.HEADLINES))
    while headline == story.headline:
        headline = scene.fill(rng.choice(v.HEADLINES))
    later = story.published + timedelta(days=rng.randint(0, 1))
    return replace(story, headline=headline, blocks=tuple(blocks), published=later)


def updated(rng: random.Random, story: Story) -> tuple[Story, str]:
    """A later version: one figure revised and a paragraph added. Returns it and the fact key."""
    key = next((k for k in NUMERIC if k in story.facts), "")
    if not key:
        return story, ""
    old, sentence = story.facts[key]
    new = revised(rng, key, old)
    fixed = sentence.replace(old, new)
    blocks = [(k, tuple(fixed if s == sentence else s for s in ss)) for k, ss in story.blocks]
    note = Scene(rng, story.ctx, story.cast).fill(
        f"On {{weekday}} the {{body}} revised its figures, replacing the earlier {old}."
    )
    blocks.insert(
        len(blocks) - 1, ("statement", (note, Scene(rng, story.ctx, story.cast).filler()))
    )
    facts = {**story.facts, key: (new, fixed)}
    later = story.published + timedelta(days=rng.randint(1, 6))
    return replace(story, facts=facts, blocks=tuple(blocks), published=later), key
