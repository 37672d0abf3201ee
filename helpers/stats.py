r"""Comparing two training recipes: the paired gap over seeds, the sign-flip test over images, and
Holm's correction over a family of verdicts (chapter 8).

Each function checks its input first and refuses anything else with a ``ValueError`` or
``TypeError`` that names the argument, says what it got and what was expected. The checks never
change the arithmetic: for valid input the results are the same, bit for bit, as those of the
chapter's cells that these functions replace.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._checks import _describe, all_finite, is_real_scalar

__all__ = ["holm", "paired_gap", "sign_flip_p"]


def _counts(x, name: str) -> np.ndarray:
    """x as a 1-D array of real numbers (integer counts, or floats), or a clear error naming it."""
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be a 1-D array of counts; got a {type(x).__name__}")
    try:
        arr = np.asarray(x)  # a NumPy array comes back as itself: nothing is copied or converted
    except (ValueError, TypeError) as exc:  # ragged nested lists and the like
        raise TypeError(f"{name} must be a 1-D array of counts; got {type(x).__name__} ({exc})") from exc
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be a 1-D array of counts (integers or floats); got an {_describe(arr)}")
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one count per seed); got an {_describe(arr)}")
    if arr.dtype.kind == "f" and not all_finite(arr):
        raise ValueError(f"{name} must be finite; got an {_describe(arr)} containing NaN or inf")
    if arr.dtype.kind == "u":  # a - b would wrap round below 0; the same values as signed integers do not
        arr = arr.astype(np.int64)
    return arr


def paired_gap(a, b):
    r"""The mean per-seed difference of two arrays of counts paired by seed, and its standard error.

    a, b: 1-D arrays of the same length, entry s of each being the count (of images right, say)
    of the run with seed s. Returns ``(mean, standard_error)`` as NumPy floats: the mean of the
    differences d = a - b, and their sample standard deviation (with n - 1) over sqrt(n), for n
    pairs. Pairing removes the variation the two runs of a seed share, so this standard error is
    smaller than the unpaired one when the counts of a seed covary positively. mean /
    standard_error is the paired t statistic (with n - 1 degrees of freedom).

    At least 2 pairs are needed for a standard error. Unsigned integers are subtracted as signed
    ones, so that a count below its partner gives a negative difference rather than wrapping round.
    """
    a = _counts(a, "a")
    b = _counts(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape (they pair by seed); got {a.shape} and {b.shape}")
    if len(a) < 2:
        raise ValueError(f"a and b must hold at least 2 pairs for a standard error; got {len(a)}")
    d = a - b
    return d.mean(), d.std(ddof=1) / np.sqrt(len(d))


def sign_flip_p(summed):
    r"""The two-sided p-value of the sign-flip test over per-image differences.

    summed: a 1-D array of integers, one per image: the difference between two recipes in how
    often that image was classified right, summed over the seeds (+1, 0 or -1 for one seed).

    The test holds the trained networks fixed and takes the images as the sample. It assumes that
    when neither recipe is better, each image's summed difference is symmetric about 0. Under that
    assumption every pattern of signs of the k nonzero differences is equally likely, and the
    p-value is the share of the 2**k patterns whose total lies at least as far from 0 as the
    observed total. The patterns are counted by total, one image at a time, in exact integers, so
    the p-value is exact *given the assumption*; how far the assumption holds is a question about
    the recipes, not the arithmetic (it is more plausible for a small change to one recipe than
    for two different models). With +1 and -1 alone (one seed) it is McNemar's exact test.

    Returns a float in (0, 1], a count of patterns over 2**k. Zeros carry no sign and are left
    out; with no nonzero difference (all zeros, or an empty array) it returns 1.0.
    """
    summed = np.asarray(summed)
    if summed.dtype.kind not in "iu":
        raise ValueError(f"summed must hold integers (differences in images right), got dtype {summed.dtype}")
    if summed.ndim != 1:
        raise ValueError(f"summed must be 1-D (one summed difference per image); got an {_describe(summed)}")
    if summed.dtype.kind == "i" and summed.dtype.itemsize < 8:  # np.abs(int8(-128)) is -128; in int64 it is 128
        summed = summed.astype(np.int64)
    sizes = [int(v) for v in np.abs(summed[summed != 0])]
    reach = sum(sizes)
    ways = np.zeros(2 * reach + 1, dtype=object)  # ways[reach + t]: how many patterns so far have the total t
    ways[reach] = 1
    for size in sizes:  # each image adds +size or -size; no total leaves [-reach, reach], so nothing wraps round
        ways = np.roll(ways, size) + np.roll(ways, -size)
    as_far = np.abs(np.arange(-reach, reach + 1)) >= abs(int(summed.sum()))
    return int(ways[as_far].sum()) / 2 ** len(sizes)


def holm(p_values, level=0.05):
    r"""Holm's step-down correction over a family of verdicts.

    p_values: a dict {name: p-value}, each p-value a finite number in [0, 1]. level: the
    family-wise level, in (0, 1): the chance of declaring at least one verdict whose null
    hypothesis is true stays at most ``level``, whatever the dependence between the tests.

    The n p-values are taken from the smallest up: the smallest faces level / n, the next
    level / (n - 1), and so on up to level itself for the largest. The walk stops at the first
    that exceeds its threshold, and that one and every later one fail, even one that would pass
    its own threshold. Ties keep the dict's order.

    Returns ``(survives, thresholds)``: two dicts keyed by the same names, whether each verdict
    survives the correction (bool) and the threshold it faced (float).
    """
    if not isinstance(p_values, Mapping):
        raise TypeError(f"p_values must be a dict of name -> p-value; got a {type(p_values).__name__}")
    if not p_values:
        raise ValueError("p_values must hold at least one p-value; got an empty dict")
    for name, p in p_values.items():
        if not is_real_scalar(p) or not np.isfinite(p) or not 0 <= p <= 1:
            raise ValueError(f"p_values[{name!r}] must be a finite number in [0, 1]; got {p!r}")
    if not is_real_scalar(level) or not np.isfinite(level) or not 0 < level < 1:
        raise ValueError(f"level must be a number in (0, 1), the family-wise level; got {level!r}")
    survives, thresholds, walking = {}, {}, True
    for k, name in enumerate(sorted(p_values, key=p_values.get)):
        thresholds[name] = level / (len(p_values) - k)
        walking = walking and p_values[name] <= thresholds[name]
        survives[name] = walking
    return survives, thresholds
