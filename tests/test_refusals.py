"""Bad input gets a clear ValueError or TypeError naming the argument: one test per refusal rule."""

import numpy as np
import pytest

import helpers as h
from _refuse import refuses

pytestmark = pytest.mark.helpers

Z = np.array([[0.1, 0.2, 0.3], [1.0, -1.0, 0.0]])
Y = np.array([0, 2])


def test_labels_of_shape_n_by_1_are_refused():
    msg = refuses(ValueError, h.cross_entropy, Z, Y[:, None], names=("target", "(2, 1)"))
    assert "(2,)" in msg


def test_labels_out_of_range_are_refused():
    refuses(ValueError, h.cross_entropy, Z, np.array([0, 3]), names=("target", "3", "[0, 3)"))
    refuses(ValueError, h.cross_entropy_grad, Z, np.array([-1, 0]), names=("target", "-1"))


def test_mismatched_number_of_examples_is_refused():
    refuses(ValueError, h.cross_entropy, Z, np.array([0, 1, 2]), names=("target", "(2,)", "(3,)"))
    refuses(ValueError, h.cross_entropy, Z, h.one_hot(np.array([0, 1, 2]), 3), names=("target", "(2, 3)"))
    refuses(ValueError, h.dense_backward, np.ones((3, 2)), np.ones((4, 5)), np.ones((5, 2)), names=("dZ", "A_prev"))


def test_probability_rows_must_be_non_negative_and_sum_to_one():
    refuses(ValueError, h.cross_entropy, Z, np.array([[0.5, 0.5, 0.5], [1.0, 0.0, 0.0]]), names=("target", "sum to 1"))
    refuses(ValueError, h.cross_entropy, Z, np.array([[1.5, -0.5, 0.0], [1.0, 0.0, 0.0]]), names=("target", "non-negative"))


def test_float_labels_are_refused():
    refuses(TypeError, h.cross_entropy, Z, np.array([0.0, 2.0]), names=("target", "integer"))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_and_inf_inputs_are_refused(bad):
    z = Z.copy()
    z[0, 1] = bad
    for fn in (h.softmax, h.log_softmax, h.logsumexp, h.softmax_jacobian, h.sigmoid):
        refuses(ValueError, fn, z, names=("z", "finite"))
    refuses(ValueError, h.cross_entropy, z, Y, names=("logits", "finite"))
    refuses(ValueError, h.dense_forward, z, np.ones((3, 2)), np.zeros(2), names=("A_prev", "finite"))


def test_empty_batches_are_refused():
    refuses(ValueError, h.softmax, np.zeros((0, 3)), names=("z", "empty"))
    refuses(ValueError, h.cross_entropy, np.zeros((0, 3)), np.zeros(0, dtype=int), names=("logits", "empty"))
    refuses(ValueError, h.dense_forward, np.zeros((0, 3)), np.ones((3, 2)), np.zeros(2), names=("A_prev", "empty"))


@pytest.mark.parametrize(
    "value, kind",
    [(np.array([[1 + 2j, 0, 0]]), "complex"), (np.array([[object(), 1, 2]], dtype=object), "object"),
     (np.array([[True, False, True]]), "boolean"), ("abc", "str")],
)
def test_complex_object_boolean_and_string_arrays_are_refused(value, kind):
    msg = refuses(TypeError, h.softmax, value, names=("z",))
    assert kind in msg


def test_bias_that_would_broadcast_wrongly_is_refused():
    A = np.ones((4, 3))
    W = np.ones((3, 2))
    refuses(ValueError, h.dense_forward, A, W, np.zeros((2, 1)), names=("b", "(2,)", "(2, 1)"))
    refuses(ValueError, h.dense_forward, A, W, np.zeros((1, 2)), names=("b", "(1, 2)"))
    refuses(ValueError, h.dense_forward, A, W, np.zeros(3), names=("b",))


def test_weight_of_the_wrong_orientation_is_refused():
    refuses(ValueError, h.dense_forward, np.ones((4, 3)), np.ones((2, 3)), np.zeros(3), names=("W", "(2, 3)", "n_in = 3"))
    refuses(ValueError, h.dense_backward, np.ones((4, 2)), np.ones((4, 3)), np.ones((3, 5)), names=("W", "n_out = 2"))


def test_bad_reduction_and_axis_are_refused():
    refuses(ValueError, h.cross_entropy, Z, Y, reduction="avg", names=("reduction", "'avg'"))
    refuses(ValueError, h.softmax, Z, axis=2, names=("axis",))
    refuses(TypeError, h.softmax, Z, axis=1.0, names=("axis",))


