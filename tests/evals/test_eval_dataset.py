from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.types import Answer, Citation
from evals.dataset import DEFAULT_DATASET, Fact, load_dataset
from evals.metrics import fact_found, normalise
from evals.runner import run_eval

ARTICLE = Path(__file__).resolve().parents[2] / "corpus" / "trump-japan-trade-talks.md"
SEED_DOC = "trump-japan-trade-talks"


def article_body() -> str:
    """The article text without its YAML front matter (whose notes are not source text)."""
    text = ARTICLE.read_text(encoding="utf-8")
    _, front_matter, body = text.split("---\n", 2)
    assert "id: trump-japan-trade-talks" in front_matter
    return body


def test_seed_dataset_loads_with_enough_cases() -> None:
    dataset = load_dataset(DEFAULT_DATASET)
    assert dataset.name == "seed"
    assert len(dataset.answerable) >= 20
    assert len(dataset.unanswerable) >= 5
    assert all(c.doc == SEED_DOC for c in dataset.answerable)
    assert all(c.doc is None and not c.facts for c in dataset.unanswerable)
    thresholds = dataset.thresholds
    values = (
        thresholds.fact_recall,
        thresholds.citation_support,
        thresholds.abstention_accuracy,
        thresholds.hit_at_k,
    )
    # Regression floors: real gates (well above zero), at most the 1.0 target.
    assert all(0.8 <= v <= 1.0 for v in values), values


def test_every_fact_is_in_the_article() -> None:
    """Guards the dataset: a fact the source does not contain can never be cited."""
    body = article_body()
    missing = [
        f"{case.id}: {fact.label}"
        for case in load_dataset(DEFAULT_DATASET).answerable
        for fact in case.facts
        if not fact_found(fact, body)
    ]
    assert missing == []


def test_unanswerable_topics_are_absent_from_the_article() -> None:
    text = normalise(article_body())
    for word in ("china", "chinese", "gdp", "steel", "bank of japan", "interest rate", "nikkei"):
        assert re.search(rf"\b{word}\b", text) is None, word


def test_seed_questions_are_not_all_verbatim_article_sentences() -> None:
    body = normalise(article_body())
    questions = [normalise(c.question.rstrip("?")) for c in load_dataset(DEFAULT_DATASET).cases]
    assert not any(q in body for q in questions)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ds.yaml"
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "name: t\ncases:\n"
ONE_CASE = "cases:\n  - {id: a, question: q, facts: [x]}\n"


@pytest.mark.parametrize(
    ("cases", "message"),
    [
        ("  - id: a\n    facts: [x]\n", r"case 'a': missing or empty 'question'"),
        (
            "  - {id: a, question: q, facts: [x]}\n  - {id: a, question: q2, facts: [y]}\n",
            r"case 'a': duplicate id",
        ),
        ("  - {id: a, question: q}\n", r"case 'a': an answerable case needs at least one fact"),
        ("  - {id: a, question: q, facts: [{regex: '(unclosed'}]}\n", r"case 'a': .*bad regex"),
        ("  - {id: a, question: q, facts: [24]}\n", r"case 'a': fact #1 .*quote numbers"),
        ("  - {id: a, question: q, answerable: nope, facts: [x]}\n", r"case 'a': 'answerable'"),
        ("  - {id: a, question: q, answerable: false, facts: [x]}\n", r"must not list facts"),
        ("  - {id: a, question: q, fact: [x]}\n", r"case 'a': unknown key\(s\) fact"),
        ("  - {id: Not A Slug, question: q, facts: [x]}\n", r"case #1: 'id' must be a slug"),
    ],
)
def test_bad_cases_raise_value_error_naming_the_problem(
    tmp_path: Path, cases: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        load_dataset(write(tmp_path, HEADER + cases))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- just a list\n", r"must be a mapping"),
        ("name: t\ncases: []\n", r"'cases' must be a non-empty list"),
        (ONE_CASE, r"missing or empty 'name'"),
        ("name: t\nthresholds: {fact_recall: 1.5}\n" + ONE_CASE, r"between 0 and 1"),
        ("name: t\nthresholds: {recall: 1}\n" + ONE_CASE, r"thresholds: unknown key\(s\) recall"),
        ("name: [unclosed\n", r"not valid YAML"),
    ],
)
def test_bad_datasets_raise_value_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_dataset(write(tmp_path, text))


def test_defaults_and_regex_facts(tmp_path: Path) -> None:
    text = HEADER + (
        "  - id: a\n    question: q\n    facts: ['24 percent', {regex: 'ishiba'}]\n"
        "  - {id: b, question: q2, answerable: false}\n"
        "  - {id: c, question: q3, facts: [x], doc: other-doc, tags: [t1]}\n"
    )
    dataset = load_dataset(write(tmp_path, text))
    a, b, c = dataset.cases
    assert a.facts == (Fact("24 percent"), Fact("ishiba", is_regex=True))
    assert a.answerable and a.doc == SEED_DOC
    assert not b.answerable and b.doc is None
    assert c.doc == "other-doc" and c.tags == ("t1",)
    assert dataset.thresholds.fact_recall == 1.0


def test_one_sentence_extractive_oracle_meets_every_threshold() -> None:
    """Each answerable case is answerable by quoting one article sentence, facts kept minimal."""
    body = article_body()
    sentences = [m for m in re.finditer(r"\S.*?(?:[.!?]\"?(?=\s|$)|$)", body, re.DOTALL)]
    dataset = load_dataset(DEFAULT_DATASET)
    by_question = {c.question: c for c in dataset.cases}

    def ask(question: str) -> Answer:
        case = by_question[question]
        if not case.answerable:
            return Answer(question, "The sources do not say.", abstained=True)
        match = next(
            m for m in sentences if all(fact_found(f, m.group()) for f in case.facts)
        )  # StopIteration here means the facts span several sentences
        quote = match.group()
        citation = Citation(1, SEED_DOC, "t", quote, match.start(), match.end(), 1.0)
        return Answer(question, f"{quote} [1]", abstained=False, citations=(citation,))

    report = run_eval(ask, dataset)
    assert report.failures == ()
    assert report.summary.cases_passed == report.summary.cases_total
