"""The layout's house rules that no linter checks: small modules, and tests that mirror them."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 300


def test_every_module_is_small() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for folder in ("assistant", "api")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_every_stage_package_has_a_test_package() -> None:
    stages = {p.name for p in (ROOT / "assistant").iterdir() if (p / "__init__.py").is_file()}
    tested = {p.name for p in (ROOT / "tests" / "assistant").iterdir() if p.is_dir()}
    assert stages - tested == set()
