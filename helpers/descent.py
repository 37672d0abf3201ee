r"""Gradient descent for chapter 3: the update rule, a quadratic bowl whose curvature is known
exactly, central differences, and linear regression with squared error.

Conventions: parameters are a vector w (d,); a path is an array (steps + 1, d) whose first row is
the start. Squared error follows :func:`helpers.losses.squared_error` (no factor 1/2, mean over rows).
"""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array, check_int, check_number, check_positive_number, check_vector, is_real_scalar

__all__ = [
    "gradient_descent", "quadratic_bowl", "quadratic_loss", "quadratic_grad",
    "central_difference", "linear_regression_loss", "linear_regression_grad",
]


def gradient_descent(grad, w0, lr, steps, beta=0.0, nesterov=False):
    """Run w <- w - lr * grad(w) for ``steps`` steps from w0. Returns the path, (steps + 1, d).

    With ``beta`` > 0 the step is momentum's (chapter 3, section 3.9), from v = 0: the heavy ball
    v <- beta v - lr grad(w), w <- w + v; with ``nesterov=True`` the gradient is taken at the
    look-ahead point, v <- beta v - lr grad(w + beta v). At beta = 0 both are plain descent, and
    the path is the same to the last bit.

    When an iterate overflows (a diverging learning rate), that row and all later rows are set to
    inf and the loop stops; no overflow warning is raised.
    """
    if not callable(grad):
        raise TypeError(f"grad must be a function of w returning the gradient; got {type(grad).__name__}")
    w = as_float_array(w0, "w0", ndim=1).astype(np.float64)
    lr = check_positive_number(lr, "lr")
    steps = check_int(steps, "steps", minimum=0)
    beta = check_momentum(beta)
    if not isinstance(nesterov, (bool, np.bool_)):
        raise TypeError(f"nesterov must be True or False; got {nesterov!r}")
    path = np.empty((steps + 1,) + w.shape)
    path[0] = w
    v = np.zeros_like(w)
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(1, steps + 1):
            v = beta * v - lr * np.asarray(grad(w + beta * v if nesterov else w), dtype=np.float64)
            w = w + v
            if not np.all(np.isfinite(w)):
                path[k:] = np.inf
                break
            path[k] = w
    return path


def check_momentum(beta, name="beta"):
    """Momentum's decay: a real number in [0, 1) (at 1 the velocity never forgets, above it grows)."""
    if not is_real_scalar(beta) or not 0.0 <= beta < 1.0:
        raise ValueError(f"{name} (momentum's decay) must be a number in [0, 1); got {beta!r}")
    return float(beta)


def quadratic_bowl(curvatures=(1.0, 10.0), angle_deg=30.0, center=(0.0, 0.0)):
    """The matrix Q = R diag(curvatures) R^T (R a rotation by ``angle_deg``) and the minimiser
    theta* = ``center`` of the bowl L(theta) = 1/2 (theta - theta*)^T Q (theta - theta*). Its
    eigenvalues are the curvatures; the largest is lambda_max = max(curvatures)."""
    curvatures = check_vector(curvatures, "curvatures", 2, ", one per axis of the plane")
    if (curvatures <= 0).any():
        raise ValueError(f"curvatures must be positive (a bowl curves up along both axes); got {curvatures}")
    center = check_vector(center, "center", 2, ", a point of the plane")
    t = np.deg2rad(check_number(angle_deg, "angle_deg"))
    R = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    Q = R @ np.diag(curvatures.astype(np.float64)) @ R.T
    return Q, center.astype(np.float64)


def quadratic_loss(w, A, c):
    """L(w) = 1/2 (w - c)^T A (w - c): the bowl of :func:`quadratic_bowl` with Q = A, theta* = c, at
    the parameters w (theta in chapter 3). w: (2,) or a batch (..., 2) -> scalar or (...)."""
    d = np.asarray(w, dtype=np.float64) - c
    return 0.5 * np.einsum("...i,ij,...j->...", d, A, d)


def quadratic_grad(w, A, c):
    """The gradient A (w - c) of :func:`quadratic_loss` for symmetric A (Q (theta - theta*)). w: (2,) -> (2,)."""
    return A @ (np.asarray(w, dtype=np.float64) - c)


def central_difference(f, x, h):
    """(f(x + h) - f(x - h)) / (2h) for a function of one real variable; error O(h^2)."""
    if not callable(f):
        raise TypeError(f"f must be a function of one real variable; got {type(f).__name__}")
    h = check_positive_number(h, "h")
    return (f(x + h) - f(x - h)) / (2.0 * h)


def _residuals(X, t, w, b):
    """r = X w + b - t, after checking the shapes: X (N, d), t (N,), w (d,), b a number."""
    X = as_float_array(X, "X", ndim=2)
    t = check_vector(t, "t", X.shape[0], ", one target per row of X")
    w = check_vector(w, "w", X.shape[1], ", one weight per column of X")
    return X, X @ w + check_number(b, "b") - t


def linear_regression_loss(X, t, w, b):
    """L(w, b) = (1/N) sum_n (x_n . w + b - t_n)^2. X: (N, d), t: (N,), w: (d,), b: float."""
    _, r = _residuals(X, t, w, b)
    return float(r @ r / len(r))


def linear_regression_grad(X, t, w, b):
    """(dL/dw, dL/db) = ((2/N) X^T r, (2/N) sum r) with residuals r = X w + b - t."""
    X, r = _residuals(X, t, w, b)  # r: (N,)
    return 2.0 * X.T @ r / len(r), float(2.0 * r.sum() / len(r))
