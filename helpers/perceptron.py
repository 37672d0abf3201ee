r"""The perceptron of chapters 1 and 2: scores, predictions, the update rule, training, and the
quantities of the convergence theorem.

Labels: the data sets of :mod:`helpers.data` use y in {0, 1}; the perceptron rule is written with
signed labels s = 2y - 1 in {-1, +1}. Rows of X are examples, X: (N, d), w: (d,), b: a float.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "signed_labels", "perceptron_scores", "perceptron_predict", "perceptron_update",
    "perceptron_train", "geometric_margin", "mistake_bound",
]


def signed_labels(y):
    """s = 2y - 1: labels {0, 1} -> {-1, +1} (float64, shape (N,))."""
    y = np.asarray(y)
    if y.ndim != 1 or not np.isin(y, (0, 1)).all():
        raise ValueError(f"y must be a 1-D array of labels 0 and 1; got shape {y.shape} with values {np.unique(y)[:5]}")
    return 2.0 * y - 1.0


def perceptron_scores(X, w, b):
    """z = X w + b, one score per row: X (N, d), w (d,) -> (N,)."""
    return np.asarray(X, dtype=np.float64) @ np.asarray(w, dtype=np.float64) + float(b)


def perceptron_predict(X, w, b):
    """Class 1 where w.x + b > 0, class 0 otherwise (int64, shape (N,))."""
    return (perceptron_scores(X, w, b) > 0).astype(np.int64)


def perceptron_update(w, b, x, s, lr=1.0):
    """The perceptron rule for one misclassified example (x, s): w <- w + lr s x, b <- b + lr s.

    Returns new (w, b); the inputs are not modified.
    """
    return np.asarray(w, dtype=np.float64) + lr * s * np.asarray(x, dtype=np.float64), float(b) + lr * s


def perceptron_train(X, y, epochs=100, lr=1.0, w0=None, b0=0.0):
    """Train with the perceptron rule, visiting the rows of X in order, epoch after epoch.

    An example is a mistake when s (w.x + b) <= 0 (a point on the boundary counts as wrong).
    Stops after the first epoch without a mistake, or after ``epochs`` epochs.

    Returns a dict: ``w`` (d,), ``b``, ``mistakes`` (number of updates), ``epochs`` (epochs run),
    ``converged`` (bool), ``history``: list of (w, b) after 0, 1, 2, ... updates (history[0] is the
    start), and ``updated``: the row index that caused each update.
    """
    X = np.asarray(X, dtype=np.float64)
    s = signed_labels(y)
    if X.ndim != 2 or len(X) != len(s):
        raise ValueError(f"X must be (N, d) with N = len(y) = {len(s)}; got shape {X.shape}")
    w = np.zeros(X.shape[1]) if w0 is None else np.array(w0, dtype=np.float64)
    b = float(b0)
    history, updated = [(w.copy(), b)], []
    converged, epoch = False, 0
    for epoch in range(1, epochs + 1):
        errors = 0
        for i in range(len(X)):
            if s[i] * (X[i] @ w + b) <= 0:
                w, b = perceptron_update(w, b, X[i], s[i], lr)
                history.append((w.copy(), b))
                updated.append(i)
                errors += 1
        if errors == 0:
            converged = True
            break
    return {"w": w, "b": b, "mistakes": len(updated), "epochs": epoch, "converged": converged,
            "history": history, "updated": updated}


def geometric_margin(X, y, w, b):
    """min_i s_i (w.x_i + b) / |w|: the distance from the boundary to the closest point, signed
    (negative when some point is on the wrong side)."""
    w = np.asarray(w, dtype=np.float64)
    return float(np.min(signed_labels(y) * perceptron_scores(X, w, b)) / np.linalg.norm(w))


def mistake_bound(X, y, u, c):
    """The perceptron convergence bound (R / gamma)^2 for a separating (u, c), with the bias folded
    into the weights: x' = (x, 1), u' = (u, c) / |(u, c)|, R = max |x'_i|, gamma = min s_i u'.x'_i.

    Returns (R, gamma, bound). gamma <= 0 means (u, c) does not separate the data.
    """
    X = np.asarray(X, dtype=np.float64)
    Xa = np.column_stack([X, np.ones(len(X))])  # (N, d+1)
    ua = np.append(np.asarray(u, dtype=np.float64), float(c))
    ua = ua / np.linalg.norm(ua)
    R = float(np.max(np.linalg.norm(Xa, axis=1)))
    gamma = float(np.min(signed_labels(y) * (Xa @ ua)))
    return R, gamma, (R / gamma) ** 2 if gamma > 0 else np.inf
