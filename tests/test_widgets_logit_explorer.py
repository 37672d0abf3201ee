"""The logit explorer of chapter 7: its computation against `helpers`, and its controls."""

import numpy as np
import pytest

from helpers import cross_entropy, numerical_gradient, one_hot, relative_error, softmax, softmax_jacobian
from helpers.widgets.logit_explorer import LogitExplorer, logit_explorer_state

pytestmark = pytest.mark.widgets

CASES = [
    (np.array([2.0, -1.0, 0.5]), 0, 0.0, 1.0),
    (np.array([0.3, 4.0, -2.0, 1.0]), 2, 0.1, 0.5),
    (np.array([-3.0, 1.0, 1.0, 0.0, 2.5, -0.5]), 5, 0.3, 2.5),
]


def _loss(z, target, smoothing, temperature):
    y = one_hot(np.array([target]), z.size, smoothing)[0]
    return float(cross_entropy(z / temperature, y))


@pytest.mark.parametrize("z, target, smoothing, temperature", CASES)
def test_logit_explorer_loss_equals_cross_entropy(z, target, smoothing, temperature):
    out = logit_explorer_state(z, target, smoothing, temperature)
    assert out["loss"] == pytest.approx(_loss(z, target, smoothing, temperature), rel=1e-12)
    # and from its definition, -sum y log p
    assert out["loss"] == pytest.approx(-np.sum(out["y"] * np.log(out["p"])), rel=1e-10)


@pytest.mark.parametrize("z, target, smoothing, temperature", CASES)
def test_logit_explorer_probabilities_are_softmax_of_scaled_logits(z, target, smoothing, temperature):
    out = logit_explorer_state(z, target, smoothing, temperature)
    np.testing.assert_allclose(out["p"], softmax(z / temperature), rtol=1e-12)
    assert out["p"].sum() == pytest.approx(1.0)


@pytest.mark.parametrize("z, target, smoothing, temperature", CASES)
def test_logit_explorer_target_is_smoothed_one_hot(z, target, smoothing, temperature):
    y = logit_explorer_state(z, target, smoothing, temperature)["y"]
    c = z.size
    expected = np.full(c, smoothing / c)
    expected[target] += 1 - smoothing
    np.testing.assert_allclose(y, expected, rtol=1e-12)


@pytest.mark.parametrize("z, target, smoothing, temperature", CASES)
def test_logit_explorer_grad_matches_finite_differences(z, target, smoothing, temperature):
    out = logit_explorer_state(z, target, smoothing, temperature)
    z = z.copy()
    numeric = numerical_gradient(lambda v: _loss(v, target, smoothing, temperature), z)
    assert relative_error(out["grad"], numeric) < 1e-7
    np.testing.assert_allclose(out["p_minus_y"], out["grad"] * temperature, rtol=1e-12)
    assert abs(out["grad"].sum()) < 1e-12  # shifting every logit changes nothing


@pytest.mark.parametrize("z, target, smoothing, temperature", CASES)
def test_logit_explorer_jacobian_is_full_softmax_jacobian(z, target, smoothing, temperature):
    J = logit_explorer_state(z, target, smoothing, temperature)["jacobian"]
    p = softmax(z / temperature)
    np.testing.assert_allclose(J, np.diag(p) - np.outer(p, p), atol=1e-15)
    np.testing.assert_allclose(J, softmax_jacobian(z / temperature), atol=1e-15)
    assert np.abs(J - np.diag(np.diag(J))).max() > 1e-3  # not the diagonal-only mistake


@pytest.mark.parametrize("logits", [np.zeros(2), np.zeros(7), np.zeros((2, 3))])
def test_logit_explorer_state_refuses_class_counts_outside_3_to_6(logits):
    with pytest.raises(ValueError):
        logit_explorer_state(logits, 0)


def test_logit_explorer_state_refuses_non_positive_temperature():
    with pytest.raises(ValueError):
        logit_explorer_state(np.zeros(3), 0, temperature=0.0)


@pytest.mark.parametrize("n_classes", [3, 6])
def test_logit_explorer_builds_one_slider_per_logit(n_classes):
    ex = LogitExplorer(n_classes=n_classes)
    assert len(ex.control["logits"]) == n_classes
    assert list(ex.control["target"].options) == list(range(n_classes))
    for control in ex.controls:
        assert control.description
        assert control.continuous_update is False if hasattr(control, "continuous_update") else True
    assert ex.values()["y"].split()[0] == "1"


def test_logit_explorer_refuses_seven_classes():
    with pytest.raises(ValueError):
        LogitExplorer(n_classes=7)


def test_logit_explorer_slider_move_updates_readout():
    ex = LogitExplorer(n_classes=4)
    ex.control["logits"][2].value = 3.0
    ex.control["target"].value = 1
    ex.control["smoothing"].value = 0.2
    ex.control["temperature"].value = 2.0
    st = ex.state()
    np.testing.assert_allclose(st["logits"], [1.5, 0.7, 3.0, -1.0])
    expected = logit_explorer_state(st["logits"], 1, 0.2, 2.0)
    values = ex.values()
    assert set(values) >= {"p", "y", "p_minus_y", "grad", "loss", "jacobian"}
    np.testing.assert_allclose([float(v) for v in values["p"].split()], softmax(st["logits"] / 2.0), rtol=1e-7)
    np.testing.assert_allclose([float(v) for v in values["grad"].split()], expected["grad"], rtol=1e-7, atol=1e-12)
    assert float(values["loss"]) == pytest.approx(_loss(st["logits"], 1, 0.2, 2.0), rel=1e-7)
    J = np.array([[float(v) for v in row.split()] for row in values["jacobian"].split(";")])
    np.testing.assert_allclose(J, expected["jacobian"], rtol=1e-7, atol=1e-12)


def test_logit_explorer_redraw_updates_artists_instead_of_replotting():
    ex = LogitExplorer(n_classes=3)
    axes_before = list(ex.fig.axes)
    bars_before = list(ex.bars_p)
    png_before = ex.image.value
    ex.control["logits"][0].value = -4.0
    assert ex.fig.axes == axes_before
    assert list(ex.bars_p) == bars_before
    assert all(len(ax.patches) == n for ax, n in zip(ex.fig.axes, [len(a.patches) for a in axes_before]))
    p = softmax(ex.state()["logits"])
    np.testing.assert_allclose([b.get_height() for b in ex.bars_p], p, rtol=1e-12)
    assert ex.image.value != png_before
    assert ex.initial_png.startswith(b"\x89PNG")  # the static picture keeps the initial state
