# the input checks both early-stopping submissions share (right in both; each gets the loop wrong)
_EARLY_STOP_CHECKS = '''
def early_stop(val_losses, patience):
    losses = np.asarray(val_losses, dtype=float)
    if losses.ndim != 1 or losses.size == 0:
        raise ValueError(f"val_losses must be a non-empty 1-D sequence; got shape {losses.shape}")
    if not np.all(np.isfinite(losses)):
        raise ValueError("val_losses must be finite")
    if patience < 1:
        raise ValueError(f"patience must be at least 1; got {patience}")
'''

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
    "ch08_early_stop_keeps_last_epoch": {
        "kind": "wrong",
        "why": "early stopping ends the run at the right epoch but keeps that last epoch's weights, not the best ones",
        "cells": {
            "early_stop": _EARLY_STOP_CHECKS + '''    best, waited = np.inf, 0
    for epoch, loss in enumerate(losses, start=1):
        if loss < best:
            best, waited = loss, 0
        else:
            waited += 1
        if waited >= patience:
            return epoch, epoch
    return len(losses), len(losses)
''',
        },
        "fails": ["test_early_stop", "test_early_stop_random"],
    },
    "ch08_early_stop_one_epoch_late": {
        "kind": "wrong",
        "why": "the patience is counted one too far: the run stops patience + 1 epochs after the lowest loss",
        "cells": {
            "early_stop": _EARLY_STOP_CHECKS + '''    best = 0
    for i in range(len(losses)):
        if losses[i] < losses[best]:
            best = i
        if i - best > patience:
            return i + 1, best + 1
    return len(losses), best + 1
''',
        },
        "fails": ["test_early_stop", "test_early_stop_random"],
    },
}
