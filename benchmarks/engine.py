"""The engine's speed, each figure next to its target (issue 9), with the spread of several runs.

    python benchmarks/engine.py [--repeats R] [--rewind-steps N]

1. The step at XOR 2-4-1 (sigmoid hidden and output units, bce, momentum 0.9,
   full batch): nnplay against a hand-written NumPy loop and PyTorch (if
   installed; it is not a dependency), interleaved so that drift hits all
   alike. Every contender does the same work per step: a forward pass, the
   loss value (nnplay records it in its loss history), backprop, the update.
   Targets: nnplay at most 0.7x the hand loop's time, PyTorch at least 10x nnplay's.
2. Minibatches at a digits-sized problem (64-32-10, relu and softmax, cce,
   1,797 random samples of 10 classes, batch 32): the step itself, `nnplay run`
   without --json (which measures only the losses it prints), and the step with
   the whole-set loss after every step (what `run --json` must print).
   Target: `nnplay run` at most 1.5x the step itself.
3. Rewind at step 1,000,000 of XOR: each distance back, timed on copies of the
   trainer, with the steps it replayed. Target: at most 50 ms each.

Absolute times depend on the machine (and on what else runs on it): compare
the ratios, measured in the same run. Each line gives the median of the
repeats and their range.
"""

from __future__ import annotations  # noqa: I001  (nnplay.blas must come before NumPy)

import nnplay.blas  # noqa: F401  # one BLAS thread, as the command has: before NumPy loads
import argparse
import contextlib
import io
import statistics
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from nnplay import cli
from nnplay.engine import LayerSpec, Network, Settings, Trainer
from nnplay.scenario import load

X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
T = np.array([[0], [1], [1], [0]], dtype=float)
LR, MU, HIDDEN = 0.5, 0.9, 4
DISTANCES = (1, 10, 100, 1_000, 10_000, 100_000, 500_000)


def spread(values: list[float], scale: float = 1.0, digits: int = 2) -> str:
    """Median [min–max] of ``values`` times ``scale``."""
    v = [x * scale for x in values]
    return f"{statistics.median(v):.{digits}f} [{min(v):.{digits}f}–{max(v):.{digits}f}]"


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


# -- 1. the step at XOR size ---------------------------------------------------------------------

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


def bench_step(repeats: int, steps: int) -> None:
    contenders = {"nnplay": time_nnplay, "numpy by hand": time_numpy, "pytorch": time_torch}
    times: dict[str, list[float]] = {name: [] for name in contenders}
    finals: dict[str, float] = {}
    for _ in range(repeats):
        for name, fn in contenders.items():  # interleaved, so that drift hits all alike
            result = fn(steps)
            if result is not None:
                times[name].append(result[0])
                finals[name] = result[1]
    print(f"1. The step: XOR 2-{HIDDEN}-1, sigmoid, bce, momentum {MU}, full batch; {steps:,} steps, {repeats} repeats")
    print(f"   {'':16}{'us/step, median [range]':>28}{'final loss':>14}")
    for name, ts in times.items():
        if ts:
            print(f"   {name:16}{spread(ts, 1e6):>28}{finals[name]:14.6g}")
        else:
            print(f"   {name:16}{'not installed (pip install torch to compare)':>42}")
    # the ratios of each repeat, nnplay and the others measured one after the other
    hand = [a / b for a, b in zip(times["nnplay"], times["numpy by hand"])]
    print(f"   nnplay / numpy by hand  = {spread(hand)}   target <= 0.7   {verdict(statistics.median(hand) <= 0.7)}")
    if times["pytorch"]:
        torch_ratio = [b / a for a, b in zip(times["nnplay"], times["pytorch"])]
        print(f"   pytorch / nnplay        = {spread(torch_ratio, digits=1)}   target >= 10    "
              f"{verdict(statistics.median(torch_ratio) >= 10)}")


# -- 2. minibatches at digits size ---------------------------------------------------------------------

DIGITS = """[scenario]
name = "digits-sized"

[data]
inputs = {inputs}
targets = {targets}
class_names = [{classes}]

[network]
layers = [{{ units = 32, activation = "relu" }}, {{ units = 10, activation = "softmax" }}]

[init]
scheme = "he"
seed = 1

[training]
loss = "cce"
learning_rate = 0.05
momentum = 0.9
batch_size = 32
"""


