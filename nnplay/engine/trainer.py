"""The trainer: gradient descent with momentum, one step at a time.

    Delta w(t) = -eta * dE/dw + alpha * Delta w(t-1)
    w <- w + Delta w(t)

One step is one update on one minibatch; an epoch is one pass over the data.
The minibatches of epoch e are a permutation drawn from the seed and e alone,
so the state after any step is fully described by the parameters, the
velocity (the last update), the step, the epoch and the position in it.

Reading the state is lazy: ``snapshot()`` does one extra forward and backward
pass over the training set, and only when asked. Running flat out pays for the
step and for the whole-set loss that the loss history needs, nothing else
(with full-batch training even that loss comes free from the next step's
forward pass).

Rewind replays from checkpoints: exact, because every step is deterministic.
Checkpoints are dense near the present and thinned further back, so memory
stays bounded however long the run; the loss history is one float64 array.
Changes of hyper-parameters and edits of a weight are events in the history:
replay applies them at the step they were made, so stepping back is exact.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, fields, replace
from typing import NamedTuple

import numpy as np

from . import losses
from .network import Network

CHECKPOINT_EVERY = 64
CHECKPOINT_BUDGET_BYTES = 32 * 1024 * 1024
MAX_CHECKPOINTS = 256


@dataclass(frozen=True)
class Settings:
    """The hyper-parameters that may change while training."""

    loss: str = "mse"
    learning_rate: float = 0.1
    momentum: float = 0.0
    batch_size: int = 0          # 0 = full batch
    shuffle: bool = True
    l2: float = 0.0


@dataclass(frozen=True)
class LayerState:
    units: int
    activation: str
    W: np.ndarray          # (inputs, units)
    b: np.ndarray          # (units,)
    dW: np.ndarray         # dE/dW on the whole training set, at W
    db: np.ndarray
    update_W: np.ndarray   # Delta W applied by the last step
    update_b: np.ndarray
    u: np.ndarray          # (samples, units) pre-activations
    z: np.ndarray          # (samples, units) activations
    delta: np.ndarray      # (samples, units) dE/du


@dataclass(frozen=True)
class Snapshot:
    """The full state after ``step`` steps. Every array is a read-only copy."""

    step: int
    epoch: int
    loss: float
    accuracy: float | None
    diverged: bool
    settings: Settings
    inputs: np.ndarray
    targets: np.ndarray
    outputs: np.ndarray
    layers: tuple[LayerState, ...]
    params: np.ndarray
    grad: np.ndarray
    update: np.ndarray
    last_batch: np.ndarray  # indices of the samples the last step used


class Event(NamedTuple):
    step: int
    kind: str          # "settings" or "param"
    payload: object


class Checkpoint(NamedTuple):
    step: int
    epoch: int
    position: int
    params: np.ndarray
    velocity: np.ndarray
    settings: Settings
    last_batch: np.ndarray


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=float, copy=True)
    a.flags.writeable = False
    return a


def accuracy(outputs: np.ndarray, targets: np.ndarray) -> float:
    """Share of samples classified right: threshold 0.5 for one output, argmax otherwise."""
    if outputs.shape[1] == 1:
        hits = (outputs[:, 0] > 0.5) == (targets[:, 0] > 0.5)
    else:
        hits = outputs.argmax(axis=1) == targets.argmax(axis=1)
    return float(np.mean(hits))


def loss_problem(loss: str, output_activation: str, targets: np.ndarray) -> str | None:
    """Why ``loss`` cannot train an output layer of ``output_activation`` towards ``targets``
    (None when it can). The cross-entropies read the outputs as probabilities: with any other
    output, or targets outside [0, 1], their value and gradient are meaningless.
    The one rule for the loader, the Trainer and the playground's keys."""
    if loss == "cce" and output_activation != "softmax":
        return f"cce needs a softmax output layer (the output layer is {output_activation})"
    if loss == "bce":
        if output_activation not in ("sigmoid", "softmax"):
            return (f"bce needs a sigmoid or softmax output layer (the output layer is {output_activation}): "
                    "it reads the outputs as probabilities")
        low, high = float(targets.min()), float(targets.max())
        if low < 0 or high > 1:
            return f"bce needs targets from 0 to 1 (these go from {low:g} to {high:g})"
    return None


