"""`briefing eval --corpus C.jsonl --questions Q.jsonl` end to end (hashing embedder, temp dirs)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from assistant.cli.commands import app
from assistant.config import get_settings

DOCS = [
    {"id": "strike", "title": "Dock strike", "published": "2026-01-12",
     "text": "Some 3,400 dockworkers at Kelmora walked out on Monday. They want a 14% rise."},
    {"id": "tunnel", "title": "Tunnel tender", "published": "2026-01-08",
     "text": "Brannholt-Sayre won tender RT-7/2026. The tunnel will be 11.4 km long."},
    {"id": "storm", "title": "Storm", "published": "2026-01-09",
     "text": "Storm Edda closed the harbour for two days."},
]  # fmt: skip
QUESTIONS = [
    {"id": "strikers", "question": "How many dockworkers walked out at Kelmora?",
     "answers": ["3,400"], "gold_doc_ids": ["strike"], "answerable": True},
    {"id": "winner", "question": "Who won tender RT-7/2026?", "answers": ["Brannholt-Sayre"],
     "gold_doc_ids": ["tunnel"], "answerable": True},
    {"id": "mayor", "question": "What did the mayor of Kelmora eat for breakfast?",
     "answers": [], "gold_doc_ids": [], "answerable": False},
]  # fmt: skip
Run = Callable[..., Result]


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    for key in list(os.environ):
        if key.startswith("BRIEFING_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("BRIEFING_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BRIEFING_EMBEDDINGS", "hashing")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        get_settings.cache_clear()
        return runner.invoke(app, list(args))

    return invoke


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def external(tmp_path: Path, run: Run, *extra: str) -> Result:
    corpus = write_jsonl(tmp_path / "c.jsonl", DOCS)
    questions = write_jsonl(tmp_path / "q.jsonl", QUESTIONS)
    return run("eval", "--corpus", str(corpus), "--questions", str(questions),
               "--out", str(tmp_path / "out"), *extra)  # fmt: skip


def test_reports_every_metric_with_intervals_and_spares_the_production_store(
    tmp_path: Path, run: Run
) -> None:
    result = external(tmp_path, run, "--json")
    assert result.exit_code == 0, (result.output, result.exception)
    data = json.loads(result.stdout)
    assert data["kind"] == "external-qa" and data["documents"] == 3
    expected = {"hits_at_1", "hits_at_4", "hits_at_10", "mrr_at_10", "answer_contains",
                "exact_match", "token_f1", "abstention_precision", "abstention_recall",
                "citation_precision", "latency_p50_ms", "latency_p95_ms"}  # fmt: skip
    assert expected <= set(data["metrics"])
    for estimate in data["metrics"].values():
        assert estimate["low"] <= estimate["value"] <= estimate["high"]
    assert data["metrics"]["hits_at_10"]["n"] == 2  # only questions with gold documents
    assert [i["id"] for i in data["items"]] == ["strikers", "winner", "mayor"]
    assert (tmp_path / "out" / "eval-external-q.md").is_file()
    assert json.loads((tmp_path / "out" / "eval-external-q.json").read_text(encoding="utf-8"))
    assert not (tmp_path / "data" / "chroma").exists(), "the production store was touched"
    assert len(list((tmp_path / "data" / "eval-stores").iterdir())) == 1


def test_second_run_reuses_the_ingest_and_compares(tmp_path: Path, run: Run) -> None:
    assert external(tmp_path, run).exit_code == 0
    previous = tmp_path / "previous.json"
    previous.write_bytes((tmp_path / "out" / "eval-external-q.json").read_bytes())
    result = external(tmp_path, run, "--compare", str(previous), "--limit", "2")
    assert result.exit_code == 0, result.output
    assert "chunks written   0" in result.stdout  # unchanged corpus: nothing re-embedded
    assert "Compared with the previous report" in result.stdout
    assert "first 2 questions" in result.stdout


def test_malformed_questions_name_file_and_line(tmp_path: Path, run: Run) -> None:
    corpus = write_jsonl(tmp_path / "c.jsonl", DOCS)
    questions = tmp_path / "bad.jsonl"
    questions.write_text(json.dumps(QUESTIONS[0]) + "\n{oops\n", encoding="utf-8")
    result = run("eval", "--corpus", str(corpus), "--questions", str(questions))
    assert result.exit_code == 2
    assert f"{questions}:2: malformed JSON" in " ".join(result.stderr.split())


def test_options_that_need_an_external_set_are_refused(run: Run) -> None:
    result = run("eval", "--limit", "3")
    assert result.exit_code == 2 and "only apply with --corpus" in result.stderr
    assert run("eval", "--corpus", "c.jsonl").exit_code == 2


def test_compare_retrieval_scores_every_mode(tmp_path: Path, run: Run) -> None:
    result = external(tmp_path, run, "--json", "--retrieval", "hybrid", "--compare-retrieval")
    assert result.exit_code == 0, (result.output, result.exception)
    data = json.loads(result.stdout)
    assert data["retrieval_mode"] == "hybrid"
    assert set(data["retrieval_comparison"]) == {"dense", "lexical", "hybrid"}
    assert all("mrr_at_10" in m for m in data["retrieval_comparison"].values())


def test_selector_eval_says_what_is_missing(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_DATASETS_DIR", str(tmp_path / "nowhere"))
    monkeypatch.setenv("BRIEFING_ANSWER_SELECTOR", "packaged")
    result = run("eval", "--selector")
    assert result.exit_code == 2
    assert "datasets not found" in result.output and "BRIEFING_DATASETS_DIR" in result.output
    monkeypatch.setenv("BRIEFING_ANSWER_SELECTOR", "off")
    result = run("eval", "--selector")
    assert result.exit_code == 2 and "selector is off" in result.output
    result = run("eval", "--selector", "evals/datasets/seed.yaml")
    assert result.exit_code == 2 and "give no suites" in result.output


def test_a_corpus_that_yields_no_documents_is_refused(tmp_path: Path, run: Run) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("{oops\n", encoding="utf-8")
    questions = write_jsonl(tmp_path / "q.jsonl", QUESTIONS[2:])
    for extra in ((), ("--allow-skipped",)):
        result = run("eval", "--corpus", str(corpus), "--questions", str(questions), *extra)
        assert result.exit_code == 2, result.output
        assert "error" in result.stderr and "c.jsonl" in result.stderr


def test_a_corpus_the_store_cannot_take_is_not_scored(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    # every record is over the per-document limit: the eval must not score an empty store
    monkeypatch.setenv("BRIEFING_MAX_FILE_BYTES", "40")
    result = external(tmp_path, run)
    assert result.exit_code == 2, result.output
    assert "over the 40 limit" in " ".join(result.stderr.split())
    assert not (tmp_path / "out" / "eval-external-q.json").exists()


def test_a_broken_record_is_skipped_only_when_allowed(tmp_path: Path, run: Run) -> None:
    corpus = tmp_path / "c.jsonl"
    lines = [json.dumps(DOCS[0]), json.dumps(DOCS[1]), '{"id": "broken", "title": ',
             json.dumps(DOCS[2])]  # fmt: skip
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    questions = write_jsonl(tmp_path / "q.jsonl", QUESTIONS)
    args = ("eval", "--corpus", str(corpus), "--questions", str(questions), "--out", "out")
    refused = run(*args)
    assert refused.exit_code == 2
    assert f"{corpus}:3: malformed JSON" in " ".join(refused.stderr.split())
    allowed = run(*args, "--allow-skipped", "--json")
    assert allowed.exit_code == 0, allowed.output
    data = json.loads(allowed.stdout)
    assert data["documents"] == 3 and data["skipped_records"] == 1 and data["chunks"] >= 3
