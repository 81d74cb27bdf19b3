"""Whether a question is answered at all, and by which sentence: the trained selector's say.

The cheap scores shortlist the sentences; the cross-encoder (reading question and sentence
together) and its combiner (`combiner.py`, weighing that with the cheap signals) give
P(this shortlisted sentence answers). When no sentence of the shortlist reaches the calibrated
threshold, the answerer abstains instead of quoting something merely related; otherwise the
likeliest sentence leads the answer (opt-in: `BRIEFING_ANSWER_SELECTOR`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from assistant.answering.combiner import Signals, sigmoid, vectors
from assistant.answering.evidence import Evidence
from assistant.answering.premise import lead_in
from assistant.answering.selector import AnswerSelector
from assistant.language.lexicon import Lexicon


@dataclass(frozen=True)
class Scored:
    evidence: Evidence
    score: float
    signals: Signals | None = field(default=None, compare=False)


#: Sees each shortlist the selector judges: (question, shortlist, feature rows, P per sentence).
#: Training collects what the combiner learns from (`training.combine`); `evals.stages` where
#: cases are lost.
Observer = Callable[[str, list[Scored], list[list[float]], list[float]], None]


class Answerability:
    """The selector's judgement of a cheap-ranked shortlist: which sentence leads, or abstain."""

    def __init__(
        self, selector: AnswerSelector, lexicon: Lexicon, candidates: int, quoted: int
    ) -> None:
        self.selector = selector
        self.observer: Observer | None = None
        self._lexicon = lexicon
        self._candidates = candidates  # sentences the cross-encoder reads
        self._quoted = quoted  # sentences an answer may quote

    def arrange(
        self, question: str, query: str, focus: list[str], scored: list[Scored],
        prior: Mapping[str, float] | None,
    ) -> list[Scored] | None:  # fmt: skip
        """The candidates in the order to quote them, or None to decline. Where judged, the
        sentence most likely to answer leads (the cheap order follows)."""
        if self._exempt(question, focus, scored):
            return scored
        shortlist = scored[: self._candidates]
        chances = self._chances(question, query, shortlist, prior)
        if not chances or max(chances) < self.selector.threshold:
            return None
        best = max(range(len(chances)), key=chances.__getitem__)
        return [shortlist[best], *scored[:best], *scored[best + 1 :]]

    def _exempt(self, question: str, focus: list[str], scored: list[Scored]) -> bool:
        """Answers the selector does not judge: a follow-up carried by the previous turn's query
        (`focus`; it learnt from standalone questions), and a sentence that contradicts the
        question's premise ("Has Japan said it will retaliate?" → "No, according to the
        sources: … ruled out countermeasures"), which answers without matching the question."""
        if focus:
            return True
        concepts = self._lexicon.concepts(question)
        return any(lead_in(question, concepts, s.evidence.text) for s in scored[: self._quoted])

    def _chances(
        self, question: str, query: str, shortlist: list[Scored],
        prior: Mapping[str, float] | None,
    ) -> list[float]:  # fmt: skip
        """P(answers) per shortlisted sentence, a document's prior boost added."""
        pairs = [(s.evidence.passage.title, s.evidence.text) for s in shortlist]
        logits = [float(x) for x in self.selector.logits(query, pairs)]
        rows = vectors([s.signals for s in shortlist if s.signals], logits)
        combiner = self.selector.combiner
        if combiner is not None:
            chances = combiner.probabilities(rows)
        else:
            chances = [sigmoid(x) for x in logits]
        boosts = [(prior or {}).get(s.evidence.passage.doc_id, 0.0) for s in shortlist]
        chances = [p + b for p, b in zip(chances, boosts, strict=True)]
        if self.observer is not None:
            self.observer(question, shortlist, rows, chances)
        return chances
