"""Loss functions E(y, t) over a batch, as SPEC section 4 defines them.

y are the network's outputs (n samples x m outputs), t the targets, u the
output layer's pre-activations (needed for the numerically stable forms):

    mse  E = mean over samples and outputs of (y - t)^2
    sse  E = 1/2 * sum over samples and outputs of (y - t)^2
    mae  E = mean of |y - t|
    bce  E = mean over samples and outputs of -(t log y + (1 - t) log(1 - y))
    cce  E = mean over samples of -sum_k t_k log y_k      (softmax output)

``output_delta`` returns the output layer's delta, dE/du, which is where
backprop starts. For sigmoid+bce and softmax+cce it is the famous (y - t)/n,
computed from u without ever taking the log of 0.
"""

from __future__ import annotations

import numpy as np

from . import activations

NAMES = ("mse", "sse", "mae", "bce", "cce")

# y is clipped to [EPS, 1 - EPS] where bce cannot be computed from logits.
EPS = 1e-12


def _softplus(u: np.ndarray) -> np.ndarray:
    """log(1 + e^u) without overflow: log(e^0 + e^u), which logaddexp computes stably."""
    return np.logaddexp(0.0, u)


def value(loss: str, activation: str, u: np.ndarray, y: np.ndarray, t: np.ndarray) -> float:
    """E for outputs ``y`` (pre-activations ``u``) against targets ``t``."""
    if loss == "mse":
        d = y - t
        return float(np.vdot(d, d)) / d.size
    if loss == "sse":
        d = y - t
        return 0.5 * float(np.vdot(d, d))
    if loss == "mae":
        return float(np.abs(y - t).sum()) / y.size
    if loss == "bce":
        if activation == "sigmoid":
            # -(t log s(u) + (1-t) log(1-s(u))) = softplus(u) - t u
            return float((_softplus(u) - t * u).sum()) / u.size
        yc = np.clip(y, EPS, 1.0 - EPS)
        return float(-(t * np.log(yc) + (1.0 - t) * np.log(1.0 - yc)).sum()) / y.size
    if loss == "cce":
        if activation != "softmax":
            raise ValueError("cce needs a softmax output layer")
        shifted = u - u.max(axis=1, keepdims=True)
        log_y = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        return float(-(t * log_y).sum()) / u.shape[0]
    raise ValueError(f"unknown loss {loss!r}")


def gradient_wrt_output(loss: str, y: np.ndarray, t: np.ndarray) -> np.ndarray:
    """dE/dy for each output of each sample (the 'error signal')."""
    if loss == "mse":
        return (2.0 / y.size) * (y - t)
    if loss == "sse":
        return y - t
    if loss == "mae":
        return np.sign(y - t) / y.size
    if loss == "bce":
        yc = np.clip(y, EPS, 1.0 - EPS)
        return (yc - t) / (yc * (1.0 - yc)) / y.size
    if loss == "cce":
        yc = np.clip(y, EPS, None)
        return -t / yc / y.shape[0]
    raise ValueError(f"unknown loss {loss!r}")


def output_delta(loss: str, activation: str, u: np.ndarray, y: np.ndarray, t: np.ndarray) -> np.ndarray:
    """delta = dE/du for the output layer."""
    if loss == "bce" and activation == "sigmoid":
        return (y - t) * (1.0 / y.size)
    if loss == "cce":
        if activation != "softmax":
            raise ValueError("cce needs a softmax output layer")
        # dE/du = (y * sum_k t_k - t) / n; with one-hot targets that is (y - t) / n
        return (y * t.sum(axis=1, keepdims=True) - t) * (1.0 / y.shape[0])
    return activations.ACTIVATIONS[activation].backward(u, y, gradient_wrt_output(loss, y, t))
