"""Activations, losses, the dense layer and the MLP: derivatives against central differences."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import helpers as h
from _numeric import central_difference_error

REAL = st.floats(-5, 5, allow_nan=False, allow_infinity=False)


def away_from_kinks(z, margin=1e-3):
    """Move points within ``margin`` of 0 away from it (relu and friends have a kink there)."""
    z = z.copy()
    near = np.abs(z) < margin
    z[near] = margin * np.where(z[near] >= 0, 2.0, -2.0)
    return z


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu"])
@given(z=arrays(np.float64, st.integers(1, 8), elements=REAL))
@settings(deadline=None)
def test_activation_grad_matches_finite_differences(name, z):
    f, df = h.ACTIVATIONS[name]
    z = away_from_kinks(z)
    for i in range(z.size):  # element-wise: each output depends on its own input only
        x = z[i : i + 1].copy()
        assert central_difference_error(df(x), lambda v: float(f(v)[0]), x) <= 1e-7
    off = h.numerical_gradient(lambda v: f(v)[0], z.copy())[1:]  # the Jacobian is diagonal
    assert np.all(off == 0.0)


def test_sigmoid_does_not_overflow_at_plus_minus_800():
    z = np.array([-800.0, -40.0, 0.0, 40.0, 800.0])
    s = h.sigmoid(z)
    assert np.all(np.isfinite(s)) and s[0] == 0.0 and s[-1] == 1.0 and s[2] == 0.5
    assert np.all(np.isfinite(h.sigmoid_grad(z)))
    np.testing.assert_allclose(h.sigmoid(np.array([-3.0, 3.0])), 1 / (1 + np.exp([3.0, -3.0])), rtol=1e-15)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_is_quiet_and_keeps_full_precision_where_it_is_tiny(dtype):
    tiny = np.finfo(dtype).tiny
    lowest = np.log(np.finfo(dtype).smallest_subnormal) - 2.0  # sigma(z) is about exp(z): below it, 0
    z = np.concatenate([np.linspace(lowest, 40.0, 4001), [-800.0, 800.0]]).astype(dtype)
    with np.errstate(all="raise"):  # no floating-point error may escape
        s = h.sigmoid(z)
    exact = 1.0 / (1.0 + np.exp(-z.astype(np.longdouble)))
    normal = exact >= tiny
    assert np.max(np.abs(s[normal] - exact[normal]) / exact[normal]) <= 2 * np.finfo(dtype).eps
    # below the normal numbers the result is exact to within two steps of the subnormal numbers
    assert np.max(np.abs(s[~normal] - exact[~normal])) <= 2 * np.finfo(dtype).smallest_subnormal
    assert s[-2] == 0.0 and s[-1] == 1.0 and s.dtype == dtype
    assert h.sigmoid(dtype(0.0)) == 0.5 and h.sigmoid(dtype(0.0)).shape == ()


def test_activation_derivatives_at_known_points():
    assert h.sigmoid_grad(np.array([0.0]))[0] == 0.25
    assert h.tanh_grad(np.array([0.0]))[0] == 1.0
    np.testing.assert_array_equal(h.relu_grad(np.array([-1.0, 0.0, 2.0])), [0.0, 0.0, 1.0])
    np.testing.assert_allclose(h.leaky_relu_grad(np.array([-1.0, 2.0]), slope=0.1), [0.1, 1.0])


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


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("soft", [False, True])
def test_mlp_loss_and_grads_match_finite_differences(activation, soft):
    rng = np.random.default_rng(3)
    model = h.MLP([4, 6, 5, 3], hidden_activation=activation, seed=2)
    X = rng.standard_normal((7, 4))
    y = rng.integers(0, 3, 7)
    target = h.one_hot(y, 3, smoothing=0.1) if soft else y
    loss, grads = model.loss_and_grads(X, target)
    assert loss == pytest.approx(h.cross_entropy(model.forward(X), target), rel=1e-12)
    for (W, b), (dW, db) in zip(model.params, grads):
        for analytic, x in ((dW, W), (db, b)):
            assert central_difference_error(analytic, lambda _: model.loss_and_grads(X, target)[0], x) <= 1e-7


def test_mlp_backward_equals_dense_backward_with_the_delta_recursion():
    rng = np.random.default_rng(0)
    model = h.MLP([3, 4, 2], seed=1)
    X, y = rng.standard_normal((5, 3)), rng.integers(0, 2, 5)
    (W1, b1), (W2, b2) = model.params
    Z1 = h.dense_forward(X, W1, b1)
    A1 = h.sigmoid(Z1)
    Z2 = h.dense_forward(A1, W2, b2)
    dZ2 = h.cross_entropy_grad(Z2, y)
    dA1, dW2, db2 = h.dense_backward(dZ2, A1, W2)
    dZ1 = dA1 * h.sigmoid_grad(Z1)
    _, dW1, db1 = h.dense_backward(dZ1, X, W1)
    _, grads = model.loss_and_grads(X, y)
    for got, want in zip([g for pair in grads for g in pair], [dW1, db1, dW2, db2]):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_mlp_with_saturated_sigmoid_units_gives_finite_loss_and_gradients(dtype):
    """Pre-activations of +-800 saturate the hidden units: no overflow, no NaN, no division by
    zero (underflow to subnormal numbers or 0 is what saturation means, and allowed)."""
    model = h.MLP([1, 3, 2], dtype=dtype)
    (W1, b1), (W2, b2) = model.params
    W1[:] = [[1.0, -1.0, 0.5]]
    X = np.array([[-800.0], [-100.0], [-30.0], [0.0], [30.0], [100.0], [800.0]], dtype)
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        logits = model.forward(X)
        loss, grads = model.loss_and_grads(X, np.array([0, 1, 0, 1, 0, 1, 0]))
    A1 = h.sigmoid(h.dense_forward(X, W1, b1))
    assert A1.min() == 0.0 and A1.max() == 1.0  # saturated indeed
    np.testing.assert_array_equal(logits, h.dense_forward(A1, W2, b2))
    assert np.isfinite(loss) and all(np.all(np.isfinite(g)) for pair in grads for g in pair)


def test_mlp_step_moves_params_against_the_gradient_in_place():
    model = h.MLP([2, 3, 2], seed=0)
    W_ref = model.params[0][0]
    before = W_ref.copy()
    X, y = np.array([[1.0, -1.0], [0.5, 2.0]]), np.array([0, 1])
    loss0, grads = model.loss_and_grads(X, y)
    model.step(grads, lr=0.1)
    assert model.params[0][0] is W_ref
    np.testing.assert_allclose(W_ref, before - 0.1 * grads[0][0])
    assert model.loss_and_grads(X, y)[0] < loss0


def test_mlp_fit_step_equals_loss_and_grads_then_step():
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((8, 3)), rng.integers(0, 3, 8)
    a = h.MLP([3, 5, 3], seed=4)
    b = h.MLP([3, 5, 3], seed=4)
    a.fit(X, y, epochs=1, batch_size=8, lr=0.5, progress=False, shuffle=False)
    _, grads = b.loss_and_grads(X, y)
    b.step(grads, 0.5)
    for (Wa, ba), (Wb, bb) in zip(a.params, b.params):
        np.testing.assert_allclose(Wa, Wb, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(ba, bb, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("soft", [False, True])
@pytest.mark.parametrize("shuffle", [False, True])
def test_mlp_fit_equals_a_replay_with_evaluate_loss_and_grads_and_step(activation, soft, shuffle):
    """fit = for each batch: record loss and accuracy, then one step; here 23 rows in batches of 5,
    so the last batch is short, through two hidden layers."""
    rng = np.random.default_rng(7)
    X, y = rng.standard_normal((23, 4)), rng.integers(0, 3, 23)
    target = h.one_hot(y, 3, smoothing=0.2) if soft else y
    fitted = h.MLP([4, 6, 5, 3], hidden_activation=activation, seed=3)
    replay = h.MLP([4, 6, 5, 3], hidden_activation=activation, seed=3)
    history = fitted.fit(X, target, epochs=3, batch_size=5, lr=0.3, shuffle=shuffle, progress=False)
    orders = np.random.default_rng(np.random.SeedSequence(3).spawn(1)[0])  # the documented source of the orders
    for epoch in range(3):
        order = orders.permutation(23) if shuffle else np.arange(23)
        loss_sum, hits = 0.0, 0
        for start in range(0, 23, 5):
            rows = order[start : start + 5]
            loss, accuracy = replay.evaluate(X[rows], target[rows])
            loss_sum += loss * rows.size
            hits += round(accuracy * rows.size)
            replay.step(replay.loss_and_grads(X[rows], target[rows])[1], 0.3)
        assert history["loss"][epoch] == pytest.approx(loss_sum / 23, rel=1e-12)
        assert history["accuracy"][epoch] == hits / 23
    for (Wf, bf), (Wr, br) in zip(fitted.params, replay.params):
        np.testing.assert_allclose(Wf, Wr, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(bf, br, rtol=1e-12, atol=1e-14)


def test_mlp_learns_moons_and_history_has_one_entry_per_epoch():
    X, y = h.data.moons(200, noise=0.1, seed=0)
    model = h.MLP([2, 16, 2], hidden_activation="tanh", seed=0)
    hist = model.fit(X, y, epochs=60, batch_size=16, lr=0.5, progress=False, X_val=X, y_val=y)
    assert len(hist["loss"]) == 60 and len(hist["val_accuracy"]) == 60
    assert hist["loss"][-1] < hist["loss"][0] / 3
    assert np.mean(model.predict(X) == y) > 0.95
    assert hist["val_accuracy"][-1] == pytest.approx(np.mean(model.predict(X) == y))


def test_mlp_fit_is_reproducible_from_its_seed():
    X, y = h.data.spirals(90, seed=1)
    runs = [h.MLP([2, 8, 3], seed=5).fit(X, y, epochs=3, batch_size=10, lr=0.3, progress=False) for _ in range(2)]
    assert runs[0] == runs[1]


def test_mlp_float32_stays_float32():
    model = h.MLP([4, 5, 3], dtype=np.float32)
    X = np.ones((2, 4))
    assert model.forward(X).dtype == np.float32
    _, grads = model.loss_and_grads(X, np.array([0, 1]))
    assert all(g.dtype == np.float32 for pair in grads for g in pair)


def test_mlp_progress_bar_writes_one_line_in_a_terminal(capsys):
    X, y = h.data.xor(20, seed=0)
    h.MLP([2, 4, 2]).fit(X, y, epochs=2, batch_size=5, lr=0.1, progress=True)
    err = capsys.readouterr().err
    assert "2/2" in err and "loss" in err


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


@pytest.mark.parametrize("maker", [h.data.linearly_separable, h.data.xor, h.data.moons, h.data.spirals, h.data.blobs])
def test_toy_data_sets_are_reproducible_and_shaped(maker):
    X1, y1 = maker(seed=3)
    X2, y2 = maker(seed=3)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert X1.ndim == 2 and X1.shape[1] == 2 and y1.shape == (X1.shape[0],) and y1.dtype == np.int64


def test_linearly_separable_data_is_separated_by_the_line_with_a_margin():
    X, y = h.data.linearly_separable(200, margin=0.5, seed=0)
    dist = (X[:, 0] + X[:, 1]) / np.sqrt(2)
    assert np.all(np.abs(dist) > 0.5) and np.all((dist > 0) == (y == 1))


def test_digits_split_is_stratified_and_disjoint():
    d = h.data.load_digits_split(val_size=0.15, test_size=0.25, seed=0)
    n = len(d["y_train"]) + len(d["y_val"]) + len(d["y_test"])
    assert n == 1797 and d["X_train"].shape[1] == 64 and d["X_train"].max() <= 1.0
    fractions = np.bincount(d["y_test"]) / len(d["y_test"])
    assert np.all(np.abs(fractions - 0.1) < 0.02)


def test_activation_derivatives_keep_relative_precision_far_from_zero():
    z = np.array([5.0, 15.0, 30.0, 100.0, 300.0])
    # independent closed forms that involve no cancellation at these z
    np.testing.assert_allclose(h.sigmoid_grad(z), np.exp(-z) / (1 + np.exp(-z)) ** 2, rtol=1e-13)
    np.testing.assert_allclose(h.sigmoid_grad(-z), h.sigmoid_grad(z), rtol=0)
    np.testing.assert_allclose(h.tanh_grad(z), 1 / np.cosh(z) ** 2, rtol=1e-13)
    np.testing.assert_allclose(h.sigmoid(-z), np.exp(-z) / (1 + np.exp(-z)), rtol=1e-14)
