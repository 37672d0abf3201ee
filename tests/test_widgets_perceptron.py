"""The explorers of chapters 1-2: their plain computations and one control change each."""

import numpy as np
import pytest

from helpers.data import linearly_separable
from helpers.perceptron import perceptron_train
from helpers.widgets import fmt
from helpers.widgets.perceptron import BoundaryExplorer, PerceptronStepper, boundary_state, stepper_state

pytestmark = pytest.mark.widgets


@pytest.fixture
def data():
    X, y = linearly_separable(16, margin=0.4, seed=3)
    return X, y


def test_boundary_state_scores_equal_dot_products(data):
    X, y = data
    st = boundary_state(X, y, angle_deg=30.0, length=2.0, b=-0.5)
    w = 2.0 * np.array([np.cos(np.pi / 6), np.sin(np.pi / 6)])
    np.testing.assert_allclose(st["w"], w, rtol=1e-12)
    np.testing.assert_allclose(st["scores"], np.einsum("nd,d->n", X, w) - 0.5, rtol=1e-12)
    assert st["n_wrong"] == int(np.sum((X @ w - 0.5 > 0) != y))


def test_boundary_offset_is_the_signed_distance_of_the_line_from_the_origin(data):
    X, y = data
    st = boundary_state(X, y, angle_deg=45.0, length=3.0, b=1.5)
    point = st["offset"] * st["w"] / np.linalg.norm(st["w"])  # on the line, along w
    assert point @ st["w"] + st["b"] == pytest.approx(0.0, abs=1e-12)


def test_stretching_w_with_b_moves_no_point_across(data):
    X, y = data
    a = boundary_state(X, y, 70.0, 1.0, 0.4)
    b = boundary_state(X, y, 70.0, 2.5, 1.0)  # (w, b) scaled by 2.5
    np.testing.assert_array_equal(a["pred"], b["pred"])


def test_boundary_explorer_readout_follows_the_bias_slider(data):
    X, y = data
    ex = BoundaryExplorer(X, y, angle_deg=60.0, length=1.0, b=0.5)
    ex.control["b"].value = -1.2
    w = np.array([np.cos(np.pi / 3), np.sin(np.pi / 3)])
    vals = ex.values()
    assert vals["shown_scores"] == fmt(X[:6] @ w - 1.2)
    assert vals["n_wrong"] == str(int(np.sum((X @ w - 1.2 > 0) != y)))


def test_stepper_state_replays_the_training_history(data):
    X, y = data
    run = perceptron_train(X, y)
    for k in range(run["mistakes"] + 1):
        st = stepper_state(X, y, k, run)
        np.testing.assert_array_equal(st["w"], run["history"][k][0])
        if k < run["mistakes"]:
            assert st["next_margin"] <= 0  # the next update is caused by a mistake
    last = stepper_state(X, y, run["mistakes"], run)
    assert last["n_wrong"] == 0 and last["next"] == -1


def test_stepper_explorer_readout_follows_the_update_slider():
    X, y = linearly_separable(60, margin=0.5, seed=0)
    X = X * [1.0, 0.5] + [2.0, 1.0]
    ex = PerceptronStepper(X, y)
    run = perceptron_train(X, y)
    ex.control["k"].value = 3
    w, b = run["history"][3]
    vals = ex.values()
    assert vals["w"] == fmt(w) and vals["b"] == fmt(b)
    assert vals["next"] == str(run["updated"][3])
    ex.control["k"].value = ex.control["k"].max
    assert ex.values()["n_wrong"] == "0"
