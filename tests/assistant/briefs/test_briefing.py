"""Briefings: five cited sections, verified bullets, timeline order, exports and "what changed"."""

from __future__ import annotations

import re
import shutil
from datetime import date

import pytest

from assistant.answering.verification import check_claim
from assistant.assistant import Assistant
from assistant.config import Settings
from assistant.errors import InvalidQuestion, NotFound
from assistant.serialize import (
    briefing_from_dict,
    briefing_to_dict,
    briefing_to_html,
    briefing_to_markdown,
)
from assistant.types import Briefing, BriefingItem, BriefingSection, Citation, Figure, SourceRef
from tests.conftest import ROOT, SEED_DOC_ID

MARKER = re.compile(r"\[(\d+)\]")
SECTION_KEYS = ["summary", "figures", "people", "timeline", "watch"]
FOLLOW_UP = ROOT / "evals" / "fixtures" / "talks-end-without-deal.md"


def check_briefing(assistant: Assistant, briefing: Briefing) -> None:
    """Every bullet: cited, markers match citations, quotes are exact slices, claim verified."""
    for section in briefing.sections:
        assert section.heading
        keys = [i.key for i in section.items]
        assert len(keys) == len(set(keys)), f"duplicate bullets in {section.key}"
        for item in section.items:
            assert item.citations, f"uncited bullet in {section.key}: {item.text}"
            markers = sorted(int(m) for m in MARKER.findall(item.text))
            assert markers == sorted(c.marker for c in item.citations)
            for c in item.citations:
                doc = assistant.document(c.doc_id)
                assert c.quote == doc.text[c.start : c.end]
                assert c.title == doc.title
            if item.event is None:  # event labels are derived dates, checked separately
                claim = MARKER.sub("", item.text)
                assert check_claim(claim, [c.quote for c in item.citations]).supported, item.text
    cited = {c.doc_id for s in briefing.sections for i in s.items for c in i.citations}
    assert {s.doc_id for s in briefing.sources} == cited


def section(briefing: Briefing, key: str) -> BriefingSection:
    return next(s for s in briefing.sections if s.key == key)


def test_seed_briefing_has_every_section(fast_assistant: Assistant) -> None:
    briefing = fast_assistant.brief()
    assert [s.key for s in briefing.sections] == SECTION_KEYS
    assert all(s.items for s in briefing.sections), "the seed article fills every section"
    assert briefing.headline == fast_assistant.document(SEED_DOC_ID).title
    assert briefing.id and briefing.generated_at
    assert dict(briefing.corpus_state).keys() == {SEED_DOC_ID}
    check_briefing(fast_assistant, briefing)
    (source,) = briefing.sources
    assert (source.doc_id, source.published) == (SEED_DOC_ID, date(2025, 4, 16))
    assert 2 <= len(section(briefing, "summary").items) <= 3


def test_key_figures_have_value_measure_and_status(fast_assistant: Assistant) -> None:
    figures = {i.figure.value: i.figure for i in section(fast_assistant.brief(), "figures").items
               if i.figure}  # fmt: skip
    assert figures["24%"] == Figure("24%", "levies on its exports to the United States",
                                    "paused for 90 days")  # fmt: skip
    assert figures["10%"].measure == "universal rate" and figures["10%"].status == "remains active"
    assert figures["25%"].measure == "duty on cars"
    assert "STOXX 600" in figures["0.7 percent"].measure
    assert "DAX" in figures["1.2 percent"].measure


def test_parties_keep_quotes_apart_from_reported_claims(fast_assistant: Assistant) -> None:
    items = section(fast_assistant.brief(), "people").items
    statements = [(i.statement.speaker, i.statement.role, i.statement.kind)
                  for i in items if i.statement]  # fmt: skip
    assert ("Kurt Tong", "managing partner at The Asia Group and former State Department "
            "official", "quote") in statements  # fmt: skip
    assert ("Shigeru Ishiba", "Japanese Prime Minister", "reported") in statements
    assert ("Scott Bessent", "Treasury Secretary", "quote") in statements
    assert ("Ryosei Akazawa", "Economic Revitalisation Minister", "party") in statements
    ishiba = [i.text for i in items if i.statement and i.statement.speaker == "Shigeru Ishiba"]
    assert any("won't rush" in t and "major concessions" in t for t in ishiba)
    assert any("ruled out countermeasures" in t for t in ishiba)
    tong = next(i for i in items if i.statement and i.statement.speaker == "Kurt Tong")
    assert tong.statement and tong.statement.quote and "sticks" in tong.statement.quote


