"""Multi-turn conversation suites (`kind: conversations`): follow-ups asked in one session.

Each conversation's turns go through `Assistant.chat` with the session id the first turn
created, so a follow-up ("And on cars?") is answered from the history as a user would get it.
A turn is scored like a question-suite case (facts stated, facts inside a cited quote, the
expected document cited — any of `docs` when near-duplicates carry the same fact — and the
abstention decision), plus citation precision (`evals.citecheck`). A conversation passes when
every turn does. Turns use the question-suite case format (see `evals/dataset.py`).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from assistant.assistant import Assistant
from evals.citecheck import check_answer
from evals.dataset import SEED_DOC_ID, EvalCase, parse_dataset
from evals.metrics import CaseResult, score_case
from evals.yamlfile import read_yaml, resolve_corpus, suite_kind

_TOP = frozenset({"kind", "name", "description", "corpus", "default_doc", "thresholds",
                  "conversations"})  # fmt: skip
_THRESHOLDS = ("conversation_pass_rate", "turn_pass_rate", "citation_precision")


@dataclass(frozen=True)
class Turn:
    case: EvalCase
    docs: tuple[str, ...]  # any of these counts as citing the expected document


@dataclass(frozen=True)
class Conversation:
    id: str
    turns: tuple[Turn, ...]


@dataclass(frozen=True)
class ConversationSuite:
    name: str
    description: str
    conversations: tuple[Conversation, ...]
    thresholds: tuple[tuple[str, float], ...]
    corpus: Path | None = None  # a corpus file or folder, ingested into a throwaway store


@dataclass(frozen=True)
class TurnResult:
    result: CaseResult
    docs: tuple[str, ...]
    hit: bool  # one of the turn's `docs` is cited
    citations: int
    citations_supported: int

    @property
    def passed(self) -> bool:
        r = self.result
        if not r.answerable:
            return r.abstention_correct
        facts_ok = all(r.facts_found) and all(r.citation_supported)
        return r.abstention_correct and facts_ok and self.hit


def is_conversation_dataset(path: Path) -> bool:
    return suite_kind(path) == "conversations"


def load_conversations(path: Path) -> ConversationSuite:
    """Validate a conversation suite; ValueError names the file and the bad conversation/turn."""
    raw = read_yaml(path)
    try:
        suite = _parse(raw)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None
    if suite.corpus is not None:
        suite = replace(suite, corpus=resolve_corpus(path, suite.corpus, folder=False))
    return suite


def _parse(raw: Any) -> ConversationSuite:
    if not isinstance(raw, dict):
        raise ValueError("a conversation suite must be a mapping")
    unknown = sorted(set(raw) - _TOP)
    if unknown:
        raise ValueError(f"unknown key(s) {', '.join(unknown)}; allowed: {sorted(_TOP)}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError("missing or empty 'name'")
    default_doc = raw.get("default_doc", SEED_DOC_ID)
    items = raw.get("conversations")
    if not isinstance(items, list) or not items:
        raise ValueError("'conversations' must be a non-empty list")
    conversations = [_conversation(c, n, default_doc) for n, c in enumerate(items, start=1)]
    ids = [c.id for c in conversations]
    if len(set(ids)) != len(ids):
        raise ValueError("conversation ids must be unique")
    thresholds = raw.get("thresholds") or {}
    if not isinstance(thresholds, dict) or set(thresholds) - set(_THRESHOLDS):
        raise ValueError(f"'thresholds' may set {', '.join(_THRESHOLDS)}")
    corpus = raw.get("corpus")
    return ConversationSuite(
        name=name.strip(),
        description=str(raw.get("description") or ""),
        conversations=tuple(conversations),
        thresholds=tuple((k, float(v)) for k, v in thresholds.items()),
        corpus=Path(corpus) if corpus else None,
    )


def _conversation(raw: Any, n: int, default_doc: str) -> Conversation:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise ValueError(f"conversation #{n}: needs an 'id' and 'turns'")
    turns_raw = raw.get("turns")
    if not isinstance(turns_raw, list) or len(turns_raw) < 2:
        raise ValueError(f"conversation {raw['id']!r}: 'turns' must list at least two turns")
    turns, cases = [], []
    for t, turn in enumerate(turns_raw, start=1):
        if not isinstance(turn, dict):
            raise ValueError(f"conversation {raw['id']!r}: turn {t} must be a mapping")
        docs = turn.get("docs", [])
        if not isinstance(docs, list) or not all(isinstance(d, str) for d in docs):
            raise ValueError(f"conversation {raw['id']!r}: turn {t}: 'docs' must list doc ids")
        case = {k: v for k, v in turn.items() if k != "docs"} | {"id": f"{raw['id']}-t{t}"}
        if docs and "doc" not in case:
            case["doc"] = docs[0]
        cases.append(case)
        turns.append(tuple(docs))
    parsed = parse_dataset({"name": raw["id"], "default_doc": default_doc, "cases": cases})
    return Conversation(
        raw["id"],
        tuple(
            Turn(c, d or ((c.doc,) if c.doc else ()))
            for c, d in zip(parsed.cases, turns, strict=True)
        ),
    )


def run_conversation(assistant: Assistant, conversation: Conversation) -> tuple[TurnResult, ...]:
    session: str | None = None
    results = []
    for turn in conversation.turns:
        started = time.perf_counter()
        answer, session = assistant.chat(turn.case.question, session)
        result = score_case(turn.case, answer, (time.perf_counter() - started) * 1000)
        checks = check_answer(answer)
        results.append(
            TurnResult(
                result=result,
                docs=turn.docs,
                hit=bool(set(turn.docs) & set(result.cited_docs)),
                citations=sum(len(c.markers) for c in checks),
                citations_supported=sum(len(c.supported_markers) for c in checks),
            )
        )
    return tuple(results)


@contextmanager
def isolated(assistant: Assistant, corpus: Path | None) -> Iterator[Assistant]:
    """The suite's own corpus (file or folder) in a temp store, sharing the loaded embedder."""
    if corpus is None:
        yield assistant
        return
    with tempfile.TemporaryDirectory(prefix="briefing-conv-") as tmp:
        folder = corpus if corpus.is_dir() else corpus.parent
        settings = assistant.settings.model_copy(
            update={"data_dir": Path(tmp), "corpus_dir": folder, "chroma_url": None}
        )
        other = Assistant(settings, embeddings=assistant.embeddings)
        try:
            other.ingest([corpus])
            yield other
        finally:
            other.close()
