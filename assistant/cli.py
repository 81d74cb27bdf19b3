"""`briefing` command line: ingest, ask, chat, brief, eval, serve, documents.

Heavy imports (models, Chroma, FastAPI) happen inside the commands so `--help` is instant.
"""

from __future__ import annotations

import ipaddress
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from assistant import cli_output as out
from assistant.errors import BriefingError

if TYPE_CHECKING:
    from assistant.assistant import Assistant
    from assistant.config import Settings

app = typer.Typer(
    help=(
        "Briefing: cited answers and one-page briefings over your news corpus.\n\n"
        "Typical session: `briefing ingest` (reads BRIEFING_CORPUS_DIR, default corpus/), then "
        '`briefing ask "What tariff rate does Japan face?"`, `briefing brief`, or '
        "`briefing serve` for the chat API. Settings come from BRIEFING_* variables or .env."
    ),
    no_args_is_help=True,
    rich_markup_mode="markdown",
    pretty_exceptions_enable=False,
)


def _settings() -> Settings:
    from assistant.config import get_settings

    return get_settings()


def _assistant(settings: Settings | None = None) -> Assistant:
    from assistant.assistant import Assistant

    with out.errors.status("Loading the embedding model and store…"):
        return Assistant(settings or _settings())


def _ingest(assistant: Assistant, paths: list[Path] | None, quiet: bool = False) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    with Progress(
        "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
        TimeRemainingColumn(), console=out.errors, transient=True, disable=quiet,
    ) as progress:  # fmt: skip
        task = progress.add_task("Embedding chunks", total=None)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        report = assistant.ingest(paths, progress=update)
    if not quiet:
        out.print_ingest(report)


@app.command()
def ingest(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Files or folders (.txt .md .html .jsonl). Default: the corpus dir."),
    ] = None,
) -> None:
    """Load documents, chunk and embed them. Re-running writes only what changed; files removed
    from an ingested folder are removed from the store."""
    assistant = _assistant()
    _ingest(assistant, paths)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="Your question, in quotes.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the answer contract as JSON.")
    ] = False,
) -> None:
    """Answer one question from the ingested sources, with citations."""
    from assistant.serialize import answer_to_dict

    answer = _assistant().ask(question)
    if as_json:
        out.print_json(answer_to_dict(answer))
    else:
        out.print_answer(answer)


@app.command()
def chat() -> None:
    """Interactive chat with follow-ups (`/new` starts over, `/quit` or Ctrl-D leaves)."""
    assistant = _assistant()
    session_id: str | None = None
    out.console.print("[dim]Ask about the corpus. /new starts a new conversation, /quit leaves.[/]")
    while True:
        try:
            message = out.console.input("[bold cyan]you>[/] ").strip()
        except (EOFError, KeyboardInterrupt):
            out.console.print()
            return
        if message in {"/quit", "/exit"}:
            return
        if message == "/new":
            session_id = None
            continue
        if not message:
            continue
        try:
            answer, session_id = assistant.chat(message, session_id)
        except BriefingError as exc:
            out.errors.print(f"[red]error:[/] {exc}")
            continue
        out.print_answer(answer)


@app.command()
def brief(
    topic: Annotated[
        str | None, typer.Option("--topic", "-t", help="Brief on a topic only.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the briefing as JSON.")] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print raw Markdown.")] = False,
) -> None:
    """One-page briefing: situation, key figures, who's who, what to watch; every bullet cited."""
    from assistant.serialize import briefing_to_dict, briefing_to_markdown

    briefing = _assistant().brief(topic)
    if as_json:
        out.print_json(briefing_to_dict(briefing))
    elif markdown:
        typer.echo(briefing_to_markdown(briefing))
    else:
        out.print_markdown(briefing_to_markdown(briefing))


@app.command(name="eval")
def eval_(
    dataset: Annotated[
        Path | None, typer.Argument(help="Dataset YAML. Default: evals/datasets/seed.yaml.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    report_dir: Annotated[Path, typer.Option(help="Where the Markdown/JSON reports go.")] = Path(
        "reports"
    ),
    no_ingest: Annotated[
        bool, typer.Option("--no-ingest", help="Skip syncing the corpus first.")
    ] = False,
) -> None:
    """Run an eval suite: fact recall, citation support, abstention, hit@k, latency.
    Exits 1 when a threshold set in the dataset is missed."""
    import json

    from evals import load_dataset, run_eval
    from evals.dataset import DEFAULT_DATASET
    from evals.report import to_json, to_markdown, to_rich_table

    try:
        data = load_dataset(dataset or DEFAULT_DATASET)
    except (OSError, ValueError) as exc:
        out.errors.print(f"[red]error:[/] cannot use the dataset: {exc}")
        raise typer.Exit(2) from None
    assistant = _assistant()
    if not no_ingest:
        _ingest(assistant, None, quiet=True)
    report = run_eval(assistant.ask, data)
    report_dir.mkdir(parents=True, exist_ok=True)
    stem = f"eval-{data.name}"
    (report_dir / f"{stem}.md").write_text(to_markdown(report), encoding="utf-8")
    (report_dir / f"{stem}.json").write_text(
        json.dumps(to_json(report), indent=2), encoding="utf-8"
    )
    if as_json:
        out.print_json(to_json(report))
    else:
        out.console.print(to_rich_table(report))
        out.console.print(f"[dim]Reports: {report_dir / stem}.md and .json[/]")
    if report.failures:
        for failure in report.failures:
            out.errors.print(f"[red]below threshold:[/] {failure}")
        raise typer.Exit(1)


@app.command()
def documents(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """List ingested documents with metadata and chunk counts."""
    from assistant.serialize import document_info_to_dict

    infos = _assistant().documents()
    if as_json:
        out.print_json([document_info_to_dict(i) for i in infos])
        return
    from rich.table import Table

    table = Table("id", "title", "published", "source", "chunks")
    for i in infos:
        table.add_row(
            i.id, i.title, str(i.published or "undated"), i.source or "", str(i.chunk_count)
        )
    out.console.print(table)


@app.command()
def serve(
    host: Annotated[
        str | None, typer.Option(help="Interface to bind (default BRIEFING_HOST, 127.0.0.1).")
    ] = None,
    port: Annotated[int | None, typer.Option(help="Port (default BRIEFING_PORT, 8000).")] = None,
    ingest_first: Annotated[
        bool, typer.Option("--ingest/--no-ingest", help="Sync the corpus dir before serving.")
    ] = False,
) -> None:
    """Serve the chat API (POST /chat, POST /briefing, GET /documents, /health, /docs)."""
    import uvicorn

    from api.app import create_app

    settings = _settings()
    host = host or settings.host
    port = port or settings.port
    if not _is_loopback(host):
        out.errors.print(
            f"[bold red]warning:[/] binding to {host} exposes the API to your network and it has "
            "no authentication yet. Use 127.0.0.1 unless you are behind a trusted proxy."
        )
    assistant = _assistant(settings)
    if ingest_first:
        _ingest(assistant, None)
    out.errors.print(f"Serving on http://{host}:{port}  (API docs: http://{host}:{port}/docs)")
    uvicorn.run(create_app(settings, assistant), host=host, port=port, log_level="info")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        app()
    except BriefingError as exc:
        out.errors.print(f"[red]error:[/] {exc}")
        raise SystemExit(2) from None
