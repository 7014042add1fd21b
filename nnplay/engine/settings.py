"""The hyper-parameters of a run: what may change between two steps."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    loss: str = "mse"
    learning_rate: float = 0.1
    momentum: float = 0.0
    batch_size: int = 0          # 0 = full batch
    shuffle: bool = True
    l2: float = 0.0
