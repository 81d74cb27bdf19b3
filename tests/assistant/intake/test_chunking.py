"""Sentence splitting and chunking: exact offsets, order, coverage and size limits."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from assistant.intake.chunking import chunk_document, chunk_id, sentence_spans
from assistant.intake.loading import load_paths
from assistant.types import Chunk, Document

SEED = Path(__file__).resolve().parents[3] / "corpus" / "trump-japan-trade-talks.md"


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


@pytest.fixture(scope="module")
def seed_doc() -> Document:
    (doc,) = load_paths([SEED], max_bytes=10_000_000).documents
    return doc


# -- sentence_spans -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr. Smith met U.S. officials. They agreed.",
            ["Mr. Smith met U.S. officials.", "They agreed."],
        ),
        (
            "Exports fell 1.2 percent in March. Imports rose 0.7 percent.",
            ["Exports fell 1.2 percent in March.", "Imports rose 0.7 percent."],
        ),
        (
            "Dr. No met Gen. Lee on Jan. 5. Talks ended.",
            ["Dr. No met Gen. Lee on Jan. 5.", "Talks ended."],
        ),
        ("J. Smith spoke first. Then others.", ["J. Smith spoke first.", "Then others."]),
        (
            "Will they agree? Nobody knows! Wait and see.",
            ["Will they agree?", "Nobody knows!", "Wait and see."],
        ),
        ("He went to the U.K. in May.", ["He went to the U.K. in May."]),
        ("Rates are 24%. The pause is 90 days.", ["Rates are 24%.", "The pause is 90 days."]),
    ],
)
def test_sentence_boundaries(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


def test_quoted_speech_with_inner_full_stops_stays_whole() -> None:
    text = (
        'Tong said: "The U.S. is offering sticks. Japan offers carrots. It feels like coercion." '
        "Markets were calm."
    )
    assert sentences(text) == [
        'Tong said: "The U.S. is offering sticks. Japan offers carrots. It feels like coercion."',
        "Markets were calm.",
    ]


def test_curly_quoted_speech_stays_whole() -> None:
    text = "She said: “We will wait. We will not rush.” Then she left."
    assert sentences(text) == ["She said: “We will wait. We will not rush.”", "Then she left."]


def test_unclosed_quote_does_not_swallow_the_rest_of_the_line() -> None:
    text = 'He said "maybe. Then nothing. And more.'
    assert len(sentences(text)) == 3


def test_line_breaks_end_sentences_even_without_punctuation() -> None:
    text = "Headline without a stop\n\nFirst paragraph. Second sentence\nThird line"
    assert sentences(text) == [
        "Headline without a stop",
        "First paragraph.",
        "Second sentence",
        "Third line",
    ]


def test_spans_are_stripped_and_offset() -> None:
    text = "  One.   Two.  \n   Three.  "
    spans = sentence_spans(text, offset=100)
    assert [text[s - 100 : e - 100] for s, e in spans] == ["One.", "Two.", "Three."]


def test_seed_article_sentences(seed_doc: Document) -> None:
    found = sentences(seed_doc.text)
    assert found[0] == "Trump Joins Japan Trade Talks as Tariff Negotiations Begin"
    assert "Ishiba has currently ruled out countermeasures to the U.S. tariffs." in found
    assert any(
        s.startswith("Trump broadened") and s.endswith('Commerce Secretaries."') for s in found
    )
    assert any(s.startswith("Kurt Tong") and s.endswith('economic coercion."') for s in found)
    assert any(
        "STOXX 600 falling 0.7 percent and Germany's DAX dropping 1.2 percent" in s for s in found
    )


@pytest.mark.parametrize(
    "text",
    [
        "Did Mr. Tong agree? Yes, he did.",
        "Will the U.S. relent? Nobody knows.",
        "Mr. Trump won! Markets rallied.",
    ],
)
def test_question_or_exclamation_after_an_abbreviation_ends_the_sentence(text: str) -> None:
    assert len(sentences(text)) == 2


# -- chunk invariants ---------------------------------------------------------------------------

_WORDS = (
    "tariff talks Japan market rose fell percent minister said U.S. Mr. Dr. Inc. 1.2 24% "
    "$3.5 billion week Tokyo officials trade deal e.g. No. U.K. A. the a of on in"
).split()


def random_text(rng: random.Random) -> str:
    paragraphs = []
    for _ in range(rng.randint(1, 8)):
        sents = []
        for _ in range(rng.randint(1, 10)):
            words = [rng.choice(_WORDS) for _ in range(rng.randint(1, 40))]
            sentence = " ".join(words)
            sentence = sentence[:1].upper() + sentence[1:]
            if rng.random() < 0.2:
                sentence = f'Officials said "{sentence}. {rng.choice(_WORDS).title()} too."'
            sents.append(sentence + rng.choice([".", ".", "?", "!", "", "…"]))
        joiner = rng.choice([" ", "  ", " \t"])
        paragraphs.append(joiner.join(sents))
    return rng.choice(["", "  ", "\n"]) + rng.choice(["\n", "\n\n", "\n \n"]).join(paragraphs)


def check_chunks(doc: Document, chunks: list[Chunk], max_chars: int) -> None:
    spans = sentence_spans(doc.text)
    assert chunks, "a document with text yields at least one chunk"
    previous_end = -1
    for index, chunk in enumerate(chunks):
        assert chunk.text == doc.text[chunk.start : chunk.end]
        assert chunk.doc_id == doc.id
        assert chunk.index == index
        assert chunk.id == chunk_id(doc.id, index, chunk.text)
        assert chunk.start > previous_end, "chunks are ordered and do not overlap"
        previous_end = chunk.end
        inside = [(s, e) for s, e in spans if chunk.start <= s and e <= chunk.end]
        assert inside, "every chunk holds at least one whole sentence"
        assert (inside[0][0], inside[-1][1]) == (chunk.start, chunk.end)
        if len(chunk.text) > max_chars:
            assert len(inside) == 1, "only a single over-long sentence may exceed max_chars"
    # every sentence lies entirely inside exactly one chunk
    for s, e in spans:
        holders = [c for c in chunks if c.start <= s and e <= c.end]
        assert len(holders) == 1, (s, e)
    # and no sentence straddles a chunk boundary
    for chunk in chunks:
        for s, e in spans:
            assert not (s < chunk.start < e) and not (s < chunk.end < e)


def test_every_non_space_character_is_in_exactly_one_sentence() -> None:
    rng = random.Random(1234)
    for _ in range(200):
        text = random_text(rng)
        spans = sentence_spans(text)
        covered = [0] * len(text)
        previous = -1
        for s, e in spans:
            assert previous <= s < e
            previous = e
            assert text[s:e] == text[s:e].strip()
            for i in range(s, e):
                covered[i] += 1
        for i, ch in enumerate(text):
            assert covered[i] == 1 if not ch.isspace() else covered[i] <= 1, (text, i)


@pytest.mark.parametrize(("max_chars", "min_chars"), [(700, 150), (200, 0), (120, 100)])
def test_seed_article_chunks(seed_doc: Document, max_chars: int, min_chars: int) -> None:
    chunks = chunk_document(seed_doc, max_chars=max_chars, min_chars=min_chars)
    check_chunks(seed_doc, chunks, max_chars)


def test_default_chunking_follows_paragraphs(seed_doc: Document) -> None:
    chunks = chunk_document(seed_doc, max_chars=700, min_chars=150)
    # a chunk only runs on past a paragraph break while it holds fewer than min_chars
    breaks = 0
    for chunk in chunks:
        for i, ch in enumerate(chunk.text):
            if ch == "\n":
                breaks += 1
                assert len(chunk.text[:i].rstrip()) < 150
    assert breaks >= 1  # the headline is joined to the first paragraph
    assert chunks[0].text.startswith("Trump Joins Japan Trade Talks")


@pytest.mark.parametrize("seed", range(6))
def test_random_texts_chunk_exactly(seed: int) -> None:
    rng = random.Random(seed)
    for n in range(40):
        text = random_text(rng)
        if not text.strip():
            continue
        max_chars = rng.choice([100, 150, 300, 700])
        min_chars = rng.choice([0, 50, 150])
        doc = Document(id=f"doc-{seed}-{n}", title="t", text=text)
        check_chunks(doc, chunk_document(doc, max_chars=max_chars, min_chars=min_chars), max_chars)


def test_single_over_long_sentence_stands_alone() -> None:
    long_sentence = "This sentence " + "goes on " * 40 + "and ends."
    text = f"Short one. {long_sentence} Short two."
    doc = Document(id="d", title="t", text=text)
    chunks = chunk_document(doc, max_chars=100, min_chars=0)
    assert [c.text for c in chunks] == ["Short one.", long_sentence, "Short two."]


def test_chunk_ids_are_deterministic_and_track_content(seed_doc: Document) -> None:
    first = chunk_document(seed_doc, max_chars=700, min_chars=150)
    again = chunk_document(seed_doc, max_chars=700, min_chars=150)
    assert [c.id for c in first] == [c.id for c in again]
    assert len({c.id for c in first}) == len(first)
    assert all(c.id.startswith(f"{seed_doc.id}:{c.index}:") for c in first)

    edited_text = seed_doc.text.replace("0.7 percent", "0.9 percent")
    assert edited_text != seed_doc.text
    edited = chunk_document(
        Document(id=seed_doc.id, title=seed_doc.title, text=edited_text),
        max_chars=700,
        min_chars=150,
    )
    changed = [(a.id, b.id) for a, b in zip(first, edited, strict=True) if a.id != b.id]
    assert len(changed) == 1, "only the chunk holding the edit gets a new id"
    assert "0.9 percent" in next(c.text for c in edited if c.id == changed[0][1])


def test_chunk_id_depends_on_doc_index_and_text() -> None:
    base = chunk_id("doc", 0, "text")
    assert base == chunk_id("doc", 0, "text")
    assert (
        len(
            {
                base,
                chunk_id("doc2", 0, "text"),
                chunk_id("doc", 1, "text"),
                chunk_id("doc", 0, "text!"),
            }
        )
        == 4
    )
