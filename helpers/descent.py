r"""Gradient descent for chapter 3: the update rule, a quadratic bowl whose curvature is known
exactly, central differences, and linear regression with squared error.

Conventions: parameters are a vector w (d,); a path is an array (steps + 1, d) whose first row is
the start. Squared error follows :func:`helpers.losses.squared_error` (no factor 1/2, mean over rows).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "gradient_descent", "quadratic_bowl", "quadratic_loss", "quadratic_grad",
    "central_difference", "linear_regression_loss", "linear_regression_grad",
]


def gradient_descent(grad, w0, lr, steps):
    """Run w <- w - lr * grad(w) for ``steps`` steps from w0. Returns the path, (steps + 1, d).

    When an iterate overflows (a diverging learning rate), that row and all later rows are set to
    inf and the loop stops; no overflow warning is raised.
    """
    w = np.array(w0, dtype=np.float64)
    path = np.empty((steps + 1,) + w.shape)
    path[0] = w
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, steps + 1):
            w = w - lr * np.asarray(grad(w), dtype=np.float64)
            if not np.all(np.isfinite(w)):
                path[k:] = np.inf
                break
            path[k] = w
    return path


def quadratic_bowl(curvatures=(1.0, 10.0), angle_deg=30.0, center=(0.0, 0.0)):
    """The matrix A = Q diag(curvatures) Q^T (Q a rotation by ``angle_deg``) and center c of the
    bowl f(w) = 1/2 (w - c)^T A (w - c). Its largest curvature L = max(curvatures)."""
    t = np.deg2rad(angle_deg)
    Q = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    A = Q @ np.diag(np.asarray(curvatures, dtype=np.float64)) @ Q.T
    return A, np.asarray(center, dtype=np.float64)


def quadratic_loss(w, A, c):
    """f(w) = 1/2 (w - c)^T A (w - c). w: (2,) or a batch (..., 2) -> scalar or (...)."""
    d = np.asarray(w, dtype=np.float64) - c
    return 0.5 * np.einsum("...i,ij,...j->...", d, A, d)


def quadratic_grad(w, A, c):
    """grad f(w) = A (w - c) for symmetric A. w: (2,) -> (2,)."""
    return A @ (np.asarray(w, dtype=np.float64) - c)


def central_difference(f, x, h):
    """(f(x + h) - f(x - h)) / (2h) for a function of one real variable; error O(h^2)."""
    return (f(x + h) - f(x - h)) / (2.0 * h)


def linear_regression_loss(X, t, w, b):
    """L(w, b) = (1/N) sum_n (x_n . w + b - t_n)^2. X: (N, d), t: (N,), w: (d,), b: float."""
    r = X @ w + b - t
    return float(r @ r / len(t))


def linear_regression_grad(X, t, w, b):
    """(dL/dw, dL/db) = ((2/N) X^T r, (2/N) sum r) with residuals r = X w + b - t."""
    r = X @ w + b - t  # (N,)
    return 2.0 * X.T @ r / len(t), float(2.0 * r.sum() / len(t))