def check_settings(settings: Settings, network: Network, targets: np.ndarray) -> None:
    """Raise ValueError when ``settings`` cannot train ``network`` towards ``targets``."""
    if settings.loss not in losses.NAMES:
        raise ValueError(f"unknown loss {settings.loss!r}")
    problem = loss_problem(settings.loss, network.activations[-1], targets)
    if problem:
        raise ValueError(problem)
    if not (settings.learning_rate > 0 and math.isfinite(settings.learning_rate)):
        raise ValueError("the learning rate must be a positive number")
    if not 0 <= settings.momentum < 1:
        raise ValueError("the momentum must be in [0, 1)")
    if not 0 <= settings.batch_size <= len(targets):
        raise ValueError(f"the batch size must be between 0 (full batch) and {len(targets)}")
    if not (settings.l2 >= 0 and math.isfinite(settings.l2)):
        raise ValueError("l2 must be a number >= 0")


class Trainer:
    def __init__(
        self,
        network: Network,
        inputs: np.ndarray,
        targets: np.ndarray,
        settings: Settings,
        params: np.ndarray,
        seed: int = 0,
        classification: bool = False,
    ):
        self.network = network
        self.X = np.ascontiguousarray(inputs, dtype=float)
        self.T = np.ascontiguousarray(targets, dtype=float)
        if self.X.ndim != 2 or self.X.shape[1] != network.n_inputs:
            raise ValueError("inputs do not match the network's input width")
        if self.T.shape != (self.X.shape[0], network.n_outputs):
            raise ValueError("targets do not match the network's outputs")
        check_settings(settings, network, self.T)
        self.seed = int(seed)
        self.classification = classification
        self.initial_settings = settings
        self.initial_params = params.copy()
        self.params = params.copy()
        self.velocity = np.zeros_like(self.params)
        self.grad = np.zeros_like(self.params)
        self._W, self._b = network.unflatten(self.params)
        self._gW, self._gb = network.unflatten(self.grad)
        self._scratch = np.empty_like(self.params)
        per_checkpoint = 2 * self.params.nbytes + 512
        self._max_checkpoints = max(8, min(MAX_CHECKPOINTS, CHECKPOINT_BUDGET_BYTES // per_checkpoint))
        self._history = np.empty(1024)
        self._restart(settings)

    # -- state ---------------------------------------------------------------

    @property
    def n_samples(self) -> int:
        return self.X.shape[0]

    def _restart(self, settings: Settings) -> None:
        self.params[:] = self.initial_params
        self.velocity[:] = 0.0
        self.settings = settings
        self.step_count = 0
        self.epoch = 0
        self._position = 0
        self._permutation: np.ndarray | None = None
        self._last_batch = np.arange(0)
        self.diverged_at: int | None = None
        self._n_history = 0
        self._events: list[Event] = []
        self._checkpoints: list[Checkpoint] = []
        self._snapshot: Snapshot | None = None
        self.first_step = 0  # a run loaded from a file starts later; rewind stops there
        self.revision = getattr(self, "revision", 0) + 1  # changes whenever the state does
        self._save_checkpoint()

    def reset(self) -> None:
        """Back to step 0 with the scenario's own settings; the history is cleared."""
        self._restart(self.initial_settings)

    @property
    def position(self) -> int:
        """Where in the current epoch's order of samples the next minibatch starts."""
        return self._position

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None

    @property
    def full_batch(self) -> bool:
        return self.settings.batch_size in (0, self.n_samples)

    # -- training ------------------------------------------------------------

    def step(self, n: int = 1) -> int:
        """Take up to ``n`` steps; return how many were taken (fewer if the run diverged)."""
        if n <= 0:
            return 0
        if not self.full_batch:
            self._ensure_current_loss()  # after an event, the state itself may be non-finite
        if self.diverged_at is not None:
            return 0
        self._snapshot = None
        self.revision += 1
        with np.errstate(all="ignore"):
            return self._run(n)

    def _run(self, n: int) -> int:
        """The hot loop. Records the whole-set loss of each new state, stops on divergence."""
        net = self.network
        Ws, bs, gWs, gbs = self._W, self._b, self._gW, self._gb
        P, V, G, tmp = self.params, self.velocity, self.grad, self._scratch
        s = self.settings
        loss, lr, mu, l2 = s.loss, s.learning_rate, s.momentum, s.l2
        out = net.activations[-1]
        nw = net.n_weights
        full = self.full_batch
        X_all, T_all = self.X, self.T
        value, output_delta = losses.value, losses.output_delta
        for done in range(n):
            if full:
                X, T = X_all, T_all
            else:
                X, T = self._next_batch()
            us, zs = net.forward(Ws, bs, X)
            if full and self._n_history == self.step_count:
                # the forward pass over the whole set gives the loss of the current state
                E = value(loss, out, us[-1], zs[-1], T)
                if l2:
                    E += 0.5 * l2 * float(np.vdot(P[:nw], P[:nw]))
                self._record(E)
                if self.diverged_at is not None:
                    return done
            net.backward(Ws, us, zs, output_delta(loss, out, us[-1], zs[-1], T), gWs, gbs)
            if l2:
                G[:nw] += l2 * P[:nw]
            if mu:
                V *= mu
                np.multiply(G, lr, out=tmp)
                V -= tmp
            else:
                np.multiply(G, -lr, out=V)
            P += V
            self.step_count += 1
            if full:
                self.epoch += 1
            if not math.isfinite(P.sum()) and not np.isfinite(P).all():
                self.diverged_at = self.step_count
                return done + 1
            if not full and self._n_history == self.step_count:
                self._record(net.loss(P, X_all, T_all, loss, l2))
                if self.diverged_at is not None:
                    return done + 1
            if self.step_count % CHECKPOINT_EVERY == 0:
                self._save_checkpoint()
        return n

    def _next_batch(self) -> tuple[np.ndarray, np.ndarray]:
        if self._permutation is None:
            self._permutation = self._epoch_permutation()
        size = self.settings.batch_size
        batch = self._permutation[self._position : self._position + size]
        self._position += size
        if self._position >= self.n_samples:
            self._position = 0
            self.epoch += 1
            self._permutation = None
        self._last_batch = batch
        return self.X[batch], self.T[batch]

    def _epoch_permutation(self) -> np.ndarray:
        """The order of the samples in the current epoch: a function of the seed and the epoch."""
        if self.settings.shuffle:
            return np.random.default_rng([self.seed, self.epoch]).permutation(self.n_samples)
        return np.arange(self.n_samples)

    def _record(self, E: float) -> None:
        if self._n_history == len(self._history):
            self._history = np.concatenate([self._history, np.empty(len(self._history))])
        self._history[self._n_history] = E
        self._n_history += 1
        if not math.isfinite(E) and self.diverged_at is None:
            self.diverged_at = self.step_count

    # -- reading ---------------------------------------------------------------

    def current_loss(self) -> float:
        """The loss on the whole training set at the current parameters."""
        self._ensure_current_loss()
        return float(self._history[self.step_count])

    def _ensure_current_loss(self) -> None:
        if self._n_history == self.step_count:
            with np.errstate(all="ignore"):
                s = self.settings
                self._record(self.network.loss(self.params, self.X, self.T, s.loss, s.l2))

    def loss_history(self) -> np.ndarray:
        """Read-only view: entry i is the whole-set loss after i steps (step + 1 entries)."""
        self._ensure_current_loss()
        view = self._history[: self._n_history]
        view.flags.writeable = False
        return view

    def loss_curve(self, max_points: int) -> tuple[np.ndarray, np.ndarray]:
        """The loss history averaged down to at most ``max_points`` points: (steps, losses)."""
        h = self.loss_history()
        n = len(h)
        if n <= max_points:
            return np.arange(n, dtype=float), h.copy()
        width = -(-n // max(1, max_points))
        k = n // width
        xs = np.arange(k) * width + (width - 1) / 2
        ys = h[: k * width].reshape(k, width).mean(axis=1)
        if k * width < n:
            xs = np.append(xs, (k * width + n - 1) / 2)
            ys = np.append(ys, h[k * width :].mean())
        return xs, ys

    def accuracy(self) -> float | None:
        if not self.classification:
            return None
        with np.errstate(all="ignore"):
            return accuracy(self.network.predict(self.params, self.X), self.T)

    def snapshot(self) -> Snapshot:
        """An immutable copy of the whole state (cached until the state changes)."""
        if self._snapshot is not None:
            return self._snapshot
        s = self.settings
        with np.errstate(all="ignore"):
            ev = self.network.evaluate(self.params, self.X, self.T, s.loss, s.l2)
        self._ensure_current_loss()
        net = self.network
        Ws, bs = net.unflatten(self.params)
        gWs, gbs = net.unflatten(ev.grad)
        vWs, vbs = net.unflatten(self.velocity)
        layers = tuple(
            LayerState(
                units=spec.units,
                activation=spec.activation,
                W=_frozen(Ws[k]), b=_frozen(bs[k]),
                dW=_frozen(gWs[k]), db=_frozen(gbs[k]),
                update_W=_frozen(vWs[k]), update_b=_frozen(vbs[k]),
                u=_frozen(ev.u[k]), z=_frozen(ev.z[k + 1]), delta=_frozen(ev.delta[k]),
            )
            for k, spec in enumerate(net.layers)
        )
        outputs = ev.z[-1]
        self._snapshot = Snapshot(
            step=self.step_count,
            epoch=self.epoch,
            loss=float(self._history[self.step_count]),
            accuracy=accuracy(outputs, self.T) if self.classification else None,
            diverged=self.diverged,
            settings=s,
            inputs=_frozen(self.X),
            targets=_frozen(self.T),
            outputs=_frozen(outputs),
            layers=layers,
            params=_frozen(self.params),
            grad=_frozen(ev.grad),
            update=_frozen(self.velocity),
            last_batch=np.array(self._last_batch),
        )
        return self._snapshot

    # -- events: changes made between steps -------------------------------------

    def change_settings(self, **changes) -> Settings:
        """Change hyper-parameters from the next step on (recorded, so rewind stays exact)."""
        names = {f.name for f in fields(Settings)}
        unknown = set(changes) - names
        if unknown:
            raise ValueError(f"unknown setting {sorted(unknown)[0]!r}")
        new = replace(self.settings, **changes)
        check_settings(new, self.network, self.T)
        self._add_event(Event(self.step_count, "settings", changes))
        return new

    def set_param(self, index: int, value: float) -> None:
        """Overwrite one parameter (flat index) with ``value``, as a recorded event."""
        if not 0 <= index < self.network.n_params:
            raise IndexError(index)
        if not math.isfinite(value):
            raise ValueError("a parameter must be a finite number")
        self._add_event(Event(self.step_count, "param", (int(index), float(value))))

    def _add_event(self, event: Event) -> None:
        self._events.append(event)
        self._apply(event)
        self._save_checkpoint()

    def _apply(self, event: Event) -> None:
        if event.kind == "settings":
            old = self.settings
            self.settings = replace(old, **event.payload)
            if self.settings.shuffle != old.shuffle:
                self._permutation = None
        else:
            index, value = event.payload
            self.params[index] = value
        # the current loss may have changed (other loss, l2 or weights): measure it again
        self._n_history = min(self._n_history, self.step_count)
        self.revision += 1
        if self.diverged_at == self.step_count:
            self.diverged_at = None
        self._snapshot = None

    # -- rewind -----------------------------------------------------------------

    def _save_checkpoint(self) -> None:
        cp = Checkpoint(self.step_count, self.epoch, self._position, self.params.copy(),
                        self.velocity.copy(), self.settings, self._last_batch)
        cps = self._checkpoints
        if cps and cps[-1].step == cp.step:
            cps[-1] = cp
            return
        cps.append(cp)
        if len(cps) > self._max_checkpoints:
            # thin the older half: dense near the present, sparser into the past
            half = len(cps) // 2
            self._checkpoints = cps[:half:2] + cps[half:]

    def rewind(self, target: int) -> None:
        """Return exactly to the state after ``target`` steps (0 <= target <= step)."""
        if not self.first_step <= target <= self.step_count:
            raise ValueError(f"cannot rewind to step {target} from step {self.step_count}"
                             + (f" (this run was loaded at step {self.first_step})" if self.first_step else ""))
        if target == self.step_count:
            return
        self._events = [e for e in self._events if e.step <= target]
        self._checkpoints = [c for c in self._checkpoints if c.step <= target]
        self._n_history = min(self._n_history, target + 1)
        cp = self._checkpoints[-1]
        self.params[:] = cp.params
        self.velocity[:] = cp.velocity
        self.settings = cp.settings
        self.step_count, self.epoch, self._position = cp.step, cp.epoch, cp.position
        self._last_batch = cp.last_batch
        self._permutation = None
        if self._position:
            self._permutation = self._epoch_permutation()
        self.diverged_at = None
        self._snapshot = None
        self.revision += 1
        with np.errstate(all="ignore"):
            pending = [e for e in self._events if e.step > cp.step]
            for event in pending:
                if event.step > self.step_count:
                    self._run(event.step - self.step_count)
                self._apply(event)
                self._save_checkpoint()
            if target > self.step_count:
                self._run(target - self.step_count)

    # -- copies, trajectories, saved runs ----------------------------------------------

    def clone(self) -> "Trainer":
        """An independent trainer in the same state, with the same history to rewind through."""
        other = copy.copy(self)
        other.params = self.params.copy()
        other.velocity = self.velocity.copy()
        other.grad = self.grad.copy()
        other._scratch = np.empty_like(self.params)
        other._W, other._b = self.network.unflatten(other.params)
        other._gW, other._gb = self.network.unflatten(other.grad)
        other._history = self._history.copy()
        other._events = list(self._events)
        other._checkpoints = list(self._checkpoints)  # their arrays are never written to
        other._snapshot = None
        return other

    def trajectory(self, indices: list[int], since: int) -> tuple[np.ndarray, np.ndarray]:
        """The values of parameters ``indices`` at every step from ``since`` to now: (steps, values).

        Replayed on a clone, so this trainer is left as it is.
        """
        since = max(self.first_step, min(since, self.step_count))
        replay = self.clone()
        replay.rewind(since)
        steps = np.arange(since, self.step_count + 1)
        values = np.empty((len(steps), len(indices)))
        values[0] = replay.params[indices]
        with np.errstate(all="ignore"):
            for i in range(1, len(steps)):
                pending = [e for e in self._events if e.step == replay.step_count + 1]
                replay._run(1)
                for event in pending:
                    replay._apply(event)
                values[i] = replay.params[indices]
        return steps, values

    def events(self) -> list[Event]:
        return list(self._events)

    def restore(self, *, step: int, epoch: int, position: int, params: np.ndarray, velocity: np.ndarray,
                settings: Settings, history: np.ndarray, events: list[Event]) -> None:
        """Carry on from a saved state (a loaded run): rewinding stops at ``step``."""
        if params.shape != self.params.shape or velocity.shape != self.params.shape:
            raise ValueError("the parameters do not fit this network")
        if len(history) != step + 1:
            raise ValueError("the loss history must have one entry per step, and one for step 0")
        check_settings(settings, self.network, self.T)
        self._restart(settings)
        self.params[:] = params
        self.velocity[:] = velocity
        self.step_count, self.epoch, self._position = step, epoch, position
        self.first_step = step
        self._events = list(events)
        self._history = np.array(history, dtype=float)
        self._n_history = len(self._history)
        self._checkpoints = []
        self._save_checkpoint()
        if not math.isfinite(self._history[-1]) or not np.isfinite(self.params).all():
            self.diverged_at = step
