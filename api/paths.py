"""The paths every guard leaves open: the page and its assets, the API docs, and the health
checks a load balancer probes. They need no API key and are never rate-limited."""

from __future__ import annotations

PUBLIC_PATHS = frozenset(
    {"/", "/health", "/ready", "/favicon.ico", "/docs", "/docs/oauth2-redirect", "/redoc",
     "/openapi.json"}
)  # fmt: skip


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith("/static/")
