"""Activation functions f(u) and their derivatives, written as the maths.

Each activation knows how to compute ``z = f(u)`` and how to carry a delta
back through itself: given g = dE/dz it returns dE/du. For the element-wise
functions that is ``g * f'(u)``; softmax couples the units of a sample, so its
backward pass uses the full Jacobian-vector product.

Everything is written so that no input, however large, raises a floating
point warning: the sigmoid goes through tanh (no exp overflow) and softmax
subtracts the row maximum before exponentiating.
"""

from __future__ import annotations

import numpy as np

NAMES = ("sigmoid", "tanh", "relu", "linear", "softmax")


def sigmoid(u: np.ndarray) -> np.ndarray:
    # sigma(u) = 1 / (1 + e^-u) = (1 + tanh(u/2)) / 2, which cannot overflow.
    z = np.tanh(u * 0.5)
    z *= 0.5
    z += 0.5
    return z


def softmax(u: np.ndarray) -> np.ndarray:
    e = np.exp(u - u.max(axis=1, keepdims=True))
    e /= e.sum(axis=1, keepdims=True)
    return e


def forward(name: str, u: np.ndarray) -> np.ndarray:
    """z = f(u) for the activation called ``name``."""
    if name == "sigmoid":
        return sigmoid(u)
    if name == "tanh":
        return np.tanh(u)
    if name == "relu":
        return np.maximum(u, 0.0)
    if name == "linear":
        return u
    if name == "softmax":
        return softmax(u)
    raise ValueError(f"unknown activation {name!r}")


def derivative(name: str, u: np.ndarray, z: np.ndarray) -> np.ndarray:
    """f'(u) element by element (not defined for softmax: use ``backward``)."""
    if name == "sigmoid":
        return z * (1.0 - z)
    if name == "tanh":
        return 1.0 - z * z
    if name == "relu":
        return (u > 0.0).astype(u.dtype)
    if name == "linear":
        return np.ones_like(u)
    raise ValueError(f"{name} has no element-wise derivative")


def backward(name: str, u: np.ndarray, z: np.ndarray, g: np.ndarray) -> np.ndarray:
    """delta = dE/du from g = dE/dz: the chain rule through the activation."""
    if name == "sigmoid":
        return g * z * (1.0 - z)
    if name == "tanh":
        return g * (1.0 - z * z)
    if name == "relu":
        return g * (u > 0.0)
    if name == "linear":
        return g
    if name == "softmax":
        # dz_i/du_j = z_i (1[i=j] - z_j)  =>  delta_j = z_j (g_j - sum_i g_i z_i)
        return z * (g - (g * z).sum(axis=1, keepdims=True))
    raise ValueError(f"unknown activation {name!r}")



# Look-up tables for the hot path, so that a step compares no strings.
FORWARD = {
    "sigmoid": sigmoid,
    "tanh": np.tanh,
    "relu": lambda u: np.maximum(u, 0.0),
    "linear": lambda u: u,
    "softmax": softmax,
}
BACKWARD = {name: (lambda u, z, g, _name=name: backward(_name, u, z, g)) for name in NAMES}
BACKWARD["sigmoid"] = lambda u, z, g: g * z * (1.0 - z)
BACKWARD["tanh"] = lambda u, z, g: g * (1.0 - z * z)
