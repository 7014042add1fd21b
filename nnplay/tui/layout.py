"""The playground's panes: which widget goes where, their titles, and the keys.

``compose_panes`` yields the panes a scenario has (the lesson only when it
carries one); ``follow_choices`` sets the switcher, the titles and the maps
that follow the learner's choices (the explain view, the per-unit maps beside
the decision map). The panes' sizes are fixed shares in app.tcss: what a pane
cannot fit, it scrolls, with a scrollbar.
"""

from __future__ import annotations

from collections.abc import Iterator

from textual.binding import Binding
from textual.containers import Container, Horizontal, ScrollableContainer
from textual.dom import DOMNode
from textual.widget import Widget
from textual.widgets import ContentSwitcher, Tab, Tabs

from ..config import key_label
from ..engine.optimizers import OPTIMIZERS
from ..playground import Playground
from .activations import ActivationsPane
from .chain_rule import ChainRuleView
from .confusion import ConfusionView
from .curve import CurveView
from .decision_map import DecisionMap
from .diagram import NetworkDiagram
from .function_chain import FunctionChain
from .gradients import GradientsPane
from .inspector import Inspector
from .landscape import LandscapeMap
from .lesson import LessonPane
from .lossplot import LossPlot
from .nudge import NudgeView
from .pictures import PixelPictures, picture_side
from .race_table import RaceTable
from .sentences import SentencesView
from .sweep import SweepPlot
from .table_view import TableView
from .unit_maps import UnitMaps

VIEW_TITLES = {"curve": "Curve", "decision-map": "Decision map", "sentences": "Sentences", "table": "Predictions"}
PANE_TITLES = ("Network", None, "Activations", "Gradients", "Loss", "Explain", "Lesson")
EXPLAIN_TITLES = {"inspector": "the selected weight", "chain-rule": "the chain rule", "nudge": "nudge check",
                  "sweep": "loss along the weight", "landscape": "loss over two weights",
                  "functions": "the chain of functions"}

