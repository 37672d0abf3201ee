"""helpers.MLP: its gradients, its training loop, its random streams and its dtypes (chapters 6-8)."""

import numpy as np
import pytest
import helpers as h
from _numeric import central_difference_error

pytestmark = pytest.mark.helpers


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


def _one_step_of_fit(model, X, y, lr, **kwargs):
    """The model after one full-batch step of fit (the rows in order)."""
    model.fit(X, y, epochs=1, batch_size=len(X), lr=lr, progress=False, shuffle=False, **kwargs)
    return model


@pytest.mark.parametrize("fast", [True, False])
def test_mlp_fit_with_weight_decay_steps_along_dW_plus_2_lambda_W(fast):
    """The penalty lambda sum ||W||_F^2 adds 2 lambda W to each dW and nothing to the biases' db."""
    rng = np.random.default_rng(2)
    X, y = rng.standard_normal((8, 3)), rng.integers(0, 3, 8)
    lam, lr = 0.05, 0.5
    fitted = _one_step_of_fit(h.MLP([3, 5, 3], seed=4), X, y, lr, weight_decay=lam, fast=fast)
    by_hand = h.MLP([3, 5, 3], seed=4)
    _, grads = by_hand.loss_and_grads(X, y)
    without_2 = [(W - lr * (dW + lam * W), b - lr * db) for (W, b), (dW, db) in zip(by_hand.params, grads)]
    by_hand.step([(dW + 2 * lam * W, db) for (dW, db), (W, _) in zip(grads, by_hand.params)], lr)
    for (Wf, bf), (Wh, bh), (W1, _) in zip(fitted.params, by_hand.params, without_2):
        np.testing.assert_allclose(Wf, Wh, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(bf, bh, rtol=1e-12, atol=1e-15)  # the biases unpenalised
        assert not np.allclose(Wf, W1, rtol=1e-6, atol=0)  # the negative control: lambda W for 2 lambda W is caught


@pytest.mark.parametrize("fast", [True, False])
def test_mlp_fit_without_weight_decay_takes_the_same_steps_bit_for_bit(fast):
    rng = np.random.default_rng(3)
    X, y = rng.standard_normal((23, 4)), rng.integers(0, 3, 23)
    kwargs = dict(epochs=3, batch_size=5, lr=0.3, progress=False, fast=fast)
    default, zero = h.MLP([4, 6, 3], seed=1), h.MLP([4, 6, 3], seed=1)
    history_default = default.fit(X, y, **kwargs)
    history_zero = zero.fit(X, y, weight_decay=0.0, **kwargs)
    assert history_default == history_zero
    for (Wd, bd), (Wz, bz) in zip(default.params, zero.params):
        assert np.array_equal(Wd, Wz) and np.array_equal(bd, bz)


def test_mlp_weight_decay_shrinks_the_weights_and_leaves_the_recorded_loss_unpenalised():
    X, y = h.data.moons(60, noise=0.1, seed=0)
    plain, decayed = h.MLP([2, 8, 2], seed=0), h.MLP([2, 8, 2], seed=0)
    plain.fit(X, y, epochs=30, batch_size=10, lr=1.0, progress=False)
    history = decayed.fit(X, y, epochs=30, batch_size=10, lr=1.0, progress=False, weight_decay=0.01)
    assert all(np.linalg.norm(Wd) < np.linalg.norm(Wp) for (Wd, _), (Wp, _) in zip(decayed.params, plain.params))
    # the last epoch's recorded loss is the cross-entropy alone, as evaluate measures it (here of the
    # weights after the epoch, so only close, not equal): far below what the penalty would add
    penalty = 0.01 * sum(np.sum(W**2) for W, _ in decayed.params)
    assert abs(history["loss"][-1] - decayed.evaluate(X, y)[0]) < penalty / 2


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


def test_mlp_seed_as_a_numpy_integer_is_the_same_seed_for_weights_and_orders():
    X, y = h.data.spirals(60, seed=2)
    runs = {}
    for seed in (3, np.int64(3), np.uint8(3), 0):
        model = h.MLP([2, 6, 3], seed=seed)
        history = model.fit(X, y, epochs=3, batch_size=7, lr=0.3, progress=False)
        runs[repr(seed)] = (history["loss"], [W.copy() for W, _ in model.params])
    same = [runs[k] for k in ("3", "np.int64(3)", "np.uint8(3)")]
    for loss, weights in same[1:]:
        assert loss == same[0][0]
        assert all(np.array_equal(a, b) for a, b in zip(weights, same[0][1]))
    assert runs["0"][0] != same[0][0]


def test_mlp_fit_continues_its_stream_of_visiting_orders_from_call_to_call():
    """Two calls of 1 and 2 epochs train exactly like one call of 3: the orders go on."""
    X, y = h.data.spirals(60, seed=2)
    one, parts = h.MLP([2, 6, 3], seed=4), h.MLP([2, 6, 3], seed=4)
    whole = one.fit(X, y, epochs=3, batch_size=7, lr=0.3, progress=False)
    first = parts.fit(X, y, epochs=1, batch_size=7, lr=0.3, progress=False)
    second = parts.fit(X, y, epochs=2, batch_size=7, lr=0.3, progress=False)
    assert first["loss"] + second["loss"] == whole["loss"]
    for (W1, b1), (W2, b2) in zip(one.params, parts.params):
        assert np.array_equal(W1, W2) and np.array_equal(b1, b2)
    restarted = h.MLP([2, 6, 3], seed=4)
    restarted.fit(X, y, epochs=1, batch_size=7, lr=0.3, progress=False)
    restarted._orders = np.random.default_rng(np.random.SeedSequence(4).spawn(1)[0])  # the old behaviour
    assert restarted.fit(X, y, epochs=2, batch_size=7, lr=0.3, progress=False)["loss"] != second["loss"]


def test_mlp_without_shuffling_draws_nothing_from_the_stream():
    X, y = h.data.spirals(60, seed=2)
    a, b = h.MLP([2, 6, 3], seed=1), h.MLP([2, 6, 3], seed=1)
    a.fit(X, y, epochs=2, batch_size=7, lr=0.3, progress=False, shuffle=False)
    assert a._orders.bit_generator.state == b._orders.bit_generator.state
    a.fit(X, y, epochs=1, batch_size=7, lr=0.3, progress=False)
    assert a._orders.bit_generator.state != b._orders.bit_generator.state


def test_mlp_seed_sequence_gives_the_same_model_each_time_it_is_passed():
    X, y = h.data.spirals(60, seed=2)
    seq = np.random.SeedSequence(7)
    runs = [h.MLP([2, 6, 3], seed=seq).fit(X, y, epochs=2, batch_size=7, lr=0.3, progress=False) for _ in range(2)]
    assert runs[0] == runs[1] == h.MLP([2, 6, 3], seed=7).fit(X, y, epochs=2, batch_size=7, lr=0.3, progress=False)
    assert seq.n_children_spawned == 0


@pytest.mark.parametrize("seed", [-1, 1.5, True, "0", np.random.default_rng(0)])
def test_mlp_refuses_a_seed_it_cannot_turn_into_a_seed_sequence(seed):
    with pytest.raises(ValueError, match="seed must be a non-negative int") as info:
        h.MLP([2, 3], seed=seed)
    assert repr(seed) in str(info.value)


def test_mlp_progress_bar_in_a_notebook_is_a_widget_with_a_readable_text(monkeypatch):
    from helpers import _progress

    shown = []
    monkeypatch.setattr(_progress, "in_notebook", lambda: True)
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append((obj, raw)))
    X, y = h.data.xor(20, seed=0)
    h.MLP([2, 4, 2]).fit(X, y, epochs=3, batch_size=5, lr=0.1, progress=True)
    (bundle, raw), = shown
    assert raw and bundle["text/plain"] == "training progress bar: 3 epochs (it moves while the cell runs)"
    assert "model_id" in bundle["application/vnd.jupyter.widget-view+json"]  # the live widget, for a running kernel
    bar = _progress.ProgressBar(4, "counting")
    bar.update(4, "done")
    bar.close()
    assert (bar._widget.value, bar._widget.max, bar._widget.bar_style, bar._label.value) == (4, 4, "success", "done")
    assert shown[-1][0]["text/plain"] == "counting progress bar: 4 steps (it moves while the cell runs)"


@pytest.mark.parametrize("soft", [False, True])
def test_evaluate_and_fit_count_a_tie_as_predict_reads_it(soft):
    """Equal logits are one prediction (the first class), not a hit for every tied class: a network
    whose weights are all zero scores the share of class 0, in evaluate and in fit's records alike."""
    labels = np.array([0, 1, 2, 0, 1, 2, 1])
    X = np.random.default_rng(0).standard_normal((7, 4))
    net = h.MLP([4, 3, 3], seed=0)
    for W, b in net.params:
        W[...] = 0.0
        b[...] = 0.0
    y = h.one_hot(labels, 3, smoothing=0.1) if soft else labels
    assert np.all(net.predict(X) == 0)
    assert net.evaluate(X, y)[1] == pytest.approx(2 / 7)  # two of the seven are class 0
    history = net.fit(X, y, epochs=1, batch_size=7, lr=1.0, progress=False)  # one batch, scored before its step
    assert history["accuracy"][0] == pytest.approx(2 / 7)
