"""The paired gap, the sign-flip test and Holm's correction, each against an independent route."""

import re

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy import stats as sps

from helpers.stats import holm, paired_gap, sign_flip_p

pytestmark = pytest.mark.helpers


def _enumerated_p(summed):
    """The sign-flip p-value by listing every one of the 2**k sign patterns of the k nonzero entries."""
    sizes = np.abs(summed[summed != 0]).astype(np.int64)
    k = len(sizes)
    signs = 1 - 2 * ((np.arange(2**k)[:, None] >> np.arange(k)) & 1)  # (2**k, k) of +1 and -1
    as_far = np.count_nonzero(np.abs(signs @ sizes) >= abs(int(summed.sum())))
    return as_far / 2**k


small_integer_vectors = st.lists(st.integers(-6, 6), min_size=0, max_size=14).map(lambda v: np.array(v, dtype=np.int64))


# --- sign_flip_p -------------------------------------------------------------------------------

@given(small_integer_vectors)
def test_sign_flip_p_equals_the_share_of_all_sign_patterns(summed):
    assert sign_flip_p(summed) == _enumerated_p(summed)  # both are a count over 2**k: exactly equal


@given(small_integer_vectors)
def test_sign_flip_p_is_a_probability_unchanged_by_flipping_every_sign(summed):
    p = sign_flip_p(summed)
    assert 0 < p <= 1
    assert sign_flip_p(-summed) == p


@given(small_integer_vectors, st.integers(0, 5), st.randoms(use_true_random=False))
def test_sign_flip_p_ignores_zeros_and_the_order_of_the_images(summed, n_zeros, rng):
    shuffled = list(summed) + [0] * n_zeros
    rng.shuffle(shuffled)
    assert sign_flip_p(np.array(shuffled, dtype=np.int64)) == sign_flip_p(summed)


@pytest.mark.parametrize("summed, expected", [
    ([1, 1, 1], 2 / 8),            # only +++ and --- lie as far from 0 as 3
    ([3, 0, 0], 1.0),              # one image: +3 and -3 both lie as far
    ([0, 0, 0, 0], 1.0),           # no image differs
    ([], 1.0),                     # no image at all
    ([1, -1], 1.0),                # a total of 0: every pattern is as far
    ([2, 1], 2 / 4),               # totals 3, 1, -1, -3: two of four reach 3 in size
    ([1, 1, 1, 1, 1], 2 / 32),
])
def test_sign_flip_p_by_hand(summed, expected):
    assert sign_flip_p(np.array(summed, dtype=np.int64)) == expected


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint64])
def test_sign_flip_p_takes_every_integer_dtype(dtype):
    assert sign_flip_p(np.array([1, 1, 1], dtype=dtype)) == 2 / 8


def test_sign_flip_p_takes_a_list_of_ints():
    assert sign_flip_p([1, -2, 0, 3]) == sign_flip_p(np.array([1, -2, 0, 3]))


def test_sign_flip_p_takes_the_most_negative_int8():
    assert sign_flip_p(np.array([-128, -128, -128], dtype=np.int8)) == 2 / 8  # np.abs(int8(-128)) would be -128


@pytest.mark.parametrize("n_plus", [100, 107, 115, 130, 160, 200])
def test_sign_flip_p_on_200_images_is_mcnemars_exact_test(n_plus):
    """With one +1 or -1 per image the test counts the +1s: a two-sided binomial test at 1/2."""
    summed = np.array([1] * n_plus + [-1] * (200 - n_plus))
    assert sign_flip_p(summed) == pytest.approx(sps.binomtest(n_plus, 200, 0.5).pvalue, rel=1e-9, abs=0)


def test_sign_flip_p_is_not_a_normal_approximation():
    """A rare total among few images: far from the normal approximation, equal to the binomial count."""
    summed = np.array([1] * 9 + [-1])
    assert sign_flip_p(summed) == 22 / 1024  # 10 + 1 patterns with a total of 8 or more, times two
    z = abs(summed.sum()) / np.sqrt(len(summed))
    assert abs(sign_flip_p(summed) - 2 * sps.norm.sf(z)) > 0.005


