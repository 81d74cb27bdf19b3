"""`briefing eval --corpus … --questions …`: an external JSONL question set over its own corpus,
ingested into a store of its own, with retrieval metrics per mode on request."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from assistant.cli import output as out
from assistant.errors import BriefingError

if TYPE_CHECKING:
    from assistant.assistant import Assistant
    from assistant.config import Settings
    from assistant.types import IngestReport

MODES = ("dense", "lexical", "hybrid")


def fail(message: str) -> NoReturn:
    out.errors.print(f"[red]error:[/] {message}")
    raise typer.Exit(2)


def evaluate_external(
    corpus: Path,
    questions: Path,
    *,
    report_dir: Path,
    as_json: bool,
    compare: Path | None,
    retrieval: str | None,
    compare_retrieval: bool,
    limit: int | None,
    store: Path | None,
    allow_skipped: bool,
) -> None:
    from assistant.cli.common import ingest_with_progress, load_settings, open_assistant
    from evals import external_report as rep
    from evals.jsonl import check_gold, load_corpus, load_questions
    from evals.workspace import eval_settings, with_retrieval_mode

    if retrieval is not None and retrieval not in MODES:
        fail(f"--retrieval must be one of {', '.join(MODES)}, not {retrieval!r}")
    try:
        limit_bytes = load_settings().max_file_bytes
        checked = load_corpus(corpus, max_record_bytes=limit_bytes, allow_skipped=allow_skipped)
        items = load_questions(questions)
        check_gold(items, checked.ids, questions)
        previous = rep.load_report(compare) if compare else None
        settings = eval_settings(load_settings(), corpus, store)
        if retrieval is not None:
            settings = with_retrieval_mode(settings, retrieval)
    except ValueError as exc:
        fail(str(exc))
    asked = items[:limit] if limit else items
    assistant = open_assistant(settings)
    try:
        ingested = ingest_with_progress(assistant, [corpus], quiet=as_json)
        _refuse_partial(ingested, allow_skipped=allow_skipped)
        results = _ask_all(assistant, asked, quiet=as_json)
    except BriefingError as exc:
        assistant.close()
        fail(str(exc))
    except typer.Exit:
        assistant.close()
        raise
    chunks = sum(len(e.chunk_ids) for e in assistant.manifest.entries())
    from evals.external import summarise

    mode: Any = settings.retrieval_mode
    comparison = _compare_modes(assistant, asked, quiet=as_json) if compare_retrieval else {}
    assistant.close()
    run = rep.ExternalRun(
        corpus=str(corpus), questions=str(questions), documents=ingested.documents_seen,
        chunks=chunks, skipped=len(ingested.skipped),
        embeddings=f"{settings.embeddings}:{settings.embedding_model}"
        if settings.embeddings == "sentence-transformers" else settings.embeddings,
        retrieval_mode=mode, results=results, metrics=summarise(results, asked),
        limited_to=limit if limit and limit < len(items) else None, comparison=comparison,
    )  # fmt: skip
    compared = rep.deltas(previous, run.metrics) if previous is not None else None
    markdown = rep.to_markdown(run, compared)
    report_dir.mkdir(parents=True, exist_ok=True)
    stem = report_dir / f"eval-external-{questions.stem}"
    stem.with_suffix(".md").write_text(markdown, encoding="utf-8")
    data = rep.to_json(run)
    stem.with_suffix(".json").write_text(json.dumps(data, indent=2), "utf-8")
    if as_json:
        if compared is not None:
            data["compared"] = [
                {"metric": d.metric, "before": d.before, "after": d.after, "delta": d.change}
                for d in compared
            ]
        out.print_json(data)
        return
    out.print_markdown(markdown.split("\n## Items")[0])
    out.console.print(f"[dim]Reports: {stem}.md and .json[/]")


def _refuse_partial(report: IngestReport, *, allow_skipped: bool) -> None:
    """An eval over a store that lacks part of the corpus would look like a run: refuse it."""
    if report.documents_seen == 0:
        fail("the corpus yielded 0 documents: nothing to score")
    if report.skipped and not allow_skipped:
        first = report.skipped[0]
        fail(f"{len(report.skipped)} file(s) or record(s) of the corpus were skipped "
              f"(first: {first.path}: {first.reason}); fix them, or --allow-skipped")  # fmt: skip


def _ask_all(assistant: Assistant, items: Any, *, quiet: bool) -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from evals.external import run_items

    with Progress(
        "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
        TimeRemainingColumn(), console=out.errors, transient=True, disable=quiet,
    ) as progress:  # fmt: skip
        task = progress.add_task("Asking questions", total=len(items))
        return run_items(assistant, items, on_item=lambda _: progress.advance(task))


def _compare_modes(assistant: Assistant, items: Any, *, quiet: bool) -> dict[str, Any]:
    """Retrieval metrics per mode, over the same store and the already-loaded embedder."""
    from assistant.assistant import Assistant
    from evals.external import retrieval_metrics, retrieval_rank
    from evals.workspace import with_retrieval_mode

    gold = [i for i in items if i.gold_doc_ids]
    comparison = {}
    for mode in MODES:
        settings: Settings = with_retrieval_mode(assistant.settings, mode)
        other = Assistant(settings, embeddings=assistant.embeddings)
        try:
            comparison[mode] = retrieval_metrics([retrieval_rank(other, i) for i in gold])
        finally:
            other.close()
        if not quiet:
            out.errors.print(f"[dim]retrieval scored in {mode} mode[/]")
    return comparison
