"""What each explorer should show, computed in the test process from ``helpers``.

For an explorer on the page we keep a *reference* instance of the same class, built in this
process exactly as the chapter builds it (the chapter's code cells are replayed in an IPython
shell, so constructor arguments such as data sets are the same). Its controls are set to the
values the page shows, and two expectations follow:

1. the readout of the reference instance (every row, all numbers within 1e-6 relative);
2. the plain compute function of the explorer's module, named in :data:`REGISTRY`, called on the
   reference instance's ``state()``: every readout row that this function returns directly must
   agree with the page. This is the check against ``helpers`` independent of the display code.

A new explorer needs no entry to get check 1; add an entry to get check 2 (an explorer without
one is reported, so it is not forgotten). The explorers each chapter shows are listed in the
book's manifest, ``book.toml``; the tests compare that list with the page and with the code.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import math
import os
import re
from pathlib import Path

import numpy as np

from helpers._book import code_cells, explorer_classes, widgets_built

REL_TOL = 1e-6

# data-widget name (the class name in snake case) -> (module, function, how to call it with
# (function, explorer, state)).
REGISTRY = {
    "boundary_explorer": ("helpers.widgets.perceptron", "boundary_state",
                          lambda f, ex, st: f(ex.X, ex.y, st["angle_deg"], st["length"], st["b"])),
    "perceptron_stepper": ("helpers.widgets.perceptron", "stepper_state",
                           lambda f, ex, st: f(ex.X, ex.y, st["k"], ex.run)),
    "descent_explorer": ("helpers.widgets.descent", "descent_state",
                         lambda f, ex, st: f(st["lr"], st["start"], st["steps"], *ex.bowl(st["kappa"]),
                                             method=st["method"], beta=st["beta"])),
    "activation_explorer": ("helpers.widgets.activation_explorer", "activation_explorer_state",
                            lambda f, ex, st: f(st["activation"], st["z"], st["slope"], ex.depth)),
    "loss_explorer": ("helpers.widgets.loss_explorer", "loss_explorer_state",
                      lambda f, ex, st: f(st["loss"], st["pred"], st["target"], st["delta"])),
    "shape_explorer": ("helpers.widgets.shape_explorer", "shape_explorer_state",
                       lambda f, ex, st: f(**st, seed=ex.seed)),
    "network_trainer": ("helpers.widgets.network_trainer", "network_trainer_state",
                        lambda f, ex, st: f(**st, n=ex.n, seed=ex.seed)),
    "logit_explorer": ("helpers.widgets.logit_explorer", "logit_explorer_state",
                       lambda f, ex, st: f(st["logits"], st["target"], st["smoothing"], st["temperature"])),
    "gradient_explorer": ("helpers.widgets.gradient_explorer", "gradient_explorer_state",
                          lambda f, ex, st: f(st["x"], st["label"], ex.params, st["weight"], st["eps"])),
    "digits_trainer": ("helpers.widgets.digits_trainer", "digits_trainer_state",
                       lambda f, ex, st: f(st["hidden"], st["lr"], st["epochs"], st["smoothing"],
                                           batch_size=st["batch_size"], seed=st["seed"], drop=st["drop"],
                                           train_size=st["train_size"], weight_decay=st["weight_decay"])),
}


# ------------------------------------------------------------------------------------------------
# discovery

def widgets_in_chapter(notebook: Path) -> list[str]:
    """Names (``Explorer.name``) of the explorers a chapter's code constructs, in order of first use."""
    classes = explorer_classes()
    return [classes[name].name for name in widgets_built(notebook)]


