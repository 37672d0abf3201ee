"""The perceptron of chapters 1-2: predictions, the update rule, training and the convergence bound."""

import numpy as np
import pytest

from helpers.data import linearly_separable, xor
from helpers.perceptron import (
    geometric_margin, mistake_bound, perceptron_predict, perceptron_scores, perceptron_train,
    perceptron_update, signed_labels,
)
from _refuse import refuses

pytestmark = pytest.mark.helpers


def _shifted(seed, n=60):
    X, y = linearly_separable(n, margin=0.5, seed=seed)
    return X * [1.0, 0.5] + [2.0, 1.0], y  # separated by u = (1, 2), c = -4


def test_scores_are_dot_products_plus_bias():
    rng = np.random.default_rng(0)
    X, w, b = rng.normal(size=(7, 3)), rng.normal(size=3), 0.3
    expected = np.array([sum(x[j] * w[j] for j in range(3)) + b for x in X])
    np.testing.assert_allclose(perceptron_scores(X, w, b), expected, rtol=1e-12)


def test_predict_is_one_exactly_where_score_is_positive():
    X = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 5.0]])
    np.testing.assert_array_equal(perceptron_predict(X, np.array([1.0, 0.0]), 0.0), [1, 0, 0])


def test_update_raises_the_signed_score_by_lr_times_norm_squared_plus_one():
    rng = np.random.default_rng(1)
    w, b, x = rng.normal(size=4), -0.2, rng.normal(size=4)
    for s in (-1.0, 1.0):
        w2, b2 = perceptron_update(w, b, x, s, lr=0.5)
        gain = s * (x @ w2 + b2) - s * (x @ w + b)
        assert gain == pytest.approx(0.5 * (x @ x + 1.0), rel=1e-12)


def test_training_separates_separable_data_within_the_bound():
    for seed in range(5):
        X, y = _shifted(seed)
        run = perceptron_train(X, y, epochs=1000)
        assert run["converged"]
        np.testing.assert_array_equal(perceptron_predict(X, run["w"], run["b"]), y)
        _, gamma, bound = mistake_bound(X, y, [1.0, 2.0], -4.0)
        assert gamma > 0 and 0 < run["mistakes"] <= bound


def test_history_obeys_the_two_inequalities_of_the_convergence_proof():
    X, y = _shifted(0)
    run = perceptron_train(X, y)
    R, gamma, _ = mistake_bound(X, y, [1.0, 2.0], -4.0)
    u = np.array([1.0, 2.0, -4.0]) / np.linalg.norm([1.0, 2.0, -4.0])
    for k, (w, b) in enumerate(run["history"]):
        wa = np.append(w, b)
        assert wa @ u >= k * gamma - 1e-9
        assert wa @ wa <= k * R**2 + 1e-9


def test_training_never_converges_on_xor():
    X, y = xor(40, seed=0)
    run = perceptron_train(X, y, epochs=30)
    assert not run["converged"]
    assert np.mean(perceptron_predict(X, run["w"], run["b"]) == y) < 1.0


def test_mistake_count_does_not_depend_on_the_learning_rate_from_zero():
    X, y = _shifted(2)
    assert perceptron_train(X, y, lr=1.0)["mistakes"] == perceptron_train(X, y, lr=0.01)["mistakes"]


def test_geometric_margin_is_distance_of_nearest_point_to_the_line():
    X = np.array([[3.0, 0.0], [0.0, -2.0]])
    y = np.array([1, 0])
    assert geometric_margin(X, y, np.array([2.0, 0.0]), -2.0) == pytest.approx(1.0)
    assert geometric_margin(X, y, np.array([0.0, 1.0]), 0.0) == pytest.approx(0.0)


def test_mistake_bound_reports_a_non_separating_vector():
    X, y = _shifted(0)
    assert mistake_bound(X, y, [-1.0, -2.0], 4.0)[2] == np.inf


def test_signed_labels_refuse_other_values():
    np.testing.assert_array_equal(signed_labels(np.array([0, 1, 1])), [-1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="labels 0 and 1"):
        signed_labels(np.array([0, 2]))


X3 = np.array([[1.0, 2.0], [-1.0, 0.5], [0.0, -1.0]])
Y3 = np.array([1, 0, 0])


@pytest.mark.parametrize("call, exc, words", [
    (lambda: perceptron_scores(X3[0], [1.0, 2.0], 0.0), ValueError, ("X", "2-D", "(2,)")),
    (lambda: perceptron_scores(X3, [1.0, 2.0, 3.0], 0.0), ValueError, ("w", "(2,)", "(3,)", "column")),
    (lambda: perceptron_scores(X3, [1.0, 2.0], [0.0, 1.0]), ValueError, ("b", "finite real number")),
    (lambda: perceptron_predict(X3, [1.0, np.nan], 0.0), ValueError, ("w", "finite", "NaN")),
    (lambda: perceptron_scores(X3.astype(complex), [1.0, 2.0], 0.0), TypeError, ("X", "real", "complex")),
    (lambda: perceptron_update([1.0, 2.0], 0.0, [1.0, 2.0, 3.0], 1, 1.0), ValueError, ("x", "(2,)", "like w")),
    (lambda: perceptron_update([1.0, 2.0], 0.0, [1.0, 2.0], 0, 1.0), ValueError, ("s", "-1 or +1", "0")),
    (lambda: perceptron_update([1.0, 2.0], 0.0, [1.0, 2.0], 1, -0.5), ValueError, ("lr", "positive", "-0.5")),
    (lambda: perceptron_train(X3, Y3[:2]), ValueError, ("y", "one label per row", "3", "2")),
    (lambda: perceptron_train(X3, [1, 2, 0]), ValueError, ("y", "0 and 1")),
    (lambda: perceptron_train(X3, Y3, epochs=0), ValueError, ("epochs", "positive int", "0")),
    (lambda: perceptron_train(X3, Y3, epochs=2.5), ValueError, ("epochs", "2.5")),
    (lambda: perceptron_train(X3, Y3, w0=[0.0]), ValueError, ("w0", "(2,)", "(1,)")),
    (lambda: perceptron_train(X3, Y3, b0=np.inf), ValueError, ("b0", "inf")),
    (lambda: geometric_margin(X3, Y3, [0.0, 0.0], 1.0), ValueError, ("w", "zero vector")),
    (lambda: mistake_bound(X3, Y3, [0.0, 0.0], 0.0), ValueError, ("u and u0", "zero")),
    (lambda: mistake_bound(X3, Y3, [1.0], 0.0), ValueError, ("u", "(2,)", "(1,)")),
], ids=lambda v: v if isinstance(v, str) else None)
def test_bad_input_is_refused_with_a_message_naming_the_argument(call, exc, words):
    refuses(exc, call, names=words)


def test_the_checks_accept_what_the_chapters_pass():
    """Lists, NumPy scalars and 0-d arrays for numbers, float32 rows: as before the checks."""
    w, b = perceptron_update(np.array([1.0, 2.0]), np.float64(0.5), X3[0].astype(np.float32), -1.0, 1)
    np.testing.assert_array_equal(w, [0.0, 0.0])
    assert b == -0.5
    np.testing.assert_array_equal(perceptron_predict(X3, [1, 1], np.array(0.0)), [1, 0, 0])
