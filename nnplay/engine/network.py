"""A fully connected network: its shape, the forward pass and backprop.

Layer k computes

    u_k = z_{k-1} @ W_k + b_k        (pre-activation, one row per sample)
    z_k = f_k(u_k)                   (activation; z_0 is the input)

and backprop runs the chain rule from the output back:

    delta_L = dE/du_L                          (from the loss)
    dE/dW_k = z_{k-1}^T @ delta_k              (summed over the batch)
    dE/db_k = sum over the batch of delta_k
    delta_{k-1} = f'_{k-1}(u_{k-1}) * (delta_k @ W_k^T)

All parameters live in one flat vector, weights of every layer first, then
the biases; ``W``/``b`` are views into it. The optimiser updates the whole
vector in one operation and L2 touches one contiguous slice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import activations, initializers, losses


@dataclass(frozen=True)
class LayerSpec:
    units: int
    activation: str


class Buffers:
    """Preallocated arrays for the training step on batches of ``n`` samples: u, z, delta and a
    scratch array per layer, so that a step allocates nothing."""

    def __init__(self, network: Network, n: int):
        self.n = n
        self.x = np.empty((n, network.n_inputs))   # a minibatch's inputs and targets, gathered here
        self.t = np.empty((n, network.n_outputs))
        self.u = [np.empty((n, units)) for _, units in network.shapes]
        self.z = [np.empty((n, units)) for _, units in network.shapes]
        self.delta = [np.empty((n, units)) for _, units in network.shapes]
        self.scratch = [np.empty((n, units)) for _, units in network.shapes]
        self.ones = np.ones(n)  # the bias gradients are ones · delta: a sum over the batch, by BLAS


@dataclass(eq=False)
class Pass:
    """Everything one forward and backward pass over a batch computed."""

    loss: float
    u: list[np.ndarray]        # pre-activations per layer
    z: list[np.ndarray]        # z[0] is the input, z[k] the output of layer k
    delta: list[np.ndarray]    # dE/du per layer
    grad: np.ndarray           # flat gradient, laid out like the parameters


class Network:
    """The architecture: sizes, activations and where each tensor lives in the flat vector."""

    def __init__(self, n_inputs: int, layers: Sequence[LayerSpec]):
        if n_inputs < 1 or not layers:
            raise ValueError("a network needs at least one input and one layer")
        self.n_inputs = n_inputs
        self.layers = tuple(layers)
        self.activations = tuple(layer.activation for layer in self.layers)
        for name in self.activations:
            if name not in activations.ACTIVATIONS:
                raise ValueError(f"unknown activation {name!r}")
        sizes = [n_inputs] + [layer.units for layer in self.layers]
        self.shapes = [(sizes[k], sizes[k + 1]) for k in range(len(self.layers))]
        self.weight_slices: list[slice] = []
        self.bias_slices: list[slice] = []
        offset = 0
        for fan_in, fan_out in self.shapes:
            self.weight_slices.append(slice(offset, offset + fan_in * fan_out))
            offset += fan_in * fan_out
        self.n_weights = offset
        for _, fan_out in self.shapes:
            self.bias_slices.append(slice(offset, offset + fan_out))
            offset += fan_out
        self.n_params = offset
        records = [activations.ACTIVATIONS[name] for name in self.activations]
        self._forward_into = [a.forward_into for a in records]
        if any(a.output_only for a in records[:-1]):
            raise ValueError("softmax is only allowed on the output layer")
        # f' of each hidden layer: element-wise, since only the output layer may couple its units
        self._derivative_into = [a.derivative_into for a in records[:-1] if a.derivative_into is not None]

    @property
    def n_outputs(self) -> int:
        return self.shapes[-1][1]

    def unflatten(self, flat: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Views W_k, b_k into a flat parameter (or gradient) vector."""
        Ws = [flat[s].reshape(shape) for s, shape in zip(self.weight_slices, self.shapes)]
        bs = [flat[s] for s in self.bias_slices]
        return Ws, bs

    def init_params(self, scheme: str, scale: float, seed: int) -> np.ndarray:
        rng = np.random.default_rng(seed)
        flat = np.empty(self.n_params)
        Ws, bs = self.unflatten(flat)
        for (fan_in, fan_out), W, b in zip(self.shapes, Ws, bs):
            W[...], b[...] = initializers.draw(scheme, scale, fan_in, fan_out, rng)
        return flat

    def locate(self, index: int) -> tuple[int, str, tuple[int, ...]]:
        """(layer, 'W' or 'b', position) of flat parameter ``index``."""
        for k, s in enumerate(self.weight_slices):
            if s.start <= index < s.stop:
                return k, "W", tuple(int(i) for i in np.unravel_index(index - s.start, self.shapes[k]))
        for k, s in enumerate(self.bias_slices):
            if s.start <= index < s.stop:
                return k, "b", (index - s.start,)
        raise IndexError(index)

    def index_of(self, layer: int, kind: str, position: tuple[int, ...]) -> int:
        """Flat index of W_layer[j, k] (kind 'W') or b_layer[k] (kind 'b')."""
        if kind == "W":
            return self.weight_slices[layer].start + int(np.ravel_multi_index(position, self.shapes[layer]))
        return self.bias_slices[layer].start + int(position[0])

    # -- the maths ---------------------------------------------------------

    def forward(self, Ws, bs, X):
        """u and z of every layer for the batch X (z[0] is X), in new arrays."""
        buf = Buffers(self, len(X))
        self.forward_into(Ws, bs, X, buf)
        return buf.u, [X, *buf.z]

    def forward_into(self, Ws, bs, X, buf: Buffers) -> np.ndarray:
        """The forward pass into ``buf`` (u and z of every layer); returns the output z.

        The training step's forward pass and every other one (``forward``, ``evaluate``):
        the same operations, so the same numbers to the last bit.
        """
        z = X
        zs, fs = buf.z, self._forward_into
        for k, u in enumerate(buf.u):
            z.dot(Ws[k], out=u)  # ndarray.dot: a third of matmul's overhead on small matrices
            u += bs[k]
            z = zs[k] = fs[k](u, zs[k])  # a linear layer's z is its u: from then on buf.z[k] is u
        return z

    def backward_into(self, Ws, X, buf: Buffers, gWs, gbs) -> None:
        """Backprop from the output delta in ``buf.delta[-1]`` after ``forward_into``: fills every
        delta in ``buf`` and the gradients gWs/gbs."""
        deltas, zs, us, scratch, ones = buf.delta, buf.z, buf.u, buf.scratch, buf.ones
        derivatives = self._derivative_into
        k = len(Ws) - 1
        while True:
            delta = deltas[k]
            (zs[k - 1] if k else X).T.dot(delta, out=gWs[k])
            ones.dot(delta, out=gbs[k])
            if not k:
                return
            k -= 1
            g = deltas[k]
            delta.dot(Ws[k + 1].T, out=g)
            g *= derivatives[k](us[k], zs[k], scratch[k])

    # L2 adds ½·l2·Σw² over the weights (not the biases) to E, so l2·w to each weight's gradient.

    def l2_penalty(self, params, l2: float) -> float:
        w = params[: self.n_weights]
        return 0.5 * l2 * float(np.vdot(w, w)) if l2 else 0.0

    def add_l2_gradient(self, params, grad, l2: float) -> None:
        if l2:
            grad[: self.n_weights] += l2 * params[: self.n_weights]

    def loss(self, params, X, T, loss: str, l2: float = 0.0) -> float:
        """E on (X, T) at ``params``, including the L2 term."""
        Ws, bs = self.unflatten(params)
        return self.loss_into(Ws, bs, X, T, loss, Buffers(self, len(X))) + self.l2_penalty(params, l2)

    def loss_into(self, Ws, bs, X, T, loss: str, buf: Buffers) -> float:
        """E on (X, T) at the weights ``Ws`` and biases ``bs``, without the L2 term, computed in ``buf``
        (arrays for len(X) samples: a loss measured at every step allocates nothing)."""
        y = self.forward_into(Ws, bs, X, buf)
        return losses.LOSSES[loss].value(self.activations[-1], buf.u[-1], y, T)

    def evaluate(self, params, X, T, loss: str, l2: float = 0.0) -> Pass:
        """One full forward and backward pass at ``params`` (nothing is modified)."""
        Ws, bs = self.unflatten(params)
        buf = Buffers(self, len(X))
        y = self.forward_into(Ws, bs, X, buf)
        out, u = self.activations[-1], buf.u[-1]
        E = losses.LOSSES[loss].value(out, u, y, T)
        grad = np.empty(self.n_params)
        gWs, gbs = self.unflatten(grad)
        losses.LOSSES[loss].delta(out, u, y, T, buf.delta[-1])
        self.backward_into(Ws, X, buf, gWs, gbs)
        self.add_l2_gradient(params, grad, l2)
        return Pass(E + self.l2_penalty(params, l2), buf.u, [X, *buf.z], buf.delta, grad)

    def predict(self, params, X) -> np.ndarray:
        Ws, bs = self.unflatten(params)
        return self.forward(Ws, bs, X)[1][-1]