def test_timeline_orders_the_seed_events(fast_assistant: Assistant) -> None:
    items = section(fast_assistant.brief(), "timeline").items

    def first(pattern: str) -> int:
        return next(n for n, i in enumerate(items) if re.search(pattern, i.text))

    order = [first("Liberation Day"), first("Ishiba stated Monday"),
             first("attend trade talks"), first("Meloni"), first("South Korea")]  # fmt: skip
    assert order == sorted(order)
    by_expression = {i.event.expression: i.event for i in items if i.event}
    assert by_expression["Monday"].date == date(2025, 4, 14)
    assert by_expression["Thursday"].date == date(2025, 4, 17)
    assert by_expression["next week"].label == "week of 21 Apr 2025"
    assert by_expression["recent"].date is None and not by_expression["recent"].resolved


def test_undated_documents_keep_relative_dates(settings: Settings) -> None:
    (settings.corpus_dir / "trump-japan-trade-talks.md").unlink()
    (settings.corpus_dir / "undated.md").write_text(
        "---\ntitle: Undated wire\n---\nOfficials met on Monday to discuss the 12% levy.\n"
        "A second meeting will take place next week in Geneva.\n"
    )
    assistant = Assistant(settings)
    assistant.ingest()
    events = [i.event for i in section(assistant.brief(), "timeline").items if i.event]
    assert events and all(e.date is None and not e.resolved for e in events)
    assert any(e.label == "Monday (report undated)" for e in events)
    assistant.close()


def test_what_to_watch_holds_upcoming_events_and_the_pause(fast_assistant: Assistant) -> None:
    texts = [i.text for i in section(fast_assistant.brief(), "watch").items]
    assert any("Meloni" in t for t in texts)
    assert any("next week" in t for t in texts)
    assert any("90 days" in t for t in texts)
    assert not any(t.startswith("Mon 14 Apr") for t in texts), "past events are not 'upcoming'"


def test_topic_briefing_stays_on_topic(fast_assistant: Assistant) -> None:
    briefing = fast_assistant.brief("tariffs on cars")
    assert briefing.topic == "tariffs on cars" and briefing.headline == "Briefing: tariffs on cars"
    check_briefing(fast_assistant, briefing)
    assert any(i.figure and i.figure.value == "25%" for i in section(briefing, "figures").items)
    with pytest.raises(InvalidQuestion):
        fast_assistant.brief("   ")


def test_briefing_of_an_empty_store(settings: Settings) -> None:
    assistant = Assistant(settings)
    briefing = assistant.brief()
    assert briefing.headline == "No documents ingested yet"
    assert all(not s.items for s in briefing.sections) and briefing.sources == ()
    assistant.close()


def test_bullets_that_fail_verification_are_dropped() -> None:
    quote = ["Japan currently faces 24% levies, paused for 90 days."]
    assert check_claim("24% levies — paused for ninety days", quote).supported
    assert check_claim("24 percent levies", quote).supported
    assert check_claim("25% levies", quote).missing_numbers == ("25",)
    assert check_claim("Ishiba: 24% levies", quote).missing_names == ("ishiba",)


def test_json_round_trip_and_saved_copy(fast_assistant: Assistant) -> None:
    briefing = fast_assistant.brief()
    data = briefing_to_dict(briefing)
    assert data["schema_version"] == 2
    assert briefing_from_dict(data) == briefing
    assert fast_assistant.saved_briefing(briefing.id) == briefing
    with pytest.raises(NotFound):
        fast_assistant.saved_briefing("0123456789ab")
    with pytest.raises(NotFound):
        fast_assistant.saved_briefing("../../etc/passwd")


