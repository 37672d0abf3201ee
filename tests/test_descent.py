"""Gradient descent of chapter 3: the update, the quadratic bowl, central differences, regression."""

import numpy as np
import pytest

from helpers.descent import (
    central_difference, gradient_descent, linear_regression_grad, linear_regression_loss,
    quadratic_bowl, quadratic_grad, quadratic_loss,
)
from helpers.gradcheck import numerical_gradient, relative_error
from helpers.losses import squared_error, squared_error_grad
from _refuse import refuses

pytestmark = pytest.mark.helpers


def test_gradient_descent_path_follows_the_update_rule():
    A, c = quadratic_bowl((1.0, 4.0), 20.0, (0.5, -1.0))
    path = gradient_descent(lambda w: quadratic_grad(w, A, c), [2.0, 2.0], 0.1, 5)
    assert path.shape == (6, 2)
    for k in range(5):
        np.testing.assert_allclose(path[k + 1], path[k] - 0.1 * A @ (path[k] - c), rtol=1e-13)


def test_quadratic_grad_matches_finite_differences():
    A, c = quadratic_bowl((2.0, 7.0), 35.0, (1.0, -2.0))
    w = np.array([0.3, 0.8])
    num = numerical_gradient(lambda v: quadratic_loss(v, A, c), w.copy())
    assert relative_error(quadratic_grad(w, A, c), num) < 1e-8


def test_bowl_has_the_requested_curvatures():
    A, _ = quadratic_bowl((1.0, 10.0), 30.0)
    np.testing.assert_allclose(np.linalg.eigvalsh(A), [1.0, 10.0], rtol=1e-12)


@pytest.mark.parametrize("factor, shrinks", [(0.95, True), (1.05, False)])
def test_descent_diverges_exactly_above_two_over_L(factor, shrinks):
    A, c = quadratic_bowl((1.0, 10.0), 30.0)
    path = gradient_descent(lambda w: quadratic_grad(w, A, c), [3.0, -2.0], factor * 2 / 10.0, 200)
    assert (np.linalg.norm(path[-1]) < np.linalg.norm(path[0])) == shrinks


def test_diverging_path_is_filled_with_inf_without_warnings():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = gradient_descent(lambda w: 10.0 * w, [1.0], 1.0, 400)
    assert np.isinf(path[-1]).all() and np.isfinite(path[0]).all()


def test_central_difference_error_shrinks_like_h_squared():
    x = 0.7
    errs = [abs(central_difference(np.sin, x, h) - np.cos(x)) for h in (1e-2, 5e-3)]
    assert errs[0] / errs[1] == pytest.approx(4.0, rel=0.01)


def test_linear_regression_matches_helpers_squared_error():
    rng = np.random.default_rng(0)
    X, t, w, b = rng.normal(size=(9, 3)), rng.normal(size=9), rng.normal(size=3), 0.4
    pred = (X @ w + b)[:, None]
    assert linear_regression_loss(X, t, w, b) == pytest.approx(squared_error(pred, t[:, None]))
    dpred = squared_error_grad(pred, t[:, None])[:, 0]
    dw, db = linear_regression_grad(X, t, w, b)
    np.testing.assert_allclose(dw, X.T @ dpred, rtol=1e-12)
    assert db == pytest.approx(dpred.sum())


def test_linear_regression_grad_matches_finite_differences():
    rng = np.random.default_rng(1)
    X, t, w = rng.normal(size=(12, 2)), rng.normal(size=12), rng.normal(size=2)
    num = numerical_gradient(lambda v: linear_regression_loss(X, t, v, -0.3), w.copy())
    assert relative_error(linear_regression_grad(X, t, w, -0.3)[0], num) < 1e-8


X3, T3 = np.array([[1.0, 2.0], [-1.0, 0.5], [0.0, -1.0]]), np.array([1.0, 0.0, 2.0])


@pytest.mark.parametrize("call, exc, words", [
    (lambda: gradient_descent(np.zeros(2), [1.0, 2.0], 0.1, 3), TypeError, ("grad", "function", "ndarray")),
    (lambda: gradient_descent(lambda w: w, [[1.0, 2.0]], 0.1, 3), ValueError, ("w0", "1-D", "(1, 2)")),
    (lambda: gradient_descent(lambda w: w, [1.0, 2.0], 0.0, 3), ValueError, ("lr", "positive", "0.0")),
    (lambda: gradient_descent(lambda w: w, [1.0, 2.0], 0.1, -1), ValueError, ("steps", ">= 0", "-1")),
    (lambda: gradient_descent(lambda w: w, [1.0, np.inf], 0.1, 3), ValueError, ("w0", "finite", "inf")),
    (lambda: gradient_descent(lambda w: w, [1.0, 2.0], 0.1, 3, beta=1.0), ValueError, ("beta", "[0, 1)", "1.0")),
    (lambda: gradient_descent(lambda w: w, [1.0, 2.0], 0.1, 3, beta=np.nan), ValueError, ("beta", "[0, 1)", "nan")),
    (lambda: gradient_descent(lambda w: w, [1.0, 2.0], 0.1, 3, 0.5, "yes"), TypeError, ("nesterov", "True or False", "'yes'")),
    (lambda: quadratic_bowl((1.0, 2.0, 3.0)), ValueError, ("curvatures", "(2,)", "(3,)")),
    (lambda: quadratic_bowl((1.0, -2.0)), ValueError, ("curvatures", "positive", "-2")),
    (lambda: quadratic_bowl((1.0, 2.0), angle_deg=np.nan), ValueError, ("angle_deg", "finite", "nan")),
    (lambda: quadratic_bowl((1.0, 2.0), center=(0.0,)), ValueError, ("center", "(2,)", "(1,)")),
    (lambda: central_difference(np.sin, 0.3, 0.0), ValueError, ("h", "positive", "0.0")),
    (lambda: central_difference("sin", 0.3, 1e-3), TypeError, ("f", "function", "str")),
    (lambda: linear_regression_loss(X3, T3[:2], np.zeros(2), 0.0), ValueError, ("t", "(3,)", "(2,)", "row")),
    (lambda: linear_regression_grad(X3, T3, np.zeros(3), 0.0), ValueError, ("w", "(2,)", "(3,)", "column")),
    (lambda: linear_regression_grad(X3, T3, np.zeros(2), "0"), ValueError, ("b", "finite real number")),
    (lambda: linear_regression_loss(X3[0], T3, np.zeros(2), 0.0), ValueError, ("X", "2-D")),
], ids=lambda v: v if isinstance(v, str) else None)
def test_bad_input_is_refused_with_a_message_naming_the_argument(call, exc, words):
    refuses(exc, call, names=words)
