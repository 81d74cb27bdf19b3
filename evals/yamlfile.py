"""Reading eval suite files: one place that turns a bad file into a `ValueError` naming it."""

from __future__ import annotations

from pathlib import Path

import yaml


def read_yaml(path: Path) -> object:
    """The parsed document; unreadable or malformed YAML is a `ValueError` naming the file."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"{path}: cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML: {exc}") from exc


def suite_kind(path: Path) -> str | None:
    """The `kind:` a suite file declares (None: unreadable, or a plain question suite)."""
    try:
        raw = read_yaml(path)
    except ValueError:
        return None
    kind = raw.get("kind") if isinstance(raw, dict) else None
    return kind if isinstance(kind, str) else None


def resolve_corpus(path: Path, corpus: Path, *, folder: bool) -> Path:
    """A suite's `corpus:` relative to the suite file, which must exist (as a folder if asked)."""
    resolved = (path.parent / corpus).resolve()
    if not (resolved.is_dir() if folder else resolved.exists()):
        what = "corpus folder" if folder else "corpus"
        raise ValueError(f"{path}: {what} {resolved} does not exist")
    return resolved
