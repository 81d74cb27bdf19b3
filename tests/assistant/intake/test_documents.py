"""Loaders: every supported format, and every way a bad file is skipped with a reason."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from assistant.intake.loading import LoadResult, load_paths
from assistant.types import SkippedFile

MAX_BYTES = 1_000_000


def load(*paths: Path, max_bytes: int = MAX_BYTES) -> LoadResult:
    return load_paths(list(paths), max_bytes=max_bytes)


def only_skip(result: LoadResult) -> SkippedFile:
    assert result.documents == ()
    assert len(result.skipped) == 1, result.skipped
    return result.skipped[0]


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# -- formats ----------------------------------------------------------------------------------


def test_txt_title_from_first_line_and_id_from_file_name(tmp_path: Path) -> None:
    path = write(tmp_path / "Morning Notes.txt", "\n  Markets calm  \nStocks held steady.\n")
    (doc,) = load(path).documents
    assert doc.id == "morning-notes"
    assert doc.title == "Markets calm"
    assert doc.text == "\n  Markets calm  \nStocks held steady.\n"
    assert doc.path == str(path)
    assert doc.published is None and doc.source is None and doc.url is None


def test_markdown_front_matter_fields(tmp_path: Path) -> None:
    path = write(
        tmp_path / "file-name.md",
        "---\n"
        "id: custom-id\n"
        "title: Rates on hold\n"
        "source: The Daily\n"
        "published: 2025-04-16\n"
        "url: https://example.com/rates\n"
        "---\n"
        "# Heading\n\nThe bank held rates.\n",
    )
    (doc,) = load(path).documents
    assert doc.id == "custom-id"
    assert doc.title == "Rates on hold"
    assert doc.source == "The Daily"
    assert doc.published == date(2025, 4, 16)
    assert doc.url == "https://example.com/rates"
    # the front matter is not part of the text citations point into
    assert doc.text == "# Heading\n\nThe bank held rates.\n"


def test_markdown_without_front_matter_uses_heading_as_title(tmp_path: Path) -> None:
    path = write(tmp_path / "note.markdown", "## Trade update\n\nTalks resumed.\n")
    (doc,) = load(path).documents
    assert doc.title == "Trade update"
    assert doc.id == "note"


def test_markdown_crlf_and_bom_are_normalised(tmp_path: Path) -> None:
    raw = "\ufeff---\r\ntitle: Windows\r\n---\r\nLine one.\r\nLine two.\r\n".encode()
    (doc,) = load(write(tmp_path / "win.md", raw)).documents
    assert doc.title == "Windows"
    assert doc.text == "Line one.\nLine two.\n"


def test_html_visible_text_title_and_published_meta(tmp_path: Path) -> None:
    path = write(
        tmp_path / "Story Page.html",
        """<!doctype html>
<html><head>
  <title>Tariff talks open</title>
  <meta property="article:published_time" content="2025-04-16T09:30:00Z">
  <meta property="og:site_name" content="Example News">
  <meta property="og:url" content="https://example.com/story">
  <style>body { color: red; }</style>
  <script>var hidden = "SCRIPT-HEAD";</script>
</head><body>
  <h1>Talks   open</h1>
  <p>Japan sent its   minister to Washington.</p>
  <script>console.log("SCRIPT-BODY")</script>
  <style>.x { display: none }</style>
  <noscript>NOSCRIPT-TEXT</noscript>
  <p>Markets <b>rose</b> slightly.</p>
</body></html>""",
    )
    (doc,) = load(path).documents
    assert doc.id == "story-page"
    assert doc.title == "Tariff talks open"
    assert doc.published == date(2025, 4, 16)
    assert doc.source == "Example News"
    assert doc.url == "https://example.com/story"
    assert "Japan sent its minister to Washington." in doc.text
    assert "Talks open" in doc.text
    assert "rose" in doc.text
    for hidden in ("SCRIPT-HEAD", "SCRIPT-BODY", "color: red", "display: none", "NOSCRIPT"):
        assert hidden not in doc.text
    # the <title> lives in <head>, which is not body text
    assert "Tariff talks open" not in doc.text


def test_html_elements_a_reader_cannot_see_are_dropped(tmp_path: Path) -> None:
    path = write(
        tmp_path / "hidden.html",
        """<html><body><p>Visible paragraph about tariffs.</p>
