"""The landscape as the papers draw it (nnplay.landscape, nnplay landscape): the centre is the current loss to
the bit, filter normalisation, pca directions, the command's JSON and CSV, and its errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

import nnplay
from nnplay import explain, figures, landscape
from nnplay.cli import main


def trained(name: str, steps: int):
    trainer = nnplay.load(name).make_trainer()
    path = landscape.replay(trainer, steps)
    return trainer, path


def labels_of(name: str, trainer) -> list[str]:
    scenario = nnplay.load(name)
    names = figures.unit_names(scenario.data.input_names, [layer.units for layer in scenario.layers],
                               scenario.data.output_names)
    return [figures.param_label(trainer.network, names, i) for i in range(trainer.network.n_params)]


def planes(trainer, path):
    net = trainer.network
    return {"weights": landscape.weight_plane(net.n_params, 0, 3, ("", "")),
            "random": landscape.random_plane(net, trainer.params, trainer.seed),
            "pca": landscape.pca_plane(path)}


@pytest.mark.parametrize("name", ["xor", "spiral", "overfit"])
def test_the_centre_is_the_current_loss_to_the_bit_for_every_kind(name):
    trainer, path = trained(name, 40)
    s = trainer.settings
    for kind, plane in planes(trainer, path).items():
        for dims in (1, 2):
            flat = plane if dims == 2 else landscape.Plane(plane.kind, plane.d1, None, plane.labels)
            made = landscape.make(trainer.network, trainer.params, trainer.X, trainer.T, s.loss, s.l2, flat,
                                  path, 7, 0.3)
            assert made.centre_loss == trainer.current_loss(), (kind, dims)
            assert made.losses.shape == (7, 7 if dims == 2 else 1)
            # and the grid's other points are elsewhere: the surface is not flat
            assert np.ptp(made.losses) > 0


def test_filter_normalisation_scales_each_units_slice_to_its_weights_norm_and_zeroes_the_biases():
    trainer = nnplay.load("spiral").make_trainer()
    net, params = trainer.network, trainer.params
    plane = landscape.random_plane(net, params, seed=5)
    Ws, _ = net.unflatten(params)
    for d in (plane.d1, plane.d2):
        dWs, dbs = net.unflatten(d)
        for W, dW in zip(Ws, dWs, strict=True):
            np.testing.assert_allclose(np.linalg.norm(dW, axis=0), np.linalg.norm(W, axis=0), rtol=1e-12)
        assert all((db == 0).all() for db in dbs)
    # seeded: the same seed draws the same directions, another seed others
    again = landscape.random_plane(net, params, seed=5)
    assert np.array_equal(again.d1, plane.d1) and np.array_equal(again.d2, plane.d2)
    assert not np.array_equal(landscape.random_plane(net, params, seed=6).d1, plane.d1)


def explained(path: np.ndarray, plane: landscape.Plane) -> float:
    """The share of the path's variance (about its mean) that its projection onto the plane keeps."""
    centred = np.asarray(path, dtype=float) - np.mean(path, axis=0)
    total = float(np.sum(centred**2))
    kept = sum(float(np.sum((centred @ d) ** 2)) for d in (plane.d1, plane.d2) if d is not None)
    return kept / total if total > 0 else 1.0


def test_pca_directions_are_orthonormal_and_keep_most_of_the_paths_variance():
    trainer, path = trained("spiral", 300)
    plane = landscape.pca_plane(path)
    basis = np.stack([plane.d1, plane.d2])
    np.testing.assert_allclose(basis @ basis.T, np.eye(2), atol=1e-12)
    assert explained(path, plane) > 0.8
    # and more than any two weights' axes keep
    assert explained(path, plane) > explained(path, landscape.weight_plane(path.shape[1], 0, 1, ("", "")))
    # turned so that the run goes forward along d1: the start projects before the current point
    assert plane.project(path[-1], path[:1])[0, 0] < 0


