"""`briefing` command line: ingest, add, follow, ask, chat, brief, eval, serve, documents, reindex,
db.

Heavy imports (models, Chroma, FastAPI) happen inside the commands so `--help` is instant.
"""

from __future__ import annotations

import atexit
import logging
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from assistant.cli import output as out
from assistant.cli.add import add
from assistant.cli.common import ingest_with_progress, load_settings, open_assistant
from assistant.cli.db import db_app
from assistant.cli.evaluate import eval_
from assistant.cli.feeds import feeds, follow, unfollow
from assistant.cli.serve import serve
from assistant.errors import BriefingError

if TYPE_CHECKING:
    from assistant.assistant import Assistant

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


app.add_typer(db_app, name="db")

_AS_OF = typer.Option(
    "--as-of",
    formats=["%Y-%m-%d"],
    help="Answer as of this date (YYYY-MM-DD): later sources are ignored. Default: a date "
    'stated in the question ("Today is January 8, 2026. …"), else today.',
)


# Set by a one-shot command once it has closed everything it opened: main() may then end the
# process without the interpreter's teardown (see `_exit_now`).
_closed = False


def _close(assistant: Assistant) -> None:
    global _closed
    assistant.close()
    _closed = True


_SOURCE = typer.Option("--source", help="Only this source (repeat for several).")
_SINCE = typer.Option("--since", formats=["%Y-%m-%d"], help="Only sources published on/after.")
_UNTIL = typer.Option("--until", formats=["%Y-%m-%d"], help="Only sources published on/before.")


@app.command()
def ingest(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files or folders (.txt .md .html .pdf .docx .jsonl). Default: the corpus dir."
        ),
    ] = None,
) -> None:
    """Load documents, chunk and embed them. Re-running writes only what changed; files removed
    from an ingested folder are removed from the store. Refused while a server owns the store
    (send documents to its POST /documents instead)."""
    from assistant.database.locking import WriterLock

    settings = load_settings()
    WriterLock.for_settings(settings).claim("briefing ingest")  # before loading any model
    report = ingest_with_progress(open_assistant(settings), paths)
    if paths and report.empty_paths:  # a path the user named gave nothing: never a quiet success
        raise typer.Exit(1)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="Your question, in quotes.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the answer contract as JSON.")
    ] = False,
    as_of: Annotated[datetime | None, _AS_OF] = None,
    source: Annotated[list[str] | None, _SOURCE] = None,
    since: Annotated[datetime | None, _SINCE] = None,
    until: Annotated[datetime | None, _UNTIL] = None,
) -> None:
    """Answer one question from the ingested sources, with citations."""
    from assistant.search.filters import RetrievalFilters
    from assistant.serialize import answer_to_dict

    assistant = open_assistant()
    day = as_of.date() if as_of else None
    filters = RetrievalFilters.of(
        source or (), since.date() if since else None, until.date() if until else None
    )
    if as_json:
        out.print_json(answer_to_dict(assistant.ask(question, as_of=day, filters=filters)))
    else:
        stream = assistant.ask_stream(question, as_of=day, filters=filters)
        out.print_answer(out.stream_answer(stream, assistant.generative))
    _close(assistant)


@app.command()
def chat(as_of: Annotated[datetime | None, _AS_OF] = None) -> None:
    """Interactive chat with follow-ups (`/new` starts over, `/quit` or Ctrl-D leaves)."""
    assistant = open_assistant()
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
            session_id, events = assistant.chat_stream(
                message, session_id, as_of=as_of.date() if as_of else None
            )
            answer = out.stream_answer(events, assistant.generative)
        except BriefingError as exc:
            out.errors.print(f"[red]error:[/] {exc}")
            continue
        out.print_answer(answer)


_OUT_HELP = "Write to this file instead of stdout: .json or .html picks that format, else Markdown."


