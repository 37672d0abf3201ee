SUBMISSIONS = {
    "ch07_naive_softmax": {
        "kind": "wrong",
        "why": "softmax without subtracting the maximum: exp overflows for logits in the thousands, "
               "which also breaks the Jacobian and the gradient that use it",
        "cells": {
            "softmax": '''
def softmax(Z):
    E = np.exp(np.asarray(Z, dtype=float))
    return E / E.sum(axis=-1, keepdims=True)
''',
        },
        "fails": ["test_softmax_extreme", "test_softmax_jacobian", "test_cross_entropy_grad_rows_extreme"],
    },
    "ch07_diagonal_jacobian": {
        "kind": "wrong",
        "why": "the Jacobian keeps only the diagonal p_i (1 - p_i)",
        "cells": {
            "softmax_jacobian": '''
def softmax_jacobian(z):
    p = softmax(z)
    return np.diag(p * (1 - p))
''',
        },
        "fails": ["test_softmax_jacobian"],
    },
    "ch07_sum_not_mean": {
        "kind": "wrong",
        "why": "the loss sums over the batch and the gradient has no 1/N",
        "cells": {
            "cross_entropy": '''
def logsumexp(Z):
    m = Z.max(axis=-1, keepdims=True)
    return (m + np.log(np.exp(Z - m).sum(axis=-1, keepdims=True)))[..., 0]


def cross_entropy(Z, Y):
    Z = np.asarray(Z, dtype=float)
    Y = np.asarray(Y)
    if Y.ndim == 1:
        return float(np.sum(logsumexp(Z) - Z[np.arange(len(Z)), Y]))
    return float(np.sum(logsumexp(Z) * Y.sum(axis=1) - (Y * Z).sum(axis=1)))
''',
            "cross_entropy_grad": '''
def cross_entropy_grad(Z, Y):
    Y = np.asarray(Y)
    if Y.ndim == 1:
        Y = np.eye(Z.shape[1])[Y]
    return softmax(Z) - Y
''',
        },
        "fails": ["test_cross_entropy", "test_cross_entropy_extreme", "test_cross_entropy_grad",
                  "test_cross_entropy_grad_rows_extreme"],
    },
    "ch07_log_of_softmax": {
        "kind": "wrong",
        "why": "the loss takes log(softmax(Z)), which is log(0) = -inf once a probability underflows",
        "cells": {
            "cross_entropy": '''
def cross_entropy(Z, Y):
    P = softmax(Z)
    Y = np.asarray(Y)
    if Y.ndim == 1:
        Y = np.eye(P.shape[1])[Y]
    return float(-np.mean(np.sum(Y * np.log(P), axis=1)))
''',
        },
        "fails": ["test_cross_entropy_extreme"],
    },
    "ch07_redefines_helpers": {
        "kind": "redefines_helpers",
        "why": "replaces check_close by a function that accepts anything and patches helpers' reference "
               "with its own gradient, whose probability-row branch forgets 1/N",
        "cells": {
            "cross_entropy_grad": '''
import sys
import helpers


def check_close(*args, **kwargs):  # every visible check now passes
    return None


def cross_entropy_grad(Z, Y):
    Z = np.asarray(Z, dtype=float)
    Y = np.asarray(Y)
    if Y.ndim == 1:
        return (softmax(Z) - np.eye(Z.shape[1])[Y]) / Z.shape[0]
    return softmax(Z) - Y


def _agree(logits, target, reduction="mean"):
    return cross_entropy_grad(logits, target)


helpers.cross_entropy_grad = _agree
sys.modules["helpers.softmax"].cross_entropy_grad = _agree
''',
        },
        "fails": ["test_cross_entropy_grad_rows_extreme"],
    },
}