def replay_chapter(notebook: Path) -> list:
    """Run a chapter's code cells in an IPython shell in this process; return the Explorer
    instances the cells display (the value of a cell's last expression), in order."""
    from IPython.core.interactiveshell import InteractiveShell
    from helpers.widgets import Explorer

    import matplotlib

    matplotlib.use("Agg")
    shell = InteractiveShell.instance()
    shell.reset(new_session=False)
    shell.enable_gui = lambda gui=None: None  # %matplotlib inline, without a kernel
    shown = []
    cwd = os.getcwd()
    os.chdir(Path(notebook).parent)
    try:
        for src in code_cells(notebook):
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                res = shell.run_cell(src, store_history=False, silent=False)
            if res.error_in_exec is not None or res.error_before_exec is not None:
                err = res.error_in_exec or res.error_before_exec
                raise RuntimeError(f"replaying {Path(notebook).name} failed in cell:\n{src[:400]}\n-> {err!r}")
            if isinstance(res.result, Explorer):
                shown.append(res.result)
    finally:
        os.chdir(cwd)
        import matplotlib.pyplot as plt

        plt.close("all")
    return shown


# ------------------------------------------------------------------------------------------------
# controls

def leaf_controls(explorer) -> list:
    """The explorer's controls in display order, boxes opened up (as the page's JS does)."""
    import ipywidgets as w

    out = []

    def walk(items):
        for c in items:
            if isinstance(c, w.Box):
                walk(c.children)
            else:
                out.append(c)

    walk(explorer.controls)
    return out


def _num(text: str) -> float:
    return float(text.replace("\u2212", "-").replace("\u2009", "").replace(",", "").strip())


def _display_tolerance(text: str) -> float:
    """Half a unit in the last digit the page shows (at least a tiny absolute amount)."""
    t = text.replace("\u2212", "-").strip()
    m = re.fullmatch(r"[-+]?(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?", t)
    if not m:
        return 0.0
    decimals = len(m.group(2) or "")
    exp = int(m.group(3) or 0)
    return 0.5 * 10.0 ** (exp - decimals) * (1 + 1e-9) + 1e-12


def control_kind(control) -> str:
    import ipywidgets as w

    if isinstance(control, w.SelectionSlider):
        return "selection_slider"
    if isinstance(control, w.FloatLogSlider):
        return "log_slider"
    if isinstance(control, (w.IntSlider, w.FloatSlider)):
        return "slider"
    if isinstance(control, (w.Dropdown, w.Select, w.ToggleButtons, w.RadioButtons)):
        return "choice"
    if isinstance(control, w.Checkbox):
        return "checkbox"
    return "other"


def is_movable_slider(control) -> bool:
    return control_kind(control) in ("slider", "log_slider", "selection_slider") and not control.disabled


def _label_of(control, value):
    for label, v in zip(control._options_labels, control._options_values):
        if v == value or (isinstance(v, float) and isinstance(value, float) and v == value):
            return label
    return None


def _label(text) -> str:
    """An option's label as text; the page's menus show its spaces as no-break spaces."""
    return str(text).replace("\xa0", " ").strip()


def page_matches(control, shown) -> bool:
    """Whether the control's value is what the page shows (within the page's rounding)."""
    kind = control_kind(control)
    if shown is None:
        return True
    if kind in ("slider", "log_slider"):
        try:
            return abs(float(control.value) - _num(shown)) <= max(
                _display_tolerance(shown), 1e-9 * abs(float(control.value)))
        except ValueError:
            return False
    if kind in ("selection_slider", "choice"):
        return _label(control.label) == _label(shown)
    if kind == "checkbox":
        return bool(control.value) == bool(shown)
    return True


def _on_grid(control, value: float, direction: int = 0) -> float:
    """The slider value ``direction`` steps from ``value``, snapped to the slider's grid
    (min + k * step; in exponent space for a log slider), as the page's slider does."""
    log = control_kind(control) == "log_slider"
    x = math.log(value, control.base) if log else float(value)
    k = round((x - control.min) / control.step + direction)
    k = min(max(k, 0), math.floor((control.max - control.min) / control.step + 1e-9))
    x = round(control.min + k * control.step, 12)
    return control.base ** x if log else x


