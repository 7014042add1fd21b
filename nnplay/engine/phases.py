"""One iteration, phase by phase: what the next step computes, in the order it computes it.

A step of the trainer (``Trainer._run``) is, on the next batch (``Trainer.next_batch``):

    forward     u_k = z_{k-1} W_k + b_k,  z_k = f_k(u_k)       layer 1, 2, … L
    loss        each sample's loss, then E over the batch (L2 term included)
    backward    δ_L = dE/du_L, then δ_k = f'_k(u_k) · (δ_{k+1} W_{k+1}ᵀ)   layer L, L − 1, … 1
    gradients   dE/dW_k = z_{k-1}ᵀ δ_k, dE/db_k = Σ δ_k  (+ l2 · W)
    update      Δw = the optimiser's step on that gradient; w ← w + Δw

``iteration(trainer)`` computes all of it with the step's own operations (the network's
``forward_into`` and ``backward_into``, the loss's fused output delta, the optimiser's ``peek``,
which is its ``step`` on a copy), so every number equals the step's to the bit, and leaves the
trainer as it is: the interface shows the numbers one phase at a time, and the step itself is
the trainer's ordinary step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from . import losses
from .network import Buffers

if TYPE_CHECKING:
    from .trainer import Trainer

KINDS = ("forward", "loss", "backward", "gradients", "update")


@dataclass(frozen=True, eq=False)
class Phase:
    """One phase of an iteration: its kind (KINDS) and, forward and backward, its layer (0-based)."""

    kind: str
    layer: int | None = None

    def title(self, n_layers: int) -> str:
        """'forward: layer 1', 'backward: deltas of the output layer' … (layers counted from 1)."""
        if self.layer is None:
            return {"loss": "loss: each sample's, then E",
                    "gradients": "gradients: dE/dw = δ · z",
                    "update": "update: w ← w + Δw"}[self.kind]
        name = "the output layer" if self.layer == n_layers - 1 else f"layer {self.layer + 1}"
        return f"forward: {name}" if self.kind == "forward" else f"backward: deltas of {name}"


def phases(n_layers: int) -> tuple[Phase, ...]:
    """The phases of one iteration of a network of ``n_layers`` layers, in order (2 · L + 3 of them)."""
    return (tuple(Phase("forward", k) for k in range(n_layers)) + (Phase("loss"),)
            + tuple(Phase("backward", k) for k in reversed(range(n_layers)))
            + (Phase("gradients"), Phase("update")))


def phase_index(n_layers: int, name: str) -> int | None:
    """The 0-based index of the phase named ``name`` (a kind, or 'forward 2' / 'backward 1' with a layer
    counted from 1; a bare 'forward' or 'backward' is its first phase), or None when there is none."""
    words = name.split()
    if not words or words[0] not in KINDS or len(words) > 2:
        return None
    layer = None
    if len(words) == 2:
        if words[0] not in ("forward", "backward") or not words[1].isdigit():
            return None
        layer = int(words[1]) - 1
    for i, phase in enumerate(phases(n_layers)):
        if phase.kind == words[0] and (layer is None or phase.layer == layer):
            return i
    return None


@dataclass(frozen=True, eq=False)
class Iteration:
    """Every number of the next step, on its batch (rows: the batch's samples, in ``batch``'s order)."""

    step: int                     # the step it starts from
    batch: np.ndarray             # the indices of the samples it trains on
    u: tuple[np.ndarray, ...]     # per layer, (batch, units)
    z: tuple[np.ndarray, ...]     # per layer, (batch, units); the output z is y
    sample_losses: np.ndarray     # (batch,): each sample's loss (the loss's function on that sample alone)
    loss: float                   # E on the batch, the L2 term included: what the step goes down
    delta: tuple[np.ndarray, ...] # per layer, (batch, units): dE/du
    dE_dz: tuple[np.ndarray, ...] # per layer, (batch, units): dE/dz, the running product reaching z_k
    grad: np.ndarray              # flat dE/dw, laid out like the parameters, l2 · w included
    update: np.ndarray            # flat Δw: what the step adds to the parameters
    learning_rate: float          # η at this step

    @property
    def phases(self) -> tuple[Phase, ...]:
        return phases(len(self.u))


def iteration(trainer: Trainer) -> Iteration:
    """The next step of ``trainer``, computed as its step computes it, without moving it."""
    net, s = trainer.network, trainer.settings
    batch = np.array(trainer.next_batch())
    buf = Buffers(net, len(batch))
    if trainer.full_batch:
        X, T = trainer.X, trainer.T
    else:  # gathered as the step gathers its minibatch
        X, T = buf.x, buf.t
        np.take(trainer.X, batch, axis=0, out=X)
        np.take(trainer.T, batch, axis=0, out=T)
    loss, out = losses.LOSSES[s.loss], net.activations[-1]
    Ws, bs = net.unflatten(trainer.params)
    grad = np.empty(net.n_params)
    gWs, gbs = net.unflatten(grad)
    with np.errstate(all="ignore"):
        y = net.forward_into(Ws, bs, X, buf)
        u = tuple(a.copy() for a in buf.u)
        z = tuple(a.copy() for a in buf.z)
        E = loss.value(out, buf.u[-1], y, T) + net.l2_penalty(trainer.params, s.l2)
        each = np.array([loss.value(out, buf.u[-1][i:i + 1], y[i:i + 1], T[i:i + 1]) for i in range(len(batch))])
        fused = loss.fused.get(out)
        if fused is not None:
            fused(y, T, buf.delta[-1])
        else:
            loss.delta(out, buf.u[-1], y, T, buf.delta[-1])
        net.backward_into(Ws, X, buf, gWs, gbs)
        net.add_l2_gradient(trainer.params, grad, s.l2)
        delta = tuple(a.copy() for a in buf.delta)
        dy = output_gradient(s.loss, z[-1], T)
        dz = tuple(delta[k + 1] @ Ws[k + 1].T for k in range(len(Ws) - 1)) + (dy,)
        rate = trainer.learning_rate_now()
        update = trainer.optimizer.peek(grad, s, rate).copy()
    frozen = [batch, *u, *z, each, *delta, *dz, grad, update]
    for a in frozen:
        a.flags.writeable = False  # the panes read them, never change them
    return Iteration(trainer.step_count, batch, u, z, each, float(E), delta, dz, grad, update, rate)



def output_gradient(loss: str, y: np.ndarray, t: np.ndarray) -> np.ndarray:
    """dE/dy for outputs ``y`` and targets ``t`` (one row per sample of the batch E is over): the loss's own
    derivative, the number the chain rule multiplies by f'(u) at the output (where the loss fuses the two,
    the fused δ is what the step uses; this is the factor it stands for)."""
    with np.errstate(all="ignore"):
        return losses.LOSSES[loss].gradient(y, t)

@dataclass(frozen=True, eq=False)
class Box:
    """One function's output in the chain x → u₁ → z₁ → … → y → E, for one sample: its name, how it is made
    from the box before, its values (NaN where not known yet) and dE/d(values), the product of the
    derivatives from the loss back to it (NaN where the backward pass has not reached it)."""

    name: str          # 'x', 'u1', 'z1' … 'y', 'E'
    made: str          # how it is made from the box before: 'z0 · W1 + b1', 'sigmoid(u1)', 'bce(y, t)' …
    values: np.ndarray
    grad: np.ndarray


def chain(activations: tuple[str, ...], loss: str, Ws: list[np.ndarray], x: np.ndarray,
          u: list[np.ndarray], z: list[np.ndarray], delta: list[np.ndarray], dE_dy: np.ndarray,
          sample_loss: float, batch_loss: float, n: int, l2: float = 0.0) -> tuple[Box, ...]:
    """The chain of functions of the network for one sample: x, then for each layer k its u_k and z_k
    (the last z is y), then the sample's own loss e, then E, the loss of the ``n`` samples it is one of (the
    batch's, or the whole set's outside a walk): the E that δ = dE/du are derivatives of. ``u``, ``z``,
    ``delta``: that sample's rows of each layer; dE/dz_k = δ_{k+1} W_{k+1}ᵀ, dE/du_k = δ_k, dE/de = 1/n (the
    sample's share of a mean; 1 for a sum) and dE/dE = 1 (NaN in, NaN out: what is not known stays so). With
    L2 (``l2`` > 0), E also holds the penalty ½λ‖w‖², which does not depend on e."""
    count = len(Ws)
    with np.errstate(all="ignore"):
        dz = [delta[k + 1] @ Ws[k + 1].T for k in range(count - 1)] + [dE_dy]
        boxes = [Box("x", "the input", x, delta[0] @ Ws[0].T)]
        for k in range(count):
            before = "x" if k == 0 else f"z{k}"
            out = "y" if k == count - 1 else f"z{k + 1}"
            boxes.append(Box(f"u{k + 1}", f"{before} · W{k + 1} + b{k + 1}", u[k], delta[k]))
            boxes.append(Box(out, f"{activations[k]}(u{k + 1})", z[k], dz[k]))
    record = losses.LOSSES[loss]
    own, total = np.array([sample_loss]), np.array([batch_loss])
    boxes.append(Box("e", f"{loss}(y, t)", own, np.where(np.isnan(own), np.nan, record.share(n))))
    penalty = " + ½λ‖w‖²" if l2 else ""
    boxes.append(Box("E", f"{'sum' if record.summed else 'mean'} of e over {n}{penalty}", total,
                     np.where(np.isnan(total), np.nan, 1.0)))
    return tuple(boxes)
