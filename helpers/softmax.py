r"""Softmax, its Jacobian, log-sum-exp and cross-entropy with its gradient (chapter 7).

Notation: logits ``z`` of shape (C,) for one example or (N, C) for a batch (rows are examples),
probabilities ``p = softmax(z)``, targets ``y`` as integer labels (N,) or probability rows (N, C).

Everything is computed through log-sum-exp, so no NaN or inf comes out of finite input:

    logsumexp(z) = m + log(sum_j exp(z_j - m)),   m = max_j z_j
    log_softmax(z)_i = z_i - logsumexp(z)
    softmax(z) = exp(log_softmax(z))
"""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array, check_axis, check_int, check_reduction, check_target, one_example_as_a_row

__all__ = [
    "logsumexp",
    "softmax",
    "log_softmax",
    "softmax_jacobian",
    "one_hot",
    "cross_entropy",
    "cross_entropy_grad",
]


def logsumexp(z, axis=-1, keepdims=False):
    r"""log(sum_j exp(z_j)) along ``axis``, computed as m + log(sum_j exp(z_j - m)), m = max_j z_j.

    z: any shape with at least one dimension. Returns the shape of ``z`` without ``axis``
    (or with it kept as 1 when ``keepdims``). Exact for any finite input: the largest term of the
    shifted sum is exp(0) = 1, so the sum lies in [1, C] and neither overflows nor underflows.
    """
    z = as_float_array(z, "z", ndim=tuple(range(1, 33)))
    ax = check_axis(axis, z.ndim)
    m = z.max(axis=ax, keepdims=True)
    out = m + np.log(np.exp(z - m).sum(axis=ax, keepdims=True))
    return out if keepdims else np.squeeze(out, axis=ax)


def log_softmax(z, axis=-1):
    r"""log p_i = z_i - logsumexp(z) along ``axis``. Same shape and dtype as ``z``."""
    z = as_float_array(z, "z", ndim=tuple(range(1, 33)))
    ax = check_axis(axis, z.ndim)
    shifted = z - z.max(axis=ax, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=ax, keepdims=True))


def softmax(z, axis=-1):
    r"""p_i = exp(z_i) / sum_j exp(z_j) along ``axis``, as exp(z_i - m) / sum_j exp(z_j - m).

    Subtracting m = max_j z_j multiplies numerator and denominator by exp(-m), so the value is
    unchanged while the largest exponent becomes exp(0) = 1. Same shape and dtype as ``z``.
    """
    z = as_float_array(z, "z", ndim=tuple(range(1, 33)))
    ax = check_axis(axis, z.ndim)
    e = np.exp(z - z.max(axis=ax, keepdims=True))
    return e / e.sum(axis=ax, keepdims=True)


def softmax_jacobian(z):
    r"""J_ij = dp_i / dz_j = p_i (delta_ij - p_j), i.e. J = diag(p) - p p^T.

    z: (C,) -> (C, C), or (N, C) -> (N, C, C) with one Jacobian per row. Each Jacobian is
    symmetric and each of its rows sums to 0 (adding a constant to every logit changes nothing).
    """
    z = as_float_array(z, "z", ndim=(1, 2))
    p = softmax(z, axis=-1)
    if p.ndim == 1:
        return np.diag(p) - np.outer(p, p)  # (C, C)
    eye = np.eye(p.shape[1], dtype=p.dtype)
    return eye * p[:, None, :] - p[:, :, None] * p[:, None, :]  # diag(p) - p p^T for every row: (N, C, C)


def one_hot(labels, num_classes, smoothing=0.0, dtype=np.float64):
    r"""Rows of target probabilities from integer labels (N,) -> (N, C).

    With label smoothing eps the true class gets 1 - eps + eps / C and every other class eps / C,
    so each row still sums to 1.
    """
    labels = np.asarray(labels)
    check_int(num_classes, "num_classes")
    if labels.dtype.kind not in "iu" or labels.ndim != 1:
        raise TypeError(f"labels must be 1-D integer class labels; got shape {labels.shape} and dtype {labels.dtype}")
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(f"labels must lie in [0, {num_classes}); got values from {labels.min()} to {labels.max()}")
    if not 0.0 <= float(smoothing) <= 1.0:
        raise ValueError(f"smoothing must lie in [0, 1]; got {smoothing!r}")
    out = np.full((labels.size, num_classes), smoothing / num_classes, dtype=dtype)
    out[np.arange(labels.size), labels] += 1.0 - smoothing
    return out


def _prepare(logits, target):
    """Shared checks of cross_entropy and its gradient: returns (logits2d, kind, t, squeeze)."""
    z = as_float_array(logits, "logits", ndim=(1, 2))
    z, target, squeeze = one_example_as_a_row(z, target, "logits", "target", soft=True)
    kind, t = check_target(target, z.shape)
    return z, kind, t, squeeze


def cross_entropy(logits, target, reduction="mean"):
    r"""Cross-entropy L = -sum_i y_i log softmax(z)_i, computed from logits.

    logits: (N, C) or (C,). target: integer labels (N,) (a single int for 1-D logits) or probability
    rows (N, C). With log-sum-exp, L_n = logsumexp(z_n) * sum_i y_ni - sum_i y_ni z_ni, which is
    finite for any finite logits. reduction: "mean" (over N), "sum" or "none" (shape (N,), or a
    0-d array for 1-D logits).
    """
    check_reduction(reduction)
    z, kind, t, squeeze = _prepare(logits, target)
    lse = logsumexp(z, axis=1)  # (N,)
    if kind == "labels":
        per_example = lse - z[np.arange(z.shape[0]), t]
    else:
        t = t.astype(z.dtype, copy=False)
        per_example = lse * t.sum(axis=1) - (t * z).sum(axis=1)
    if reduction == "none":
        return per_example[0] if squeeze else per_example
    total = per_example.sum()
    return total / z.shape[0] if reduction == "mean" else total


def cross_entropy_grad(logits, target, reduction="mean"):
    r"""dL/dz for L = cross_entropy(logits, target, reduction); same shape and dtype as logits.

    For one example dL/dz_i = p_i * sum_j y_j - y_i, which is p - y when the target sums to 1.
    "mean" divides by N, "sum" does not, "none" gives each row the gradient of its own loss.
    """
    check_reduction(reduction)
    z, kind, t, squeeze = _prepare(logits, target)
    p = softmax(z, axis=1)
    if kind == "labels":
        grad = p
        grad[np.arange(z.shape[0]), t] -= 1.0
    else:
        t = t.astype(z.dtype, copy=False)
        grad = p * t.sum(axis=1, keepdims=True) - t
    if reduction == "mean":
        grad /= z.shape[0]
    return grad[0] if squeeze else grad
