r"""The losses of chapter 4, each beside its gradient with respect to the prediction.

Shapes: ``pred`` and ``target`` are (N, D) (rows are examples) or (D,) for one example, and must
have the same shape. Each loss sums over the D components of an example to give L_n, then reduces
over examples: "mean" (1/N sum_n L_n, the default), "sum", or "none" (the vector of L_n). Each
``*_grad`` returns dL/dpred with the shape of ``pred`` for the same reduction.

Cross-entropy lives in :mod:`helpers.softmax`, beside the softmax it is computed through.
The multiclass hinge loss takes scores (N, C) and integer labels (N,) instead of a target array.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array, check_labels, check_reduction, one_example_as_a_row

__all__ = [
    "absolute_difference", "absolute_difference_grad",
    "squared_error", "squared_error_grad",
    "huber", "huber_grad",
    "cosine_distance", "cosine_distance_grad",
    "hinge", "hinge_grad",
]


def _pair(pred, target):
    pred = as_float_array(pred, "pred", ndim=(1, 2))
    target = as_float_array(target, "target", ndim=(1, 2))
    if target.shape != pred.shape:
        raise ValueError(f"target must have the shape of pred {pred.shape}; got {target.shape}")
    return pred, target.astype(pred.dtype, copy=False)


def _reduce(per_component, reduction):
    """Sum over the last axis (components), then reduce over examples."""
    return _reduce_examples(per_component.sum(axis=-1), reduction)


def _reduce_examples(per_example, reduction):
    if reduction == "none" or per_example.ndim == 0:
        return per_example
    return per_example.mean() if reduction == "mean" else per_example.sum()


def _scale(grad, reduction):
    """d(mean)/dpred = d(sum)/dpred / N for a batch; one example has N = 1."""
    if reduction == "mean" and grad.ndim == 2:
        grad /= grad.shape[0]
    return grad


def absolute_difference(pred, target, reduction="mean"):
    r"""L_n = sum_i |pred_i - target_i| (the L1 distance)."""
    check_reduction(reduction)
    pred, target = _pair(pred, target)
    return _reduce(np.abs(pred - target), reduction)


def absolute_difference_grad(pred, target, reduction="mean"):
    r"""dL_n/dpred_i = sign(pred_i - target_i); at the kink pred_i = target_i it is taken as 0."""
    check_reduction(reduction)
    pred, target = _pair(pred, target)
    return _scale(np.sign(pred - target), reduction)


def squared_error(pred, target, reduction="mean"):
    r"""L_n = sum_i (pred_i - target_i)^2. With reduction "mean" this is the mean over examples of
    the squared Euclidean distance."""
    check_reduction(reduction)
    pred, target = _pair(pred, target)
    r = pred - target
    return _reduce(r * r, reduction)


def squared_error_grad(pred, target, reduction="mean"):
    r"""dL_n/dpred_i = 2 (pred_i - target_i)."""
    check_reduction(reduction)
    pred, target = _pair(pred, target)
    return _scale(2.0 * (pred - target), reduction)


def _check_delta(delta):
    if not np.isfinite(delta) or delta <= 0:
        raise ValueError(f"delta must be a positive finite number; got {delta!r}")


def huber(pred, target, delta=1.0, reduction="mean"):
    r"""L_n = sum_i h(pred_i - target_i), h(r) = r^2 / 2 if |r| <= delta else delta (|r| - delta / 2).

    Quadratic near 0 like the squared error, linear in the tails like the absolute difference, so
    outliers pull with a bounded force.
    """
    check_reduction(reduction)
    _check_delta(delta)
    pred, target = _pair(pred, target)
    r = np.abs(pred - target)
    return _reduce(np.where(r <= delta, 0.5 * r * r, delta * (r - 0.5 * delta)), reduction)


def huber_grad(pred, target, delta=1.0, reduction="mean"):
    r"""dL_n/dpred_i = clip(pred_i - target_i, -delta, delta)."""
    check_reduction(reduction)
    _check_delta(delta)
    pred, target = _pair(pred, target)
    return _scale(np.clip(pred - target, -delta, delta), reduction)


def _norms(pred, target):
    pn = np.linalg.norm(pred, axis=-1, keepdims=True)
    tn = np.linalg.norm(target, axis=-1, keepdims=True)
    for name, norm in (("pred", pn), ("target", tn)):
        if (norm == 0).any():
            raise ValueError(f"{name} has a row of zeros: the cosine distance needs non-zero vectors")
    return pn, tn


def cosine_distance(pred, target, reduction="mean"):
    r"""L_n = 1 - cos(pred, target) = 1 - pred . target / (|pred| |target|), in [0, 2]."""
    check_reduction(reduction)
    pred, target = _pair(pred, target)
    pn, tn = _norms(pred, target)
    u, v = pred / pn, target / tn  # unit vectors: the division cannot overflow
    return _reduce_examples(1.0 - (u * v).sum(axis=-1), reduction)


def cosine_distance_grad(pred, target, reduction="mean"):
    r"""dL_n/dpred = -(v - (u . v) u) / |pred|, with u = pred / |pred| and v = target / |target|.

    The gradient is perpendicular to pred: stretching pred does not change the angle.
    """
    check_reduction(reduction)
    pred, target = _pair(pred, target)
    pn, tn = _norms(pred, target)
    u, v = pred / pn, target / tn
    cos = (u * v).sum(axis=-1, keepdims=True)
    return _scale(-(v - cos * u) / pn, reduction)


def _scores_labels(scores, labels):
    scores = as_float_array(scores, "scores", ndim=(1, 2))
    scores, labels, squeeze = one_example_as_a_row(scores, labels, "scores", "labels")
    labels = check_labels(labels, scores.shape[0], scores.shape[1], "labels")
    return scores, labels, squeeze


def _check_margin(margin):
    if not np.isfinite(margin) or margin < 0:
        raise ValueError(f"margin must be a non-negative finite number; got {margin!r}")


def hinge(scores, labels, margin=1.0, reduction="mean"):
    r"""Multiclass hinge: L_n = sum_{j != y_n} max(0, s_nj - s_n,y_n + margin).

    scores: (N, C) or (C,); labels: (N,) integers in [0, C) (one int for 1-D scores). Zero once the
    true class beats every other class by at least ``margin``.
    """
    check_reduction(reduction)
    _check_margin(margin)
    scores, labels, squeeze = _scores_labels(scores, labels)
    rows = np.arange(scores.shape[0])
    m = np.maximum(0.0, scores - scores[rows, labels][:, None] + margin)
    m[rows, labels] = 0.0
    out = _reduce(m, reduction)
    return out[0] if squeeze and reduction == "none" else out


def hinge_grad(scores, labels, margin=1.0, reduction="mean"):
    r"""dL_n/ds_nj = 1[s_nj - s_n,y + margin > 0] for j != y, and minus the count of those for j = y."""
    check_reduction(reduction)
    _check_margin(margin)
    scores, labels, squeeze = _scores_labels(scores, labels)
    rows = np.arange(scores.shape[0])
    active = (scores - scores[rows, labels][:, None] + margin > 0).astype(scores.dtype)
    active[rows, labels] = 0.0
    active[rows, labels] = -active.sum(axis=1)
    if squeeze:
        return active[0]
    return _scale(active, reduction)
