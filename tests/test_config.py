"""The config file (nnplay/config.py): where it is, what it may set, and that nothing in it stops the playground."""

import os
import string

import pytest

from nnplay import config
from nnplay.scenario import load
from nnplay.session import SPEEDS
from nnplay.tui.app import PlaygroundApp, config_choices
from nnplay.tui.layout import BINDINGS
from tests.tui.conftest import run_async, screen_text

CHOICES = config_choices()


def write(tmp_path, text: str | bytes):
    where = tmp_path / "nnplay" / "config.toml"
    where.parent.mkdir(parents=True, exist_ok=True)
    where.write_bytes(text if isinstance(text, bytes) else text.encode())
    return where


def read(tmp_path, text: str | bytes) -> config.Config:
    return config.read(CHOICES, write(tmp_path, text))


# -- where the file is ---------------------------------------------------------------------------------


def test_the_path_follows_xdg_config_home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert config.path() == tmp_path / "xdg" / "nnplay" / "config.toml"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert config.path() == tmp_path / "home" / ".config" / "nnplay" / "config.toml"
    # the XDG spec: a relative XDG_CONFIG_HOME is invalid and ignored
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/dir")
    assert config.path() == tmp_path / "home" / ".config" / "nnplay" / "config.toml"
    monkeypatch.setenv("XDG_CONFIG_HOME", "")
    assert config.path() == tmp_path / "home" / ".config" / "nnplay" / "config.toml"


def test_reads_the_file_at_the_xdg_path_and_shows_home_as_a_tilde(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / ".config"))
    write(tmp_path / ".config", 'theme = "nord"\nthme = 1\n')
    settings = config.read(CHOICES)
    assert settings.exists and settings.theme == "nord"
    assert settings.problems == ("~/.config/nnplay/config.toml: thme: unknown setting 'thme' (did you mean "
                                 "'theme'?); ignored",)


def test_no_file_is_the_defaults(tmp_path):
    settings = config.read(CHOICES, tmp_path / "nothing.toml")
    assert not settings.exists and settings.problems == () and settings.changed == frozenset()
    assert settings.theme == CHOICES.default_theme and settings.speed == CHOICES.default_speed == 100
    assert settings.keys == CHOICES.keys and settings.keymap() == {}


# -- what it may set ---------------------------------------------------------------------------------------


def test_theme_speed_and_keys_are_taken(tmp_path):
    settings = read(tmp_path, 'theme = "gruvbox"\nspeed = 500\n[keys]\nstep = "j"\ntoggle_run = ["ctrl+r", "R"]\n'
                              'help = "h, F1"\n')
    assert settings.problems == ()
    assert (settings.theme, settings.speed) == ("gruvbox", 500)
    assert settings.changed == {"theme", "speed", "step", "toggle_run", "help"}
    assert settings.keymap() == {"step": "j", "toggle_run": "ctrl+r,R", "help": "h,f1"}
    assert settings.keys["step_10"] == ("full_stop",)  # the others keep theirs
    assert read(tmp_path, 'speed = "flat out"').speed is None


def test_swapping_two_keys_is_no_clash(tmp_path):
    settings = read(tmp_path, '[keys]\nstep = "r"\ntoggle_run = "space"\n')
    assert settings.problems == () and settings.keymap() == {"step": "r", "toggle_run": "space"}


