"""The gradient-descent explorer of chapter 3: its computation and one control change."""

import numpy as np
import pytest

from helpers.descent import quadratic_bowl, quadratic_loss
from helpers.widgets import fmt
from helpers.widgets.descent import DescentExplorer, descent_state, step_factor

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


# -- momentum -----------------------------------------------------------------------------------

def _hand_path(method, lr, beta, start, steps, A):
    """Section 3.9's recursions over the two last iterates (no velocity): the heavy ball
    theta' = theta + beta (theta - theta_prev) - lr grad(theta); Nesterov a plain step from the
    look-ahead point theta + beta (theta - theta_prev)."""
    prev = theta = np.array(start, dtype=float)
    path = [theta]
    for _ in range(steps):
        ahead = theta + beta * (theta - prev)
        if method == "plain":
            new = theta - lr * A @ theta
        elif method == "heavy ball":
            new = ahead - lr * A @ theta
        else:
            new = ahead - lr * A @ ahead
        prev, theta = theta, new
        path.append(theta)
    return np.array(path)


@pytest.mark.parametrize("method", ["plain", "heavy ball", "Nesterov"])
def test_descent_state_path_is_the_methods_recursion(method):
    A, c = quadratic_bowl((1.0, 10.0), 30.0)
    st = descent_state(0.08, (2.0, -1.0), 30, A, c, method=method, beta=0.7)
    expected = _hand_path(method, 0.08, 0.0 if method == "plain" else 0.7, (2.0, -1.0), 30, A)
    np.testing.assert_allclose(st["path"], expected, rtol=1e-12, atol=1e-14)
    assert not np.allclose(st["path"], _hand_path("plain", 0.08, 0.0, (2.0, -1.0), 30, A)) or method == "plain"


def test_plain_descent_ignores_beta_to_the_last_bit():
    A, c = quadratic_bowl((1.0, 10.0), 30.0)
    w, path = np.array([2.0, -1.0]), [np.array([2.0, -1.0])]
    for _ in range(25):
        w = w - 0.1 * (A @ w)
        path.append(w)
    np.testing.assert_array_equal(descent_state(0.1, (2.0, -1.0), 25, A, c, method="plain", beta=0.9)["path"],
                                  np.array(path))


@pytest.mark.parametrize("method, lr, beta", [("heavy ball", 0.15, 0.3), ("Nesterov", 0.05, 0.5)])
def test_momentum_rate_is_the_measured_shrinking_real_roots(method, lr, beta):
    """Real roots on the slowest component: the distance shrinks by the largest one per step."""
    A, c = quadratic_bowl((1.0, 10.0), 30.0)
    st = descent_state(lr, (1.0, 1.0), 200, A, c, method=method, beta=beta)
    d = np.linalg.norm(st["path"], axis=1)
    assert st["rate"] < 0.95 and d[-1] / d[-2] == pytest.approx(st["rate"], rel=1e-6)
    # the slowest component's characteristic polynomial, lambda_min = 1, has the same largest root
    poly = [1, -(1 + beta - lr), beta] if method == "heavy ball" else [1, -(1 + beta) * (1 - lr), beta * (1 - lr)]
    assert st["rate"] == pytest.approx(np.abs(np.roots(poly)).max(), rel=1e-12)


@pytest.mark.parametrize("method", ["heavy ball", "Nesterov"])
def test_momentum_rate_is_the_measured_shrinking_complex_roots(method):
    """At beta = 0.9 the roots are complex and the distance oscillates: compare the envelope
    (the largest distance over 40 steps, longer than one turn) 400 steps apart."""
    A, c = quadratic_bowl((1.0, 10.0), 30.0)
    st = descent_state(0.1, (1.0, 1.0), 800, A, c, method=method, beta=0.9)
    d = np.linalg.norm(st["path"], axis=1)
    measured = (d[760:800].max() / d[360:400].max()) ** (1 / 400)
    assert measured == pytest.approx(st["rate"], rel=2e-3)
    if method == "heavy ball":            # complex roots of chi^2 - a chi + beta: modulus sqrt(beta)
        assert st["rate"] == pytest.approx(np.sqrt(0.9), rel=1e-12)


@pytest.mark.parametrize("method, beta, limit", [("heavy ball", 0.5, 0.3), ("Nesterov", 0.5, 0.15),
                                                 ("heavy ball", 0.0, 0.2), ("Nesterov", 0.0, 0.2)])
def test_momentum_diverges_just_above_its_limit(method, beta, limit):
    """2 (1 + beta) / lambda_max for the heavy ball, 2 (1 + beta) / ((1 + 2 beta) lambda_max) for
    Nesterov (both 2 / lambda_max at beta = 0): the rate crosses 1 there and the path turns."""
    A, c = quadratic_bowl((1.0, 10.0), 30.0)
    assert descent_state(0.1, (1.0, 1.0), 1, A, c, method=method, beta=beta)["lr_max"] == pytest.approx(limit)
    below = descent_state(limit * 0.97, (1.0, 1.0), 400, A, c, method=method, beta=beta)
    above = descent_state(limit * 1.03, (1.0, 1.0), 400, A, c, method=method, beta=beta)
    start_loss = quadratic_loss(np.ones(2), A, c)
    assert below["rate"] < 1 < above["rate"]
    assert below["loss"] < 1e-3 * start_loss and above["loss"] > 1e3 * start_loss


