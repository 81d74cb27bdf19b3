"""What a question asks for, and whether a sentence can hold it.

A bi-encoder scores "Japan faces 24% levies on its exports" close to "What tariff does the US
charge on Japanese semiconductors?", and close to "On what date does the pause end?". These
checks read the question's *form*: a "how many" wants a number, "on what date" a date, "who" a
name the question does not already give, a question about what a meeting agreed wants a sentence
that reports an outcome rather than a plan, and "the tariff on X" wants a sentence about X.
A sentence that cannot hold the answer is ruled out (−0.4), however similar it looks.
"""

from __future__ import annotations

import re

from assistant.answering.kinds import kind_fit
from assistant.language.lexicon import Lexicon, wording
from assistant.language.words import STOPWORDS, names_in

PERSON_BONUS = 0.06
MISMATCH_PENALTY = 0.4  # as for a missing quantity: rules the sentence out, not a tie-breaker

# "on what date" wants a date: "paused for 90 days" is a span, not a date ("when" stays soft).
_WANTS_DATE = re.compile(
    r"\b(?:what|which) (?:\w+ )?(?:date|day|year)\b|\bwhat time\b|\bby when\b", re.IGNORECASE
)
_DATE = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tonight|tomorrow|"
    r"yesterday|january|february|march|april|june|july|august|september|october|november|"
    r"december|(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?(?=\s\d))\b|\bMay\b|"
    r"\b(?:1[89]|20)\d\d\b|\b\d{1,2}/\d{1,2}\b",
    re.IGNORECASE,
)
# A question that starts "When …" wants a point in time: a date, or "next week"; "for 90 days"
# is a span and "recently" no time at all. ("… face when exported" is not a when-question.)
_WANTS_WHEN = re.compile(r"(?:^\W*|[,;]\s*|\band\s+)when\b", re.IGNORECASE)
_RELATIVE_TIME = re.compile(
    r"\b(?:(?:next|last|this|coming|past|previous) (?:week|weekend|month|year|spring|summer|"
    r"autumn|fall|winter)|(?:earlier|later) this (?:week|month|year)|\d+ (?:days|weeks|months|"
    r"years) ago|(?:in|by|from) (?:early|mid|late)?-?\s?\d{4})\b",
    re.IGNORECASE,
)
# "What did they agree at the meeting?" wants an outcome; "X is scheduled to meet Y" is a plan.
_ASKS_PAST = re.compile(r"\b(?:did|was|were|has|have|had)\b", re.IGNORECASE)
_OUTCOME = re.compile(
    r"\b(?:agree\w*|deal|deals|decid\w*|decision|outcome|results?|signed|sign|conclu\w*|"
    r"settle\w*|reach\w*|approv\w*|accord|pact|came out of|emerged?)\b",
    re.IGNORECASE,
)
# "… at Wednesday's meeting": the outcome of one event, which only a realised outcome answers
# ("Japan won't rush to reach a deal" is not what the meeting agreed).
_EVENT = re.compile(
    r"\b(?:at|in|during|from|after) (?:the |their |this |that |[\w'’]+ ){0,2}(?:meeting|talks|"
    r"summit|visit|negotiations|session|call|round)\b|\boutcome\b|\bcame out of\b",
    re.IGNORECASE,
)
_REALISED = re.compile(
    r"\b(?:agreed|signed|reached|concluded|struck|settled|approved|decided|sealed|clinched|"
    r"finali[sz]ed|ended with|resulted in)\b",
    re.IGNORECASE,
)
_PLANNED = re.compile(
    r"\b(?:will|shall|(?:is|are) (?:\w+ )?(?:scheduled|due|expected|set|planned|going) to|"
    r"plans? to|next week|upcoming)\b",
    re.IGNORECASE,
)
# "who", "what is the name of", "which official": the answer is a name the question lacks.
_WANTS_NAME = re.compile(
    r"\b(?:who|whom|whose|name of|named)\b|\bwhich (?:\w+ ){0,2}?(?:officials?|ministers?|"
    r"secretar(?:y|ies)|leaders?|presidents?|premiers?|diplomats?|persons?|people|compan(?:y|ies)|"
    r"firms?|carmakers?|automakers?|countr(?:y|ies)|nations?|banks?)\b",
    re.IGNORECASE,
)
# "the tariff on X": a sentence about the tariff on something else does not answer it.
_MEASURE_OBJECT = re.compile(
    r"\b(?:tariffs?|levy|levies|duty|duties|rates?|tax(?:es)?|charged?|charges|imposed?|"
    r"imposes|impose|apply|applies|applied|applying)\b[^?.;:!]{0,40}?\b(?:on|for|against|to)\s+"
    r"(?P<object>[^?.;:!,()–—]+?)(?:\s-\s|[?.;:!,()–—]|$)",
    re.IGNORECASE,
)
# "What tariff does South Korea face?": who faces it narrows it just the same.
_MEASURE_FACED = re.compile(
    r"\b(?:tariffs?|levy|levies|duty|duties|rates?|tax(?:es)?)\b[^?.;:!]{0,30}?\b(?:do|does|did|"
    r"will|would)\s+(?P<object>[^?.;:!,()–—]+?)\s+(?:face|pay|get|receive)\b",
    re.IGNORECASE,
)
# Words that leave the object as wide as the sources' own ("a tariff on Japanese goods").
_GENERIC_OBJECT = frozenset(
    """goods products items imports exports shipments merchandise trade sales things country
    countries nation nations every each all any one imported exported made shipped sold
    now right currently today still already exactly anymore hold""".split()
)
_OBJECT_ENDS = frozenset(
    """that which who whom whose and or but despite after before since during in at with by
    when if while as than because amid following over under until what how""".split()
)
_OBJECT_JOINS = frozenset("from of the a an made".split())  # "goods from the European Union"


