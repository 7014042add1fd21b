"""The config file: ``$XDG_CONFIG_HOME/nnplay/config.toml`` (else ``~/.config/nnplay/config.toml``).

    theme = "gruvbox"        # any theme the playground offers (nnplay config lists them)
    speed = 500              # the run speed it starts at: a step of + and -, or "flat out"

    [keys]                   # action = key(s), as Textual's keymap: "j", "ctrl+s", "space", "f5", "j,ctrl+j"
    step = "j"
    toggle_run = ["r", "ctrl+r"]

Pure Python (no Textual), so that ``nnplay config`` and the tests read it without the interface: what
the interface knows (its actions and their keys, its themes, its speeds) comes in as ``Choices``.
Nothing in the file can stop the playground from opening: every problem is one line in
``Config.problems`` naming the file, the key and why, and that setting is ignored.
"""

from __future__ import annotations

import difflib
import os
import stat
import tomllib
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

MAX_BYTES = 64 * 1024  # a config file is a few lines: a bigger one is a mistake (or /dev/zero)
SETTINGS = ("theme", "speed", "keys")
FLAT_OUT = "flat out"

# Textual's key names (textual.keys, textual._xterm_parser): modifiers sorted, joined with "+"
MODIFIERS = ("alt", "ctrl", "hyper", "meta", "shift", "super")
NAMED_KEYS = ("space", "tab", "enter", "escape", "backspace", "delete", "insert", "home", "end", "pageup",
              "pagedown", "up", "down", "left", "right", *(f"f{i}" for i in range(1, 25)))
ALIASES = {"esc": "escape", "return": "enter", "pgup": "pageup", "pgdn": "pagedown", "del": "delete", " ": "space"}
# the names Textual gives a few characters instead of their Unicode names (textual.keys.KEY_NAME_REPLACEMENTS)
_RENAMED = {"solidus": "slash", "reverse_solidus": "backslash", "commercial_at": "at", "hyphen_minus": "minus",
            "plus_sign": "plus", "low_line": "underscore"}


def character_key(character: str) -> str:
    """The key Textual names for a printable character: the character for a letter or digit, else its
    Unicode name in lower case (``?`` → ``question_mark``, ``+`` → ``plus``)."""
    if character.isalnum():
        return character
    name = unicodedata.name(character).lower().replace("-", "_").replace(" ", "_")
    return _RENAMED.get(name, name)


_CHARACTERS = {character_key(c): c for c in map(chr, range(33, 127))}  # printable ASCII but the space


def key_label(key: str) -> str:
    """A key as a person writes it: ``question_mark`` → ``?``, ``ctrl+full_stop`` → ``ctrl+.``."""
    modifiers, plus, base = key.rpartition("+")
    return f"{modifiers}{plus}{_CHARACTERS.get(base, base)}"


