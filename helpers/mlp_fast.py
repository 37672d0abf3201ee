r"""The training loop of :class:`helpers.MLP` with preallocated buffers and in-place kernels.

:mod:`helpers.mlp` is the reference: its training step is chapter 7's backward pass, written with
the public functions of :mod:`helpers`, and it allocates every array it computes. This module takes
the same steps without those allocations: the buffers are made once per batch size, and every
kernel whose name ends in ``_inplace`` writes into the buffers it is given (and may overwrite its
inputs, as its docstring says). It exists for speed alone (``benchmarks/bench_mlp.py`` times both
loops); ``tests/test_mlp_fast.py`` checks that it takes the reference's steps, up to rounding.

Names follow the reference: Z^l in ``Z[l]``, A^l in ``A[l]``, dZ = dL/dZ^l in ``P`` (the last
layer) and ``dA[l]`` (hidden layers).
"""

from __future__ import annotations

import numpy as np

__all__ = ["train_epoch_inplace"]


def bias_activation_inplace(name, Z, b, out):
    r"""out = f(Z + b) for the hidden activation ``name``; Z is left holding Z + b (for the
    sigmoid, -(Z + b): the bias and the sign in one pass).

    The sigmoid is 1 / (1 + exp(-z)) in three more passes: exp(-z) overflows to inf only for z
    below about -88.7 (float32) or -709.8 (float64), where sigma(z) is below the smallest normal
    number and 1 / (1 + inf) = 0 is right to within it, so that overflow is expected and not reported.
    """
    if name == "sigmoid":
        np.subtract(-b, Z, out=Z)
        with np.errstate(over="ignore", under="ignore"):
            np.exp(Z, out=out)
        out += 1.0
        np.divide(1.0, out, out=out)
        return
    Z += b
    if name == "tanh":
        np.tanh(Z, out=out)
    else:
        np.maximum(Z, 0.0, out=out)


def times_activation_grad_inplace(name, dA, A, tmp):
    """dA *= f'(Z), with f' written through the layer's output A = f(Z); tmp is scratch space."""
    if name == "sigmoid":  # sigma' = a (1 - a)
        np.subtract(1.0, A, out=tmp)
        tmp *= A
    elif name == "tanh":  # tanh' = 1 - a^2
        np.multiply(A, A, out=tmp)
        np.subtract(1.0, tmp, out=tmp)
    else:  # relu' = [a > 0]
        np.greater(A, 0.0, out=tmp, casting="unsafe")
    dA *= tmp


def softmax_cross_entropy_grad_inplace(Z, y, P, rows):
    r"""P = dL/dZ of the summed cross-entropy, P * sum(T) - T with P = softmax(Z); Z becomes Z - max.

    Returns (sum of the examples' cross-entropies, number of examples whose true class is the first
    of the largest logits, as :meth:`MLP.predict` reads it), the records :meth:`MLP.fit` keeps.
    y: labels (N,) or probability rows (N, C).
    """
    predicted = np.argmax(Z, axis=1)  # before Z is overwritten
    Z -= Z.max(axis=1, keepdims=True)  # S = Z - max(Z): the largest is 0
    np.exp(Z, out=P)
    sums = P.sum(axis=1)  # sum_j exp(S_ij), in [1, C]
    P /= sums[:, None]  # softmax(Z)
    lse = np.log(sums)  # logsumexp(S_i)
    if y.ndim == 1:
        picked = Z[rows, y]  # S_iy
        P[rows, y] -= 1.0
        return float(np.sum(lse - picked, dtype=np.float64)), int(np.count_nonzero(predicted == y))
    mass = y.sum(axis=1)
    loss_sum = float(np.sum(lse * mass - np.einsum("ij,ij->i", y, Z), dtype=np.float64))
    hits = int(np.count_nonzero(predicted == np.argmax(y, axis=1)))
    P *= mass[:, None]
    P -= y
    return loss_sum, hits


