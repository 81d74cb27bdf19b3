"""The settings for talking to the network: what may be fetched, where shared stores live, and
how the API is served. `config.Settings` extends them; read them from there."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class NetworkSettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="BRIEFING_", env_file=".env", extra="ignore", frozen=True
    )

    fetch_allow_private: bool = Field(
        False,
        description='Let `briefing add`, `POST /documents {"urls"}` and feeds fetch '
        "loopback, private, link-local and other internal addresses. Off: the server is no "
        "proxy into its own network (SSRF); turn on only for a trusted intranet or tests.",
    )
    fetch_trusted_addresses: Annotated[tuple[str, ...], NoDecode] = Field(
        (),
        description="Internal addresses fetched even with FETCH_ALLOW_PRIVATE off, comma-"
        "separated: networks (`10.1.0.0/16`) or one address and port (`127.0.0.1:8765`).",
    )
    fetch_ports: Annotated[tuple[int, ...], NoDecode] = Field(
        (80, 443, 8080, 8443),
        description="Ports a fetched URL may name (comma-separated); others are refused.",
    )
    fetch_timeout: float = Field(
        20.0, gt=0, le=300, description="Seconds to connect, and between bytes, when fetching."
    )
    fetch_max_bytes: int = Field(
        10_000_000, ge=1_024, description="Largest page, PDF or feed fetched (read in a stream)."
    )
    fetch_max_redirects: int = Field(5, ge=0, le=20)
    fetch_host_interval: float = Field(
        1.0, ge=0, le=3_600, description="Least seconds between two requests to one host."
    )
    fetch_robots: bool = Field(
        True, description="Obey robots.txt (the User-Agent token is `Briefing`)."
    )
    feed_interval: float = Field(
        900.0,
        ge=10,
        le=7 * 86_400,
        description="Seconds between polls of a followed feed (`briefing follow --every`, and "
        "`briefing serve`, which polls followed feeds in the background).",
    )

    chroma_url: str | None = Field(
        None,
        description="A Chroma server (http://HOST:PORT) instead of the embedded store; needed "
        "for `briefing serve --workers N` with N > 1.",
    )
    chroma_token: SecretStr | None = Field(None, description="Bearer token for the server.")
    chroma_collection: str = Field("briefing_chunks", min_length=3, max_length=512)
    database_url: SecretStr | None = Field(
        None,
        description="PostgreSQL (postgresql://USER:PASSWORD@HOST:PORT/DB) for the state every "
        "worker on every host shares: manifest, sessions, briefings, feeds, the writer lock, "
        "rate limits. Needs a Chroma server (BRIEFING_CHROMA_URL). Unset: SQLite files in the "
        "data directory. Apply its schema with `briefing db upgrade`.",
    )
    database_pool_size: int = Field(
        5, ge=1, le=100, description="Connections each process keeps open to the database."
    )

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)

    api_key: SecretStr | None = Field(
        None,
        description="When set, every API route needs it (`Authorization: Bearer KEY` or "
        "`X-API-Key: KEY`); /health, the web page and the API docs stay open.",
    )
    max_request_bytes: int = Field(
        1_000_000, ge=1_024, description="Larger request bodies get a 413 (uploads: below)."
    )
    max_upload_bytes: int = Field(
        5_000_000, ge=1_024, description="Largest document `POST /documents` accepts."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "WARNING",
        description="What the command line prints of library logs (`briefing --verbose` is "
        "INFO); below WARNING they stay out of a user's terminal.",
    )
    rate_limit_per_minute: int = Field(
        600, ge=0, description="API requests per minute per client (API key, else IP); 0: off."
    )
    rate_limit_burst: int = Field(60, ge=1, description="Requests a client may make at once.")
    max_concurrent_requests: int = Field(
        16, ge=1, le=1_000, description="API requests handled at once; the rest wait in line."
    )
    queue_timeout: float = Field(
        30.0, gt=0, le=600, description="Seconds a request may wait in line before a 503."
    )
    request_timeout: float = Field(
        120.0, gt=0, le=3_600, description="Seconds before an unanswered request gets a 504."
    )

    @field_validator("fetch_ports", "fetch_trusted_addresses", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        """`80,443` from the environment (a JSON list works too)."""
        if isinstance(value, str):
            text = value.strip().removeprefix("[").removesuffix("]")
            return tuple(p.strip().strip('"') for p in text.split(",") if p.strip())
        return value
