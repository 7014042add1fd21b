"""How right the network is, for classification: the one rule for which class an output means.

One output unit is a probability of class 1: class 1 when it is over 0.5.
Several outputs (softmax) name the class of the largest. Targets are read the
same way (0/1, or one-hot), so a sample is right when both give the same class:
the accuracy is the share of samples on the confusion matrix's diagonal.
"""

from __future__ import annotations

import numpy as np


def classes(values: np.ndarray) -> np.ndarray:
    """The class each row of outputs (or targets) stands for."""
    if values.shape[1] == 1:
        return (values[:, 0] > 0.5).astype(int)
    return values.argmax(axis=1)


def accuracy(outputs: np.ndarray, targets: np.ndarray) -> float:
    """The share of samples classified right."""
    return float(np.mean(classes(outputs) == classes(targets)))


def n_classes(n_outputs: int) -> int:
    """How many classes ``n_outputs`` output units tell apart (one unit: two, 0 and 1)."""
    return 2 if n_outputs == 1 else n_outputs


def confusion(outputs: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """How many samples of each true class (rows) were given each class (columns)."""
    k = n_classes(targets.shape[1])
    return np.bincount(classes(targets) * k + classes(outputs), minlength=k * k).reshape(k, k)
