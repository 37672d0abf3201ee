"""helpers: the small NumPy library the chapters of the book build step by step, then import.

Each derivative lives next to its function: ``softmax`` beside ``softmax_jacobian``,
``sigmoid`` beside ``sigmoid_grad``, ``dense_forward`` beside ``dense_backward``.
Rows are examples; a 1-D logits vector is one example.
"""

from .activations import (
    ACTIVATIONS,
    leaky_relu,
    leaky_relu_grad,
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    tanh,
    tanh_grad,
)
from . import data
from .gradcheck import normwise_error, numerical_gradient, relative_error
from .layers import dense_backward, dense_forward
from .losses import (
    absolute_difference,
    absolute_difference_grad,
    cosine_distance,
    cosine_distance_grad,
    hinge,
    hinge_grad,
    huber,
    huber_grad,
    squared_error,
    squared_error_grad,
)
from .mlp import MLP
from .softmax import (
    cross_entropy,
    cross_entropy_grad,
    log_softmax,
    logsumexp,
    one_hot,
    softmax,
    softmax_jacobian,
)

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS", "MLP", "data",
    "absolute_difference", "absolute_difference_grad", "cosine_distance", "cosine_distance_grad",
    "cross_entropy", "cross_entropy_grad", "dense_backward", "dense_forward",
    "hinge", "hinge_grad", "huber", "huber_grad", "leaky_relu", "leaky_relu_grad",
    "log_softmax", "logsumexp", "normwise_error", "numerical_gradient", "one_hot", "relative_error", "relu", "relu_grad",
    "sigmoid", "sigmoid_grad", "softmax", "softmax_jacobian", "squared_error", "squared_error_grad",
    "tanh", "tanh_grad",
]
