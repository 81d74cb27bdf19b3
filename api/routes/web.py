"""The web page at `/` (static files in `api/web/`) and the security headers every response gets.

The page is plain HTML/CSS/JS with no inline script or style and no external resources, so it
runs under a strict Content-Security-Policy. FastAPI's own /docs and /redoc pages load Swagger
UI / ReDoc from a CDN and use inline script, so only those pages get a relaxed policy; briefing
HTML exports get a script-free policy that allows their inline stylesheet.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

WEB_DIR = Path(__file__).resolve().parent.parent / "web"

STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# Swagger UI and ReDoc as FastAPI serves them: CDN scripts and styles, an inline bootstrap
# script, Google fonts (ReDoc), a blob: worker (ReDoc) and remote favicons.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "font-src 'self' https://fonts.gstatic.com; img-src 'self' data: https:; "
    "worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc"})
# A saved briefing's standalone HTML export (GET /briefing/{id}.html) carries its own <style>
# and never any script: allow the one, forbid everything else.
EXPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)

router = APIRouter(include_in_schema=False)


@router.get("/")
def index() -> FileResponse:
    """The chat / briefing / sources page."""
    return FileResponse(WEB_DIR / "index.html", headers={"Cache-Control": "no-cache"})


@router.get("/favicon.ico")
def favicon() -> FileResponse:
    """Browsers ask for it on pages that don't name one (API responses, exports)."""
    return FileResponse(WEB_DIR / "favicon.svg", media_type="image/svg+xml")


def install(app: FastAPI) -> None:
    """Serve the page at `/`, its assets under `/static`, and add the security headers."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")
    app.add_middleware(SecurityHeaders)


def security_headers(path: str) -> dict[str, str]:
    if path in DOCS_PATHS:
        csp = DOCS_CSP
    elif path.startswith("/briefing/") and path.endswith(".html"):
        csp = EXPORT_CSP
    else:
        csp = STRICT_CSP
    return {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }


class SecurityHeaders:
    """Pure ASGI middleware (no response buffering, so future streaming endpoints keep working)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = security_headers(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