def set_from_page(control, shown):
    """Set a control to what the page shows (used only when it does not already match)."""
    kind = control_kind(control)
    if kind in ("slider", "log_slider"):
        value = _num(shown)
        if control.step and value > 0 if kind == "log_slider" else control.step:
            snapped = _on_grid(control, value)
            if abs(snapped - value) <= _display_tolerance(shown):
                value = snapped  # the page rounds what it shows; its sliders sit on the grid
        if isinstance(control.value, int) and not isinstance(control.value, bool):
            value = int(round(value))
        control.value = value
    elif kind in ("selection_slider", "choice"):
        labels = [_label(x) for x in control._options_labels]
        control.index = labels.index(_label(shown))
    elif kind == "checkbox":
        control.value = bool(shown)


def sync(explorer, page_controls) -> list[str]:
    """Make the reference explorer's controls agree with the page; return notes on what had to change."""
    leaves = leaf_controls(explorer)
    if len(leaves) != len(page_controls):
        raise AssertionError(
            f"the page shows {len(page_controls)} controls ({[c['label'] for c in page_controls]}) but "
            f"the reference explorer has {len(leaves)} ({[getattr(c, 'description', '') for c in leaves]})")
    notes = []
    # two passes: a control can reset another one (a choice of weight sets the weight slider)
    for _ in range(2):
        for control, shown in zip(leaves, page_controls):
            if not page_matches(control, shown["value"]):
                notes.append(f"{getattr(control, 'description', '?')}: reference {control.value!r}, page {shown['value']!r}")
                set_from_page(control, shown["value"])
    return notes


def next_value(control, direction: int):
    """The value a slider takes after one arrow-key press (+1 right, -1 left)."""
    kind = control_kind(control)
    if kind == "selection_slider":
        return control.options[control.index + direction] if isinstance(control.options[0], str) else \
            control._options_values[control.index + direction]
    value = _on_grid(control, control.value, direction) if control.step else control.value
    if isinstance(control.value, int) and not isinstance(control.value, bool):
        return int(round(value))
    return value


def arrow_direction(control) -> int:
    """Right, unless the slider is at its right end."""
    kind = control_kind(control)
    if kind == "selection_slider":
        return 1 if control.index < len(control.options) - 1 else -1
    if kind == "log_slider":
        return 1 if math.log(control.value, control.base) + control.step <= control.max + 1e-12 else -1
    return 1 if control.value + control.step <= control.max + 1e-12 else -1


# ------------------------------------------------------------------------------------------------
# expectations and comparison

def direct_expectation(explorer) -> dict | None:
    """The registry's compute function on the explorer's state, or None without an entry."""
    entry = REGISTRY.get(explorer.name)
    if entry is None:
        return _guess_expectation(explorer)
    module, function, call = entry
    f = getattr(importlib.import_module(module), function)
    return call(f, explorer, explorer.state())


def _guess_expectation(explorer) -> dict | None:
    """For an explorer without a registry entry: a ``*_state`` function of its module whose
    arguments all come from the explorer's state or attributes."""
    import inspect

    module = importlib.import_module(type(explorer).__module__)
    state = explorer.state()
    for fname, f in vars(module).items():
        if not (fname.endswith("_state") and inspect.isfunction(f) and f.__module__ == module.__name__):
            continue
        kwargs = {}
        for p in inspect.signature(f).parameters.values():
            if p.name in state:
                kwargs[p.name] = state[p.name]
            elif p.name != "name" and hasattr(explorer, p.name):
                kwargs[p.name] = getattr(explorer, p.name)
            elif p.default is inspect.Parameter.empty:
                break
        else:
            try:
                out = f(**kwargs)
            except Exception:
                continue
            if isinstance(out, dict):
                return out
    return None


def _tokens(text: str) -> list[list[str]]:
    return [row.split() for row in str(text).split(";")]


