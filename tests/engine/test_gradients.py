"""Backprop against central finite differences, and the losses against their definitions."""

import itertools
import zlib

import numpy as np
import pytest

from nnplay.engine import LayerSpec, Network, gradient_check
from nnplay.engine.activations import ACTIVATIONS
from nnplay.engine.gradcheck import numeric_gradient
from nnplay.engine.losses import LOSSES

HIDDEN = tuple(name for name, a in ACTIVATIONS.items() if not a.output_only)
# every output activation with every loss it can be paired with, from the registries: a new one is tested
PAIRS = [(act, name) for name, loss in LOSSES.items() for act in ACTIVATIONS
         if loss.outputs is None or act in loss.outputs]
# for each loss, the output it is made for (its first), or a linear one
NATURAL_OUTPUT = {name: loss.outputs[0] if loss.outputs else "linear" for name, loss in LOSSES.items()}


def _problem(rng, n_in, hidden, n_out, out_act, loss, n=7):
    X = rng.normal(size=(n, n_in))
    if LOSSES[loss].outputs == ("softmax",):  # a distribution over classes: one-hot
        T = np.eye(n_out)[rng.integers(0, n_out, n)]
    elif LOSSES[loss].probabilities:
        T = rng.uniform(0, 1, size=(n, n_out))
    else:
        T = rng.normal(size=(n, n_out))
    layers = [LayerSpec(u, a) for u, a in hidden] + [LayerSpec(n_out, out_act)]
    net = Network(n_in, layers)
    params = net.init_params("normal", 0.8, int(rng.integers(1 << 30)))
    return net, params, X, T


def _assert_close(net, params, X, T, loss, l2=0.0):
    result = gradient_check(net, params, X, T, loss, l2)
    assert np.all(np.isfinite(result.analytic))
    # agree to 5 significant digits; a gradient of 0 (a dead ReLU) may differ by rounding noise
    np.testing.assert_allclose(result.analytic, result.numeric, rtol=1e-5, atol=1e-9)
    from nnplay.engine.gradcheck import TOLERANCE
    assert result.worst < TOLERANCE


@pytest.mark.parametrize("out_act,loss", PAIRS)
@pytest.mark.parametrize("hidden_act", HIDDEN)
def test_every_activation_with_every_loss(out_act, loss, hidden_act):
    # a seed from the names, the same in every run (hash() of a str is randomised per process)
    rng = np.random.default_rng(zlib.crc32(f"{out_act}-{loss}-{hidden_act}".encode()))
    n_out = 1 if out_act != "softmax" else 3
    net, params, X, T = _problem(rng, 3, [(4, hidden_act)], n_out, out_act, loss)
    _assert_close(net, params, X, T, loss)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("shape", [(1, [], 1), (2, [(2, "sigmoid")], 1), (5, [(6, "tanh"), (3, "relu")], 4), (3, [(8, "sigmoid"), (8, "tanh"), (5, "linear")], 2)])
@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_shapes_and_seeds(seed, shape, loss):
    n_in, hidden, n_out = shape
    out_act = NATURAL_OUTPUT[loss]
    if out_act == "softmax":
        n_out = max(n_out, 2)
    rng = np.random.default_rng(seed)
    net, params, X, T = _problem(rng, n_in, hidden, n_out, out_act, loss, n=5 + seed)
    _assert_close(net, params, X, T, loss)


@pytest.mark.parametrize("loss,out_act", [("mse", "linear"), ("bce", "sigmoid"), ("cce", "softmax")])
def test_l2_gradient_and_value(loss, out_act):
    rng = np.random.default_rng(11)
    n_out = 3 if loss == "cce" else 1
    net, params, X, T = _problem(rng, 2, [(3, "tanh")], n_out, out_act, loss)
    _assert_close(net, params, X, T, loss, l2=0.3)
    # the L2 term is 1/2 l2 sum(w^2) over the weights only, not the biases
    w = params[: net.n_weights]
    assert net.loss(params, X, T, loss, 0.3) == pytest.approx(net.loss(params, X, T, loss) + 0.15 * np.sum(w * w), rel=1e-12)
    grad_l2 = net.evaluate(params, X, T, loss, 0.3).grad
    grad = net.evaluate(params, X, T, loss, 0.0).grad
    np.testing.assert_allclose(grad_l2[: net.n_weights] - grad[: net.n_weights], 0.3 * w, rtol=1e-9, atol=1e-12)
    np.testing.assert_array_equal(grad_l2[net.n_weights :], grad[net.n_weights :])


def test_the_check_catches_a_wrong_gradient():
    # a check that could not fail would prove nothing: break the gradient on purpose
    rng = np.random.default_rng(0)
    net, params, X, T = _problem(rng, 2, [(3, "sigmoid")], 1, "sigmoid", "bce")
    good = net.evaluate(params, X, T, "bce").grad
    numeric = numeric_gradient(net, params, X, T, "bce")
    np.testing.assert_allclose(good, numeric, rtol=1e-5, atol=1e-9)
    assert not np.allclose(good * 1.01, numeric, rtol=1e-5, atol=1e-9)


