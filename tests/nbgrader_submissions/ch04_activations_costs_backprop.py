SUBMISSIONS = {
    "ch04_naive_sigmoid_missing_sigma_prime": {
        "kind": "wrong",
        "why": "the textbook sigmoid overflows for z = -1000, the Huber gradient forgets 1/N, and the neuron's gradient forgets sigma'",
        "cells": {
            "sigmoid": '''
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def sigmoid_grad(z):
    s = sigmoid(z)
    return s * (1.0 - s)
''',
            "huber": '''
def huber_loss(pred, target, delta=1.0):
    r = np.abs(pred - target)
    return float(np.where(r <= delta, 0.5 * r ** 2, delta * (r - 0.5 * delta)).sum() / pred.shape[0])


def huber_grad(pred, target, delta=1.0):
    return np.clip(pred - target, -delta, delta)
''',
            "neuron_backward": '''
def neuron_backward(x, w, b, y):
    dz = 2.0 * (sigmoid(x @ w + b) - y)
    return dz * x, float(dz)
''',
        },
        "fails": ["test_sigmoid_extreme", "test_huber_grad", "test_neuron_backward"],
    },
}