@pytest.mark.parametrize("text, problem", [
    ('thme = "nord"', "thme: unknown setting 'thme' (did you mean 'theme'?)"),
    ("colour = 3", "colour: unknown setting 'colour' (settings: theme, speed, keys)"),
    ('theme = "gruvbx"', "theme: unknown theme 'gruvbx' (did you mean 'gruvbox'?)"),
    ('theme = "paper"', "theme: unknown theme 'paper' (nnplay config lists the themes)"),
    ("theme = 7", "theme: expected a theme's name in quotes, got 7"),
    ("speed = 150", "speed: expected steps a second as + and - step through them (1, 2, 5, 10, 20, 50, 100, 200, "
                    '500, 1000, 2000, 5000) or "flat out", got 150'),
    ("speed = true", "speed: expected steps a second"),
    ('keys = "j"', 'keys: expected a table of action = key(s): [keys] then step = "j"'),
    ('[keys]\nstpe = "j"', "keys.stpe: unknown action 'stpe' (did you mean 'step'?) (nnplay config lists every action)"),
    ('[keys]\nstep = 3', "keys.step: expected a key in quotes"),
    ('[keys]\nstep = ""', "keys.step: unknown key ''"),
    ('[keys]\nreset = "ctlr+x"', "keys.reset: unknown modifier 'ctlr' in 'ctlr+x' (did you mean 'ctrl'?)"),
    ('[keys]\nreset = "spcae"', "keys.reset: unknown key 'spcae' (did you mean 'space'?)"),
    ('[keys]\nreset = "ctrl+"', "keys.reset: no key after the last '+' in 'ctrl+' (the + key is written plus)"),
    ('[keys]\nreset = "shift+1"', "keys.reset: 'shift+1': shift with '1' arrives as the character it types: write that "
                                  "character (such as ! or ?)"),
    ('[keys]\nhelp = "q"', "keys.help: 'q' is already the key of quit (remap quit too, or choose another key)"),
    ('[keys]\nsave = "ctrl+p"', "keys.save: 'ctrl+p' is Textual's own key for the command palette"),
    ('[keys]\nsave = "ctrl+q"', "keys.save: 'ctrl+q' is Textual's own key for quit"),
    ('[keys]\nstep = "j"\nback = "j"', "keys.back: 'j' is already the key of step"),
])
def test_each_kind_of_mistake_is_one_line_naming_the_file_and_key_and_is_ignored(tmp_path, text, problem):
    settings = read(tmp_path, text)
    assert len(settings.problems) == 1
    line = settings.problems[0]
    assert line.startswith(f"{tmp_path}/nnplay/config.toml: {problem}") and line.endswith("; ignored")
    assert "\n" not in line
    changed = settings.changed - {"step"}  # the one good remap above
    assert changed == frozenset() and settings.theme == CHOICES.default_theme and settings.speed == 100
    assert {a: k for a, k in settings.keys.items() if a != "step"} == {a: k for a, k in CHOICES.keys.items()
                                                                      if a != "step"}


def test_a_remap_with_one_good_key_keeps_that_one(tmp_path):
    settings = read(tmp_path, '[keys]\nstep = ["j", "ctrl+xyz", "q"]\n')
    assert settings.keymap() == {"step": "j"} and len(settings.problems) == 2


def test_an_action_left_without_a_key_keeps_its_own_and_the_others_make_way(tmp_path):
    """step wants only q (quit's), so it keeps space, which toggle_run wanted: both stay as they were."""
    settings = read(tmp_path, '[keys]\ntoggle_run = "space"\nstep = "q"\n')
    assert settings.keymap() == {} and settings.keys == CHOICES.keys
    assert [line.split(": ", 1)[1] for line in settings.problems] == [
        "keys.step: 'q' is already the key of quit (remap quit too, or choose another key); ignored",
        "keys.toggle_run: 'space' is already the key of step (remap step too, or choose another key); ignored"]


@pytest.mark.parametrize("content, problem", [
    (b"theme = \n", "not valid TOML (Invalid value (at line 1, column 9)); the whole file is ignored"),
    (b"[keys\n", "not valid TOML ("),
    (b"\xff\xfe\x00", "not UTF-8 text, so not valid TOML; the whole file is ignored"),
    (b"#" * (config.MAX_BYTES + 1), "larger than 64 KB, so not a config file; the whole file is ignored"),
    (b"x = " + b"[" * 20000 + b"]" * 20000, "not valid TOML ("),
])
def test_a_file_that_is_not_toml_is_one_line_and_the_defaults_apply(tmp_path, content, problem):
    settings = read(tmp_path, content)
    assert settings.exists and settings.keys == CHOICES.keys and settings.theme == CHOICES.default_theme
    assert len(settings.problems) == 1 and settings.problems[0].startswith(f"{tmp_path}/nnplay/config.toml: {problem}")


