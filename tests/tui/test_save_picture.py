"""ctrl+s: a picture of the screen (SVG) in the current folder, through Textual's Pilot."""

import os

import pytest

from nnplay.snapshot import capture, svg

from .conftest import make_app, playground, run_async, screen_text

pytestmark = pytest.mark.slow  # through the Pilot: a second or more each

WIDE = (140, 45)


async def wait_for(pilot, done, tries=100):
    """Pause until ``done()`` (the picture is written in a thread), at most ``tries`` times 50 ms."""
    for _ in range(tries):
        if done():
            return
        await pilot.pause(0.05)
    raise AssertionError("timed out")


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


@run_async
async def test_ctrl_s_writes_the_named_svg_here_says_where_and_never_overwrites(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("full_stop", "full_stop", *["space"] * 5)
        await pilot.press("ctrl+s")
        first = tmp_path / "nnplay-xor-step25.svg"
        await wait_for(pilot, lambda: any(f"Saved the screen as {first}" in m for m in messages(app)))
        assert sorted(os.listdir(tmp_path)) == [first.name]
        picture = first.read_text()
        assert picture.startswith("<svg") and "step&#160;25" in picture
        await pilot.press("ctrl+s")
        second = tmp_path / "nnplay-xor-step25-2.svg"
        await wait_for(pilot, lambda: any(f"Saved the screen as {second}" in m for m in messages(app)))
        assert set(os.listdir(tmp_path)) == {first.name, second.name}
        assert first.read_text() == picture  # untouched
        await pilot.press("space")  # the next step: a new name
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: (tmp_path / "nnplay-xor-step26.svg").exists())


@run_async
async def test_a_folder_that_cannot_be_written_is_a_notice_and_the_playground_goes_on(tmp_path, monkeypatch):
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()  # the current folder no longer exists: nothing can be written in it
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: any(m.startswith("Could not save the picture: ") for m in messages(app)))
        (message,) = [m for m in messages(app) if m.startswith("Could not save")]
        assert "\n" not in message and "No such file or directory" in message
        await pilot.press("space")
        assert playground(app).session.trainer.step_count == 1


@run_async
async def test_the_palette_saves_the_picture_as_ctrl_s_does_not_to_downloads(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = make_app("xor")
    async with app.run_test(size=WIDE) as pilot:
        commands = [c.title for c in app.get_system_commands(app.screen)]
        assert "Screenshot" not in commands  # Textual's: to ~/Downloads, an em dash in its name
        assert "Save a picture of the screen (SVG) in the current folder" in commands
        await pilot.press("ctrl+p")
        await pilot.press(*"picture")
        await wait_for(pilot, lambda: "Save a picture" in screen_text(app))  # the palette searches
        await pilot.press("enter")
        written = tmp_path / "nnplay-xor-step0.svg"
        await wait_for(pilot, lambda: written.exists() and any("Saved the screen" in m for m in messages(app)))
        assert "Search for commands" not in written.read_text().replace("&#160;", " ")  # the palette had gone


@run_async
async def test_the_picture_is_textuals_own_screenshot():
    app = make_app("bump")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("full_stop", "v")
        await pilot.pause()
        assert svg(capture(app)) == app.export_screenshot()


@run_async
async def test_in_a_browser_the_picture_is_offered_to_it_too(tmp_path, monkeypatch):
    """Under nnplay serve (Textual's web driver) the file is written where the server runs, and the browser is
    offered it (App.deliver_text, which the web driver sends to the browser)."""
    from nnplay.tui.app import PlaygroundApp

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(PlaygroundApp, "is_web", property(lambda app: True))
    delivered = []
    app = make_app("xor")
    monkeypatch.setattr(app, "deliver_text", lambda file, **options: delivered.append((file.read(), options)))
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("ctrl+s")
        written = tmp_path / "nnplay-xor-step0.svg"
        await wait_for(pilot, lambda: delivered)
        ((text, options),) = delivered
        assert text == written.read_text()
        assert options["save_filename"] == written.name and options["mime_type"] == "image/svg+xml"


@run_async
async def test_in_a_browser_a_server_folder_that_cannot_be_written_still_offers_the_picture(tmp_path, monkeypatch):
    from nnplay.tui.app import PlaygroundApp

    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    monkeypatch.setattr(PlaygroundApp, "is_web", property(lambda app: True))
    delivered = []
    app = make_app("xor")
    monkeypatch.setattr(app, "deliver_text", lambda file, **options: delivered.append(options["save_filename"]))
    async with app.run_test(size=WIDE) as pilot:
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: any(m.startswith("Could not save the picture") for m in messages(app)))
        assert delivered == ["nnplay-xor-step0.svg"]
        assert any(m.endswith("(the browser was offered it)") for m in messages(app))
