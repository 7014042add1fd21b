"""Loss functions E(y, t) over a batch, as SPEC section 4 defines them: one record each.

y are the network's outputs (n samples x m outputs), t the targets, u the
output layer's pre-activations (needed for the numerically stable forms):

    mse  E = mean over samples and outputs of (y - t)^2
    sse  E = 1/2 * sum over samples and outputs of (y - t)^2
    mae  E = mean of |y - t|
    bce  E = mean over samples and outputs of -(t log y + (1 - t) log(1 - y))
    cce  E = mean over samples of -sum_k t_k log y_k      (softmax output)

A ``Loss`` keeps everything about one loss: its value, dE/dy, the output
delta dE/du where it simplifies (sigmoid+bce and softmax+cce give the famous
(y - t)/n, computed without ever taking the log of 0), its formula, whether
it is a classification loss, and which outputs and targets it accepts. The
loader, the trainer, the playground's keys, the cost calculator and the
gradient tests all read ``LOSSES``: a new loss is one more record here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from .activations import ACTIVATIONS

Array = np.ndarray

# y is clipped to [EPS, 1 - EPS] where a cross-entropy cannot be computed from u
EPS = 1e-12


@dataclass(frozen=True, eq=False)
class Loss:
    name: str
    formula: str
    value: Callable[[str, Array, Array, Array], float]       # (output activation, u, y, t) -> E
    gradient: Callable[[Array, Array], Array]                # (y, t) -> dE/dy
    # activation -> (y, t, out) -> dE/du written into out: the output delta where it simplifies
    fused: Mapping[str, Callable[[Array, Array, Array], Array]] = field(default_factory=dict)
    outputs: tuple[str, ...] | None = None                   # output activations it accepts (None: any)
    probabilities: bool = False                              # reads y and t as probabilities in [0, 1]
    classification: bool = False
    summed: bool = False        # E is the sum of the samples' losses (sse), not their mean: dE/de = 1, not 1/n

    def share(self, n: int) -> float:
        """dE/de: how much one sample's own loss e counts in E over a batch of ``n`` samples."""
        return 1.0 if self.summed else 1.0 / n

    def problem(self, output_activation: str, targets: Array) -> str | None:
        """Why this loss cannot train an output layer of ``output_activation`` towards ``targets``
        (None when it can): the one rule for the loader, the trainer and the playground's keys."""
        if self.outputs is not None and output_activation not in self.outputs:
            need = " or ".join(self.outputs)
            return (f"{self.name} needs a {need} output layer (the output layer is {output_activation})"
                    + (": it reads the outputs as probabilities" if self.probabilities else ""))
        if self.probabilities and targets.size:
            low, high = float(targets.min()), float(targets.max())
            if low < 0 or high > 1:
                return f"{self.name} needs targets from 0 to 1 (these go from {low:g} to {high:g})"
        return None

    def prediction_problem(self, y: Array, t: Array) -> str | None:
        """Why this loss has no value for one sample's prediction ``y`` and target ``t`` (the cost
        calculator's question), or None."""
        if self.probabilities and not (np.all((t >= 0) & (t <= 1)) and np.all((y >= 0) & (y <= 1))):
            return "needs numbers in [0, 1]"
        if self.outputs == ("softmax",) and not (y.size >= 2 and abs(float(y.sum()) - 1) < 1e-6):
            return "needs two or more probabilities that add up to 1"
        return None

    def delta(self, output_activation: str, u: Array, y: Array, t: Array, out: Array | None = None) -> Array:
        """δ = dE/du of the output layer, where backprop starts (written into ``out`` when given)."""
        fused = self.fused.get(output_activation)
        if fused is not None:
            return fused(y, t, np.empty_like(y) if out is None else out)
        delta = ACTIVATIONS[output_activation].backward(u, y, self.gradient(y, t))
        if out is None:
            return delta
        np.copyto(out, delta)
        return out


def _mse(out: str, u: Array, y: Array, t: Array) -> float:
    d = y - t
    return float(np.vdot(d, d)) / d.size


def _sse(out: str, u: Array, y: Array, t: Array) -> float:
    d = y - t
    return 0.5 * float(np.vdot(d, d))


def _mae(out: str, u: Array, y: Array, t: Array) -> float:
    return float(np.add.reduce(np.abs(y - t), None)) / y.size


def _bce(out: str, u: Array, y: Array, t: Array) -> float:
    if out == "sigmoid":
        # -(t log σ(u) + (1-t) log(1-σ(u))) = softplus(u) - t u, and softplus(u) = log(1 + e^u) = log(e^0 + e^u),
        # which logaddexp computes without overflow
        return float(np.add.reduce(np.logaddexp(0.0, u) - t * u, None)) / u.size
    yc = np.clip(y, EPS, 1.0 - EPS)
    return float(-np.add.reduce(t * np.log(yc) + (1.0 - t) * np.log(1.0 - yc), None)) / y.size


def _bce_gradient(y: Array, t: Array) -> Array:
    yc = np.clip(y, EPS, 1.0 - EPS)
    return (yc - t) / (yc * (1.0 - yc)) / y.size


def _difference_over_n(y: Array, t: Array, out: Array) -> Array:
    """(y − t)/n, n the number of samples times outputs: sigmoid with bce."""
    np.subtract(y, t, out=out)
    out *= 1.0 / y.size
    return out


def _softmax_cce_delta(y: Array, t: Array, out: Array) -> Array:
    """(y · Σ_k t_k − t)/n, n the number of samples: softmax with cce (with one-hot targets, (y − t)/n)."""
    np.multiply(y, np.add.reduce(t, axis=1, keepdims=True), out=out)
    out -= t
    out *= 1.0 / y.shape[0]
    return out


def _cce(out: str, u: Array, y: Array, t: Array) -> float:
    # log softmax from u: never the log of 0
    shifted = u - u.max(axis=1, keepdims=True)
    log_y = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-np.add.reduce(t * log_y, None)) / u.shape[0]


LOSSES: dict[str, Loss] = {loss.name: loss for loss in (
    Loss("mse", "E = mean of (y − t)²", _mse, lambda y, t: (2.0 / y.size) * (y - t)),
    Loss("sse", "E = ½ · Σ (y − t)²", _sse, lambda y, t: y - t, summed=True),
    Loss("mae", "E = mean of |y − t|", _mae, lambda y, t: np.sign(y - t) / y.size),
    Loss("bce", "E = mean of −(t·log y + (1 − t)·log(1 − y))", _bce, _bce_gradient,
         fused={"sigmoid": _difference_over_n},
         outputs=("sigmoid", "softmax"), probabilities=True, classification=True),
    Loss("cce", "E = mean over samples of −Σ_k t_k·log y_k", _cce,
         lambda y, t: -t / np.clip(y, EPS, None) / y.shape[0],
         fused={"softmax": _softmax_cce_delta},
         outputs=("softmax",), probabilities=True, classification=True),
)}
NAMES = tuple(LOSSES)

