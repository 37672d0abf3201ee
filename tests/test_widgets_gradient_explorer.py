"""The gradient explorer of chapter 7 (a 2-3-3 network): its backward pass and its controls."""

import numpy as np
import pytest

from helpers import MLP, numerical_gradient, relative_error
from helpers.widgets.gradient_explorer import (
    GradientExplorer,
    default_params,
    gradient_explorer_state,
    network_loss,
)

pytestmark = pytest.mark.widgets

X = np.array([0.7, -1.3])
WEIGHTS = [(1, 0, 0), (1, 1, 2), (2, 0, 1), (2, 2, 2)]


def _copy(params):
    return [(W.copy(), b.copy()) for W, b in params]


@pytest.mark.parametrize("label", [0, 1, 2])
def test_gradient_explorer_gradients_match_mlp(label):
    params = default_params()
    out = gradient_explorer_state(X, label, params)
    net = MLP([2, 3, 3], hidden_activation="sigmoid")
    for (W, b), (W0, b0) in zip(net.params, params):
        W[...] = W0
        b[...] = b0
    loss, grads = net.loss_and_grads(X[None, :], np.array([label]))
    assert out["loss"] == pytest.approx(loss, rel=1e-12)
    for mine, theirs in zip([(out["dW1"], out["db1"]), (out["dW2"], out["db2"])], grads):
        np.testing.assert_allclose(mine[0], theirs[0], rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(mine[1], theirs[1], rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("weight", WEIGHTS)
def test_gradient_explorer_weight_gradient_matches_finite_differences(weight):
    params = _copy(default_params())
    out = gradient_explorer_state(X, 1, params, weight)
    layer, i, j = weight
    W = params[layer - 1][0]
    numeric = numerical_gradient(lambda _: network_loss(X, 1, params), W)
    assert relative_error(out["dW1" if layer == 1 else "dW2"], numeric) < 1e-7
    assert out["gradient"] == pytest.approx(numeric[i, j], rel=1e-6, abs=1e-12)


def test_gradient_explorer_hidden_delta_includes_sigma_prime():
    params = default_params()
    out = gradient_explorer_state(X, 0, params)
    W2 = params[1][0]
    without_sigma_prime = out["delta2"] @ W2.T
    a1 = out["a1"]
    np.testing.assert_allclose(out["delta1"], without_sigma_prime * a1 * (1 - a1), rtol=1e-12)
    assert relative_error(out["delta1"], without_sigma_prime) > 0.5


@pytest.mark.parametrize("weight", WEIGHTS)
def test_gradient_explorer_prediction_error_shrinks_like_eps_squared(weight):
    params = default_params()
    errors = []
    for eps in (1e-1, 1e-2):
        out = gradient_explorer_state(X, 2, params, weight, eps)
        errors.append(abs(out["actual"] - out["predicted"]))
        assert out["predicted"] == pytest.approx(out["gradient"] * eps, rel=1e-15)
    assert errors[1] < errors[0] / 30  # second order: 100 times smaller, allowing some slack


def test_gradient_explorer_state_does_not_modify_params():
    params = default_params()
    before = _copy(params)
    gradient_explorer_state(X, 0, params, (1, 1, 1), 0.5)
    for (W, b), (W0, b0) in zip(params, before):
        np.testing.assert_array_equal(W, W0)
        np.testing.assert_array_equal(b, b0)


def test_gradient_explorer_curve_passes_through_current_loss():
    out = gradient_explorer_state(X, 0, default_params(), (2, 1, 0), 0.01, span=1.0, n_curve=41)
    mid = len(out["curve_w"]) // 2
    assert out["curve_w"][mid] == pytest.approx(out["value"])
    assert out["curve_loss"][mid] == pytest.approx(out["loss"], rel=1e-12)


def test_gradient_explorer_weight_slider_changes_weight_and_readout():
    ex = GradientExplorer()
    ex.control["weight"].value = (1, 1, 2)
    assert ex.control["value"].value == pytest.approx(default_params()[0][0][1, 2])
    ex.control["value"].value = 1.25
    assert ex.params[0][0][1, 2] == 1.25
    ex.control["x"][0].value = -0.5
    ex.control["eps"].value = 0.1
    st = ex.state()
    out = gradient_explorer_state(st["x"], st["label"], ex.params, (1, 1, 2), st["eps"])
    values = ex.values()
    assert float(values["loss"]) == pytest.approx(out["loss"], rel=1e-7)
    assert float(values["gradient"]) == pytest.approx(out["gradient"], rel=1e-7)
    assert float(values["predicted"]) == pytest.approx(out["gradient"] * 0.1, rel=1e-7)
    assert float(values["actual"]) == pytest.approx(out["actual"], rel=1e-7)
    dW1 = np.array([[float(v) for v in row.split()] for row in values["dW1"].split(";")])
    np.testing.assert_allclose(dW1, out["dW1"], rtol=1e-7, atol=1e-12)


def test_gradient_explorer_choosing_another_weight_keeps_the_old_one():
    ex = GradientExplorer()
    ex.control["value"].value = -2.0  # moves W2[0,0]
    ex.control["weight"].value = (2, 1, 1)  # the slider now shows W2[1,1] and must not overwrite it
    assert ex.params[1][0][0, 0] == -2.0
    assert ex.params[1][0][1, 1] == default_params()[1][0][1, 1]
    assert ex.control["value"].value == pytest.approx(default_params()[1][0][1, 1])


def test_gradient_explorer_slider_shows_every_weight_exactly_and_one_step_moves_it_by_0_01():
    """The first touch of the weight slider changes the weight by one step of the slider, for
    every weight (the default W2[0,0] = 3.99 once lay outside the slider and jumped by about 1)."""
    ex = GradientExplorer()
    slider = ex.control["value"]
    for layer, (W, _) in enumerate(default_params(), start=1):
        for (i, j), w in np.ndenumerate(W):
            ex.control["weight"].value = (layer, i, j)
            assert slider.min <= w <= slider.max and slider.value == w
            before = ex.values()["loss"]
            slider.value = round(w - slider.step, 2) if w - slider.step >= slider.min else round(w + slider.step, 2)
            assert abs(ex.params[layer - 1][0][i, j] - w) == pytest.approx(slider.step)
            assert abs(float(ex.values()["loss"]) - float(before)) < 0.02
            slider.value = w  # back, for the next weight


def test_gradient_explorer_refuses_weights_its_slider_cannot_show():
    params = default_params()
    params[1][0][0, 0] = 4.5
    with pytest.raises(ValueError, match=r"W2\[0,0\] = 4.5"):
        GradientExplorer(params)
