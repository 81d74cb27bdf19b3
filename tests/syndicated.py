"""A FICTIONAL wire story syndicated five times with small edits, among other port stories.

Every place, person and figure is invented. The copies differ by a few words each, as outlets
edit wire copy; the other stories share the topic's words (ferry, terminal, harbour) so that,
ranked by similarity alone, the five copies would fill a top five.
"""

from __future__ import annotations

from datetime import date

from assistant.types import Document

WIRE = (
    "The harbour board of Velmora approved a new ferry terminal on the north quay on Tuesday, "
    "ending two years of argument over the site. The terminal will cost 48 million crowns and "
    "handle up to 9,000 passengers a day when it opens in 2029. Board chair Ilsa Marventh said "
    "the old terminal could no longer cope with the summer crowds that arrive from the islands. "
    "Fishermen on the north quay had opposed the plan because the new berths take space from "
    "their boats, and the board promised to move them to a rebuilt pier at the east basin. "
    "Work on the foundations is due to start in the spring, and the ferry company Orlan Lines "
    "will keep sailing from the old terminal until the new one is finished. The board said "
    "the plan was paid for by a loan from the regional bank and by higher port fees on cruise "
    "ships that call at Velmora during the summer season."
)

#: (doc id, outlet, the small edits its copy makes to the wire text)
COPIES = (
    ("velmora-wire", "Tavren Wire", ()),
    ("velmora-courier", "Coastal Courier", (("on Tuesday", "this week"),)),
    ("velmora-herald", "Velmora Herald", (("Board chair", "The board's chair"),)),
    ("velmora-post", "Island Post", (("in the spring", "next spring"), ("said", "told reporters"))),
    ("velmora-ledger", "North Ledger", (("ending two years", "ending more than two years"),)),
)

OTHERS = (
    Document(
        id="ostra-fares",
        title="Ostra ferry fares rise",
        source="Coastal Courier",
        published=date(2026, 3, 2),
        url="https://courier.example/ostra-fares",
        text="Ferry fares between Ostra and the mainland will rise by 6 percent in May, the "
        "operator Sel Maritime said. A return ticket will cost 31 crowns. Commuters who cross "
        "to the harbour every day said the terminal queues were already too long.",
    ),
    Document(
        id="brannick-strike",
        title="Brannick dockers strike",
        source="North Ledger",
        published=date(2026, 3, 3),
        url="https://ledger.example/brannick-strike",
        text="Dockers at the Brannick container harbour stopped work on Monday over a pay "
        "dispute. The union said 1,200 workers joined the strike and that ferry and cargo "
        "terminal traffic would be held up for at least three days.",
    ),
    Document(
        id="kessa-pier",
        title="Kessa pier reopens",
        source="Island Post",
        published=date(2026, 3, 4),
        url="https://islandpost.example/kessa-pier",
        text="The wooden pier at Kessa reopened to ferry passengers after a winter of repairs "
        "that cost 2 million crowns. The harbour master said the new terminal building at the "
        "pier would follow next year if the council finds the money.",
    ),
    Document(
        id="lund-cruise",
        title="Cruise calls fall at Lund",
        source="Tavren Wire",
        published=date(2026, 3, 5),
        url="https://wire.example/lund-cruise",
        text="Cruise ships called at the harbour of Lund 140 times last year, down from 175, "
        "the port authority said. Its chair blamed higher port fees and the crowded ferry "
        "terminal, which board members have promised to replace.",
    ),
    Document(
        id="velmora-fish",
        title="Velmora fish market moves",
        source="Velmora Herald",
        published=date(2026, 3, 6),
        url="https://herald.example/velmora-fish",
        text="The Velmora fish market will move to the east basin in the autumn. Traders said "
        "the harbour board had not told them how much the new stalls would cost, and asked for "
        "a meeting with the board before the ferry season starts.",
    ),
)


def edited(text: str, edits: tuple[tuple[str, str], ...]) -> str:
    for old, new in edits:
        text = text.replace(old, new, 1)
    return text


def copies(published: date = date(2026, 3, 10)) -> list[Document]:
    """The five copies of the wire story, one per outlet."""
    return [
        Document(
            id=doc_id, title="Velmora approves new ferry terminal", text=edited(WIRE, changes),
            source=outlet, published=published, url=f"https://{doc_id}.example/terminal",
        )
        for doc_id, outlet, changes in COPIES
    ]  # fmt: skip


def collection() -> list[Document]:
    return [*copies(), *OTHERS]
