"""Optimisers: how a gradient becomes an update, one small class each.

An optimiser keeps what it needs between steps (its *state*) and turns the
gradient g of the next step into the update Δw that the trainer adds to the
parameters. ``step`` does it and moves the state on; ``peek`` says what
``step`` would return, without moving anything (the explain pane's "next
update" is the update that happens). The hyper-parameters are read from the
trainer's current ``Settings`` at every step, so they can change live.

``state()`` is one value (a dict of arrays) that checkpoints, clones and saved
runs hold; ``load_state`` puts it back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import numpy as np

if TYPE_CHECKING:
    from .settings import Settings


class Optimizer:
    name: ClassVar[str]
    formula: ClassVar[str]
    state_names: ClassVar[tuple[str, ...]]

    def __init__(self, n_params: int):
        self.n_params = n_params
        for key in self.state_names:
            setattr(self, key, np.zeros(n_params))

    def step(self, grad: np.ndarray, settings: Settings) -> np.ndarray:
        """The update for gradient ``grad``; the state moves on. The array may be reused by the next step."""
        raise NotImplementedError

    def peek(self, grad: np.ndarray, settings: Settings) -> np.ndarray:
        """What ``step(grad, settings)`` would return, bit for bit, leaving the state as it is."""
        raise NotImplementedError

    def state(self) -> dict[str, np.ndarray]:
        return {key: getattr(self, key).copy() for key in self.state_names}

    def load_state(self, state: dict[str, np.ndarray]) -> None:
        if set(state) != set(self.state_names):
            raise ValueError(f"{self.name} keeps {', '.join(self.state_names)}")
        for key in self.state_names:
            value = np.asarray(state[key], dtype=float)
            if value.shape != (self.n_params,):
                raise ValueError(f"{key}: expected {self.n_params} numbers, got {value.size}")
            getattr(self, key)[:] = value

    def clone(self) -> Optimizer:
        other = type(self)(self.n_params)
        other.load_state(self.state())
        return other

    def reset(self) -> None:
        for key in self.state_names:
            getattr(self, key)[:] = 0.0


class SGD(Optimizer):
    """Gradient descent with momentum, in the Δw form of Rumelhart, Hinton & Williams (1986).

    Δw(t) = −η g + α Δw(t−1);  w ← w + Δw(t).  α = 0 is plain gradient descent.
    The state is the last update, Δw(t−1): the velocity.
    """

    name = "sgd"
    formula = "Δw(t) = −η·g + α·Δw(t−1)"
    state_names = ("velocity",)
    velocity: np.ndarray

    def __init__(self, n_params: int):
        super().__init__(n_params)
        self._scaled = np.empty(n_params)

    def step(self, grad: np.ndarray, settings: Settings) -> np.ndarray:
        v = self.velocity
        if settings.momentum:
            v *= settings.momentum
            np.multiply(grad, settings.learning_rate, out=self._scaled)
            v -= self._scaled
        else:
            np.multiply(grad, -settings.learning_rate, out=v)
        return v

    def peek(self, grad: np.ndarray, settings: Settings) -> np.ndarray:
        if settings.momentum:
            return self.velocity * settings.momentum - grad * settings.learning_rate
        return grad * -settings.learning_rate


OPTIMIZERS: dict[str, type[Optimizer]] = {cls.name: cls for cls in (SGD,)}
NAMES = tuple(OPTIMIZERS)
