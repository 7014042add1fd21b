"""The playground under hostile data and keys: it stays alive and shows the truth.

* names that look like markup are shown as written, in every pane and prompt;
* numbers too large for the network (inputs of 1e200, weights of 1e300, a run
  that diverges) are drawn as "inf" or "nan", never turned into a crash;
* the slow views (the landscape, the sweep) are computed off the interface
  thread, so a key answers while they are being made;
* seeded random keys, flat out and with resizes, leave it alive and consistent.
"""

from __future__ import annotations

import pytest

from nnplay.scenario import load
from nnplay.tui.app import PlaygroundApp

from ..tui.conftest import playground, run_async, screen_text

# Rich and Textual markup that would crash (an unmatched closing tag), vanish (a style),
# or act (a click that quits) if a name were read as markup.
CLOSE, MISMATCH, STYLE, CLICK = "[/]", "[b]x[/i]", "[red]", "[@click=app.quit]q[/]"
NETWORK = '[network]\nlayers = [{{ units = 2, activation = "sigmoid" }}, {{ units = {outputs}, activation = "{out}" }}]\n'
LESSON = f'[[lesson]]\ntitle = "{CLOSE} lesson"\ntext = "{STYLE}great {CLOSE} page"\n'

MARKUP_SCENARIOS = {
    "table": (f'[scenario]\nname = "{CLOSE}"\n[data]\ninputs = [[0, 0, 1], [0, 1, 0], [1, 0, 0], [1, 1, 1]]\n'
              f'targets = [[0], [1], [1], [0]]\ninput_names = ["{CLOSE}", "{MISMATCH}", "{CLICK}"]\n'
              f'output_names = ["{STYLE}"]\n' + NETWORK.format(outputs=1, out="sigmoid") + LESSON),
    "decision-map": (f'[scenario]\nname = "{MISMATCH}"\n[data]\ninputs = [[0, 0], [0, 1], [1, 0], [1, 1]]\n'
                     f'targets = [0, 1, 1, 0]\nclass_names = ["{STYLE}", "{CLOSE}"]\n'
                     f'input_names = ["{CLICK}", "{MISMATCH}"]\n' + NETWORK.format(outputs=2, out="softmax")
                     + '[training]\nloss = "cce"\n' + LESSON),
    "curve": (f'[scenario]\nname = "{CLICK}"\n[data]\ninputs = [[0], [0.5], [1]]\ntargets = [[0], [1], [0]]\n'
              f'input_names = ["{CLOSE}"]\noutput_names = ["{MISMATCH}"]\n' + NETWORK.format(outputs=1, out="linear")),
    "sentences": (f'[scenario]\nname = "{CLOSE}"\n[data]\nsentences = [["{STYLE}great film", 1], '
                  f'["{CLOSE} awful {MISMATCH} film", 0]]\noutput_names = ["{CLICK}"]\n'
                  + NETWORK.format(outputs=1, out="sigmoid") + LESSON),
}


@pytest.mark.parametrize("view", MARKUP_SCENARIOS)
@run_async
async def test_names_that_look_like_markup_are_shown_as_written(write, view):
    scenario = load(str(write(MARKUP_SCENARIOS[view])))
    assert scenario.view == view
    app = PlaygroundApp(scenario)
    seen = []
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = playground(app)
        for key in "1234567":  # every tab of the small layout
            await pilot.press(key, "escape")  # escape: leave the sentence box the view tab focuses
            await pilot.pause()
            seen.append(screen_text(app))
        await pilot.resize_terminal(140, 45)
        await pilot.pause()
        for _ in range(5):  # every explain view, and back to the inspector
            await pilot.press("v")
            await pilot.pause()
            seen.append(screen_text(app))
        if view == "decision-map":
            await pilot.press("u")  # the per-unit maps
            await pilot.pause()
            seen.append(screen_text(app))
        if view == "sentences":
            await pilot.press("t", *f"{CLOSE} great", "escape")
            await pilot.pause()
            seen.append(screen_text(app))
        await pilot.press("x")  # a notification that quotes the weight's name
        await pilot.pause()
        seen.append(screen_text(app))
        await pilot.press("e")  # the prompt's question quotes it too
        await pilot.pause()
        seen.append(screen_text(app))
        await pilot.press(*CLOSE, "enter")  # a wrong value, quoted back
        await pilot.pause()
        seen.append(screen_text(app))
        assert app.is_running and app.screen is screen
    shown = "\n".join(seen)
    label = screen.view_state(screen.frame).selected_label
    for name in (scenario.name, *scenario.input_names[:3], *scenario.output_names):
        assert name[:10] in shown, name  # the narrowest label keeps ten characters
    for text in (f"Pinned {label}", f"New value for {label}", f"Not a finite number: '{CLOSE}'"):
        assert text in shown, text
    if scenario.lessons:
        assert f"{CLOSE} lesson" in shown and f"{STYLE}great {CLOSE} page" in shown
    if scenario.sentences:
        assert f"{STYLE}great film" in shown and f"{CLOSE} awful {MISMATCH} film" in shown
