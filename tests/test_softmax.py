"""Softmax, log-sum-exp, the softmax Jacobian and cross-entropy: identities and gradients."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import helpers as h
from _numeric import central_difference_error

pytestmark = pytest.mark.helpers

FINITE = st.floats(min_value=-1e4, max_value=1e4, allow_nan=False, allow_infinity=False)
SMALL = st.floats(min_value=-30, max_value=30, allow_nan=False, allow_infinity=False)


def logits_2d(elements=FINITE, max_n=6, max_c=7):
    return st.tuples(st.integers(1, max_n), st.integers(1, max_c)).flatmap(
        lambda shape: arrays(np.float64, shape, elements=elements)
    )


def logits_with_labels(elements=SMALL):
    def build(z):
        n, c = z.shape
        return st.tuples(st.just(z), arrays(np.int64, (n,), elements=st.integers(0, c - 1)))

    return logits_2d(elements).flatmap(build)


def logits_with_probs(elements=SMALL):
    def build(z):
        n, c = z.shape
        raw = arrays(np.float64, (n, c), elements=st.floats(0.0, 1.0))
        return st.tuples(st.just(z), raw.map(lambda r: (r + 1e-3) / (r + 1e-3).sum(axis=1, keepdims=True)))

    return logits_2d(elements).flatmap(build)


@given(logits_2d())
def test_softmax_rows_sum_to_one_and_lie_in_unit_interval(z):
    p = h.softmax(z)
    assert np.all(p >= 0) and np.all(p <= 1)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=0, atol=1e-12)


@given(logits_2d(), st.floats(-1e3, 1e3))
def test_softmax_is_shift_invariant(z, shift):
    np.testing.assert_allclose(h.softmax(z + shift), h.softmax(z), rtol=1e-9, atol=1e-12)


@given(logits_2d(SMALL))
def test_log_softmax_equals_log_of_softmax_where_finite(z):
    p = h.softmax(z)
    keep = p > 1e-300
    np.testing.assert_allclose(h.log_softmax(z)[keep], np.log(p[keep]), rtol=1e-10, atol=1e-10)


@given(logits_2d())
def test_logsumexp_matches_log_of_sum_of_exp_in_extended_precision(z):
    m = z.max(axis=1, keepdims=True)
    expected = (m + np.log(np.exp(z - m).sum(axis=1, keepdims=True)))[:, 0]
    np.testing.assert_allclose(h.logsumexp(z), expected, rtol=1e-12, atol=1e-12)
    assert h.logsumexp(z, keepdims=True).shape == (z.shape[0], 1)


def test_logsumexp_respects_axis():
    z = np.arange(12.0).reshape(3, 4)
    np.testing.assert_allclose(h.logsumexp(z, axis=0), np.log(np.exp(z).sum(axis=0)))
    np.testing.assert_allclose(h.softmax(z, axis=0).sum(axis=0), 1.0)


def test_softmax_of_huge_logits_is_finite_and_exact():
    p = h.softmax(np.array([1000.0, 2000.0, 3000.0]))
    assert np.all(np.isfinite(p))
    np.testing.assert_array_equal(p, [0.0, 0.0, 1.0])
    assert h.logsumexp(np.array([1000.0, 1000.0])) == pytest.approx(1000.0 + np.log(2.0))


def test_extreme_logits_give_finite_loss_and_gradient():
    z = np.array([[1e300, -1e300, 0.0], [-800.0, 800.0, 0.0]])
    y = np.array([1, 0])
    assert np.isfinite(h.cross_entropy(z, y))
    assert np.all(np.isfinite(h.cross_entropy_grad(z, y)))
    assert np.all(np.isfinite(h.log_softmax(z)))


@given(logits_2d(SMALL, max_n=3, max_c=5))
@settings(deadline=None)
def test_softmax_jacobian_matches_finite_differences(z):
    jac = h.softmax_jacobian(z)
    assert jac.shape == (z.shape[0], z.shape[1], z.shape[1])
    for n in range(z.shape[0]):
        row = z[n].copy()
        for i in range(z.shape[1]):  # row i of the Jacobian is the gradient of p_i
            assert central_difference_error(jac[n, i], lambda v, i=i: h.softmax(v)[i], row) <= 1e-7


@given(logits_2d(SMALL))
def test_softmax_jacobian_is_diag_p_minus_outer_p_and_rows_sum_to_zero(z):
    p = h.softmax(z)
    jac = h.softmax_jacobian(z)
    expected = np.stack([np.diag(pi) - np.outer(pi, pi) for pi in p])
    np.testing.assert_allclose(jac, expected, rtol=0, atol=1e-15)
    np.testing.assert_allclose(jac.sum(axis=-1), 0.0, atol=1e-15)
    np.testing.assert_allclose(jac, np.swapaxes(jac, -1, -2))
    assert h.softmax_jacobian(z[0]).shape == (z.shape[1], z.shape[1])


def test_diagonal_only_softmax_derivative_disagrees_with_finite_differences():
    z = np.array([0.5, -1.0, 2.0])
    y = np.array([0.0, 1.0, 0.0])
    p = h.softmax(z)
    dL_dp = -y / p
    wrong = dL_dp * p * (1 - p)  # only the i == j term of the Jacobian
    right = h.softmax_jacobian(z) @ dL_dp
    numeric = h.numerical_gradient(lambda v: h.cross_entropy(v, y), z.copy())
    assert h.relative_error(right, numeric) < 1e-8
    assert h.relative_error(wrong, numeric) > 0.1
    np.testing.assert_allclose(right, p - y, atol=1e-12)


@given(logits_with_labels())
@settings(deadline=None)
def test_cross_entropy_grad_matches_finite_differences_for_labels(data):
    z, y = data
    for reduction in ("mean", "sum"):
        grad = h.cross_entropy_grad(z, y, reduction)
        assert central_difference_error(grad, lambda v, r=reduction: h.cross_entropy(v, y, r), z.copy()) <= 1e-7


@given(logits_with_probs())
@settings(deadline=None)
def test_cross_entropy_grad_matches_finite_differences_for_probability_rows(data):
    z, t = data
    grad = h.cross_entropy_grad(z, t)
    assert central_difference_error(grad, lambda v: h.cross_entropy(v, t), z.copy()) <= 1e-7


@given(logits_with_labels())
def test_cross_entropy_with_labels_equals_with_one_hot_rows(data):
    z, y = data
    t = h.one_hot(y, z.shape[1])
    assert h.cross_entropy(z, y) == pytest.approx(h.cross_entropy(z, t), rel=1e-12, abs=1e-12)
    np.testing.assert_allclose(h.cross_entropy_grad(z, y), h.cross_entropy_grad(z, t), atol=1e-15)


@given(logits_with_labels())
def test_cross_entropy_equals_minus_log_softmax_of_true_class(data):
    z, y = data
    per_example = -h.log_softmax(z)[np.arange(len(y)), y]
    np.testing.assert_allclose(h.cross_entropy(z, y, "none"), per_example, rtol=1e-12, atol=1e-12)
    assert h.cross_entropy(z, y, "sum") == pytest.approx(per_example.sum(), rel=1e-12, abs=1e-12)
    assert h.cross_entropy(z, y) == pytest.approx(per_example.mean(), rel=1e-12, abs=1e-12)


def test_cross_entropy_grad_is_p_minus_y_over_n_for_the_mean():
    z = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    y = np.array([2, 0])
    expected = (h.softmax(z) - h.one_hot(y, 3)) / 2
    np.testing.assert_allclose(h.cross_entropy_grad(z, y), expected, atol=1e-15)
    np.testing.assert_allclose(h.cross_entropy_grad(z, y, "sum"), expected * 2, atol=1e-15)
    np.testing.assert_allclose(h.cross_entropy_grad(z, y, "none"), expected * 2, atol=1e-15)


def test_one_example_as_a_1d_vector():
    z = np.array([0.2, -0.3, 1.5])
    assert h.cross_entropy(z, 2) == pytest.approx(h.cross_entropy(z[None], np.array([2])))
    assert h.cross_entropy_grad(z, 2).shape == (3,)
    t = np.array([0.1, 0.1, 0.8])
    np.testing.assert_allclose(h.cross_entropy_grad(z, t), h.softmax(z) - t, atol=1e-15)
    assert np.ndim(h.cross_entropy(z, 1, reduction="none")) == 0


def test_soft_target_gradient_is_p_times_sum_t_minus_t():
    # targets that sum to 1 give p - t; the general formula is p * sum(t) - t
    z = np.array([[0.3, -1.2, 2.0, 0.0]])
    t = h.one_hot(np.array([1]), 4, smoothing=0.2)
    np.testing.assert_allclose(t.sum(), 1.0)
    np.testing.assert_allclose(h.cross_entropy_grad(z, t, "sum"), h.softmax(z) * t.sum() - t, atol=1e-15)


def test_one_hot_with_smoothing_puts_eps_over_c_off_target():
    t = h.one_hot(np.array([0, 2]), 4, smoothing=0.1)
    np.testing.assert_allclose(t[0], [0.925, 0.025, 0.025, 0.025])
    np.testing.assert_allclose(t.sum(axis=1), 1.0)


@pytest.mark.parametrize("fn", [h.softmax, h.log_softmax, h.softmax_jacobian, h.logsumexp])
def test_float32_stays_float32_and_integers_become_float64(fn):
    z32 = np.array([[1.0, 2.0, 3.0]], dtype=np.float32)
    assert fn(z32).dtype == np.float32
    assert fn(np.array([[1, 2, 3]])).dtype == np.float64


def test_cross_entropy_keeps_float32():
    z = np.array([[1.0, 2.0, 3.0]], dtype=np.float32)
    assert h.cross_entropy_grad(z, np.array([1])).dtype == np.float32
    assert h.cross_entropy(z, np.array([1])).dtype == np.float32
    t = np.array([[0.2, 0.3, 0.5]])  # float64 target does not promote float32 logits
    assert h.cross_entropy_grad(z, t).dtype == np.float32
