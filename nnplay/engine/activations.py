"""Activation functions: one record each, the function and its derivative side by side.

Each ``Activation`` knows how to compute ``z = f(u)`` and how to carry a delta
back through itself: given g = dE/dz, ``backward`` returns dE/du. For the
element-wise functions that is ``g * f'(u)``, with f'(u) written once, in
``derivative`` (from u and z, whichever is cheaper); softmax couples the units
of a sample, so its backward pass is the full Jacobian-vector product and it
has no element-wise derivative. Everything else (the network, the loader, the
explain pane, the tests) reads ``ACTIVATIONS``: a new activation is one more
record here.

Nothing here raises a floating point warning however large the input: the
sigmoid goes through tanh (no exp overflow) and softmax subtracts the row
maximum before exponentiating.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray


@dataclass(frozen=True)
class Activation:
    name: str
    formula: str                                   # z = f(u)
    derivative_formula: str                        # f'(u), or how the delta is carried back
    forward: Callable[[Array], Array]
    backward: Callable[[Array, Array, Array], Array]  # (u, z, g = dE/dz) -> dE/du
    derivative: Callable[[Array, Array], Array] | None = None  # (u, z) -> f'(u), element-wise ones only
    output_only: bool = False                      # allowed on the output layer alone (softmax)


def elementwise(name: str, formula: str, derivative_formula: str,
                forward: Callable[[Array], Array], derivative: Callable[[Array, Array], Array]) -> Activation:
    """An activation applied unit by unit: its backward pass is g · f'(u)."""
    return Activation(name, formula, derivative_formula, forward,
                      backward=lambda u, z, g: g * derivative(u, z), derivative=derivative)


def sigmoid(u: Array) -> Array:
    # σ(u) = 1 / (1 + e^−u) = (1 + tanh(u/2)) / 2, which cannot overflow.
    z = np.tanh(u * 0.5)
    z *= 0.5
    z += 0.5
    return z


def softmax(u: Array) -> Array:
    e = np.exp(u - u.max(axis=1, keepdims=True))
    e /= e.sum(axis=1, keepdims=True)
    return e


def softmax_backward(u: Array, z: Array, g: Array) -> Array:
    # dz_i/du_j = z_i (1[i=j] − z_j)  =>  δ_j = z_j (g_j − Σ_i g_i z_i)
    return z * (g - (g * z).sum(axis=1, keepdims=True))


ACTIVATIONS: dict[str, Activation] = {a.name: a for a in (
    elementwise("sigmoid", "σ(u) = 1 / (1 + e^−u)", "σ′(u) = z · (1 − z)",
                sigmoid, lambda u, z: z * (1.0 - z)),
    elementwise("tanh", "tanh(u)", "tanh′(u) = 1 − z²",
                np.tanh, lambda u, z: 1.0 - z * z),
    elementwise("relu", "max(0, u)", "relu′(u) = 1 if u > 0 else 0",
                lambda u: np.maximum(u, 0.0), lambda u, z: (u > 0.0).astype(u.dtype)),
    elementwise("linear", "u", "1",
                lambda u: u, lambda u, z: np.ones_like(u)),
    Activation("softmax", "e^u_k / Σ_m e^u_m", "δ_k = z_k · (g_k − Σ_m g_m z_m) (the units are coupled)",
               softmax, softmax_backward, output_only=True),
)}
NAMES = tuple(ACTIVATIONS)
