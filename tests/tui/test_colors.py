"""The colours: text that reads on every theme nnplay offers, and a sign that shows without colour."""

import numpy as np
import pytest

from nnplay.tui import colors

from .conftest import make_app, playground, run_async

THEMES = sorted(make_app().available_themes)  # every theme the command palette offers


def test_contrast_is_wcag():
    assert colors.contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert colors.contrast((90, 20, 200), (90, 20, 200)) == pytest.approx(1.0)
    assert colors.contrast((0, 0, 0), (118, 118, 118)) == pytest.approx(colors.contrast((118, 118, 118), (0, 0, 0)))
    assert colors.contrast((118, 118, 118), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)  # WCAG's example grey


def test_the_old_grey_labels_did_not_read_on_the_light_theme():
    light = colors.palette(make_app().get_theme("textual-light"))
    assert colors.contrast((150, 150, 150), light.background) < 2.5  # what the diagram's labels were
    assert colors.contrast(light.label, light.background) >= colors.TEXT_CONTRAST


@pytest.mark.parametrize("name", THEMES)
def test_every_text_colour_reads_on_every_theme(name):
    theme = make_app().get_theme(name)
    palette = colors.palette(theme)
    for colour in (palette.label, palette.positive, palette.negative, palette.selected):
        assert colors.contrast(colour, palette.background) >= colors.TEXT_CONTRAST, (name, colour)
    # still the same hue family: blue stays bluer than orange, orange redder than blue
    assert palette.positive[2] > palette.positive[0] and palette.negative[0] > palette.negative[2]
    # light themes darken the text, dark ones keep it light
    quiet = colors.luminance(palette.label)
    assert quiet < colors.luminance(palette.background) if not theme.dark else quiet > colors.luminance(palette.background)


def test_a_colour_that_reads_already_is_kept():
    dark = colors.palette(make_app().get_theme("textual-dark"))
    assert (dark.positive, dark.negative, dark.selected) == (colors.POSITIVE, colors.NEGATIVE, colors.SELECTED)


@pytest.mark.parametrize("level", range(0, 256, 5))
def test_heat_map_text_reads_on_any_cell(level):
    for bg in ((level, level, level), colors.signed(level / 255, 1.0), colors.signed(-level / 255, 1.0)):
        assert colors.contrast(colors.text_on(bg), bg) >= colors.TEXT_CONTRAST, bg


@pytest.mark.parametrize("value", [0.3, -0.3, 7e-9, -7e-9, 40.0, -40.0])
def test_the_sign_shows_without_colour(value):
    glyph, pattern = colors.sign_glyph(value), colors.line_pattern(value)
    opposite = colors.sign_glyph(-value), colors.line_pattern(-value)
    assert (glyph, pattern) != opposite
    assert glyph == ("+" if value > 0 else "−")
    assert all(pattern) == (value > 0)  # a positive weight is a solid line, a negative one has gaps
    assert any(pattern)  # and is still drawn


def test_the_sign_of_zero_and_of_nothing():
    assert colors.sign_glyph(0.0) == "0" and colors.sign_glyph(float("nan")) == "?"


@pytest.mark.slow  # through the Pilot
@run_async
async def test_the_diagram_labels_read_on_the_light_theme():
    app = make_app()
    async with app.run_test(size=(140, 45)) as pilot:
        app.theme = "textual-light"
        await pilot.pause()
        diagram = playground(app).query_one("NetworkDiagram")
        background = colors.palette(app.current_theme).background
        labels = [seg for y in range(diagram.size.height) for seg in diagram.render_line(y)
                  if seg.text.strip() in ("x1", "x2", "xor", "+1")]
        assert labels
        for seg in labels:
            assert colors.contrast(seg.style.color.triplet, background) >= colors.TEXT_CONTRAST, seg



@pytest.mark.parametrize("scale", [1.0, 0.3, 7.5, 1e-9, 0.0])
def test_signed_rgb_gives_signeds_colours_for_a_whole_array(scale):
    """The diagram, the pixel pictures and the unit maps colour whole arrays at once: to the unit, the
    colours ``signed`` gives each value, NaN and infinities included."""
    values = np.r_[np.random.default_rng(0).normal(0, 2, 5000), 0.0, -0.0, np.nan, np.inf, -np.inf, 1e308, -1e-320, 0.5]
    expected = np.array([colors.signed(float(v), scale) for v in values])
    assert (colors.signed_rgb(values, scale) == expected).all()
    per_value = np.full(values.shape, scale)  # a scale for each value, as the diagram's layers have
    assert (colors.signed_rgb(values.reshape(-1, 4), per_value.reshape(-1, 4)).reshape(-1, 3) == expected).all()