<div style="color: red; DISPLAY : none">STYLE-NONE</div>
<span style="visibility:hidden">STYLE-INVISIBLE</span>
<p hidden>HIDDEN-ATTR <b>nested</b></p>
<div aria-hidden="true">ARIA-HIDDEN</div>
<div aria-hidden="false">ARIA-SHOWN</div>
<template><p>TEMPLATE-TEXT</p></template>
<!-- COMMENT-TEXT -->
<p>Closing line.</p></body></html>""",
    )
    (doc,) = load(path).documents
    assert doc.text == "Visible paragraph about tariffs.\nARIA-SHOWN\nClosing line."


def test_html_without_visible_text_is_skipped(tmp_path: Path) -> None:
    path = write(
        tmp_path / "blank.html",
        "<html><head><title>T</title></head><body><script>x()</script></body></html>",
    )
    skip = only_skip(load(path))
    assert skip.path == str(path)
    assert "no visible text" in skip.reason


def test_jsonl_valid_lines_load_and_bad_lines_are_skipped_by_line(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "id": "a",
                "title": "A",
                "text": "Alpha text.",
                "published": "2025-01-02",
                "url": "https://a.example",
                "source": "Wire",
            }
        ),
        "{not json",
        json.dumps({"id": "b", "title": "B"}),  # no text
        "",
        json.dumps({"id": "c", "title": "C", "text": "Gamma.", "published": "last Tuesday"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "d", "title": "D", "text": "Delta text."}),
    ]
    path = write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    result = load(path)

    assert [d.id for d in result.documents] == ["a", "d"]
    a = result.documents[0]
    assert (a.title, a.text, a.published, a.url, a.source, a.path) == (
        "A",
        "Alpha text.",
        date(2025, 1, 2),
        "https://a.example",
        "Wire",
        str(path),
    )

    reasons = {s.path: s.reason for s in result.skipped}
    assert set(reasons) == {f"{path}:2", f"{path}:3", f"{path}:5", f"{path}:6"}
    assert "malformed JSON" in reasons[f"{path}:2"]
    assert "missing required field" in reasons[f"{path}:3"] and "text" in reasons[f"{path}:3"]
    assert "publication date" in reasons[f"{path}:5"] and "last Tuesday" in reasons[f"{path}:5"]
    assert "JSON object" in reasons[f"{path}:6"]
    # the reason does not repeat the location
    assert not any(r.startswith(str(path)) for r in reasons.values())


# -- bad files ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.md", b"  \n\t\n  ", "empty"),
        ("binary.txt", b"GIF89a\x00\x01\x02\x00data", "binary"),
        ("latin1.txt", "Caf\u00e9 prices rose.".encode("latin-1"), "UTF-8"),
        ("report.pdf", b"%PDF-1.7 fake", "not a readable PDF"),
        ("slides.pptx", b"PK\x03\x04", "unsupported file type"),
        ("bad-yaml.md", b"---\ntitle: [unclosed\n---\nBody.\n", "front matter"),
        ("list-yaml.md", b"---\n- a\n- b\n---\nBody.\n", "front matter"),
        ("only-front.md", b"---\ntitle: T\n---\n\n   \n", "no text"),
        ("bad-date.md", b"---\npublished: someday\n---\nBody.\n", "publication date"),
        ("control.txt", b"text\x01\x02\x03\x04\x05\x06\x07", "binary"),
    ],
)
def test_bad_file_is_skipped_with_a_reason(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = write(tmp_path / name, content)
    skip = only_skip(load(path))
    assert skip.path == str(path)
    assert reason.lower() in skip.reason.lower()


def test_unsupported_type_reason_lists_supported_suffixes(tmp_path: Path) -> None:
    skip = only_skip(load(write(tmp_path / "x.pptx", b"PK")))
    assert ".md" in skip.reason and ".jsonl" in skip.reason and ".pdf" in skip.reason


def test_oversized_file_is_skipped_before_reading(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", "word " * 100)
    skip = only_skip(load(path, max_bytes=100))
    assert skip.path == str(path)
    assert "500 bytes" in skip.reason and "100 limit" in skip.reason
    # exactly at the limit is fine
    assert len(load(path, max_bytes=500).documents) == 1


def test_duplicate_document_id_across_files_keeps_the_first(tmp_path: Path) -> None:
    first = write(tmp_path / "a.md", "---\nid: same\ntitle: First\n---\nFirst body.\n")
    second = write(tmp_path / "b.md", "---\nid: same\ntitle: Second\n---\nSecond body.\n")
    result = load(tmp_path)
    assert [(d.id, d.title) for d in result.documents] == [("same", "First")]
    (skip,) = result.skipped
    assert skip.path == str(second)
    assert "duplicate document id 'same'" in skip.reason
    assert str(first) in skip.reason


def test_duplicate_id_between_jsonl_and_markdown(tmp_path: Path) -> None:
    write(tmp_path / "a.jsonl", json.dumps({"id": "x", "title": "J", "text": "From JSONL."}))
    write(tmp_path / "b.txt", "From text.")  # id "b": no clash
    write(tmp_path / "c.md", "---\nid: x\n---\nFrom markdown.\n")
    result = load(tmp_path)
    assert sorted(d.id for d in result.documents) == ["b", "x"]
    assert [s.path for s in result.skipped] == [str(tmp_path / "c.md")]


def test_directory_mixing_good_and_bad_files_loads_every_good_one(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write(corpus / "plain.txt", "A good text file.")
    write(corpus / "styled.md", "---\ntitle: Good MD\n---\nGood markdown.\n")
    write(corpus / "nested" / "page.html", "<html><body><p>Good HTML.</p></body></html>")
    write(corpus / "feed.jsonl", json.dumps({"id": "j1", "title": "J", "text": "Good JSONL."}))
    write(corpus / "empty.txt", b"")
    write(corpus / "binary.md", b"\x00\x01\x02")
    write(corpus / "bad.pdf", b"%PDF")
    write(corpus / "broken.md", b"---\ntitle: [\n---\nx\n")
    write(corpus / ".hidden.txt", "dotfiles are ignored")

    result = load(corpus)

    assert sorted(d.id for d in result.documents) == ["j1", "page", "plain", "styled"]
    assert all(Path(d.path or "").is_relative_to(corpus) for d in result.documents)
    skipped = sorted(Path(s.path).name for s in result.skipped)
    assert skipped == ["bad.pdf", "binary.md", "broken.md", "empty.txt"]
    assert all(s.reason for s in result.skipped)


def test_same_stem_in_two_formats_is_a_duplicate_id(tmp_path: Path) -> None:
    """`good.txt` and `good.md` both slug to `good`: the second is skipped, not silently merged."""
    write(tmp_path / "good.md", "Markdown version.")
    write(tmp_path / "good.txt", "Text version.")
    result = load(tmp_path)
    assert [d.text for d in result.documents] == ["Markdown version."]
    assert [Path(s.path).name for s in result.skipped] == ["good.txt"]


def test_impossible_front_matter_date_skips_the_file_instead_of_crashing(tmp_path: Path) -> None:
    write(tmp_path / "a.md", "---\ntitle: A\npublished: 2025-13-45\n---\nBody.\n")
    write(tmp_path / "b.md", "Other body.\n")
    result = load(tmp_path)
    assert [d.id for d in result.documents] == ["b"]
    assert [Path(s.path).name for s in result.skipped] == ["a.md"]


def test_missing_folder_is_reported_as_missing(tmp_path: Path) -> None:
    skip = only_skip(load(tmp_path / "no-such-folder"))
    assert "no such" in skip.reason


def test_files_inside_hidden_folders_are_ignored(tmp_path: Path) -> None:
    write(tmp_path / "visible.txt", "Visible.")
    write(tmp_path / ".git" / "HEAD", "ref: refs/heads/main")
    write(tmp_path / ".drafts" / "draft.md", "Unpublished draft.")
    result = load(tmp_path)
    assert [d.id for d in result.documents] == ["visible"]
    assert result.skipped == ()


@pytest.mark.parametrize(
    ("first_line", "title"),
    [
        ("Zorbia set its import tariff at 77% on Monday.", "zorbia"),  # a sentence: text
        ('He said: "We will not yield!"', "zorbia"),
        ("Zorbia Sets Tariff at 77%", "Zorbia Sets Tariff at 77%"),  # a headline
        (
            "# Zorbia sets its tariff.",
            "Zorbia sets its tariff.",
        ),  # a heading, whatever it ends with
        ("Will Zorbia raise its tariff?", "Will Zorbia raise its tariff?"),
    ],
)
def test_a_first_line_is_the_title_unless_it_ends_a_sentence(
    tmp_path: Path, first_line: str, title: str
) -> None:
    (tmp_path / "zorbia.txt").write_text(f"{first_line}\nThe weather was mild.\n", "utf-8")
    (document,) = load_paths([tmp_path], max_bytes=10_000).documents
    assert document.title == title
    assert document.text.startswith(first_line)  # the line stays text either way