# Every key has an id, the name the config file's [keys] remaps it by (nnplay/config.py): the action's
# name, with _up/_down, _next/_previous, _10/_100 or the pane's number where one action has several keys.
BINDINGS: list[Binding] = [
    Binding("space", "step(1)", "Step", id="step"),
    Binding("r", "toggle_run", "Run/Pause", id="toggle_run"),
    Binding("b", "back(1)", "Back", id="back"),
    Binding("full_stop", "step(10)", "10 steps", key_display=".", id="step_10"),
    Binding("greater_than_sign", "step(100)", "100 steps", key_display=">", id="step_100"),
    Binding("0", "reset", "Reset", id="reset"),
    Binding("f", "phase_step", "Phase: the next phase of one iteration (forward, loss, backward, gradients, update)",
            show=False, id="phase_step"),
    Binding("B", "back(10)", "Back 10 steps", show=False, id="back_10"),
    Binding("plus,equals_sign", "speed(1)", "Run faster", show=False, key_display="+", id="speed_up"),
    Binding("minus", "speed(-1)", "Run slower", show=False, key_display="-", id="speed_down"),
    Binding("right_square_bracket", "learning_rate(1)", "Learning rate up", show=False, key_display="]", id="learning_rate_up"),
    Binding("left_square_bracket", "learning_rate(-1)", "Learning rate down", show=False, key_display="[",
            id="learning_rate_down"),
    Binding("n", "sample(1)", "Next sample", show=False, id="sample_next"),
    Binding("p", "sample(-1)", "Previous sample", show=False, id="sample_previous"),
    Binding("w", "weight(1)", "Next weight", show=False, id="weight_next"),
    Binding("W", "weight(-1)", "Previous weight", show=False, id="weight_previous"),
    Binding("g", "mode", "Gradients / weights / updates", show=False, id="mode"),
    Binding("l", "log_scale", "Loss plot: log / linear", show=False, id="log_scale"),
    Binding("m", "momentum(1)", "Momentum up", show=False, id="momentum_up"),
    Binding("M", "momentum(-1)", "Momentum down", show=False, id="momentum_down"),
    Binding("a", "optimizer", f"Optimiser: {' → '.join(OPTIMIZERS)}", show=False, id="optimizer"),
    Binding("k", "batch_size", "Batch size: full, 1, 2, 4, …", show=False, id="batch_size"),
    Binding("c", "loss", "Loss: the next one that fits the output", show=False, id="loss"),
    Binding("v", "explain", "Explain: inspector / chain rule / nudge / sweep / landscape / chain of functions", show=False,
            id="explain"),
    Binding("L", "landscape", "Landscape: two weights / random / random 1-D / pca / pca 1-D", show=False, id="landscape"),
    Binding("x", "pin", "Pin the weight as the landscape's second axis", show=False, id="pin"),
    Binding("e", "edit_weight", "Edit the selected weight", show=False, id="edit_weight"),
    Binding("u", "unit_maps", "Per-unit maps beside the decision map: on / off", show=False, id="unit_maps"),
    Binding("C", "costs", "Cost calculator", show=False, id="costs"),
    Binding("right_curly_bracket", "lesson(1)", "Lesson: next page", show=False, key_display="}", id="lesson_next"),
    Binding("left_curly_bracket", "lesson(-1)", "Lesson: previous page", show=False, key_display="{", id="lesson_previous"),
    Binding("s", "save", "Save the run (JSON and CSV)", show=False, id="save"),
    Binding("O", "load", "Load a saved run", show=False, id="load"),
    Binding("N", "edit_network", "Network editor: layers, units, activations (a new run)", show=False, id="edit_network"),
    Binding("D", "edit_data", "Data editor: generator, noise, test split, features (a new run)", show=False, id="edit_data"),
    Binding("G", "pin_ghost", "Race: pin the live run as a ghost (up to three)", show=False, id="pin_ghost"),
    Binding("ctrl+g", "clear_ghosts", "Race: clear the ghosts", show=False, id="clear_ghosts"),
    Binding("U", "run_until", "Run until the loss falls below a number", show=False, id="run_until"),
    Binding("ctrl+w", "write_scenario", "Write the scenario as edited to a .toml file", show=False, id="write_scenario"),
    Binding("ctrl+s", "save_picture", "Save a picture of the screen (SVG) in the current folder", show=False,
            id="save_picture"),
    Binding("1", "pane(0)", "Show the network", show=False, id="pane_1"),
    Binding("2", "pane(1)", "Show the scenario view", show=False, id="pane_2"),
    Binding("3", "pane(2)", "Show the activations", show=False, id="pane_3"),
    Binding("4", "pane(3)", "Show the gradients", show=False, id="pane_4"),
    Binding("5", "pane(4)", "Show the loss plot", show=False, id="pane_5"),
    Binding("6", "pane(5)", "Show the explain pane", show=False, id="pane_6"),
    Binding("7", "pane(6)", "Show the lesson", show=False, id="pane_7"),
    Binding("t", "type_sentence", "Type a sentence (sentences view)", show=False, id="type_sentence"),
    Binding("escape", "leave_input", "Leave the text box", show=False, id="leave_input"),
    Binding("o", "app.open", "Open", id="open"),
    Binding("question_mark,f1", "app.help", "Help", key_display="?", id="help"),
    Binding("q", "app.quit", "Quit", id="quit"),
]


def keys_text(binding: Binding) -> str:
    """A binding's keys as the help and the palette show them: ``+``, ``j, ctrl+j``."""
    return binding.key_display or ", ".join(key_label(key) for key in binding.key.split(","))


class Pane(Container):
    """A bordered pane that the number keys can maximise."""

    ALLOW_MAXIMIZE = True

    def on_resize(self) -> None:
        """The confusion matrices (the view's pane) in the rows the pane has now, or a line saying how to see them."""
        for block in self.query(ConfusionView):
            screen = self.screen
            block.fit(self.content_size.height, maximised=screen.maximized is self or screen.has_class("compact"))


