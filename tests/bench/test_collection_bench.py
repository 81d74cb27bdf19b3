"""The collection benchmark drives real `briefing` processes; nothing here asserts a timing."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.collection_bench import run_collection_bench, to_markdown_lines


@pytest.mark.integration
def test_a_small_collection_runs_end_to_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_EMBEDDINGS", "hashing")  # no model load: the machinery only
    result = run_collection_bench(tmp_path, 6, tmp_path / "models", say=lambda _: None)
    assert result.documents == 6 and result.skipped == 0
    assert result.chunks > 6 * 5  # scraped pages are long: many chunks each
    assert result.peak_rss_mb > 0 and result.ingest_s > 0 and result.first_ask_s > 0
    text = "\n".join(to_markdown_lines(result))
    assert "6 documents" in text and "Peak RSS" in text
    assert "Skipped" in "\n".join(to_markdown_lines(None))
