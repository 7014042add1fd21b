"""The trainer: one step at a time, exact to step back.

One step is one update on one minibatch; an epoch is one pass over the data.
The minibatches of epoch e are a permutation drawn from the seed and e alone,
so the state after any step is fully described by the parameters, the
optimiser's state, the step, the epoch and the position in it. The optimiser
(``optimizers.py``) turns each gradient into the update; the timeline
(``timeline.py``) keeps the events and checkpoints that make stepping back
exact; the loss history (``history.py``) keeps the whole-set loss after
every step.

Reading the state is lazy: ``snapshot()`` does one extra forward and backward
pass over the training set, and only when asked. Running flat out pays for the
step and for the whole-set loss that the loss history needs, nothing else
(with full-batch training even that loss comes free from the next step's
forward pass).

A held-out test set, when there is one, never touches the gradient: its loss
(the same function as the training loss, L2 term included, at the same
parameters) is measured at exactly the steps the training loss is, into a
second history kept beside the first (``test_history``), so the two are cut,
folded, saved and replayed alike.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace

import numpy as np

from . import losses
from .history import LossHistory
from .metrics import accuracy, confusion
from .network import Buffers, Network
from .optimizers import OPTIMIZERS
from .settings import Settings
from .settings import problems as settings_problems
from .timeline import CHECKPOINT_EVERY, Checkpoint, Event, Timeline

__all__ = ["Event", "LayerState", "Settings", "Snapshot", "Trainer", "check_settings", "learning_rates"]


@dataclass(frozen=True, eq=False)
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


@dataclass(frozen=True, eq=False)
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
    update: np.ndarray      # what the last step added to the parameters
    last_batch: np.ndarray  # indices of the samples the last step used
    next_batch: np.ndarray  # indices of the samples the next step trains on
    next_grad: np.ndarray    # dE/dw on the next step's batch (the whole set with full batches), L2 included
    next_update: np.ndarray  # exactly what the next step adds to the parameters (its batch, its optimiser)
    current_learning_rate: float  # η at this step: the learning rate as the schedule gives it (Trainer.learning_rate_now)
    optimizer_state: dict[str, np.ndarray]  # the optimiser's state at this step (Optimizer.state(), read-only copies)
    # the held-out test set at these parameters (None without one); confusion: rows true class,
    # columns predicted, on the training set and on the test set (None without classes); the
    # test loss is the training loss's function (L2 term included) on the test set
    test_loss: float | None = None
    test_accuracy: float | None = None
    test_outputs: np.ndarray | None = None
    confusion: np.ndarray | None = None
    test_confusion: np.ndarray | None = None


def _frozen_indices(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=np.int64, copy=True)
    a.flags.writeable = False
    return a


def _frozen(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=float, copy=True)
    a.flags.writeable = False
    return a


def _frozen_state(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False  # (Optimizer.state() gives copies)
    return a


def _sets_base(event: Event) -> bool:
    """Whether ``event`` sets the learning rate or the schedule: the schedule starts again from it, the
    learning rate set last as its base."""
    return event.kind == "settings" and ("learning_rate" in event.payload or "schedule" in event.payload)


def learning_rates(settings: Settings, events: Iterable[Event], steps: Iterable[int]) -> np.ndarray:
    """η at each of ``steps`` (ascending) in a run that started with ``settings`` and had ``events`` (oldest
    first): what ``Trainer.learning_rate_now`` gives at that step, by the same rules (the settings as the
    events at or before it left them, the schedule counted from the last that set its base)."""
    pending = iter(events)
    event = next(pending, None)
    start, rates = 0, []
    for step in steps:
        while event is not None and event.step <= step:
            if event.kind == "settings":
                settings = replace(settings, **event.payload)
                if _sets_base(event):
                    start = event.step
            event = next(pending, None)
        rates.append(settings.schedule.rate(settings.learning_rate, step - start))
    return np.array(rates, dtype=float)


def check_settings(settings: Settings, network: Network, targets: np.ndarray) -> None:
    """Raise ValueError when ``settings`` cannot train ``network`` towards ``targets``."""
    for key, problem in settings_problems(settings, network.activations[-1], targets):
        raise ValueError(f"{key}: {problem}")


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
        history_limit: int | None = None,
        loss_every: int | str | None = 1,
        test_inputs: np.ndarray | None = None,
        test_targets: np.ndarray | None = None,
    ):
        self.network = network
        self.X = np.ascontiguousarray(inputs, dtype=float)
        self.T = np.ascontiguousarray(targets, dtype=float)
        if self.X.ndim != 2 or self.X.shape[1] != network.n_inputs:
            raise ValueError("inputs do not match the network's input width")
        if self.T.shape != (self.X.shape[0], network.n_outputs):
            raise ValueError("targets do not match the network's outputs")
        check_settings(settings, network, self.T)
        self._shown_X, self._shown_T = _frozen(self.X), _frozen(self.T)  # the data does not change: one read-only
                                                                            # copy for every snapshot
        # the held-out test set: measured, never trained on (None without one)
        self.X_test = None if test_inputs is None else np.ascontiguousarray(test_inputs, dtype=float)
        self.T_test = None if test_targets is None else np.ascontiguousarray(test_targets, dtype=float)
        if (self.X_test is None) != (self.T_test is None):
            raise ValueError("a test set needs both inputs and targets")
        if self.X_test is not None and self.T_test is not None and (
                self.X_test.shape[1:] != self.X.shape[1:] or self.T_test.shape != (len(self.X_test), network.n_outputs)):
            raise ValueError("the test set does not match the network's inputs and outputs")
        self._test_buffers = None if self.X_test is None else Buffers(network, len(self.X_test))
        self.seed = int(seed)
        self.classification = classification
        self.initial_settings = settings
        self.initial_params = params.copy()
        self.params = params.copy()
        self.grad = np.zeros_like(self.params)
        # what the last step added to the parameters: the optimiser's own array, valid until the next
        # step (so the step copies nothing); never written to in place
        self.last_update = np.zeros_like(self.params)
        self.optimizer = OPTIMIZERS[settings.optimizer](network.n_params)
        self._W, self._b = network.unflatten(self.params)
        self._gW, self._gb = network.unflatten(self.grad)
        self._buffers: dict[int, Buffers] = {}
        self._ones = np.ones_like(self.params)
        self.history_limit = history_limit
        self.loss_every = loss_every
        self._restart(settings)

    # -- state ---------------------------------------------------------------

    @property
    def n_samples(self) -> int:
        return self.X.shape[0]

    def _restart(self, settings: Settings) -> None:
        self.params[:] = self.initial_params
        self._use_optimizer(settings.optimizer)
        self.optimizer.reset()
        self.last_update = np.zeros_like(self.params)
        self.settings = settings
        self.step_count = 0
        self.schedule_start = 0  # the step the learning rate (or the schedule) was last set at
        self.epoch = 0
        self._position = 0
        self._permutation: np.ndarray | None = None
        self._last_batch = np.arange(0)
        self.diverged_at: int | None = None
        self.history = LossHistory(self.history_limit)
        # the test set's loss at the steps the training loss was measured at (None without a test set)
        self.test_history = None if self.X_test is None else LossHistory(self.history_limit)
        most_state = max(len(optimizer.state_names) for optimizer in OPTIMIZERS.values())  # the optimiser may change
        checkpoint_bytes = (most_state + 2) * self.params.nbytes + 512
        self.timeline = Timeline(checkpoint_bytes)
        self._snapshot: Snapshot | None = None
        self.first_step = 0  # a run loaded from a file starts later; rewind stops there
        self.revision = getattr(self, "revision", 0) + 1  # changes whenever the state does
        self._changed = True  # set, rewound or edited since the last step: its loss is checked first
        self.timeline.save(self.checkpoint())

    @property
    def loss_every(self) -> int | str | None:
        """How often the whole-set loss is measured while training under minibatches: after every
        step (1, the default, so that ``loss_history()`` has every step), after every k-th step (k),
        at the end of every epoch ("epoch": it then costs about a third of the training, a forward
        pass over the samples the epoch trained on), or only when it is read (None). It costs a
        forward pass over the whole training set, often far more than the minibatch step itself;
        with full batches it comes free and is always kept. A step not measured is a gap in
        ``history``; reading the current loss (or a snapshot) measures it. A test set's loss is
        measured wherever this one is."""
        return self._loss_every

    @loss_every.setter
    def loss_every(self, every: int | str | None) -> None:
        if not (every is None or every == "epoch" or (isinstance(every, int) and every >= 1)):
            raise ValueError(f"loss_every must be a whole number from 1, 'epoch' or None, got {every!r}")
        self._loss_every = every

    def limit_history(self, limit: int | None) -> None:
        """Keep at most ``limit`` exact losses from now on (older ones folded into averages)."""
        self.history_limit = self.history.limit = limit
        if self.test_history is not None:
            self.test_history.limit = limit

    def reset(self) -> None:
        """Back to step 0 with the scenario's own settings; the history is cleared."""
        self._restart(self.initial_settings)

    def restart(self, settings: Settings) -> None:
        """Back to step 0 from the initial weights, training with ``settings`` from the first step (a race
        started again: each run keeps its own); the history is cleared."""
        check_settings(settings, self.network, self.T)
        self._restart(settings)

    def _use_optimizer(self, name: str) -> None:
        """Train with optimiser ``name`` from now on: a new one starts with an empty state (zeros)."""
        if self.optimizer.name != name:
            self.optimizer = OPTIMIZERS[name](self.network.n_params)

    def learning_rate_now(self) -> float:
        """η at this step: what the schedule makes of the learning rate set last, ``schedule_start`` steps ago."""
        s = self.settings
        return s.schedule.rate(s.learning_rate, self.step_count - self.schedule_start)

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
        return self._steps(n)

    def step_until(self, loss_below: float, max_steps: int) -> int | None:
        """Train until the whole-set training loss is below ``loss_below``, for at most ``max_steps`` steps,
        and stop at the first step whose loss is: return that step (the current one if its loss is below
        already), or None when no step's loss was (the run may have diverged). Under minibatches this
        measures the whole-set loss after every step (as ``loss_every=1``), which can cost more than the
        steps; with full batches the step's own forward pass gives it, so it costs nothing."""
        if self.current_loss() < loss_below:
            return self.step_count
        every, self._loss_every = self._loss_every, 1
        try:
            self._steps(max_steps, loss_below)
        finally:
            self._loss_every = every
        return self.step_count if self.current_loss() < loss_below else None

    def _steps(self, n: int, loss_below: float = -math.inf) -> int:
        """``step``, stopping at a state whose measured whole-set loss is below ``loss_below``."""
        if n <= 0:
            return 0
        if self._changed:  # after a start, a rewind or an event, the state itself may be non-finite
            self._changed = False
            if not self.full_batch:  # (a full-batch step measures it anyway)
                self._ensure_current_loss()
        if self.diverged_at is not None:
            return 0
        self._snapshot = None
        self.revision += 1
        start = self.step_count
        with np.errstate(all="ignore"):
            self._run(n, loss_below)
        self._first_divergence()
        return max(0, self.step_count - start)

    def _buffers_for(self, n: int) -> Buffers:
        """The step's arrays for batches of ``n`` samples, kept for the last few sizes used
        (the full batch, the minibatch, an epoch's shorter last one). Each trainer has its own:
        a clone replays in another thread."""
        buf = self._buffers.get(n)
        if buf is None:
            if len(self._buffers) >= 4:
                self._buffers.pop(next(iter(self._buffers)))
            buf = self._buffers[n] = Buffers(self.network, n)
        return buf

    def _run(self, n: int, loss_below: float = -math.inf) -> int:
        """The hot loop. Records the whole-set loss of each new state, stops on divergence, and at a
        state whose measured loss is below ``loss_below`` (with full batches, before stepping from it).

        It allocates nothing: the passes run in preallocated buffers for the batch size,
        the activations and the output delta are computed in place (``out=``).
        """
        net = self.network
        Ws, bs, gWs, gbs = self._W, self._b, self._gW, self._gb
        P, G = self.params, self.grad
        s = self.settings
        loss, l2 = losses.LOSSES[s.loss], s.l2
        out = net.activations[-1]
        full = self.full_batch
        X, T = self.X, self.T
        buf = self._buffers_for(self.n_samples)
        history, optimizer = self.history, self.optimizer
        every = self._loss_every if isinstance(self._loss_every, int) else 0
        by_epoch = self._loss_every == "epoch"
        forward, backward, value = net.forward_into, net.backward_into, loss.value
        fused = loss.fused.get(out)
        step = self.step_count
        schedule, base, start = s.schedule, s.learning_rate, self.schedule_start
        eta = None if schedule.constant else schedule.rate
        ones = self._ones  # sum(P) as ones · P: the quick test for a non-finite parameter
        for done in range(n):
            if not full:
                X, T, buf = self._next_batch()
            y = forward(Ws, bs, X, buf)
            u = buf.u[-1]
            if full and history.end <= step:
                # the forward pass over the whole set gives the loss of the current state
                E = value(out, u, y, T)
                if l2:
                    E += net.l2_penalty(P, l2)
                self._record(E)
                if self.diverged_at is not None or loss_below > E:
                    return done
            if fused is not None:
                fused(y, T, buf.delta[-1])
            else:
                loss.delta(out, u, y, T, buf.delta[-1])
            backward(Ws, X, buf, gWs, gbs)
            if l2:
                net.add_l2_gradient(P, G, l2)
            update = self.last_update = optimizer.step(G, s, base if eta is None else eta(base, step - start))
            P += update
            step = self.step_count = step + 1
            if full:  # a whole epoch: a minibatch after it starts the next one afresh
                self.epoch += 1
                self._position, self._permutation = 0, None
            if not math.isfinite(P.dot(ones)) and not np.isfinite(P).all():
                self.diverged_at = step
                return done + 1
            if not full and (step % every == 0 if every else by_epoch and not self._position) \
                    and history.end <= step:
                E = net.loss(P, self.X, self.T, s.loss, l2)
                self._record(E)
                if self.diverged_at is not None or loss_below > E:
                    return done + 1
            if step % CHECKPOINT_EVERY == 0:
                self.timeline.save(self.checkpoint())
        return n

    def _next_batch(self) -> tuple[np.ndarray, np.ndarray, Buffers]:
        """The next minibatch's inputs and targets, gathered into the buffers for its size."""
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
        buf = self._buffers_for(len(batch))
        np.take(self.X, batch, axis=0, out=buf.x)
        np.take(self.T, batch, axis=0, out=buf.t)
        return buf.x, buf.t, buf

    def next_batch(self) -> np.ndarray:
        """The indices of the samples the next step trains on."""
        if self.full_batch:
            return np.arange(self.n_samples)
        order = self._permutation if self._permutation is not None else self._epoch_permutation()
        return order[self._position : self._position + self.settings.batch_size]

    def _epoch_permutation(self) -> np.ndarray:
        """The order of the samples in the current epoch: a function of the seed and the epoch."""
        if self.settings.shuffle:
            return np.random.default_rng([self.seed, self.epoch]).permutation(self.n_samples)
        return np.arange(self.n_samples)

    def _record(self, E: float) -> None:
        """The whole-set loss ``E`` of the current state, measured; the test set's loss beside it."""
        self.history.record_at(self.step_count, E)
        if self.test_history is not None:
            self.test_history.record_at(self.step_count, self._test_loss())
        if not math.isfinite(E) and self.diverged_at is None:
            self.diverged_at = self.step_count

    def _test_loss(self) -> float:
        """The loss on the test set at the current parameters: the training loss's function, L2 included."""
        assert self.X_test is not None and self.T_test is not None and self._test_buffers is not None
        s, net = self.settings, self.network
        return net.loss_into(self._W, self._b, self.X_test, self.T_test, s.loss, self._test_buffers) \
            + net.l2_penalty(self.params, s.l2)

    def _truncate_history(self, end: int) -> None:
        """Forget the losses measured from step ``end`` on, the test set's with them."""
        self.history.truncate(end)
        if self.test_history is not None:
            self.test_history.truncate(end)

    # -- reading ---------------------------------------------------------------

    def current_loss(self) -> float:
        """The loss on the whole training set at the current parameters."""
        self._ensure_current_loss()
        return self.history.at(self.step_count)

    def _ensure_current_loss(self, measured: float | None = None) -> None:
        """Measure the current loss unless it is known (``measured``: computed by the caller)."""
        if self.history.end <= self.step_count:
            with np.errstate(all="ignore"):
                if measured is None:
                    s = self.settings
                    measured = self.network.loss(self.params, self.X, self.T, s.loss, s.l2)
                self._record(measured)
            self._first_divergence()

    def _first_divergence(self) -> None:
        """After a loss measured lazily (not after every step) was not finite, or the parameters were: back to
        the first step whose whole-set loss is not finite, found by measuring each step since the last finite
        loss on a replay, so that the run diverges at the step an eager run names."""
        at = self.diverged_at
        if at is None:
            return
        steps, losses = self.history.measured()
        finite = steps[(steps < at) & np.isfinite(losses)]
        last = int(finite[-1]) if len(finite) else self.first_step
        if last >= at - 1:
            return  # measured at every step since: exact already
        replay = self.clone()
        replay.rewind(last)
        s = replay.settings
        with np.errstate(all="ignore"):
            while replay.step_count < at - 1:
                replay.advance(1)
                for event in self.timeline.events_at(replay.step_count):
                    replay.apply(event)
                    s = replay.settings
                if not math.isfinite(self.network.loss(replay.params, self.X, self.T, s.loss, s.l2)):
                    break
            else:
                return  # every step before ``at`` has a finite loss
        self.diverged_at = None
        self.rewind(replay.step_count)
        self._ensure_current_loss()  # not finite: diverged there

    def loss_history(self) -> np.ndarray:
        """Read-only view: entry i is the whole-set loss after i steps (step + 1 entries).

        A trainer with a ``history_limit`` folds its distant past into block means
        once the run is long: then ``history`` holds it all, and this refuses.
        """
        self._ensure_current_loss()
        if self.history.folded:
            raise ValueError(f"the loss before step {self.history.start} is only kept as averages "
                             f"(history_limit={self.history_limit}): read trainer.history")
        if not self.history.complete:
            raise ValueError(f"the loss was not measured after every step (loss_every={self.loss_every}): "
                             "read trainer.history")
        return self.history.exact()

    def test_loss_history(self) -> np.ndarray | None:
        """Like ``loss_history()``, on the held-out test set: entry i is its loss after i steps, measured
        at the steps the training loss was (None without a test set)."""
        self.loss_history()  # the same checks: measured at every step, nothing folded
        return None if self.test_history is None else self.test_history.exact()

    def current_test_loss(self) -> float | None:
        """The loss on the test set at the current parameters (None without a test set)."""
        self._ensure_current_loss()
        return None if self.test_history is None else self.test_history.at(self.step_count)

    def loss_curve(self, max_points: int) -> tuple[np.ndarray, np.ndarray]:
        """The loss history averaged down to at most ``max_points`` points: (steps, losses)."""
        xs, ys, _ = self.loss_curves(max_points)
        return xs, ys

    def loss_curves(self, max_points: int) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """``loss_curve`` and the test set's loss at the same steps: (steps, losses, test losses or None)."""
        self._ensure_current_loss()
        if self.test_history is None:
            xs, (ys,) = self.history.curves(max_points)
            return xs, ys, None
        xs, (ys, test) = self.history.curves(max_points, self.test_history)
        return xs, ys, test

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
        batch = self.next_batch()
        with np.errstate(all="ignore"):
            ev = self.network.evaluate(self.params, self.X, self.T, s.loss, s.l2)
            batch_grad = ev.grad if self.full_batch else \
                self.network.evaluate(self.params, self.X[batch], self.T[batch], s.loss, s.l2).grad
        step = self.step_count
        self._ensure_current_loss(ev.loss)  # the same number network.loss gives, to the bit
        if self.step_count != step:  # not finite, found lazily: gone back to where the loss first was not
            return self.snapshot()
        net = self.network
        Ws, bs = net.unflatten(self.params)
        gWs, gbs = net.unflatten(ev.grad)
        vWs, vbs = net.unflatten(self.last_update)
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
        test_outputs = test_loss = test_accuracy = test_confusion = None
        classes = self.classification
        if self.X_test is not None and self.T_test is not None and self.test_history is not None:
            with np.errstate(all="ignore"):
                test_outputs = net.predict(self.params, self.X_test)
            test_loss = self.test_history.at(self.step_count)
            if classes:
                test_accuracy = accuracy(test_outputs, self.T_test)
                test_confusion = _frozen_indices(confusion(test_outputs, self.T_test))
        self._snapshot = Snapshot(
            step=self.step_count,
            epoch=self.epoch,
            loss=self.history.at(self.step_count),
            accuracy=accuracy(outputs, self.T) if classes else None,
            diverged=self.diverged,
            settings=s,
            inputs=self._shown_X,
            targets=self._shown_T,
            outputs=_frozen(outputs),
            layers=layers,
            params=_frozen(self.params),
            grad=_frozen(ev.grad),
            update=_frozen(self.last_update),
            last_batch=np.array(self._last_batch),
            next_batch=_frozen_indices(batch),
            next_grad=_frozen(batch_grad),
            next_update=_frozen(self.optimizer.peek(batch_grad, s, self.learning_rate_now())),
            current_learning_rate=self.learning_rate_now(),
            optimizer_state={key: _frozen_state(value) for key, value in self.optimizer.state().items()},
            test_loss=test_loss,
            test_outputs=None if test_outputs is None else _frozen(test_outputs),
            test_accuracy=test_accuracy,
            confusion=_frozen_indices(confusion(outputs, self.T)) if classes else None,
            test_confusion=test_confusion,
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
        self._add_event(Event(self.step_count, "settings", {key: getattr(new, key) for key in changes}))
        return new

    def set_param(self, index: int, value: float) -> None:
        """Overwrite one parameter (flat index) with ``value``, as a recorded event."""
        if not 0 <= index < self.network.n_params:
            raise IndexError(index)
        if not math.isfinite(value):
            raise ValueError("a parameter must be a finite number")
        self._add_event(Event(self.step_count, "param", (int(index), float(value))))

    def _add_event(self, event: Event) -> None:
        self.timeline.add_event(event)
        self.apply(event)
        # the current loss may have changed (another loss, l2 or weights): measure it again.
        # (Replay keeps the entries it passes: they were measured after the event the first time.)
        self._truncate_history(self.step_count)
        self.timeline.save(self.checkpoint())

    def events(self) -> list[Event]:
        return list(self.timeline.events)

    def undoable_events(self) -> list[Event]:
        """The events at this step that ``rewind(step, before_events=True)`` takes away: none where the
        state before them is not known (a loaded run's first step)."""
        here = self.timeline.events_at(self.step_count)
        return here if here and self.timeline.reaches_before(self.step_count) else []

    # -- what the timeline replays with (timeline.Replayable) ---------------------------

    def apply(self, event: Event) -> None:
        """Carry out ``event`` on the current state (it is not recorded: see change_settings, set_param)."""
        if event.kind == "settings":
            old = self.settings
            self.settings = replace(old, **event.payload)
            if self.settings.shuffle != old.shuffle:
                self._permutation = None
            self._use_optimizer(self.settings.optimizer)
            if _sets_base(event):
                self.schedule_start = self.step_count
        else:
            index, value = event.payload
            self.params[index] = value
        self.revision += 1
        self._changed = True
        if self.diverged_at == self.step_count:
            self.diverged_at = None
        self._snapshot = None

    def advance(self, steps: int) -> None:
        """Replay ``steps`` steps (no events, no checks)."""
        if steps > 0:
            with np.errstate(all="ignore"):
                self._run(steps)

    def checkpoint(self) -> Checkpoint:
        return Checkpoint(self.step_count, self.epoch, self._position, self.params.copy(), self.optimizer.state(),
                          self.last_update.copy(), self.settings, self._last_batch, self.schedule_start)

    def load_checkpoint(self, cp: Checkpoint) -> None:
        self.params[:] = cp.params
        self._use_optimizer(cp.settings.optimizer)
        self.optimizer.load_state(cp.optimizer)
        self.schedule_start = cp.schedule_start
        self.last_update = cp.last_update.copy()
        self.settings = cp.settings
        self.step_count, self.epoch, self._position = cp.step, cp.epoch, cp.position
        self._last_batch = cp.last_batch
        self._permutation = self._epoch_permutation() if self._position else None
        self.diverged_at = None
        self._snapshot = None
        self.revision += 1
        self._changed = True

    # -- rewind -----------------------------------------------------------------

    def rewind(self, target: int, before_events: bool = False) -> None:
        """Return exactly to the state after ``target`` steps (0 <= target <= step); ``before_events``: to
        that state before the settings changes and weight edits made at that step, which are forgotten."""
        if not self.first_step <= target <= self.step_count:
            raise ValueError(f"cannot rewind to step {target} from step {self.step_count}"
                             + (f" (this run was loaded at step {self.first_step})" if self.first_step else ""))
        before_events = before_events and bool(self.timeline.events_at(target)) and self.timeline.reaches_before(target)
        if target == self.step_count and not before_events:
            return
        # keep the losses up to the target (the target's own was measured after its events); one that was
        # folded into an average is measured again
        self._truncate_history(target + 1 if self.history.holds(target) and not before_events else target)
        self.timeline.rewind(self, target, before_events)

    # -- copies, trajectories, saved runs ----------------------------------------------

    def clone(self) -> Trainer:
        """An independent trainer in the same state, with the same history to rewind through."""
        other = copy.copy(self)
        other.params = self.params.copy()
        other.grad = self.grad.copy()
        other.last_update = self.last_update.copy()
        other.optimizer = self.optimizer.clone()
        other._W, other._b = self.network.unflatten(other.params)
        other._gW, other._gb = self.network.unflatten(other.grad)
        other._buffers = {}
        other._test_buffers = None if self.X_test is None else Buffers(self.network, len(self.X_test))
        other.history = self.history.copy()
        other.test_history = None if self.test_history is None else self.test_history.copy()
        other.timeline = self.timeline.copy()
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
        for i in range(1, len(steps)):
            replay.advance(1)
            for event in self.timeline.events_at(replay.step_count):
                replay.apply(event)
            values[i] = replay.params[indices]
        return steps, values

    def restore(self, *, step: int, epoch: int, position: int, params: np.ndarray,
                optimizer: dict[str, np.ndarray], last_update: np.ndarray, settings: Settings,
                history: LossHistory | np.ndarray, events: list[Event],
                test_history: LossHistory | np.ndarray | None = None) -> None:
        """Carry on from a saved state (a loaded run): rewinding stops at ``step``.

        ``history`` is the loss after every step (an array of step + 1 entries) or a
        ``LossHistory`` whose early steps may be folded into averages; ``test_history``
        (with a test set, and only then) the test set's loss beside it: an array of as
        many entries, or a ``LossHistory`` made with ``history.beside``.
        """
        if params.shape != self.params.shape or last_update.shape != self.params.shape:
            raise ValueError("the parameters do not fit this network")
        if not isinstance(history, LossHistory):
            history = LossHistory.of(history, limit=self.history_limit)
        if history.end != step + 1:
            raise ValueError("the loss history must have one entry per step, and one for step 0")
        if (test_history is None) != (self.X_test is None):
            raise ValueError("a run with a test set needs its test loss history, and only such a run has one")
        if test_history is not None and not isinstance(test_history, LossHistory):
            test_history = history.beside(test_history, None)
        if test_history is not None and not history.alike(test_history):
            raise ValueError("the test loss history must be measured at the steps the loss history was")
        check_settings(settings, self.network, self.T)
        self._restart(settings)
        self.params[:] = params
        self.optimizer.load_state(optimizer)
        self.last_update = np.array(last_update, dtype=float)
        self.step_count, self.epoch, self._position = step, epoch, position
        self.schedule_start = max((e.step for e in events if e.step <= step and _sets_base(e)), default=0)
        self.first_step = step
        self.timeline.events = list(events)
        self.history = history.copy()
        self.history.limit = self.history_limit
        if test_history is not None:
            self.test_history = test_history.copy()
            self.test_history.limit = self.history_limit
        self.timeline.checkpoints = []
        self.timeline.save(self.checkpoint())
        if self.timeline.events_at(step):  # saved after them: the state before them is not known
            self.timeline.origin = None
        if not math.isfinite(history.at(step)) or not np.isfinite(self.params).all():
            self.diverged_at = step