def test_a_folder_or_a_fifo_is_refused_without_waiting(tmp_path):
    (tmp_path / "dir.toml").mkdir()
    assert config.read(CHOICES, tmp_path / "dir.toml").problems == (
        f"{tmp_path}/dir.toml: not a regular file; the whole file is ignored",)
    os.mkfifo(tmp_path / "fifo.toml")
    assert config.read(CHOICES, tmp_path / "fifo.toml").problems[0].endswith("not a regular file; the whole file is ignored")
    (tmp_path / "plain").write_text("")  # ~/.config is a file: no config file there
    settings = config.read(CHOICES, tmp_path / "plain" / "config.toml")
    assert not settings.exists and settings.problems == ()


def test_a_control_character_in_a_key_is_escaped_and_a_long_value_cut(tmp_path):
    settings = read(tmp_path, '"th\\u001b[31me" = 1\n')
    assert "\x1b" not in settings.problems[0] and "'th\\x1b[31me'" in settings.problems[0]
    long = "x" * 5000
    settings = read(tmp_path, f'theme = "{long}"\n{long} = 1\n[keys]\nstep = ["{long}"]\n{long} = "j"\n')
    assert len(settings.problems) == 4 and all(len(line) < 300 for line in settings.problems)


# -- key names ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("written, key", [
    ("j", "j"), ("J", "J"), ("?", "question_mark"), ("+", "plus"), (".", "full_stop"), (" ", "space"),
    ("space", "space"), ("Space", "space"), ("F5", "f5"), ("esc", "escape"), ("question_mark", "question_mark"),
    ("ctrl+s", "ctrl+s"), ("Ctrl+S", "ctrl+s"), ("shift+j", "J"), ("shift+ctrl+a", "ctrl+shift+a"),
    ("alt+?", "alt+question_mark"), ("ctrl+plus", "ctrl+plus"), ("pgdn", "pagedown"),
])
def test_keys_as_a_person_writes_them_become_textuals_names(written, key):
    assert config.parse_key(written) == key


def test_key_names_agree_with_textuals():
    """config.py names keys without importing Textual: its rules must be Textual's own."""
    from textual.keys import Keys, _character_to_key

    for c in string.printable.strip():
        assert config.character_key(c) == _character_to_key(c), c
        assert config.key_label(config.character_key(c)) == c
    named = {key.value for key in Keys}
    assert set(config.NAMED_KEYS) - {"space"} <= named  # space is a character to Textual's Keys, a name to its events


def test_every_binding_has_its_own_id_and_the_choices_are_the_apps():
    ids = [binding.id for binding in BINDINGS]
    assert None not in ids and len(set(ids)) == len(ids)
    assert list(CHOICES.keys) == ids and CHOICES.keys["speed_up"] == ("plus", "equals_sign")
    app = PlaygroundApp(load("xor"))
    assert sorted(CHOICES.themes) == sorted(app.available_themes) and CHOICES.default_theme == app.theme
    assert tuple(CHOICES.speeds) == SPEEDS


# -- in the playground --------------------------------------------------------------------------------------

WIDE = (140, 45)


def app_with(tmp_path, text: str, name: str = "xor") -> PlaygroundApp:
    return PlaygroundApp(load(name), settings=read(tmp_path, text))


