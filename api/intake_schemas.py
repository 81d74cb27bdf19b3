"""Request/response models for adding sources by URL and for where documents came from."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

#: URLs one `POST /documents {"urls"}` request may name (each is fetched in turn).
MAX_URLS = 20


class UrlsIn(BaseModel):
    """Pages, PDFs or Word files to fetch and add, by URL."""

    model_config = ConfigDict(extra="forbid")

    urls: list[str] = Field(
        ...,
        min_length=1,
        max_length=MAX_URLS,
        description="http(s) URLs. Internal addresses are refused (SSRF) unless the server "
        "allows them; the same canonical URL added again updates its document.",
    )


class AddResultOut(BaseModel):
    url: str = Field(..., description="The URL as sent.")
    status: Literal["added", "updated", "unchanged", "refused", "failed"]
    id: str | None = Field(None, description="The document's id (from its canonical URL).")
    title: str | None = None
    detected: str | None = Field(None, description="What it was read as: html, pdf, docx, text.")
    canonical_url: str | None = None
    chunks_written: int = 0
    reason: str | None = Field(None, description="Why it was refused or failed.")


class AddedOut(BaseModel):
    """One result per URL, in the order sent."""

    results: list[AddResultOut]


class OriginOut(BaseModel):
    kind: Literal["url", "feed", "upload", "file"] = Field(
        ..., description="Added by URL, brought by a followed feed, uploaded, or a corpus file."
    )
    detail: str | None = Field(
        None, description="The URL fetched, the feed's id, or the file's name."
    )
    added_at: str | None = None
