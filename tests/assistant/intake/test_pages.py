"""Web pages → documents: every article paragraph kept, boilerplate and hidden text dropped,
metadata read, and one id per canonical URL (fixtures: fixtures/pages, labelled in sidecars)."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.errors import DocumentError, FetchFailed
from assistant.intake.chunking import sentence_spans
from assistant.intake.pages import page_document, read_page
from assistant.intake.uploads import check_id
from evals.extraction import Fixture, extracted_lines, load_fixtures, main, measure, render

FIXTURES = load_fixtures()
BY_NAME = {f.name: f for f in FIXTURES}


def test_there_are_enough_labelled_pages() -> None:
    assert len({f.same_as or f.name for f in FIXTURES}) >= 10
    assert all(f.article and f.boilerplate for f in FIXTURES)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.name)
def test_every_article_paragraph_is_kept_whole(fixture: Fixture) -> None:
    lines = extracted_lines(read_page(fixture.html, fixture.url))
    missing = [line for line in fixture.article if line not in lines]
    assert not missing, lines


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.name)
def test_no_boilerplate_line_comes_through(fixture: Fixture) -> None:
    text = read_page(fixture.html, fixture.url).document.text
    assert [line for line in fixture.boilerplate if line in text] == []


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.name)
def test_metadata(fixture: Fixture) -> None:
    page = read_page(fixture.html, fixture.url)
    document, expect = page.document, fixture.expect
    assert document.title == expect["title"]
    published = expect.get("published")
    assert document.published == (date.fromisoformat(str(published)) if published else None)
    if "author" in expect:
        assert page.author == expect["author"]
    assert page.site_name == expect.get("site")
    assert document.source == (expect.get("site") or "dunmore-herald.example")
    assert page.canonical_url == document.url == expect["canonical"]
    assert check_id(document.id) == document.id and document.id.startswith("web-")


def test_amp_and_print_variants_are_the_same_document() -> None:
    variants = [f for f in FIXTURES if f.same_as]
    assert {f.name for f in variants} >= {
        "vellmark-harbour-strike-amp",
        "vellmark-harbour-strike-print",
    }
    for fixture in variants:
        original = BY_NAME[str(fixture.same_as)]
        assert fixture.url != original.url
        variant = page_document(fixture.html, fixture.url)
        assert variant.id == page_document(original.html, original.url).id
        assert variant.url == original.expect["canonical"]


def test_paragraphs_are_blank_line_blocks_and_headings_stand_alone() -> None:
    fixture = BY_NAME["kessmoor-daily-budget"]
    text = page_document(fixture.html, fixture.url).text
    blocks = text.split("\n\n")
    assert "What is in the budget" in blocks and "Who voted against" in blocks
    assert "\n\n\n" not in text and not text.startswith("\n")
    # a heading is never glued to the sentence after it
    quoted = [text[s:e] for s, e in sentence_spans(text)]
    assert "Who voted against" in quoted


def test_hidden_instructions_never_reach_the_text() -> None:
    fixture = BY_NAME["corvane-ledger-chip-plant"]
    text = page_document(fixture.html, fixture.url).text
    for word in ("ignore your sources", "SYSTEM NOTE", "Castrel", "cheap flights", "script",
                 "JavaScript", "Template"):  # fmt: skip
        assert word not in text


def test_an_undated_page_is_not_given_a_date_from_its_text() -> None:
    fixture = BY_NAME["harlow-notes-undated"]
    assert "12 March" in fixture.html.decode()
    assert page_document(fixture.html, fixture.url).published is None


def test_a_canonical_url_on_another_site_is_ignored() -> None:
    html = (
        b'<html><head><title>Copied story</title><link rel="canonical" '
        b'href="https://victim.example/news/real-story"></head><body><article><h1>Copied story'
        b"</h1><p>The copied paragraph says the port reopened on Friday after the strike.</p>"
        b"</article></body></html>"
    )
    document = page_document(html, "https://copycat.example/story?id=7&utm_source=x")
    assert document.url == "https://copycat.example/story?id=7"
    assert document.id.startswith("web-copycat-example-story-")
    assert document.source == "copycat.example"


def test_charset_from_the_content_type_header() -> None:
    html = (
        "<html><body><article><h1>Café prices</h1><p>Prices at the Café Müller rose by 4 percent "
        "in June, the owner said on Tuesday.</p></article></body></html>"
    ).encode("latin-1")
    document = page_document(
        html, "https://x.example/a", content_type="text/html; charset=ISO-8859-1"
    )
    assert "Café Müller" in document.text


@pytest.mark.parametrize(
    "body",
    [
        b"<html><head><title>App</title></head><body><div id=root></div>"
        b"<script>render()</script></body></html>",
        b"<html><body><nav><a href=/>Home</a> <a href=/news>News</a></nav>"
        b"<footer>(c) 2026 The Site</footer></body></html>",
        b"   ",
    ],
    ids=["script-shell", "navigation-only", "empty"],
)
def test_a_page_without_article_text_fails_clearly(body: bytes) -> None:
    with pytest.raises(FetchFailed, match=r"https://x\.example/a"):
        page_document(body, "https://x.example/a")


def test_a_page_error_is_a_document_error() -> None:
    assert issubclass(FetchFailed, DocumentError)


def test_extraction_eval_reports_the_figures(capsys: pytest.CaptureFixture[str]) -> None:
    scores = measure(FIXTURES)
    assert all(s.recall == 1.0 and not s.leaked for s in scores)
    lines, correct = sum(s.lines for s in scores), sum(s.correct for s in scores)
    assert correct / lines >= 0.9
    assert main(["--show", "corvane-ledger-chip-plant"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(render(scores)) and "Halden Microsystems" in out


def test_a_page_laid_out_in_a_table_keeps_its_paragraphs_apart() -> None:
    """A layout table (cells holding paragraphs) is not data: read as rows, the navigation and
    the article would become one "cell | cell" line that no citation could quote cleanly."""
    paragraphs = [
        "The Kell Valley council will open a second library on Dune Street next spring.",
        "The building was a bank until 2019 and will hold about 30,000 books.",
        "Library director Oona Riis said the opening hours would include Sunday afternoons.",
    ]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (
        "<html><head><title>Kell Valley gets a second library</title></head><body>"
        "<table><tr><td><a href='/'>Home</a><br><a href='/news'>News</a><br>"
        "<a href='/donate'>Donate</a></td>"
        f"<td><h2>Kell Valley gets a second library</h2>{body}</td></tr></table>"
        "<table><tr><th>Branch</th><th>Books</th></tr><tr><td>Main</td><td>80,000</td></tr>"
        "</table></body></html>"
    )
    text = page_document(html.encode(), "https://kell-valley.example/library").text
    blocks = text.split("\n\n")
    for paragraph in paragraphs:
        assert paragraph in blocks
    assert not any("Donate" in b and "library" in b for b in blocks)
