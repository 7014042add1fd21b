"""The Python API of SPEC §7: what tests and notebooks use."""

import tomllib

import numpy as np
import pytest

import nnplay


def test_load_train_change_rewind():
    scenario = nnplay.load("xor")
    trainer = scenario.make_trainer(seed=3)
    assert isinstance(trainer, nnplay.Trainer) and trainer.step_count == 0
    assert trainer.step(100) == 100 and trainer.step_count == 100
    history = trainer.loss_history().copy()
    assert len(history) == 101 and history[-1] == trainer.current_loss() == trainer.snapshot().loss
    params = trainer.params.copy()
    trainer.change_settings(learning_rate=0.05, momentum=0.5)
    trainer.step(50)
    trainer.rewind(100)
    np.testing.assert_array_equal(trainer.params, params)
    np.testing.assert_array_equal(trainer.loss_history(), history)
    assert trainer.settings.learning_rate == 0.05  # the change made at step 100 stays
    trainer.rewind(99)
    assert trainer.settings == scenario.training
    # the same seed, the same numbers
    again = nnplay.load("xor").make_trainer(seed=3)
    again.step(99)
    np.testing.assert_array_equal(again.params, trainer.params)


def test_overrides_are_checked_like_the_file_and_kept_in_its_text():
    scenario = nnplay.load("xor", overrides={"training.learning_rate": 0.2, "init.seed": 7})
    assert scenario.training.learning_rate == 0.2 and scenario.init.seed == 7
    # the text a saved run reopens holds the overrides
    doc = tomllib.loads(scenario.text)
    assert doc["training"]["learning_rate"] == 0.2 and doc["init"]["seed"] == 7
    assert nnplay.load("xor").text != scenario.text
    with pytest.raises(nnplay.ScenarioError) as error:
        nnplay.load("xor", overrides={"training.learning_rate": -1})
    assert str(error.value) == "xor.toml: training.learning_rate: must be greater than 0, got -1"
    with pytest.raises(nnplay.ScenarioError, match="did you mean 'learning_rate'"):
        nnplay.load("xor", overrides={"training.learnig_rate": 0.1})
    with pytest.raises(nnplay.ScenarioError, match="network.layers is not a table"):
        nnplay.load("xor", overrides={"network.layers.units": 3})


@pytest.mark.parametrize("name", ["bump", "sentiment", "spiral", "xor"])
def test_a_written_scenario_reads_back_the_same(name):
    from nnplay import tomlwriter
    from nnplay.scenario import _bundled_dir

    doc = tomllib.loads((_bundled_dir() / f"{name}.toml").read_text())
    assert tomllib.loads(tomlwriter.dumps(doc)) == doc


def test_the_writer_escapes_what_toml_needs():
    from nnplay import tomlwriter

    doc = {"a": {"s": 'quote " back \\ tab \t line \n del \x7f esc \x1b ü 🙂', "x": 1e-05, "n": -3, "b": True,
                 "odd key": [[1.5, 2], {"k": "v"}]}}
    assert tomllib.loads(tomlwriter.dumps(doc)) == doc


def test_the_test_set_from_python():
    from tests.engine.testsets import with_test_set

    plain = nnplay.load("xor", overrides={"training.l2": 0.001}).make_trainer()
    plain.step(10)
    assert plain.test_loss_history() is None and plain.current_test_loss() is None
    trainer = with_test_set("xor", {"training.l2": 0.001}).make_trainer()
    trainer.step(10)
    history = trainer.test_loss_history()
    assert len(history) == 11 and history[-1] == trainer.current_test_loss() == trainer.snapshot().test_loss
    # a run carried on from its saved state and both histories (arrays, as a notebook holds them)
    again = with_test_set("xor", {"training.l2": 0.001}).make_trainer()
    again.restore(step=10, epoch=trainer.epoch, position=0, params=trainer.params,
                  optimizer=trainer.optimizer.state(), last_update=trainer.last_update, settings=trainer.settings,
                  history=trainer.loss_history(), events=[], test_history=history)
    trainer.step(5)
    again.step(5)
    np.testing.assert_array_equal(again.test_loss_history(), trainer.test_loss_history())
    with pytest.raises(ValueError, match="needs its test loss history"):
        again.restore(step=0, epoch=0, position=0, params=trainer.params, optimizer=trainer.optimizer.state(),
                      last_update=trainer.last_update, settings=trainer.settings, history=history[:1], events=[])