# "Who defended the tariffs?" is answered by "the White House press secretary" too: a role the
# question does not name counts like a new name (unless the question asks for the name itself).
_ROLES = frozenset(
    """secretary minister official president premier spokesperson spokesman spokeswoman partner
    chief head leader ambassador diplomat envoy negotiator governor chairman chair director
    adviser advisor analyst economist executive ceo founder lawmaker senator""".split()
)
_WANTS_THE_NAME = re.compile(r"\b(?:name of|named|what is (?:his|her|their) name)\b", re.I)
_ROLE_ALTERNATION = "|".join(sorted(_ROLES, key=len, reverse=True))
# "Who is the South Korean finance minister?", "the name of the Commerce Secretary": the answer
# names *that* role-holder, so the role must stand next to a name ("Treasury Secretary Scott
# Bessent", "Ryosei Akazawa, the minister"); "invited South Korea's finance minister" won't do.
_WHO_HOLDS = re.compile(
    rf"\b(?:who(?:'s| is| was)|name of|named)\s+(?:the\s+)?(?:[\w'’-]+\s+){{0,3}}?"
    rf"(?P<role>(?:[\w'’-]+\s+)?(?:{_ROLE_ALTERNATION}))s?\b",
    re.IGNORECASE,
)
_PERSON = r"(?-i:[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){1,2})"  # capitals, whatever the flags


