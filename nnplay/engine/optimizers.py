"""Optimisers: how a gradient becomes an update, one small class each.

An optimiser keeps what it needs between steps (its *state*) and turns the
gradient g of the next step into the update Δw that the trainer adds to the
parameters. ``step`` does it and moves the state on; ``peek`` says what
``step`` would return, without moving anything (the explain pane's "next
update" is the update that happens). The hyper-parameters are read from the
trainer's current ``Settings`` at every step, so they can change live; the
learning rate comes from the trainer, as the schedule gives it for this step.

Each class is the one record of its optimiser: its formula, what it keeps,
the hyper-parameters it reads (``HYPERS``: their symbols, defaults and valid
ranges) and what a learner should watch for. With a constant learning rate
each follows ``torch.optim``'s class of the same name to rounding.

``state()`` is one value (a dict of arrays; a counter such as Adam's t is a
0-d integer array) that checkpoints, clones and saved runs hold;
``load_state`` puts it back.

``explain`` gives one parameter's next update line by line (Adam's m, s, bias
corrections, m̂, ŝ; RMSProp's running square …) with its numbers: it runs the
optimiser's own ``step`` on a copy of that one parameter's state and reads
the numbers back, so its last line is the update ``step`` makes, to the bit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np

if TYPE_CHECKING:
    from .settings import Settings


@dataclass(frozen=True, eq=False)
class Hyper:
    """A hyper-parameter of the optimisers: a field of ``Settings``, its default and its valid range."""

    name: str
    symbol: str
    default: float | None
    fraction: bool     # valid in [0, 1); otherwise greater than 0
    meaning: str

    @property
    def range(self) -> str:
        return "[0, 1)" if self.fraction else "(0, ∞)"

    def problem(self, value: float | None) -> str | None:
        """What is wrong with ``value``, or None (None itself is a value only where the default is None)."""
        if value is None and self.default is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"must be a number, got {value!r}"
        if math.isinf(value):  # 1e400 is read as inf: say what was typed is, not what it became
            return f"must be {'less than 1' if self.fraction else 'a finite number'}, got a number too large"
        if self.fraction and not 0 <= value < 1:
            return f"must be at least 0 and less than 1, got {value:g}"
        if not self.fraction and not (value > 0 and math.isfinite(value)):
            return f"must be greater than 0, got {value:g}"
        return None


HYPERS: dict[str, Hyper] = {h.name: h for h in (
    Hyper("learning_rate", "η", 0.1, False, "the learning rate: the size of the steps (the schedule's base)"),
    Hyper("momentum", "α", 0.0, True, "momentum: how much of the last update (sgd) or velocity (nesterov) is kept"),
    Hyper("beta1", "β1", 0.9, True, "Adam's decay of its mean gradient m"),
    Hyper("beta2", "β2", 0.999, True, "Adam's decay of its mean squared gradient s"),
    Hyper("rho", "ρ", 0.99, True, "RMSProp's decay of its mean squared gradient s"),
    Hyper("epsilon", "ε", None, False, "added to √s so that a step never divides by 0 (unset: the optimiser's own)"),
)}


@dataclass(frozen=True)
class Line:
    """One line of an update, for one parameter: ``symbol = formula = numbers = value``, where ``numbers`` is
    the formula with ``{name}`` for each of ``values`` (the interface writes the numbers in its own way);
    an empty ``formula`` is not written (the numbers say it all)."""

    symbol: str
    formula: str
    numbers: str
    values: dict[str, float]
    value: float


def explain(state: dict[str, np.ndarray], index: int, grad: float, settings: Settings,
            learning_rate: float) -> tuple[Line, ...]:
    """Parameter ``index``'s next update under ``settings.optimizer`` in its ``state`` (``Optimizer.state()``)
    for gradient ``grad`` at ``learning_rate``, line by line; the last line is Δw. Its numbers come from that
    optimiser's ``step`` on a copy of this one parameter's state, so Δw is what the step adds, bit for bit."""
    one = OPTIMIZERS[settings.optimizer](1)
    one.load_state({key: value[index:index + 1] if value.ndim else value for key, value in state.items()})
    before = {key: float(value[0]) if value.ndim else int(value) for key, value in one.state().items()}
    update = float(one.step(np.array([float(grad)]), settings, learning_rate)[0])
    after = {key: float(value[0]) if value.ndim else int(value) for key, value in one.state().items()}
    return one.lines(before, after, float(grad), settings, learning_rate, update)


class Optimizer:
    name: ClassVar[str]
    title: ClassVar[str]
    formula: ClassVar[str]
    keeps: ClassVar[str]                      # what its state is, in words
    watch: ClassVar[str]                      # what a learner should watch for
    state_names: ClassVar[tuple[str, ...]]    # arrays of one number per parameter
    counters: ClassVar[tuple[str, ...]] = ()  # whole numbers
    hypers: ClassVar[tuple[str, ...]]         # the settings it reads (HYPERS)
    usual_learning_rates: ClassVar[tuple[float, float]]  # η that usually works, from … to (the playground suggests it)
    default_epsilon: ClassVar[float | None] = None

    def __init__(self, n_params: int):
        self.n_params = n_params
        for key in self.state_names:
            setattr(self, key, np.zeros(n_params))
        for key in self.counters:
            setattr(self, key, 0)

    def step(self, grad: np.ndarray, settings: Settings, learning_rate: float) -> np.ndarray:
        """The update for gradient ``grad`` at ``learning_rate``; the state moves on.
        The array may be reused by the next step."""
        raise NotImplementedError

    def peek(self, grad: np.ndarray, settings: Settings, learning_rate: float) -> np.ndarray:
        """What ``step(grad, settings, learning_rate)`` would return, bit for bit (the same step, on a copy),
        leaving the state as it is."""
        return self.clone().step(grad, settings, learning_rate)

    def epsilon(self, settings: Settings) -> float:
        """ε: the settings' own, or this optimiser's default."""
        if settings.epsilon is not None:
            return settings.epsilon
        assert self.default_epsilon is not None
        return self.default_epsilon

    def state(self) -> dict[str, np.ndarray]:
        arrays = {key: getattr(self, key).copy() for key in self.state_names}
        return arrays | {key: np.array(getattr(self, key), dtype=np.int64) for key in self.counters}

    def load_state(self, state: dict[str, np.ndarray]) -> None:
        if set(state) != set(self.state_names + self.counters):
            raise ValueError(f"{self.name} keeps {', '.join(self.state_names + self.counters)}")
        for key in self.state_names:
            value = np.asarray(state[key], dtype=float)
            if value.shape != (self.n_params,):
                raise ValueError(f"{key}: expected {self.n_params} numbers, got {value.size}")
            getattr(self, key)[:] = value
        for key in self.counters:
            count = np.asarray(state[key])
            if count.shape != () or count.dtype.kind not in "iu" or count < 0:
                raise ValueError(f"{key}: expected a whole number from 0, got {state[key]!r}")
            setattr(self, key, int(count))

    def lines(self, before: dict[str, float], after: dict[str, float], g: float, settings: Settings,
              learning_rate: float, update: float) -> tuple[Line, ...]:
        """One parameter's update (``explain``): its state ``before`` and ``after`` the step, the gradient
        ``g``, and the ``update`` the step made; the last line is Δw."""
        raise NotImplementedError

    def clone(self) -> Optimizer:
        other = type(self)(self.n_params)
        other.load_state(self.state())
        return other

    def reset(self) -> None:
        for key in self.state_names:
            getattr(self, key)[:] = 0.0
        for key in self.counters:
            setattr(self, key, 0)


def _divide_by_rms(grad: np.ndarray, s: np.ndarray, epsilon: float, learning_rate: float,
                   out: np.ndarray) -> np.ndarray:
    """−η · g / (√s + ε) into ``out``: RMSProp's and Adagrad's step."""
    np.sqrt(s, out=out)
    out += epsilon
    np.divide(grad, out, out=out)
    out *= -learning_rate
    return out


def _rms_line(g: float, s: float, epsilon: float, learning_rate: float, update: float) -> Line:
    """RMSProp's and Adagrad's Δw line."""
    return Line("Δw", "−η·g / (√s + ε)", "−{η}·{g} / (√{s} + {ε})",
                {"η": learning_rate, "g": g, "s": s, "ε": epsilon}, update)


class SGD(Optimizer):
    """Gradient descent with momentum, in the Δw form of Rumelhart, Hinton & Williams (1986).

    Δw(t) = −η g + α Δw(t−1);  w ← w + Δw(t).  α = 0 is plain gradient descent.
    The state is the last update, Δw(t−1): the velocity.
    """

    name = "sgd"
    title = "gradient descent with momentum"
    formula = "Δw(t) = −η·g + α·Δw(t−1)"
    keeps = "the last update Δw(t−1) (the velocity)"
    watch = ("a steady slope makes the steps grow towards η/(1 − α); near a minimum a large α overshoots and "
             "swings back, curling on the landscape; too large an η and the loss jumps up or diverges")
    state_names = ("velocity",)
    hypers = ("learning_rate", "momentum")
    usual_learning_rates = (0.01, 1.0)
    velocity: np.ndarray

    def __init__(self, n_params: int):
        super().__init__(n_params)
        self._scaled = np.empty(n_params)

    def step(self, grad: np.ndarray, settings: Settings, learning_rate: float) -> np.ndarray:
        v = self.velocity
        if settings.momentum:
            v *= settings.momentum
            np.multiply(grad, learning_rate, out=self._scaled)
            v -= self._scaled
        else:
            np.multiply(grad, -learning_rate, out=v)
        return v

    def lines(self, before, after, g, settings, learning_rate, update):
        return (Line("Δw", "−η·g + α·Δw_prev", "−{η}·{g} + {α}·{Δw_prev}",
                     {"η": learning_rate, "g": g, "α": settings.momentum, "Δw_prev": before["velocity"]}, update),)


class Nesterov(Optimizer):
    """Nesterov's momentum, in PyTorch's form: the velocity sums the gradients, and the step looks ahead.

    v ← α v + g;  w ← w − η (g + α v).
    """

    name = "nesterov"
    title = "Nesterov momentum"
    formula = "v ← α·v + g;  Δw = −η·(g + α·v)"
    keeps = "the velocity v: the gradients so far, each older one scaled down by α once more"
    watch = ("it moves like momentum but corrects sooner, using the velocity it is about to have: "
             "at the same α it overshoots less and curls less than sgd")
    state_names = ("v",)
    hypers = ("learning_rate", "momentum")
    usual_learning_rates = (0.01, 1.0)
    v: np.ndarray

    def __init__(self, n_params: int):
        super().__init__(n_params)
        self._update = np.empty(n_params)

    def step(self, grad: np.ndarray, settings: Settings, learning_rate: float) -> np.ndarray:
        v, update, alpha = self.v, self._update, settings.momentum
        v *= alpha
        v += grad
        np.multiply(v, alpha, out=update)
        update += grad
        update *= -learning_rate
        return update

    def lines(self, before, after, g, settings, learning_rate, update):
        alpha = settings.momentum
        return (Line("v", "α·v + g", "{α}·{v} + {g}", {"α": alpha, "v": before["v"], "g": g}, after["v"]),
                Line("Δw", "−η·(g + α·v)", "−{η}·({g} + {α}·{v})",
                     {"η": learning_rate, "g": g, "α": alpha, "v": after["v"]}, update))


class RMSProp(Optimizer):
    """RMSProp (Tieleman & Hinton, 2012): each weight's step divided by its recent gradients' size.

    s ← ρ s + (1 − ρ) g²;  w ← w − η g / (√s + ε).
    """

    name = "rmsprop"
    title = "RMSProp"
    formula = "s ← ρ·s + (1 − ρ)·g²;  Δw = −η·g / (√s + ε)"
    keeps = "s, a running mean of each weight's squared gradient"
    watch = ("s starts at 0, so the first steps are larger than η, up to η/√(1 − ρ) (10·η at ρ 0.99), until s "
             "has filled after about 1/(1 − ρ) steps; then every weight steps about η whatever the size of its "
             "gradient, so a weight with tiny gradients moves as fast as one with large ones; near a minimum the "
             "steps do not shrink and the loss jitters: a smaller η settles it")
    state_names = ("s",)
    hypers = ("learning_rate", "rho", "epsilon")
    usual_learning_rates = (0.0001, 0.01)
    default_epsilon = 1e-8
    s: np.ndarray

    def __init__(self, n_params: int):
        super().__init__(n_params)
        self._update = np.empty(n_params)

    def step(self, grad: np.ndarray, settings: Settings, learning_rate: float) -> np.ndarray:
        s, update, rho = self.s, self._update, settings.rho
        s *= rho
        np.multiply(grad, grad, out=update)
        update *= 1 - rho
        s += update
        return _divide_by_rms(grad, s, self.epsilon(settings), learning_rate, update)

    def lines(self, before, after, g, settings, learning_rate, update):
        rho = settings.rho
        return (Line("s", "ρ·s + (1 − ρ)·g²", "{ρ}·{s} + (1 − {ρ})·{g}²", {"ρ": rho, "s": before["s"], "g": g},
                     after["s"]),
                _rms_line(g, after["s"], self.epsilon(settings), learning_rate, update))


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015): momentum and RMSProp together, with their start-up bias corrected.

    m ← β1 m + (1 − β1) g;  s ← β2 s + (1 − β2) g²;  w ← w − η (m / (1 − β1ᵗ)) / (√(s / (1 − β2ᵗ)) + ε),
    t counting this optimiser's steps from 1.
    """

    name = "adam"
    title = "Adam"
    formula = "m ← β1·m + (1 − β1)·g;  s ← β2·s + (1 − β2)·g²;  Δw = −η·m̂ / (√ŝ + ε), m̂ = m/(1 − β1ᵗ), ŝ = s/(1 − β2ᵗ)"
    keeps = "m, a running mean of the gradient; s, of its square; t, the steps it has taken"
    watch = ("the first steps are about η for every weight (the corrections undo m and s starting at 0), "
             "so a good η is far smaller than sgd's (0.001 to 0.01); a weight whose gradient keeps its sign "
             "moves steadily by about η a step")
    state_names = ("m", "s")
    counters = ("t",)
    hypers = ("learning_rate", "beta1", "beta2", "epsilon")
    usual_learning_rates = (0.0001, 0.01)
    default_epsilon = 1e-8
    m: np.ndarray
    s: np.ndarray
    t: int

    def __init__(self, n_params: int):
        super().__init__(n_params)
        self._update = np.empty(n_params)
        self._root = np.empty(n_params)

    def step(self, grad: np.ndarray, settings: Settings, learning_rate: float) -> np.ndarray:
        m, s, update, root = self.m, self.s, self._update, self._root
        beta1, beta2 = settings.beta1, settings.beta2
        self.t += 1
        m *= beta1
        np.multiply(grad, 1 - beta1, out=update)
        m += update
        s *= beta2
        np.multiply(grad, grad, out=update)
        update *= 1 - beta2
        s += update
        np.divide(m, 1 - beta1 ** self.t, out=update)    # m̂
        np.divide(s, 1 - beta2 ** self.t, out=root)      # ŝ
        np.sqrt(root, out=root)
        root += self.epsilon(settings)
        np.divide(update, root, out=update)
        update *= -learning_rate
        return update

    def lines(self, before, after, g, settings, learning_rate, update):
        beta1, beta2, t = settings.beta1, settings.beta2, int(after["t"])
        m, s = after["m"], after["s"]
        c1, c2 = 1 - beta1 ** t, 1 - beta2 ** t    # as the step computes them
        m_hat, s_hat = m / c1, s / c2
        return (Line("t", "t + 1", "{t} + 1", {"t": before["t"]}, t),
                Line("m", "β1·m + (1 − β1)·g", "{β1}·{m} + (1 − {β1})·{g}", {"β1": beta1, "m": before["m"], "g": g}, m),
                Line("s", "β2·s + (1 − β2)·g²", "{β2}·{s} + (1 − {β2})·{g}²",
                     {"β2": beta2, "s": before["s"], "g": g}, s),
                Line("1 − β1ᵗ", "", f"1 − {{β1}}^{t}", {"β1": beta1}, c1),
                Line("1 − β2ᵗ", "", f"1 − {{β2}}^{t}", {"β2": beta2}, c2),
                Line("m̂", "m / (1 − β1ᵗ)", "{m} / {c}", {"m": m, "c": c1}, m_hat),
                Line("ŝ", "s / (1 − β2ᵗ)", "{s} / {c}", {"s": s, "c": c2}, s_hat),
                Line("Δw", "−η·m̂ / (√ŝ + ε)", "−{η}·{m̂} / (√{ŝ} + {ε})",
                     {"η": learning_rate, "m̂": m_hat, "ŝ": s_hat, "ε": self.epsilon(settings)}, update))


