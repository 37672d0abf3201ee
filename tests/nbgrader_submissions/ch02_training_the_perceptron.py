SUBMISSIONS = {
    "ch02_wrong_sign": {
        "kind": "wrong",
        "why": "the step uses y - y_hat with y_hat = (z > 0): points on the boundary of class 0 are not "
               "treated as mistakes, and the signs of the updates are flipped",
        "cells": {
            "perceptron_step": '''
def perceptron_step(w, b, x, y, lr=1.0):
    y_hat = 1 if x @ w + b > 0 else 0
    return w + lr * (y_hat - y) * x, b + lr * (y_hat - y)
''',
        },
        "fails": ["test_perceptron_step", "test_train_perceptron_separable"],
    },
    "ch02_loops_forever": {
        "kind": "loops",
        "why": "the training loop ignores max_epochs and waits for an epoch without mistakes, which never comes on XOR",
        "cells": {
            "train_perceptron": '''
def train_perceptron(X, y, lr=1.0, max_epochs=100):
    w, b = np.zeros(X.shape[1]), 0.0
    mistakes = []
    while True:
        count = 0
        for x_n, y_n in zip(X, y):
            count += int((2 * y_n - 1) * (x_n @ w + b) <= 0)
            w, b = perceptron_step(w, b, x_n, y_n, lr)
        mistakes.append(count)
        if count == 0:
            return w, b, mistakes
''',
        },
        "fails": ["test_train_perceptron_xor"],
        "review": ["test_train_perceptron_xor"],
    },
}