def test_step_factor_of_plain_descent_is_the_two_by_two_matrix_at_beta_zero():
    lam = np.array([0.1, 1.0, 10.0, 19.0])
    np.testing.assert_allclose(step_factor(0.1, lam, "heavy ball", 0.0), np.abs(1 - 0.1 * lam), rtol=1e-12)
    np.testing.assert_allclose(step_factor(0.1, lam, "Nesterov", 0.0), np.abs(1 - 0.1 * lam), rtol=1e-12)


def test_kappa_100_valley_keeps_lambda_max():
    ex = DescentExplorer()
    assert ex.state()["kappa"] == 10.0 and ex.state()["method"] == "plain" and ex.state()["beta"] == 0.9
    before = ex.full_render()
    ex.control["kappa"].value = 100.0
    np.testing.assert_allclose(np.linalg.eigvalsh(ex.A), [0.1, 10.0], rtol=1e-12)
    np.testing.assert_allclose(np.linalg.eigvalsh(ex.bowl(10.0)[0]), [1.0, 10.0], rtol=1e-12)
    st = descent_state(0.1, (-4.0, 3.0), 20, *ex.bowl(100.0))
    assert st["kappa"] == pytest.approx(100.0) and ex.values()["lr_max"] == fmt(0.2)
    assert ex.values()["rate"] == fmt(st["rate"]) == fmt(0.99) and ex.values()["w"] == fmt(st["w"])
    after = ex.full_render()
    assert after != before and ex.image.value == after   # new contours, and the fast redraw shows them


def test_explorer_readout_names_the_method_and_follows_beta():
    ex = DescentExplorer()
    ex.control["method"].value = "Nesterov"
    ex.control["beta"].value = 0.5
    st = descent_state(0.1, (-4.0, 3.0), 20, ex.A, ex.c, method="Nesterov", beta=0.5)
    labels = {key: label for key, label, _ in ex.rows}
    assert "Nesterov" in labels["rate"] and "β" in labels["lr_max"]
    assert ex.values()["rate"] == fmt(st["rate"]) and ex.values()["lr_max"] == fmt(0.15)
    assert ex.values()["w"] == fmt(st["w"]) and ex.values()["loss"] == fmt(st["loss"])
    ex.control["method"].value = "plain"
    assert ex.values()["lr_max"] == fmt(0.2) and "η" in {k: lab for k, lab, _ in ex.rows}["rate"]


@pytest.mark.parametrize("call, words", [
    (lambda A, c: descent_state(0.1, (1.0, 1.0), 5, A, c, method="adam"), ("method", "'adam'", "Nesterov")),
    (lambda A, c: descent_state(0.1, (1.0, 1.0), 5, A, c, method="heavy ball", beta=1.0), ("beta", "[0, 1)", "1.0")),
    (lambda A, c: descent_state(0.1, (1.0, 1.0), 5, A, c, method="Nesterov", beta=-0.1), ("beta", "[0, 1)", "-0.1")),
    (lambda A, c: DescentExplorer(method="momentum"), ("method", "'momentum'")),
    (lambda A, c: DescentExplorer(kappa=50.0), ("kappa", "50.0")),
])
def test_bad_method_or_beta_is_refused_by_name(call, words):
    A, c = quadratic_bowl((1.0, 10.0), 30.0)
    with pytest.raises(ValueError) as info:
        call(A, c)
    for word in words:
        assert word in str(info.value)


def test_static_picture_shows_the_readout_in_two_columns():
    """Five short rows: three lines on the left, two on the right, each with text; another value
    draws other pixels."""
    from helpers.widgets._base import READOUT_LINE, readout_png

    from test_widgets_contract import _pixels, _readout_strip

    ex = DescentExplorer()
    rows, strip = _readout_strip(ex)
    assert len(rows) == 5 and strip.shape[0] == 3 * READOUT_LINE + READOUT_LINE // 2
    ink = strip[..., :3].min(axis=-1) < 128
    half = strip.shape[1] // 2
    band = [ink[READOUT_LINE // 4 + i * READOUT_LINE:READOUT_LINE // 4 + (i + 1) * READOUT_LINE] for i in range(3)]
    assert [b[:, :half].any() for b in band] == [True, True, True]
    assert [b[:, half:].any() for b in band] == [True, True, False]
    other = [(key, label, 0.5 if key == "rate" else value) for key, label, value in rows]
    width = ex.fig.get_figwidth()
    assert not np.array_equal(_pixels(readout_png(other, width, ex.fig.dpi)), strip)
    assert np.array_equal(_pixels(readout_png(rows, width, ex.fig.dpi)), strip)
