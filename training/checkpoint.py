"""Resumable training: the whole training state, saved every few hundred steps.

A run longer than one sitting (all of SQuAD's questions take about three hours on 2 cores) can
stop and continue where it was: the model, optimiser, learning-rate schedule, dropout generator
and step are restored, and the batch plan is rebuilt from the seed, so a resumed run ends with
the same weights as one that never stopped. The fingerprint refuses a checkpoint written by a
different run (other data, settings or plan).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

FILE = "training-state.pt"


class CheckpointError(RuntimeError):
    """The checkpoint folder holds the state of a different run."""


@dataclass(frozen=True)
class Resumed:
    step: int
    running_loss: float
    seconds: float  # training seconds spent before this process


def fingerprint(config: Any, labels: list[float], plan: list[list[int]]) -> str:
    """What makes two runs the same run: settings, data (labels, batches) and plan length."""
    digest = hashlib.sha256(json.dumps(asdict(config), sort_keys=True, default=str).encode())
    digest.update(json.dumps([len(labels), sum(labels), len(plan)]).encode())
    for batch in plan:
        digest.update(",".join(map(str, batch)).encode() + b";")
    return digest.hexdigest()


def save(folder: Path, key: str, step: int, modules: dict[str, Any], extra: dict[str, Any]) -> None:
    """Write the state atomically (a crash mid-write leaves the previous checkpoint)."""
    import torch

    folder.mkdir(parents=True, exist_ok=True)
    state = {name: m.state_dict() for name, m in modules.items() if m is not None}
    state |= {"fingerprint": key, "step": step, "rng": torch.get_rng_state(), **extra}
    partial = folder / (FILE + ".partial")
    torch.save(state, partial)
    os.replace(partial, folder / FILE)


def restore(folder: Path, key: str, modules: dict[str, Any]) -> Resumed | None:
    """Load the saved state into `modules`; None when there is nothing to resume."""
    import torch

    path = folder / FILE
    if not path.is_file():
        return None
    state = torch.load(path, weights_only=False)
    if state.get("fingerprint") != key:
        raise CheckpointError(
            f"{path} was written by a different training run (other data, settings or plan); "
            "remove it or point --checkpoint at another folder"
        )
    for name, module in modules.items():
        if module is not None:
            module.load_state_dict(state[name])
    torch.set_rng_state(state["rng"])
    return Resumed(int(state["step"]), float(state["running"]), float(state["seconds"]))