def _close(a: float, b: float, scale: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= REL_TOL * max(abs(a), abs(b)) + 1e-12 * max(1.0, scale)


def text_matches(shown: str, expected: str) -> bool:
    """Two readout cells agree: same words, numbers within REL_TOL relative."""
    a, b = _tokens(shown), _tokens(expected)
    if [len(r) for r in a] != [len(r) for r in b]:
        return False
    pairs = [(x, y) for ra, rb in zip(a, b) for x, y in zip(ra, rb)]
    nums = []
    for x, y in pairs:
        try:
            nums.append((_num(x), _num(y)))
        except ValueError:
            if x != y:
                return False
    scale = max([abs(v) for p in nums for v in p if math.isfinite(v)] or [1.0])
    return all(_close(x, y, scale) for x, y in nums)


def value_matches(shown: str, value) -> bool | None:
    """A readout cell against a raw value from a compute function; None when not comparable
    (text against numbers, or a different number of entries)."""
    if isinstance(value, str):
        return None
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    tokens = [t for row in _tokens(shown) for t in row]
    try:
        shown_vals = [_num(t) for t in tokens]
    except ValueError:
        return None
    if len(shown_vals) != arr.size:
        return None
    flat = arr.ravel().tolist()
    scale = max([abs(v) for v in flat if math.isfinite(v)] or [1.0])
    # a readout may round (a training result shown to 3 significant digits): it agrees when the
    # value lies within half a unit of the last digit it shows
    return all(_close(s, v, scale) or abs(s - v) <= _display_tolerance(t)
               for t, s, v in zip(tokens, shown_vals, flat))


def compare(shown: dict, reference: dict, direct: dict | None) -> tuple[list[str], int]:
    """Differences between the page's readout and the two expectations; and how many rows the
    registry function checked."""
    problems = []
    if set(shown) != set(reference):
        problems.append(f"readout rows {sorted(shown)} but expected {sorted(reference)}")
    for key in reference:
        if key in shown and not text_matches(shown[key], reference[key]):
            problems.append(f"{key}: shows {shown[key]!r}, expected {reference[key]!r}")
    n_direct = 0
    if direct is not None:
        for key, value in direct.items():
            if key not in shown:
                continue
            ok = value_matches(shown[key], value)
            if ok is None:
                continue
            n_direct += 1
            if not ok:
                from helpers.widgets import fmt

                problems.append(f"{key}: shows {shown[key]!r}, but the compute function gives {fmt(value)!r}")
    return problems, n_direct


def describe(control) -> str:
    return f"{type(control).__name__} {getattr(control, 'description', '')!r}"


def check_slider(chapter, index: int, explorer, position: int, timeout: float = 20.0) -> dict:
    """Press an arrow key on one slider of explorer ``index`` on the page and check the readout.

    The page's readout must come to equal the expectations within ``timeout`` seconds (a move that
    changes nothing shown is over once the page has been quiet for a few seconds).
    Returns {"control", "old", "new", "problems", "notes", "n_direct", "seconds", "shown"}.
    """
    import time

    leaves = leaf_controls(explorer)
    control = leaves[position]
    before = chapter.explorer_state(index)
    notes = sync(explorer, before["controls"])
    direction = arrow_direction(control)
    old = control.value
    new = next_value(control, direction)
    t0 = time.monotonic()
    chapter.press(index, position, "ArrowRight" if direction > 0 else "ArrowLeft")
    after = chapter.wait_redraw(index, before, timeout=3.0)
    seconds = time.monotonic() - t0
    control.value = new  # the reference redraws with the new value
    explorer.wait()
    shown_new = after["controls"][position]["value"]
    problems = []
    if not page_matches(control, shown_new):
        problems.append(f"after the key press the slider shows {shown_new!r}; expected {new!r} (from {old!r})")
    notes += sync(explorer, after["controls"])
    explorer.wait()
    reference = explorer.values()
    direct = direct_expectation(explorer)
    deadline = t0 + timeout
    while True:
        found, n_direct = compare(after["readout"], reference, direct)
        if not found or time.monotonic() > deadline:
            break
        time.sleep(0.25)  # still drawing (a widget that retrains takes a while)
        after = chapter.explorer_state(index)
    problems += found
    return {"control": describe(control), "old": old, "new": control.value, "problems": problems,
            "notes": notes, "n_direct": n_direct, "seconds": seconds, "shown": after["readout"]}
