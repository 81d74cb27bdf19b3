"""Frozen values handed from one pipeline stage to the next.

corpus → Document → Chunk → (store) → Passage → Answer(Citation…) / Briefing
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal


@dataclass(frozen=True)
class Document:
    """A source document with its metadata; `text` is what offsets refer to."""

    id: str
    title: str
    text: str
    source: str | None = None
    published: date | None = None
    url: str | None = None
    path: str | None = None  # where it was loaded from (for pruning deleted files)


@dataclass(frozen=True)
class Chunk:
    """A run of whole sentences; `text == document.text[start:end]`."""

    id: str
    doc_id: str
    index: int
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with its document metadata and retrieval score."""

    chunk_id: str
    doc_id: str
    title: str
    text: str
    start: int
    end: int
    score: float
    published: date | None = None
    source: str | None = None


@dataclass(frozen=True)
class SourceCopy:
    """Another outlet's copy of a cited story: near-identical text, so retrieval keeps one."""

    doc_id: str
    title: str
    source: str | None
    url: str | None


@dataclass(frozen=True)
class Citation:
    """Points answer marker `[marker]` at `document.text[start:end] == quote`."""

    marker: int
    doc_id: str
    title: str
    quote: str
    start: int
    end: int
    score: float
    also_published_by: tuple[SourceCopy, ...] = ()  # the story's other copies (syndication.py)
    page: int | None = None  # the page the quote starts on, in a paged document (a PDF)


@dataclass(frozen=True)
class Claim:
    """One sentence of an answer and whether its cited passages were checked to support it."""

    text: str  # the claim as shown, without its markers
    markers: tuple[int, ...]  # the citations it rests on
    supported: bool
    score: float  # semantic support, 0..1 (1.0: the claim is a verbatim quote of its citation)
    missing_numbers: tuple[str, ...] = ()  # quantities the cited quotes do not contain
    missing_names: tuple[str, ...] = ()  # names the cited quotes do not contain


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    abstained: bool
    citations: tuple[Citation, ...] = ()
    retrieval_query: str | None = None  # the rewritten query when it differs from the question
    as_of: date | None = None  # the reference date the answer was given for
    degraded: bool = False  # the configured LLM failed; this is the extractive answer instead
    claims: tuple[Claim, ...] = ()  # per-claim support, filled in by answer-time verification


@dataclass(frozen=True)
class Turn:
    """One exchange in a conversation."""

    question: str
    answer: str
    retrieval_query: str


@dataclass(frozen=True)
class Figure:
    """A key figure: `value` and `measure` are verbatim from the cited sentence."""

    value: str  # "24%"
    measure: str  # "levies on its exports to the United States"
    status: str | None  # "paused for 90 days", "remains active"; None when not stated


@dataclass(frozen=True)
class Statement:
    """Who said what. `kind` keeps direct quotes apart from reported claims."""

    speaker: str
    role: str | None
    kind: Literal["quote", "reported", "party"]
    quote: str | None = None  # the words inside quotation marks, for kind == "quote"


@dataclass(frozen=True)
class TimelineEvent:
    """When something happens, resolved from the source's wording where possible."""

    expression: str  # as written: "Monday", "next week", "recent"
    date: date | None  # resolved against the document's publication date
    label: str  # what a reader sees: "Mon 14 Apr 2025", "week of 21 Apr 2025", "Monday (undated)"
    resolved: bool  # False: shown relative (no publication date, or no exact day)


@dataclass(frozen=True)
class BriefingItem:
    """One bullet of a briefing: text with `[n]` markers and the citations behind them."""

    text: str
    citations: tuple[Citation, ...]
    key: str = ""  # stable identity across briefings, for "what changed"
    figure: Figure | None = None
    statement: Statement | None = None
    event: TimelineEvent | None = None


@dataclass(frozen=True)
class BriefingSection:
    key: str  # stable identifier: "summary", "figures", "people", "timeline", "watch"
    heading: str
    items: tuple[BriefingItem, ...]


@dataclass(frozen=True)
class SourceRef:
    doc_id: str
    title: str
    source: str | None
    published: date | None
    url: str | None
    also_published_by: tuple[SourceCopy, ...] = ()  # the story's other copies


@dataclass(frozen=True)
class ItemChange:
    section: str
    key: str
    before: str | None  # None: the item is new
    after: str | None  # None: the item is no longer supported


@dataclass(frozen=True)
class BriefingChanges:
    """What differs from an earlier briefing, and which documents caused it."""

    since_id: str
    since_generated_at: str
    documents_added: tuple[str, ...]
    documents_changed: tuple[str, ...]
    documents_removed: tuple[str, ...]
    new: tuple[ItemChange, ...]
    changed: tuple[ItemChange, ...]
    no_longer_supported: tuple[ItemChange, ...]


@dataclass(frozen=True)
class Briefing:
    headline: str
    topic: str | None
    sections: tuple[BriefingSection, ...]
    sources: tuple[SourceRef, ...]
    generated_at: str = field(default="")
    id: str = ""
    corpus_state: tuple[tuple[str, str], ...] = ()  # (doc_id, content hash) it was built from
    changes: BriefingChanges | None = None


@dataclass(frozen=True)
class DocumentInfo:
    """What the store knows about an ingested document (for listings)."""

    id: str
    title: str
    source: str | None
    published: date | None
    url: str | None
    path: str | None
    chunk_count: int
    chars: int


@dataclass(frozen=True)
class SkippedFile:
    path: str
    reason: str


@dataclass(frozen=True)
class IngestReport:
    documents_seen: int
    documents_added: int
    documents_updated: int
    documents_unchanged: int
    documents_removed: int
    chunks_written: int
    chunks_deleted: int
    skipped: tuple[SkippedFile, ...]
    seconds: float
    empty_paths: tuple[str, ...] = ()  # paths given that yielded no document at all
    chunks_unreachable: int = 0  # stored, but the vector index would not return them


@dataclass(frozen=True)
class DocumentChange:
    """What writing or removing one document changed."""

    id: str
    status: Literal["added", "updated", "unchanged", "deleted"]
    chunks_written: int
    chunks_deleted: int
    chunk_count: int  # chunks the document has now (0 once deleted)
