"""`briefing add URL… | PATH…`: pages, PDFs and Word files by URL, and local files, one outcome
each (added / updated / unchanged / refused / failed, with the reason)."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated

import typer

from assistant.cli import output as out

if TYPE_CHECKING:
    from assistant.sources.adding import AddResult

_STYLE = {"added": "green", "updated": "cyan", "unchanged": "dim", "refused": "red",
          "failed": "red"}  # fmt: skip


def add(
    targets: Annotated[
        list[str],
        typer.Argument(
            help="http(s) URLs of articles, PDFs or .docx files, and/or local files "
            "(.txt .md .html .pdf .docx).",
            show_default=False,
            metavar="URL_OR_PATH...",
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
) -> None:
    """Add sources by URL or file. A page's main text, title, date, author and site come from
    the page itself; its id comes from its canonical URL, so adding it again updates it.
    Internal addresses are refused unless BRIEFING_FETCH_ALLOW_PRIVATE is set; robots.txt is
    obeyed. Exits 1 when any source could not be added.

    Example: `briefing add https://news.example/2026/12/tariffs report.pdf`
    """
    from assistant.cli.common import load_settings, open_assistant
    from assistant.database.locking import WriterLock
    from assistant.sources.adding import Intake

    settings = load_settings()
    WriterLock.for_settings(settings).claim("briefing add")  # refused while a server owns the store
    intake = Intake(open_assistant(settings))
    try:
        with out.progress_bar("sources", quiet=as_json or len(targets) < 2) as update:
            done: list[AddResult] = []

            def advance(result: AddResult) -> None:
                done.append(result)
                update(len(done), len(targets))

            results = intake.add(targets, allow_paths=True, progress=advance)
    finally:
        intake.close()
    if as_json:
        out.print_json([asdict(r) for r in results])
    else:
        _print(results)
    if not all(r.ok for r in results):
        raise typer.Exit(1)


def _print(results: list[AddResult]) -> None:
    for r in results:
        style = _STYLE[r.status]
        what = f"{r.title} [dim]({r.doc_id}, {r.kind}, {r.chunks_written} chunks)[/]"
        detail = what if r.ok else (r.reason or "")
        shown = r.target if len(r.target) <= 90 else r.target[:89] + "…"
        out.console.print(f"[{style}]{r.status:>9}[/] {shown}\n          {detail}")
    if any(r.ok for r in results):
        out.console.print('[dim]Ask about them: briefing ask "…"[/]')
