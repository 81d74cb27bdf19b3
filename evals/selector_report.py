"""`briefing eval --selector`: the answer selector vs the packaged bi-encoder on held-out data.

SQuAD 2.0 dev, the articles the selector was neither trained nor calibrated on (the split in
`training.squad.split_dev`): answer-sentence top-1 among the paragraph's and the article's
sentences, abstention ROC-AUC and accuracy at the shipped threshold. SelQA test (never trained
on): MAP and MRR. The datasets are read from `BRIEFING_DATASETS_DIR`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.answering.selector import load_selector
from assistant.config import PACKAGED_MODEL, Settings
from assistant.search.embeddings import resolve_model_path
from training.measure import bi_encoder, selqa_metrics, squad_metrics
from training.squad import load_squad, split_dev

SQUAD_DEV = Path("squad") / "dev-v2.0.json.gz"
SELQA_TEST = Path("selqa") / "selqa-ass-test.json.gz"


def run_selector_eval(settings: Settings, limit: int = 1500) -> dict[str, Any]:
    """Raises ValueError when the selector is off or the datasets are missing."""
    folder = settings.answer_selector_path
    if folder is None:
        raise ValueError("the answer selector is off (BRIEFING_ANSWER_SELECTOR=off)")
    missing = [str(settings.datasets_dir / p) for p in (SQUAD_DEV, SELQA_TEST)
               if not (settings.datasets_dir / p).is_file()]  # fmt: skip
    if missing:
        raise ValueError(f"datasets not found: {', '.join(missing)} (set BRIEFING_DATASETS_DIR)")
    selector = load_selector(folder)
    scorers = {
        "selector": selector.score,
        "bi-encoder": bi_encoder(Path(resolve_model_path(PACKAGED_MODEL))),
    }
    measure = split_dev(load_squad(settings.datasets_dir / SQUAD_DEV)).measure
    # the model's own P at its SQuAD threshold (the combiner's threshold is on another scale)
    own = selector.card.threshold
    squad = squad_metrics(measure, scorers, limit=limit, thresholds={"selector": own})
    return {
        "name": "selector",
        "model": str(folder),
        "threshold": own,
        "squad2_heldout": squad,
        "selqa_test": selqa_metrics(settings.datasets_dir / SELQA_TEST, scorers),
    }


def to_markdown(report: dict[str, Any]) -> str:
    squad, selqa = report["squad2_heldout"], report["selqa_test"]
    counts = squad["_counts"]
    rows = []
    for name in ("selector", "bi-encoder"):
        s, q = squad[name], selqa[name]
        accuracy = s.get("abstention_accuracy")
        rows.append(
            f"| {name} | {s['top1_paragraph']:.3f} | {s['top1_article']:.3f} | "
            f"{s['abstention_roc_auc']:.3f} | {'—' if accuracy is None else f'{accuracy:.3f}'} | "
            f"{q['map']:.3f} | {q['mrr']:.3f} |"
        )
    return "\n".join([
        "# Answer selector vs bi-encoder (held-out data)",
        "",
        f"Model: `{report['model']}`, threshold {report['threshold']:.4f}. SQuAD 2.0 dev, held-out "
        f"articles: {counts['answerable']} answerable + {counts['unanswerable']} unanswerable "
        f"questions; SelQA test: {selqa['selector']['n']} questions.",
        "In the whole article the selector re-ranks the bi-encoder's top 20, as the answerer does.",
        "",
        "| scorer | top-1 in paragraph | top-1 in article | abstention ROC-AUC | abstention "
        "accuracy at threshold | SelQA MAP | SelQA MRR |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
    ])  # fmt: skip
