"""Serving the API with several worker processes (`briefing serve --workers N`).

uvicorn starts each worker in a fresh process and imports the app there by name, so every worker
builds its own app — settings from BRIEFING_* variables and `.env`, its own assistant, models and
store client — through `worker_app`. That is only safe when the vector store can be shared by
processes: a Chroma server (`BRIEFING_CHROMA_URL`), not the embedded PersistentClient.

Anything that must happen once (ingesting, exporting the ONNX query encoder) runs in `prepare`,
in a short-lived child process before the workers start, so the supervisor stays small.
"""

from __future__ import annotations

import multiprocessing
from typing import TYPE_CHECKING

from assistant.config import Settings, get_settings
from assistant.errors import BriefingError, ConfigError

if TYPE_CHECKING:
    from fastapi import FastAPI

#: What uvicorn imports in each worker (`factory=True`: it calls it).
WORKER_APP = "assistant.cli.serving:worker_app"


def check_workers(settings: Settings, workers: int) -> None:
    """Refuse more than one worker on the embedded store, saying why and what to do instead."""
    if workers > 1 and not settings.chroma_url:
        raise ConfigError(
            f"--workers {workers} needs a Chroma server. The embedded store "
            f"({settings.store_dir}, chromadb.PersistentClient) belongs to one process: "
            "several workers opening it would each keep their own copy of the index and could "
            "corrupt it on write. Start a server (`chroma run --path "
            f"{settings.store_dir} --host 127.0.0.1 --port 8001` serves this very store) and "
            "set BRIEFING_CHROMA_URL=http://127.0.0.1:8001, or serve with one worker. "
            "See docs/scaling.md."
        )


def worker_app() -> FastAPI:
    """The app of one worker process, built from the environment's settings."""
    from api.app import create_app

    return create_app(get_settings())


def prepare(ingest: bool) -> int:
    """Run `_prepare` in a child process; its exit code (0 when all went well)."""
    child = multiprocessing.get_context("spawn").Process(
        target=_prepare, args=(ingest,), name="briefing-prepare"
    )
    child.start()
    child.join()
    return child.exitcode or 0


def _prepare(ingest: bool) -> None:
    """Open the assistant once (exports the ONNX encoder if needed) and optionally ingest."""
    from assistant.cli import output as out
    from assistant.cli.common import ingest_with_progress, open_assistant

    try:
        assistant = open_assistant(get_settings())
        try:
            if ingest:
                ingest_with_progress(assistant, None)
        finally:
            assistant.close()
    except BriefingError as exc:
        out.errors.print(f"[red]error:[/] {exc}")
        raise SystemExit(2) from None
