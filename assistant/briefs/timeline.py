"""Timeline: time expressions in source sentences, resolved against the publication date.

"stated Monday" in a report published Wednesday 16 April 2025 → Mon 14 Apr 2025; "will attend …
on Wednesday" → Wed 16 Apr 2025; "next week" → week of 21 Apr 2025. Without a publication date
the expression is shown as written, marked relative — never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from assistant.answering.evidence import Evidence
from assistant.briefs.spans import Span, clause_around, whole
from assistant.language.clauses import inside_quote
from assistant.time.relative_dates import EXPRESSION, FUTURE, resolve
from assistant.types import TimelineEvent

_SUBORDINATE = re.compile(r"^(though|although|like|which|while|because)\b", re.IGNORECASE)


@dataclass(frozen=True)
class FoundEvent:
    event: TimelineEvent
    span: Span
    order: tuple[int, date, int]  # (group, date, position): undated past first, open-ended last


def events_in(evidence: Evidence) -> list[FoundEvent]:
    text = evidence.text
    published = evidence.passage.published
    found = []
    for match in EXPRESSION.finditer(text):
        if inside_quote(text, match.start()):
            continue  # a speaker's "today" is their time, not the report's
        span = clause_around(evidence, match.start(), match.end())
        if match.group("n"):
            span = whole(evidence)  # "paused for 90 days" needs its subject
        elif _SUBORDINATE.match(span.text):
            continue  # an aside ("like most of Trump's recently announced tariffs")
        event = resolve(match, published, bool(FUTURE.search(span.text)))
        if event.date is not None:
            group = 1
        elif match.group("recent"):
            group = 0
        else:
            group = 2
        order = (group, event.date or date.min, evidence.position)
        found.append(FoundEvent(event, span, order))
    return found