def _quote(value: object) -> str:
    """A value from the file as a message quotes it: repr (so control characters are escaped), cut short
    (a line, whatever the file holds)."""
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _close(word: str, known: Collection[str]) -> str:
    close = difflib.get_close_matches(word, list(known), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def parse_key(text: str) -> str:
    """Textual's name of a key written as a person would (``j``, ``?``, ``space``, ``F5``, ``ctrl+s``,
    ``shift+j`` → ``J``); ValueError says why it is not one."""
    if len(text) == 1:
        if not text.isprintable():
            raise ValueError(f"not a key: {_quote(text)}")
        return ALIASES.get(text) or character_key(text)
    head, plus, base = text.rpartition("+")
    if plus and not base:
        raise ValueError(f"no key after the last '+' in {_quote(text)} (the + key is written plus)")
    mods = [m.strip().lower() for m in head.split("+")] if plus else []
    for mod in mods:
        if mod not in MODIFIERS:
            raise ValueError(f"unknown modifier {_quote(mod)} in {_quote(text)}"
                             + (_close(mod, MODIFIERS) or f" (modifiers: {', '.join(MODIFIERS)})"))
    if len(set(mods)) < len(mods):
        raise ValueError(f"a modifier given twice in {_quote(text)}")
    base = base.strip()
    if len(base) == 1 and base.isprintable() and base != " ":
        if mods == ["shift"] and base.isalpha():  # a terminal sends shift+j as J
            return base.upper()
        if "shift" in mods and not base.isalpha():  # shift+1 arrives as '!', on a keyboard's own layout
            raise ValueError(f"{_quote(text)}: shift with {_quote(base)} arrives as the character it types: "
                             "write that character (such as ! or ?)")
        name = character_key(base.lower() if mods else base)
    else:
        name = ALIASES.get(base.lower(), base.lower())
        if name not in NAMED_KEYS and name not in _CHARACTERS:
            known = (*NAMED_KEYS, *ALIASES, *_CHARACTERS)
            raise ValueError(f"unknown key {_quote(text)}{_close(base.lower(), known)} (a key is a character such as j "
                             "or ?, a name such as space, enter, escape, up, f5, or one with modifiers: ctrl+s)")
    return "+".join([*sorted(mods), name])


@dataclass(frozen=True, eq=False)
class Choices:
    """What the playground offers, for checking a config file against."""

    keys: Mapping[str, tuple[str, ...]]  # every action (a key binding's id) → its own keys, as Textual names them
    descriptions: Mapping[str, str]      # every action → what it does
    reserved: Mapping[str, str]          # keys of Textual's own bindings (the palette, quit …) → what they do
    themes: Collection[str]
    default_theme: str
    speeds: Sequence[int | None]         # the steps of + and - (None: flat out)
    default_speed: int | None


@dataclass(frozen=True, eq=False)
class Config:
    """The settings in effect: the file's where they are good, the defaults elsewhere."""

    path: Path
    exists: bool
    theme: str
    speed: int | None
    keys: Mapping[str, tuple[str, ...]]  # every action → its keys in effect
    changed: frozenset[str] = frozenset()  # the settings and actions the file changed
    problems: tuple[str, ...] = ()         # what was ignored and why, one line each
    choices: Choices | None = field(default=None, repr=False)

    def keymap(self) -> dict[str, str]:
        """The remapped actions as Textual's ``App.set_keymap`` takes them: binding id → "key,key"."""
        return {action: ",".join(keys) for action, keys in self.keys.items() if action in self.changed}


def path(environ: Mapping[str, str] | None = None) -> Path:
    """Where the config file is: under $XDG_CONFIG_HOME when it is set to an absolute path (the XDG spec
    says to ignore a relative one), else under ~/.config."""
    environ = os.environ if environ is None else environ
    base = environ.get("XDG_CONFIG_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(environ.get("HOME") or str(Path.home()), ".config")
    return Path(base) / "nnplay" / "config.toml"


def shown(where: Path, environ: Mapping[str, str] | None = None) -> str:
    """A path as messages show it: ~ for the home folder; control characters escaped."""
    environ = os.environ if environ is None else environ
    text = str(where)
    home = environ.get("HOME", "")
    if home and home != "/" and text.startswith(home.rstrip("/") + "/"):
        text = "~" + text[len(home.rstrip("/")):]
    return text if text.isprintable() else repr(text)


def read(choices: Choices, where: Path | None = None) -> Config:
    """The config file at ``where`` (default: ``path()``) checked against ``choices``; never raises for
    anything in or about the file."""
    where = path() if where is None else where
    name = shown(where)
    default = Config(where, False, choices.default_theme, choices.default_speed, dict(choices.keys), choices=choices)

    def ignored(why: str) -> Config:
        return replace(default, exists=True, problems=(f"{name}: {why}; the whole file is ignored",))

    try:
        mode = where.stat().st_mode  # stat first: opening a FIFO would wait for a writer
    except (FileNotFoundError, NotADirectoryError):
        return default
    except OSError as error:
        return ignored(f"cannot read it ({error.strerror or error})")
    if not stat.S_ISREG(mode):
        return ignored("not a regular file")
    try:
        with where.open("rb") as file:
            raw = file.read(MAX_BYTES + 1)
    except OSError as error:
        return ignored(f"cannot read it ({error.strerror or error})")
    if len(raw) > MAX_BYTES:
        return ignored(f"larger than {MAX_BYTES // 1024} KB, so not a config file")
    try:
        doc = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return ignored("not UTF-8 text, so not valid TOML")
    except (ValueError, RecursionError) as error:  # tomllib.TOMLDecodeError is a ValueError
        return ignored(f"not valid TOML ({' '.join(str(error).split()) or type(error).__name__})")
    return _check(doc, choices, default, name)


def _check(doc: dict, choices: Choices, default: Config, name: str) -> Config:
    problems: list[str] = []
    changed: set[str] = set()

    def ignore(key: str, why: str) -> None:
        shown_key = key if key.isprintable() and len(key) <= 40 else _quote(key)
        problems.append(f"{name}: {shown_key}: {why}; ignored")

    theme, speed = default.theme, default.speed
    for key in doc:
        if key not in SETTINGS:
            ignore(key, f"unknown setting {_quote(key)}" + (_close(key, SETTINGS) or f" (settings: {', '.join(SETTINGS)})"))
    if "theme" in doc:
        value = doc["theme"]
        if not isinstance(value, str):
            ignore("theme", f"expected a theme's name in quotes, got {_quote(value)}")
        elif value not in choices.themes:
            ignore("theme", f"unknown theme {_quote(value)}"
                            + (_close(value, choices.themes) or " (nnplay config lists the themes)"))
        else:
            theme = value
            changed.add("theme")
    if "speed" in doc:
        value = doc["speed"]
        ladder = ", ".join(str(s) for s in choices.speeds if s is not None)
        if value == FLAT_OUT and None in choices.speeds:
            speed = None
            changed.add("speed")
        elif isinstance(value, int) and not isinstance(value, bool) and value in choices.speeds:
            speed = value
            changed.add("speed")
        else:
            ignore("speed", f"expected steps a second as + and - step through them ({ladder}) or "
                            f"\"{FLAT_OUT}\", got {_quote(value)}")
    keys = dict(choices.keys)
    if "keys" in doc:
        table = doc["keys"]
        if not isinstance(table, dict):
            ignore("keys", "expected a table of action = key(s): [keys] then step = \"j\"")
        else:
            remaps: dict[str, list[str]] = {}
            for action, value in table.items():
                where = f"keys.{action}"
                if action not in choices.keys:
                    ignore(where, f"unknown action {_quote(action)}{_close(action, choices.keys)} "
                                  "(nnplay config lists every action)")
                    continue
                given = value.split(",") if isinstance(value, str) else value
                if not isinstance(given, list) or not given or not all(isinstance(k, str) for k in given):
                    ignore(where, f"expected a key in quotes (\"j\", \"ctrl+s\"), several (\"j,ctrl+j\" or "
                                  f"[\"j\", \"ctrl+j\"]), got {_quote(value)}")
                    continue
                parsed = []
                for text in given:
                    try:
                        parsed.append(parse_key(text if text == " " else text.strip()))
                    except ValueError as error:
                        ignore(where, str(error))
                if parsed:
                    remaps[action] = list(dict.fromkeys(parsed))
            keys.update(_assign(remaps, choices, lambda where, why: ignore(where, why)))
            changed |= {action for action in remaps if set(keys[action]) != set(choices.keys[action])}
    return replace(default, exists=True, theme=theme, speed=speed, keys=keys, changed=frozenset(changed),
                 problems=tuple(problems))


def _assign(remaps: dict[str, list[str]], choices: Choices, ignore) -> dict[str, tuple[str, ...]]:
    """The keys of the remapped actions, each key for one action only: a key that another action keeps (one
    not remapped, an earlier one in the file, or Textual's own) is ignored; an action left with no key at all
    keeps its own keys, and then those are no longer free for the others, so it starts again."""
    remaps = dict(remaps)
    while True:
        owner = {key: action for action, keys in choices.keys.items() if action not in remaps for key in keys}
        said: list[tuple[str, str]] = []
        result: dict[str, tuple[str, ...]] = {}
        emptied = None
        for action, wanted in remaps.items():
            kept = []
            for key in wanted:
                if key in choices.reserved:
                    said.append((f"keys.{action}", f"{key_label(key)!r} is Textual's own key for "
                                                   f"{choices.reserved[key]}"))
                elif key in owner and owner[key] != action:
                    other = owner[key]
                    said.append((f"keys.{action}", f"{key_label(key)!r} is already the key of {other} (remap "
                                                   f"{other} too, or choose another key)"))
                else:
                    owner[key] = action
                    kept.append(key)
            if not kept:
                emptied = action
                break
            result[action] = tuple(kept)
        if emptied is None:
            for where, why in said:
                ignore(where, why)
            return result
        for where, why in said:  # why this action keeps its own keys
            if where == f"keys.{emptied}":
                ignore(where, why)
        del remaps[emptied]


def _speed_text(speed: int | None) -> str:
    return FLAT_OUT if speed is None else f"{speed} steps a second"


def report(config: Config) -> list[str]:
    """``nnplay config``: the file, the settings in effect (* the file's), every action's keys, what was ignored."""
    choices = config.choices
    assert choices is not None
    mark = {True: "*", False: " "}
    lines = [f"config file: {shown(config.path)}" + ("" if config.exists else " (there is none: the defaults apply)"),
             f"{mark['theme' in config.changed]} theme  {config.theme}",
             f"{mark['speed' in config.changed]} speed  {_speed_text(config.speed)}", ""]
    width = max(map(len, choices.keys))
    lines.append(f"  {'action':<{width}}  {'keys':<14}  what it does")
    for action, keys in config.keys.items():
        shown_keys = ", ".join(map(key_label, keys))
        lines.append(f"{mark[action in config.changed]} {action:<{width}}  {shown_keys:<14}  {choices.descriptions[action]}")
    lines += ["", "* set by the file", f"themes: {', '.join(sorted(choices.themes))}",
              f"speeds: {', '.join(str(s) for s in choices.speeds if s is not None)} or \"{FLAT_OUT}\""]
    if config.problems:
        lines += ["", f"ignored ({len(config.problems)}):", *config.problems]
    return lines


def as_json(config: Config) -> dict:
    """``nnplay config --json``."""
    choices = config.choices
    assert choices is not None
    return {
        "path": str(config.path), "exists": config.exists,
        "theme": config.theme, "speed": FLAT_OUT if config.speed is None else config.speed,
        "changed": sorted(config.changed),
        "keys": {action: [key_label(key) for key in keys] for action, keys in config.keys.items()},
        "themes": sorted(choices.themes), "ignored": list(config.problems),
    }
