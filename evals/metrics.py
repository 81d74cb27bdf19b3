"""Scoring: does an `Answer` state the expected facts, backed by quotes from the expected doc?

Matching runs on `normalise`d text, so "24 percent", "24 per cent" and "24%" are the same fact,
as are "ninety days", "90-day" and "90 days".
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from assistant.types import Answer
from evals.dataset import EvalCase, Fact, Thresholds

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_DIGIT_WORDS = "|".join(k for k, v in _UNITS.items() if v < 10)
_TENS_WORDS = "|".join(_TENS)
_ALL_WORDS = "|".join([*_UNITS, *_TENS, "hundred"])

_QUOTES = str.maketrans(
    dict.fromkeys("‘’‚‛", "'") | dict.fromkeys("“”„‟", '"') | dict.fromkeys("–—‑", "-")
)
_COMPOUND = re.compile(rf"\b({_TENS_WORDS})[\s-]+({_DIGIT_WORDS})\b")
_HUNDREDS = re.compile(rf"\b({_DIGIT_WORDS})\s+hundred\b")
_NUMBER_WORD = re.compile(rf"\b({_ALL_WORDS})\b")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_PERCENT = re.compile(r"(?<=\d)\s*(?:per[\s-]?cent\b|pct\b|%)")
_DURATION = re.compile(r"\b(\d+(?:\.\d+)?)[\s-]+(day|week|month|year)s?\b")
_WORD_HYPHEN = re.compile(r"(?<=[a-z])-(?=[a-z])")
_SPACE = re.compile(r"\s+")


def _word_value(word: str) -> int:
    return 100 if word == "hundred" else _UNITS.get(word) or _TENS[word]


def normalise(text: str) -> str:
    """Lowercase and canonicalise numbers, percentages, durations, quotes and whitespace."""
    text = text.translate(_QUOTES).lower()
    text = _COMPOUND.sub(lambda m: str(_TENS[m[1]] + _UNITS[m[2]]), text)
    text = _HUNDREDS.sub(lambda m: str(_UNITS[m[1]] * 100), text)
    text = _NUMBER_WORD.sub(lambda m: str(_word_value(m[1])), text)
    text = _THOUSANDS.sub("", text)
    text = _PERCENT.sub("%", text)
    text = _DURATION.sub(lambda m: f"{m[1]} {m[2]}s", text)
    text = _WORD_HYPHEN.sub(" ", text)  # "first-mover" == "first mover"
    return _SPACE.sub(" ", text).strip()


@lru_cache(maxsize=1024)
def _compile(fact: Fact) -> re.Pattern[str]:
    if fact.is_regex:
        return re.compile(fact.pattern, re.IGNORECASE)
    phrase = normalise(fact.pattern)
    # A fact must not match inside a longer word or number: "10%" is not in "110%" or "1.10%".
    left = r"(?<!\w)(?<!\d[.,])" if phrase[:1].isalnum() else ""
    right = r"(?!\d)(?![.,]\d)" if phrase[-1:].isdigit() else ""
    return re.compile(left + re.escape(phrase) + right)


def fact_found(fact: Fact, text: str) -> bool:
    """Whether `text` states `fact` (case-insensitive, after `normalise` on both sides)."""
    return _compile(fact).search(normalise(text)) is not None


@dataclass(frozen=True)
class CaseResult:
    case_id: str
    question: str
    answerable: bool
    abstained: bool
    answer: str
    facts: tuple[Fact, ...]
    facts_found: tuple[bool, ...]  # per fact: stated in the answer text
    citation_supported: tuple[bool, ...]  # per fact: contained in at least one citation's quote
    expected_doc: str | None
    cited_docs: tuple[str, ...]
    hit: bool  # the expected doc is among the citations
    cited_expected_doc: bool  # a citation from the expected doc supports at least one fact
    abstention_correct: bool  # abstained == (not answerable)
    latency_ms: float
    forbidden_found: tuple[Fact, ...] = ()  # forbidden phrases the answer states anyway
    says_missing: tuple[Fact, ...] = ()  # expected framing the answer lacks

    @property
    def missing_facts(self) -> tuple[Fact, ...]:
        return tuple(f for f, ok in zip(self.facts, self.facts_found, strict=True) if not ok)

    @property
    def unsupported_facts(self) -> tuple[Fact, ...]:
        return tuple(f for f, ok in zip(self.facts, self.citation_supported, strict=True) if not ok)

    @property
    def passed(self) -> bool:
        if self.forbidden_found or self.says_missing:
            return False
        if not self.answerable:
            return self.abstention_correct
        return (
            self.abstention_correct
            and all(self.facts_found)
            and all(self.citation_supported)
            and self.hit
        )


def score_case(case: EvalCase, answer: Answer, latency_ms: float) -> CaseResult:
    """Score one answer against its case; see `CaseResult` for what each field means."""
    quotes = [(c.doc_id, c.quote) for c in answer.citations]
    found = tuple(fact_found(f, answer.answer) for f in case.facts)
    supported = tuple(any(fact_found(f, q) for _, q in quotes) for f in case.facts)
    expected_supports = any(
        doc_id == case.doc and fact_found(f, quote) for f in case.facts for doc_id, quote in quotes
    )
    cited_docs = tuple(dict.fromkeys(c.doc_id for c in answer.citations))
    return CaseResult(
        case_id=case.id,
        question=case.question,
        answerable=case.answerable,
        abstained=answer.abstained,
        answer=answer.answer,
        facts=case.facts,
        facts_found=found,
        citation_supported=supported,
        expected_doc=case.doc,
        cited_docs=cited_docs,
        hit=case.doc is not None and case.doc in cited_docs,
        cited_expected_doc=expected_supports,
        abstention_correct=answer.abstained == (not case.answerable),
        latency_ms=latency_ms,
        forbidden_found=tuple(f for f in case.forbidden if fact_found(f, answer.answer)),
        says_missing=tuple(f for f in case.says if not fact_found(f, answer.answer)),
    )


@dataclass(frozen=True)
class Summary:
    """Aggregate figures. Ratios are 0..1 and read as 1.0 when there is nothing to count."""

    fact_recall: float  # facts stated / facts expected (answerable cases)
    citation_support: float  # facts inside a cited quote / facts expected (answerable cases)
    abstention_accuracy: float  # correct abstain decisions / all cases
    hit_at_k: float  # answerable cases citing their expected doc / answerable cases
    latency_p50_ms: float
    latency_p95_ms: float
    cases_passed: int
    cases_total: int
    facts_expected: int
    facts_found: int
    facts_supported: int

    def meets(self, thresholds: Thresholds) -> list[str]:
        """Describe each metric below its threshold; an empty list means the run passes."""
        failures = []
        for name in ("fact_recall", "citation_support", "abstention_accuracy", "hit_at_k"):
            value: float = getattr(self, name)
            limit: float = getattr(thresholds, name)
            if value + 1e-9 < limit:
                failures.append(f"{name} {value:.3f} < {limit:.3f}")
        return failures


def summarise(results: Sequence[CaseResult]) -> Summary:
    answerable = [r for r in results if r.answerable]
    expected = sum(len(r.facts) for r in answerable)
    found = sum(sum(r.facts_found) for r in answerable)
    supported = sum(sum(r.citation_supported) for r in answerable)
    latencies = sorted(r.latency_ms for r in results)
    return Summary(
        fact_recall=_ratio(found, expected),
        citation_support=_ratio(supported, expected),
        abstention_accuracy=_ratio(sum(r.abstention_correct for r in results), len(results)),
        hit_at_k=_ratio(sum(r.hit for r in answerable), len(answerable)),
        latency_p50_ms=percentile(latencies, 50),
        latency_p95_ms=percentile(latencies, 95),
        cases_passed=sum(r.passed for r in results),
        cases_total=len(results),
        facts_expected=expected,
        facts_found=found,
        facts_supported=supported,
    )


def percentile(values: Sequence[float], pct: float) -> float:
    """Linear-interpolated percentile of `values` (0.0 when empty)."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = (len(ordered) - 1) * pct / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 1.0
