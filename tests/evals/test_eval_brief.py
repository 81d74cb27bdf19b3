"""Brief eval scoring: coverage counts facts anywhere, support needs them in a cited quote."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.types import Briefing, BriefingItem, BriefingSection, Citation
from evals.brief import (
    BRIEF_DATASET,
    is_brief_dataset,
    load_brief_dataset,
    score_briefing,
)
from evals.dataset import DEFAULT_DATASET


def _briefing(*items: BriefingItem) -> Briefing:
    return Briefing("Headline", None, (BriefingSection("summary", "S", items),), ())


def _cite(quote: str) -> Citation:
    return Citation(1, "d", "T", quote, 0, len(quote), 1.0)


def test_seed_brief_dataset_loads() -> None:
    assert is_brief_dataset(BRIEF_DATASET) and not is_brief_dataset(DEFAULT_DATASET)
    data = load_brief_dataset()
    assert len(data.facts) >= 15 and data.coverage == 0.9 and data.citation_support == 1.0


def test_support_requires_the_fact_in_the_bullets_own_quote(tmp_path: Path) -> None:
    path = tmp_path / "b.yaml"
    path.write_text(
        "kind: brief\nname: t\nthresholds: {coverage: 1.0, citation_support: 1.0}\n"
        'facts:\n  - {id: rate, fact: "24%"}\n  - {id: pause, fact: {regex: "90 days"}}\n'
    )
    data = load_brief_dataset(path)
    good = BriefingItem("24 percent levies [1]", (_cite("Japan faces 24% levies."),))
    unsupported = BriefingItem("paused 90 days [1]", (_cite("The pause is long."),))
    report = score_briefing(data, _briefing(good, unsupported))
    assert (report.coverage, report.citation_support) == (1.0, 0.5)
    assert report.failures == ("citation_support 0.500 < 1.000",)
    missing = score_briefing(data, _briefing(good))
    assert missing.coverage == 0.5 and not missing.passed


@pytest.mark.parametrize(
    "text", ["kind: brief\nfacts: []\n", "kind: brief\nfacts:\n  - {fact: x}\n", "kind: other\n"]
)
def test_bad_brief_datasets_are_rejected(tmp_path: Path, text: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ValueError):
        load_brief_dataset(path)