def digits_scenario(folder: Path):
    rng = np.random.default_rng(0)
    inputs = np.round(rng.random((1797, 64)) * 16).astype(int)
    targets = rng.integers(0, 10, 1797)
    text = DIGITS.format(inputs="[" + ", ".join("[" + ", ".join(map(str, row)) + "]" for row in inputs.tolist()) + "]",
                         targets=str(targets.tolist()), classes=", ".join(f'"{d}"' for d in range(10)))
    path = folder / "digits-sized.toml"
    path.write_text(text)
    return load(str(path))


def bench_minibatch(repeats: int, steps: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        scenario = digits_scenario(Path(folder))
    step_only, run, eager = [], [], []
    for _ in range(repeats):
        t = scenario.make_trainer()
        t.loss_every = None
        t0 = time.perf_counter()
        t.step(steps)
        step_only.append((time.perf_counter() - t0) / steps)

        t = scenario.make_trainer()  # the command's own path: nnplay run SCENARIO --steps N
        t0 = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            cli._run(scenario, t, SimpleNamespace(steps=steps, json=False))
        run.append((time.perf_counter() - t0) / steps)

        t = scenario.make_trainer()
        t0 = time.perf_counter()
        t.step(steps // 5)  # measuring the whole-set loss after every step: what --json prints
        eager.append((time.perf_counter() - t0) / (steps // 5))
    ratio = [r / s for r, s in zip(run, step_only)]
    print(f"2. Minibatches: 64-32-10 (relu, softmax, cce), 1,797 random samples, batch 32; {steps:,} steps, {repeats} repeats")
    print(f"   the step itself                      {spread(step_only, 1e6, 1):>24} us/step")
    print(f"   nnplay run (no --json)               {spread(run, 1e6, 1):>24} us/step")
    print(f"   the step + whole-set loss each step  {spread(eager, 1e6, 1):>24} us/step (what run --json pays)")
    print(f"   nnplay run / the step itself = {spread(ratio)}   target <= 1.5   {verdict(statistics.median(ratio) <= 1.5)}")


# -- 3. rewind at step 10^6 --------------------------------------------------------------------------

def bench_rewind(repeats: int, run_steps: int) -> None:
    net, params = initial_params()
    trainer = Trainer(net, X, T, Settings(loss="bce", learning_rate=LR, momentum=MU), params)
    t0 = time.perf_counter()
    trainer.step(run_steps)
    trained = time.perf_counter() - t0
    print(f"3. Rewind at step {run_steps:,} of XOR (trained in {trained:.1f} s; "
          f"{len(trainer.timeline.checkpoints)} checkpoints, at most {trainer.timeline.max_checkpoints}); {repeats} repeats")
    print(f"   {'distance':>10}{'ms, median [range]':>26}{'steps replayed':>16}")
    worst = 0.0
    for d in DISTANCES:
        if d > run_steps:
            continue
        ms, replayed = [], []
        for _ in range(repeats):
            c = trainer.clone()
            calls: list[int] = []
            c.advance = lambda steps, advance=c.advance, calls=calls: (calls.append(steps), advance(steps))[1]
            t0 = time.perf_counter()
            c.rewind(run_steps - d)
            ms.append((time.perf_counter() - t0) * 1e3)
            replayed.append(sum(calls))
        worst = max(worst, statistics.median(ms))
        print(f"   {d:>10,}{spread(ms):>26}{replayed[0]:>16,}")
    print(f"   slowest rewind (median) = {worst:.2f} ms   target <= 50 ms   {verdict(worst <= 50)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--steps", type=int, default=10_000, help="steps per repeat of the XOR step")
    parser.add_argument("--minibatch-steps", type=int, default=1_000)
    parser.add_argument("--rewind-steps", type=int, default=1_000_000, help="the run rewound from")
    args = parser.parse_args()
    bench_step(args.repeats, args.steps)
    print()
    bench_minibatch(args.repeats, args.minibatch_steps)
    print()
    bench_rewind(args.repeats, args.rewind_steps)


if __name__ == "__main__":
    main()
