"""Input checks shared by every public function.

Each check either returns a clean NumPy array or raises a ``ValueError`` / ``TypeError`` whose
message names the argument, says what it got and what was expected. Nothing is silently
broadcast or coerced into a different shape.

dtype rule: floating input keeps its dtype (float32 stays float32); integer input is computed in
float64; booleans, complex numbers, strings and objects are refused.
"""

from __future__ import annotations

import numpy as np


def _describe(x) -> str:
    arr = np.asarray(x) if not isinstance(x, np.ndarray) else x
    return f"array of shape {arr.shape} and dtype {arr.dtype}"


def all_finite(arr: np.ndarray) -> bool:
    """Whether every element of the floating array ``arr`` is finite.

    A large C-contiguous array is first summed along its last axis by a matrix-vector product,
    which reads it once, on every BLAS thread, and allocates only the row sums: a sum of finite
    numbers can only be non-finite by overflow, while a NaN or an infinity among the terms makes
    its sum NaN or infinite. Only when some row sum is not finite is the element-wise test run,
    so the answer is exact either way.
    """
    if arr.size >= 1 << 16 and arr.flags.c_contiguous and arr.shape[-1] > 0:
        rows = arr.reshape(-1, arr.shape[-1])
        with np.errstate(over="ignore", invalid="ignore"):
            if np.isfinite(rows @ np.ones(rows.shape[1], arr.dtype)).all():
                return True
    return bool(np.isfinite(arr).all())


def as_float_array(x, name: str, *, ndim=None, allow_empty: bool = False) -> np.ndarray:
    """Return ``x`` as a finite real floating array, refusing anything else.

    ``ndim`` is an int or a tuple of allowed ranks. Integer input becomes float64, floating input
    keeps its dtype.
    """
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be an array of real numbers; got a {type(x).__name__}")
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:  # ragged nested lists and the like
        raise TypeError(f"{name} must be an array of real numbers; got {type(x).__name__} ({exc})") from exc
    kind = arr.dtype.kind
    if kind == "f":
        pass
    elif kind in "iu":
        arr = arr.astype(np.float64)
    elif kind == "c":
        raise TypeError(f"{name} must be real; got a complex {_describe(arr)}")
    elif kind == "b":
        raise TypeError(f"{name} must be an array of real numbers; got a boolean {_describe(arr)}")
    else:
        raise TypeError(f"{name} must be an array of real numbers; got an {_describe(arr)}")
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} must be {want}; got an {_describe(arr)}")
    if not allow_empty and arr.size == 0:
        raise ValueError(f"{name} must not be empty; got an {_describe(arr)}")
    if not all_finite(arr):
        bad = "NaN" if np.isnan(arr).any() else "inf"
        raise ValueError(f"{name} must be finite; got an {_describe(arr)} containing {bad}")
    return arr


def is_int(value) -> bool:
    """Whether ``value`` is a Python or NumPy integer (booleans are not)."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def check_int(value, name: str, minimum: int = 1) -> int:
    """An int of at least ``minimum`` (a count: epochs, steps, a batch size)."""
    if not is_int(value) or value < minimum:
        want = "a positive int" if minimum == 1 else f"an int >= {minimum}"
        raise ValueError(f"{name} must be {want}; got {value!r}")
    return int(value)


def check_positive_number(value, name: str) -> float:
    """A positive finite real number (a learning rate, a step size)."""
    if not is_real_scalar(value) or not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number; got {value!r}")
    return float(value)


def check_non_negative_number(value, name: str) -> float:
    """A finite real number of at least 0 (a penalty's weight: 0 means none)."""
    if not is_real_scalar(value) or not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a non-negative finite number; got {value!r}")
    return float(value)


def check_number(value, name: str) -> float:
    """A finite real number (a bias, an angle)."""
    if not is_real_scalar(value) or not np.isfinite(value):
        raise ValueError(f"{name} must be a finite real number; got {value!r}")
    return float(value)


def check_vector(x, name: str, size=None, size_reason: str = "") -> np.ndarray:
    """A finite 1-D float array, of length ``size`` when given (the reason says why)."""
    x = as_float_array(x, name, ndim=1)
    if size is not None and x.shape != (size,):
        raise ValueError(f"{name} must have shape ({size},){size_reason}; got shape {x.shape}")
    return x


def is_real_scalar(value) -> bool:
    """Whether ``value`` is one real number: a Python or NumPy int or float, or a 0-d array of one
    (not a boolean)."""
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (int, float)):
        return True
    return isinstance(value, (np.generic, np.ndarray)) and np.ndim(value) == 0 and value.dtype.kind in "iuf"


