"""Outlets and page layout: how one story becomes the lines of a scraped page.

Each outlet has its own navigation, byline, dateline, credit and boilerplate phrasing, repeated
on every page it publishes (so "this line recurs across the source's pages" is a real signal),
plus a few rare notices that appear on only a handful of pages. Every line carries the label
kind it was built as; those are the ground-truth labels.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from evals.scraped import vocab as v
from evals.scraped.stories import Scene, Story, name, person

Line = tuple[str, str]  # (label kind, text)

_KINDS = ("Wire", "Courier", "Ledger", "Herald", "Post", "Gazette", "Chronicle", "Observer")
_NAV = (
    "Home | World | Business | Sport | Culture", "News  Region  Business  Opinion  Sport",
    "Home › {Section}", "Menu | Search | Sign in", "Latest | Local | Politics | Money | Weather",
    "Top stories · Regions · Business · Climate · Video",
    "Home / {Section} / Latest",
)  # fmt: skip
_BYLINES = (
    "By {r}, {Section} Correspondent", "{r} and {r2}", "By {r} in {town}", "{r} | {outlet}",
    "Written by {r}", "By {r} and {r2}, {outlet}", "{r}, {section} editor",
)  # fmt: skip
_UPDATED = (
    "Updated {hh}:{mm} GMT", "Last updated {d} {Month} {yyyy}, {hh}:{mm}",
    "Published {d} {Month} {yyyy} · {n} min read", "{d}.{m}.{yyyy} {hh}:{mm}",
    "Posted {Weekday} {d} {Month} {yyyy}",
)  # fmt: skip
_CREDITS = (
    "Photo: {r} / {outlet}", "({agency})/{r}", "{r}/{agency}", "Image: {agency}",
    "Photograph: {r} for {outlet}", "Picture: {agency} / {r}",
)  # fmt: skip
_SHARE = (
    "Share this article", "Share: Post | Mail | Copy link", "Share on Chatter | Email | Print",
    "Share  Save  Comment", "Send this story to a friend", "Copy link · Email · Print",
    "Share via Pinwheel or Mail",
)  # fmt: skip
_NEWSLETTER = (
    "Sign up for our newsletter", "Get the {brand} morning briefing in your inbox.",
    "Subscribe to {brand} Daily, free every weekday.", "Never miss a story: sign up now",
    "Our weekly {section} newsletter is free. Sign up here.", "Join 40,000 readers of The Brief",
    "Enter your email to get the evening digest",
)  # fmt: skip
_ADS = ("Advertisement", "ADVERTISEMENT", "Story continues below advertisement",
        "Sponsored content", "Ad", "Advert", "Article continues after this message")  # fmt: skip
_COOKIES = (
    "We use cookies to improve your experience. By continuing you agree to our cookie policy.",
    "This site uses cookies. Manage preferences", "Accept all cookies | Reject | Settings",
    "We and our partners store data on your device. Learn more",
    "Cookies help us deliver our services. OK", "Your privacy choices",
    "By using this site you accept cookies.",
)  # fmt: skip
_FOOTERS = (
    "© {yyyy} {outlet}. All rights reserved.", "Comments are closed for this article.",
    "Back to top", "Terms | Privacy | Contact us", "Join the conversation",
    "{outlet} is not responsible for the content of external sites.", "Report an error",
)  # fmt: skip
_RARE = (
    "Our offices will be closed on {Weekday}; the print edition resumes the day after.",
    "Print subscribers: the {Weekday} edition will be delivered late.",
    "You have read {n} of 10 free articles this month.", "Corrections and clarifications",
    "This article is more than {n} months old.", "Listen to this article",
)  # fmt: skip
_RELATED = ("Related: ", "More on this story: ", "See also: ", "Related coverage: ")
_READ_MORE = ("Read more: ", "READ MORE: ", "Read more: ", "You may also like: ")
_POOLS = (_NAV, _BYLINES, _UPDATED, _CREDITS, _SHARE, _NEWSLETTER, _ADS, _COOKIES)


@dataclass(frozen=True)
class Outlet:
    name: str
    slug: str
    nav: tuple[str, ...]
    title_first: bool
    byline: str
    updated: str
    dateline: str  # "line" | "prefix" | "none"
    credit: str
    credit_first: bool
    share: str
    newsletter: str
    ad: str
    cookie: str
    cookie_top: bool
    footers: tuple[str, ...]
    related: str  # "Related: ..." style navigation prefix
    read_more: str
    reporters: tuple[str, ...]


def make_outlets(rng: random.Random, count: int = 7) -> tuple[Outlet, ...]:
    kinds = rng.sample(_KINDS, count)
    orders = {id(pool): rng.sample(pool, len(pool)) for pool in _POOLS}

    def pick(pool: tuple[str, ...], i: int) -> str:
        return orders[id(pool)][i % len(pool)]

    outlets = []
    for i, kind in enumerate(kinds):
        title = f"The {name(rng, 3)} {kind}" if i % 2 else f"{name(rng, 2)} {kind}"
        outlets.append(Outlet(
            name=title, slug=title.removeprefix("The ").lower().replace(" ", "-"),
            nav=(("Skip to main content",) if i % 3 == 0 else ()) + (pick(_NAV, i),),
            title_first=i % 2 == 0, byline=pick(_BYLINES, i), updated=pick(_UPDATED, i),
            dateline=("line", "prefix", "none")[i % 3], credit=pick(_CREDITS, i),
            credit_first=i % 4 == 3, share=pick(_SHARE, i), newsletter=pick(_NEWSLETTER, i),
            ad=pick(_ADS, i), cookie=pick(_COOKIES, i), cookie_top=i % 2 == 1,
            footers=tuple(rng.sample(_FOOTERS, 3)),
            related=_RELATED[i % 4], read_more=_READ_MORE[i % 4],
            reporters=tuple(person(rng) for _ in range(12)),
        ))  # fmt: skip
    return tuple(outlets)


def render(
    rng: random.Random, story: Story, outlet: Outlet, agency: str, others: list[str]
) -> list[Line]:
    """The page's lines: chrome at top and bottom, captions and notices among the paragraphs."""
    s = Scene(rng, story.ctx, story.cast)
    day = story.published
    r, r2 = rng.sample(outlet.reporters, 2)
    section = story.subject.section
    slots = {
        "outlet": outlet.name, "brand": outlet.name.removeprefix("The "), "agency": agency,
        "r": r, "r2": r2, "town": story.ctx["town"],
        "section": section, "Section": section.capitalize(), "yyyy": str(day.year),
        "Month": v.MONTHS[day.month - 1], "d": str(day.day), "m": f"{day.month:02d}",
        "Weekday": v.WEEKDAYS[day.weekday()], "hh": f"{rng.randint(6, 22):02d}",
        "mm": f"{rng.randint(0, 59):02d}", "n": str(rng.randint(2, 9)),
    }  # fmt: skip

    def fmt(template: str) -> str:
        return template.format_map(slots)

    top: list[Line] = [("boilerplate", outlet.cookie)] if outlet.cookie_top else []
    top += [("navigation", fmt(n)) for n in outlet.nav]
    if outlet.title_first:
        top.append(("title", story.headline))
    staff = rng.random() < 0.12
    top.append(("byline", "Staff reporter" if staff else fmt(outlet.byline)))
    top.append(("dateline", fmt(outlet.updated)))
    stamp = f"{story.ctx['town'].upper()}, {day.day} {v.MONTHS[day.month - 1]} ({agency}) —"
    if outlet.dateline == "line":
        top.append(("dateline", stamp))
    body = list(story.blocks)
    lines: list[Line] = []
    first = True
    photos = set(rng.sample(range(1, len(body)), min(len(body) - 1, rng.randint(1, 3))))
    notices = set(rng.sample(range(3, len(body)), min(len(body) - 3, rng.randint(1, 3))))
    for i, (kind, sentences) in enumerate(body):
        if i in photos:
            caption = ("caption", s.fill(rng.choice(v.CAPTIONS)))
            credit = ("credit", fmt(outlet.credit.replace("{r}", person(rng))))
            lines += [credit, caption] if outlet.credit_first else [caption, credit]
        if i in notices:
            own = s.fill(rng.choice(v.EXPLAINERS))
            lines.append(_notice(rng, outlet, others, fmt(outlet.newsletter), own))
        text = " ".join(sentences)
        if first and kind == "statement" and outlet.dateline == "prefix":
            text = f"{stamp} {text}"
        first = first and kind != "statement"
        lines.append((kind, text))
    end: list[Line] = []
    if rng.random() < 0.25:
        end.append(("credit", f"Additional reporting by {rng.choice(outlet.reporters)}"))
    end.append(("boilerplate", fmt(outlet.share)))
    links = " | ".join(rng.sample(others, min(2, len(others))))
    end.append(("navigation", outlet.related + links))
    end.append(("navigation", f"Topics: {section.capitalize()}, {story.ctx['town']}"))
    end.append(("boilerplate", fmt(outlet.newsletter)))
    end += [("boilerplate", fmt(f)) for f in outlet.footers]
    if not outlet.cookie_top:
        end.append(("boilerplate", outlet.cookie))
    if rng.random() < 0.03:
        end.insert(1, ("boilerplate", fmt(rng.choice(_RARE))))
    return top + lines + end


def _notice(
    rng: random.Random, outlet: Outlet, others: list[str], newsletter: str, own: str
) -> Line:
    roll = rng.random()
    if roll < 0.12:
        return ("boilerplate", outlet.read_more + own)
    if roll < 0.45 and others:
        return ("boilerplate", outlet.read_more + rng.choice(others))
    return ("boilerplate", outlet.ad if roll < 0.8 else newsletter)


def url(outlet: Outlet, story: Story, headline: str) -> str:
    day = story.published
    slug = "".join(c if c.isalnum() else "-" for c in headline.lower()).strip("-")
    while "--" in slug:
        slug = slug.replace("--", "-")
    return (
        f"https://{outlet.slug}.example/{story.subject.section}/{day.year}/{day.month:02d}/{slug}"
    )
