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
