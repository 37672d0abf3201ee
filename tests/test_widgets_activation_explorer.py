"""The activation explorer of chapter 4: its numbers against helpers, and the widget's readout."""

import numpy as np
import pytest

import helpers as h
from helpers.widgets import fmt
from helpers.widgets.activation_explorer import (
    ACTIVATION_NAMES,
    ActivationExplorer,
    activation_explorer_state,
)

pytestmark = pytest.mark.widgets

POINTS = [-4.3, -1.0, -0.2, 0.7, 2.5]


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
@pytest.mark.parametrize("z", POINTS)
def test_activation_state_matches_helpers(name, z):
    f, df = h.ACTIVATIONS[name]
    out = activation_explorer_state(name, z)
    assert out["f"] == pytest.approx(float(f(np.float64(z))), rel=1e-15, abs=1e-15)
    assert out["fprime"] == pytest.approx(float(df(np.float64(z))), rel=1e-15, abs=1e-15)


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
@pytest.mark.parametrize("z", POINTS)
def test_activation_derivative_matches_central_difference(name, z):
    out = activation_explorer_state(name, z)
    assert h.relative_error(np.array(out["fprime"]), np.array(out["numerical"])) < 1e-7


def test_sigmoid_derivative_at_zero_is_one_quarter_and_its_tenth_power_vanishes():
    out = activation_explorer_state("sigmoid", 0.0)
    assert out["fprime"] == pytest.approx(0.25, rel=1e-15)
    assert out["chain"] == pytest.approx(0.25**10, rel=1e-12)


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_tangent_line_touches_the_curve_with_the_derivative_as_slope(name):
    z = 0.9
    out = activation_explorer_state(name, z)
    f, _ = h.ACTIVATIONS[name]
    assert out["fprime"] * z + out["intercept"] == pytest.approx(out["f"], rel=1e-14)
    # close to z the tangent and the curve agree to second order
    u = z + 1e-4
    assert abs(out["fprime"] * u + out["intercept"] - float(f(np.float64(u)))) < 1e-8


def test_leaky_relu_uses_the_given_slope_for_negative_z():
    out = activation_explorer_state("leaky_relu", -2.0, slope=0.2)
    assert out["f"] == pytest.approx(-0.4)
    assert out["fprime"] == pytest.approx(0.2)
    assert out["chain"] == pytest.approx(0.2**10)


def test_chain_is_the_depth_th_power_of_the_derivative():
    out = activation_explorer_state("tanh", 0.5, depth=4)
    assert out["chain"] == pytest.approx(float(h.tanh_grad(0.5)) ** 4, rel=1e-14)


def test_activation_state_refuses_unknown_names_and_bad_depth():
    with pytest.raises(ValueError, match="name"):
        activation_explorer_state("softplus", 0.0)
    with pytest.raises(ValueError, match="depth"):
        activation_explorer_state("relu", 0.0, depth=0)


def test_activation_explorer_readout_follows_the_z_slider():
    ex = ActivationExplorer()
    ex.control["z"].value = 2.0
    vals = ex.values()
    assert vals["f"] == fmt(h.sigmoid(2.0))
    assert vals["fprime"] == fmt(h.sigmoid_grad(2.0))
    assert vals["chain"] == fmt(float(h.sigmoid_grad(2.0)) ** 10)
    # the marked point moved with the slider
    assert ex.point_df.get_xdata()[0] == 2.0
    assert ex.point_df.get_ydata()[0] == pytest.approx(float(h.sigmoid_grad(2.0)))


def test_activation_explorer_redraws_the_curves_when_f_changes():
    ex = ActivationExplorer()
    png_before = ex.image.value
    ex.control["activation"].value = "tanh"
    np.testing.assert_allclose(ex.curve_f.get_ydata(), h.tanh(ex.grid))
    np.testing.assert_allclose(ex.curve_df.get_ydata(), h.tanh_grad(ex.grid))
    assert ex.values()["fprime"] == fmt(h.tanh_grad(1.0))
    assert ex.image.value != png_before


def test_activation_explorer_slope_slider_changes_leaky_relu():
    ex = ActivationExplorer(activation="leaky_relu", z=-1.0)
    ex.control["slope"].value = 0.1
    assert ex.values()["fprime"] == fmt(0.1)
    np.testing.assert_allclose(ex.curve_f.get_ydata(), h.leaky_relu(ex.grid, 0.1))