# --- paired_gap --------------------------------------------------------------------------------

def _paired_gap_by_the_formula(a, b):
    d = a - b
    return d.mean(), d.std(ddof=1) / np.sqrt(len(d))


@given(st.integers(2, 20).flatmap(lambda n: st.tuples(
    st.lists(st.integers(200, 270), min_size=n, max_size=n), st.lists(st.integers(200, 270), min_size=n, max_size=n))))
def test_paired_gap_is_the_formula_bit_for_bit_and_its_ratio_is_the_paired_t(pair):
    a, b = (np.array(x, dtype=np.int64) for x in pair)
    gap, se = paired_gap(a, b)
    expected_gap, expected_se = _paired_gap_by_the_formula(a, b)
    assert gap == expected_gap and se == expected_se  # the same arithmetic, the same floats
    assert type(gap) is np.float64 and type(se) is np.float64
    assert gap == pytest.approx(np.mean(a) - np.mean(b), rel=1e-12, abs=1e-12)
    assume(se > 0)
    assert gap / se == pytest.approx(sps.ttest_rel(a, b).statistic, rel=1e-9)


def test_paired_gap_by_hand():
    gap, se = paired_gap(np.array([10, 12, 14]), np.array([9, 10, 11]))  # differences 1, 2, 3
    assert gap == 2.0
    assert se == pytest.approx(1.0 / np.sqrt(3))


def test_paired_gap_keeps_floats_and_does_not_wrap_unsigned_counts():
    assert paired_gap(np.array([1.5, 2.5]), np.array([0.5, 0.5])) == (1.5, pytest.approx(0.5))
    gap, se = paired_gap(np.array([1, 2], dtype=np.uint8), np.array([3, 3], dtype=np.uint8))
    assert gap == -1.5 and se == pytest.approx(0.5)


# --- holm --------------------------------------------------------------------------------------

def _holm_by_adjusted_p_values(p_values, level):
    """A second route: Holm's adjusted p-value of the k-th smallest is the largest of (n - j + 1) p_(j) over
    j <= k, and a verdict survives when its adjusted p-value is at most the level itself."""
    names = sorted(p_values, key=p_values.get)
    n = len(names)
    adjusted = np.maximum.accumulate([(n - j) * p_values[name] for j, name in enumerate(names)])
    return {name: bool(adj <= level) for name, adj in zip(names, adjusted)}


# p-values (2i + 1) / 1994 never lie on a threshold 0.01 / m, 0.05 / m or 0.1 / m: the two routes cannot differ by
# rounding; the narrow range of i gives ties
grid_p_values = st.dictionaries(st.text("abcdef", min_size=1, max_size=3),
                                st.integers(0, 60).map(lambda i: (2 * i + 1) / 1994), min_size=1, max_size=10)


@given(grid_p_values, st.sampled_from([0.01, 0.05, 0.1]))
def test_holm_agrees_with_the_adjusted_p_values(p_values, level):
    survives, thresholds = holm(p_values, level)
    assert {name: bool(s) for name, s in survives.items()} == _holm_by_adjusted_p_values(p_values, level)
    names = sorted(p_values, key=p_values.get)
    assert thresholds == {name: level / (len(names) - k) for k, name in enumerate(names)}


@given(grid_p_values)
def test_holm_survivors_are_the_smallest_p_values_and_include_bonferronis(p_values):
    survives, thresholds = holm(p_values)
    kept = [p for name, p in p_values.items() if survives[name]]
    dropped = [p for name, p in p_values.items() if not survives[name]]
    assert not kept or not dropped or max(kept) <= min(dropped)
    assert all(survives[name] for name, p in p_values.items() if p <= 0.05 / len(p_values))  # Bonferroni's
    assert all(not survives[name] for name, p in p_values.items() if p > thresholds[name])


