r"""The dense (fully connected) layer, forward beside backward (chapters 5-7).

Row-major convention: rows are examples.

    Z = A_prev @ W + b        A_prev: (N, n_in)   W: (n_in, n_out)   b: (n_out,)   Z: (N, n_out)

Backward, given dZ = dL/dZ of shape (N, n_out):

    dA_prev = dZ @ W.T        (N, n_out) @ (n_out, n_in) -> (N, n_in)
    dW      = A_prev.T @ dZ   (n_in, N) @ (N, n_out)     -> (n_in, n_out)
    db      = sum over rows of dZ                        -> (n_out,)

A 1-D ``A_prev`` of shape (n_in,) is one example and gives a 1-D ``Z`` of shape (n_out,).
"""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array

__all__ = ["dense_forward", "dense_backward"]


def _check_weights(W, n_in, name_in="A_prev"):
    W = as_float_array(W, "W", ndim=2)
    if W.shape[0] != n_in:
        raise ValueError(
            f"W must have shape (n_in, n_out) with n_in = {n_in} to match {name_in}; got W of shape {W.shape}"
        )
    return W


def dense_forward(A_prev, W, b):
    r"""Z = A_prev @ W + b. Shapes: (N, n_in), (n_in, n_out), (n_out,) -> (N, n_out)."""
    A_prev = as_float_array(A_prev, "A_prev", ndim=(1, 2))
    W = _check_weights(W, A_prev.shape[-1])
    b = as_float_array(b, "b", allow_empty=True)
    if b.shape != (W.shape[1],):
        raise ValueError(
            f"b must have shape ({W.shape[1]},), one bias per output unit; got shape {b.shape}"
            + (" (flatten it with b.ravel())" if b.size == W.shape[1] else "")
        )
    return A_prev @ W + b


def dense_backward(dZ, A_prev, W):
    r"""Gradients of a dense layer: (dA_prev, dW, db) = (dZ @ W.T, A_prev.T @ dZ, dZ.sum(0)).

    dZ: (N, n_out), A_prev: (N, n_in), W: (n_in, n_out). A 1-D dZ and A_prev are one example.
    The sum in db is over examples: the same bias is added to every row, so its gradient collects
    the contribution of every row.
    """
    dZ = as_float_array(dZ, "dZ", ndim=(1, 2))
    A_prev = as_float_array(A_prev, "A_prev", ndim=(1, 2))
    if dZ.ndim != A_prev.ndim or dZ.shape[:-1] != A_prev.shape[:-1]:
        raise ValueError(
            f"dZ and A_prev must have the same number of examples (rows); got dZ of shape {dZ.shape} "
            f"and A_prev of shape {A_prev.shape}"
        )
    W = _check_weights(W, A_prev.shape[-1])
    if W.shape[1] != dZ.shape[-1]:
        raise ValueError(
            f"W must have shape (n_in, n_out) with n_out = {dZ.shape[-1]} to match dZ; got W of shape {W.shape}"
        )
    if dZ.ndim == 1:
        return W @ dZ, np.outer(A_prev, dZ), dZ.copy()
    return dZ @ W.T, A_prev.T @ dZ, dZ.sum(axis=0)