class QuestionForm:
    """A question read once for what its answer must hold; `fit` scores one sentence."""

    def __init__(self, question: str, lexicon: Lexicon) -> None:
        self._question = question
        self._wants_date = bool(_WANTS_DATE.search(question))
        self._wants_when = bool(_WANTS_WHEN.search(question))
        self._wants_outcome = bool(_ASKS_PAST.search(question) and _OUTCOME.search(question))
        self._wants_event_outcome = self._wants_outcome and bool(_EVENT.search(question))
        self._wants_name = bool(_WANTS_NAME.search(question))
        self._wants_the_name = bool(_WANTS_THE_NAME.search(question))
        holds = _WHO_HOLDS.search(question)
        self._held_role = _holder_pattern(holds.group("role"), lexicon) if holds else None
        self._known = lexicon.concepts(question)
        self._words = wording(question).vocabulary
        self._object = lexicon.concepts(_object_of(question))

    def fit(self, sentence: str) -> float:
        """`kind_fit` plus the penalties for a sentence that cannot hold the answer."""
        score = kind_fit(self._question, sentence)
        present = wording(sentence)
        dated = bool(_DATE.search(sentence))
        if (self._wants_date and not dated) or (
            self._wants_when and not (dated or _RELATIVE_TIME.search(sentence))
        ):
            score -= MISMATCH_PENALTY
        if self._wants_outcome and not self._reports_outcome(sentence):
            score -= MISMATCH_PENALTY
        if self._wants_name:
            names, role = bool(self._new_names(sentence)), self._new_role(sentence)
            unheld = self._held_role is not None and _unnamed(self._held_role, sentence)
            if not (names or role) or unheld:
                score -= MISMATCH_PENALTY
            elif names and role:
                score += PERSON_BONUS  # "Managing director Marov Listorhem" names a person
        if any(not concept.found_in(present) for concept in self._object):
            score -= MISMATCH_PENALTY
        return max(score, -MISMATCH_PENALTY - 0.1)

    def _reports_outcome(self, sentence: str) -> bool:
        if self._wants_event_outcome:
            return bool(_REALISED.search(sentence))
        return bool(_OUTCOME.search(sentence) or not _PLANNED.search(sentence))

    def _new_names(self, sentence: str) -> list[str]:
        """Names in `sentence` with a word the question does not give in any wording."""
        return [name for name in names_in(sentence) if any(map(self._is_new, name.split()))]

    def _new_role(self, sentence: str) -> bool:
        if self._wants_the_name:
            return False
        return any(
            word.lower() in _ROLES and self._is_new(word)
            for word in re.findall(r"[A-Za-z]+", sentence)
        )

    def _is_new(self, word: str) -> bool:
        if word.lower() in STOPWORDS or wording(word).vocabulary <= self._words:
            return False
        return not any(concept.found_in(wording(word)) for concept in self._known)


def _unnamed(holder: tuple[re.Pattern[str], re.Pattern[str]], sentence: str) -> bool:
    """The sentence speaks of the role-holder without naming them ("invited South Korea's
    finance minister"). A sentence that does not mention the role at all is not judged here."""
    role, named = holder
    return bool(role.search(sentence)) and not named.search(sentence)


def _holder_pattern(role: str, lexicon: Lexicon) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The role in any wording, and a name beside it: "Treasury Secretary Scott Bessent" for
    "Treasury chief", "Prime Minister Shigeru Ishiba" for "premier", "Ryosei Akazawa, the
    minister"."""
    head = role.split()[-1]
    wordings = lexicon.written(role) | lexicon.written(head)
    alternation = "|".join(
        r"\s+".join(map(re.escape, w.split())) for w in sorted(wordings, key=len, reverse=True)
    )
    word = rf"(?:{alternation})s?"
    return re.compile(rf"\b{word}\b", re.IGNORECASE), re.compile(
        rf"\b{word}\s+{_PERSON}|{_PERSON},\s+(?:the\s+|a\s+)?(?:[\w'’-]+\s+){{0,4}}{word}\b|"
        rf"{_PERSON}\s+(?:[\w'’-]+\s+){{0,4}}?(?:as|is|was|became|becomes)\s+(?:[\w'’-]+\s+){{0,3}}"
        rf"{word}\b",
        re.IGNORECASE,
    )


def _object_of(question: str) -> str:
    """The words that narrow "the tariff on …" ("Japanese steel"), generic words left out."""
    match = _MEASURE_OBJECT.search(question) or _MEASURE_FACED.search(question)
    if match is None:
        return ""
    kept: list[str] = []
    started = False
    for word in re.findall(r"[A-Za-z][A-Za-z'’&-]*", match.group("object")):
        lower = word.lower()
        if lower in _OBJECT_ENDS or (started and lower in STOPWORDS - _OBJECT_JOINS):
            break
        started = started or lower not in STOPWORDS
        if lower in STOPWORDS or lower in _GENERIC_OBJECT or _is_verb_or_adverb(word):
            continue
        kept.append(word)
    return " ".join(kept)


def _is_verb_or_adverb(word: str) -> bool:
    """ "collected", "actually": they say how, not what the tariff is on."""
    return word.islower() and len(word) > 4 and word.endswith(("ed", "ly"))
