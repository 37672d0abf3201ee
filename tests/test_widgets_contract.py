"""One contract for every explorer in ``helpers.widgets`` (see ``helpers/widgets/_base.py``).

Each explorer is built as its chapter builds it. Then:

- its initial state is a value its controls can show: inside each slider's range and on its
  steps, among each menu's options, and read back unchanged by ``state()``;
- every control, moved one step, redraws the figure, and the fast redraw (blitting) gives the same
  pixels as a full render of the figure;
- its display bundle (the stored output) is the same for two explorers built alike, and its
  picture carries the note that running the notebook makes it live.
"""

import io

import numpy as np
import pytest

from helpers._book import explorer_classes
from helpers.data import moons, xor
from helpers.widgets._base import unrepresentable

pytestmark = pytest.mark.widgets

CLASSES = explorer_classes()

# each explorer as its chapter builds it (a second entry where a chapter builds it otherwise)
BUILD = {
    "BoundaryExplorer": [lambda c: c(*moons(40, seed=0), angle_deg=60.0, length=1.0, b=0.5)],
    "PerceptronStepper": [lambda c: c(*moons(40, seed=0), start=2), lambda c: c(*xor(40, seed=0), epochs=3, start=10)],
    "DescentExplorer": [lambda c: c(curvatures=(1.0, 10.0), angle_deg=30.0, lr=0.1, start=(-4.0, 3.0), steps=20)],
    "ActivationExplorer": [lambda c: c(activation="sigmoid", z=1.0)],
    "LossExplorer": [lambda c: c(loss="squared_error", pred=2.5, target=1.0)],
    "ShapeExplorer": [lambda c: c(n0=3, n1=4, n2=2, N=3, jacobian="dZ1/dW1")],
    "NetworkTrainer": [lambda c: c(hidden=4, lr=5.0, epochs=300, data="moons")],
    "LogitExplorer": [lambda c: c(n_classes=4)],
    "GradientExplorer": [lambda c: c()],
    "DigitsTrainer": [lambda c: c(hidden=64, lr=2.0, epochs=40, smoothing=0.1)],
}

CASES = [pytest.param(name, k, id=f"{name}-{k}") for name in sorted(CLASSES) for k in range(len(BUILD.get(name, [0])))]


def _build(name, k=0):
    if name not in BUILD:
        pytest.fail(f"{name} has no entry in BUILD: add how its chapter builds it")
    return BUILD[name][k](CLASSES[name])


def _pixels(png):
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def _assert_fast_equals_full(ex, what):
    with ex._lock:  # a trainer's background thread draws under the same lock
        fast, full = _pixels(ex.image.value), _pixels(ex.full_render())
    assert fast.shape == full.shape
    differ = int((fast != full).any(axis=-1).sum())
    assert differ == 0, f"{ex.name}, {what}: the fast redraw differs from a full render in {differ} pixels"


def _leaves(ex):
    return [(key, c) for key, v in ex.control.items() for c in (v if isinstance(v, (list, tuple)) else [v])]


def _one_step(control):
    """Another value the control can show, one step from its value (back at the upper end)."""
    import ipywidgets as w

    if isinstance(control, (w.Dropdown, w.SelectionSlider)):
        values = list(control._options_values)
        k = values.index(control.value)
        return values[k + 1] if k + 1 < len(values) else values[k - 1]
    if isinstance(control, w.Checkbox):
        return not control.value
    if isinstance(control, w.FloatLogSlider):
        x = np.log10(control.value)
        x = x + control.step if x + control.step <= control.max + 1e-9 else x - control.step
        return float(10 ** round(x, 10))
    v = control.value + control.step
    return v if v <= control.max + 1e-9 else control.value - control.step


def test_every_explorer_has_a_way_to_be_built():
    assert set(CLASSES) == set(BUILD), f"explorers {sorted(CLASSES)}, built here {sorted(BUILD)}"


@pytest.mark.parametrize("name, k", CASES)
def test_initial_state_is_shown_by_the_controls(name, k):
    ex = _build(name, k)
    state = ex.state()
    for key, value in ex.initial.items():
        control = ex.control[key]
        for c, v in zip(*((control, value) if isinstance(control, (list, tuple)) else ([control], [value]))):
            assert unrepresentable(c, v) is None, f"{name}: {key} = {v!r}: {unrepresentable(c, v)}"
            assert c.min <= v <= c.max if hasattr(c, "min") and not hasattr(c, "base") else True
        assert np.array_equal(np.asarray(state[key], dtype=object), np.asarray(value, dtype=object)), (
            f"{name}: {key} starts at {value!r} but its control shows {state[key]!r}")


