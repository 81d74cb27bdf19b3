"""The CLI on careless input: a one-line error and an exit code, never a traceback, and
nothing saved for a command that cannot finish."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli.commands import app
from assistant.config import get_settings
from tests.assistant.cli.test_commands import Run, dirs, ok, run  # noqa: F401  (fixtures)

MAIN = [sys.executable, "-c", "from assistant.cli.commands import main; main()"]


def test_brief_out_to_a_folder_or_nowhere_is_refused_before_saving(
    run: Run,  # noqa: F811
    tmp_path: Path,
) -> None:
    ok(run("ingest"))
    for target in (tmp_path, tmp_path / "no-such-folder" / "b.md"):
        result = run("brief", "--out", str(target))
        assert result.exit_code == 2 and "--out" in result.output, result.output
    listed = run("brief", "--since", "last")  # nothing was saved to compare with
    assert listed.exit_code == 2 and "no earlier briefing" in listed.output


def test_brief_out_picks_the_format_from_the_file_name(run: Run, tmp_path: Path) -> None:  # noqa: F811
    ok(run("ingest"))
    ok(run("brief", "--out", str(tmp_path / "b.html")))
    assert (tmp_path / "b.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    ok(run("brief", "--out", str(tmp_path / "b.json")))
    assert (tmp_path / "b.json").read_text(encoding="utf-8").lstrip().startswith("{")


def test_serve_refuses_a_port_out_of_range() -> None:
    result = CliRunner().invoke(app, ["serve", "--port", "99999"])
    assert result.exit_code == 2 and "65535" in result.output


def cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    base.update({"BRIEFING_EMBEDDINGS": "hashing", "BRIEFING_DATA_DIR": str(tmp_path / "data"),
                 **env})  # fmt: skip
    return subprocess.run([*MAIN, *args], env=base, cwd=tmp_path, capture_output=True,
                          timeout=120)  # fmt: skip


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"BRIEFING_CORPUS_DIR": ""}, "BRIEFING_CORPUS_DIR is empty"),
        ({"BRIEFING_MAX_QUESTION_CHARS": "many"}, "BRIEFING_MAX_QUESTION_CHARS"),
        ({"BRIEFING_DATA_DIR": "/proc/no-such-dir"}, "cannot use the data directory"),
    ],
)
def test_a_bad_setting_is_named_without_a_traceback(
    tmp_path: Path, env: dict[str, str], says: str
) -> None:
    get_settings.cache_clear()
    done = cli(tmp_path, "documents", **env)
    err = done.stderr.decode()
    assert done.returncode == 2, err
    assert says in " ".join(err.split()) and "Traceback" not in err


def test_a_question_with_bytes_that_are_not_utf8_is_refused(tmp_path: Path) -> None:
    done = cli(tmp_path, "ask", os.fsdecode(b"What tariff \xff\xfe does Japan face?"))
    err = done.stderr.decode()
    assert done.returncode == 2 and "not valid text" in " ".join(err.split()), err
    assert "Traceback" not in err


def test_add_names_a_folder_and_a_file_type_it_cannot_read(run: Run, tmp_path: Path) -> None:  # noqa: F811
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    folder = run("add", str(tmp_path))
    assert folder.exit_code == 1 and "briefing ingest" in folder.output
    csv = run("add", str(tmp_path / "notes.csv"))
    assert csv.exit_code == 1 and "unsupported file type" in csv.output
    assert run("documents", "--json").output.strip() in ("[]", "")
