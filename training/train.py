"""Fine-tune all-MiniLM-L6-v2 as a cross-encoder on answer-selection pairs (torch, CPU).

Pointwise: one logit per (question, candidate) pair, binary cross-entropy against "answers".
Pairs are tokenised once with the run-time tokenizer, then batched by length (a batch of
similar lengths pads little), and batches are shuffled so the order of lengths is not learnt.
bf16 autocast where the CPU computes bf16 natively (AVX-512 BF16 / AMX); fp32 otherwise.
"""

from __future__ import annotations

import math
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tokenizers import Tokenizer

from assistant.answering.selector import MAX_TOKENS, candidate_text
from training.checkpoint import fingerprint, restore, save
from training.pairs import Pair


@dataclass(frozen=True)
class TrainConfig:
    epochs: float = 1.0
    batch: int = 32
    learning_rate: float = 5e-5
    warmup: float = 0.06
    seed: int = 7
    threads: int = 2
    #: Weight of an auxiliary loss that points at the answer's tokens (0: off). The span head
    #: is a training aid only: the exported model keeps its one "answers" logit.
    span_weight: float = 0.0


def _cpuinfo() -> str:
    try:
        return Path("/proc/cpuinfo").read_text(encoding="utf-8")
    except OSError:
        return ""


def native_bf16() -> bool:
    """Whether this CPU computes bf16 in hardware (else autocast would only slow it down)."""
    flags = _cpuinfo()
    return "avx512_bf16" in flags or "amx_bf16" in flags


def cpu_description() -> str:
    """The CPU's model name and the flags that decide training speed, for the model card."""
    info = _cpuinfo()
    name = next((line.split(":", 1)[1].strip() for line in info.splitlines()
                 if line.startswith("model name")), "unknown CPU")  # fmt: skip
    words = set(info.split())
    flags = [f for f in ("avx2", "avx512_bf16", "amx_bf16") if f in words]
    return f"{name}, flags {' '.join(flags) or 'none of avx2/avx512_bf16/amx_bf16'}"


