"""Answer-ablated negatives: the answer leaves the sentence, everything else stays."""

from __future__ import annotations

from training.ablated import ablated_negatives, shape
from training.pairs import Pair


def _words(text: str) -> set[str]:
    return {w.strip(",.") for w in text.split()} - {""}


def _positive(sentence: str, answer: str, group: str) -> Pair:
    question = f"question {group}?"
    return Pair(question, "Town", sentence, 1.0, "positive", group, answer)


_POSITIVES = [
    _positive("The harbour opened in 1887, after a long delay.", "1887", "a"),
    _positive("The mill was built by Anna Kovar and her brothers.", "Anna Kovar", "b"),
    _positive("The bridge spans the Lessa river near the old town.", "Lessa", "c"),
    _positive("Engineers repainted it green in 2019 for the festival.", "green", "d"),
]
_NEGATIVE = Pair(
    "question a?", "Town", "The town council keeps the records.", 0.0, "paragraph", "a"
)


def test_every_ablated_negative_lacks_its_answer_and_keeps_the_rest() -> None:
    made = ablated_negatives([*_POSITIVES, _NEGATIVE], share=1.0, seed=3)
    assert len(made) == len(_POSITIVES)  # one per positive; negatives are never ablated
    for ablated, positive in zip(made, _POSITIVES, strict=True):
        assert (ablated.label, ablated.kind, ablated.answer) == (0.0, "ablated", "")
        assert (ablated.question, ablated.group) == (positive.question, positive.group)
        assert positive.answer.lower() not in ablated.sentence.lower()
        assert _words(positive.sentence.replace(positive.answer, "")) <= _words(ablated.sentence)


def test_a_cut_leaves_no_stray_spaces_and_a_swap_changes_the_shape() -> None:
    cut, swapped = ablated_negatives(_POSITIVES[:2], share=1.0, seed=3)
    assert cut.sentence == "The harbour opened in, after a long delay."
    inserted = swapped.sentence.removeprefix("The mill was built by ").split(" and her")[0]
    assert shape(inserted) != shape("Anna Kovar")


def test_ablation_is_seeded_and_shared_out() -> None:
    many = [_positive(f"Item {i} was counted by the clerk Ada Marr today.", "Ada Marr", str(i))
            for i in range(400)]  # fmt: skip
    half = ablated_negatives(many, share=0.5, seed=3)
    assert half == ablated_negatives(many, share=0.5, seed=3)
    assert 150 < len(half) < 250
    assert ablated_negatives(many, share=0.0, seed=3) == []


def test_a_sentence_that_would_be_left_too_short_is_skipped() -> None:
    short = _positive("Anna Kovar did.", "Anna Kovar", "x")
    assert ablated_negatives([short], share=1.0, seed=3) == []


def test_shapes_come_from_the_characters() -> None:
    assert [shape("1887"), shape("Anna Kovar"), shape("green paint")] == [
        "number",
        "name",
        "phrase",
    ]
