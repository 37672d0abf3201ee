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
    r"""sigma(z) = 1 / (1 + exp(-z)), in (0, 1), in chapter 4's overflow-free form.

    With e = exp(-|z|), which lies in (0, 1] and cannot overflow (the textbook form evaluates
    exp(800) = inf at z = -800): sigma(z) = 1 / (1 + e) for z >= 0 and e / (1 + e) for z < 0.
    Where sigma(z) is tiny it keeps full relative precision, down to the subnormal numbers; at
    z = -800 it is exactly 0, at 800 exactly 1.
    """
    z = _z(z)
    with np.errstate(under="ignore"):  # exp(-|z|) may underflow to a subnormal number or 0: as it should
        e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(z):
    r"""sigma'(z) = sigma(z) (1 - sigma(z)) = e / (1 + e)^2 with e = exp(-|z|); largest (1/4) at z = 0.

    Kept in the second form for precision: the first subtracts numbers close to 1; in float64 it is
    off by 1e-3 (relative) at z = 30 and exactly 0 from z = 37 on, where the second gives 8.5e-17.
    """
    z = _z(z)
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(z))
    return e / ((1.0 + e) * (1.0 + e))


def tanh(z):
    r"""tanh(z) = (exp(z) - exp(-z)) / (exp(z) + exp(-z)) = 2 sigma(2z) - 1.

    Computed by np.tanh for precision: near z = 0, 2 sigma(2z) - 1 subtracts numbers close to 1
    (in float64 it is off by 8e-8, relative, at z = 1e-10).
    """
    return np.tanh(_z(z))


def tanh_grad(z):
    r"""tanh'(z) = 1 - tanh(z)^2 = 4 sigma'(2z), largest (1) at z = 0.

    Kept in the second form for precision far from 0, where 1 - tanh(z)^2 subtracts numbers close to 1.
    """
    z = _z(z)
    return 4.0 * sigmoid_grad(2.0 * z)


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
