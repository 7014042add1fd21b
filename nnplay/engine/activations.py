"""Activation functions: one record each, the function and its derivative side by side.

Each ``Activation`` knows how to compute ``z = f(u)`` and how to carry a delta
back through itself: given g = dE/dz, ``backward`` returns dE/du. For the
element-wise functions that is ``g * f'(u)``, with f'(u) written once, in
``derivative_into`` (from u and z, whichever is cheaper); softmax couples the units
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


@dataclass(frozen=True, eq=False)
class Activation:
    """One activation. Its maths is written once, in the in-place forms ``forward_into`` and
    ``derivative_into`` that the training step uses on its preallocated buffers; ``forward``,
    ``derivative`` and ``backward`` are the same functions giving new arrays."""

    name: str
    formula: str                                   # z = f(u)
    derivative_formula: str                        # f'(u), or how the delta is carried back
    forward_into: Callable[[Array, Array], Array]  # (u, out) -> z = f(u), written into out (returns out, or u for linear)
    backward: Callable[[Array, Array, Array], Array]  # (u, z, g = dE/dz) -> dE/du
    derivative_into: Callable[[Array, Array, Array], Array] | None = None  # (u, z, out) -> f'(u); element-wise ones
    output_only: bool = False                      # allowed on the output layer alone (softmax)

    def forward(self, u: Array) -> Array:
        """z = f(u), as a new array."""
        return self.forward_into(u, np.empty_like(u))

    @property
    def derivative(self) -> Callable[[Array, Array], Array] | None:
        """(u, z) -> f'(u) as a new array, for the element-wise activations (None for softmax)."""
        into = self.derivative_into
        return None if into is None else lambda u, z: into(u, z, np.empty_like(u))


def elementwise(name: str, formula: str, derivative_formula: str,
                forward_into: Callable[[Array, Array], Array],
                derivative_into: Callable[[Array, Array, Array], Array]) -> Activation:
    """An activation applied unit by unit: its backward pass is g · f'(u)."""
    return Activation(name, formula, derivative_formula, forward_into,
                      backward=lambda u, z, g: g * derivative_into(u, z, np.empty_like(u)),
                      derivative_into=derivative_into)


def sigmoid_into(u: Array, out: Array) -> Array:
    # σ(u) = 1 / (1 + e^−u) = (1 + tanh(u/2)) / 2, which cannot overflow.
    np.multiply(u, 0.5, out=out)
    np.tanh(out, out=out)
    out *= 0.5
    out += 0.5
    return out


def sigmoid(u: Array) -> Array:
    return sigmoid_into(u, np.empty_like(u))


def _sigmoid_derivative(u: Array, z: Array, out: Array) -> Array:
    np.subtract(1.0, z, out=out)
    out *= z
    return out


def _tanh_derivative(u: Array, z: Array, out: Array) -> Array:
    np.multiply(z, z, out=out)
    np.subtract(1.0, out, out=out)
    return out


def _relu(u: Array, out: Array) -> Array:
    return np.maximum(u, 0.0, out=out)


def _relu_derivative(u: Array, z: Array, out: Array) -> Array:
    return np.greater(u, 0.0, out=out, casting="unsafe")  # 1.0 where u > 0, else 0.0


def _ones(u: Array, z: Array, out: Array) -> Array:
    out.fill(1.0)
    return out


def softmax_into(u: Array, out: Array) -> Array:
    np.subtract(u, u.max(axis=1, keepdims=True), out=out)
    np.exp(out, out=out)
    out /= np.add.reduce(out, axis=1, keepdims=True)
    return out


def softmax(u: Array) -> Array:
    return softmax_into(u, np.empty_like(u))


def softmax_backward(u: Array, z: Array, g: Array) -> Array:
    # dz_i/du_j = z_i (1[i=j] − z_j)  =>  δ_j = z_j (g_j − Σ_i g_i z_i)
    return z * (g - (g * z).sum(axis=1, keepdims=True))


ACTIVATIONS: dict[str, Activation] = {a.name: a for a in (
    elementwise("sigmoid", "σ(u) = 1 / (1 + e^−u)", "σ′(u) = z · (1 − z)", sigmoid_into, _sigmoid_derivative),
    elementwise("tanh", "tanh(u)", "tanh′(u) = 1 − z²", lambda u, out: np.tanh(u, out=out), _tanh_derivative),
    elementwise("relu", "max(0, u)", "relu′(u) = 1 if u > 0 else 0", _relu, _relu_derivative),
    elementwise("linear", "u", "1", lambda u, out: u, _ones),  # z is u itself: nothing to compute
    Activation("softmax", "e^u_k / Σ_m e^u_m", "δ_k = z_k · (g_k − Σ_m g_m z_m) (the units are coupled)",
               softmax_into, softmax_backward, output_only=True),
)}
NAMES = tuple(ACTIVATIONS)
