"""Briefings: four cited sections, every bullet a verbatim quote; Markdown rendering."""

from __future__ import annotations

import re
from datetime import date

import pytest

from assistant.assistant import Assistant
from assistant.config import Settings
from assistant.errors import InvalidQuestion
from assistant.serialize import briefing_to_markdown
from assistant.types import Briefing, BriefingItem, BriefingSection, Citation, SourceRef
from tests.conftest import SEED_DOC_ID

MARKER = re.compile(r"\[(\d+)\]")
SECTION_KEYS = ["summary", "figures", "people", "watch"]
TARIFF_SENTENCE = "Japan currently faces 24% levies on its exports to the United States"


def check_briefing(assistant: Assistant, briefing: Briefing) -> None:
    seen: set[tuple[str, int]] = set()
    for section in briefing.sections:
        assert section.heading
        for item in section.items:
            assert item.citations, f"uncited bullet in {section.key}: {item.text}"
            markers = sorted(int(m) for m in MARKER.findall(item.text))
            assert markers == sorted(c.marker for c in item.citations)
            for c in item.citations:
                doc = assistant.document(c.doc_id)
                assert c.quote == doc.text[c.start : c.end]
                assert c.quote in item.text
                assert c.title == doc.title
                key = (c.doc_id, c.start)
                if section.key == "summary":
                    continue  # the synopsis may repeat what the sections below hold
                assert key not in seen, "a sentence appears in only one detail section"
                seen.add(key)
    cited = {c.doc_id for s in briefing.sections for i in s.items for c in i.citations}
    assert {s.doc_id for s in briefing.sources} == cited


def quotes(briefing: Briefing, key: str) -> list[str]:
    section = next(s for s in briefing.sections if s.key == key)
    return [c.quote for item in section.items for c in item.citations]


def test_corpus_briefing_hashing(fast_assistant: Assistant) -> None:
    briefing = fast_assistant.brief()
    assert [s.key for s in briefing.sections] == SECTION_KEYS
    assert all(s.items for s in briefing.sections), "the seed article fills every section"
    assert briefing.topic is None
    doc = fast_assistant.document(SEED_DOC_ID)
    assert briefing.headline == doc.title
    assert briefing.generated_at
    check_briefing(fast_assistant, briefing)
    (source,) = briefing.sources
    assert (source.doc_id, source.published) == (SEED_DOC_ID, date(2025, 4, 16))
    # headline lines are never bullets, and figures hold figures
    assert all(q != doc.title for s in SECTION_KEYS for q in quotes(briefing, s))
    assert all(re.search(r"\d", q) for q in quotes(briefing, "figures"))


def test_topic_briefing_hashing(fast_assistant: Assistant) -> None:
    briefing = fast_assistant.brief("tariffs on cars")
    assert briefing.topic == "tariffs on cars"
    assert briefing.headline == "Briefing: tariffs on cars"
    assert [s.key for s in briefing.sections] == SECTION_KEYS
    check_briefing(fast_assistant, briefing)
    all_quotes = [q for key in SECTION_KEYS for q in quotes(briefing, key)]
    assert any("cars" in q for q in all_quotes)


def test_topic_is_validated(fast_assistant: Assistant) -> None:
    with pytest.raises(InvalidQuestion):
        fast_assistant.brief("   ")


def test_briefing_of_an_empty_store(settings: Settings) -> None:
    empty = Assistant(settings)
    try:
        briefing = empty.brief()
        assert briefing.headline == "No documents ingested yet"
        assert all(s.items == () for s in briefing.sections)
        assert briefing.sources == ()
        assert "_Nothing in the sources for this section._" in briefing_to_markdown(briefing)
    finally:
        empty.close()


def test_markdown_of_a_real_briefing(fast_assistant: Assistant) -> None:
    briefing = fast_assistant.brief()
    markdown = briefing_to_markdown(briefing)
    lines = markdown.splitlines()
    assert lines[0] == f"# {briefing.headline}"
    headings = [line for line in lines if line.startswith("## ")]
    assert headings == [f"## {s.heading}" for s in briefing.sections] + ["## Sources"]
    bullets = [line for line in lines if line.startswith("- ") and "**" not in line]
    assert len(bullets) == sum(len(s.items) for s in briefing.sections)
    assert not any(MARKER.search(b) for b in bullets), "markers become footnote refs"
    footnotes = [line for line in lines if line.startswith("[^")]
    assert len(footnotes) == len(bullets)
    assert any(f"**{briefing.sources[0].title}** ({SEED_DOC_ID})" in line for line in lines)
    assert "2025-04-16" in markdown


def test_markdown_rendering_of_a_hand_built_briefing() -> None:
    c1 = Citation(1, "doc-a", "Title A", "Rates rose 2%.", 10, 24, 1.0)
    c2 = Citation(2, "doc-b", "Title B", "Talks resume Monday.", 0, 20, 1.0)
    briefing = Briefing(
        headline="Daily brief",
        topic=None,
        sections=(
            BriefingSection("figures", "Figures", (BriefingItem("Rates rose 2%. [1]", (c1,)),)),
            BriefingSection("people", "People", ()),
            BriefingSection(
                "watch", "Watch", (BriefingItem("Talks resume Monday. [2] Also [1].", (c2, c1)),)
            ),
        ),
        sources=(
            SourceRef("doc-a", "Title A", "Wire", date(2025, 1, 2), "https://a.example"),
            SourceRef("doc-b", "Title B", None, None, None),
        ),
        generated_at="2025-01-02T00:00:00+00:00",
    )
    markdown = briefing_to_markdown(briefing)
    assert markdown.startswith("# Daily brief\n")
    assert "_Generated 2025-01-02T00:00:00+00:00 from 2 source(s)._" in markdown
    assert "- Rates rose 2%. [^1]" in markdown
    assert "- Talks resume Monday. [^2] Also [^3]." in markdown
    assert "## People\n\n_Nothing in the sources for this section._" in markdown
    assert "[^1]: Title A (doc-a, chars 10–24)" in markdown
    assert "[^2]: Title B (doc-b, chars 0–20)" in markdown
    assert "- **Title A** (doc-a) — Wire, 2025-01-02, https://a.example" in markdown
    assert "- **Title B** (doc-b)\n" in markdown
    assert markdown.index("## Sources") > markdown.index("## Watch")


# -- real model ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_corpus_briefing_real(real_assistant: Assistant) -> None:
    briefing = real_assistant.brief()
    assert [s.key for s in briefing.sections] == SECTION_KEYS
    assert all(s.items for s in briefing.sections)
    check_briefing(real_assistant, briefing)
    everything = [q for key in SECTION_KEYS for q in quotes(briefing, key)]
    assert any(TARIFF_SENTENCE in q for q in everything)


@pytest.mark.slow
def test_figures_section_holds_the_tariff_rate_real(real_assistant: Assistant) -> None:
    assert any(TARIFF_SENTENCE in q for q in quotes(real_assistant.brief(), "figures"))


@pytest.mark.slow
def test_topic_briefing_real(real_assistant: Assistant) -> None:
    briefing = real_assistant.brief("Japan tariffs")
    assert briefing.headline == "Briefing: Japan tariffs"
    check_briefing(real_assistant, briefing)
    assert any(s.items for s in briefing.sections)
