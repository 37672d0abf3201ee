r"""The perceptron of chapters 1 and 2: scores, predictions, the update rule, training, and the
quantities of the convergence theorem.

Labels: the data sets of :mod:`helpers.data` use y in {0, 1}; the perceptron rule is written with
signed labels s = 2y - 1 in {-1, +1}. Rows of X are examples, X: (N, d), w: (d,), b: a float.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array, check_int, check_number, check_positive_number, check_vector

__all__ = [
    "signed_labels", "perceptron_scores", "perceptron_predict", "perceptron_update",
    "perceptron_train", "geometric_margin", "mistake_bound",
]


def _check_X_y(X, y):
    """X as (N, d) float64 and the signed labels of y, one per row of X."""
    X = _check_X(X)
    s = signed_labels(y)
    if len(s) != len(X):
        raise ValueError(f"y must hold one label per row of X ({len(X)}); got {len(s)} labels")
    return X, s


def signed_labels(y):
    """s = 2y - 1: labels {0, 1} -> {-1, +1} (float64, shape (N,))."""
    y = np.asarray(y)
    if y.ndim != 1 or not np.isin(y, (0, 1)).all():
        raise ValueError(f"y must be a 1-D array of labels 0 and 1; got shape {y.shape} with values {np.unique(y)[:5]}")
    return 2.0 * y - 1.0


def _check_X(X):
    return as_float_array(X, "X", ndim=2).astype(np.float64, copy=False)


def _check_weights(w, d, name="w"):
    return check_vector(w, name, d, ", one weight per column of X").astype(np.float64, copy=False)


def perceptron_scores(X, w, b):
    """z = X w + b, one score per row: X (N, d), w (d,) -> (N,)."""
    X = _check_X(X)
    return X @ _check_weights(w, X.shape[1]) + check_number(b, "b")


def perceptron_predict(X, w, b):
    """Class 1 where w.x + b > 0, class 0 otherwise (int64, shape (N,))."""
    return (perceptron_scores(X, w, b) > 0).astype(np.int64)


def perceptron_update(w, b, x, s, lr=1.0):
    """The perceptron rule for one misclassified example (x, s): w <- w + lr s x, b <- b + lr s.

    Returns new (w, b); the inputs are not modified.
    """
    w = check_vector(w, "w").astype(np.float64, copy=False)
    x = check_vector(x, "x", w.size, " like w").astype(np.float64, copy=False)
    if isinstance(s, (bool, np.bool_)) or np.ndim(s) != 0 or s not in (-1, 1):
        raise ValueError(f"s must be a signed label, -1 or +1; got {s!r}")
    lr = check_positive_number(lr, "lr")
    return w + lr * s * x, check_number(b, "b") + lr * s


def perceptron_train(X, y, epochs=100, lr=1.0, w0=None, b0=0.0):
    """Train with the perceptron rule, visiting the rows of X in order, epoch after epoch.

    An example is a mistake when s (w.x + b) <= 0 (a point on the boundary counts as wrong).
    Stops after the first epoch without a mistake, or after ``epochs`` epochs.

    Returns a dict: ``w`` (d,), ``b``, ``mistakes`` (number of updates), ``epochs`` (epochs run),
    ``converged`` (bool), ``history``: list of (w, b) after 0, 1, 2, ... updates (history[0] is the
    start), and ``updated``: the row index that caused each update.
    """
    X, s = _check_X_y(X, y)
    epochs = check_int(epochs, "epochs")
    check_positive_number(lr, "lr")
    w = np.zeros(X.shape[1]) if w0 is None else _check_weights(w0, X.shape[1], "w0").copy()
    b = check_number(b0, "b0")
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
    X, s = _check_X_y(X, y)
    w = _check_weights(w, X.shape[1])
    if not w.any():
        raise ValueError("w must not be the zero vector: the margin is a distance, measured in units of |w|")
    return float(np.min(s * perceptron_scores(X, w, b)) / np.linalg.norm(w))


def mistake_bound(X, y, u, u0):
    """The perceptron convergence bound (R / gamma)^2 for a separating (u, u0), with the bias u0
    folded into the weights: x' = (x, 1), u' = (u, u0) / ||(u, u0)||, R = max ||x'_n||,
    gamma = min s_n u'.x'_n.

    Returns (R, gamma, bound). gamma <= 0 means (u, u0) does not separate the data.
    """
    X, s = _check_X_y(X, y)
    Xa = np.column_stack([X, np.ones(len(X))])  # (N, d+1)
    ua = np.append(_check_weights(u, X.shape[1], "u"), check_number(u0, "u0"))
    if not ua.any():
        raise ValueError("u and u0 must not both be zero: (u, u0) must define a boundary")
    ua = ua / np.linalg.norm(ua)
    R = float(np.max(np.linalg.norm(Xa, axis=1)))
    gamma = float(np.min(s * (Xa @ ua)))
    return R, gamma, (R / gamma) ** 2 if gamma > 0 else np.inf
