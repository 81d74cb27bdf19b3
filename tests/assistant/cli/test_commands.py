"""The `briefing` CLI, driven in-process with Typer's CliRunner (hashing embeddings, temp dirs),
plus one real subprocess run."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from assistant.assistant import Assistant
from assistant.cli.commands import app
from assistant.config import get_settings
from assistant.errors import InvalidQuestion
from tests.conftest import ROOT, SEED_CORPUS, SEED_DOC_ID, make_settings

MARKER = re.compile(r"\[(\d+)\]")
Run = Callable[..., Result]


def squash(text: str) -> str:
    """Rich wraps long lines to the terminal width; compare without whitespace."""
    return "".join(text.split())


@pytest.fixture
def dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Path]]:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEED_CORPUS, corpus)
    data = tmp_path / "data"
    for key in list(os.environ):
        if key.startswith("BRIEFING_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(data))
    monkeypatch.setenv("BRIEFING_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("BRIEFING_EMBEDDINGS", "hashing")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)  # no stray .env, and relative defaults land in tmp
    get_settings.cache_clear()
    yield corpus, data
    get_settings.cache_clear()


@pytest.fixture
def run(dirs: tuple[Path, Path]) -> Run:
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        get_settings.cache_clear()  # settings are lru_cached: re-read the env every time
        return runner.invoke(app, list(args))

    return invoke


def row(stdout: str, label: str) -> int:
    """The value of one row of the ingest report table."""
    match = re.search(rf"^\s*{label}\s+(\d+)\s*$", stdout, re.MULTILINE)
    assert match, f"no {label!r} row in:\n{stdout}"
    return int(match.group(1))


def open_assistant(tmp_path: Path) -> Assistant:
    return Assistant(make_settings(tmp_path))


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def test_help_lists_the_commands(run: Run) -> None:
    result = ok(run("--help"))
    for command in ("ingest", "ask", "chat", "brief", "eval", "serve", "documents"):
        assert re.search(rf"^\W*{command}\b", result.output, re.MULTILINE), command


def test_no_arguments_shows_help(run: Run) -> None:
    result = run()
    assert "ingest" in result.output and "Usage" in result.output


def test_ingest_twice_writes_nothing_the_second_time(run: Run, tmp_path: Path) -> None:
    first = ok(run("ingest"))
    written = row(first.stdout, "chunks written")
    assert written > 0
    assert row(first.stdout, "added") == 1
    second = ok(run("ingest"))
    assert row(second.stdout, "chunks written") == 0
    assert row(second.stdout, "unchanged") == 1

    fresh = open_assistant(tmp_path)
    try:
        assert fresh.store.count() == written
        (info,) = fresh.documents()
        assert (info.id, info.chunk_count) == (SEED_DOC_ID, written)
    finally:
        fresh.close()


def test_ingest_reports_a_bad_file_and_carries_on(run: Run, dirs: tuple[Path, Path]) -> None:
    corpus, _ = dirs
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.7")
    (corpus / "empty.md").write_text("")
    result = ok(run("ingest"))
    errors = squash(result.stderr)
    assert f"skipped{squash(str(corpus / 'broken.pdf'))}:broken.pdfisnotareadablePDF" in errors
    assert f"skipped{squash(str(corpus / 'empty.md'))}:fileisempty" in errors
    assert row(result.stdout, "skipped") == 2
    assert row(result.stdout, "added") == 1


def test_ingest_explicit_file(run: Run, tmp_path: Path) -> None:
    ok(run("ingest"))
    note = tmp_path / "note.txt"
    note.write_text("A note about steel tariffs.")
    result = ok(run("ingest", str(note)))
    assert row(result.stdout, "added") == 1
    assert row(result.stdout, "removed") == 0


def test_ask_json_prints_the_answer_contract(run: Run, tmp_path: Path) -> None:
    ok(run("ingest"))
    question = "What tariff rate does Japan face?"
    result = ok(run("ask", "--json", question))
    data = json.loads(result.stdout)  # exactly one JSON document on stdout
    assert {"question", "answer", "abstained", "citations"} <= set(data)
    assert data["question"] == question
    check_markers(data, tmp_path)


def test_ask_json_for_an_answerable_question(run: Run, tmp_path: Path) -> None:
    ok(run("ingest"))
    data = json.loads(ok(run("ask", "--json", "Who is Kurt Tong?")).stdout)
    assert data["abstained"] is False
    assert data["citations"] and "Asia Group" in data["answer"]
    check_markers(data, tmp_path)
    claims = data["claims"]  # per-claim support status
    assert claims and all(c["supported"] and c["score"] == 1.0 for c in claims)
    assert [m for c in claims for m in c["markers"]] == [c["marker"] for c in data["citations"]]


def check_markers(data: dict[str, object], tmp_path: Path) -> None:
    answer, citations = data["answer"], data["citations"]
    assert isinstance(answer, str) and isinstance(citations, list)
    if data["abstained"]:
        assert citations == [] and not MARKER.search(answer)
        return
    assert sorted(int(m) for m in MARKER.findall(answer)) == sorted(c["marker"] for c in citations)
    fresh = open_assistant(tmp_path)
    try:
        for c in citations:
            assert c["quote"] == fresh.document(c["doc_id"]).text[c["start"] : c["end"]]
    finally:
        fresh.close()


def test_ask_plain_text(run: Run) -> None:
    ok(run("ingest"))
    result = ok(run("ask", "Who is Kurt Tong?"))
    assert "[1]" in result.stdout
    assert SEED_DOC_ID in squash(result.stdout)


def test_ask_empty_question_is_an_error(run: Run) -> None:
    result = run("ask", "  ")
    assert isinstance(result.exception, InvalidQuestion)  # main() maps it to exit status 2


def test_documents_json(run: Run) -> None:
    ok(run("ingest"))
    data = json.loads(ok(run("documents", "--json")).stdout)
    assert [d["id"] for d in data] == [SEED_DOC_ID]
    assert data[0]["published"] == "2025-04-16"
    assert data[0]["chunk_count"] > 0
    assert data[0]["title"] == "Trump Joins Japan Trade Talks as Tariff Negotiations Begin"


def test_documents_before_ingest_is_empty(run: Run) -> None:
    assert json.loads(ok(run("documents", "--json")).stdout) == []


def test_brief_json(run: Run) -> None:
    ok(run("ingest"))
    data = json.loads(ok(run("brief", "--json")).stdout)
    assert [s["key"] for s in data["sections"]] == [
        "summary",
        "figures",
        "people",
        "timeline",
        "watch",
    ]
    for section in data["sections"]:
        for item in section["items"]:
            assert item["citations"]
            markers = sorted(int(m) for m in MARKER.findall(item["text"]))
            assert markers == sorted(c["marker"] for c in item["citations"])
    assert [s["doc_id"] for s in data["sources"]] == [SEED_DOC_ID]


def test_brief_topic_json(run: Run) -> None:
    ok(run("ingest"))
    data = json.loads(ok(run("brief", "--json", "--topic", "tariffs on cars")).stdout)
    assert data["topic"] == "tariffs on cars"
    assert data["headline"] == "Briefing: tariffs on cars"


def test_brief_markdown(run: Run) -> None:
    ok(run("ingest"))
    markdown = ok(run("brief", "--markdown")).stdout
    assert markdown.startswith("# Trump Joins Japan Trade Talks")
    for heading in ("## Situation", "## Key figures", "## Parties and positions",
                    "## Timeline", "## What to watch", "## Sources"):  # fmt: skip
        assert heading in markdown
    assert "[^1]:" in markdown


def test_brief_since_last_lists_what_changed(run: Run, tmp_path: Path) -> None:
    ok(run("ingest"))
    first = json.loads(ok(run("brief", "--json")).stdout)
    corpus = Path(os.environ["BRIEFING_CORPUS_DIR"])
    shutil.copy(ROOT / "evals" / "fixtures" / "talks-end-without-deal.md", corpus)
    ok(run("ingest"))
    second = json.loads(ok(run("brief", "--json", "--since", "last")).stdout)
    changes = second["changes"]
    assert changes["since_id"] == first["id"]
    assert changes["documents_added"] == ["fictional-talks-end-without-deal"]
    assert changes["new"] and changes["changed"]
    markdown = ok(run("brief", "--markdown", "--since", second["id"])).stdout
    assert f"## What changed since {second['id']}" in markdown


def test_brief_html_to_file(run: Run, tmp_path: Path) -> None:
    ok(run("ingest"))
    target = tmp_path / "brief.html"
    ok(run("brief", "--html", "--out", str(target)))
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "<script" not in page
    assert "Key figures" in page


def test_brief_since_unknown_id_is_a_clear_error(run: Run) -> None:
    ok(run("ingest"))
    result = run("brief", "--since", "deadbeef0000")
    assert result.exit_code == 2
    assert "no saved briefing" in result.output


# -- eval ---------------------------------------------------------------------------------------

DATASET = """\
name: tiny
description: Two cases for the CLI test.
thresholds:
  fact_recall: {recall}
  citation_support: 0
  abstention_accuracy: 0
  hit_at_k: 0
