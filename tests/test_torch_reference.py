"""helpers.MLP's hand-written backward pass against PyTorch's autograd (skipped without PyTorch)."""

import numpy as np
import pytest

from helpers import MLP, one_hot, relative_error
from helpers.torch_reference import torch_loss_and_grads, torch_sgd_step

pytestmark = pytest.mark.helpers

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("soft", [False, True])
def test_mlp_loss_and_grads_match_torch_autograd_float64(activation, soft):
    rng = np.random.default_rng(3)
    X = rng.standard_normal((20, 7))
    y = rng.integers(0, 4, size=20)
    target = one_hot(y, 4, smoothing=0.1) if soft else y
    model = MLP([7, 6, 5, 4], hidden_activation=activation, seed=1)
    loss, grads = model.loss_and_grads(X, target)
    t_loss, t_grads = torch_loss_and_grads(model.params, X, target, activation)
    assert abs(loss - t_loss) <= 1e-10 * max(1.0, abs(t_loss))
    for (dW, db), (tW, tb) in zip(grads, t_grads):
        assert np.max(np.abs(dW - tW)) < 1e-10 and relative_error(dW, tW) < 1e-8
        assert np.max(np.abs(db - tb)) < 1e-10


def test_torch_reference_detects_a_wrong_gradient():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((10, 5))
    y = rng.integers(0, 3, size=10)
    model = MLP([5, 4, 3], seed=0)
    _, grads = model.loss_and_grads(X, y)
    _, t_grads = torch_loss_and_grads(model.params, X, y)
    wrong = grads[0][0] * 1.01
    assert np.max(np.abs(wrong - t_grads[0][0])) > 1e-10


@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
def test_pytorch_weight_decay_is_twice_the_mlp_penalty(activation):
    """MLP.fit(weight_decay=lam) penalises lam ||W||^2, whose gradient is 2 lam W: PyTorch's weight_decay=2 lam."""
    rng = np.random.default_rng(4)
    X, y = rng.random((12, 6)), rng.integers(0, 3, size=12)
    fitted = MLP([6, 5, 3], hidden_activation=activation, seed=2)
    start = [(W.copy(), b.copy()) for W, b in fitted.params]
    untouched = [(W.copy(), b.copy()) for W, b in start]
    fitted.fit(X, y, epochs=1, batch_size=12, lr=0.5, weight_decay=0.01, shuffle=False, progress=False)
    for decay, same in ((0.02, True), (0.01, False)):
        stepped = torch_sgd_step(start, X, y, 0.5, decay, activation)
        close = all(np.allclose(a, b, rtol=1e-12, atol=1e-15) for pair, fit_pair in zip(stepped, fitted.params)
                    for a, b in zip(pair, fit_pair))
        assert close == same
    assert all(np.array_equal(a, b) for pair, pair_0 in zip(start, untouched) for a, b in zip(pair, pair_0))  # params kept
