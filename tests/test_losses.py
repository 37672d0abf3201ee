"""The losses of chapter 4, each beside its gradient: finite differences and known values."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import helpers as h
from _numeric import REAL, away_from_kinks, central_difference_error

pytestmark = pytest.mark.helpers


LOSSES = ["absolute_difference", "squared_error", "huber", "cosine_distance"]


@pytest.mark.parametrize("name", LOSSES)
@pytest.mark.parametrize("reduction", ["mean", "sum"])
@given(data=st.data())
@settings(deadline=None)
def test_loss_grad_matches_finite_differences(name, reduction, data):
    n, d = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 5))
    pred = data.draw(arrays(np.float64, (n, d), elements=REAL))
    target = data.draw(arrays(np.float64, (n, d), elements=REAL))
    if name in ("absolute_difference", "huber"):  # keep residuals off the kinks at 0 and +-delta
        r = away_from_kinks(pred - target, 1e-3)
        r = np.where(np.abs(np.abs(r) - 1.0) < 1e-3, r * 1.01, r)
        pred = target + r
    if name == "cosine_distance":  # the angle's curvature grows like 1/|pred|^2: keep norms >= ~1
        pred[np.linalg.norm(pred, axis=1) < 0.5] += 1.0
        target[np.linalg.norm(target, axis=1) < 0.5] += 1.0
    loss, grad = getattr(h, name), getattr(h, name + "_grad")
    g = grad(pred, target, reduction=reduction)
    assert g.shape == pred.shape
    assert central_difference_error(g, lambda v: loss(v, target, reduction=reduction), pred.copy()) <= 1e-7


@given(data=st.data())
@settings(deadline=None)
def test_hinge_grad_matches_finite_differences_away_from_kinks(data):
    n, c = data.draw(st.integers(1, 4)), data.draw(st.integers(2, 5))
    scores = data.draw(arrays(np.float64, (n, c), elements=REAL))
    labels = data.draw(arrays(np.int64, (n,), elements=st.integers(0, c - 1)))
    margins = scores - scores[np.arange(n), labels][:, None] + 1.0
    margins[np.arange(n), labels] = 5.0
    if np.min(np.abs(margins)) < 1e-3:
        return  # a point on a kink: the derivative is not defined there
    g = h.hinge_grad(scores, labels)
    assert central_difference_error(g, lambda v: h.hinge(v, labels), scores.copy(), steps=(1e-6,)) <= 1e-7


def test_losses_at_known_values():
    p, t = np.array([[3.0, 0.0]]), np.array([[0.0, 4.0]])
    assert h.absolute_difference(p, t) == 7.0
    assert h.squared_error(p, t) == 25.0
    assert h.huber(p, t) == pytest.approx(2.5 + 3.5)
    assert h.cosine_distance(p, t) == pytest.approx(1.0)
    assert h.cosine_distance(p, 2 * p) == pytest.approx(0.0, abs=1e-15)
    assert h.hinge(np.array([[2.0, 1.5, -1.0]]), np.array([0])) == pytest.approx(0.5)