def test_pca_refuses_a_path_that_has_not_moved():
    trainer, path = trained("xor", 0)
    with pytest.raises(ValueError, match="take a few steps"):
        landscape.pca_plane(path)


def test_a_weights_surface_changes_only_those_weights():
    trainer, path = trained("xor", 30)
    s = trainer.settings
    plane = landscape.weight_plane(trainer.network.n_params, 0, 3, ("", ""))
    made = landscape.make(trainer.network, trainer.params, trainer.X, trainer.T, s.loss, s.l2, plane, path, 5, 0.5)
    p = trainer.params.copy()
    p[0] += made.a[0]
    p[3] += made.b[4]
    assert made.losses[0, 4] == trainer.network.loss(p, trainer.X, trainer.T, s.loss, s.l2)
    # the path, projected, is the two weights' offsets from now
    np.testing.assert_array_equal(made.path, path[:, [0, 3]] - trainer.params[[0, 3]])


def run_json(capsys, *argv) -> dict:
    assert main(["landscape", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("directions", ["random", "pca", "x1 -> h1;h1 -> xor"])
def test_the_commands_json_equals_the_librarys(capsys, directions):
    out = run_json(capsys, "xor", "--steps", "50", "--size", "5", "--span", "0.5", "--directions", directions)
    assert set(out) == {"scenario", "step", "directions", "a", "b", "loss", "centre_loss", "path"}
    trainer, path = trained("xor", 50)
    s = trainer.settings
    if directions == "random":
        plane = landscape.random_plane(trainer.network, trainer.params, trainer.seed)
    elif directions == "pca":
        plane = landscape.pca_plane(path)
    else:
        labels = labels_of("xor", trainer)
        a, b = (landscape.find_param(labels, part) for part in directions.split(";"))
        plane = landscape.weight_plane(trainer.network.n_params, a, b, ("", ""))
    made = landscape.make(trainer.network, trainer.params, trainer.X, trainer.T, s.loss, s.l2, plane, path, 5, 0.5)
    assert (out["scenario"], out["step"]) == ("xor", 50)
    assert out["a"] == made.a.tolist() and out["b"] == made.b.tolist()
    assert out["loss"] == made.losses.tolist()
    assert out["centre_loss"] == trainer.current_loss() == out["loss"][2][2]
    assert out["path"] == made.path.tolist()
    assert (out["path"] == []) == (directions == "random")


def test_the_csv_has_a_header_and_one_row_per_point(capsys):
    assert main(["landscape", "bump", "--steps", "20", "--size", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "a,b,loss"
    rows = [tuple(float(x) for x in line.split(",")) for line in lines[1:]]
    assert len(rows) == 9 and rows[4][:2] == (0.0, 0.0)
    trainer, _ = trained("bump", 20)
    assert rows[4][2] == trainer.current_loss()


@pytest.mark.parametrize(("argv", "message"), [
    (["--directions", "x1 -> h9;h1 -> xor"], "no weight 'x1 -> h9' (expected a weight as 'FROM -> TO'"),
    (["--directions", "x1 -> h1"], 'two weights as "FROM -> TO;FROM -> TO"'),
    (["--directions", "x1 -> h1;x1->h1"], "two different weights"),
    (["--directions", "pca"], "take a few steps first"),
    (["--size", "4"], "must be odd"),
    (["--size", "1001"], "must be from 3 to 201"),
    (["--span", "nan"], "--span: must be from"),
    (["--span", "-1"], "--span: must be from"),
])
def test_errors_are_one_line_and_exit_2(capsys, argv, message):
    code = 0
    try:
        code = main(["landscape", "xor", *argv])
    except SystemExit as exit_:  # argparse's usage errors
        code = int(exit_.code or 0)
    assert code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_the_session_hands_a_coarse_surface_first_then_the_fine_one_centred_on_the_current_loss():
    from nnplay.session import Session

    session = Session(nnplay.load("xor"))
    session.step(30)
    coarse = []
    surface, path = session.landscape(-1, -1, kind="random", partial=coarse.append)
    assert len(coarse) == 1 and path is None  # no path along random directions
    first, _ = coarse[0]
    assert first.losses.size < surface.losses.size
    loss = session.trainer.current_loss()
    for s in (first, surface):
        rows, cols = s.losses.shape
        assert s.losses[rows // 2, cols // 2] == loss and s.current == (0.0, 0.0)
    # 1-D: a sweep along d1 whose slope is the gradient's component along it
    sweep = session.landscape(-1, -1, kind="random", dims=1)
    assert isinstance(sweep, explain.Sweep) and sweep.losses[len(sweep.losses) // 2] == loss
    plane = landscape.random_plane(session.network, session.trainer.params, session.trainer.seed, 1)
    assert sweep.gradient == float(session.trainer.snapshot().grad @ plane.d1)


def test_ghost_paths_are_projected_onto_the_pca_plane_and_left_out_on_random_directions():
    from nnplay.session import Session

    session = Session(nnplay.load("xor"))
    session.step(20)
    session.pin_ghost(learning_rate=0.1)
    for _ in range(10):
        session.step(1)
    session.want_landscape(-1, -1, "pca", 2)
    surface, path = session.landscape(-1, -1, kind="pca")
    ghost = session.frame().race[1]
    theta = session.trainer.params
    plane = landscape.pca_plane(np.array([p for _, p in session._path]))
    expected = plane.project(theta, np.array([p for _, p in session._ghosts[0].path]))
    np.testing.assert_allclose(np.array(ghost.path), expected, atol=1e-12)
    assert len(ghost.path) == 11
    session.want_landscape(-1, -1, "random", 2)
    session.landscape(-1, -1, kind="random")
    assert session.frame().race[1].path == ()


def test_the_spiral_lessons_last_page_shows_the_random_direction_landscape():
    from nnplay.playground import LANDSCAPE_VIEWS, Playground
    from nnplay.session import Session

    pg = Playground(Session(nnplay.load("spiral")))
    for _ in range(len(pg.scenario.lessons) - 1):
        pg.lesson(1)
    assert pg.scenario.lessons[-1].action.view == "landscape-random"
    assert (pg.explain_mode, pg.landscape_view) == ("landscape", ("random", 2))
    pg.lesson(-1)  # the page before: its own view; L goes on from random
    assert pg.explain_mode == "inspector"
    pg.next_landscape()
    assert pg.landscape_view == LANDSCAPE_VIEWS[2] and pg.explain_mode == "landscape"


def test_a_saved_run_carries_on_for_k_more_steps_as_inspect_does(capsys, tmp_path):
    from nnplay import runfile

    scenario = nnplay.load("xor")
    trainer = scenario.make_trainer()
    trainer.step(30)
    json_path, _ = runfile.save(tmp_path / "run", scenario, trainer)
    out = run_json(capsys, str(json_path), "--steps", "20", "--size", "3", "--directions", "pca")
    trainer.step(20)
    assert out["step"] == 50 and out["centre_loss"] == trainer.current_loss()
    assert len(out["path"]) == 21  # the 20 steps it took, and where it started


def test_while_running_the_training_thread_makes_the_landscape_of_the_directions_shown():
    from nnplay.session import Session

    session = Session(nnplay.load("xor"))
    session.step(20)
    session.want_landscape(-1, -1, "pca", 1)
    session.refresh_landscape()  # what the training thread calls between chunks
    frame = session.frame()
    assert frame.landscape is not None and frame.landscape[0] == (-1, -1)
    sweep = frame.landscape[1]
    assert isinstance(sweep, explain.Sweep) and sweep.current_loss == session.trainer.current_loss()
    session.want_landscape(-1, -1, "random", 2)  # another kind: not that one's
    assert session.frame().landscape is None
