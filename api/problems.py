"""One place mapping errors to RFC 9457 problem+json responses (never a traceback)."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.errors import (
    BriefingError,
    ConfigError,
    DocumentError,
    IngestError,
    InvalidQuestion,
    NotFound,
    ProviderError,
    StoreError,
    UnknownSession,
)

log = logging.getLogger(__name__)

_STATUS: dict[type[BriefingError], tuple[int, str]] = {
    InvalidQuestion: (400, "Invalid question"),
    UnknownSession: (404, "Unknown session"),
    NotFound: (404, "Not found"),
    DocumentError: (422, "Unreadable document"),
    IngestError: (500, "Ingest failed"),
    StoreError: (503, "Store unavailable"),
    ProviderError: (502, "Provider failed"),
    ConfigError: (500, "Server misconfigured"),
}


def problem(status: int, title: str, detail: str, **extra: object) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


def install(app: FastAPI) -> None:
    @app.exception_handler(BriefingError)
    async def _briefing_error(request: Request, exc: BriefingError) -> JSONResponse:
        status, title = next(
            (v for k, v in _STATUS.items() if isinstance(exc, k)), (500, "Internal error")
        )
        if status >= 500:
            log.error("request failed", extra={"path": request.url.path, "error": repr(exc)})
            return problem(status, title, "The server could not complete the request.")
        return problem(status, title, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return problem(400, "Malformed JSON", "The request body is not valid JSON.")
        issues = [
            {
                "field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"),
                "message": e["msg"],
            }
            for e in errors
        ]
        detail = "; ".join(f"{i['field'] or 'body'}: {i['message']}" for i in issues)
        return problem(422, "Invalid request", detail, errors=issues)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem(exc.status_code, str(exc.detail), str(exc.detail))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", extra={"path": request.url.path})
        return problem(500, "Internal error", "The server could not complete the request.")
