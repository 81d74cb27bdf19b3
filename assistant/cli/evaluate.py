"""`briefing eval`: YAML suites (seed, brief, conversations) or an external JSONL question set.

Registered on the main Typer app by `assistant.cli.commands`. Heavy imports stay inside the
functions so `briefing --help` stays instant.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from assistant.cli import output as out
from assistant.cli.external_eval import evaluate_external, fail

if TYPE_CHECKING:
    pass


def eval_(
    datasets: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Dataset YAML files: question suites, brief suites (`kind: brief`) or "
            "conversation suites (`kind: conversations`). Default: evals/datasets/seed.yaml "
            "and evals/datasets/brief-seed.yaml."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report(s) as JSON.")] = False,
    report_dir: Annotated[
        Path, typer.Option("--report-dir", "--out", help="Where the Markdown/JSON reports go.")
    ] = Path("reports"),
    no_ingest: Annotated[
        bool, typer.Option("--no-ingest", help="Skip syncing the corpus first.")
    ] = False,
    corpus: Annotated[
        Path | None,
        typer.Option(help="External corpus JSONL (id, title, text, published, url, source)."),
    ] = None,
    questions: Annotated[
        Path | None,
        typer.Option(
            help='External questions JSONL: {"id", "question", "answers", "gold_doc_ids", '
            '"answerable"}. Needs --corpus.'
        ),
    ] = None,
    compare: Annotated[
        Path | None, typer.Option(help="A previous external JSON report: print the deltas.")
    ] = None,
    retrieval: Annotated[
        str | None,
        typer.Option(help="Retrieval mode for the external run: dense, lexical or hybrid."),
    ] = None,
    compare_retrieval: Annotated[
        bool,
        typer.Option(
            "--compare-retrieval", help="Also score retrieval in all three modes (a table)."
        ),
    ] = False,
    limit: Annotated[
        int | None, typer.Option(min=1, help="Ask only the first N questions (all docs ingested).")
    ] = None,
    store: Annotated[
        Path | None,
        typer.Option(
            help="Data dir for the external corpus. Default: DATA_DIR/eval-stores/<corpus key>; "
            "never the production store."
        ),
    ] = None,
    allow_skipped: Annotated[
        bool,
        typer.Option(
            "--allow-skipped",
            help="Score an external corpus even when some of its records are unusable (each "
            "is named with file:line); by default any skipped record stops the eval.",
        ),
    ] = False,
    selector: Annotated[
        bool,
        typer.Option(
            "--selector",
            help="Measure the answer selector against the bi-encoder on held-out SQuAD 2.0 dev "
            "and SelQA test (BRIEFING_DATASETS_DIR); with --limit, that many SQuAD questions.",
        ),
    ] = False,
) -> None:
    """Run eval suites, or an external question set (`--corpus C.jsonl --questions Q.jsonl`).

    Question suites: fact recall, citation support, abstention, hit@k, latency. Brief suites:
    fact coverage and citation support of a briefing. External sets: Hits@1/4/10, MRR@10,
    contains/EM/F1, abstention precision/recall, citation precision, latency, with 95%
    intervals. Writes `reports/eval-NAME.md` and `.json`; exits 1 when a suite's threshold is
    missed, 2 on unusable input."""
    if selector:
        if datasets or corpus or questions:
            fail("--selector measures the model on its own datasets: give no suites or corpus")
        _selector(report_dir, as_json=as_json, limit=limit)
        return
    if corpus is not None or questions is not None:
        if corpus is None or questions is None:
            fail("--corpus and --questions go together")
        if datasets:
            fail("give dataset files or --corpus/--questions, not both")
        evaluate_external(
            corpus, questions, report_dir=report_dir, as_json=as_json, compare=compare,
            retrieval=retrieval, compare_retrieval=compare_retrieval, limit=limit, store=store,
            allow_skipped=allow_skipped,
        )  # fmt: skip
        return
    extra = [name for name, value in _external_only(compare, retrieval, limit, store) if value]
    extra += [flag for flag, on in (("--compare-retrieval", compare_retrieval),
              ("--allow-skipped", allow_skipped)) if on]  # fmt: skip
    if extra:
        fail(f"{', '.join(extra)} only apply with --corpus/--questions")
    _suites(datasets, as_json=as_json, report_dir=report_dir, no_ingest=no_ingest)


def _selector(report_dir: Path, *, as_json: bool, limit: int | None) -> None:
    from assistant.cli.common import load_settings
    from evals.selector_report import run_selector_eval, to_markdown

    try:
        report = run_selector_eval(load_settings(), limit or 1500)
    except ValueError as exc:
        fail(str(exc))
    markdown = to_markdown(report)
    report_dir.mkdir(parents=True, exist_ok=True)
    (report_dir / "eval-selector.md").write_text(markdown, encoding="utf-8")
    (report_dir / "eval-selector.json").write_text(json.dumps(report, indent=2), "utf-8")
    if as_json:
        out.print_json(report)
    else:
        out.console.print(markdown)


def _external_only(*values: object) -> list[tuple[str, object]]:
    return list(zip(("--compare", "--retrieval", "--limit", "--store"), values, strict=True))


def _suites(
    datasets: list[Path] | None, *, as_json: bool, report_dir: Path, no_ingest: bool
) -> None:
    from assistant.cli.common import ingest_with_progress, open_assistant
    from evals.suite import DEFAULT_SUITES, run_suite

    paths = list(datasets or DEFAULT_SUITES)
    missing = [p for p in paths if not p.is_file()]
    if missing:
        fail(f"no such dataset file: {', '.join(map(str, missing))}")
    assistant = open_assistant()
    if not no_ingest:
        ingest_with_progress(assistant, None, quiet=True)
    outcomes = []
    for path in paths:
        try:
            outcomes.append(run_suite(path, assistant))
        except (OSError, ValueError) as exc:
            fail(f"cannot use the dataset: {exc}")
    report_dir.mkdir(parents=True, exist_ok=True)
    for outcome in outcomes:
        stem = report_dir / f"eval-{outcome.name}"
        stem.with_suffix(".md").write_text(outcome.markdown, encoding="utf-8")
        stem.with_suffix(".json").write_text(json.dumps(outcome.report, indent=2), "utf-8")
        if not as_json:
            out.console.print(outcome.table)
            out.console.print(f"[dim]Reports: {stem}.md and .json[/]")
    if as_json:
        reports = [o.report for o in outcomes]
        out.print_json(reports[0] if len(reports) == 1 else {"suites": reports})
    failures = [f"{o.name}: {f}" for o in outcomes for f in o.failures]
    for failure in failures:
        out.errors.print(f"[red]below threshold:[/] {failure}")
    if failures:
        raise typer.Exit(1)