def test_wrong_rank_is_refused():
    refuses(ValueError, h.softmax_jacobian, np.zeros((2, 2, 2)), names=("z", "1-D or 2-D"))
    refuses(ValueError, h.cross_entropy, np.zeros((2, 2, 2)), Y, names=("logits",))
    refuses(ValueError, h.softmax, np.float64(1.0), names=("z",))


def test_losses_refuse_mismatched_shapes_and_zero_vectors():
    refuses(ValueError, h.squared_error, np.ones((2, 3)), np.ones((3, 2)), names=("target", "(2, 3)"))
    refuses(ValueError, h.cosine_distance, np.zeros((1, 3)), np.ones((1, 3)), names=("pred", "zeros"))
    refuses(ValueError, h.hinge, Z, np.array([0, 5]), names=("labels",))
    refuses(ValueError, h.huber, Z, Z, delta=0.0, names=("delta",))


def test_mlp_refuses_bad_configuration_and_data():
    refuses(ValueError, h.MLP, [4], names=("layer_sizes",))
    refuses(ValueError, h.MLP, [4, 0, 2], names=("layer_sizes",))
    refuses(ValueError, h.MLP, [4, 3], hidden_activation="swish", names=("hidden_activation", "swish"))
    refuses(TypeError, h.MLP, [4, 3], dtype=np.int32, names=("dtype",))
    m = h.MLP([4, 3, 2])
    refuses(ValueError, m.forward, np.ones((5, 3)), names=("X", "(N, 4)"))
    refuses(ValueError, m.loss_and_grads, np.ones((5, 4)), np.zeros((5, 1), dtype=int), names=("y",))
    refuses(ValueError, m.fit, np.ones((5, 4)), np.zeros(5, dtype=int), epochs=0, names=("epochs",))
    refuses(ValueError, m.fit, np.ones((5, 4)), np.zeros(5, dtype=int), lr=-1.0, names=("lr",))
    for bad in (-1e-4, np.nan, np.inf, "1e-4", True, np.array([1e-4])):
        refuses(ValueError, m.fit, np.ones((5, 4)), np.zeros(5, dtype=int), weight_decay=bad,
                names=("weight_decay", repr(bad), "non-negative finite number"))
    refuses(ValueError, m.step, [(np.ones((4, 3)), np.ones(3))], 0.1, names=("grads",))


def test_numerical_gradient_refuses_non_float_arrays():
    refuses(TypeError, h.numerical_gradient, lambda x: 0.0, [1.0, 2.0], names=("x",))
    refuses(TypeError, h.numerical_gradient, lambda x: 0.0, np.array([1, 2]), names=("x", "int"))
    refuses(ValueError, h.relative_error, np.ones(3), np.ones(4), names=("a and b",))
    refuses(ValueError, h.normwise_error, np.ones((3, 1)), np.ones(3), names=("a and b",))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf, "inf and -inf"])
def test_nan_and_inf_in_a_large_training_set_are_refused_before_any_step(dtype, bad):
    """Large arrays take the row-sum path of the finiteness check; one bad entry must still be found."""
    rng = np.random.default_rng(0)
    X = rng.random((600, 120)).astype(dtype)  # 72,000 entries: above the size of the fast path
    if bad == "inf and -inf":  # a row whose infinities cancel to NaN in the sum
        X[417, 3], X[417, 90] = np.inf, -np.inf
    else:
        X[417, 88] = bad
    y = rng.integers(0, 3, 600)
    model = h.MLP([120, 4, 3], dtype=dtype)
    before = [W.copy() for W, _ in model.params]
    refuses(ValueError, model.fit, X, y, epochs=1, progress=False, names=("X", "finite"))
    refuses(ValueError, model.fit, np.asfortranarray(X), y, epochs=1, progress=False, names=("X", "finite"))
    assert all(np.array_equal(W, W0) for (W, _), W0 in zip(model.params, before))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_large_finite_arrays_whose_row_sums_overflow_are_accepted(dtype):
    """A finite array is accepted even when the sums the fast check forms overflow to inf."""
    big = np.finfo(dtype).max / 4
    X = np.full((300, 300), big, dtype=dtype)
    X[::2] *= -1  # rows of -big as well
    with np.errstate(over="raise", invalid="raise"):  # the check must not leak floating-point errors
        assert h._checks.all_finite(X)
        np.testing.assert_array_equal(h.dense_forward(X, np.zeros((300, 2), dtype), np.zeros(2, dtype)), 0.0)
