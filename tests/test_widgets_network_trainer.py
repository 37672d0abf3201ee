"""The network trainer of chapter 6: its training against `helpers.MLP`, its grid and its controls."""

import numpy as np
import pytest

from helpers import MLP
from helpers.data import moons, xor
from helpers.widgets.network_trainer import (
    NetworkTrainer,
    network_trainer_state,
    network_training,
    probability_grid,
    training_data,
)

pytestmark = pytest.mark.widgets


def test_network_trainer_matches_full_batch_gradient_descent_with_mlp():
    s = network_trainer_state(hidden=3, lr=2.0, epochs=20, data="moons", n=60, seed=1)
    X, y = moons(60, noise=0.15, seed=1)
    np.testing.assert_array_equal(s["X"], X)
    model = MLP([2, 3, 2], "sigmoid", seed=1)
    losses = []
    for _ in range(20):  # full batch: one step per epoch, loss measured before the step
        loss, grads = model.loss_and_grads(X, y)
        losses.append(loss)
        model.step(grads, 2.0)
    np.testing.assert_allclose(s["loss_history"], losses, rtol=1e-10)
    final_loss, accuracy = model.evaluate(X, y)
    assert s["final_loss"] == pytest.approx(final_loss, rel=1e-10)
    assert s["accuracy"] == accuracy
    for (W, b), (Ws, bs) in zip(model.params, s["model"].params):
        np.testing.assert_allclose(Ws, W, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(bs, b, rtol=1e-10, atol=1e-12)


def test_network_trainer_first_loss_is_that_of_the_untrained_network():
    s = network_trainer_state(hidden=5, lr=1.0, epochs=5, data="xor", n=80)
    X, y = xor(80, noise=0.25, seed=0)
    assert s["loss_history"][0] == pytest.approx(MLP([2, 5, 2], "sigmoid", seed=0).evaluate(X, y)[0], rel=1e-12)
    assert len(s["loss_history"]) == 5


def test_network_trainer_probability_grid_is_predict_proba():
    s = network_trainer_state(hidden=4, lr=5.0, epochs=50, n=60)
    xx, yy, proba = s["xx"], s["yy"], s["proba"]
    pts = np.column_stack([xx.ravel(), yy.ravel()])
    np.testing.assert_allclose(proba.ravel(), s["model"].predict_proba(pts)[:, 1], rtol=1e-12)
    assert np.all((proba >= 0) & (proba <= 1))
    x0, x1, y0, y1 = s["box"]
    assert xx.min() == x0 and xx.max() == x1 and yy.min() == y0 and yy.max() == y1
    assert x0 < s["X"][:, 0].min() and y1 > s["X"][:, 1].max()  # the data lie inside the grid
    # grid rows go up in y: row 0 is the bottom of the picture (imshow origin="lower")
    assert np.all(np.diff(yy[:, 0]) > 0)


def test_network_trainer_learns_moons_with_enough_units_but_not_with_one():
    wide = network_trainer_state(hidden=4, lr=5.0, epochs=300)
    one = network_trainer_state(hidden=1, lr=5.0, epochs=300)
    assert wide["accuracy"] == 1.0 and wide["final_loss"] < 0.1
    assert one["accuracy"] < 0.95  # one hidden unit: a straight boundary
    assert wide["loss_history"][-1] < wide["loss_history"][0]


def test_network_trainer_refuses_bad_inputs():
    with pytest.raises(ValueError, match="data"):
        training_data("spirals")
    with pytest.raises(ValueError, match="hidden"):
        network_trainer_state(hidden=0)
    with pytest.raises(ValueError, match="lr"):
        network_trainer_state(lr=-1.0, epochs=2)


def test_probability_grid_shape_follows_resolution():
    model = MLP([2, 3, 2], "sigmoid")
    xx, yy, proba = probability_grid(model, (-1.0, 1.0, -2.0, 2.0), resolution=7)
    assert xx.shape == yy.shape == proba.shape == (7, 7)


def test_network_trainer_readout_follows_the_controls():
    ex = NetworkTrainer(hidden=4, lr=5.0, epochs=50, data="moons")
    v = ex.values()
    assert v["n_params"] == str(2 * 4 + 4 + 4 * 2 + 2)
    ex.control["hidden"].value = 6
    ex.control["data"].value = "xor"
    assert ex.wait(timeout=120)
    v = ex.values()
    expected = network_trainer_state(hidden=6, lr=ex.state()["lr"], epochs=50, data="xor")
    assert float(v["final_loss"]) == pytest.approx(expected["final_loss"], rel=1e-6)
    assert float(v["accuracy"]) == pytest.approx(expected["accuracy"])
    assert float(v["first_loss"]) == pytest.approx(expected["loss_history"][0], rel=1e-6)
    # the artists were updated, not re-created
    np.testing.assert_allclose(ex._curve.get_ydata(), expected["loss_history"])
    np.testing.assert_allclose(ex._points.get_offsets(), expected["X"])


def test_network_training_in_chunks_equals_one_fit():
    """The trainer takes its steps 25 at a time (so that it can draw as it goes): the result is
    that of one full-batch fit."""
    X, y = training_data("xor", 100, 0)
    model = MLP([2, 5, 2], "sigmoid", seed=0)
    hist = model.fit(X, y, epochs=110, batch_size=len(X), lr=2.0, progress=False, shuffle=False)
    steps = list(network_training(hidden=5, lr=2.0, epochs=110, data="xor"))
    assert [len(s[3]) for s in steps] == [110] * 5  # one list of losses, growing 25 + 25 + 25 + 25 + 10
    trained, _, _, losses = steps[-1]
    np.testing.assert_array_equal(losses, hist["loss"])
    for (W, b), (W0, b0) in zip(trained.params, model.params):
        np.testing.assert_array_equal(W, W0)
        np.testing.assert_array_equal(b, b0)


def test_network_trainer_answers_at_once_and_trains_in_the_background():
    ex = NetworkTrainer(hidden=4, lr=5.0, epochs=300, data="moons")
    ex.control["epochs"].value = 600
    assert ex.values()["progress"].endswith("(training\u2026)")
    assert ex.wait(timeout=120)
    expected = network_trainer_state(hidden=4, lr=5.0, epochs=600, data="moons")
    assert ex.values()["progress"] == "600 of 600"
    assert float(ex.values()["final_loss"]) == pytest.approx(expected["final_loss"], rel=1e-6)