def tokenizer_for(base: Path) -> Tokenizer:
    tokenizer = Tokenizer.from_file(str(base / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_TOKENS, strategy="longest_first")
    tokenizer.no_padding()
    return tokenizer


def encode(tokenizer: Tokenizer, pairs: list[Pair]) -> list[Any]:
    return list(
        tokenizer.encode_batch([(p.question, candidate_text(p.title, p.sentence)) for p in pairs])
    )


def _batches(lengths: list[int], size: int, rng: random.Random) -> list[list[int]]:
    """Indices grouped into batches of similar length, in a random order of batches."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    pool = size * 50  # sort within pools so each epoch's batches differ
    batches = []
    for begin in range(0, len(order), pool):
        chunk = sorted(order[begin : begin + pool], key=lambda i: lengths[i])
        batches += [chunk[i : i + size] for i in range(0, len(chunk), size)]
    rng.shuffle(batches)
    return batches


def span_targets(pairs: list[Pair], encodings: list[Any]) -> tuple[list[int], list[int]]:
    """Start and end token of each positive's answer; 0 (the [CLS] token) for a negative.

    -100 (ignored) where a positive's answer was not found or was truncated away.
    """
    starts, ends = [], []
    for pair, enc in zip(pairs, encodings, strict=True):
        if pair.label < 0.5:
            starts.append(0)
            ends.append(0)
            continue
        text = candidate_text(pair.title, pair.sentence)
        at = text.find(pair.answer, len(text) - len(pair.sentence)) if pair.answer else -1
        stop = at + len(pair.answer)
        spans = zip(enc.sequence_ids, enc.offsets, strict=True)
        tokens = [i for i, (seq, (begin, end)) in enumerate(spans)
                  if seq == 1 and end > at and begin < stop]  # fmt: skip
        found = at >= 0 and bool(tokens)
        starts.append(tokens[0] if found else -100)
        ends.append(tokens[-1] if found else -100)
    return starts, ends


def tensors(encodings: list[Any]) -> dict[str, Any]:
    import torch

    width = max(len(e.ids) for e in encodings)
    shape = (len(encodings), width)
    ids = torch.zeros(shape, dtype=torch.long)
    mask = torch.zeros(shape, dtype=torch.long)
    types = torch.zeros(shape, dtype=torch.long)
    for row, enc in enumerate(encodings):
        n = len(enc.ids)
        ids[row, :n] = torch.tensor(enc.ids)
        mask[row, :n] = 1
        types[row, :n] = torch.tensor(enc.type_ids)
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}


@dataclass(frozen=True)
class Trained:
    model: Any  # transformers `BertForSequenceClassification`, one logit, in eval mode
    minutes: float  # training minutes, including those before a resume
    resumed_at: int  # the step a checkpoint resumed from (0: started afresh)


def train(
    base: Path,
    pairs: list[Pair],
    config: TrainConfig,
    max_steps: int | None = None,
    *,
    checkpoint: Path | None = None,
    every: int = 500,
    until: int | None = None,
) -> Trained:
    """Fine-tune; with `checkpoint`, save the state every `every` steps and resume from it.

    `until` stops after that step (the plan and schedule stay those of the whole run), so a
    run can be split; the returned model is then the partly trained one.
    """
    import torch
    from transformers import AutoModelForSequenceClassification

    torch.manual_seed(config.seed)
    torch.set_num_threads(config.threads)
    model = AutoModelForSequenceClassification.from_pretrained(str(base), num_labels=1)
    model.train()
    encodings = encode(tokenizer_for(base), pairs)
    labels = torch.tensor([p.label for p in pairs], dtype=torch.float32)
    rng = random.Random(config.seed)
    epochs = math.ceil(config.epochs)
    plan = [b for _ in range(epochs) for b in _batches([len(e.ids) for e in encodings],
                                                       config.batch, rng)]  # fmt: skip
    plan = plan[: round(len(plan) * config.epochs / epochs)]
    if max_steps is not None:
        plan = plan[:max_steps]
    # Built only when used: its initialisation draws from torch's generator, which would change
    # the dropout masks (and so the model) of the shipped recipe.
    span_head = torch.nn.Linear(model.config.hidden_size, 2) if config.span_weight else None
    if span_head is not None:  # a pass over every pair's tokens: only when the head learns
        starts, ends = (torch.tensor(t) for t in span_targets(pairs, encodings))
    weights = [*model.parameters(), *(span_head.parameters() if span_head else ())]
    optimiser = torch.optim.AdamW(weights, lr=config.learning_rate, weight_decay=0.01)
    warm = max(1, int(len(plan) * config.warmup))

    def rate(step: int) -> float:
        return step / warm if step < warm else max(0.0, (len(plan) - step) / (len(plan) - warm))

    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, rate)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    bf16 = native_bf16()
    modules = {"model": model, "span_head": span_head, "optimiser": optimiser, "schedule": schedule}
    key = fingerprint(config, [p.label for p in pairs], plan) if checkpoint else ""
    resumed = restore(checkpoint, key, modules) if checkpoint else None
    first = resumed.step if resumed else 0
    before = resumed.seconds if resumed else 0.0
    running = resumed.running_loss if resumed else 0.0
    if resumed:
        print(f"resuming at step {first}/{len(plan)} from {checkpoint}", file=sys.stderr)
    started = time.monotonic()
    last = min(len(plan), until) if until is not None else len(plan)
    for step in range(first + 1, last + 1):
        batch = plan[step - 1]
        inputs = tensors([encodings[i] for i in batch])
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            out = model(**inputs, output_hidden_states=span_head is not None)
            logits = out.logits.squeeze(-1)
            span = span_head(out.hidden_states[-1]) if span_head is not None else None
        loss = loss_fn(logits.float(), labels[batch])
        if span is not None:
            padding = (inputs["attention_mask"] == 0).unsqueeze(-1)
            span = span.float().masked_fill(padding, -1e4)
            pointer = torch.nn.functional.cross_entropy
            loss = loss + config.span_weight * 0.5 * (
                pointer(span[..., 0], starts[batch], ignore_index=-100)
                + pointer(span[..., 1], ends[batch], ignore_index=-100)
            )
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimiser.step()
        schedule.step()
        optimiser.zero_grad(set_to_none=True)
        value = loss.item()
        running = 0.98 * running + 0.02 * value if step > 1 else value
        if step % 200 == 0 or step == len(plan):
            spent = time.monotonic() - started
            eta = spent / (step - first) * (len(plan) - step)
            print(f"step {step}/{len(plan)}  loss {running:.4f}  {(before + spent) / 60:.1f} min  "
                  f"eta {eta / 60:.1f} min", file=sys.stderr, flush=True)  # fmt: skip
        if checkpoint is not None and (step % every == 0 or step == last):
            seconds = before + time.monotonic() - started
            save(checkpoint, key, step, modules, {"running": running, "seconds": seconds})
    model.eval()
    minutes = (before + time.monotonic() - started) / 60
    return Trained(model, round(minutes, 1), first)