def test_holm_by_hand():
    survives, thresholds = holm({"a": 0.01, "b": 0.02, "c": 0.04})
    assert thresholds == {"a": 0.05 / 3, "b": 0.05 / 2, "c": 0.05}
    assert survives == {"a": True, "b": True, "c": True}


def test_holm_stops_at_the_first_failure():
    """c fails 0.05 / 2; b, which would pass its own threshold 0.05, fails with it."""
    survives, thresholds = holm({"a": 0.001, "b": 0.04, "c": 0.03})
    assert thresholds == {"a": 0.05 / 3, "c": 0.05 / 2, "b": 0.05}
    assert 0.04 <= thresholds["b"]
    assert survives == {"a": True, "c": False, "b": False}


def test_holm_on_one_p_value_is_the_level_itself_and_keeps_the_boundary():
    assert holm({"only": 0.05}) == ({"only": True}, {"only": 0.05})
    assert holm({"only": 0.0500001}) == ({"only": False}, {"only": 0.05})
    assert holm({"x": 0.2, "y": 0.5}, level=0.5) == ({"x": True, "y": True}, {"x": 0.25, "y": 0.5})


# --- refusals ----------------------------------------------------------------------------------

def _raises(exc, *parts):
    """pytest.raises whose message must contain every part, in order."""
    return pytest.raises(exc, match=".*".join(re.escape(part) for part in parts))


def test_paired_gap_refuses_bad_input():
    with _raises(ValueError, "a and b", "same shape", "(3,)", "(4,)"):
        paired_gap(np.ones(3, dtype=int), np.ones(4, dtype=int))
    with _raises(ValueError, "a must be 1-D", "(2, 3)"):
        paired_gap(np.ones((2, 3), dtype=int), np.ones((2, 3), dtype=int))
    with _raises(ValueError, "b must be 1-D", "shape ()"):
        paired_gap(np.ones(3, dtype=int), np.int64(3))
    with _raises(ValueError, "a and b", "at least 2 pairs", "got 1"):
        paired_gap(np.array([5]), np.array([4]))
    with _raises(ValueError, "a and b", "at least 2 pairs", "got 0"):
        paired_gap(np.array([], dtype=int), np.array([], dtype=int))
    with _raises(TypeError, "b must be", "dtype bool"):
        paired_gap(np.array([1, 2]), np.array([True, False]))
    with _raises(TypeError, "a must be", "complex"):
        paired_gap(np.array([1 + 1j, 2]), np.array([1, 2]))
    with _raises(TypeError, "a must be", "str"):
        paired_gap("12", np.array([1, 2]))
    with _raises(ValueError, "b must be finite", "NaN or inf"):
        paired_gap(np.array([1.0, 2.0]), np.array([np.nan, 2.0]))


def test_sign_flip_p_refuses_bad_input():
    with _raises(ValueError, "summed must hold integers", "dtype float64"):
        sign_flip_p(np.array([1.0, -1.0]))
    with _raises(ValueError, "summed must hold integers", "dtype bool"):
        sign_flip_p(np.array([True, False]))
    with _raises(ValueError, "summed must hold integers", "dtype object"):
        sign_flip_p(np.array([1, 2], dtype=object))
    with _raises(ValueError, "summed must be 1-D", "(2, 2)"):
        sign_flip_p(np.ones((2, 2), dtype=int))
    with _raises(ValueError, "summed must be 1-D", "shape ()"):
        sign_flip_p(np.int64(3))


def test_holm_refuses_bad_input():
    with _raises(ValueError, "p_values", "at least one", "empty"):
        holm({})
    with _raises(TypeError, "p_values must be a dict", "list"):
        holm([0.01, 0.02])
    for bad in (-0.1, 1.5, np.nan, np.inf, "0.01", True, None):
        with _raises(ValueError, "p_values['b']", "[0, 1]", repr(bad)):
            holm({"a": 0.01, "b": bad})
    for bad in (0, 0.0, 1, 1.0, -0.05, np.nan, "0.05", None):
        with _raises(ValueError, "level", "(0, 1)", repr(bad)):
            holm({"a": 0.01}, level=bad)
