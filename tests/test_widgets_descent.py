"""The gradient-descent explorer of chapter 3: its computation and one control change."""

import numpy as np
import pytest

from helpers.descent import quadratic_bowl, quadratic_loss
from helpers.widgets import fmt
from helpers.widgets.descent import DescentExplorer, descent_state

pytestmark = pytest.mark.widgets


def test_descent_state_path_is_gradient_descent_on_the_bowl():
    A, c = quadratic_bowl((1.0, 10.0), 30.0)
    st = descent_state(0.05, (2.0, -1.0), 4, A, c)
    w = np.array([2.0, -1.0])
    for _ in range(4):
        w = w - 0.05 * A @ w
    np.testing.assert_allclose(st["w"], w, rtol=1e-13)
    assert st["loss"] == pytest.approx(0.5 * w @ A @ w)
    assert st["grad_norm"] == pytest.approx(np.linalg.norm(A @ w))


def test_descent_state_rate_predicts_the_slowest_shrinking():
    A, c = quadratic_bowl((1.0, 10.0), 30.0)
    st = descent_state(0.15, (1.0, 1.0), 200, A, c)
    assert st["lr_max"] == pytest.approx(0.2)
    assert st["lam_max"] == st["L"] == pytest.approx(10.0)      # lambda_max; "L" is its older key
    assert st["rate"] == pytest.approx(max(abs(1 - 0.15), abs(1 - 1.5)))
    # after many steps the distance shrinks by `rate` per step
    d = np.linalg.norm(st["path"], axis=1)
    assert d[-1] / d[-2] == pytest.approx(st["rate"], rel=1e-6)


def test_descent_state_diverges_above_two_over_lambda_max():
    A, c = quadratic_bowl((1.0, 10.0), 30.0)
    assert descent_state(0.21, (1.0, 1.0), 60, A, c)["loss"] > quadratic_loss(np.ones(2), A, c)
    assert descent_state(0.19, (1.0, 1.0), 60, A, c)["loss"] < quadratic_loss(np.ones(2), A, c)


def test_descent_explorer_readout_follows_the_learning_rate_slider():
    ex = DescentExplorer(lr=0.1, start=(-4.0, 3.0), steps=20)
    ex.control["lr"].value = 0.21
    st = descent_state(0.21, (-4.0, 3.0), 20, ex.A, ex.c)
    vals = ex.values()
    assert ex.state()["lr"] == 0.21
    assert vals["w"] == fmt(st["w"]) and vals["loss"] == fmt(st["loss"])
    assert float(vals["rate"]) > 1.0