cases:
  - id: tong-role
    question: Who is Kurt Tong?
    facts: ["{fact}"]
  - id: china-response
    question: How has China responded to the US tariff talks with Japan?
    answerable: false
"""


def write_dataset(tmp_path: Path, *, recall: float, fact: str) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(DATASET.format(recall=recall, fact=fact), encoding="utf-8")
    return path


def test_eval_passes_when_thresholds_are_zero(run: Run, tmp_path: Path) -> None:
    dataset = write_dataset(tmp_path, recall=0, fact="purple elephants")
    reports = tmp_path / "reports-out"
    result = ok(run("eval", str(dataset), "--json", "--report-dir", str(reports)))
    assert json.loads(result.stdout)
    assert (reports / "eval-tiny.md").is_file()
    assert json.loads((reports / "eval-tiny.json").read_text(encoding="utf-8"))


def test_eval_exits_1_when_a_threshold_is_missed(run: Run, tmp_path: Path) -> None:
    dataset = write_dataset(tmp_path, recall=1.0, fact="purple elephants")
    reports = tmp_path / "reports-out"
    result = run("eval", str(dataset), "--report-dir", str(reports))
    assert result.exit_code == 1, result.output
    assert "below threshold" in result.stderr and "fact_recall" in result.stderr
    assert (reports / "eval-tiny.json").is_file(), "the report is written even on failure"


def test_eval_with_an_achievable_fact_passes_at_full_recall(run: Run, tmp_path: Path) -> None:
    dataset = write_dataset(tmp_path, recall=1.0, fact="managing partner")
    ok(run("eval", str(dataset), "--report-dir", str(tmp_path / "r")))


def test_eval_rejects_a_broken_dataset(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\ncases: []\n", encoding="utf-8")
    result = run("eval", str(bad), "--report-dir", str(tmp_path / "r"))
    assert result.exit_code == 2
    assert "cases" in result.stderr


# -- subprocess ---------------------------------------------------------------------------------


@pytest.mark.integration
def test_cli_in_a_subprocess(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SEED_CORPUS, corpus)
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    env.update(
        BRIEFING_DATA_DIR=str(tmp_path / "data"),
        BRIEFING_CORPUS_DIR=str(corpus),
        BRIEFING_EMBEDDINGS="hashing",
    )
    cmd = [sys.executable, "-c", "from assistant.cli.commands import main; main()"]

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*cmd, *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
        )

    ingest = cli("ingest")
    assert ingest.returncode == 0, ingest.stderr
    asked = cli("ask", "--json", "Who is Kurt Tong?")
    assert asked.returncode == 0, asked.stderr
    # library chatter (bm25s logs at DEBUG on its own logger) stays out of the terminal
    assert not re.search(r"^(DEBUG|INFO)\b", asked.stderr + asked.stdout, re.MULTILINE)
    data = json.loads(asked.stdout)
    assert data["abstained"] is False
    # ... unless the user asks for it
    verbose = cli("--verbose", "ask", "--json", "Who is Kurt Tong?")
    assert verbose.returncode == 0, verbose.stderr
    assert re.search(r"^INFO\b", verbose.stderr, re.MULTILINE)
    assert not re.search(r"^DEBUG\b", verbose.stderr, re.MULTILINE)
    assert sorted(int(m) for m in MARKER.findall(data["answer"])) == sorted(
        c["marker"] for c in data["citations"]
    )
    # ask ends its process without the interpreter's teardown: all it printed must be there
    plain = cli("ask", "Who is Kurt Tong?")
    assert plain.returncode == 0, plain.stderr
    assert "Kurt Tong" in plain.stdout and plain.stdout.rstrip().endswith("”")  # the last quote
    # ... and exit handlers still run (the bench's peak-memory report is one)
    hook = "import atexit; atexit.register(print, 'exit handler ran'); "
    hooked = subprocess.run(
        [sys.executable, "-c", hook + cmd[-1], "ask", "Who is Kurt Tong?"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert hooked.returncode == 0 and hooked.stdout.rstrip().endswith("exit handler ran")
    # main() turns library errors into a message and exit status 2, not a traceback
    empty = cli("ask", "   ")
    assert empty.returncode == 2
    assert "error:" in empty.stderr and "Traceback" not in empty.stderr


def test_ask_as_of_before_the_article_abstains(run: Run) -> None:
    ok(run("ingest"))
    early = json.loads(
        ok(
            run("ask", "--json", "--as-of", "2025-01-01", "What tariff rate does Japan face?")
        ).stdout
    )
    assert early["abstained"] is True and early["as_of"] == "2025-01-01"
    assert run("ask", "--as-of", "tomorrow", "Q?").exit_code == 2


@pytest.mark.integration
def test_ask_with_an_llm_backend_prints_the_verified_answer(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.servers import scripted_llm

    ok(run("ingest"))
    with scripted_llm() as llm:
        monkeypatch.setenv("BRIEFING_LLM", "openai")
        monkeypatch.setenv("BRIEFING_LLM_BASE_URL", llm.url)
        llm.script = ["good", "wrong_number"]
        good = ok(run("ask", "What tariff rate does Japan face?")).stdout
        assert "Japan faces a 24% levy" in good and "[1]" in good
        data = json.loads(ok(run("ask", "--json", "What tariff rate does Japan face?")).stdout)
        assert data["degraded"] is True and "34%" not in data["answer"]


def test_ingest_of_a_path_without_documents_fails(run: Run, tmp_path: Path) -> None:
    empty = tmp_path / "nothing.jsonl"
    empty.write_text("{oops\n", encoding="utf-8")
    result = run("ingest", str(empty))
    assert result.exit_code == 1
    assert "no documents in" in result.stderr and "nothing.jsonl:1" in result.stderr


def test_a_collection_larger_than_the_document_limit_streams_in(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    collection = tmp_path / "collection.jsonl"
    rows = [
        json.dumps({"id": f"n{i}", "title": f"Item {i}", "text": f"Harbour item {i} reopened."})
        for i in range(40)
    ]
    rows[7] = json.dumps({"id": "huge", "title": "Huge", "text": "word " * 200})
    collection.write_text("\n".join(rows) + "\n", encoding="utf-8")
    monkeypatch.setenv("BRIEFING_MAX_FILE_BYTES", "300")  # the file is ~3 KB: per record only
    result = run("ingest", str(collection))
    assert result.exit_code == 0, result.output
    assert row(result.stdout, "documents found") == 39
    assert row(result.stdout, "skipped") == 1
    assert f"{collection}:8" in result.stderr and "over the 300 limit" in result.stderr


def test_ask_names_the_other_outlets_of_a_syndicated_story(run: Run, tmp_path: Path) -> None:
    from tests.syndicated import COPIES, collection

    path = tmp_path / "wire.jsonl"
    rows = [
        {"id": d.id, "title": d.title, "text": d.text, "source": d.source, "url": d.url,
         "published": d.published.isoformat() if d.published else None}
        for d in collection()
    ]  # fmt: skip
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert run("ingest", str(path)).exit_code == 0
    result = run("ask", "How much will the Velmora terminal cost?")
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stdout.splitlines() if "also published by:" in x)
    outlets = {outlet for _, outlet, _ in COPIES}
    assert sum(outlet in line for outlet in outlets) == len(outlets) - 1
