"""Activations, each beside its derivative: finite differences, overflow and precision (chapter 4)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import helpers as h
from _numeric import REAL, away_from_kinks, central_difference_error

pytestmark = pytest.mark.helpers


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu"])
@given(z=arrays(np.float64, st.integers(1, 8), elements=REAL))
@settings(deadline=None)
def test_activation_grad_matches_finite_differences(name, z):
    f, df = h.ACTIVATIONS[name]
    z = away_from_kinks(z)
    for i in range(z.size):  # element-wise: each output depends on its own input only
        x = z[i : i + 1].copy()
        assert central_difference_error(df(x), lambda v: float(f(v)[0]), x) <= 1e-7
    off = h.numerical_gradient(lambda v: f(v)[0], z.copy())[1:]  # the Jacobian is diagonal
    assert np.all(off == 0.0)


def test_sigmoid_does_not_overflow_at_plus_minus_800():
    z = np.array([-800.0, -40.0, 0.0, 40.0, 800.0])
    s = h.sigmoid(z)
    assert np.all(np.isfinite(s)) and s[0] == 0.0 and s[-1] == 1.0 and s[2] == 0.5
    assert np.all(np.isfinite(h.sigmoid_grad(z)))
    np.testing.assert_allclose(h.sigmoid(np.array([-3.0, 3.0])), 1 / (1 + np.exp([3.0, -3.0])), rtol=1e-15)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_is_quiet_and_keeps_full_precision_where_it_is_tiny(dtype):
    tiny = np.finfo(dtype).tiny
    lowest = np.log(np.finfo(dtype).smallest_subnormal) - 2.0  # sigma(z) is about exp(z): below it, 0
    z = np.concatenate([np.linspace(lowest, 40.0, 4001), [-800.0, 800.0]]).astype(dtype)
    with np.errstate(all="raise"):  # no floating-point error may escape
        s = h.sigmoid(z)
    exact = 1.0 / (1.0 + np.exp(-z.astype(np.longdouble)))
    normal = exact >= tiny
    assert np.max(np.abs(s[normal] - exact[normal]) / exact[normal]) <= 2 * np.finfo(dtype).eps
    # below the normal numbers the result is exact to within two steps of the subnormal numbers
    assert np.max(np.abs(s[~normal] - exact[~normal])) <= 2 * np.finfo(dtype).smallest_subnormal
    assert s[-2] == 0.0 and s[-1] == 1.0 and s.dtype == dtype
    assert h.sigmoid(dtype(0.0)) == 0.5 and h.sigmoid(dtype(0.0)).shape == ()


def test_activation_derivatives_at_known_points():
    assert h.sigmoid_grad(np.array([0.0]))[0] == 0.25
    assert h.tanh_grad(np.array([0.0]))[0] == 1.0
    np.testing.assert_array_equal(h.relu_grad(np.array([-1.0, 0.0, 2.0])), [0.0, 0.0, 1.0])
    np.testing.assert_allclose(h.leaky_relu_grad(np.array([-1.0, 2.0]), slope=0.1), [0.1, 1.0])


def test_activation_derivatives_keep_relative_precision_far_from_zero():
    z = np.array([5.0, 15.0, 30.0, 100.0, 300.0])
    # independent closed forms that involve no cancellation at these z
    np.testing.assert_allclose(h.sigmoid_grad(z), np.exp(-z) / (1 + np.exp(-z)) ** 2, rtol=1e-13)
    np.testing.assert_allclose(h.sigmoid_grad(-z), h.sigmoid_grad(z), rtol=0)
    np.testing.assert_allclose(h.tanh_grad(z), 1 / np.cosh(z) ** 2, rtol=1e-13)
    np.testing.assert_allclose(h.sigmoid(-z), np.exp(-z) / (1 + np.exp(-z)), rtol=1e-14)