class Adagrad(Optimizer):
    """Adagrad (Duchi, Hazan & Singer, 2011): each weight's step divided by all its gradients so far.

    s ← s + g²;  w ← w − η g / (√s + ε).
    """

    name = "adagrad"
    title = "Adagrad"
    formula = "s ← s + g²;  Δw = −η·g / (√s + ε)"
    keeps = "s, the sum of each weight's squared gradients since it started"
    watch = ("the first step is η for every weight (s = g²) and s only grows, so every weight's steps only "
             "shrink from η: fast at first, then learning slows and stalls in a long run")
    state_names = ("s",)
    hypers = ("learning_rate", "epsilon")
    usual_learning_rates = (0.01, 1.0)
    default_epsilon = 1e-10
    s: np.ndarray

    def __init__(self, n_params: int):
        super().__init__(n_params)
        self._update = np.empty(n_params)

    def step(self, grad: np.ndarray, settings: Settings, learning_rate: float) -> np.ndarray:
        update = self._update
        np.multiply(grad, grad, out=update)
        self.s += update
        return _divide_by_rms(grad, self.s, self.epsilon(settings), learning_rate, update)

    def lines(self, before, after, g, settings, learning_rate, update):
        return (Line("s", "s + g²", "{s} + {g}²", {"s": before["s"], "g": g}, after["s"]),
                _rms_line(g, after["s"], self.epsilon(settings), learning_rate, update))


OPTIMIZERS: dict[str, type[Optimizer]] = {cls.name: cls for cls in (SGD, Nesterov, RMSProp, Adam, Adagrad)}
NAMES = tuple(OPTIMIZERS)


def reads(optimizer: str, key: str) -> bool:
    """Whether a run with ``optimizer`` reads setting ``key``: an optimiser's hyper-parameter only its own
    optimiser does (sgd's α, adam's β1); any other setting (the loss, the batch size) every run does."""
    return key not in HYPERS or key in OPTIMIZERS[optimizer].hypers