def test_markdown_and_html_exports(fast_assistant: Assistant) -> None:
    briefing = fast_assistant.brief()
    markdown = briefing_to_markdown(briefing)
    for heading in ("## Situation", "## Key figures", "## Parties and positions", "## Timeline",
                    "## What to watch", "## Sources"):  # fmt: skip
        assert heading in markdown
    assert "| 24% | levies on its exports to the United States | paused for 90 days |" in markdown
    notes = re.findall(r"^\[\^(\d+)\]:", markdown, re.MULTILINE)
    refs = set(re.findall(r"\[\^(\d+)\](?!:)", markdown))
    assert refs == set(notes)
    page = briefing_to_html(briefing)
    assert page.startswith("<!doctype html>") and "<script" not in page
    assert "http" not in page.split("<body>")[0], "no external resources"


def test_html_export_escapes_document_text() -> None:
    hostile = '<img src=x onerror="alert(1)"> rose 2%.'
    citation = Citation(1, "d", "<b>T</b>", hostile, 0, len(hostile), 1.0)
    briefing = Briefing(
        "<script>alert(1)</script>", None,
        (BriefingSection("summary", "Situation", (BriefingItem(f"{hostile} [1]", (citation,)),)),),
        (SourceRef("d", "<b>T</b>", None, None, None),),
    )  # fmt: skip
    page = briefing_to_html(briefing)
    assert "<script>alert" not in page and "<img" not in page and "<b>T</b>" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page


def test_since_last_shows_new_changed_and_unsupported(fast_assistant: Assistant) -> None:
    first = fast_assistant.brief()
    shutil.copy(FOLLOW_UP, fast_assistant.settings.corpus_dir)
    fast_assistant.ingest()
    second = fast_assistant.brief(since="last")
    changes = second.changes
    assert changes and changes.since_id == first.id
    assert changes.documents_added == ("fictional-talks-end-without-deal",)
    assert any("ended on Thursday without a deal" in (c.after or "") for c in changes.new)
    changed = {c.key: c for c in changes.changed}
    cars = changed["figure:duty on cars"]
    assert "remains active" in (cars.before or "") and "stays in force" in (cars.after or "")
    assert not changes.no_longer_supported

    (fast_assistant.settings.corpus_dir / FOLLOW_UP.name).unlink()
    fast_assistant.ingest()
    third = fast_assistant.brief(since=second.id)
    assert third.changes and third.changes.documents_removed == (
        "fictional-talks-end-without-deal",
    )
    gone = [c.before or "" for c in third.changes.no_longer_supported]
    assert any("without a deal" in text for text in gone)
    assert "## What changed since" in briefing_to_markdown(third)


def test_since_needs_an_earlier_briefing(fast_assistant: Assistant) -> None:
    with pytest.raises(NotFound):
        fast_assistant.brief(since="last")
    fast_assistant.brief("cars")
    with pytest.raises(NotFound):  # "last" compares like with like: same topic
        fast_assistant.brief(since="last")


@pytest.mark.slow
def test_real_model_briefing(real_assistant: Assistant) -> None:
    briefing = real_assistant.brief()
    check_briefing(real_assistant, briefing)
    values = [i.figure.value for i in section(briefing, "figures").items if i.figure]
    assert {"24%", "10%", "25%"} <= set(values)


def test_markdown_export_escapes_document_html() -> None:
    hostile = "<script>alert(1)</script> rose 2%."
    citation = Citation(1, "d", "<b>T</b>", hostile, 0, len(hostile), 1.0)
    briefing = Briefing(
        "<img src=x onerror=alert(1)>", None,
        (BriefingSection("summary", "Situation", (BriefingItem(f"{hostile} [1]", (citation,)),)),),
        (SourceRef("d", "<b>T</b>", None, None, None),),
    )  # fmt: skip
    markdown = briefing_to_markdown(briefing)
    assert "<script>" not in markdown and "<img" not in markdown and "<b>" not in markdown
    assert "&lt;script&gt;alert(1)&lt;/script&gt; rose 2%.[^1]" in markdown


def test_headline_comes_from_a_cited_document(settings: Settings) -> None:
    (settings.corpus_dir / "newer.md").write_text(
        "---\ntitle: Newest but irrelevant\npublished: 2026-01-01\n---\nShort.\n"
    )
    assistant = Assistant(settings)
    assistant.ingest()
    briefing = assistant.brief()
    assert briefing.headline in {s.title for s in briefing.sources}
    assistant.close()
