"""Numbers for JSON: a number that is not finite is written as null, so the output is always valid JSON."""

from __future__ import annotations

import math

import numpy as np


def number(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def array(a: np.ndarray) -> list:
    """Nested lists of floats (full precision), None where a number is not finite."""
    a = np.asarray(a, dtype=float)
    if np.isfinite(a).all():
        return a.tolist()
    out = a.astype(object)
    out[~np.isfinite(a)] = None
    return out.tolist()
