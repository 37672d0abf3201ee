"""helpers.mlp_fast takes the steps of the reference helpers.MLP, up to rounding: kernel by kernel,
and over whole training runs (hypothesis draws the network, the data and the schedule)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import helpers as h
from helpers import mlp_fast

pytestmark = pytest.mark.helpers

TOL = {np.float64: dict(rtol=1e-9, atol=1e-12), np.float32: dict(rtol=2e-3, atol=2e-5)}


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_activation_kernels_equal_the_public_functions(name, dtype):
    Z = np.concatenate([np.linspace(-30, 30, 121), [-800.0, -100.0, 100.0, 800.0]]).astype(dtype).reshape(5, 25)
    f, f_grad = h.ACTIVATIONS[name]
    A, b = np.empty_like(Z), np.linspace(-1, 1, 25).astype(dtype)
    Z_without_b = (Z - b).astype(dtype)
    Z = Z_without_b + b  # what the kernel sees, rounded as it rounds
    with np.errstate(all="raise"):
        mlp_fast.bias_activation_inplace(name, Z_without_b, b, A)
    np.testing.assert_allclose(A, f(Z), rtol=4 * np.finfo(dtype).eps, atol=np.finfo(dtype).tiny)
    upstream = np.random.default_rng(0).standard_normal(Z.shape).astype(dtype)
    dA = upstream.copy()
    mlp_fast.times_activation_grad_inplace(name, dA, A, np.empty_like(Z))
    # written through the output a, f' = a (1 - a) or 1 - a^2 carries the rounding of a: an
    # absolute error of a few eps, not a relative one
    assert np.all(np.abs(dA - upstream * f_grad(Z)) <= 4 * np.finfo(dtype).eps * np.abs(upstream))


@pytest.mark.parametrize("soft", [False, True])
def test_softmax_cross_entropy_kernel_equals_the_public_functions(soft):
    rng = np.random.default_rng(1)
    Z = rng.standard_normal((9, 4)) * 5
    Z[0] = [3.0, 3.0, -1.0, 0.0]  # a tie for the largest logit
    y = rng.integers(0, 4, 9)
    y[0] = 1
    target = h.one_hot(y, 4, smoothing=0.2) if soft else y
    P = np.empty_like(Z)
    loss_sum, hits = mlp_fast.softmax_cross_entropy_grad_inplace(Z.copy(), target, P, np.arange(9))
    assert loss_sum == pytest.approx(h.cross_entropy(Z, target, reduction="sum"), rel=1e-13)
    np.testing.assert_allclose(P, h.cross_entropy_grad(Z, target, reduction="sum"), rtol=1e-13, atol=1e-15)
    true_class = np.argmax(target, axis=1) if soft else y
    assert hits == np.sum(np.argmax(Z, axis=1) == true_class) and hits >= 1


@given(
    sizes=st.lists(st.integers(1, 6), min_size=2, max_size=4),
    n=st.integers(1, 30),
    batch_size=st.integers(1, 12),
    activation=st.sampled_from(["sigmoid", "tanh", "relu"]),
    soft=st.booleans(),
    shuffle=st.booleans(),
    dtype=st.sampled_from([np.float64, np.float32]),
    seed=st.integers(0, 2**32 - 1),
    weight_decay=st.sampled_from([0.0, 0.01]),
)
def test_fast_fit_takes_the_reference_steps(sizes, n, batch_size, activation, soft, shuffle, dtype, seed,
                                            weight_decay):
    sizes[-1] = max(sizes[-1], 2)  # at least two classes
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, sizes[0]))
    y = rng.integers(0, sizes[-1], n)
    target = h.one_hot(y, sizes[-1], smoothing=0.1) if soft else y
    fast, reference = (h.MLP(sizes, activation, seed=seed, dtype=dtype) for _ in range(2))
    kwargs = dict(epochs=2, batch_size=batch_size, lr=0.2, progress=False, shuffle=shuffle, weight_decay=weight_decay)
    history_fast = fast.fit(X, target, fast=True, **kwargs)
    history_reference = reference.fit(X, target, fast=False, **kwargs)
    np.testing.assert_allclose(history_fast["loss"], history_reference["loss"], **TOL[dtype])
    for (Wf, bf), (Wr, br) in zip(fast.params, reference.params):
        assert Wf.dtype == Wr.dtype == dtype
        np.testing.assert_allclose(Wf, Wr, **TOL[dtype])
        np.testing.assert_allclose(bf, br, **TOL[dtype])
    if dtype == np.float64:
        assert history_fast["accuracy"] == history_reference["accuracy"]


def test_fast_fit_would_notice_a_wrong_step():
    """The comparison above bites: a fast loop with the hidden layer's sigma' left out differs."""
    X, y = h.data.spirals(40, seed=0)
    right, wrong = h.MLP([2, 5, 3], seed=0), h.MLP([2, 5, 3], seed=0)
    right.fit(X, y, epochs=1, batch_size=8, lr=0.5, progress=False, fast=False)
    original = mlp_fast.times_activation_grad_inplace
    try:
        mlp_fast.times_activation_grad_inplace = lambda name, dA, A, tmp: None
        wrong.fit(X, y, epochs=1, batch_size=8, lr=0.5, progress=False, fast=True)
    finally:
        mlp_fast.times_activation_grad_inplace = original
    assert not np.allclose(right.params[0][0], wrong.params[0][0], **TOL[np.float64])
