"""Question wordings: synonyms, country names and lemmas map a question onto source wording."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.assistant import Assistant
from assistant.errors import ConfigError
from assistant.language.lexicon import Lexicon, load_lexicon, wording

SENTENCE = "Japan sent Economic Revitalisation Minister Ryosei Akazawa to begin discussions."


def _found(question: str, sentence: str, lexicon: Lexicon | None = None) -> dict[str, bool]:
    lexicon = lexicon or load_lexicon()
    present = wording(sentence)
    return {c.surface: c.found_in(present) for c in lexicon.concepts(question)}


def test_capital_and_demonym_stand_for_the_country() -> None:
    found = _found("Who did Tokyo send to open the negotiations?", SENTENCE)
    assert found == {"Tokyo": True, "send": True, "open": True, "negotiations": True}


def test_multiword_phrase_is_one_concept() -> None:
    found = _found("Will Japan hit back?", "Ishiba has ruled out countermeasures.")
    assert found == {"Japan": False, "hit back": True}


def test_us_the_country_is_not_us_the_pronoun() -> None:
    assert _found("What did the US say?", "They told us nothing.") == {"US": False}
    assert _found("What did the U.S. say?", "The United States said no.")["U.S."] is True


def test_a_region_covers_its_countries_one_way() -> None:
    vietnam = "Bessent recently met with Vietnam's deputy prime minister."
    assert _found("Which Southeast Asian country did Bessent visit?", vietnam)["Southeast Asian"]
    assert _found("Which Asian minister?", "Seoul sent its finance minister.")["Asian"]
    # "Asian markets" are not Japan's: only "which/what <region> …" asks for a member country
    assert not _found("How did Asian markets move?", "Japan faces levies.")["Asian"]
    # a country does not stand for its region, nor for its neighbours
    assert not _found("What did Vietnam say?", "Asian markets fell.")["Vietnam"]
    assert not _found("What did Japan say?", "Vietnam said nothing.")["Japan"]
    assert _found("Which EU tariffs?", "Tariffs on the European Union.")["EU"]


def test_unrelated_words_stay_apart() -> None:
    found = _found("What tariff applies to steel?", "A 25% duty on cars remains active.")
    assert found == {"tariff": True, "applies": True, "steel": False}


def test_user_synonyms_extend_the_packaged_groups(tmp_path: Path) -> None:
    extra = tmp_path / "synonyms.txt"
    extra.write_text("# house terms\nwidget, gizmo\n", encoding="utf-8")
    lexicon = load_lexicon(extra)
    assert _found("How many gizmos?", "Widgets sold well.", lexicon) == {"gizmos": True}
    assert _found("How many gizmos?", "Widgets sold well.") == {"gizmos": False}


def test_unreadable_synonyms_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="BRIEFING_SYNONYMS_FILE"):
        load_lexicon(tmp_path / "missing.txt")


def test_paraphrased_question_finds_the_source_sentence(real_assistant: Assistant) -> None:
    answer = real_assistant.ask("Who did Tokyo send to Washington to open the negotiations?")
    assert not answer.abstained
    assert "Akazawa" in answer.citations[0].quote


@pytest.mark.parametrize(
    "question",
    [
        "How much would the Alaskan gas project cost?",  # the article names it, gives no figure
        "How many cars does Japan export to the United States each year?",  # only percentages
    ],
)
def test_quantity_questions_need_a_quantity(real_assistant: Assistant, question: str) -> None:
    assert real_assistant.ask(question).abstained


def test_quantity_question_with_a_figure_is_answered(real_assistant: Assistant) -> None:
    answer = real_assistant.ask("For how many days are the higher tariffs on hold?")
    assert not answer.abstained and "90 days" in answer.answer
