"""The shape explorer of chapter 5: shapes against `helpers`, Jacobians against finite differences,
vector-Jacobian products against the backprop formulas, and its controls."""

import numpy as np
import pytest

from helpers import dense_backward, dense_forward, numerical_gradient, relative_error, sigmoid, sigmoid_grad
from helpers.widgets.shape_explorer import JACOBIANS, ShapeExplorer, layer_jacobians, shape_explorer_state

pytestmark = pytest.mark.widgets

SIZES = [(1, 1, 1, 1), (3, 4, 2, 3), (2, 5, 3, 6), (6, 8, 6, 2)]


def jacobian_fd(f, x, eps=1e-6):
    """Central-difference Jacobian, both sides flattened row by row (independent of the module)."""
    x = x.copy()
    cols = []
    for k in range(x.size):
        e = np.zeros(x.size)
        e[k] = eps
        e = e.reshape(x.shape)
        cols.append((f(x + e) - f(x - e)).ravel() / (2 * eps))
    return np.stack(cols, axis=1)


@pytest.mark.parametrize("n0, n1, n2, N", SIZES)
def test_shape_explorer_shapes_are_those_helpers_produces(n0, n1, n2, N):
    s = shape_explorer_state(n0, n1, n2, N)
    a = s["arrays"]
    Z1 = dense_forward(a["X"], a["W1"], a["b1"])
    Z2 = dense_forward(sigmoid(Z1), a["W2"], a["b2"])
    dA1, dW2, db2 = dense_backward(a["dZ2"], sigmoid(Z1), a["W2"])
    dX, dW1, db1 = dense_backward(dA1 * sigmoid_grad(Z1), a["X"], a["W1"])
    expected = dict(Z1=Z1, A1=sigmoid(Z1), Z2=Z2, dA1=dA1, dW2=dW2, db2=db2, dX=dX, dW1=dW1, db1=db1)
    for name, value in expected.items():
        assert s["shapes"][name] == value.shape, name
        np.testing.assert_allclose(a[name], value, rtol=1e-12, atol=1e-15)
    for name in ("X", "W1", "b1", "Z1", "A1", "W2", "b2", "Z2"):  # a gradient has its variable's shape
        assert s["shapes"]["d" + name] == s["shapes"][name]


@pytest.mark.parametrize("n0, n1, n2, N", SIZES[:3])
def test_shape_explorer_jacobians_match_finite_differences(n0, n1, n2, N):
    a = shape_explorer_state(n0, n1, n2, N)["arrays"]
    X, W1, b1, W2, b2 = a["X"], a["W1"], a["b1"], a["W2"], a["b2"]
    J = layer_jacobians(X, W1, W2, a["Z1"], a["A1"])
    numeric = {
        "dZ1/dX": jacobian_fd(lambda v: v @ W1 + b1, X),
        "dZ1/dW1": jacobian_fd(lambda v: X @ v + b1, W1),
        "dZ1/db1": jacobian_fd(lambda v: X @ W1 + v, b1),
        "dA1/dZ1": jacobian_fd(sigmoid, a["Z1"]),
        "dZ2/dA1": jacobian_fd(lambda v: v @ W2 + b2, a["A1"]),
        "dZ2/dW2": jacobian_fd(lambda v: a["A1"] @ v + b2, W2),
        "dZ2/db2": jacobian_fd(lambda v: a["A1"] @ W2 + v, b2),
    }
    assert set(numeric) == set(JACOBIANS)
    for name, Jn in numeric.items():
        assert J[name].shape == Jn.shape, name
        assert np.max(np.abs(J[name] - Jn)) < 1e-8 * max(1.0, np.max(np.abs(Jn))), name
        assert np.array_equal(J[name] != 0, np.abs(Jn) > 1e-12), name  # same sparsity pattern


@pytest.mark.parametrize("jacobian", list(JACOBIANS))
def test_shape_explorer_vjp_equals_backprop_formula(jacobian):
    s = shape_explorer_state(3, 4, 2, 5, jacobian=jacobian, seed=3)
    assert s["vjp"].shape == s["shapes"][s["result"]]
    np.testing.assert_allclose(s["vjp"], s["arrays"][s["result"]], rtol=1e-10, atol=1e-14)
    assert s["vjp_error"] < 1e-10


def test_shape_explorer_vjp_of_whole_network_matches_numerical_gradient():
    # L = sum(dZ2 * Z2) has dL/dZ2 = dZ2, so every gradient the explorer shows is a true gradient
    s = shape_explorer_state(2, 3, 2, 4, seed=1)
    a = s["arrays"]
    W1 = a["W1"].copy()

    def loss(W):
        return float(np.sum(a["dZ2"] * (sigmoid(a["X"] @ W + a["b1"]) @ a["W2"] + a["b2"])))

    assert relative_error(a["dW1"], numerical_gradient(loss, W1)) < 1e-7


@pytest.mark.parametrize("n0, n1, n2, N", SIZES)
def test_shape_explorer_sparsity_counts(n0, n1, n2, N):
    counts = {j: shape_explorer_state(n0, n1, n2, N, jacobian=j) for j in JACOBIANS}
    assert counts["dA1/dZ1"]["nonzeros"] == N * n1  # diagonal
    assert counts["dA1/dZ1"]["entries"] == (N * n1) ** 2
    assert counts["dZ1/dW1"]["nonzeros"] == N * n0 * n1  # kron(X, I): X has no zero entries
    assert counts["dZ1/dX"]["nonzeros"] == N * n0 * n1  # N blocks of W1^T
    assert counts["dZ1/db1"]["nonzeros"] == N * n1  # N stacked identities
    assert counts["dZ2/dW2"]["jacobian_shape"] == (N * n2, n1 * n2)
    for s in counts.values():
        assert s["density"] == pytest.approx(s["nonzeros"] / s["entries"])


def test_shape_explorer_refuses_bad_sizes_and_names():
    with pytest.raises(ValueError, match="n1"):
        shape_explorer_state(3, 0, 2, 3)
    with pytest.raises(ValueError, match="jacobian"):
        shape_explorer_state(jacobian="dL/dW")


def test_shape_explorer_readout_follows_the_controls():
    ex = ShapeExplorer(n0=3, n1=4, n2=2, N=3, jacobian="dZ1/dW1")
    v = ex.values()
    assert ex._labels["W1"].get_text() == "(3, 4)" and ex._labels["b1"].get_text() == "(4,)"
    assert v["jacobian_shape"] == "(12, 12)"
    ex.control["N"].value = 5
    ex.control["n1"].value = 6
    ex.control["jacobian"].value = "dA1/dZ1"
    v = ex.values()
    expected = shape_explorer_state(3, 6, 2, 5, jacobian="dA1/dZ1")
    assert [ex._labels[k].get_text() for k in ("Z1", "dW1", "dZ2")] == ["(5, 6)", "(3, 6)", "(5, 2)"]
    assert v["jacobian_shape"] == "(30, 30)"
    assert int(v["nonzeros"]) == expected["nonzeros"] == 30
    assert float(v["vjp_error"]) < 1e-10
    assert ex.state() == dict(n0=3, n1=6, n2=2, N=5, jacobian="dA1/dZ1")
    # the picture is the pattern of the chosen Jacobian
    assert ex._im.get_array().shape == (30, 30)
