"""The request guards around every route, in order (outermost first):

    SecurityHeaders (api/routes/web.py) → CatchAll → RateLimit → ApiKeyAuth → BodyLimit
    → Concurrency (+ timeouts) → routes

Rate limiting comes before the key check so guessing keys is rate-limited too; the key check
comes before the body is read, so nobody without a key can make the server read an upload.
"""

from __future__ import annotations

from fastapi import FastAPI

from api import auth, openapi
from api.limits import BodyLimit, Buckets, Concurrency, RateLimit, TokenBuckets
from api.problems import CatchAll
from assistant.config import Settings
from assistant.database.buckets import SharedTokenBuckets
from assistant.database.opening import open_database, shared_url


def install(app: FastAPI, settings: Settings) -> None:
    """Add the guards (call before `web.install`, whose headers must wrap every response)."""
    check = auth.KeyCheck(settings.api_key) if settings.api_key else None
    app.state.key_check = check
    app.include_router(auth.router)
    # add_middleware wraps what is there already: innermost first
    app.add_middleware(
        Concurrency, slots=settings.max_concurrent_requests,
        queue_timeout=settings.queue_timeout, request_timeout=settings.request_timeout,
    )  # fmt: skip
    app.add_middleware(
        BodyLimit, max_bytes=settings.max_request_bytes, upload_bytes=settings.max_upload_bytes
    )
    if check is not None:
        app.add_middleware(auth.ApiKeyAuth, check=check)
    openapi.customise(app, secured=check is not None)
    if settings.rate_limit_per_minute:
        buckets: Buckets = TokenBuckets(settings.rate_limit_per_minute, settings.rate_limit_burst)
        if shared_url(settings):  # one limit per client across every worker and host
            buckets = SharedTokenBuckets(
                open_database(settings, "coordination"),
                settings.rate_limit_per_minute, settings.rate_limit_burst,
            )  # fmt: skip
        app.add_middleware(RateLimit, buckets=buckets, client_key=auth.client_key(check))
    app.add_middleware(CatchAll)
