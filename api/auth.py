"""Optional API key (`BRIEFING_API_KEY`).

When a key is set, every API route needs it, as `Authorization: Bearer KEY` or `X-API-Key: KEY`
(compared in constant time). Open without it: `/health` (for load balancers), the web page at
`/` with `/static/*` (static files, no data), and the API docs (`/docs`, `/redoc`,
`/openapi.json`: the schema is no secret). The page asks for the key the first time the API
answers 401 and trades it, at `POST /auth/session`, for a session cookie (HttpOnly,
SameSite=Strict, 12 hours, signed with the key; rotating the key ends every session), so its
downloads and requests work without the page ever storing the key.

Without a key nothing is checked: `briefing serve` refuses a non-loopback address in that case
unless given `--insecure` (see the CLI).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable

from fastapi import APIRouter, Request, Response
from pydantic import SecretStr
from starlette.types import ASGIApp, Receive, Scope, Send

from api.paths import is_public
from api.problems import problem

COOKIE = "briefing_session"
SESSION_SECONDS = 12 * 3600

router = APIRouter(tags=["auth"])


def is_open(path: str) -> bool:
    return is_public(path)


class KeyCheck:
    """Checks presented credentials against the configured key (constant-time)."""

    def __init__(self, key: SecretStr) -> None:
        self._key = key.get_secret_value().encode("utf-8")

    def matches(self, presented: str) -> bool:
        return hmac.compare_digest(presented.encode("utf-8", "replace"), self._key)

    def session_value(self, expires: int) -> str:
        signature = hmac.new(self._key, f"session:{expires}".encode(), hashlib.sha256)
        return f"{expires}.{signature.hexdigest()}"

    def session_ok(self, value: str) -> bool:
        expires, _, _ = value.partition(".")
        if not expires.isdigit() or int(expires) < time.time():
            return False
        return hmac.compare_digest(value.encode(), self.session_value(int(expires)).encode())

    def authenticated(self, scope: Scope) -> bool:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and token and self.matches(token.strip()):
            return True
        if "x-api-key" in headers and self.matches(headers["x-api-key"].strip()):
            return True
        for part in headers.get("cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == COOKIE and self.session_ok(value):
                return True
        return False


class ApiKeyAuth:
    """401 problem+json for API requests without a valid key (pure ASGI, before any parsing)."""

    def __init__(self, app: ASGIApp, check: KeyCheck) -> None:
        self.app = app
        self.check = check

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or is_open(scope["path"]) or self.check.authenticated(scope):
            await self.app(scope, receive, send)
            return
        response = problem(
            401, "Unauthorized",
            "This server needs an API key: send `Authorization: Bearer KEY` or `X-API-Key: KEY`.",
        )  # fmt: skip
        response.headers["WWW-Authenticate"] = 'Bearer realm="briefing"'
        await response(scope, receive, send)


def client_key(check: KeyCheck | None) -> Callable[[Scope], str]:
    """The rate limiter's client identity: the key when a valid one is sent, else the peer IP."""

    def key(scope: Scope) -> str:
        if check is not None and check.authenticated(scope):
            return "api-key"
        client = scope.get("client")
        return f"ip:{client[0]}" if client else "ip:unknown"

    return key


@router.post("/auth/session", status_code=204, response_class=Response)
def start_session(request: Request) -> Response:
    """Trade the API key (sent as for any API call) for a session cookie, for the web page."""
    response = Response(status_code=204)
    check: KeyCheck | None = request.app.state.key_check
    if check is not None:
        expires = int(time.time()) + SESSION_SECONDS
        response.set_cookie(
            COOKIE, check.session_value(expires), max_age=SESSION_SECONDS, path="/",
            httponly=True, samesite="strict", secure=request.url.scheme == "https",
        )  # fmt: skip
    return response


@router.delete("/auth/session", status_code=204, response_class=Response)
def end_session() -> Response:
    """Forget the session cookie."""
    response = Response(status_code=204)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    return response
