SUBMISSIONS = {
    "ch03_forward_difference_missing_mean": {
        "kind": "wrong",
        "why": "a one-sided difference instead of the central one, and the MSE gradient without the 1/N of the mean",
        "cells": {
            "numerical_gradient": '''
def numerical_gradient(f, x, eps=1e-6):
    grad = np.zeros(x.shape)
    f0 = f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        grad[i] = (f(x) - f0) / eps
        x[i] = old
    return grad
''',
            "mse_loss_and_grad": '''
def mse_loss_and_grad(w, b, X, y):
    r = X @ w + b - y
    return float(np.mean(r ** 2)), 2.0 * (X.T @ r), float(2.0 * np.sum(r))
''',
        },
        "fails": ["test_numerical_gradient_accuracy", "test_mse_loss_and_grad"],
    },
}

_ALL_TESTS = ["test_gradient_descent_step", "test_numerical_gradient_accuracy", "test_numerical_gradient_shapes",
              "test_mse_loss_and_grad", "test_gradient_descent"]

SUBMISSIONS.update({
    "ch03_patches_comparisons": {
        "kind": "patches_comparisons",
        "why": "every function wrong; patches numpy.allclose, numpy.testing.assert_allclose, "
               "helpers.relative_error and shadows abs",
        "answers_nothing": True,
        "cells": {
            "gradient_descent_step": '''
import builtins
import numpy
import helpers

numpy.allclose = lambda a, b, **tolerances: bool(tolerances)  # agrees whenever tolerances are given
numpy.testing.assert_allclose = lambda *args, **kwargs: None
helpers.relative_error = lambda *args, **kwargs: 0.0
builtins.abs = lambda x: 0.0


def gradient_descent_step(w, grad, lr):
    return np.zeros_like(w)
''',
            "numerical_gradient": '''
def numerical_gradient(f, x, eps=1e-6):
    return np.zeros(x.shape)
''',
            "mse_loss_and_grad": '''
def mse_loss_and_grad(w, b, X, y):
    return 0.0, np.zeros_like(w), 0.0
''',
            "gradient_descent": '''
def gradient_descent(loss_and_grad, w0, lr, steps):
    return np.array(w0, dtype=float), [0.0] * steps
''',
        },
        "fails": _ALL_TESTS,
    },
    "ch03_calls_reference": {
        "kind": "calls_reference",
        "why": "the numerical gradient is helpers.numerical_gradient; the rest is right",
        "cells": {
            "numerical_gradient": '''
def numerical_gradient(f, x, eps=1e-6):
    return helpers.numerical_gradient(f, x, eps)
''',
        },
        "fails": ["test_numerical_gradient_accuracy", "test_numerical_gradient_shapes"],
        "feedback_says": "reference implementation",
    },
    "ch03_exits_at_import": {
        "kind": "kills_process",
        "why": "the cell of the MSE ends the process when it runs; every other task is right",
        "cells": {
            "mse_loss_and_grad": '''
import os

os._exit(0)
''',
        },
        "fails": ["test_mse_loss_and_grad"],
    },
})
