"""The askable facts of a story: the sentence that states each one, the questions that ask for
it, and the subheads that echo those questions (the traps a lexical answerer falls into)."""

from __future__ import annotations

import random
from typing import NamedTuple


class FactSpec(NamedTuple):
    sentences: tuple[str, ...]  # statement templates; {value} is the answer
    questions: tuple[str, ...]
    echoes: tuple[tuple[str, str], ...]  # (label kind, subhead text) placed before the fact


FACTS: dict[str, FactSpec] = {
    "cost": FactSpec(
        ("The {short} will cost {value}, the {body} said.",
         "{official} put the total cost of the {subj} in {town} at {value}.",
         "The {body} estimates that the {subj} will cost {value}, most of it borrowed.",
         "The {subj} in {town} will cost {value}, according to the latest estimate."),
        ("How much will the {subj} in {town} cost?",
         "What is the estimated cost of the {subj} in {town}?"),
        (("question", "How much will the {short} cost?"),
         ("question", "What will {town}'s {subj} cost?"),
         ("heading", "The cost of the {subj}")),
    ),
    "year": FactSpec(
        ("Work on the {short} is due to finish in {value}, according to the {body}.",
         "The {body} expects the {subj} in {town} to open in {value}.",
         "If the timetable holds, the {short} will open in {value}.",
         "The {subj} in {town} is due to open in {value}, officials said."),
        ("When is the {subj} in {town} due to open?",
         "In what year should the {subj} in {town} be finished?"),
        (("question", "When will the {short} open?"),
         ("heading", "Timetable for the {short}"),
         ("question", "When will the {subj} in {town} be finished?")),
    ),
    "leader": FactSpec(
        ("The project is led by engineer {value}, who previously ran a similar scheme in {town2}.",
         "{value}, the project director, said the {short} was on schedule.",
         "The team building the {subj} in {town} is headed by {value}.",
         "The {subj} project in {town} is led by {value}, a civil engineer."),
        ("Who is leading the {subj} project in {town}?",
         "Who heads the team building the {subj} in {town}?"),
        (("question", "Who is leading the {town} {short} project?"),
         ("heading", "The team behind the {short}")),
    ),
    "contractor": FactSpec(
        ("The main contract for the {short} went to {value}, a firm based in {town2}.",
         "{value} won the contract to build the {subj} after a tender with {n_small} bidders.",
         "The contract for the {subj} in {town} was won by {value} in {month}."),
        ("Which company won the contract for the {subj} in {town}?",
         "Which firm will build the {subj} in {town}?"),
        (("question", "Which company won the contract for the {short}?"),
         ("heading", "Who will build the {short}")),
    ),
    "jobs": FactSpec(
        ("The {body} says the {short} will create {value} permanent jobs.",
         "Once running, the {subj} in {town} is expected to employ {value} people.",
         "The {subj} in {town} will create {value} jobs, the {body} says."),
        ("How many jobs will the {subj} in {town} create?",
         "How many people will the {subj} in {town} employ?"),
        (("question", "How many jobs will the {subj} create?"),
         ("heading", "Jobs and the {town} economy")),
    ),
    "vote": FactSpec(
        ("The {town} council approved the {short} by {value} on {weekday}.",
         "Councillors backed the plan for the {subj} by {value} after a long debate.",
         "Councillors in {town} approved the {subj} by {value} on {weekday}."),
        ("By what margin did councillors approve the {subj} in {town}?",
         "What was the result of the council vote on the {subj} in {town}?"),
        (("question", "How did the council vote on the {short}?"),
         ("heading", "The council vote on the {subj}")),
    ),
    "capacity": FactSpec(
        ("Once complete, the {short} will {verb} {value}, according to the {body}.",
         "The {subj} in {town} will {verb} {value} when it is finished."),
        ("How many {unit} will the {subj} in {town} {verb}?",
         "What capacity is planned for the {subj} in {town}?"),
        (("question", "How big will the {short} be?"),
         ("heading", "Capacity of the {short}")),
    ),
}  # fmt: skip
NUMERIC = ("cost", "jobs", "capacity")  # the facts an updated version may revise

# Asked of a real story but stated by no article (the near-miss unanswerables).
NEVER_STATED = (
    "Who was the architect of the {subj} in {town}?",
    "How many people attended the opening ceremony of the {subj} in {town}?",
    "What was the original budget for the {subj} in {town} before the review?",
    "How many jobs were lost when the old {short} in {town} closed?",
    "What is the annual maintenance bill for the {subj} in {town}?",
)


def fact_value(rng: random.Random, key: str, unit: str, person: str, firm: str) -> str:
    """A fresh answer for `key`; numbers are formatted as an article would print them."""
    if key == "cost":
        return f"{rng.randint(12, 950)} million crowns"
    if key == "year":
        return str(rng.randint(2026, 2034))
    if key == "leader":
        return person
    if key == "contractor":
        return firm
    if key == "jobs":
        return f"{rng.randint(40, 4800):,}"
    if key == "vote":
        yes = rng.randint(12, 40)
        return f"{yes} votes to {rng.randint(1, yes - 1)}"
    return f"{rng.randint(30, 90_000):,} {unit}"


def revised(rng: random.Random, key: str, value: str) -> str:
    """The same figure after a revision (a later version of an article changes it)."""
    number, _, rest = value.partition(" ")
    old = int(number.replace(",", ""))
    new = old + max(1, old * rng.randint(5, 25) // 100)
    text = f"{new:,}" if "," in number or key != "cost" else str(new)
    return f"{text} {rest}".strip()
