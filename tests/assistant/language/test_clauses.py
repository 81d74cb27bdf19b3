"""Clause bounds: what a time expression or a name belongs to."""

from __future__ import annotations

from assistant.language.clauses import clause_bounds, inside_quote


def clause(text: str, word: str) -> str:
    start = text.index(word)
    left, right = clause_bounds(text, start, start + len(word))
    return text[left:right]


def test_the_clause_of_a_word_ends_at_a_comma_outside_quotes() -> None:
    text = "Varnholm backed the decision on Tuesday, saying the government would act."
    assert clause(text, "Tuesday") == "Varnholm backed the decision on Tuesday"
    assert clause(text, "would") == "saying the government would act"


def test_commas_inside_a_quotation_do_not_break_it() -> None:
    text = 'She said "we will, if asked, sign on Friday" and left.'
    assert inside_quote(text, text.index("Friday"))
    assert "we will, if asked, sign on Friday" in clause(text, "Friday")
