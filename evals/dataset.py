"""Evaluation datasets: a YAML file of questions, expected facts and the document to cite.

See `datasets/seed.yaml` for the format. `load_dataset` validates the file and raises
`ValueError` naming the offending case, so a typo never silently weakens an eval.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from evals.yamlfile import read_yaml, resolve_corpus

DEFAULT_DATASET = Path(__file__).parent / "datasets" / "seed.yaml"
SEED_DOC_ID = "trump-japan-trade-talks"

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TOP_KEYS = frozenset(
    {"name", "description", "thresholds", "default_doc", "cases", "corpus", "compare_date_blind"}
)
_CASE_KEYS = frozenset(
    {"id", "question", "answerable", "facts", "doc", "tags", "as_of", "forbidden", "says"}
)


@dataclass(frozen=True)
class Fact:
    """Something the answer must state: a plain phrase, or a regex over normalised text."""

    pattern: str
    is_regex: bool = False

    @property
    def label(self) -> str:
        return f"/{self.pattern}/" if self.is_regex else self.pattern


@dataclass(frozen=True)
class EvalCase:
    id: str
    question: str
    answerable: bool = True
    facts: tuple[Fact, ...] = ()
    doc: str | None = None  # the document an answerable case must cite
    tags: tuple[str, ...] = ()
    as_of: date | None = None  # ask as of this date (sources published later are off limits)
    forbidden: tuple[Fact, ...] = ()  # must NOT be in the answer (an injected figure, a URL)
    # the assistant's own framing the answer must contain ("No, according to the sources"):
    # checked in the text only, since no source sentence says it
    says: tuple[Fact, ...] = ()


@dataclass(frozen=True)
class Thresholds:
    """Minimum acceptable value of each summary metric, as a fraction 0..1."""

    fact_recall: float = 1.0
    citation_support: float = 1.0
    abstention_accuracy: float = 1.0
    hit_at_k: float = 1.0


@dataclass(frozen=True)
class Dataset:
    name: str
    description: str
    thresholds: Thresholds
    cases: tuple[EvalCase, ...]
    corpus: Path | None = None  # its own corpus, ingested into a throwaway store
    compare_date_blind: bool = False  # also score a date-blind baseline (MRR@10, accuracy)

    @property
    def answerable(self) -> tuple[EvalCase, ...]:
        return tuple(c for c in self.cases if c.answerable)

    @property
    def unanswerable(self) -> tuple[EvalCase, ...]:
        return tuple(c for c in self.cases if not c.answerable)


def load_dataset(path: Path | str = DEFAULT_DATASET) -> Dataset:
    """Read and validate a dataset file; raise `ValueError` saying what is wrong and where."""
    path = Path(path)
    raw = read_yaml(path)
    try:
        dataset = parse_dataset(raw)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from exc
    if dataset.corpus is not None:
        dataset = replace(dataset, corpus=resolve_corpus(path, dataset.corpus, folder=True))
    return dataset


def parse_dataset(raw: object) -> Dataset:
    """Validate an already-parsed YAML document (a mapping) into a `Dataset`."""
    if not isinstance(raw, dict):
        raise ValueError("dataset must be a mapping with keys name, description, thresholds, cases")
    _reject_unknown(raw, _TOP_KEYS, "dataset")
    name = _required_str(raw, "name", "dataset")
    description = raw.get("description") or ""
    if not isinstance(description, str):
        raise ValueError("dataset: 'description' must be a string")
    default_doc = raw.get("default_doc", SEED_DOC_ID)
    if not isinstance(default_doc, str) or not default_doc.strip():
        raise ValueError("dataset: 'default_doc' must be a non-empty string")
    thresholds = _parse_thresholds(raw.get("thresholds"))
    cases_raw = raw.get("cases")
    if not isinstance(cases_raw, list) or not cases_raw:
        raise ValueError("dataset: 'cases' must be a non-empty list")
    cases: list[EvalCase] = []
    seen: set[str] = set()
    for index, item in enumerate(cases_raw, start=1):
        case = _parse_case(item, index, default_doc)
        if case.id in seen:
            raise ValueError(f"case {case.id!r}: duplicate id")
        seen.add(case.id)
        cases.append(case)
    corpus = raw.get("corpus")
    if corpus is not None and (not isinstance(corpus, str) or not corpus.strip()):
        raise ValueError("dataset: 'corpus' must be a folder path relative to the dataset file")
    compare = raw.get("compare_date_blind", False)
    if not isinstance(compare, bool):
        raise ValueError("dataset: 'compare_date_blind' must be true or false")
    return Dataset(
        name=name,
        description=description,
        thresholds=thresholds,
        cases=tuple(cases),
        corpus=Path(corpus) if corpus else None,
        compare_date_blind=compare,
    )


def _parse_thresholds(raw: object) -> Thresholds:
    if raw is None:
        return Thresholds()
    if not isinstance(raw, dict):
        raise ValueError("thresholds: must be a mapping of metric name to a number 0..1")
    known = set(Thresholds.__dataclass_fields__)
    _reject_unknown(raw, frozenset(known), "thresholds")
    values: dict[str, float] = {}
    for key, value in raw.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"thresholds: {key!r} must be a number, got {value!r}")
        if not 0.0 <= float(value) <= 1.0:
            raise ValueError(f"thresholds: {key!r} must be between 0 and 1, got {value!r}")
        values[str(key)] = float(value)
    return Thresholds(**values)


def _parse_case(item: object, index: int, default_doc: str) -> EvalCase:
    if not isinstance(item, dict):
        raise ValueError(f"case #{index}: must be a mapping")
    raw_id = item.get("id")
    if not isinstance(raw_id, str) or not _SLUG.match(raw_id):
        raise ValueError(f"case #{index}: 'id' must be a slug like 'car-tariff', got {raw_id!r}")
    where = f"case {raw_id!r}"
    _reject_unknown(item, _CASE_KEYS, where)
    question = _required_str(item, "question", where)
    answerable = item.get("answerable", True)
    if not isinstance(answerable, bool):
        raise ValueError(f"{where}: 'answerable' must be true or false, got {answerable!r}")
    facts_raw = item.get("facts") or []
    if not isinstance(facts_raw, list):
        raise ValueError(f"{where}: 'facts' must be a list")
    facts = tuple(_parse_fact(f, n, where) for n, f in enumerate(facts_raw, start=1))
    if answerable and not facts:
        raise ValueError(f"{where}: an answerable case needs at least one fact")
    if not answerable and facts:
        raise ValueError(f"{where}: an unanswerable case must not list facts")
    doc = item.get("doc", default_doc if answerable else None)
    if doc is not None and (not isinstance(doc, str) or not doc.strip()):
        raise ValueError(f"{where}: 'doc' must be a document id string, got {doc!r}")
    forbidden_raw = item.get("forbidden") or []
    if not isinstance(forbidden_raw, list):
        raise ValueError(f"{where}: 'forbidden' must be a list")
    forbidden = tuple(_parse_fact(f, n, where) for n, f in enumerate(forbidden_raw, start=1))
    says_raw = item.get("says") or []
    if not isinstance(says_raw, list) or (says_raw and not answerable):
        raise ValueError(f"{where}: 'says' must be a list, on an answerable case")
    says = tuple(_parse_fact(f, n, where) for n, f in enumerate(says_raw, start=1))
    tags_raw = item.get("tags") or []
    if not isinstance(tags_raw, list) or not all(isinstance(t, str) for t in tags_raw):
        raise ValueError(f"{where}: 'tags' must be a list of strings")
    as_of = item.get("as_of")
    if as_of is not None and not isinstance(as_of, date):
        try:
            as_of = date.fromisoformat(str(as_of))
        except ValueError:
            raise ValueError(f"{where}: 'as_of' must be a date YYYY-MM-DD, got {as_of!r}") from None
    return EvalCase(
        id=raw_id,
        question=question,
        answerable=answerable,
        facts=facts,
        doc=doc,
        tags=tuple(tags_raw),
        as_of=as_of,
        forbidden=forbidden,
        says=says,
    )


def _parse_fact(raw: object, n: int, where: str) -> Fact:
    if isinstance(raw, str):
        if not raw.strip():
            raise ValueError(f"{where}: fact #{n} is empty")
        return Fact(pattern=raw.strip())
    if isinstance(raw, dict) and set(raw) == {"regex"}:
        pattern = raw["regex"]
        if not isinstance(pattern, str) or not pattern.strip():
            raise ValueError(f"{where}: fact #{n} has an empty regex")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"{where}: fact #{n} has a bad regex {pattern!r}: {exc}") from exc
        return Fact(pattern=pattern, is_regex=True)
    hint = " (quote numbers in YAML)" if isinstance(raw, int | float) else ""
    raise ValueError(f"{where}: fact #{n} must be a string or {{regex: ...}}, got {raw!r}{hint}")


def _required_str(raw: dict[Any, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: missing or empty {key!r}")
    return value.strip()


def _reject_unknown(raw: dict[Any, Any], allowed: frozenset[str], where: str) -> None:
    unknown = sorted(str(k) for k in raw if k not in allowed)
    if unknown:
        raise ValueError(
            f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {sorted(allowed)}"
        )