@pytest.mark.parametrize("name, k", CASES)
def test_each_control_moves_and_the_fast_redraw_equals_a_full_render(name, k):
    ex = _build(name, k)
    _assert_fast_equals_full(ex, "initial state")
    for key, control in _leaves(ex):
        control.value = _one_step(control)
        _assert_fast_equals_full(ex, f"at once after moving {key} to {control.value!r}")
        assert ex.wait(timeout=60)
        _assert_fast_equals_full(ex, f"after moving {key} to {control.value!r}")


@pytest.mark.parametrize("name, k", CASES)
def test_display_bundle_is_deterministic_and_notes_how_to_make_it_live(name, k):
    a, b = _build(name, k)._repr_mimebundle_(), _build(name, k)._repr_mimebundle_()
    assert a["image/png"] == b["image/png"]
    assert a["text/plain"] == b["text/plain"] and "interactive" in a["text/plain"]
    picture = _pixels(__import__("base64").b64decode(a["image/png"]))
    live = _pixels(_build(name, k).image.value)
    assert picture.shape[0] > live.shape[0], "the stored picture has no strip for the note"
    assert np.array_equal(picture[: live.shape[0]], live), "the stored picture is not the initial state"


def _readout_strip(ex):
    """The stored picture's readout strip: the static picture with the readout rows minus the one
    without them (the figure on top and the note at the bottom are the same in both)."""
    with ex._lock:
        rows = ex.rows
        with_rows = _pixels(ex._static_png())
        ex.rows = []
        try:
            without = _pixels(ex._static_png())
        finally:
            ex.rows = rows
    top = _pixels(ex.full_render()).shape[0]
    added = with_rows.shape[0] - without.shape[0]
    assert np.array_equal(with_rows[:top], without[:top]) and np.array_equal(with_rows[top + added:], without[top:])
    return rows, with_rows[top:top + added]


@pytest.mark.parametrize("name, k", CASES)
def test_stored_picture_draws_the_readout_under_the_figure(name, k):
    from helpers.widgets._base import READOUT_LINE

    ex = _build(name, k)
    ex.wait()
    rows, strip = _readout_strip(ex)
    assert rows and strip.shape[0] >= -(-len(rows) // 2) * READOUT_LINE, "the picture has no room for the readout"
    # every line of the strip carries text: dark pixels in each band of READOUT_LINE pixels
    bands = (strip.shape[0] - READOUT_LINE // 2) // READOUT_LINE
    ink = strip[..., :3].min(axis=-1) < 128
    assert all(ink[READOUT_LINE // 4 + i * READOUT_LINE:READOUT_LINE // 4 + (i + 1) * READOUT_LINE].any() for i in range(bands))


def test_a_checkbox_shows_true_or_false_and_reads_back_a_bool():
    from helpers.widgets._base import checkbox, control_value

    box = checkbox(True, "drop the rate")
    assert control_value(box) is True and unrepresentable(box, False) is None and unrepresentable(box, True) is None
    for value in (1, 0, "yes", None):
        assert "True or False" in unrepresentable(box, value)
    assert checkbox(1, "x").value is False  # a value it cannot show is refused by the explorer, not kept


def test_readout_lines_are_the_rows_as_plain_text():
    from helpers.widgets._base import fmt, readout_lines

    rows = [("a", "loss<br><small>(mean &amp; last)</small>", 0.25), ("J", "J = p<sup>\u22a4</sup>p", np.eye(2)),
            ("s", "text", "3 of 4")]
    assert readout_lines(rows) == ["loss (mean & last): 0.25", "J = p\u22a4p:", f"    {fmt([1.0, 0.0])}",
                                   f"    {fmt([0.0, 1.0])}", "text: 3 of 4"]


def test_stored_picture_keeps_only_digits_every_machine_reproduces():
    from helpers.widgets._base import portable_digits

    assert portable_digits("loss after training: 0.03543035") == "loss after training: 0.0354"
    assert portable_digits("final θ: [ 1.2345678 -0.00012345]") == "final θ: [ 1.23 -0.000123]"
    # rounding-level values: their digits differ from one BLAS to the next
    assert portable_digits("|∇ℒ(θ)|: 3.1e-17, 2.5e-09 and -4e-12") == "|∇ℒ(θ)|: < 1e-6, < 1e-6 and > -1e-6"
    assert portable_digits("epochs trained: 300 of 300, layer 2") == "epochs trained: 300 of 300, layer 2"
    assert portable_digits("x2 = 7.0") == "x2 = 7"   # a name's digit is not a number


def test_readout_lines_write_a_power_with_a_caret_and_a_transpose_as_is():
    from helpers.widgets._base import readout_lines

    rows = [("p", "f\u2032(z)<sup>10</sup> (10 layers)", "0.1"), ("t", "W<sup>\u22a4</sup>x", "2")]
    assert readout_lines(rows) == ["f\u2032(z)^10 (10 layers): 0.1", "W\u22a4x: 2"]