@run_async
async def test_the_playground_opens_and_says_what_it_ignored(tmp_path):
    text = ('thme = "nord"\ntheme = "gruvbx"\nspeed = 150\n[keys]\nstpe = "j"\nhelp = "q"\nreset = "ctlr+x"\n'
            'step = "j"\n')
    app = app_with(tmp_path, text)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.pause()
        assert "The config file: ignored" in screen_text(app)  # a toast on the playground's screen
        [notice] = [n for n in app._notifications if n.severity == "warning"]
        lines = notice.message.splitlines()
        assert len(lines) == 6 and all(line.startswith(f"{tmp_path}/nnplay/config.toml: ") for line in lines)
        assert notice.title == "The config file: ignored"
        for said in ("thme: unknown setting", "theme: unknown theme 'gruvbx'", "speed: expected", "keys.stpe:",
                     "keys.help: 'q' is already the key of quit", "keys.reset: unknown modifier 'ctlr'"):
            assert sum(said in line for line in lines) == 1
        session = app.playground.session
        await pilot.press("j")  # the good remap still applies
        await pilot.pause()
        assert session.trainer.step_count == 1 and session.speed == 100


@run_async
async def test_many_mistakes_show_the_first_eight_and_how_many_more(tmp_path):
    app = app_with(tmp_path, "".join(f"setting{i} = {i}\n" for i in range(11)))
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        [notice] = [n for n in app._notifications if n.severity == "warning"]
        lines = notice.message.splitlines()
        assert len(lines) == 9 and "setting7" in lines[7] and lines[8] == "… and 3 more: nnplay config lists them all"


@run_async
async def test_a_file_that_is_not_toml_still_opens_the_playground(tmp_path):
    app = app_with(tmp_path, "theme = = 3\n")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        [notice] = [n for n in app._notifications if n.severity == "warning"]
        assert notice.message.startswith(f"{tmp_path}/nnplay/config.toml: not valid TOML (")
        await pilot.press("space")
        await pilot.pause()
        assert app.playground.session.trainer.step_count == 1


@run_async
async def test_a_remapped_key_works_and_shows_in_the_footer_help_and_palette(tmp_path):
    app = app_with(tmp_path, '[keys]\nstep = "j"\nhelp = "h"\n')
    async with app.run_test(size=WIDE) as pilot:
        session = app.playground.session
        await pilot.press("j", "j")
        await pilot.pause()
        assert session.trainer.step_count == 2
        await pilot.press("space")  # space is no longer a step
        await pilot.pause()
        assert session.trainer.step_count == 2
        [footer] = [line for line in screen_text(app).splitlines() if " q Quit " in line]
        assert " j Step " in footer and " h Help " in footer and "space" not in footer
        palette = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert palette["Step"] == "key: j" and palette["Help"] == "key: h" and palette["10 steps"] == "key: ."
        await pilot.press("h")
        await pilot.pause()
        from nnplay.tui.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        help_lines = [" ".join(line.split()) for line in screen_text(app).splitlines()]
        assert any("j Step" in line for line in help_lines) and any("h Help" in line for line in help_lines)
        assert not any("space Step" in line for line in help_lines)
        await pilot.press("h")  # the help key closes the help too
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


@run_async
async def test_theme_and_speed_are_applied_to_every_run(tmp_path):
    app = app_with(tmp_path, 'theme = "nord"\nspeed = 500\n')
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert app.theme == "nord" and app.playground.session.speed == 500
        assert [n for n in app._notifications if n.severity == "warning"] == []
        await pilot.press("plus")  # + steps along the ladder from there
        assert app.playground.session.speed == SPEEDS[SPEEDS.index(500) + 1]
        app.open_scenario(load("bump"))  # a new run starts at the file's speed again
        await pilot.pause()
        assert app.playground.session.scenario.id == "bump" and app.playground.session.speed == 500


def test_reading_the_config_imports_no_textual():
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-c", "import sys, nnplay.config\n"
                        "sys.exit(str([m for m in sys.modules if m.startswith(('textual', 'rich', 'numpy'))]) "
                        "if any(m.startswith(('textual', 'rich', 'numpy')) for m in sys.modules) else 0)"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
