"""The loss explorer of chapter 4: its numbers against helpers and closed forms, and the widget."""

import numpy as np
import pytest

import helpers as h
from helpers.widgets import fmt
from helpers.widgets.loss_explorer import LOSS_NAMES, LossExplorer, loss_curve, loss_explorer_state

pytestmark = pytest.mark.widgets


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def test_squared_error_state_is_residual_squared_with_gradient_twice_the_residual():
    out = loss_explorer_state("squared_error", 2.5, 1.0)
    assert out["loss"] == pytest.approx(2.25)
    assert out["grad"] == pytest.approx(3.0)


def test_absolute_and_huber_states_match_helpers():
    x, t = np.array([[-0.7]]), np.array([[0.4]])
    out = loss_explorer_state("absolute_difference", -0.7, 0.4)
    assert out["loss"] == pytest.approx(float(h.absolute_difference(x, t)))
    assert out["grad"] == pytest.approx(float(h.absolute_difference_grad(x, t)[0, 0]))
    out = loss_explorer_state("huber", -0.7, 0.4, delta=0.5)
    assert out["loss"] == pytest.approx(float(h.huber(x, t, delta=0.5)))
    assert out["grad"] == pytest.approx(-0.5)


def test_cross_entropy_state_is_binary_cross_entropy_of_the_logit():
    x, t = 1.3, 0.8
    a = sigmoid(x)
    out = loss_explorer_state("cross_entropy", x, t)
    assert out["loss"] == pytest.approx(-(t * np.log(a) + (1 - t) * np.log(1 - a)), rel=1e-12)
    assert out["grad"] == pytest.approx(a - t, rel=1e-12)


def test_hinge_state_takes_the_true_class_from_the_target():
    # t = 1: class 0 is true, L = max(0, 1 - x); t = 0: class 1 is true, L = max(0, 1 + x)
    assert loss_explorer_state("hinge", 0.25, 1.0)["loss"] == pytest.approx(0.75)
    assert loss_explorer_state("hinge", 0.25, 1.0)["grad"] == pytest.approx(-1.0)
    assert loss_explorer_state("hinge", 0.25, 0.0)["loss"] == pytest.approx(1.25)
    assert loss_explorer_state("hinge", 0.25, 0.0)["grad"] == pytest.approx(1.0)
    assert loss_explorer_state("hinge", 1.5, 1.0)["loss"] == 0.0


def test_cosine_distance_state_is_zero_with_zero_gradient_at_the_target():
    out = loss_explorer_state("cosine_distance", 0.6, 0.6)
    assert abs(out["loss"]) < 1e-15
    assert abs(out["grad"]) < 1e-15


@pytest.mark.parametrize("loss", LOSS_NAMES)
def test_loss_curve_gradient_matches_central_differences_away_from_kinks(loss):
    # kinks: absolute at x = t, hinge at x = 1 (t = 1); Huber's second derivative jumps at |x - t| = delta
    x = np.array([-3.1, -0.45, 0.35, 2.2])
    t = 0.75
    _, grad = loss_curve(loss, x, t)
    eps = 1e-6
    plus, _ = loss_curve(loss, x + eps, t)
    minus, _ = loss_curve(loss, x - eps, t)
    assert h.relative_error(grad, (plus - minus) / (2 * eps)) < 1e-7


def test_loss_curve_refuses_unknown_loss_and_bad_cross_entropy_target():
    with pytest.raises(ValueError, match="loss"):
        loss_curve("log_cosh", [0.0], 0.5)
    with pytest.raises(ValueError, match="target"):
        loss_curve("cross_entropy", [0.0], 1.5)


def test_numerical_gradient_at_the_absolute_difference_kink_is_the_average_slope():
    out = loss_explorer_state("absolute_difference", 0.5, 0.5)
    assert out["grad"] == 0.0 and out["numerical"] == pytest.approx(0.0, abs=1e-9)
    out = loss_explorer_state("hinge", 1.0, 1.0)  # hinge kink: slopes -1 and 0
    assert out["numerical"] == pytest.approx(-0.5, abs=1e-6)


def test_loss_explorer_readout_follows_the_prediction_slider():
    ex = LossExplorer()
    ex.control["pred"].value = -1.5
    vals = ex.values()
    assert vals["loss"] == fmt(h.squared_error(np.array([[-1.5]]), np.array([[1.0]])))
    assert vals["grad"] == fmt(2 * (-1.5 - 1.0))
    assert ex.point_f.get_xdata()[0] == -1.5


def test_loss_explorer_switching_loss_and_target_redraws_curves():
    ex = LossExplorer()
    ex.control["loss"].value = "cross_entropy"
    ex.control["target"].value = 0.2
    x = ex.grid
    np.testing.assert_allclose(ex.curve_df.get_ydata(), sigmoid(x) - 0.2, atol=1e-12)
    vals = ex.values()
    assert vals["grad"] == fmt(sigmoid(2.5) - 0.2)
    assert vals["setup"].startswith("logits")


def test_loss_explorer_delta_slider_changes_huber():
    ex = LossExplorer(loss="huber", pred=3.0, target=1.0)
    ex.control["delta"].value = 0.5
    assert ex.values()["grad"] == fmt(0.5)
    assert ex.values()["loss"] == fmt(0.5 * (2.0 - 0.25))
