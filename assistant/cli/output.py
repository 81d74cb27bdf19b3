"""Terminal rendering for the CLI (the only place, with cli.py, that writes to stdout)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from assistant.answering.request import Final, StreamEvent, Token
from assistant.types import Answer, IngestReport

console = Console()
errors = Console(stderr=True)


class _Rate(ProgressColumn):
    """Items per second, so a user can tell a slow machine from a stuck one."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:,.1f} {self.unit}/s", style="dim")


@contextmanager
def progress_bar(unit: str, *, quiet: bool = False) -> Iterator[Callable[[int, int], None]]:
    """One bar with count, rate and ETA on stderr; yields `update(done, total)`."""
    with Progress(
        "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
        _Rate(unit), TimeRemainingColumn(), console=errors, transient=True, disable=quiet,
    ) as progress:  # fmt: skip
        task = progress.add_task(f"Ingesting {unit}", total=None)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total or None)

        yield update


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def print_answer(answer: Answer) -> None:
    style = "yellow" if answer.abstained else "bold"
    console.print(Text(answer.answer, style=style))
    if answer.citations:
        console.print()
    for c in answer.citations:
        quote = c.quote if len(c.quote) <= 240 else c.quote[:237] + "…"
        console.print(
            Text.assemble(
                (f"[{c.marker}] ", "cyan"),
                (c.title, "bold"),
                (f", p. {c.page}" if c.page else "", "bold"),
                (f"  {c.doc_id} chars {c.start}–{c.end}  score {c.score:.2f}\n", "dim"),
                (f"    “{quote}”", "italic"),
            )
        )
        copies = list(dict.fromkeys(x.source or x.title for x in c.also_published_by))
        if copies:
            console.print(Text(f"    also published by: {', '.join(copies)}", style="dim"))


def stream_answer(events: Iterable[StreamEvent], live: bool) -> Answer:
    """With `live`, show an LLM's words as they come (dimmed: not yet verified); return the
    final, verified answer for printing. The offline answer is final at once: no echo."""
    shown = False
    for event in events:
        if isinstance(event, Final):
            if shown:
                console.print("\n[dim]Verified answer:[/]")
            return event.answer
        if live and isinstance(event, Token):
            shown = True
            console.print(Text(event.text, style="dim"), end="")
    raise RuntimeError("the answer stream ended without a final answer")


#: A collection with thousands of bad records names the first few, then counts the rest.
SHOWN_SKIPS = 20


def print_ingest(report: IngestReport) -> None:
    table = Table(title="Ingest", show_header=False, box=None)
    rows = [
        ("documents found", report.documents_seen),
        ("added", report.documents_added),
        ("updated", report.documents_updated),
        ("unchanged", report.documents_unchanged),
        ("removed", report.documents_removed),
        ("chunks written", report.chunks_written),
        ("chunks deleted", report.chunks_deleted),
        ("skipped", len(report.skipped)),
        ("seconds", f"{report.seconds:.2f}"),
    ]
    for label, value in rows:
        table.add_row(label, str(value))
    console.print(table)
    for skip in report.skipped[:SHOWN_SKIPS]:
        errors.print(Text.assemble(("skipped ", "yellow"), (skip.path, "bold"), f": {skip.reason}"))
    if len(report.skipped) > SHOWN_SKIPS:
        errors.print(f"[yellow]… and {len(report.skipped) - SHOWN_SKIPS:,} more skipped[/]")
    if report.chunks_unreachable:
        errors.print(
            f"[yellow]{report.chunks_unreachable} chunk(s) only keyword search finds (the "
            "vector index would not link them in): run `briefing reindex`[/]"
        )
    for path in report.empty_paths:
        errors.print(Text.assemble(("no documents in ", "red"), (path, "bold")))


def print_markdown(text: str) -> None:
    console.print(Markdown(text))


def check_writable(path: Path) -> None:
    """Exit 2 with a message when `path` cannot be a new file (a folder, or no such folder)."""
    if path.is_dir() or not path.parent.is_dir():
        where = "is a folder" if path.is_dir() else "is in no existing folder"
        errors.print(f"[red]error:[/] --out {path} {where}")
        raise typer.Exit(2)
