"""Central differences and the relative error that compares gradients."""

import numpy as np
import pytest
import helpers as h

pytestmark = pytest.mark.helpers


def test_numerical_gradient_error_shrinks_like_eps_squared():
    f = lambda x: float(np.sin(x).sum())  # noqa: E731
    x = np.array([0.7])
    errors = [abs(h.numerical_gradient(f, x, eps)[0] - np.cos(0.7)) for eps in (1e-2, 5e-3)]
    assert errors[0] / errors[1] == pytest.approx(4.0, rel=0.01)
    assert x[0] == 0.7


def test_relative_error_is_scale_free():
    a = np.array([1.0, 2.0])
    assert h.relative_error(a, a) == 0.0
    assert h.relative_error(a * 1e6, a * 1e6 * (1 + 1e-8)) == pytest.approx(h.relative_error(a, a * (1 + 1e-8)))
    assert h.relative_error(np.zeros(2), np.zeros(2)) == 0.0


def test_normwise_error_weighs_entries_by_size_and_matches_relative_error_on_one_number():
    a = np.array([1.0, 1e-6])
    b = np.array([1.0, 2e-6])  # the small entry doubled
    assert h.normwise_error(a, b) == pytest.approx(1e-6 / (np.linalg.norm(a) + np.linalg.norm(b)), rel=1e-9)
    assert h.normwise_error(a, b) < 1e-6 < h.relative_error(a, b)  # the worst element rules relative_error
    assert h.normwise_error(a * 1e6, b * 1e6) == pytest.approx(h.normwise_error(a, b), rel=1e-9)
    assert h.normwise_error(np.array([3.0]), np.array([3.3])) == pytest.approx(h.relative_error([3.0], [3.3]))
    assert h.normwise_error(np.zeros((2, 2)), np.zeros((2, 2))) == 0.0