# -- the loss values against SPEC section 4, written out naively ----------------

def _naive(loss, y, t):
    n, m = y.shape
    if loss == "mse":
        return sum((y[i, k] - t[i, k]) ** 2 for i in range(n) for k in range(m)) / (n * m)
    if loss == "sse":
        return 0.5 * sum((y[i, k] - t[i, k]) ** 2 for i in range(n) for k in range(m))
    if loss == "mae":
        return sum(abs(y[i, k] - t[i, k]) for i in range(n) for k in range(m)) / (n * m)
    if loss == "bce":
        return sum(-(t[i, k] * np.log(y[i, k]) + (1 - t[i, k]) * np.log(1 - y[i, k])) for i in range(n) for k in range(m)) / (n * m)
    if loss == "cce":
        return sum(-sum(t[i, k] * np.log(y[i, k]) for k in range(m)) for i in range(n)) / n


@pytest.mark.parametrize("loss,act", [("mse", "sigmoid"), ("sse", "linear"), ("mae", "tanh"), ("bce", "sigmoid"), ("bce", "softmax"), ("cce", "softmax")])
def test_loss_values_match_the_definitions(loss, act):
    rng = np.random.default_rng(3)
    u = rng.normal(size=(6, 3))
    y = {"sigmoid": 1 / (1 + np.exp(-u)), "linear": u, "tanh": np.tanh(u), "softmax": np.exp(u) / np.exp(u).sum(1, keepdims=True)}[act]
    t = np.eye(3)[rng.integers(0, 3, 6)] if loss == "cce" else rng.uniform(0, 1, (6, 3))
    assert LOSSES[loss].value(act, u, y, t) == pytest.approx(_naive(loss, y, t), rel=1e-10)


def test_stable_for_huge_pre_activations():
    # no overflow and no invalid operation (underflow to 0 is harmless), finite values
    u = np.array([[800.0, -800.0, 0.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        from nnplay.engine import activations
        y = activations.sigmoid(u.T)
        assert np.all(np.isfinite(y))
        E = LOSSES["bce"].value("sigmoid", u.T, y, np.array([[0.0], [1.0], [1.0]]))
        assert pytest.approx((800 + 800 + np.log(2)) / 3) == E
        s = activations.softmax(u)
        assert np.all(np.isfinite(s)) and s[0, 0] == pytest.approx(1.0)
        E = LOSSES["cce"].value("softmax", u, s, np.array([[0.0, 1.0, 0.0]]))
        assert pytest.approx(1600.0) == E


def test_fused_output_deltas_equal_the_generic_chain_rule():
    rng = np.random.default_rng(5)
    u = rng.normal(size=(4, 3))
    from nnplay.engine import activations
    t = np.eye(3)[[0, 2, 1, 1]]
    y = activations.softmax(u)
    generic = activations.ACTIVATIONS["softmax"].backward(u, y, LOSSES["cce"].gradient(y, t))
    np.testing.assert_allclose(LOSSES["cce"].delta("softmax", u, y, t), generic, rtol=1e-10)
    u1 = u[:, :1]
    y1 = activations.sigmoid(u1)
    t1 = t[:, :1]
    generic = activations.ACTIVATIONS["sigmoid"].backward(u1, y1, LOSSES["bce"].gradient(y1, t1))
    np.testing.assert_allclose(LOSSES["bce"].delta("sigmoid", u1, y1, t1), generic, rtol=1e-10)


def test_layers_follow_the_spec_shapes():
    net = Network(3, [LayerSpec(4, "tanh"), LayerSpec(2, "linear")])
    params = net.init_params("xavier", 0.5, 0)
    Ws, bs = net.unflatten(params)
    assert [W.shape for W in Ws] == [(3, 4), (4, 2)]
    X = np.arange(6.0).reshape(2, 3)
    us, zs = net.forward(Ws, bs, X)
    np.testing.assert_allclose(us[0], X @ Ws[0] + bs[0])
    np.testing.assert_allclose(zs[1], np.tanh(X @ Ws[0] + bs[0]))
    np.testing.assert_allclose(zs[2], zs[1] @ Ws[1] + bs[1])
    for index in itertools.chain(range(0, net.n_params, 3), [net.n_params - 1]):
        layer, kind, pos = net.locate(index)
        assert net.index_of(layer, kind, pos) == index


def test_gradcheck_holds_at_large_weights():
    """A fixed step of 1e-5 is lost in the rounding of a weight of 1e11: the step follows the weight."""
    net = Network(1, [LayerSpec(1, "linear")])
    X, T = np.array([[1.0], [2.0]]), np.array([[0.5], [1.0]])
    params = np.array([3e11, -1e11])
    result = gradient_check(net, params, X, T, "mse")
    np.testing.assert_allclose(result.numeric, result.analytic, rtol=1e-6)