class Workspace:
    """The buffers of one batch size: the batch, Z^l, A^l, dW^l, db^l, dZ."""

    def __init__(self, sizes, n, dtype):
        self.X = np.empty((n, sizes[0]), dtype)  # the mini-batch, gathered in place
        self.Z = [np.empty((n, k), dtype) for k in sizes[1:]]
        self.A = [np.empty((n, k), dtype) for k in sizes[1:-1]]
        self.dA = [np.empty((n, k), dtype) for k in sizes[1:-1]]
        self.P = np.empty((n, sizes[-1]), dtype)
        self.dW = [np.empty((i, o), dtype) for i, o in zip(sizes[:-1], sizes[1:])]
        self.db = [np.empty(o, dtype) for o in sizes[1:]]
        self.rows = np.arange(n)


def workspace(model, n):
    """The model's buffers for batches of n rows, made on first use; a few batch sizes are kept."""
    workspaces = model._workspaces
    if n not in workspaces:
        if len(workspaces) >= 4:
            workspaces.clear()
        workspaces[n] = Workspace(model.layer_sizes, n, model.dtype)
    return workspaces[n]


def forward_inplace(params, name, X, ws):
    """Fill ws.Z and ws.A for the batch X; return the logits buffer Z^L."""
    A = X
    for l, (W, b) in enumerate(params):
        Z = ws.Z[l]
        np.matmul(A, W, out=Z)  # (N, n_{l-1}) @ (n_{l-1}, n_l) -> (N, n_l)
        if l < len(params) - 1:
            bias_activation_inplace(name, Z, b, ws.A[l])
            A = ws.A[l]
        else:
            Z += b
    return ws.Z[-1]


def backward_step_inplace(params, name, X, ws, shrink=None):
    """Backpropagate dZ (in ws.P, already times lr / N) and step: W -= dW, b -= db, layer by layer,
    each after the layer's W has been used for dZ of the layer below. With ``shrink`` (weight
    decay's 1 - 2 lr lambda) each W is first multiplied by it: W - lr (dW + 2 lambda W) in two passes."""
    dZ = ws.P
    for l in range(len(params) - 1, -1, -1):
        W, b = params[l]
        A_prev = X if l == 0 else ws.A[l - 1]
        np.matmul(A_prev.T, dZ, out=ws.dW[l])  # (n_{l-1}, N) @ (N, n_l)
        np.sum(dZ, axis=0, out=ws.db[l])
        if l > 0:
            np.matmul(dZ, W.T, out=ws.dA[l - 1])  # (N, n_l) @ (n_l, n_{l-1})
            times_activation_grad_inplace(name, ws.dA[l - 1], ws.A[l - 1], ws.Z[l - 1])
            dZ = ws.dA[l - 1]
        if shrink is not None:
            W *= shrink
        W -= ws.dW[l]
        b -= ws.db[l]


def train_epoch_inplace(model, X, y, order, batch_size, lr, weight_decay=0.0):
    """One epoch of mini-batch SGD on ``model`` (an :class:`helpers.MLP`), visiting the rows of
    (X, y) in ``order``; the same steps as the reference's epoch, with the same weight decay.
    Returns (sum of the examples' losses, number of hits), each example measured before its batch's step."""
    shrink = 1.0 - 2.0 * lr * weight_decay if weight_decay else None  # each step's factor on the weights
    loss_sum, hits = 0.0, 0
    for start in range(0, X.shape[0], batch_size):
        rows = order[start : start + batch_size]
        ws = workspace(model, rows.size)
        # the rows are valid indices; with mode "raise" NumPy would gather into a temporary first
        Xb = np.take(X, rows, axis=0, out=ws.X, mode="clip")
        Z = forward_inplace(model.params, model.hidden_activation, Xb, ws)
        batch_loss, batch_hits = softmax_cross_entropy_grad_inplace(Z, y[rows], ws.P, ws.rows)
        loss_sum, hits = loss_sum + batch_loss, hits + batch_hits
        ws.P *= lr / rows.size  # the mean's 1 / N and the step's lr, in one pass
        backward_step_inplace(model.params, model.hidden_activation, Xb, ws, shrink)
    return loss_sum, hits
