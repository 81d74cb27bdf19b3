"""Citations into a PDF name the page their quote starts on (`Citation.page`), in answers
(asked or streamed), briefings, their JSON and their renderings; other citations are as before."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime

import pytest

from assistant.answering.request import Final
from assistant.assistant import Assistant
from assistant.briefs.codec import briefing_from_dict, briefing_to_dict
from assistant.briefs.render import briefing_to_markdown
from assistant.intake.paging import answer_with_pages, briefing_with_pages, cite_pages, page_at
from assistant.intake.uploads import Upload
from assistant.serialize import answer_to_dict, citation_to_dict
from assistant.types import Answer, Briefing, BriefingItem, BriefingSection, Citation
from tests.assistant.intake.test_pdfs import PAGE_1, PAGE_2, PAGE_3
from tests.conftest import SEED_DOC_ID
from tests.sample_files import make_pdf

TEXT = "First page.\n\f\nSecond page.\n\f\nThird page, where the quote is."
QUOTE_AT = TEXT.index("Third")
CITATION = Citation(
    1, "paged", "Paged", "Third page, where the quote is.", QUOTE_AT, len(TEXT), 0.7
)
TEXTS = {"paged": TEXT, "flat": "No pages at all."}


def test_page_at() -> None:
    assert [page_at(TEXT, i) for i in (0, TEXT.index("Second"), QUOTE_AT)] == [1, 2, 3]
    assert page_at(TEXT, TEXT.index("\f")) == 1  # the break itself still ends page 1
    assert page_at("Flat text.", 3) is None


def test_cite_pages_sets_page_only_for_paged_documents() -> None:
    flat = replace(CITATION, doc_id="flat", start=0, end=3, quote="No ")
    gone = replace(CITATION, doc_id="removed")
    paged, unpaged, unknown = cite_pages([CITATION, flat, gone], TEXTS.get)
    assert (paged.page, unpaged.page, unknown.page) == (3, None, None)
    assert unpaged is flat


def test_answers_and_briefings_get_pages() -> None:
    answer = answer_with_pages(Answer("Q?", "Third page. [1]", False, (CITATION,)), TEXTS.get)
    assert answer.citations[0].page == 3
    briefing = Briefing("H", None, (BriefingSection("summary", "Summary", (
        BriefingItem("Third page. [1]", (CITATION,)),)),), ())  # fmt: skip
    paged = briefing_with_pages(briefing, TEXTS.get)
    assert paged.sections[0].items[0].citations[0].page == 3


def test_json_has_page_only_when_known_and_saved_briefings_keep_it() -> None:
    assert "page" not in citation_to_dict(CITATION)
    assert citation_to_dict(replace(CITATION, page=3))["page"] == 3
    item = BriefingItem("Third page. [1]", (replace(CITATION, page=3),))
    briefing = Briefing("H", None, (BriefingSection("summary", "Summary", (item,)),), ())
    assert briefing_from_dict(briefing_to_dict(briefing)) == briefing
    assert "p. 3, chars" in briefing_to_markdown(briefing)


@pytest.fixture
def with_pdf(fast_assistant: Assistant) -> Iterator[Assistant]:
    raw = make_pdf([PAGE_1, PAGE_2, PAGE_3], title="Ostland steel levy statement",
                   created=datetime(2026, 5, 4))  # fmt: skip
    uploaded = fast_assistant.upload(Upload(content=raw, filename="ostland-steel.pdf"))
    assert (uploaded.kind, uploaded.change.status) == ("pdf", "added")
    yield fast_assistant


QUESTION = "What is the quota for tinplate in Ostland?"


def test_an_answer_from_page_3_of_a_pdf_says_so(with_pdf: Assistant) -> None:
    answer = with_pdf.ask(QUESTION, as_of=datetime(2026, 6, 1).date())
    (citation,) = [c for c in answer.citations if c.doc_id == "ostland-steel"]
    assert "40,000 tonnes" in citation.quote and citation.page == 3
    text = with_pdf.document("ostland-steel").text
    assert text[citation.start : citation.end] == citation.quote
    assert citation.page == 1 + text[: citation.start].count("\f")
    assert answer_to_dict(answer)["citations"][0]["page"] == 3


def test_a_streamed_answer_says_the_page_too(with_pdf: Assistant) -> None:
    events = list(with_pdf.ask_stream(QUESTION, as_of=datetime(2026, 6, 1).date()))
    final = events[-1]
    assert isinstance(final, Final)
    assert [c.page for c in final.answer.citations if c.doc_id == "ostland-steel"] == [3]


def test_citations_of_plain_documents_have_no_page(with_pdf: Assistant) -> None:
    answer = with_pdf.ask("What tariff rate does Japan face?")
    cited = [c for c in answer.citations if c.doc_id == SEED_DOC_ID]
    assert cited and all(c.page is None for c in cited)
    assert all("page" not in c for c in answer_to_dict(answer)["citations"])


def test_a_briefing_on_the_pdf_cites_pages(with_pdf: Assistant) -> None:
    briefing = with_pdf.brief("Ostland steel levy")
    cited = [c for s in briefing.sections for i in s.items for c in i.citations]
    from_pdf = [c for c in cited if c.doc_id == "ostland-steel"]
    assert from_pdf and all(c.page in (1, 2, 3) for c in from_pdf)
    saved = with_pdf.saved_briefing(briefing.id)
    assert [c.page for s in saved.sections for i in s.items for c in i.citations] == [
        c.page for c in cited
    ]
