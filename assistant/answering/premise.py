"""Telling "no" and "the sources say otherwise" apart from "the sources don't say".

A quoted sentence that *negates* what the question asks about is an answer, not a miss:
"Has Japan said it will retaliate?" → "Ishiba has ruled out countermeasures" means no, and
"Why did Japan impose countermeasures?" rests on a premise the sources contradict. The
answerer still only quotes; this module picks the lead-in that says which case it is.
"""

from __future__ import annotations

import re

from assistant.language.lexicon import Concept, wording

NO_LEAD = "No, according to the sources:"
OTHERWISE_LEAD = "The sources say otherwise:"

_NEGATION = re.compile(
    r"\b(?:not|no|never|none|neither|nor|won['’]?t|isn['’]t|aren['’]t|wasn['’]t|weren['’]t|"
    r"hasn['’]t|haven['’]t|hadn['’]t|doesn['’]t|don['’]t|didn['’]t|cannot|can['’]t|"
    r"rul(?:ed|es|ing) out|rejected|rejects|denied|denies|declined|refused|refuses)\b",
    re.IGNORECASE,
)
_YES_NO = re.compile(
    r"^\s*(?:is|are|was|were|has|have|had|does|do|did|will|would|can|could|should|may|might)\b",
    re.IGNORECASE,
)
# "Why/how/when did X do Y?" takes Y as given.
_PRESUPPOSES = re.compile(
    r"^\s*(?:why|how|when|where|what for|(?:on |in |by )?(?:what|which) (?:date|day|month|year|"
    r"time))\b.*\b(?:did|does|do|has|have|had|is|are|was|were)\b",
    re.IGNORECASE,
)
_SCOPE = 60  # characters after a negation that it governs ("ruled out countermeasures to …")


def negated(concepts: list[Concept], sentence: str) -> bool:
    """True when a negation in `sentence` governs something the question asks about."""
    for match in _NEGATION.finditer(sentence):
        scope = wording(sentence[match.end() : match.end() + _SCOPE])
        if any(c.found_in(scope) for c in concepts if not c.surface[:1].isupper()):
            return True
    return False


def lead_in(question: str, concepts: list[Concept], sentence: str) -> str | None:
    """The words before the quote, or None when the quote simply answers."""
    if _NEGATION.search(question) or not negated(concepts, sentence):
        return None  # a negative question ("Why hasn't…") is answered by a negative source
    if _YES_NO.match(question):
        return NO_LEAD
    if _PRESUPPOSES.match(question):
        return OTHERWISE_LEAD
    return None
