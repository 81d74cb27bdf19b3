"""Brief evals: does a briefing contain the facts a reader needs, each backed by its citation?

coverage          facts found anywhere in the briefing's text
citation_support  facts found in a bullet *and* inside a quote that same bullet cites
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.types import Briefing
from evals.dataset import Fact
from evals.metrics import fact_found
from evals.yamlfile import read_yaml, suite_kind

BRIEF_DATASET = Path(__file__).parent / "datasets" / "brief-seed.yaml"


@dataclass(frozen=True)
class BriefFact:
    id: str
    fact: Fact


@dataclass(frozen=True)
class BriefDataset:
    name: str
    description: str
    topic: str | None
    coverage: float
    citation_support: float
    facts: tuple[BriefFact, ...]


@dataclass(frozen=True)
class BriefFactResult:
    id: str
    label: str
    found: bool
    supported: bool


@dataclass(frozen=True)
class BriefReport:
    dataset: str
    briefing_id: str
    results: tuple[BriefFactResult, ...]
    coverage: float
    citation_support: float
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


def is_brief_dataset(path: Path) -> bool:
    return suite_kind(path) == "brief"


def _fact(raw: Any, where: str) -> Fact:
    if isinstance(raw, str) and raw.strip():
        return Fact(raw)
    if isinstance(raw, dict) and isinstance(raw.get("regex"), str):
        return Fact(raw["regex"], is_regex=True)
    raise ValueError(f"{where}: a fact is a non-empty string or {{regex: ...}}")


def load_brief_dataset(path: Path = BRIEF_DATASET) -> BriefDataset:
    raw = read_yaml(Path(path))
    if not isinstance(raw, dict) or raw.get("kind") != "brief":
        raise ValueError(f"{path}: not a brief dataset (needs `kind: brief`)")
    thresholds = raw.get("thresholds") or {}
    facts = raw.get("facts")
    if not isinstance(facts, list) or not facts:
        raise ValueError(f"{path}: `facts` must be a non-empty list")
    parsed = []
    for n, item in enumerate(facts, start=1):
        if not isinstance(item, dict) or not item.get("id"):
            raise ValueError(f"{path}: fact #{n} needs an `id` and a `fact`")
        parsed.append(BriefFact(str(item["id"]), _fact(item.get("fact"), f"{path}: {item['id']}")))
    return BriefDataset(
        name=str(raw.get("name") or Path(path).stem),
        description=str(raw.get("description") or ""),
        topic=raw.get("topic"),
        coverage=float(thresholds.get("coverage", 0.9)),
        citation_support=float(thresholds.get("citation_support", 1.0)),
        facts=tuple(parsed),
    )


def score_briefing(dataset: BriefDataset, briefing: Briefing) -> BriefReport:
    items = [i for s in briefing.sections for i in s.items]
    everything = " ".join([briefing.headline, *(i.text for i in items)])
    results = []
    for f in dataset.facts:
        found = fact_found(f.fact, everything)
        supported = any(
            fact_found(f.fact, i.text) and any(fact_found(f.fact, c.quote) for c in i.citations)
            for i in items
        )
        results.append(BriefFactResult(f.id, f.fact.label, found, supported))
    total = len(results) or 1
    coverage = sum(r.found for r in results) / total
    support = sum(r.supported for r in results) / total
    failures = []
    if coverage < dataset.coverage:
        failures.append(f"coverage {coverage:.3f} < {dataset.coverage:.3f}")
    if support < dataset.citation_support:
        failures.append(f"citation_support {support:.3f} < {dataset.citation_support:.3f}")
    return BriefReport(
        dataset.name, briefing.id, tuple(results), coverage, support, tuple(failures)
    )


def run_brief_eval(brief: Callable[[str | None], Briefing], dataset: BriefDataset) -> BriefReport:
    return score_briefing(dataset, brief(dataset.topic))


def brief_to_json(report: BriefReport) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "kind": "brief",
        "dataset": report.dataset,
        "briefing_id": report.briefing_id,
        "summary": {"coverage": report.coverage, "citation_support": report.citation_support},
        "passed": report.passed,
        "failures": list(report.failures),
        "facts": [r.__dict__ for r in report.results],
    }


def brief_to_markdown(report: BriefReport) -> str:
    lines = [
        f"# Brief eval: {report.dataset}",
        "",
        f"Briefing `{report.briefing_id}` · coverage **{report.coverage:.0%}** · citation "
        f"support **{report.citation_support:.0%}** · {'PASS' if report.passed else 'FAIL'}",
        "",
        "| fact | in briefing | in a cited quote |",
        "|---|---|---|",
    ]
    for r in report.results:
        lines.append(f"| {r.id} | {'✓' if r.found else '✗'} | {'✓' if r.supported else '✗'} |")
    return "\n".join(lines) + "\n"
