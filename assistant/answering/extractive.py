"""The offline answerer: pick the source sentences that answer the question and quote them.

No LLM, so nothing can be invented: every sentence in the answer is a verbatim source span.
The risk is quoting something loosely related, so each sentence is scored (embedding similarity
plus coverage of the question's terms plus a check that it holds the *kind* of thing asked for)
and the answerer abstains when the best score is below the threshold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from assistant.answering.answerability import Answerability, Scored
from assistant.answering.asked import QuestionForm
from assistant.answering.combiner import Signals
from assistant.answering.dated import render_dated, supersede
from assistant.answering.evidence import Evidence, render, sentences_of
from assistant.answering.kinds import wants_figure
from assistant.answering.parts import not_covered, question_parts
from assistant.answering.premise import lead_in
from assistant.answering.request import ComposeRequest, StreamEvent, replay
from assistant.answering.selector import AnswerSelector
from assistant.answering.similarity import cosines
from assistant.answering.vocabulary import Vocabulary
from assistant.language.lexicon import Concept, Lexicon, load_lexicon, wording
from assistant.language.words import content_terms, numbers_in
from assistant.search.retrieval import VectorCache
from assistant.statements import ShapeStatements, StatementFilter
from assistant.time.relative_dates import fmt_day
from assistant.time.temporal import TimeContext
from assistant.types import Answer, Passage

NO_ANSWER = "The sources I have don't answer that."
UNKNOWN_NAME_PENALTY = 0.2
HEADLINE_PENALTY = 0.1
CONTEXT_WEIGHT = 0.75  # a name found only in the sentence's passage, not in the sentence
SECOND_SENTENCE_MARGIN = 0.12  # a runner-up this close to the best is part of the answer
# A figure question ("what tariff rate applies?") often has more than one current figure in the
# sources (a paused rate and the rate still in force): every figure above the bar is quoted.
FIGURE_MARGIN = 0.35


def _coverage(terms: list[str], sentence: str, vocabulary: Vocabulary | None = None) -> float:
    """Share of the question's terms the sentence contains, rare terms weighing more."""
    if not terms:
        return 0.0
    present = set(content_terms(sentence))
    unique = list(dict.fromkeys(terms))
    weights = [vocabulary.idf(t) if vocabulary else 1.0 for t in unique]
    total = sum(weights) or 1.0
    return sum(w for t, w in zip(unique, weights, strict=True) if t in present) / total


def _concept_coverage(
    concepts: list[Concept], weights: list[float], sentence: str, context: str = ""
) -> float:
    """Share of the question's concepts the sentence words in any way, rare ones weighing more.

    A name or code may be found in the sentence's `context` (its passage): an article names the
    company once and then says "the plan" and "the work"; what is asked must be in the sentence.
    """
    if not concepts:
        return 0.0
    present = wording(sentence)
    around = wording(context) if context else present
    total = sum(weights) or 1.0
    found = 0.0
    for concept, weight in zip(concepts, weights, strict=True):
        if concept.found_in(present):
            found += weight
        elif _is_entity(concept) and concept.found_in(around):
            found += CONTEXT_WEIGHT * weight
    return found / total


def _is_entity(concept: Concept) -> bool:
    return any(ch.isdigit() for ch in concept.surface) or concept.surface[:1].isupper()


def _no_answer(passages: list[Passage], time: TimeContext | None) -> str:
    """Say why, when the question names a period no source found is dated in ("next week",
    read against today, of an archive that ends months ago)."""
    dated = [p.published for p in passages if p.published is not None]
    if time is None or time.period is None or not dated:
        return NO_ANSWER
    period = time.period
    if any(period.contains(day) for day in dated):
        return NO_ANSWER
    span = (
        fmt_day(period.start)
        if period.start == period.end
        else (f"{fmt_day(period.start)} to {fmt_day(period.end)}")
    )
    return (
        f"{NO_ANSWER} None of the sources found is dated {period.phrase} ({span}); "
        f"the newest is from {fmt_day(max(dated))}."
    )


def _is_headline(item: Evidence) -> bool:
    return item.text.strip() == item.passage.title.strip()