class ScrollPane(ScrollableContainer):
    ALLOW_MAXIMIZE = True


def compose_panes(playground: Playground) -> Iterator[Widget]:
    """The tabs (for a small terminal) and the panes, in a container of id "panes"; for a Screen's
    ``compose`` (the containers are entered as context managers, as ``compose`` does)."""
    scenario = playground.scenario
    data = scenario.data
    view_title = VIEW_TITLES[scenario.view]
    titles = [t or view_title for t in PANE_TITLES]
    panes = playground.panes
    yield Tabs(*(Tab(f"{i + 1} {titles[i]}", id=f"tab-{pane}") for i, pane in enumerate(panes)), id="tabs")
    with Container(id="panes", classes="with-lesson" if playground.has_lesson else ""):
        with Pane(id="pane-diagram", classes="pane -shown") as diagram:
            diagram.border_title = "1 Network"
            yield NetworkDiagram(data.input_names, data.output_names, playground.session.network, id="diagram")
        with Pane(id="pane-view", classes="pane") as view:
            view.border_title = f"2 {view_title}"
            if scenario.view == "curve":
                yield CurveView(id="view")
            elif scenario.view == "decision-map":
                with Horizontal(id="view-maps"):
                    yield DecisionMap(id="view")
                    yield UnitMaps(id="unit-maps")
            elif scenario.view == "sentences":
                yield SentencesView(data.sentences, id="view")
            else:
                side = picture_side(data.input_names)
                if side is not None:  # the inputs are pixels: a hidden unit's weights as pictures
                    yield PixelPictures(side, id="pictures")
                yield TableView(id="view")
            if playground.shows_confusion:
                yield ConfusionView(len(playground.class_names), id="confusion")
        with Pane(id="pane-activations", classes="pane") as activations:  # the tables scroll themselves
            activations.border_title = "3 Activations"
            yield ActivationsPane(id="activations")
        with Pane(id="pane-gradients", classes="pane") as gradients:
            gradients.border_title = "4 Gradients"
            yield GradientsPane(id="gradients")
        with Pane(id="pane-loss", classes="pane") as loss:
            loss.border_title = "5 Loss"
            yield LossPlot(id="loss")
            yield RaceTable(id="race")
        with ScrollPane(id="pane-explain", classes="pane") as pane:
            pane.border_title = "6 Explain: the selected weight (v: more)"
            with ContentSwitcher(initial="explain-inspector", id="explain"):
                yield Inspector(id="explain-inspector")
                yield ChainRuleView(id="explain-chain-rule")
                yield NudgeView(id="explain-nudge")
                yield SweepPlot(id="explain-sweep")
                yield LandscapeMap(id="explain-landscape")
                yield FunctionChain(id="explain-functions")
        if playground.has_lesson:
            with ScrollPane(id="pane-lesson", classes="pane") as pane:
                pane.border_title = "7 Lesson"
                yield LessonPane(id="lesson")


def follow_choices(screen: DOMNode, playground: Playground) -> None:
    """The explain pane's view and title, and the view pane's maps, as the learner chose them."""
    mode = playground.explain_mode
    screen.query_one("#explain", ContentSwitcher).current = f"explain-{playground.explain_widget}"
    title = playground.landscape_title if mode == "landscape" else EXPLAIN_TITLES[mode]
    screen.query_one("#pane-explain").border_title = f"6 Explain: {title} (v: more)"
    if playground.scenario.view == "decision-map":
        on = playground.show_unit_maps
        screen.query_one("#unit-maps").display = on  # beside the decision map, which stays
        screen.query_one("#panes").set_class(on, "with-maps")  # and the view pane takes the diagram's second column
        screen.query_one("#pane-view").border_title = ("2 Decision map + hidden units (u)" if on
                                                       else "2 Decision map")

