"""JSON forms of library values (the public answer contract)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

from assistant.serialize import (
    answer_to_dict,
    briefing_to_dict,
    citation_to_dict,
    document_info_to_dict,
)
from assistant.types import (
    Answer,
    Briefing,
    BriefingItem,
    BriefingSection,
    Citation,
    DocumentInfo,
    SourceCopy,
    SourceRef,
)

CITATION = Citation(1, "doc", "Title", "Japan faces 24% levies.", 5, 28, 0.61)


def test_citation_fields() -> None:
    assert citation_to_dict(CITATION) == {
        "marker": 1,
        "doc_id": "doc",
        "title": "Title",
        "quote": "Japan faces 24% levies.",
        "start": 5,
        "end": 28,
        "score": 0.61,
        "also_published_by": [],
    }


def test_citation_names_the_other_copies_of_its_story() -> None:
    copy = SourceCopy("doc-2", "Title", "Harbour Post", "https://harbour.example/a")
    data = citation_to_dict(replace(CITATION, also_published_by=(copy,)))
    assert data["also_published_by"] == [
        {"doc_id": "doc-2", "title": "Title", "source": "Harbour Post",
         "url": "https://harbour.example/a"}
    ]  # fmt: skip
    json.dumps(data)


def test_answer_contract_keys() -> None:
    answer = Answer("Q?", "Japan faces 24% levies. [1]", False, (CITATION,))
    data = answer_to_dict(answer)
    # the stable contract first; later issues only add fields (`degraded` is always present)
    assert list(data) == ["question", "answer", "abstained", "citations", "degraded", "claims"]
    assert data["citations"] == [citation_to_dict(CITATION)]
    assert json.loads(json.dumps(data)) == data


def test_retrieval_query_only_when_rewritten() -> None:
    abstained = answer_to_dict(Answer("And cars?", "No answer.", True, (), "Prev? cars?"))
    assert abstained["retrieval_query"] == "Prev? cars?"
    assert abstained["citations"] == []
    assert abstained["abstained"] is True


def test_briefing_to_dict_is_json_ready() -> None:
    briefing = Briefing(
        headline="H",
        topic="t",
        sections=(BriefingSection("figures", "Figures", (BriefingItem("x [1]", (CITATION,)),)),),
        sources=(SourceRef("doc", "Title", "Wire", date(2025, 4, 16), None),),
        generated_at="2025-04-16T00:00:00+00:00",
    )
    data = briefing_to_dict(briefing)
    assert json.loads(json.dumps(data)) == data
    assert data["headline"] == "H" and data["topic"] == "t"
    assert data["sections"] == [
        {
            "key": "figures",
            "heading": "Figures",
            "items": [
                {
                    "text": "x [1]",
                    "citations": [citation_to_dict(CITATION)],
                    "key": "",
                    "figure": None,
                    "statement": None,
                    "event": None,
                }
            ],
        }
    ]
    assert data["sources"] == [
        {
            "doc_id": "doc",
            "title": "Title",
            "source": "Wire",
            "published": "2025-04-16",
            "url": None,
            "also_published_by": [],
        }
    ]


def test_document_info_dates_are_iso_strings() -> None:
    info = DocumentInfo("doc", "Title", None, date(2025, 4, 16), None, "/c/doc.md", 8, 2468)
    data = document_info_to_dict(info)
    assert data == {
        "id": "doc",
        "title": "Title",
        "source": None,
        "published": "2025-04-16",
        "url": None,
        "path": "/c/doc.md",
        "chunk_count": 8,
        "chars": 2468,
    }
    assert json.loads(json.dumps(data)) == data
    undated = DocumentInfo("d", "T", None, None, None, None, 0, 0)
    assert document_info_to_dict(undated)["published"] is None
