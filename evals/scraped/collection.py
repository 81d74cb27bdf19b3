"""Assemble a generated scraped-news collection: stories → pages → records, questions, labels.

Most stories appear once; a `syndicated` share appear as 2–6 near-copies on different outlets,
and about one in a hundred as an updated version at the same URL. Pages are ordered by date and
numbered `scr-00000…`, so the same arguments always give the same collection.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from evals.scraped import vocab as v
from evals.scraped.pages import Line, Outlet, make_outlets, render, url
from evals.scraped.questions import Group, make_questions
from evals.scraped.stories import Story, World, make_story, name, near_copy, updated

Record = dict[str, object]
UPDATED_SHARE = 0.01


@dataclass(frozen=True)
class ScrapedCollection:
    corpus: list[Record]  # {"id","title","text","published","url","source"}
    questions: list[Record]  # the evals/jsonl.py question format
    labels: list[Record]  # {"doc_id","line","text","kind"} for the first labelled pages
    traps: list[Record]  # {"question_id","trap_text","trap_kind"}
    syndicated_groups: list[list[str]]  # doc ids of each syndicated or updated story


@dataclass(frozen=True)
class _Page:
    group: int
    story: Story
    outlet: Outlet
    url: str
    lines: list[Line]


def generate(
    docs: int, questions: int, seed: int, syndicated: float = 0.07, labelled: int = 40
) -> ScrapedCollection:
    rng = random.Random(seed)
    world, outlets = World.make(rng, max(400, docs // 8)), make_outlets(rng)
    agencies = tuple(name(rng, 2) for _ in range(3))
    free = [(s, t) for t in world.towns for s in v.SUBJECTS]
    pages: list[_Page] = []
    stories: list[tuple[Story, str]] = []  # the first version, and the fact later revised
    headlines: list[str] = []
    while len(pages) < docs:
        subject, town = free.pop(rng.randrange(len(free)))
        story, group = make_story(rng, world, subject, town), len(stories)
        others = rng.sample(headlines, min(6, len(headlines))) or ["Weather: a mild week ahead"]
        room, roll, revised = docs - len(pages), rng.random(), ""
        if roll < syndicated and room >= 2:
            wire = rng.choice(agencies)
            chosen = rng.sample(outlets, min(rng.randint(2, 6), room))
            copies = [story] + [near_copy(rng, story) for _ in chosen[1:]]
            for copy, outlet in zip(copies, chosen, strict=True):
                page = render(rng, copy, outlet, wire, others)
                pages.append(_Page(group, copy, outlet, url(outlet, copy, copy.headline), page))
        elif roll < syndicated + UPDATED_SHARE and room >= 2:
            outlet = rng.choice(outlets)
            later, revised = updated(rng, story)
            address = url(outlet, story, story.headline)
            for version in (story, later) if revised else (story,):
                page = render(rng, version, outlet, outlet.name, others)
                pages.append(_Page(group, version, outlet, address, page))
        else:
            outlet = rng.choice(outlets)
            page = render(rng, story, outlet, outlet.name, others)
            pages.append(_Page(group, story, outlet, url(outlet, story, story.headline), page))
        stories.append((story, revised))
        headlines.append(story.headline)
    order = sorted(range(len(pages)), key=lambda i: (pages[i].story.published, i))
    ids = {i: f"scr-{n:05d}" for n, i in enumerate(order)}
    corpus = [_record(ids[i], pages[i]) for i in order]
    members: list[list[str]] = [[] for _ in stories]
    for i in order:
        members[pages[i].group].append(ids[i])
    groups = [Group(s, tuple(m), r) for (s, r), m in zip(stories, members, strict=True)]
    lines = {ids[i]: pages[i].lines for i in order}
    qs, traps = make_questions(rng, groups, lines, questions)
    labels = [
        {"doc_id": ids[i], "line": n, "text": text, "kind": kind}
        for i in order[:labelled]
        for n, (kind, text) in enumerate(pages[i].lines)
    ]
    multi = [list(g.doc_ids) for g in groups if len(g.doc_ids) > 1]
    return ScrapedCollection(corpus, qs, labels, traps, multi)


def _record(doc_id: str, page: _Page) -> Record:
    return {
        "id": doc_id,
        "title": page.story.headline,
        "text": "\n".join(text for _, text in page.lines),
        "published": page.story.published.isoformat(),
        "url": page.url,
        "source": page.outlet.name,
    }