@app.command()
def brief(
    topic: Annotated[
        str | None, typer.Option("--topic", "-t", help="Brief on a topic only.")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(help='Show what changed since a saved briefing: its id, or "last".'),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the briefing as JSON.")] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print raw Markdown.")] = False,
    as_html: Annotated[bool, typer.Option("--html", help="Print a standalone HTML page.")] = False,
    output: Annotated[Path | None, typer.Option("--out", "-o", help=_OUT_HELP)] = None,
) -> None:
    """One-page briefing: situation, key figures, parties and positions, timeline, what to
    watch, sources. Every bullet is cited and verified; each briefing is saved (its id is
    printed) so `--since last` can show what changed."""
    import json

    from assistant.serialize import briefing_to_dict, briefing_to_html, briefing_to_markdown

    if output is not None:  # refused before a briefing is made and saved
        out.check_writable(output)
        suffix = output.suffix.lower()  # the file's type picks the format no flag picked
        as_json = as_json or (suffix == ".json" and not (as_html or markdown))
        as_html = as_html or (suffix in (".html", ".htm") and not (as_json or markdown))
    try:
        briefing = open_assistant().brief(topic, since=since)
    except BriefingError as exc:  # e.g. an unknown --since id
        out.errors.print(f"[red]error:[/] {exc}")
        raise typer.Exit(2) from None
    if as_json:
        text = json.dumps(briefing_to_dict(briefing), ensure_ascii=False, indent=2) + "\n"
    elif as_html:
        text = briefing_to_html(briefing)
    elif markdown or output:
        text = briefing_to_markdown(briefing)
    else:
        out.print_markdown(briefing_to_markdown(briefing))
        out.errors.print(f"[dim]Saved as briefing {briefing.id}.[/]")
        return
    if output:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            out.errors.print(f"[red]error:[/] cannot write {output}: {exc.strerror or exc} "
                             f"(the briefing is saved as {briefing.id})")  # fmt: skip
            raise typer.Exit(1) from None
        out.errors.print(f"Wrote {output} (briefing {briefing.id}).")
    else:
        typer.echo(text, nl=False)


app.command(name="add")(add)
app.command(name="follow")(follow)
app.command(name="feeds")(feeds)
app.command(name="unfollow")(unfollow)
app.command(name="eval")(eval_)
app.command(name="serve")(serve)


@app.command()
def documents(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """List ingested documents with metadata and chunk counts."""
    from assistant.serialize import document_info_to_dict

    infos = open_assistant().documents()
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
def reindex() -> None:
    """Rebuild the vector index with the current index settings from the stored vectors (no
    re-embedding), then check that every chunk is found by search. Run it when the log warns
    that the index was built with older settings; refused while a server owns the store."""
    from assistant.database.locking import WriterLock

    settings = load_settings()
    WriterLock.for_settings(settings).claim("briefing reindex")
    assistant = open_assistant(settings)
    before = assistant.store.outdated or "already current"
    with out.errors.status("Rebuilding the vector index…"):
        chunks, report = assistant.reindex()
    out.console.print(f"Rebuilt the vector index: {chunks} chunks (was: {before}).")
    if report is not None and not report.clean:
        out.console.print(f"Repaired while checking: {report}")


def _log_level(verbose: bool) -> int:
    if verbose:
        return logging.INFO
    try:
        return int(logging.getLevelName(load_settings().log_level))
    except Exception:  # unusable settings: the command itself reports them
        return logging.WARNING


@app.callback()
def _options(
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show library logs at INFO and above.")
    ] = False,
) -> None:
    level = _log_level(verbose)
    logging.getLogger().setLevel(level)
    # Libraries that set their own logger to DEBUG (bm25s) bypass the root level: the handler's
    # level keeps their chatter out of a user's terminal.
    for handler in logging.getLogger().handlers:
        handler.setLevel(level)


def main() -> None:
    global _closed
    _closed = False
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.setLevel(logging.WARNING)
    try:
        app()
    except BriefingError as exc:
        out.errors.print(f"[red]error:[/] {exc}")
        raise SystemExit(2) from None
    except SystemExit as done:  # how typer ends every command, success included
        if done.code in (0, None) and _closed:
            _exit_now()
        raise


def _exit_now() -> NoReturn:
    """End a finished one-shot command at once. The interpreter's teardown of the ~1,500 modules
    an ask loads (Chroma's, OpenTelemetry's, gRPC's …) took ~0.4 s of every cold `briefing ask`,
    after the answer was printed; the command has closed what it opened, and exit handlers
    (logging's flush among them) still run, so nothing is lost."""
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
