"""Initial weights and biases.

    uniform  w ~ U(-scale, scale)             biases drawn the same way
    normal   w ~ N(0, scale^2)                biases drawn the same way
    xavier   w ~ U(-a, a), a = sqrt(6 / (fan_in + fan_out))   biases 0
    he       w ~ N(0, 2 / fan_in)                             biases 0

``uniform`` and ``normal`` give the biases small random values too, as the
classic back-propagation papers did; the modern schemes start them at 0.
The draws come from one seeded generator, layer by layer (W, then b), so the
same seed always gives the same network.
"""

from __future__ import annotations

import numpy as np

SCHEMES = ("uniform", "normal", "xavier", "he")


def draw(scheme: str, scale: float, fan_in: int, fan_out: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Return (W of shape (fan_in, fan_out), b of shape (fan_out,))."""
    shape = (fan_in, fan_out)
    if scheme == "uniform":
        return rng.uniform(-scale, scale, shape), rng.uniform(-scale, scale, fan_out)
    if scheme == "normal":
        return rng.normal(0.0, scale, shape), rng.normal(0.0, scale, fan_out)
    if scheme == "xavier":
        a = np.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-a, a, shape), np.zeros(fan_out)
    if scheme == "he":
        return rng.normal(0.0, np.sqrt(2.0 / fan_in), shape), np.zeros(fan_out)
    raise ValueError(f"unknown initialisation scheme {scheme!r}")
