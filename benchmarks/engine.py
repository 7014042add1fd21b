"""Per-step time of nnplay's trainer against a hand-written NumPy loop and PyTorch.

    python benchmarks/engine.py [--steps N] [--repeats R]

The network is XOR 2-4-1: sigmoid hidden and output units, bce, gradient
descent with momentum 0.9, full batch. Every contender does the same work per
step: a forward pass, the loss value (nnplay records it in the loss history,
so the others compute it too), backprop and the momentum update. The figures
are ratios measured in one run, best of R repeats, because absolute times
depend on the machine.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from nnplay.engine import LayerSpec, Network, Settings, Trainer

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
T = np.array([[0], [1], [1], [0]], dtype=float)
LR, MU, HIDDEN = 0.5, 0.9, 4


def initial_params(seed: int = 1):
    net = Network(2, [LayerSpec(HIDDEN, "sigmoid"), LayerSpec(1, "sigmoid")])
    return net, net.init_params("uniform", 0.5, seed)


def time_nnplay(steps: int) -> tuple[float, float]:
    net, params = initial_params()
    trainer = Trainer(net, X, T, Settings(loss="bce", learning_rate=LR, momentum=MU), params)
    start = time.perf_counter()
    trainer.step(steps)
    seconds = time.perf_counter() - start
    return seconds / steps, trainer.current_loss()


def time_numpy(steps: int) -> tuple[float, float]:
    """The loop a person would write by hand for this network."""
    net, params = initial_params()
    Ws, bs = net.unflatten(params.copy())
    W1, W2 = Ws[0].copy(), Ws[1].copy()
    b1, b2 = bs[0].copy(), bs[1].copy()
    vW1, vb1, vW2, vb2 = (np.zeros_like(a) for a in (W1, b1, W2, b2))
    n = X.shape[0]
    losses = np.empty(steps)

    def sigmoid(u):
        return 1.0 / (1.0 + np.exp(-u))

    start = time.perf_counter()
    for i in range(steps):
        u1 = X @ W1 + b1
        z1 = sigmoid(u1)
        u2 = z1 @ W2 + b2
        y = sigmoid(u2)
        losses[i] = np.mean(np.logaddexp(0.0, u2) - T * u2)
        d2 = (y - T) / n
        d1 = (d2 @ W2.T) * z1 * (1.0 - z1)
        vW2 = MU * vW2 - LR * (z1.T @ d2)
        vb2 = MU * vb2 - LR * d2.sum(axis=0)
        vW1 = MU * vW1 - LR * (X.T @ d1)
        vb1 = MU * vb1 - LR * d1.sum(axis=0)
        W2 += vW2
        b2 += vb2
        W1 += vW1
        b1 += vb1
    seconds = time.perf_counter() - start
    y = sigmoid(sigmoid(X @ W1 + b1) @ W2 + b2)
    return seconds / steps, float(np.mean(-(T * np.log(y) + (1 - T) * np.log(1 - y))))


def time_torch(steps: int) -> tuple[float, float] | None:
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    net, params = initial_params()
    Ws, bs = net.unflatten(params)
    model = torch.nn.Sequential(torch.nn.Linear(2, HIDDEN), torch.nn.Sigmoid(), torch.nn.Linear(HIDDEN, 1)).double()
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor(Ws[0].T))
        model[0].bias.copy_(torch.tensor(bs[0]))
        model[2].weight.copy_(torch.tensor(Ws[1].T))
        model[2].bias.copy_(torch.tensor(bs[1]))
    x, t = torch.tensor(X), torch.tensor(T)
    # torch's SGD momentum is v = mu v + g, w -= lr v: the same trajectory as Delta w = -lr g + mu Delta w
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MU)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    losses = torch.empty(steps, dtype=torch.float64)
    start = time.perf_counter()
    for i in range(steps):
        opt.zero_grad()
        loss = loss_fn(model(x), t)
        loss.backward()
        opt.step()
        losses[i] = loss.detach()
    seconds = time.perf_counter() - start
    with torch.no_grad():
        final = float(loss_fn(model(x), t))
    return seconds / steps, final


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    contenders = {"nnplay": time_nnplay, "numpy by hand": time_numpy, "pytorch": time_torch}
    best: dict[str, tuple[float, float]] = {}
    for _ in range(args.repeats):
        for name, fn in contenders.items():  # interleaved, so that drift hits all alike
            result = fn(args.steps)
            if result is None:
                continue
            if name not in best or result[0] < best[name][0]:
                best[name] = result
    base = best["nnplay"][0]
    print(f"XOR 2-{HIDDEN}-1, sigmoid, bce, momentum {MU}, full batch; {args.steps} steps, best of {args.repeats}")
    print(f"{'':16}{'us/step':>10}{'vs nnplay':>12}{'final loss':>14}")
    for name, (per_step, loss) in best.items():
        print(f"{name:16}{per_step * 1e6:10.2f}{per_step / base:11.2f}x{loss:14.6g}")
    if "pytorch" not in best:
        print("pytorch         not installed (pip install torch to compare)")
    print(f"nnplay / numpy by hand = {base / best['numpy by hand'][0]:.2f} (target <= 1.3)")
    if "pytorch" in best:
        print(f"pytorch / nnplay = {best['pytorch'][0] / base:.1f} (target >= 8)")


if __name__ == "__main__":
    main()
