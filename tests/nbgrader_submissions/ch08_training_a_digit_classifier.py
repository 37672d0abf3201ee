SUBMISSIONS = {
    "ch08_transposed_confusion_missing_sigma_prime": {
        "kind": "wrong",
        "why": "the hidden deltas forget sigma'(Z), and the confusion matrix counts M[predicted, true]",
        "cells": {
            "loss_and_grads": '''
def loss_and_grads(X, y, params):
    Zs, As = [], [X]
    for l, (W, b) in enumerate(params):
        Z = As[-1] @ W + b
        Zs.append(Z)
        if l < len(params) - 1:
            As.append(sigmoid(Z))
    delta = cross_entropy_grad(Zs[-1], y)
    grads = []
    for l in range(len(params) - 1, -1, -1):
        grads.append((As[l].T @ delta, delta.sum(axis=0)))
        delta = delta @ params[l][0].T
    return float(cross_entropy(Zs[-1], y)), grads[::-1]
''',
            "confusion_matrix": '''
def confusion_matrix(y_true, y_pred, num_classes):
    M = np.zeros((num_classes, num_classes), dtype=int)
    for t, p in zip(y_true, y_pred):
        M[p, t] += 1
    return M
''',
        },
        "fails": ["test_loss_and_grads_gradients", "test_train_step", "test_confusion_matrix"],
    },
}
