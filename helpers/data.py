"""Small data sets for the chapters. All are generated from a seed or ship with scikit-learn:
nothing is downloaded.

Each toy generator returns ``(X, y)`` with X of shape (N, 2) float64 and y of shape (N,) int64.
"""

from __future__ import annotations

import numpy as np

from ._checks import check_int

__all__ = ["linearly_separable", "xor", "moons", "spirals", "blobs", "load_digits_split"]


def linearly_separable(n=100, margin=0.5, seed=0):
    """Two classes in the plane separated by the line x1 + x2 = 0 with a gap of ``margin``
    on each side (so the perceptron converges)."""
    n = check_int(n, "n", minimum=2)
    rng = np.random.default_rng(seed)
    X = np.empty((0, 2))
    while len(X) < n:
        cand = rng.uniform(-3, 3, size=(4 * n, 2))
        dist = (cand[:, 0] + cand[:, 1]) / np.sqrt(2)
        X = np.vstack([X, cand[np.abs(dist) > margin]])
    X = X[:n]
    y = (X[:, 0] + X[:, 1] > 0).astype(np.int64)
    return X, y


def xor(n=200, noise=0.1, seed=0):
    """The four corners of the square (+-1, +-1) with Gaussian noise; label 1 when the signs differ."""
    n = check_int(n, "n", minimum=2)
    rng = np.random.default_rng(seed)
    corners = rng.integers(0, 2, size=(n, 2)) * 2 - 1
    X = corners + noise * rng.standard_normal((n, 2))
    y = (corners[:, 0] != corners[:, 1]).astype(np.int64)
    return X, y


def moons(n=200, noise=0.1, seed=0):
    """Two interleaving half circles (as scikit-learn's make_moons), n // 2 points each."""
    n = check_int(n, "n", minimum=2)
    rng = np.random.default_rng(seed)
    n0 = n // 2
    n1 = n - n0
    t0 = np.linspace(0, np.pi, n0)
    t1 = np.linspace(0, np.pi, n1)
    X = np.vstack([
        np.column_stack([np.cos(t0), np.sin(t0)]),
        np.column_stack([1 - np.cos(t1), 0.5 - np.sin(t1)]),
    ])
    X += noise * rng.standard_normal(X.shape)
    y = np.repeat(np.array([0, 1], dtype=np.int64), [n0, n1])
    return X, y


def spirals(n=300, classes=3, noise=0.2, seed=0):
    """``classes`` interleaved spiral arms, n // classes points each (the last takes the rest)."""
    n = check_int(n, "n", minimum=2)
    classes = check_int(classes, "classes", minimum=2)
    rng = np.random.default_rng(seed)
    counts = [n // classes] * (classes - 1) + [n - (n // classes) * (classes - 1)]
    Xs, ys = [], []
    for k, m in enumerate(counts):
        r = np.linspace(0.0, 1.0, m)
        theta = np.linspace(k * 4.0, (k + 1) * 4.0, m) + noise * rng.standard_normal(m)
        Xs.append(np.column_stack([r * np.sin(theta), r * np.cos(theta)]))
        ys.append(np.full(m, k, dtype=np.int64))
    return np.vstack(Xs), np.concatenate(ys)


def blobs(n=300, centers=((-2.0, -1.0), (2.0, -1.0), (0.0, 2.0)), std=0.7, seed=0):
    """Gaussian clusters around ``centers``, one class each, n // len(centers) points per class."""
    n = check_int(n, "n", minimum=2)
    centers = np.asarray(centers, dtype=np.float64)
    if centers.ndim != 2 or centers.shape[1] != 2:
        raise ValueError(f"centers must have shape (K, 2); got {centers.shape}")
    rng = np.random.default_rng(seed)
    k = len(centers)
    y = np.arange(n, dtype=np.int64) % k
    X = centers[y] + std * rng.standard_normal((n, 2))
    return X, y


def load_digits_split(val_size=0.15, test_size=0.25, seed=0, scale=True):
    """scikit-learn's 8x8 handwritten digits (1797 images, shipped with the package), split
    stratified into train / validation / test.

    Returns a dict with X_train, y_train, X_val, y_val, X_test, y_test (X: (N, 64) float64, pixel
    values divided by 16 into [0, 1] when ``scale``; y: (N,) int64) and ``images`` of the test set
    as (N, 8, 8) for plotting. ``test_size`` is the fraction of all images held out for testing;
    ``val_size`` the fraction of all images held out for validation.
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    if not (0 < test_size < 1 and 0 <= val_size < 1 and val_size + test_size < 1):
        raise ValueError(f"val_size and test_size must be fractions with a sum below 1; got {val_size}, {test_size}")
    digits = load_digits()
    X = digits.data.astype(np.float64)
    if scale:
        X /= 16.0
    y = digits.target.astype(np.int64)
    idx = np.arange(len(y))
    idx_rest, idx_test = train_test_split(idx, test_size=test_size, stratify=y, random_state=seed)
    out = {}
    if val_size > 0:
        rel = val_size / (1 - test_size)
        idx_train, idx_val = train_test_split(idx_rest, test_size=rel, stratify=y[idx_rest], random_state=seed)
        out.update(X_val=X[idx_val], y_val=y[idx_val])
    else:
        idx_train = idx_rest
        out.update(X_val=X[:0], y_val=y[:0])
    out.update(
        X_train=X[idx_train], y_train=y[idx_train], X_test=X[idx_test], y_test=y[idx_test],
        images=digits.images[idx_test],
    )
    return out
