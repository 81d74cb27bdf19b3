"""One place mapping errors to RFC 9457 problem+json responses (never a traceback)."""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.database.locking import WriterBusy
from assistant.errors import (
    BriefingError,
    ConfigError,
    DocumentError,
    FetchFailed,
    FetchRefused,
    IngestError,
    InvalidQuestion,
    NotFound,
    ProviderError,
    StoreError,
    UnknownSession,
)
from assistant.index.uploaded import DocumentConflict

log = logging.getLogger(__name__)

_STATUS: dict[type[BriefingError], tuple[int, str]] = {
    DocumentConflict: (409, "Conflict"),
    WriterBusy: (503, "Store busy"),
    InvalidQuestion: (400, "Invalid question"),
    UnknownSession: (404, "Unknown session"),
    NotFound: (404, "Not found"),
    FetchRefused: (403, "Fetch refused"),
    FetchFailed: (422, "Fetch failed"),
    DocumentError: (422, "Unreadable document"),
    IngestError: (500, "Ingest failed"),
    StoreError: (503, "Store unavailable"),
    ProviderError: (502, "Provider failed"),
    ConfigError: (500, "Server misconfigured"),
}


def describe(exc: Exception, path: str) -> tuple[int, str, str]:
    """(status, title, detail) for any error, logged as the handlers log it: a library error
    by its mapping (a 5xx by class only), anything else as an internal error."""
    if isinstance(exc, BriefingError):
        status, title = next(
            (v for k, v in _STATUS.items() if isinstance(exc, k)), (500, "Internal error")
        )
        if status < 500:
            return status, title, str(exc)
        error = type(exc).__name__
        log.error("request failed: %s", error, extra={"path": path, "error": error})
        return status, title, "The server could not complete the request."
    _log_unexpected(path, exc)
    return 500, "Internal error", "The server could not complete the request."


def problem(status: int, title: str, detail: str, **extra: object) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


def install(app: FastAPI) -> None:
    @app.exception_handler(BriefingError)
    async def _briefing_error(request: Request, exc: BriefingError) -> JSONResponse:
        # a 5xx by class only: messages may hold paths
        return problem(*describe(exc, request.url.path))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        invalid = next((e for e in errors if e.get("type") == "json_invalid"), None)
        if invalid is not None:  # the parser's reason: "EOF while parsing", "recursion limit"
            why = str(invalid.get("ctx", {}).get("error") or "").strip()
            reason = f" ({why})" if why else ""
            return problem(400, "Malformed JSON", f"The request body is not valid JSON{reason}.")
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
        try:
            title = HTTPStatus(exc.status_code).phrase
        except ValueError:
            title = str(exc.detail)
        response = problem(exc.status_code, title, str(exc.detail))
        response.headers.update(exc.headers or {})  # WWW-Authenticate, Retry-After, Allow
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        return problem(*describe(exc, request.url.path))


def _log_unexpected(path: str, exc: BaseException) -> None:
    """The error class at ERROR; the traceback (which may show paths) only at DEBUG."""
    error = type(exc).__name__
    log.error("unhandled error: %s", error, extra={"path": path, "error": error})
    log.debug("unhandled error traceback", exc_info=exc)


class CatchAll:
    """Turns any exception that escapes the app into a 500 problem (never a traceback).

    Installed inside Starlette's ServerErrorMiddleware, which would answer too but then re-raise,
    so the server would log the traceback.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            _log_unexpected(scope["path"], exc)
            if not started:
                response = problem(
                    500, "Internal error", "The server could not complete the request."
                )
                await response(scope, receive, send)
