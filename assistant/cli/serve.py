"""`briefing serve`: the HTTP API, one process or several workers, loopback unless keyed."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

from assistant.cli import output as out
from assistant.errors import BriefingError


def serve(
    host: Annotated[
        str | None, typer.Option(help="Interface to bind (default BRIEFING_HOST, 127.0.0.1).")
    ] = None,
    port: Annotated[
        int | None,
        typer.Option(min=1, max=65535, help="Port, 1–65535 (default BRIEFING_PORT, 8000)."),
    ] = None,
    ingest_first: Annotated[
        bool, typer.Option("--ingest/--no-ingest", help="Sync the corpus dir before serving.")
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="API worker processes. More than 1 needs a Chroma server (BRIEFING_CHROMA_URL): "
            "the embedded store belongs to one process.",
        ),
    ] = 1,
    insecure: Annotated[
        bool,
        typer.Option(
            "--insecure",
            help="Serve on a non-loopback address without BRIEFING_API_KEY (only behind a proxy "
            "that authenticates).",
        ),
    ] = False,
) -> None:
    """Serve the chat API (POST /chat, POST /briefing, GET /documents, /health, /docs)."""
    import uvicorn

    from api.app import create_app
    from assistant.cli.common import ingest_with_progress, load_settings, open_assistant
    from assistant.cli.serving import WORKER_APP, check_workers, prepare

    settings = load_settings()
    try:
        check_workers(settings, workers)
    except BriefingError as exc:
        out.errors.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    host = host or settings.host
    port = port or settings.port
    if not _is_loopback(host) and settings.api_key is None:
        if not insecure:
            out.errors.print(
                f"[red]error:[/] refusing to serve on {host} without an API key: anyone who can "
                "reach it could read and change the corpus. Set BRIEFING_API_KEY, bind "
                "127.0.0.1, or pass --insecure if a proxy in front authenticates."
            )
            raise typer.Exit(2)
        out.errors.print(
            f"[bold red]warning:[/] serving on {host} with no authentication (--insecure)."
        )
    if workers > 1:
        # Each worker builds its own app from the environment; ingest (and the one-off ONNX
        # export) happen first, once, in a child process.
        if code := prepare(ingest_first):
            raise typer.Exit(code)
        out.errors.print(f"Serving on http://{host}:{port} with {workers} workers")
        uvicorn.run(
            WORKER_APP, factory=True, workers=workers, host=host, port=port, log_level="info"
        )
        return
    assistant = open_assistant(settings)
    if not assistant.store.shared:  # one writer: this server, from now on
        assistant.claim_writer("briefing serve", f"http://{host}:{port}")
    if ingest_first:
        ingest_with_progress(assistant, None)
    out.errors.print(f"Serving on http://{host}:{port}  (API docs: http://{host}:{port}/docs)")
    uvicorn.run(create_app(settings, assistant), host=host, port=port, log_level="info")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
