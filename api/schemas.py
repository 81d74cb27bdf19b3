"""Request/response models for the HTTP API (kept apart from the library's types)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


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


class CitationOut(BaseModel):
    marker: int
    doc_id: str
    title: str
    quote: str = Field(..., description="Exactly document_text[start:end].")
    start: int
    end: int
    score: float


class AnswerOut(BaseModel):
    question: str
    answer: str = Field(..., description="Answer text; every [n] has a citation with marker n.")
    abstained: bool
    citations: list[CitationOut]
    retrieval_query: str | None = None


class ChatResponse(AnswerOut):
    session_id: str


class BriefingRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    topic: str | None = Field(None, description="Brief on a topic; omit for the whole corpus.")


class BriefingItemOut(BaseModel):
    text: str
    citations: list[CitationOut]


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


class BriefingOut(BaseModel):
    headline: str
    topic: str | None
    generated_at: str
    sections: list[BriefingSectionOut]
    sources: list[SourceOut]


class DocumentOut(BaseModel):
    id: str
    title: str
    source: str | None
    published: str | None
    url: str | None
    chunk_count: int
    chars: int


class DocumentText(DocumentOut):
    text: str


class Health(BaseModel):
    status: str
    documents: int
    chunks: int
