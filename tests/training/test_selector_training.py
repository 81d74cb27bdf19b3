"""The training pipeline end to end on a tiny made-up SQuAD: data, a few steps, ONNX, metrics.

This checks that `make train-selector` can run on a clean clone, not the model's quality (the
shipped model's figures are in its model card and `briefing eval --selector`).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from assistant.answering.selector import AnswerSelector, candidate_text
from training.pairs import build_pairs, data_card
from training.squad import load_squad, split_dev
from training.threshold import best_threshold

_FACTS = [
    ("Harbour", "The harbour opened in 1887.", "When did the harbour open?", "1887"),
    ("Harbour", "Its main quay is 400 metres long.", "How long is the main quay?", "400 metres"),
    ("Mill", "The mill was built by Anna Kovar.", "Who built the mill?", "Anna Kovar"),
    ("Mill", "It grinds 30 tonnes of grain a day.", "How much grain does the mill grind?",
     "30 tonnes"),
    ("Bridge", "The bridge spans the Lessa river.", "Which river does the bridge span?", "Lessa"),
    ("Bridge", "Engineers repainted it in 2019.", "When was the bridge repainted?", "2019"),
]  # fmt: skip


def _squad(articles: int, impossible: bool) -> dict[str, object]:
    data = []
    for a in range(articles):
        paragraphs = []
        for title in ("Harbour", "Mill", "Bridge"):
            facts = [f for f in _FACTS if f[0] == title]
            context = " ".join(f[1] for f in facts) + " The town council keeps the records."
            qas = []
            for i, (_, _, question, answer) in enumerate(facts):
                qas.append(
                    {
                        "id": f"{a}-{title}-{i}",
                        "question": question,
                        "answers": [{"text": answer, "answer_start": context.index(answer)}],
                    }
                )
            if impossible:
                qas.append(
                    {
                        "id": f"{a}-{title}-x",
                        "question": f"Who owns the {title.lower()}?",
                        "answers": [],
                        "is_impossible": True,
                    }
                )
            paragraphs.append({"context": context, "qas": qas})
        data.append({"title": f"Town_{a}", "paragraphs": paragraphs})
    return {"data": data}


@pytest.fixture
def datasets(tmp_path: Path) -> Path:
    squad = tmp_path / "datasets" / "squad"
    squad.mkdir(parents=True)
    for name, articles, impossible in (("train-v1.1", 4, False), ("dev-v2.0", 6, True)):
        with gzip.open(squad / f"{name}.json.gz", "wt", encoding="utf-8") as handle:
            json.dump(_squad(articles, impossible), handle)
    return tmp_path / "datasets"


def test_answer_sentences_and_pairs_are_found_and_seeded(datasets: Path) -> None:
    articles = load_squad(datasets / "squad" / "train-v1.1.json.gz")
    question = articles[0].paragraphs[0].questions[0]
    assert (
        articles[0].paragraphs[0].sentences[question.sentence or 0] == "The harbour opened in 1887."
    )
    pairs = build_pairs(articles, seed=1)
    assert pairs == build_pairs(articles, seed=1)
    positives = [p for p in pairs if p.label == 1.0]
    assert len(positives) == 4 * 6
    # a negative never holds the question's answer
    for pair in pairs:
        if pair.label == 0.0 and pair.kind in ("paragraph", "article"):
            answer = next(f[3] for f in _FACTS if f[2] == pair.question)
            assert answer not in pair.sentence
    card = data_card(pairs, [10] * len(pairs))
    assert f"pairs: {len(pairs):,}" in card and "positives: 24" in card


def test_span_targets_point_at_the_answer_tokens(datasets: Path) -> None:
    from training.selector import base_model
    from training.train import encode, span_targets, tokenizer_for

    pairs = build_pairs(load_squad(datasets / "squad" / "train-v1.1.json.gz"), seed=1)
    positives = [p for p in pairs if p.label == 1.0]
    assert all(p.answer and p.answer in p.sentence for p in positives)
    tokenizer = tokenizer_for(base_model())
    encodings = encode(tokenizer, pairs)
    starts, ends = span_targets(pairs, encodings)
    for pair, enc, start, end in zip(pairs, encodings, starts, ends, strict=True):
        if pair.label == 0.0:
            assert (start, end) == (0, 0)  # a negative points at [CLS]: "no answer here"
            continue
        begin, stop = enc.offsets[start][0], enc.offsets[end][1]
        assert enc.sequence_ids[start] == enc.sequence_ids[end] == 1
        assert candidate_text(pair.title, pair.sentence)[begin:stop] == pair.answer


@pytest.mark.slow
def test_training_with_the_span_head_runs(datasets: Path) -> None:
    """The auxiliary loss trains alongside; the model keeps its one "answers" logit."""
    import torch

    from training.selector import base_model
    from training.train import TrainConfig, encode, tensors, tokenizer_for, train

    pairs = build_pairs(load_squad(datasets / "squad" / "train-v1.1.json.gz"), seed=1)[:16]
    base = base_model()
    model = train(base, pairs, TrainConfig(batch=8, threads=1, span_weight=1.0), max_steps=2).model
    with torch.no_grad():
        logits = model(**tensors(encode(tokenizer_for(base), pairs[:3]))).logits
    assert logits.shape == (3, 1)


@pytest.mark.slow
def test_a_stopped_run_resumes_to_the_same_weights(datasets: Path, tmp_path: Path) -> None:
    """Stopped after step 2 and resumed from its checkpoint, a 4-step run ends where an
    unbroken one does (dropout draws, optimiser moments and schedule all restored)."""
    import torch

    from training.checkpoint import CheckpointError
    from training.selector import base_model
    from training.train import TrainConfig, train

    pairs = build_pairs(load_squad(datasets / "squad" / "train-v1.1.json.gz"), seed=1)[:32]
    base, config = base_model(), TrainConfig(batch=8, threads=1)
    whole = train(base, pairs, config).model.state_dict()
    folder = tmp_path / "state"
    stopped = train(base, pairs, config, checkpoint=folder, every=1, until=2)
    assert stopped.resumed_at == 0 and (folder / "training-state.pt").is_file()
    resumed = train(base, pairs, config, checkpoint=folder, every=1)
    assert resumed.resumed_at == 2
    after = resumed.model.state_dict()
    assert all(torch.allclose(whole[name], after[name], atol=1e-6) for name in whole)
    moved = stopped.model.state_dict()  # the check can fail: the stopped model differs
    assert not all(torch.allclose(whole[name], moved[name], atol=1e-6) for name in whole)
    with pytest.raises(CheckpointError, match="different training run"):
        train(base, pairs[:24], config, checkpoint=folder)


def test_dev_split_keeps_articles_apart(datasets: Path) -> None:
    split = split_dev(load_squad(datasets / "squad" / "dev-v2.0.json.gz"))
    titles = [{a.title for a in part} for part in (split.train, split.calibrate, split.measure)]
    assert all(titles) and not (
        titles[0] & titles[1] or titles[0] & titles[2] or titles[1] & titles[2]
    )


def test_threshold_balances_both_recalls() -> None:
    threshold, accuracy = best_threshold([0.9, 0.8, 0.7, 0.2], [0.1, 0.3])
    assert 0.3 < threshold <= 0.7 and accuracy == pytest.approx(0.875)


@pytest.mark.slow
def test_smoke_training_writes_a_loadable_model(datasets: Path, tmp_path: Path) -> None:
    from training.selector import NEWS, main

    out = tmp_path / "model"
    sets = [str(NEWS / "set_a"), str(NEWS / "set_d")]  # several news sets mix into one run
    args = ["--smoke", "--datasets", str(datasets), "--out", str(out), "--ablated", "0.5"]
    assert main([*args, "--news", *sets]) == 0
    selector = AnswerSelector(out)
    scores = selector.score("When did the harbour open?", [("Harbour", "It opened in 1887.")])
    assert scores.shape == (1,) and 0.0 <= float(scores[0]) <= 1.0
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["training"]["pairs"] > 0 and "selector" in metrics["squad2_measure"]
    assert metrics["training"]["news"] == ["training/news/set_a", "training/news/set_d"]
    assert metrics["training"]["ablated"] == 0.5 and "ablated" in metrics["training"]["data_card"]
    card = (out / "MODEL_CARD.md").read_text()
    assert "--ablated 0.5" in card and "answer-ablated negative" in card
    assert f"({metrics['training']['cpu']})" in card and "flags" in metrics["training"]["cpu"]
    # averaging the model with itself (`training.soup`) is measured and carded the same way
    from training.soup import main as soup_main

    souped = tmp_path / "soup"
    smoke = ["--smoke", "--datasets", str(datasets), "--weights", "1", "3"]
    assert soup_main([str(out), str(out), "--out", str(souped), *smoke]) == 0
    averaged = AnswerSelector(souped)
    again = averaged.score("When did the harbour open?", [("Harbour", "It opened in 1887.")])
    assert float(again[0]) == pytest.approx(float(scores[0]), abs=0.02)
    souped_metrics = json.loads((souped / "metrics.json").read_text())
    assert souped_metrics["soup"]["weights"] == [1.0, 3.0]
    assert souped_metrics["training"] == metrics["training"]
    assert "model soup" in (souped / "MODEL_CARD.md").read_text()


@pytest.mark.slow
def test_the_command_refuses_another_runs_checkpoint(datasets: Path, tmp_path: Path) -> None:
    import torch

    from training.checkpoint import FILE
    from training.selector import main

    folder = tmp_path / "state"
    folder.mkdir()
    torch.save({"fingerprint": "another run"}, folder / FILE)
    args = ["--smoke", "--datasets", str(datasets), "--out", str(tmp_path / "model")]
    with pytest.raises(SystemExit, match="written by a different training run"):
        main([*args, "--checkpoint", str(folder)])
    assert not (tmp_path / "model" / "model.onnx").exists()
