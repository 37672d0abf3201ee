"""The dense layer, forward beside backward (chapters 5-7)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import helpers as h
from _numeric import REAL, central_difference_error

pytestmark = pytest.mark.helpers


@given(data=st.data())
@settings(deadline=None)
def test_dense_backward_matches_finite_differences(data):
    n, n_in, n_out = (data.draw(st.integers(1, 4)) for _ in range(3))
    A_prev = data.draw(arrays(np.float64, (n, n_in), elements=REAL))
    W = data.draw(arrays(np.float64, (n_in, n_out), elements=REAL))
    b = data.draw(arrays(np.float64, (n_out,), elements=REAL))
    G = data.draw(arrays(np.float64, (n, n_out), elements=REAL))  # upstream dL/dZ of L = sum(G * Z)

    def L():
        return float(np.sum(G * h.dense_forward(A_prev, W, b)))

    dA_prev, dW, db = h.dense_backward(G, A_prev, W)
    for analytic, x in ((dA_prev, A_prev), (dW, W), (db, b)):
        assert central_difference_error(analytic, lambda _: L(), x) <= 1e-7


def test_dense_layer_one_example_as_1d():
    A, W, b = np.array([1.0, 2.0]), np.array([[1.0, 0.0, 2.0], [0.5, 1.0, 0.0]]), np.array([0.0, 1.0, -1.0])
    np.testing.assert_allclose(h.dense_forward(A, W, b), [2.0, 3.0, 1.0])
    dA, dW, db = h.dense_backward(np.array([1.0, 0.0, 1.0]), A, W)
    np.testing.assert_allclose(dA, [3.0, 0.5])
    assert dW.shape == (2, 3) and db.shape == (3,)
