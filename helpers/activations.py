r"""Element-wise activations, each beside its derivative (chapters 4-6).

Every function takes an array ``z`` of any shape and returns an array of the same shape and dtype
(integer input is computed in float64). Because they act element by element, their Jacobians are
diagonal, and the chain rule through them is a Hadamard (element-wise) product.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array

__all__ = [
    "sigmoid",
    "sigmoid_grad",
    "tanh",
    "tanh_grad",
    "relu",
    "relu_grad",
    "leaky_relu",
    "leaky_relu_grad",
    "ACTIVATIONS",
]


def _z(z):
    return as_float_array(z, "z", allow_empty=True)


def sigmoid(z):
    r"""sigma(z) = 1 / (1 + exp(-z)), computed as (1 + tanh(z / 2)) / 2.

    The tanh form never overflows: at z = +-800 it returns exactly 1 and 0, where the textbook
    form would evaluate exp(800) = inf.
    """
    z = _z(z)
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def sigmoid_grad(z):
    r"""sigma'(z) = sigma(z) (1 - sigma(z)); largest (1/4) at z = 0."""
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    r"""tanh(z) = (exp(z) - exp(-z)) / (exp(z) + exp(-z)) = 2 sigma(2z) - 1."""
    return np.tanh(_z(z))


def tanh_grad(z):
    r"""tanh'(z) = 1 - tanh(z)^2; largest (1) at z = 0."""
    t = np.tanh(_z(z))
    return 1.0 - t * t


def relu(z):
    r"""relu(z) = max(0, z)."""
    z = _z(z)
    return np.maximum(z, 0.0).astype(z.dtype, copy=False)


def relu_grad(z):
    r"""relu'(z) = 1 if z > 0 else 0 (the kink at 0 is given the value 0)."""
    z = _z(z)
    return (z > 0).astype(z.dtype)


def _check_slope(slope):
    if not np.isfinite(slope) or slope < 0:
        raise ValueError(f"slope must be a finite non-negative number; got {slope!r}")


def leaky_relu(z, slope=0.01):
    r"""leaky_relu(z) = z if z > 0 else slope * z."""
    _check_slope(slope)
    z = _z(z)
    return np.where(z > 0, z, z * z.dtype.type(slope))


def leaky_relu_grad(z, slope=0.01):
    r"""leaky_relu'(z) = 1 if z > 0 else slope."""
    _check_slope(slope)
    z = _z(z)
    return np.where(z > 0, z.dtype.type(1), z.dtype.type(slope))


# name -> (f, f') for code that picks an activation by name, such as helpers.MLP
ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "relu": (relu, relu_grad),
    "leaky_relu": (leaky_relu, leaky_relu_grad),
}
