"""Request/response models for the HTTP API (kept apart from the library's types)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from api.intake_schemas import OriginOut
from assistant.search.filters import RetrievalFilters


class FiltersIn(BaseModel):
    """Which sources to draw on; every field optional, all given ones must hold."""

    model_config = ConfigDict(extra="forbid")

    sources: list[Annotated[str, Field(min_length=1, max_length=200, pattern=r"\S")]] = Field(
        default_factory=list,
        max_length=50,
        description="Only documents whose `source` is one of these (case-insensitive).",
    )
    since: date | None = Field(None, description="Only documents published on or after this.")
    until: date | None = Field(None, description="Only documents published on or before this.")

    @model_validator(mode="after")
    def _range(self) -> FiltersIn:
        if self.since and self.until and self.since > self.until:
            raise ValueError("`since` is after `until`: the date range is empty")
        return self

    def to_filters(self) -> RetrievalFilters | None:
        return RetrievalFilters.of(self.sources, self.since, self.until)


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: str = Field(
        ...,
        description="The question or follow-up.",
        examples=["What tariff rate does Japan face?"],
    )
    session_id: str | None = Field(
        None, description="Continue a conversation; omit to start a new one.", max_length=64
    )
    as_of: date | None = Field(
        None,
        description="Answer as of this date (YYYY-MM-DD): sources published later are not used. "
        'Default: a date stated in the message ("Today is January 8, 2026. …"), else today.',
    )
    filters: FiltersIn | None = Field(
        None,
        description="Draw only on these sources / publication dates (undated documents never "
        "match a date bound).",
    )


class SourceCopyOut(BaseModel):
    """Another outlet's near-identical copy of a cited story."""

    doc_id: str
    title: str
    source: str | None
    url: str | None


class CitationOut(BaseModel):
    marker: int
    doc_id: str
    title: str
    quote: str = Field(..., description="Exactly document_text[start:end].")
    start: int
    end: int
    score: float
    also_published_by: list[SourceCopyOut] = Field(
        default_factory=list,
        description="The story's other copies (syndicated near-copies); retrieval keeps one.",
    )
    page: int | None = Field(
        None,
        ge=1,
        description="The page the quote starts on, for a paged document (a PDF); absent "
        "otherwise. Pages are form feeds in the document text: 1 + the form feeds before start.",
    )


class ClaimOut(BaseModel):
    """One sentence of the answer and whether its cited quotes were found to support it."""

    text: str = Field(..., description="The claim as shown, without its [n] markers.")
    markers: list[int] = Field(..., description="The citations it rests on.")
    supported: bool = Field(
        ...,
        description="Its numbers and names appear in the cited quotes and it is close enough "
        "to them in meaning. Unsupported claims are removed unless strict_citations is off.",
    )
    score: float = Field(
        ..., description="Semantic support, 0..1; 1.0 when the claim quotes its source verbatim."
    )
    missing_numbers: list[str] = Field(default_factory=list)
    missing_names: list[str] = Field(default_factory=list)


class AnswerOut(BaseModel):
    question: str
    answer: str = Field(..., description="Answer text; every [n] has a citation with marker n.")
    abstained: bool
    citations: list[CitationOut]
    retrieval_query: str | None = None
    as_of: str | None = Field(None, description="The reference date the answer was given for.")
    degraded: bool = Field(
        False, description="The configured LLM failed; this is the extractive answer instead."
    )
    claims: list[ClaimOut] = Field(
        default_factory=list, description="Per-claim support status, in answer order."
    )


class ChatResponse(AnswerOut):
    session_id: str


class BriefingRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    topic: str | None = Field(None, description="Brief on a topic; omit for the whole corpus.")
    since: str | None = Field(
        None,
        description='Compare with a saved briefing: its id, or "last" for the latest one '
        "on the same topic.",
        max_length=40,
    )


class FigureOut(BaseModel):
    value: str
    measure: str
    status: str | None


class StatementOut(BaseModel):
    speaker: str
    role: str | None
    kind: Literal["quote", "reported", "party"]
    quote: str | None


class EventOut(BaseModel):
    expression: str
    date: str | None
    label: str
    resolved: bool


class BriefingItemOut(BaseModel):
    text: str
    citations: list[CitationOut]
    key: str = ""
    figure: FigureOut | None = None
    statement: StatementOut | None = None
    event: EventOut | None = None


class BriefingSectionOut(BaseModel):
    key: str
    heading: str
    items: list[BriefingItemOut]


class SourceOut(BaseModel):
    doc_id: str
    title: str
    source: str | None
    published: str | None
    url: str | None
    also_published_by: list[SourceCopyOut] = Field(default_factory=list)


class ItemChangeOut(BaseModel):
    section: str
    key: str
    before: str | None
    after: str | None


class ChangesOut(BaseModel):
    since_id: str
    since_generated_at: str
    documents_added: list[str]
    documents_changed: list[str]
    documents_removed: list[str]
    new: list[ItemChangeOut]
    changed: list[ItemChangeOut]
    no_longer_supported: list[ItemChangeOut]


class BriefingOut(BaseModel):
    schema_version: int
    id: str
    headline: str
    topic: str | None
    generated_at: str
    sections: list[BriefingSectionOut]
    sources: list[SourceOut]
    corpus_state: list[list[str]]
    changes: ChangesOut | None = None


class DocumentOut(BaseModel):
    id: str
    title: str
    source: str | None
    published: str | None
    url: str | None
    chunk_count: int
    chars: int
    origin: OriginOut | None = Field(
        None, description="How it came in: by URL, a followed feed, an upload, a corpus file."
    )


class DocumentText(DocumentOut):
    text: str


class Health(BaseModel):
    status: str
    documents: int
    chunks: int


class Ready(BaseModel):
    """`GET /ready`: this worker can serve — its database and vector store answer now."""

    status: str = Field(examples=["ready"])
    database: str = Field(description="sqlite (files in the data directory) or postgresql")
    store: str = Field(description="embedded or server")


class DocumentIn(BaseModel):
    """A document sent as JSON to `POST /documents`."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(
        None,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$",
        description="Letters, digits, '.', '_', '-'. Omit to derive it from the title (a "
        "file: its name); a derived id another document holds gets a suffix ('-2'), unless "
        "that document came from the same file name. Sending an id again replaces that "
        "document.",
    )
    title: str = Field(..., min_length=1, max_length=500)
    text: str = Field(..., min_length=1, description="Plain text (or HTML: its visible text).")
    published: date | None = Field(None, description="YYYY-MM-DD.")
    source: str | None = Field(None, max_length=500)
    url: str | None = Field(None, max_length=2_000, pattern=r"^https?://[^\s]+$")


class DocumentChangeOut(BaseModel):
    """What `POST /documents` or `DELETE /documents/{id}` changed."""

    id: str
    status: Literal["added", "updated", "unchanged", "deleted"]
    chunks_written: int
    chunks_deleted: int
    chunk_count: int = Field(..., description="Chunks the document has now.")
    detected: Literal["text", "html", "pdf", "docx"] | None = Field(
        None, description="What the content was read as (from the bytes, not the file name)."
    )
    stored_as: str | None = Field(None, description="Where it is kept, under the data dir.")
