"""The data sets of the chapters: reproducible, shaped as documented, split as documented."""

import numpy as np
import pytest
import helpers as h

pytestmark = pytest.mark.helpers


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
