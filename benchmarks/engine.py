"""The engine's speed, each figure next to its target (issue 9), with the spread of several runs.

    python benchmarks/engine.py [--repeats R] [--rewind-steps N]

1. The step at XOR 2-4-1 (sigmoid hidden and output units, bce, momentum 0.9,
   full batch): nnplay against a hand-written NumPy loop and PyTorch (if
   installed; it is not a dependency), taking turns of 500 steps so that the
   load of a busy machine falls on all of them alike. Every contender does the same work per step: a forward pass, the
   loss value (nnplay records it in its loss history), backprop, the update.
   Targets: nnplay at most 0.7x the hand loop's time, PyTorch at least 10x nnplay's.
2. Minibatches on the bundled digits (64-32-10, sigmoid and softmax, cce,
   1,797 samples of 10 classes, batch 32): the step itself, `nnplay run`
   without --json (which measures only the losses it prints), and the step with
   the whole-set loss after every step (what `run --json` must print).
   Target: `nnplay run` at most 1.5x the step itself.
3. Rewind at step 1,000,000 of XOR: each distance back, timed on copies of the
   trainer, with the steps it replayed. Target: at most 50 ms each.
4. A held-out test set's cost: the step with a test set against the same step
   without one (the same training data), in turns; the test loss is measured
   wherever the training loss is. XOR with its 4 points as the test set, and
   digits with every fourth sample held out (1,347 to train, 450 to test), at
   full batch and at batch 32 with the loss after every step (run --json).
   No target: it costs a forward pass over the test set per measured step.

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
import time
from dataclasses import replace
from types import SimpleNamespace

import numpy as np

from nnplay import cli
from nnplay.engine import LayerSpec, Network, Settings, Trainer
from nnplay.scenario import Scenario, load

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


# Each contender is made ready to train (outside the timing) and returns (train, final loss):
# train(k) takes k more steps and returns the seconds they took.

def nnplay_contender():
    net, params = initial_params()
    trainer = Trainer(net, X, T, Settings(loss="bce", learning_rate=LR, momentum=MU), params)

    def train(k: int) -> float:
        start = time.perf_counter()
        trainer.step(k)
        return time.perf_counter() - start

    return train, trainer.current_loss


def numpy_contender():
    """The loop a person would write by hand for this network."""
    net, params = initial_params()
    Ws, bs = net.unflatten(params.copy())
    w = [Ws[0].copy(), bs[0].copy(), Ws[1].copy(), bs[1].copy()]  # W1, b1, W2, b2
    v = [np.zeros_like(a) for a in w]
    n = X.shape[0]

    def sigmoid(u):
        return 1.0 / (1.0 + np.exp(-u))

    def train(k: int) -> float:
        W1, b1, W2, b2 = w  # changed in place by +=
        vW1, vb1, vW2, vb2 = v
        losses = np.empty(k)
        start = time.perf_counter()
        for i in range(k):
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
        v[:] = vW1, vb1, vW2, vb2
        return seconds

    def final() -> float:
        W1, b1, W2, b2 = w
        y = sigmoid(sigmoid(X @ W1 + b1) @ W2 + b2)
        return float(np.mean(-(T * np.log(y) + (1 - T) * np.log(1 - y))))

    return train, final


def torch_contender():
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

    def train(k: int) -> float:
        losses = torch.empty(k, dtype=torch.float64)
        start = time.perf_counter()
        for i in range(k):
            opt.zero_grad()
            loss = loss_fn(model(x), t)
            loss.backward()
            opt.step()
            losses[i] = loss.detach()
        return time.perf_counter() - start

    def final() -> float:
        with torch.no_grad():
            return float(loss_fn(model(x), t))

    return train, final


def bench_step(repeats: int, steps: int, chunk: int = 500) -> None:
    """Each repeat trains every contender ``steps`` steps, in turns of ``chunk`` steps, so that the
    load of a busy machine falls on all of them alike; the ratios are those of each repeat."""
    makers = {"nnplay": nnplay_contender, "numpy by hand": numpy_contender, "pytorch": torch_contender}
    times: dict[str, list[float]] = {name: [] for name in makers}
    finals: dict[str, float] = {}
    for _ in range(repeats):
        contenders = {name: made for name, make in makers.items() if (made := make()) is not None}
        spent = dict.fromkeys(contenders, 0.0)
        for _ in range(steps // chunk):
            for name, (train, _) in contenders.items():
                spent[name] += train(chunk)
        for name, (_, final) in contenders.items():
            times[name].append(spent[name] / (steps // chunk * chunk))
            finals[name] = final()
    print(f"1. The step: XOR 2-{HIDDEN}-1, sigmoid, bce, momentum {MU}, full batch; {steps:,} steps in turns of "
          f"{chunk}, {repeats} repeats")
    print(f"   {'':16}{'us/step, median [range]':>28}{'final loss':>14}")
    for name, ts in times.items():
        if ts:
            print(f"   {name:16}{spread(ts, 1e6):>28}{finals[name]:14.6g}")
        else:
            print(f"   {name:16}{'not installed (pip install torch to compare)':>42}")
    hand = [a / b for a, b in zip(times["nnplay"], times["numpy by hand"])]
    print(f"   nnplay / numpy by hand  = {spread(hand)}   target <= 0.7   {verdict(statistics.median(hand) <= 0.7)}")
    if times["pytorch"]:
        torch_ratio = [b / a for a, b in zip(times["nnplay"], times["pytorch"])]
        print(f"   pytorch / nnplay        = {spread(torch_ratio, digits=1)}   target >= 10    "
              f"{verdict(statistics.median(torch_ratio) >= 10)}")


# -- 2. minibatches at digits size ---------------------------------------------------------------------

def bench_minibatch(repeats: int, steps: int) -> None:
    scenario = load("digits")  # the bundled UCI digits: 64-32-10, batch 32
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
    print(f"2. Minibatches: the bundled digits, 64-32-10 (sigmoid, softmax, cce), 1,797 samples, batch 32; "
          f"{steps:,} steps, {repeats} repeats")
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


# -- 4. a held-out test set -----------------------------------------------------------------------------

def _held_out(scenario: Scenario, every: int) -> tuple[Scenario, Scenario]:
    """(with a test set, without it) on the same training data: every ``every``-th sample held out, or (every
    = 0) a test set of the training samples themselves."""
    d = scenario.data
    held = np.arange(len(d.inputs)) % every == every - 1 if every else np.zeros(len(d.inputs), dtype=bool)
    test = held if every else ~held
    train = replace(d, inputs=d.inputs[~held], targets=d.targets[~held])
    return (replace(scenario, data=replace(train, test_inputs=d.inputs[test], test_targets=d.targets[test])),
            replace(scenario, data=train))


def bench_test_set(repeats: int, steps: int, chunk: int = 100) -> None:
    cases = [("XOR, full batch, 4 test samples", *_held_out(load("xor"), 0), steps),
             ("digits, full batch, 450 test samples", *_held_out(load("digits", overrides={"training.batch_size": 0}), 4),
              steps // 50),
             ("digits, batch 32, loss every step", *_held_out(load("digits"), 4), steps // 10)]
    print(f"4. A held-out test set: the step with one / the same step without, in turns of {chunk}; {repeats} repeats")
    for label, with_test, without, n in cases:
        ratios = []
        for _ in range(repeats):
            trainers = [with_test.make_trainer(), without.make_trainer()]
            spent = [0.0, 0.0]
            for _ in range(max(1, n // chunk)):
                for i, t in enumerate(trainers):
                    t0 = time.perf_counter()
                    t.step(chunk)
                    spent[i] += time.perf_counter() - t0
            ratios.append(spent[0] / spent[1])
        print(f"   {label:40} {spread(ratios)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--steps", type=int, default=10_000, help="steps per repeat of the XOR step")
    parser.add_argument("--minibatch-steps", type=int, default=3_000, help="as many as nnplay run takes")
    parser.add_argument("--rewind-steps", type=int, default=1_000_000, help="the run rewound from")
    args = parser.parse_args()
    bench_step(args.repeats, args.steps)
    print()
    bench_minibatch(args.repeats, args.minibatch_steps)
    print()
    bench_rewind(args.repeats, args.rewind_steps)
    print()
    bench_test_set(args.repeats, args.steps)


if __name__ == "__main__":
    main()