class ExtractiveAnswerer:
    """question + passages → Answer made of quoted source sentences."""

    def __init__(
        self,
        vectors: VectorCache,
        vocabulary: Callable[[], Vocabulary],
        *,
        threshold: float,
        max_sentences: int,
        lexicon: Lexicon | None = None,
        selector: AnswerSelector | None = None,
        candidates: int = 6,
        statements: StatementFilter | None = None,
    ) -> None:
        self.selector = selector
        # only statements are quoted (headings, captions, boilerplate are not answers)
        self.statements: StatementFilter = statements or ShapeStatements()
        self._lexicon = lexicon or load_lexicon()
        self.answerability = (
            Answerability(selector, self._lexicon, candidates, max_sentences) if selector else None
        )
        self._vectors = vectors
        self._vocabulary = vocabulary
        self.threshold = threshold
        self.max_sentences = max_sentences

    def score(
        self,
        question: str,
        query: str,
        focus: list[str],
        passages: list[Passage],
        prior: Mapping[str, float] | None = None,
    ) -> list[Scored]:
        """Every candidate sentence with its score, best first (`prior`: per-document boost)."""
        evidence = sentences_of(passages, self.statements)
        if not evidence:
            return []
        query_vec = self._vectors.query(query)
        sentence_vecs = self._vectors.documents([e.text for e in evidence])
        concepts = self._lexicon.concepts(question)
        vocabulary = self._vocabulary()
        # Names the corpus never mentions (a company, country, index…): whatever the nearest
        # sentence says, it is not about them.
        unknown_names = vocabulary.unknown_names(question, concepts)
        unknown = min(len(unknown_names) * UNKNOWN_NAME_PENALTY, 0.4)
        weights = [vocabulary.concept_idf(c) for c in concepts]
        form = QuestionForm(question, self._lexicon)
        scored = []
        for item, dense in zip(evidence, cosines(query_vec, sentence_vecs), strict=True):
            lexical = _concept_coverage(concepts, weights, item.text, item.passage.text)
            focus_fit = _coverage(focus, item.text) if focus else 1.0
            fit = form.fit(item.text)
            headline = _is_headline(item)
            score = 0.6 * dense + 0.4 * lexical + fit
            score -= 0.25 * (1.0 - focus_fit) + unknown
            if headline:
                score -= HEADLINE_PENALTY  # a headline restates; the body says it with detail
            signals = Signals(score, float(dense), lexical, fit, unknown, headline)
            if prior:
                score += prior.get(item.passage.doc_id, 0.0)
            scored.append(Scored(item, score, signals))
        scored.sort(key=lambda s: (-s.score, s.evidence.position))
        return scored

    def compose(self, request: ComposeRequest) -> Answer:
        return self.answer(
            request.question, request.passages, query=request.query, focus=request.focus,
            time=request.time, prior=request.prior,
        )  # fmt: skip

    def stream(self, request: ComposeRequest) -> Iterator[StreamEvent]:
        return replay(self.compose(request))

    def answer(
        self,
        question: str,
        passages: list[Passage],
        *,
        query: str | None = None,
        focus: list[str] | None = None,
        time: TimeContext | None = None,
        prior: Mapping[str, float] | None = None,
    ) -> Answer:
        """Quote the best sentences; with `time`, newer sources lead and dates are stated."""
        query = query or question
        rewritten = query if query != question else None
        as_of = time.as_of if time else None
        parts = question_parts(question)
        if len(parts) == 1:
            chosen, runners_up = self._choose(question, query, focus or [], passages, prior)
            open_parts: list[int] = []
        else:  # each part stands or falls on its own
            chosen, runners_up, open_parts = [], [], []
            for index, part in enumerate(parts):
                found, _ = self._choose(part, part, focus or [], passages, prior)
                known = {(c.evidence.passage.doc_id, c.evidence.start) for c in chosen}
                chosen += [
                    c for c in found if (c.evidence.passage.doc_id, c.evidence.start) not in known
                ]
                if not found:
                    open_parts.append(index)
        if not chosen:
            return Answer(question, _no_answer(passages, time), True, (), rewritten, as_of)
        # A sentence that contradicts the question's premise is what must be said first.
        concepts = self._lexicon.concepts(question)
        leads = [lead_in(question, concepts, c.evidence.text) for c in chosen]
        lead = next((x for x in leads if x), None)
        if lead is not None:
            first = leads.index(lead)
            chosen = [chosen[first], *chosen[:first], *chosen[first + 1 :]]
        pairs = [(c.evidence, c.score) for c in chosen]
        if time is None:
            text, citations = render(pairs)
        else:
            candidates = [(s.evidence, s.score) for s in runners_up]
            arranged = supersede(pairs, candidates, lambda t: self._vectors.documents([t])[0])
            wants_date = time.given or time.wants_current or time.period is not None
            text, citations = render_dated(arranged, as_of=wants_date or bool(arranged.earlier))
        # Our own notes go before the quotes, where the answer verifier expects a frame.
        text = " ".join([*map(not_covered, open_parts), *([lead] if lead else []), text])
        return Answer(question, text, False, citations, rewritten, as_of)

    def _choose(
        self,
        question: str,
        query: str,
        focus: list[str],
        passages: list[Passage],
        prior: Mapping[str, float] | None,
    ) -> tuple[list[Scored], list[Scored]]:
        """The sentences that answer (empty: none does) and the other sentences above the bar."""
        scored = self.score(question, query, focus, passages, prior)
        # A headline restates its story; when the body answers too, quote the body.
        body = [s for s in scored if not _is_headline(s.evidence)]
        if body and body[0].score >= self.threshold:
            scored = body
        if not scored or scored[0].score < self.threshold:
            return [], []
        if self.answerability is not None:
            arranged = self.answerability.arrange(question, query, focus, scored, prior)
            if arranged is None:
                return [], []
            scored = arranged
        best = scored[0].score
        chosen = [scored[0]]
        figures = wants_figure(question) and bool(numbers_in(scored[0].evidence.text))
        for candidate in scored[1:]:
            if len(chosen) >= self.max_sentences:
                break
            figure = figures and bool(numbers_in(candidate.evidence.text))
            margin = FIGURE_MARGIN if figure else SECOND_SENTENCE_MARGIN
            if candidate.score >= max(self.threshold, best - margin):
                chosen.append(candidate)
        return chosen, [s for s in scored[1:] if s.score >= self.threshold]
