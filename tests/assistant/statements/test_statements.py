"""Which sentences are statements: shape, line layout and a source's repeated lines.

Every page, name and outlet here is invented for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from assistant.statements import CorpusStatements, Page, ShapeStatements, sentence_kind
from assistant.statements.boilerplate import find_boilerplate, line_set, source_key
from assistant.statements.shape import is_credit, is_navigation
from assistant.types import Document, Passage
from tests.conftest import make_settings

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    "sentence",
    [
        "Talks resumed.",  # a short one-sentence paragraph is a statement
        "Trams will run every six minutes at peak times.",
        '"We will not rush," Ishiba said.',
        '"Take it or leave it," the minister told reporters.',
        'Ishiba: "We will not rush."',
        "Tariffs hurt exporters.",
        "Trade unions plan a strike on Monday.",
        "Trade volumes fell by 3% on the grain exchange.",
        "Share prices of the firm rose 6% on the news.",
        "Still, engineers say the barrier has never been breached.",
        "Police, who arrived later, said nothing.",
        "Work on the first section begins next spring.",
        "KESTREL BAY, June 3 (MDW) - Dock workers rejected a revised pay offer on Monday.",
        "Japan won't rush to reach a deal.",
    ],
)
def test_statements(sentence: str) -> None:
    assert sentence_kind(sentence) == "statement"


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("How was Varno captured?", "question"),
        ('"Why now?"', "question"),
        ("Corvel council approves new tram line after year-long review", "fragment"),
        ("By Anna Melroy, Transport Correspondent", "fragment"),
        ("Published 14 March 2031, 09:12", "fragment"),
        ("Advertisement", "fragment"),
        ("By Anna Melroy.", "verbless"),
        ("Advertisement.", "verbless"),
        ("Share this article.", "imperative"),
        ("Updated 2 hours ago.", "verbless"),
        ("Our Standards: The Meridian Trust Principles.", "verbless"),
        ("Read more: Corvel says it will not rush.", "imperative"),
        ("Sign up for our morning briefing, delivered to your inbox every weekday.", "imperative"),
        ("Click here to read the full report.", "imperative"),
    ],
)
def test_not_statements(sentence: str, kind: str) -> None:
    assert sentence_kind(sentence) == kind


def test_the_title_or_one_part_of_it_is_not_a_statement() -> None:
    title = "Velmont budget: what it means for you | The Velmont Ledger"
    assert sentence_kind("Velmont budget: what it means for you", title) == "title"
    headline = "Kell will present the budget."
    assert sentence_kind(headline, headline) == "title"
    assert sentence_kind("Kell will present the budget.", title) == "statement"


@pytest.mark.parametrize(
    ("line", "navigation"),
    [
        ("Home | News | Business | Sport | Opinion", True),
        ("News > Local > Transport", True),
        ("World · Politics · Business", True),
        ("Published: 22/04/2031 | Updated: 23/04/2031", False),
        ("The union wants an 8% rise | the port authority has offered 5% after talks.", False),
    ],
)
def test_navigation_is_many_short_segments(line: str, navigation: bool) -> None:
    assert is_navigation(line) is navigation


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("Photo: Tess Arlen/Corvel Courier", True),
        ("(Photo: Ines Rowe / MDW)", True),
        ("Velmont Ledger/Jon Aster", True),
        ("Photograph: Jon Aster", True),
        ("(Reporting by Lena Frost; editing by Omar Pike)", False),
        ("Related: Ferry operators warn of summer disruption", False),
        ("Published: 22/04/2031", False),
        ("Talks resumed on 22/04/2031.", False),
    ],
)
def test_credit_lines(line: str, credit: bool) -> None:
    assert is_credit(line) is credit


def test_a_caption_is_the_short_line_above_a_credit_not_the_paragraph_before() -> None:
    text = (
        "The council voted on Tuesday. The vote followed a review.\n"
        "A tram passes Corvel station in February.\n"
        "Photo: Tess Arlen/Corvel Courier\n"
        "Work starts next spring.\n"
        "Divers inspect the quay. (Photo: Ines Rowe / MDW)"
    )
    page = Page(text)
    kinds = {text[s:e]: kind for s, e, kind in page.sentences()}
    assert kinds == {
        "The council voted on Tuesday.": "statement",
        "The vote followed a review.": "statement",
        "A tram passes Corvel station in February.": "caption",
        "Photo: Tess Arlen/Corvel Courier": "credit",
        "Work starts next spring.": "statement",
        "Divers inspect the quay.": "caption",
        "(Photo: Ines Rowe / MDW)": "credit",
    }


def test_a_caption_may_follow_its_credit_when_the_line_above_cannot_be_one() -> None:
    text = (
        "Who is building it\n"
        "Photograph: Jon Aster for The Velmont Ledger\n"
        "Cranes stand at the edge of the new quay.\n"
        "The board hired Kessel Engineering. It expects 1,200 new jobs."
    )
    kinds = [kind for _, _, kind in Page(text).sentences()]
    assert kinds == ["fragment", "credit", "caption", "statement", "statement"]


def test_a_short_line_ending_in_an_imperative_is_a_call_to_action() -> None:
    text = "Our weekly newsletter is free. Sign up here.\nThe levy is fair. It ends in May."
    kinds = [kind for _, _, kind in Page(text).sentences()]
    assert kinds == ["imperative", "imperative", "statement", "statement"]


def _documents() -> list[tuple[str, str]]:
    """(title, text) of the seed article and the fictional eval collections."""
    out = []
    evals = ROOT / "evals"
    folders = [ROOT / "corpus", evals / "corpora" / "valdoria", evals / "fixtures"]
    for path in (p for folder in folders for p in folder.glob("*.md")):
        _, front, text = path.read_text(encoding="utf-8").split("---", 2)
        out.append((str(yaml.safe_load(front)["title"]), text))
    for line in (ROOT / "evals" / "corpora" / "tavrenia" / "corpus.jsonl").read_text().splitlines():
        row = json.loads(line)
        out.append((row["title"], row["text"]))
    return out


def test_clean_prose_keeps_every_sentence_but_the_title() -> None:
    for title, text in _documents():
        for start, end, kind in Page(text, title).sentences():
            assert kind == ("title" if text[start:end] == title else "statement"), text[start:end]


def _doc(doc_id: str, text: str, source: str | None = "Courier") -> Document:
    return Document(doc_id, doc_id, text, source=source)


def test_lines_a_source_repeats_on_most_of_its_pages_are_boilerplate() -> None:
    furniture = "Comments are closed on this article."
    docs = [_doc(f"c{i}", f"Story {i} happened.\n{furniture}") for i in range(4)]
    docs += [_doc("l1", f"Other news.\n{furniture}", source="Ledger")]
    found = find_boilerplate((source_key(d), line_set(d.text)) for d in docs)
    assert found.is_repeated("courier", "comments are closed  on this article.")
    assert not found.is_repeated("ledger", furniture)  # one page of that source
    assert not found.is_repeated("courier", "Story 1 happened.")


@pytest.mark.parametrize(("pages", "repeated_in", "boilerplate"), [(4, 3, True), (4, 2, False),
                                                                    (10, 3, False)])  # fmt: skip
def test_repetition_needs_three_pages_and_half_of_the_source(
    pages: int, repeated_in: int, boilerplate: bool
) -> None:
    line = "The harbour board has run the port since 1952."
    docs = [
        _doc(f"d{i}", f"Page {i} news.\n" + (line if i < repeated_in else "")) for i in range(pages)
    ]
    found = find_boilerplate((source_key(d), line_set(d.text)) for d in docs)
    assert found.is_repeated("courier", line) is boilerplate


def test_source_falls_back_to_the_url_host() -> None:
    doc = Document("a", "A", "x", url="https://news.example.org/a/1")
    assert source_key(doc) == "news.example.org"
    assert source_key(Document("b", "B", "x")) == ""


def test_shape_only_filter_reads_the_passage_alone() -> None:
    text = "How will it be paid for?\nThe region will pay 60 percent."
    passage = Passage("c", "d", "Tram", text, 10, 10 + len(text), 0.5)
    statements = ShapeStatements()
    assert not statements.is_statement(passage, 10, 34)
    assert statements.is_statement(passage, 35, 10 + len(text))


def test_corpus_filter_follows_the_committed_documents(tmp_path: Path) -> None:
    from assistant.assistant import Assistant

    furniture = "Comments are closed on this article."
    assistant = Assistant(make_settings(tmp_path))
    try:
        statements = CorpusStatements(assistant.manifest)
        for i in range(2):
            assistant.add_document(_doc(f"c{i}", f"Story {i} happened on Monday.\n{furniture}"))
        entry = assistant.manifest.get("c0")
        assert entry is not None
        text = entry.document.text
        whole = Passage("c0:0", "c0", "c0", text, 0, len(text), 1.0, source="Courier")
        start = text.index(furniture)
        assert statements.is_statement(whole, start, start + len(furniture))  # two pages only
        assistant.add_document(_doc("c2", f"Story 2 happened on Monday.\n{furniture}"))
        assert not statements.is_statement(whole, start, start + len(furniture))
        assert statements.is_statement(whole, 0, text.index("\n"))
        # a passage that is not the committed text is judged on its own
        other = Passage("x:0", "c0", "c0", furniture, 500, 500 + len(furniture), 1.0)
        assert statements.is_statement(other, 500, 500 + len(furniture))
    finally:
        assistant.close()
