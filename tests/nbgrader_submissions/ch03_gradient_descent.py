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