def check_axis(axis, ndim: int, name: str = "axis") -> int:
    if not is_int(axis):
        raise TypeError(f"{name} must be an int; got {axis!r}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"{name}={axis} is out of range for an input with {ndim} dimension(s)")
    return int(axis) % ndim


def check_reduction(reduction) -> str:
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"reduction must be 'mean', 'sum' or 'none'; got {reduction!r}")
    return reduction


def check_labels(y, n: int, n_classes: int, name: str = "target") -> np.ndarray:
    """Integer class labels of shape (n,) with values in [0, n_classes)."""
    arr = np.asarray(y)
    if arr.dtype.kind not in "iu":
        raise TypeError(
            f"{name} of shape {arr.shape} must hold integer class labels; got dtype {arr.dtype} "
            "(pass probability rows of shape (N, C) for soft targets)"
        )
    if arr.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},) to match the {n} examples; got shape {arr.shape}")
    if n and (arr.min() < 0 or arr.max() >= n_classes):
        bad = arr[(arr < 0) | (arr >= n_classes)][0]
        raise ValueError(f"{name} holds label {bad}, out of range: expected labels in [0, {n_classes})")
    return arr.astype(np.intp, copy=False)


def one_example_as_a_row(x: np.ndarray, target, name: str, target_name: str, soft: bool = False):
    """Rows are examples: a 1-D ``x`` is one example. Returns ``(x as one row, its target as one
    entry, True)`` for it, ``(x, target, False)`` for a 2-D ``x``. The one example's target is a
    single integer label, or with ``soft`` also a probability vector of ``x``'s length."""
    if x.ndim != 1:
        return x, target, False
    t = np.asarray(target)
    if t.ndim == 0:
        return x[None, :], t[None], True
    if soft and t.ndim == 1 and t.dtype.kind == "f":
        return x[None, :], t[None, :], True
    wanted = "one integer label" + (f" or a probability vector of shape ({x.shape[0]},)" if soft else "")
    raise ValueError(f"for 1-D {name} of shape {x.shape} {target_name} must be {wanted}; "
                     f"got shape {t.shape} and dtype {t.dtype}")


def check_target(target, logits_shape: tuple, name: str = "target"):
    """Validate a target against logits of shape (N, C).

    Returns ``("labels", int array (N,))`` or ``("probs", float array (N, C))``.
    """
    n, c = logits_shape
    arr = np.asarray(target)
    if arr.dtype.kind in "iu":
        if arr.ndim == 2 and arr.shape == (n, 1) and c != 1:
            raise ValueError(
                f"{name} has shape {arr.shape}, a column of labels; expected labels of shape ({n},) "
                f"or probability rows of shape ({n}, {c}) (use target.ravel())"
            )
        if arr.ndim != 1:
            raise ValueError(
                f"integer {name} must be labels of shape ({n},); got shape {arr.shape}"
            )
        return "labels", check_labels(arr, n, c, name)
    if arr.dtype.kind == "f":
        if arr.ndim == 1:
            raise TypeError(
                f"{name} of shape {arr.shape} is floating ({arr.dtype}); class labels must be integers "
                f"and probability targets must have shape ({n}, {c})"
            )
        probs = as_float_array(arr, name, ndim=2)
        if probs.shape != (n, c):
            extra = " (a column of labels? use integer labels of shape (N,))" if probs.shape == (n, 1) else ""
            raise ValueError(f"{name} must have shape ({n}, {c}) to match the logits; got {probs.shape}{extra}")
        if (probs < 0).any():
            raise ValueError(f"{name} probabilities must be non-negative; got a minimum of {probs.min():g}")
        sums = probs.sum(axis=1, dtype=np.float64)
        tol = 1e-6 if probs.dtype == np.float64 else 1e-3
        if np.abs(sums - 1.0).max() > tol:
            row = int(np.argmax(np.abs(sums - 1.0)))
            raise ValueError(f"{name} rows must sum to 1; row {row} sums to {sums[row]:.6g}")
        return "probs", probs
    # everything else gets the general refusal
    as_float_array(arr, name)
    raise TypeError(f"{name} must be integer labels or probability rows; got an {_describe(arr)}")
