r"""Numerical gradients by central differences, and the relative error used to compare them."""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array

__all__ = ["normwise_error", "numerical_gradient", "relative_error"]


def numerical_gradient(f, x, eps=1e-5):
    r"""df/dx by central differences: (f(x + eps e_i) - f(x - eps e_i)) / (2 eps) for every i.

    f: a function of an array returning a scalar. x: any shape; it is perturbed in place, one
    coordinate at a time, and restored, so f may also read x through a reference (for example a
    weight matrix held by a network). The truncation error of the central difference is O(eps^2)
    and the rounding error O(machine epsilon / eps); in float64 they balance near
    (3 machine epsilon)^(1/3), about 1e-5 (chapter 3 derives it), the book's one step.
    Returns an array of the shape of x (float64).
    """
    if not callable(f):
        raise TypeError(f"f must be callable; got {type(f).__name__}")
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        raise TypeError(f"x must be a floating NumPy array (it is perturbed in place); got {type(x).__name__}"
                        + (f" of dtype {x.dtype}" if isinstance(x, np.ndarray) else ""))
    if not np.isfinite(eps) or eps <= 0:
        raise ValueError(f"eps must be a positive finite number; got {eps!r}")
    as_float_array(x, "x")
    grad = np.zeros(x.shape, dtype=np.float64)
    flat = x.reshape(-1)  # a view: x is contiguous or reshape would copy
    if not np.shares_memory(flat, x):
        raise ValueError("x must be contiguous so that it can be perturbed in place")
    gflat = grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        f_plus = float(f(x))
        flat[i] = old - eps
        f_minus = float(f(x))
        flat[i] = old
        gflat[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def _same_shape_pair(a, b):
    """a and b as non-empty float64 arrays of one shape, or a clear error naming the argument."""
    a = as_float_array(a, "a", allow_empty=False)
    b = as_float_array(b, "b", allow_empty=False)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape; got {a.shape} and {b.shape}")
    return a.astype(np.float64), b.astype(np.float64)


def relative_error(a, b):
    r"""max over elements of |a - b| / max(1e-12, |a| + |b|).

    A scale-free comparison. Against central differences in float64 on a smooth loss, a correct
    gradient gives about 1e-7 or below, and above about 1e-6 deserves a look; above 1e-2 means a
    wrong one, though a wrong one can also show less. a and b must have the same shape.
    """
    a, b = _same_shape_pair(a, b)
    return float(np.max(np.abs(a - b) / np.maximum(1e-12, np.abs(a) + np.abs(b))))


def normwise_error(a, b):
    r"""\|a - b\| / max(1e-12, \|a\| + \|b\|) over whole arrays: one number per array.

    Unlike ``relative_error``, which reports the worst element and so is ruled by the smallest
    entries, this weighs every entry by its size; on one number the two coincide. a and b must
    have the same shape.
    """
    a, b = _same_shape_pair(a, b)
    return float(np.linalg.norm(a - b) / max(1e-12, np.linalg.norm(a) + np.linalg.norm(b)))
