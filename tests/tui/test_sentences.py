"""The sentences view marks each training sentence by the one class rule (engine.metrics.classes).

With three classes (softmax, cce) the view once compared P(last output) >= 0.5
with label == 1, so a "neu" or "pos" sentence classified right showed ✗.
"""

import numpy as np
import pytest

from nnplay.scenario import load
from nnplay.tui.app import PlaygroundApp

from .conftest import make_app, playground, run_async

NAMES = ("neg", "neu", "pos")
SENTENCES = ["I loved it", "a great film", "I hated it", "an awful film", "it was fine", "an average film", "so so", "so so"]
LABELS = [2, 2, 0, 0, 1, 1, 1, 2]
CLEAR = 6  # the first six sentences can all be right; the last two are the same words with different labels
THREE_CLASSES = f"""
[data]
class_names = {list(NAMES)}
sentences = [{", ".join(f'["{text}", {label}]' for text, label in zip(SENTENCES, LABELS))}]

[network]
layers = [{{ units = 3, activation = "softmax" }}]

[init]
seed = 3

[training]
loss = "cce"
learning_rate = 0.5
"""


def rows_shown(text: str) -> list[tuple[str, str, str, str]]:
    """(sentence, label, predicted class, mark) of each training sentence on the screen."""
    rows = []
    for line in text.splitlines():
        words = line.split()
        for k in range(len(words) - 3):
            label, predicted, p, mark = words[k : k + 4]
            if label in NAMES and predicted in NAMES and mark in "✓✗" and p.replace(".", "").isdigit():
                rows.append((" ".join(words[:k]), label, predicted, mark))
    return rows


@run_async
async def test_three_class_sentences_are_marked_by_their_predicted_class(tmp_path):
    path = tmp_path / "three.toml"
    path.write_text(THREE_CLASSES)
    app = PlaygroundApp(load(str(path)))
    async with app.run_test(size=(160, 50)) as pilot:
        screen = playground(app)
        for _ in range(20):  # train until the clear sentences are right
            outputs = screen.frame.snapshot.outputs
            if (outputs[:CLEAR].argmax(axis=1) == LABELS[:CLEAR]).all():
                break
            await pilot.press("greater_than_sign")
            await pilot.pause()
        await pilot.pause()
        outputs = screen.frame.snapshot.outputs
        assert (outputs[:CLEAR].argmax(axis=1) == LABELS[:CLEAR]).all()

        training = screen.query_one("#training")
        rows = rows_shown("\n".join(training.render_line(y).text for y in range(training.size.height)))
        assert [sentence for sentence, *_ in rows] == SENTENCES
        for (_, label, predicted, mark), truth, out in zip(rows, LABELS, outputs):
            assert label == NAMES[truth]
            assert predicted == NAMES[int(np.argmax(out))]
            assert mark == ("✓" if predicted == label else "✗")
        assert [mark for *_, mark in rows[:CLEAR]] == ["✓"] * CLEAR  # every clear sentence, neu ones too
        assert sorted(mark for *_, mark in rows[CLEAR:]) == ["✓", "✗"]  # "so so" can be only one of them


@pytest.mark.slow
@run_async
async def test_enter_in_the_sentence_box_gives_the_keys_back():
    app = PlaygroundApp(load("sentiment"))
    async with app.run_test(size=(140, 45)) as pilot:
        screen = playground(app)
        await pilot.press("t", *"a great film")
        await pilot.pause()
        assert screen.presenter.sentence_text == "a great film"
        await pilot.press("space")
        assert screen.session.trainer.step_count == 0  # still typing: the space is in the box
        await pilot.press("enter")
        await pilot.pause()
        assert screen.presenter.sentence_text == "a great film " and app.focused is not screen.query_one("#sentence")
        await pilot.press("space")
        assert screen.session.trainer.step_count == 1  # the keys are the playground's again


@run_async
async def test_the_sentences_tab_leaves_the_keys_with_the_playground_until_t():
    app = make_app("sentiment")
    async with app.run_test(size=(80, 24)) as pilot:  # tabs: showing one hides the focused diagram
        screen = playground(app)
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("space", "n")
        await pilot.pause()
        assert screen.session.trainer.step_count == 1 and screen.presenter.sample == 1
        assert screen.query_one("#view").query_one("Input").value == ""
        await pilot.press("t", "g", "o")  # asked for, the box takes the keys
        await pilot.pause()
        assert screen.query_one("#view").query_one("Input").value == "go"
