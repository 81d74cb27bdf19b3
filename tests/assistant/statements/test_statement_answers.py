"""Only statements are answers: over scraped pages full of subheads, captions, bylines and site
furniture, no answer sentence, LLM citation or briefing bullet quotes one of those lines.

The pages are the hand-labelled fixture (invented outlets, places and people)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from assistant.answering.generative import verify
from assistant.assistant import Assistant
from assistant.statements import ShapeStatements
from assistant.types import Citation, Passage
from evals.labelled_pages import LabelledPages, load_labelled_pages
from tests.conftest import make_settings

FIXTURE = Path(__file__).parent / "fixtures" / "scraped_pages.txt"
AS_OF = date(2031, 12, 31)
# Each one's closest wording on the pages is a subhead, heading, caption, credit, byline or
# boilerplate line.
QUESTIONS = [
    "How will the tram line be paid for?",
    "Why did talks fail in Kestrel Bay?",
    "Who pays for the Velmont budget?",
    "What happens next with the tram line?",
    "When does the Velmont budget take effect?",
    "How big is the new Velmont port?",
    "What does the rail freight deal change?",
    "Where do striking workers gather in Kestrel Bay?",
    "Where do cranes stand in Velmont?",
    "Who took the photo of the tram on the Harbour line?",
    "Are comments closed on this article?",
    "How do I sign up for the Courier's morning briefing?",
    "What are the Meridian Trust Principles?",
]


class AllowAll:
    """A filter that lets every sentence through: what the answerer did before."""

    def is_statement(self, passage: Passage, start: int, end: int) -> bool:
        return True


@pytest.fixture(scope="module")
def pages() -> LabelledPages:
    return load_labelled_pages(FIXTURE)


@pytest.fixture(scope="module")
def scraped(tmp_path_factory: pytest.TempPathFactory, pages: LabelledPages) -> Iterator[Assistant]:
    assistant = Assistant(make_settings(tmp_path_factory.mktemp("scraped")))
    for document in pages.documents:
        assistant.add_document(document)
    yield assistant
    assistant.close()


def _not_statements(pages: LabelledPages) -> dict[str, list[tuple[int, int]]]:
    """Document offsets of every line labelled anything but a statement."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for document in pages.documents:
        at = 0
        labels = [label for label in pages.labels if label.doc_id == document.id]
        for label, line in zip(labels, document.text.split("\n"), strict=True):
            if label.kind != "statement":
                spans.setdefault(document.id, []).append((at, at + len(line)))
            at += len(line) + 1
    return spans


def _quotes_a_non_statement(citations: tuple[Citation, ...], pages: LabelledPages) -> list[str]:
    bad = _not_statements(pages)
    return [
        c.quote for c in citations
        if any(s <= c.start and c.end <= e for s, e in bad.get(c.doc_id, []))
    ]  # fmt: skip


def test_the_questions_are_traps_without_the_filter(
    scraped: Assistant, pages: LabelledPages
) -> None:
    kept = scraped.answerer.statements
    scraped.answerer.statements = AllowAll()
    try:
        quoted = [
            q for q in QUESTIONS
            if _quotes_a_non_statement(scraped.ask(q, as_of=AS_OF).citations, pages)
        ]  # fmt: skip
    finally:
        scraped.answerer.statements = kept
    assert len(quoted) >= len(QUESTIONS) // 2, quoted


@pytest.mark.parametrize("question", QUESTIONS)
def test_answers_quote_statements_or_abstain(
    scraped: Assistant, pages: LabelledPages, question: str
) -> None:
    answer = scraped.ask(question, as_of=AS_OF)
    assert not _quotes_a_non_statement(answer.citations, pages)
    assert "?" not in "".join(c.quote for c in answer.citations)


def test_the_statement_under_a_subhead_is_still_found(scraped: Assistant) -> None:
    answer = scraped.ask("When does the bank levy apply in Velmont?", as_of=AS_OF)
    assert "The levy applies from July 1" in answer.answer


def test_briefing_bullets_are_statements(scraped: Assistant, pages: LabelledPages) -> None:
    for topic in (None, "tram line", "Kestrel Bay strike"):
        briefing = scraped.brief(topic)
        citations = tuple(c for s in briefing.sections for i in s.items for c in i.citations)
        assert citations, topic
        assert not _quotes_a_non_statement(citations, pages), topic


CAPTIONED = Passage(
    "p:0", "port", "The Velmont port expansion, explained",
    "How big is the new port?\n"
    "Cranes stand at the edge of the new quay in Velmont.\n"
    "Photograph: Jon Aster/Velmont Ledger",
    0, 114, 0.8,
)  # fmt: skip


def test_llm_claims_cite_statements_only() -> None:
    draft = "Cranes stand at the edge of the new quay in Velmont [1]."
    _, citations, _ = verify(draft, [CAPTIONED])
    assert citations[0].quote == "Cranes stand at the edge of the new quay in Velmont."
    text, citations, dropped = verify(draft, [CAPTIONED], statements=ShapeStatements())
    assert (text, citations, dropped) == ("", (), 1)  # a caption cannot back a claim
