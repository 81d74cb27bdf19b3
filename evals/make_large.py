"""Generate a large FICTIONAL corpus + questions for scale runs of `briefing eval --corpus`.

    python -m evals.make_large OUT_DIR [--docs 5000] [--questions 200] [--seed 7]

Writes OUT_DIR/corpus.jsonl and OUT_DIR/questions.jsonl. Every town, company, person and code
is made up from syllables by a seeded generator, so the same arguments always give the same
files. Each article is a short local-business news item with a unique project code, a leader
and a figure; questions ask for them by code (rare tokens), by paraphrase, or about things no
article states (unanswerable, about one in six).
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import date, timedelta
from pathlib import Path

_SYLLABLES = (
    "ka", "lo", "mer", "vin", "sta", "dor", "el", "bri", "tan", "ov", "ru", "sel",
    "mar", "quen", "ith", "pal", "zo", "ger", "an", "wy", "tor", "lis", "hem", "ba",
)  # fmt: skip
_SECTORS = (
    ("brewery", "litres of beer a year", "expand its brewing hall"),
    ("shipyard", "workers", "hire new welders"),
    ("dairy", "tonnes of cheese a year", "build a second cheese plant"),
    ("bus operator", "electric buses", "replace its diesel fleet"),
    ("sawmill", "cubic metres of timber a year", "modernise its saws"),
    ("bakery chain", "new shops", "open branches in the suburbs"),
    ("solar farm", "megawatts", "add panels on the old airfield"),
    ("textile mill", "metres of wool cloth a month", "reopen its dye works"),
)
_SOURCES = ("Valley Courier", "Morning Ledger", "Regional Wire", "Harbour Post", "County Times")


def _name(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()


def article(rng: random.Random, n: int) -> tuple[dict[str, object], dict[str, str]]:
    town, company = _name(rng, 3), f"{_name(rng, 2)} {_name(rng, 2)}"
    person = f"{_name(rng, 2)} {_name(rng, 3)}"
    sector, unit, plan = rng.choice(_SECTORS)
    code = f"{town[:2].upper()}-{rng.randint(100, 999)}/{n:05d}"
    figure = f"{rng.randint(2, 950):,}"
    cost = f"{rng.randint(2, 90)} million crowns"
    year = rng.randint(2027, 2032)
    published = date(2025, 1, 1) + timedelta(days=rng.randint(0, 600))
    text = (
        f"The {sector} {company} in {town} said it would {plan}, a project registered under "
        f"the code {code}. The plan adds {figure} {unit} and will cost {cost}. "
        f"Managing director {person} said the work should be finished in {year}. "
        f"Local councillors in {town} welcomed the news, though some residents worried about "
        f"traffic during construction. The {sector} has operated in the town for "
        f"{rng.randint(5, 120)} years."
    )
    doc = {"id": f"doc-{n:05d}", "title": f"{town} {sector} plans to {plan}", "text": text,
           "published": published.isoformat(), "source": rng.choice(_SOURCES)}  # fmt: skip
    facts = {
        "town": town, "company": company, "person": person, "sector": sector, "unit": unit,
        "code": code, "figure": figure, "cost": cost, "year": str(year),
    }  # fmt: skip
    return doc, facts


def question(rng: random.Random, doc_id: str, f: dict[str, str], n: int) -> dict[str, object]:
    kind = rng.randrange(6)
    if kind == 0:
        return {"id": f"q{n:04d}", "question": f"How many employees does the {f['sector']} in "
                f"{f['town']} have today?", "answers": [], "gold_doc_ids": [],
                "answerable": False}  # fmt: skip
    asks = [
        (f"Who is in charge of project {f['code']}?", f["person"]),
        (f"What will the {f['sector']} project in {f['town']} cost?", f["cost"]),
        (f"By what year should {f['company']} complete its project?", f["year"]),
        (f"Which company registered the project coded {f['code']}?", f["company"]),
        (f"How much capacity does the {f['town']} {f['sector']} plan add?", f["figure"]),
    ]
    text, answer = asks[kind - 1]
    return {"id": f"q{n:04d}", "question": text, "answers": [answer], "gold_doc_ids": [doc_id],
            "answerable": True}  # fmt: skip


def generate(docs: int, questions: int, seed: int) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    made = [article(rng, n) for n in range(docs)]
    picks = rng.sample(range(docs), min(questions, docs))
    qs = [question(rng, str(made[i][0]["id"]), made[i][1], n) for n, i in enumerate(picks)]
    dump = lambda row: json.dumps(row, ensure_ascii=False)  # noqa: E731
    return [dump(d) for d, _ in made], [dump(q) for q in qs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    corpus, questions = generate(args.docs, args.questions, args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "corpus.jsonl").write_text("\n".join(corpus) + "\n", encoding="utf-8")
    (args.out / "questions.jsonl").write_text("\n".join(questions) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
