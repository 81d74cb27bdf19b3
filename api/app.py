"""`create_app(settings)`: the FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import guards, problems
from api.routes import briefing, chat, documents, feeds, health, openai_compat, stream, web
from assistant.assistant import Assistant
from assistant.config import Settings
from assistant.database.opening import open_database
from assistant.sources.adding import Intake
from assistant.sources.feeds import FeedStore
from assistant.sources.poller import Poller
from assistant.takeover import Takeover


def create_app(settings: Settings, assistant: Assistant | None = None) -> FastAPI:
    """Build the app; the assistant (models, store) is built once in the lifespan.

    Pass `assistant` to share one already built (tests, the CLI after ingesting).
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = assistant is None
        app.state.assistant = assistant or Assistant(settings)
        app.state.intake = Intake(app.state.assistant)
        app.state.feeds = FeedStore(open_database(settings, "intake"))
        poller = app.state.poller = Poller(app.state.intake, app.state.feeds)  # feeds, polled
        # a shared store has no lifelong writer: any worker finishes what a dead one left
        takeover = app.state.takeover = Takeover(app.state.assistant)
        claimed = False
        try:
            # The embedded store has one writer: this server, for as long as it runs.
            if not app.state.assistant.store.shared:
                app.state.assistant.claim_writer("briefing serve")
                claimed = True
            else:
                takeover.start()
            poller.start()
            yield
        finally:
            poller.stop()
            takeover.stop()
            if claimed:
                app.state.assistant.release_writer()
            app.state.feeds.close()
            app.state.intake.close()
            if owned:
                app.state.assistant.close()

    app = FastAPI(
        title="Briefing",
        version="0.1.0",
        summary="Cited answers and one-page briefings over a news corpus.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    problems.install(app)
    for module in (chat, stream, briefing, documents, feeds, health, openai_compat):
        app.include_router(module.router)
    guards.install(app, settings)  # rate limit, API key, body size, concurrency, timeouts
    web.install(app)  # the page at `/`, /static, security headers (CSP) on every response

    return app
