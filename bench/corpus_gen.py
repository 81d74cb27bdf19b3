"""A deterministic corpus of clearly fictional news articles, plus questions about them.

Every country, person, company and figure here is invented (the Republic of Valdoria does not
exist); each file says so in its `source` front-matter field. The same seed always gives the same
documents and questions, so benchmark runs are comparable.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

SOURCE = "Briefing synthetic benchmark corpus (fictional)"

# (formal name, short name, adjective, currency, capital)
_COUNTRIES = (
    ("the Republic of Valdoria", "Valdoria", "Valdorian", "valdor", "Castrel"),
    ("the Kingdom of Ostrevia", "Ostrevia", "Ostrevian", "ostmark", "Brennholt"),
    ("the Federation of Marendal", "Marendal", "Marendali", "marel", "Sunhaven"),
    ("the Principality of Lorvenne", "Lorvenne", "Lorvennish", "livra", "Saint-Arvel"),
    ("the Drevnian Commonwealth", "Drevnia", "Drevnian", "drev", "Kolmar"),
    ("the Republic of Quessa", "Quessa", "Quessan", "quel", "Aranth"),
    ("the Grand Duchy of Halvardy", "Halvardy", "Halvardian", "halv", "Oskeby"),
    ("the Union of Pellaris", "Pellaris", "Pellarine", "pell", "Meridon"),
)  # fmt: skip
_FIRST = (
    "Anselm", "Brisa", "Corvin", "Dalia", "Evander", "Fenna", "Galen", "Hester", "Ilario",
    "Jorun", "Katrin", "Lysander", "Mirela", "Nestor", "Oriane", "Pell", "Quilla", "Rasmus",
    "Selka", "Tobiah", "Ulla", "Varek", "Wren", "Ysolde", "Alaric", "Bettany", "Casimir",
    "Delphine", "Emrys", "Fiora",
)  # fmt: skip
_LAST = (
    "Ardent", "Brask", "Corriel", "Dunmore", "Esterhal", "Falkenrath", "Grennet", "Holloway",
    "Ivenshaw", "Jessamy", "Kestrel", "Lanrow", "Morrant", "Nettlefield", "Orrin", "Pelligrew",
    "Quarrin", "Rostanov", "Sallow", "Thornquist", "Umberley", "Vantreck", "Whitlow", "Yarrow",
    "Zellmer", "Achterberg", "Blanchet", "Carrow", "Dovander", "Eskrey",
)  # fmt: skip
_COMPANY_PREFIX = (
    "Brightwater", "Korvath", "Silverfen", "Aldermoor", "Greyhaven", "Northmere", "Stonebridge",
    "Ambercrest", "Ironvale", "Duskfield", "Highmoor", "Redcliff", "Oakhurst", "Tidewell",
    "Frostmark", "Westerly", "Sablewood", "Thistledown", "Larkspur", "Cinderby", "Ravenmoor",
    "Pinecrest", "Copperline", "Starling", "Marrowgate", "Glenvar", "Hollin", "Quillon",
    "Vestry", "Wolderan",
)  # fmt: skip
# (company suffix, facility, goods)
_SECTORS = (
    ("Mining", "copper mine", "copper concentrate"), ("Steelworks", "rolling mill", "steel"),
    ("Energy", "solar farm", "solar panels"), ("Shipping", "container terminal", "ship parts"),
    ("Motors", "assembly plant", "electric vehicles"), ("Semiconductors", "chip plant", "chips"),
    ("Agritech", "grain processing plant", "wheat"), ("Telecom", "data centre", "network gear"),
    ("Pharmaceuticals", "vaccine laboratory", "medicines"), ("Rail", "rail depot", "rolling stock"),
)  # fmt: skip
_REGIONS = (
    "Ashcombe", "Vellmark", "Dornhal", "Serrano Vale", "Kettering Reach", "Oldmere", "Tarrow",
    "Lindqvist Bay", "Harrowfen", "Mistral Coast", "Corrib Heights", "Eldham",
)  # fmt: skip
_INSTITUTES = (
    "the Castrel Institute for Economic Research", "Meridon Capital", "the Oskeby School of Trade",
    "Aranth Analytics", "the Brennholt Policy Forum", "Sunhaven Securities",
)  # fmt: skip
_ISSUES = ("fishing rights", "steel quotas", "border tolls", "river water sharing", "port fees")
_QUOTES = (
    "We will not be rushed into a bad agreement",
    "This is a vote of confidence in our workers",
    "The numbers speak for themselves",
    "Nobody wins a tariff war, but we will defend our industry",
    "We expect the first shipments before the end of the year",
    "Patience is still the right policy",
)  # fmt: skip
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


@dataclass(frozen=True)
class BenchQuestion:
    """A question about one generated document and a figure its answer should contain."""

    text: str
    doc_id: str
    expected: str


@dataclass(frozen=True)
class SyntheticDoc:
    doc_id: str
    title: str
    published: date
    text: str
    questions: tuple[BenchQuestion, ...]


class _Names:
    """Hands out person and company names without repeats until the pool runs out."""

    def __init__(self, rng: random.Random) -> None:
        self._people = [f"{f} {last}" for f in _FIRST for last in _LAST]
        self._companies = [(p, s) for p in _COMPANY_PREFIX for s in _SECTORS]
        rng.shuffle(self._people)
        rng.shuffle(self._companies)
        self._next_person = 0
        self._next_company = 0

    def person(self) -> str:
        name = self._people[self._next_person % len(self._people)]
        self._next_person += 1
        return name

    def company(self) -> tuple[str, tuple[str, str, str]]:
        i = self._next_company
        prefix, sector = self._companies[i % len(self._companies)]
        self._next_company += 1
        cycle = i // len(self._companies)
        name = f"{prefix} {sector[0]}" + (f" Group {cycle + 1}" if cycle else "")
        return name, sector


def _day(d: date) -> str:
    return f"{d.strftime('%B')} {d.day}"


def _article(index: int, rng: random.Random, names: _Names) -> SyntheticDoc:
    formal, country, adj, currency, capital = rng.choice(_COUNTRIES)
    partner = rng.choice([c for c in _COUNTRIES if c[1] != country])
    company, (_, facility, goods) = names.company()
    minister, governor, economist, ceo, opposition = (names.person() for _ in range(5))
    region = rng.choice(_REGIONS)
    # In the past, so time-aware answers (sources published up to today) see every article.
    published = date(2022, 1, 1) + timedelta(days=rng.randrange(700))
    later, talks, vote, build = (published + timedelta(days=rng.randrange(10, 120)) for _ in "1234")
    inv, jobs = rng.randrange(40, 2400, 5), rng.randrange(120, 6000, 10)
    grew = rng.choice(("grew", "grew", "shrank"))
    tariff, old = rng.randrange(12, 45), rng.randrange(2, 11)
    rate, growth = f"{rng.uniform(0.5, 6.5):.2f}", f"{rng.uniform(0.1, 4.8):.1f}"
    share, weekday = f"{rng.uniform(0.4, 14.0):.1f}", rng.choice(_WEEKDAYS)
    quote, institute = rng.choice(_QUOTES), rng.choice(_INSTITUTES)
    doc_id = f"bench-{index:04d}-{company.lower().replace(' ', '-')}"

    questions = [
        BenchQuestion(f"How much will {company} invest in its new {facility}?", doc_id, f"{inv:,}"),
        BenchQuestion(f"How many jobs will the {company} {facility} create?", doc_id, f"{jobs:,}"),
    ]
    lead = (
        f"{company} said on {weekday} it will invest {inv:,} million {currency}s in a new "
        f"{facility} in {region}, in {formal}. The project is expected to create {jobs:,} jobs "
        f"by {published.year + 2}, chief executive {ceo} said. Construction is due to begin on "
        f"{_day(build)}."
    )

    def tariffs() -> str:
        questions.append(BenchQuestion(
            f"What tariff will {country} apply to {partner[2]} {goods} from {_day(later)}?",
            doc_id, f"{tariff}%",
        ))  # fmt: skip
        return (
            f"{country} will raise tariffs on {partner[2]} {goods} to {tariff}% from {old}% "
            f"starting {_day(later)}. The measure covers goods worth about "
            f"{rng.randrange(2, 60)} billion {currency}s a year."
        )

    def minister_quote() -> str:
        questions.append(BenchQuestion(
            f"When will talks with {partner[1]} resume, according to {minister}?",
            doc_id, _day(talks),
        ))  # fmt: skip
        return (
            f'"{quote}," {minister}, {country}\'s trade minister, told reporters in {capital}. '
            f"{minister} added that talks with {partner[1]} would resume on {_day(talks)}."
        )

    def central_bank() -> str:
        questions.append(BenchQuestion(
            f"At what level did the central bank led by {governor} hold its benchmark rate?",
            doc_id, f"{rate}%",
        ))  # fmt: skip
        return (
            f"The {adj} central bank, led by governor {governor}, held its benchmark rate at "
            f"{rate}% on {weekday}. Inflation eased to {rng.uniform(1, 9):.1f}% in "
            f"{published.strftime('%B')}, down from {rng.uniform(9, 12):.1f}% a month earlier. "
            f'{governor} said further cuts were "not on the table before {vote.strftime("%B")}."'
        )

    def growth_figures() -> str:
        quarter = rng.choice(("first", "second", "third"))
        exports, imports = rng.uniform(0.5, 9), rng.uniform(0.5, 6)
        return (
            f"{country}'s economy {grew} {growth}% in the {quarter} quarter, according to the "
            f"national statistics office. Exports rose {exports:.1f}% year on year, while imports "
            f"fell {imports:.1f}%."
        )

    def analyst() -> str:
        return (
            f'"The numbers look strong on paper, but delivery is everything," said {economist}, '
            f"chief economist at {institute}. {economist} estimated the {facility} could add "
            f"{rng.uniform(0.1, 2.5):.1f} percentage points to regional output over "
            f"{rng.randrange(3, 11)} years."
        )

    def markets() -> str:
        questions.append(BenchQuestion(
            f"By how much did shares in {company} rise after the announcement?", doc_id, f"{share}%"
        ))  # fmt: skip
        return (
            f"Shares in {company} rose {share}% on the {capital} exchange after the announcement. "
            f"The benchmark {country} 40 index closed {rng.choice(('up', 'down'))} "
            f"{rng.uniform(0.1, 2.5):.1f}% at {rng.randrange(1800, 9800):,} points."
        )

    def opposition_view() -> str:
        return (
            f'{opposition}, who leads the opposition in parliament, called the plan "a gamble '
            f'with public money". A vote on the {published.year} budget is scheduled for '
            f"{_day(vote)}. Ministers say they have the votes to pass it."
        )

    def background() -> str:
        return (
            f"The announcement follows a {rng.randrange(3, 30)}-month dispute between {country} "
            f"and {partner[1]} over {rng.choice(_ISSUES)}. Officials from both sides have met "
            f"{rng.randrange(2, 14)} times since {published.year - 1}, according to the foreign "
            f"ministry."
        )

    pool: list[Callable[[], str]] = [
        tariffs, minister_quote, central_bank, growth_figures, analyst, markets,
        opposition_view, background,
    ]  # fmt: skip
    chosen = rng.sample(pool, rng.randint(3, 7))  # plus the lead: 4–8 paragraphs
    paragraphs = [lead, *(build() for build in chosen)]
    title = rng.choice((
        f"{company} to Invest {inv:,} Million in {country} {facility.title()}",
        f"{country} Lands {company} {facility.title()} as {partner[1]} Talks Drag On",
        f"{company} Bets on {region} With New {facility.title()}",
    ))  # fmt: skip
    text = title + "\n\n" + "\n\n".join(paragraphs) + "\n"
    return SyntheticDoc(doc_id, title, published, text, tuple(questions))


def generate_documents(count: int, seed: int = 7) -> list[SyntheticDoc]:
    """`count` fictional articles; the same seed always gives the same articles."""
    rng = random.Random(seed)
    names = _Names(rng)
    return [_article(i, rng, names) for i in range(count)]


def write_corpus(documents: Sequence[SyntheticDoc], directory: Path) -> list[Path]:
    """Write each article as Markdown with YAML front matter; returns the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for doc in documents:
        front = "\n".join((
            "---", f"id: {doc.doc_id}", f"title: {json.dumps(doc.title)}",
            f"source: {json.dumps(SOURCE)}", f"published: {doc.published.isoformat()}", "---",
        ))  # fmt: skip
        path = directory / f"{doc.doc_id}.md"
        path.write_text(front + "\n" + doc.text, encoding="utf-8")
        paths.append(path)
    return paths


def make_questions(
    documents: Sequence[SyntheticDoc], count: int, seed: int = 7
) -> list[BenchQuestion]:
    """`count` distinct questions spread across the articles (one per article per round)."""
    rng = random.Random(seed + 1)
    order = list(documents)
    rng.shuffle(order)
    pools = [list(d.questions) for d in order]
    for pool in pools:
        rng.shuffle(pool)
    questions: dict[str, BenchQuestion] = {}
    while len(questions) < count and any(pools):
        for pool in pools:
            if pool and len(questions) < count:
                question = pool.pop()
                questions.setdefault(question.text, question)
    return list(questions.values())
