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

# the forward pass that three dropout submissions share, with their own Omega (the backward pass follows)
_DROPOUT_FORWARD = '''
def dropout_loss_and_grads(params, X, y, mask, keep):
    (W1, b1), (W2, b2) = params
    Omega = {omega}
    Z1 = X @ W1 + b1
    A1_kept = sigmoid(Z1) * Omega
    Z2 = A1_kept @ W2 + b2
    loss = float(cross_entropy(Z2, y))
    dZ2 = cross_entropy_grad(Z2, y)
'''
# the backward pass of the chapter, for the submissions whose mistake is in Omega
_DROPOUT_BACKWARD = '''    dZ1 = (dZ2 @ W2.T) * Omega * sigmoid_grad(Z1)
    return loss, [(X.T @ dZ1, dZ1.sum(axis=0)), (A1_kept.T @ dZ2, dZ2.sum(axis=0))]
'''

# the input checks both ECE submissions share (right in both)
_ECE_CHECKS = '''
def ece(P, labels, n_bins=10):
    P, labels = np.asarray(P, dtype=float), np.asarray(labels)
    if P.ndim != 2:
        raise ValueError(f"P must be 2-D; got shape {P.shape}")
    if labels.shape != (P.shape[0],):
        raise ValueError(f"labels must have one entry per row of P; got shape {labels.shape}")
    if n_bins < 1:
        raise ValueError(f"n_bins must be at least 1; got {n_bins}")
'''

# the input checks and the counts of disagreements both McNemar submissions share (each gets the p-value wrong)
_MCNEMAR_COUNTS = '''import math


def mcnemar_exact(right_a, right_b):
    a, b = np.asarray(right_a), np.asarray(right_b)
    for name, x in (("right_a", a), ("right_b", b)):
        if x.ndim != 1 or not np.all((x == 0) | (x == 1)):
            raise ValueError(f"{name} must hold True/False only")
    if a.shape != b.shape:
        raise ValueError(f"right_b must have the shape of right_a; got {b.shape}")
    a, b = a.astype(bool), b.astype(bool)
    n10, n01 = int(np.sum(a & ~b)), int(np.sum(~a & b))
    n = n10 + n01
    if n == 0:
        return 1.0
'''

# the input checks and the directions both directional-check submissions share (right in both)
_DIRECTIONAL_CHECKS = '''
def directional_check(loss, grad, theta, n_dirs=5, h=1e-5, seed=0):
    theta, grad = np.asarray(theta, dtype=float), np.asarray(grad, dtype=float)
    if theta.ndim != 1:
        raise ValueError(f"theta must be 1-D; got shape {theta.shape}")
    if grad.shape != theta.shape:
        raise ValueError(f"grad must have theta's shape; got {grad.shape}")
    if n_dirs < 1:
        raise ValueError(f"n_dirs must be at least 1; got {n_dirs}")
    rng = np.random.default_rng(seed)
    errors = []
'''
# the loop both wrong directional checks share, with their own difference b and their own summary of the errors
_DIRECTIONAL_LOOP = '''    for _ in range(n_dirs):
        u = rng.standard_normal(theta.size)
        u /= np.linalg.norm(u)
        a, b = grad @ u, {difference}
        errors.append(abs(a - b) / (abs(a) + abs(b)))
    return {summary}
'''

# the input checks and the loop both wrong training loops share, with their own visiting order and epoch loss
_TRAIN_SGD = '''
def train_sgd(params, X, labels, grad_fn, epochs, batch_size, lr, seed=0):
    X, labels = np.asarray(X), np.asarray(labels)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D; got shape {{X.shape}}")
    if len(labels) != len(X):
        raise ValueError(f"labels must have one entry per row of X; got {{len(labels)}}")
    if epochs < 1 or batch_size < 1:
        raise ValueError(f"epochs and batch_size must be at least 1; got epochs={{epochs}}, batch_size={{batch_size}}")
    if not (np.isfinite(lr) and lr > 0):
        raise ValueError(f"lr must be a positive finite number; got {{lr}}")
    params = copy_params(params)
    rng = np.random.default_rng(seed)
    epoch_losses = []
    for _ in range(epochs):
        order = {order}
        batch_losses, batch_sizes = [], []
        for start in range(0, len(X), batch_size):
            rows = order[start:start + batch_size]
            loss, grads = grad_fn(X[rows], labels[rows], params)
            batch_losses.append(loss)
            batch_sizes.append(len(rows))
            for (W, b), (dW, db) in zip(params, grads):
                W -= lr * dW
                b -= lr * db
        epoch_losses.append({epoch_loss})
    return params, epoch_losses
'''

_BOOTSTRAP = '''
def paired_bootstrap(right_a, right_b, draws=10000, seed=0):
    a, b = np.asarray(right_a), np.asarray(right_b)
    for name, x in (("right_a", a), ("right_b", b)):
        if x.ndim != 2 or not np.isin(x, (0, 1)).all():
            raise ValueError(f"{{name}}: expected a 2-D array of 0/1, got {{x!r}}")
    if b.shape != a.shape:
        raise ValueError(f"right_b has shape {{b.shape}}, right_a {{a.shape}}")
    if not isinstance(draws, (int, np.integer)) or draws < 1:
        raise ValueError(f"draws must be a positive integer, got {{draws}}")
    S, N = a.shape
    rng = np.random.default_rng(seed)
{totals}
    low, high = np.percentile(totals, [2.5, 97.5], method="nearest")
    return (a.sum() - b.sum()) / S, (low / S, high / S), float(np.mean({share}))
'''

# the input checks the smoothing-gap submissions share (right in all three), with their own gap
_SMOOTHING_GAP = '''
def smoothing_gap(eps, n_classes):
    if isinstance(n_classes, bool) or not isinstance(n_classes, (int, np.integer)) or n_classes < 2:
        raise ValueError(f"n_classes must be an integer of at least 2; got {{n_classes!r}}")
    if not (isinstance(eps, (int, float, np.integer, np.floating)) and 0 < eps <= 1):
        raise ValueError(f"eps must lie in (0, 1]; got {{eps!r}}")
    return float({gap})
'''

# the input checks the judge_comparison submissions share (right in all), with their own numbers and verdicts;
# the sign-flip test by counting the sign patterns by their total, one image at a time (exact for any number of
# differing images); one-sided where {sided} says so
_JUDGE = '''
def judge_comparison(right_a, right_b, draws=10000, seed=0):
    a, b = np.asarray(right_a).astype(int), np.asarray(right_b).astype(int)
    if a.ndim != 2 or a.shape[0] < 2:
        raise ValueError(f"right_a must be 2-D with at least two seeds; got shape {{a.shape}}")
    if b.shape != a.shape:
        raise ValueError(f"right_b must have the shape of right_a; got {{b.shape}}")
    S, N = a.shape
    d = a.sum(axis=1) - b.sum(axis=1)
    lead = d.mean()
{numbers}
    e = (a - b).sum(axis=0)
    reach = {{0: 1}}  # total -> how many sign patterns reach it
    for size in np.abs(e[e != 0]).tolist():
        grown = {{}}
        for total, count in reach.items():
            grown[total + size] = grown.get(total + size, 0) + count
            grown[total - size] = grown.get(total - size, 0) + count
        reach = grown
    totals, counts = np.array(list(reach)), np.array(list(reach.values()), dtype=object)
    p = float(counts[{sided}].sum() / counts.sum())
    images = {images}
    return {{"lead": lead, "se": se, "interval": (low, high), "p": p, "clears_seeds": {cast}(lead > {seeds}),
            "clears_images": {cast}(lead > 0 and images)}}
'''
_TWO_SIDED = "np.abs(totals) >= abs(e.sum())"
_T_POINT = "T_975[min(S - 1, 30)] * se"
_EXACT_THEN_INTERVAL = "p < 0.05"
# the paired standard error, right in every submission whose mistake is in the interval
_JUDGE_SE = "    se = d.std(ddof=1) / np.sqrt(S)\n"

# the input checks the initial-scale submissions share (right in all), with their own two scales
_SCALES = '''
def _positive_size(name, n):
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"{{name}} must be a positive integer; got {{n!r}}")


def backward_scale(n_in, n_out):
    _positive_size("n_in", n_in)
    _positive_size("n_out", n_out)
    return float({backward})


def glorot_scale(n_in, n_out):
    _positive_size("n_in", n_in)
    _positive_size("n_out", n_out)
    return float({glorot})
'''

SUBMISSIONS = {
    "ch08_missing_sigma_prime": {
        "kind": "wrong",
        "why": "the hidden deltas forget sigma'(Z), the bug of chapter 6",
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
        },
        "fails": ["test_loss_and_grads_gradients", "test_loss_and_grads_decay"],
    },
    "ch08_decay_factor_one": {
        "kind": "wrong",
        "why": "weight decay's gradient taken as lambda W, not 2 lambda W (the loss penalised right)",
        "cells": {
            "loss_and_grads": '''
def loss_and_grads(X, y, params, weight_decay=0.0):
    if weight_decay < 0:
        raise ValueError(f"weight_decay must be 0 or more; got {weight_decay}")
    Zs, As = [], [X]
    for l, (W, b) in enumerate(params):
        Zs.append(As[-1] @ W + b)
        if l < len(params) - 1:
            As.append(sigmoid(Zs[-1]))
    loss = float(cross_entropy(Zs[-1], y)) + weight_decay * sum(np.sum(W * W) for W, _ in params)
    delta = cross_entropy_grad(Zs[-1], y)
    grads = []
    for l in range(len(params) - 1, -1, -1):
        W = params[l][0]
        grads.insert(0, (As[l].T @ delta + weight_decay * W, delta.sum(axis=0)))
        if l > 0:
            delta = (delta @ W.T) * sigmoid_grad(Zs[l - 1])
    return loss, grads
''',
        },
        "fails": ["test_loss_and_grads_decay"],
        "feedback_says": "you added weight_decay * W",
    },
    "ch08_dropout_written_another_way": {
        "kind": "right",
        "why": "a correct dropout pass written without the helpers: its own sigmoid and log-softmax, the mask applied "
               "with np.where; it must lose nothing",
        "cells": {
            "dropout_loss_and_grads": '''
def dropout_loss_and_grads(params, X, y, mask, keep):
    (W1, b1), (W2, b2) = params
    N = X.shape[0]
    A1 = 1 / (1 + np.exp(-(X @ W1 + b1)))
    D = np.where(mask > 0, A1 / keep, 0.0)  # the kept activations, scaled by 1/keep
    Z2 = D @ W2 + b2
    S = Z2 - Z2.max(axis=1, keepdims=True)
    log_P = S - np.log(np.exp(S).sum(axis=1, keepdims=True))
    loss = -log_P[np.arange(N), y].mean()
    dZ2 = np.exp(log_P)
    dZ2[np.arange(N), y] -= 1
    dZ2 /= N
    dZ1 = np.where(mask > 0, (dZ2 @ W2.T) / keep, 0.0) * A1 * (1 - A1)
    return loss, [(X.T @ dZ1, dZ1.sum(axis=0)), (D.T @ dZ2, dZ2.sum(axis=0))]
''',
        },
        "fails": [],
    },
    "ch08_dropout_mask_forgotten_in_backward": {
        "kind": "wrong",
        "why": "the forward pass multiplies A1 by Omega, the backward pass forgets it: "
               "Delta1 = (Delta2 W2^T) * sigma'(Z1)",
        "cells": {
            "dropout_loss_and_grads": _DROPOUT_FORWARD.format(omega="mask / keep") + '''
    dZ1 = (dZ2 @ W2.T) * sigmoid_grad(Z1)
    return loss, [(X.T @ dZ1, dZ1.sum(axis=0)), (A1_kept.T @ dZ2, dZ2.sum(axis=0))]
''',
        },
        "fails": ["test_dropout_grads"],
        "feedback_says": "AssertionError: dW1[:, 2] and db1[2], the incoming weights and bias of a dropped unit: "
                         "values differ",
    },
    "ch08_dropout_no_division_by_keep": {
        "kind": "wrong",
        "why": "Omega is the 0/1 mask itself, the kept units not scaled by 1/keep; the backward pass agrees with "
               "this loss, so the gradients pass the visible central differences and fail the hidden reference",
        "cells": {
            "dropout_loss_and_grads": _DROPOUT_FORWARD.format(omega="mask") + _DROPOUT_BACKWARD,
        },
        "fails": ["test_dropout_loss", "test_dropout_grads"],
        "feedback_says": "AssertionError: You multiplied A1 by the mask but did not divide by keep",
    },
    "ch08_dropout_keep_read_as_drop_rate": {
        "kind": "wrong",
        "why": "divides by 1 - keep, reading keep as the probability of dropping a unit (PyTorch's Dropout(p)): right "
               "at the visible keep = 0.5, so the loss fails only the hidden tests; the gradients fail at keep = 1",
        "cells": {
            "dropout_loss_and_grads": _DROPOUT_FORWARD.format(omega="mask / (1 - keep)") + _DROPOUT_BACKWARD,
        },
        "fails": ["test_dropout_loss", "test_dropout_grads"],
        "feedback_says": "AssertionError: the dropout loss differs from the reference",
    },
    "ch08_dropout_mask_on_pre_activation": {
        "kind": "wrong",
        "why": "the mask multiplies Z1 before the sigmoid, so a dropped unit outputs sigmoid(0) = 1/2 (the backward "
               "pass is that of this wrong forward pass)",
        "cells": {
            "dropout_loss_and_grads": '''
def dropout_loss_and_grads(params, X, y, mask, keep):
    (W1, b1), (W2, b2) = params
    Omega = mask / keep
    Z1 = (X @ W1 + b1) * Omega
    A1 = sigmoid(Z1)
    Z2 = A1 @ W2 + b2
    dZ2 = cross_entropy_grad(Z2, y)
    dZ1 = (dZ2 @ W2.T) * sigmoid_grad(Z1) * Omega
    return float(cross_entropy(Z2, y)), [(X.T @ dZ1, dZ1.sum(axis=0)), (A1.T @ dZ2, dZ2.sum(axis=0))]
''',
        },
        "fails": ["test_dropout_loss", "test_dropout_grads"],
    },
    "ch08_dropout_sum_not_mean": {
        "kind": "wrong",
        "why": "the loss sums the cross-entropies over the batch and Delta2 = P - Y has no 1/N: both are N times "
               "too large",
        "cells": {
            "dropout_loss_and_grads": '''
def dropout_loss_and_grads(params, X, y, mask, keep):
    (W1, b1), (W2, b2) = params
    Omega = mask / keep
    Z1 = X @ W1 + b1
    A1_kept = sigmoid(Z1) * Omega
    Z2 = A1_kept @ W2 + b2
    P = softmax(Z2)
    Y = np.eye(P.shape[1])[y]
    loss = -np.sum(Y * np.log(P))
    dZ2 = P - Y
    dZ1 = (dZ2 @ W2.T) * Omega * sigmoid_grad(Z1)
    return loss, [(X.T @ dZ1, dZ1.sum(axis=0)), (A1_kept.T @ dZ2, dZ2.sum(axis=0))]
''',
        },
        "fails": ["test_dropout_loss", "test_dropout_grads"],
        "feedback_says": "AssertionError: The loss is exactly N = 6 times too large",
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
    "ch08_ece_unweighted_bins": {
        "kind": "wrong",
        "why": "the ECE as the plain mean of |acc - conf| over the non-empty bins, without weighing each by its share",
        "cells": {
            "ece": _ECE_CHECKS + '''    conf, right = P.max(axis=1), P.argmax(axis=1) == labels
    bins = np.minimum((conf * n_bins).astype(int), n_bins - 1)
    gaps = [abs(right[bins == j].mean() - conf[bins == j].mean()) for j in range(n_bins) if np.any(bins == j)]
    return float(np.mean(gaps))
''',
        },
        "fails": ["test_ece", "test_ece_random"],
        "feedback_says": "Weigh each bin by its share of the images",
    },
    "ch08_ece_written_another_way": {
        "kind": "right",
        "why": "a correct ECE with np.digitize over the bin edges and np.bincount; it must lose nothing",
        "cells": {
            "ece": _ECE_CHECKS + '''    conf = P.max(axis=1)
    right = (P.argmax(axis=1) == labels).astype(float)
    edges = np.arange(1, n_bins) / n_bins  # the inner edges; a confidence on an edge starts the next bin
    bins = np.digitize(conf, edges)
    gap = np.abs(np.bincount(bins, weights=right - conf, minlength=n_bins))
    return float(gap.sum() / len(conf))
''',
        },
        "fails": [],
    },
    "ch08_mcnemar_one_sided": {
        "kind": "wrong",
        "why": "McNemar's p-value as the one-sided tail, not doubled (nor capped at 1)",
        "cells": {
            "mcnemar_exact": _MCNEMAR_COUNTS + '''    return sum(math.comb(n, i) for i in range(min(n10, n01) + 1)) / 2**n
''',
        },
        "fails": ["test_mcnemar_exact", "test_mcnemar_exact_large"],
        "feedback_says": "the one-sided p-value",
    },
    "ch08_mcnemar_float_powers": {
        "kind": "wrong",
        "why": "the binomial tail divided by the float 2.0 ** n: right for a few disagreements, an OverflowError for "
               "thousands",
        "cells": {
            "mcnemar_exact": _MCNEMAR_COUNTS + '''    tail = sum(math.comb(n, i) for i in range(min(n10, n01) + 1))
    return min(1.0, 2 * tail / 2.0 ** n)
''',
        },
        "fails": ["test_mcnemar_exact_large"],
    },
    "ch08_paired_gap_unpaired": {
        "kind": "wrong",
        "why": "the standard error of two independent means, though the runs share their seeds; judge_comparison "
               "(Task 11, the instructor's) calls this paired_gap, so the mistake carries into both its test cells",
        "cells": {
            "paired_gap": '''
def paired_gap(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.ndim != 1 or a.size < 2:
        raise ValueError(f"a must be 1-D with at least two seeds; got shape {a.shape}")
    if b.shape != a.shape:
        raise ValueError(f"b must have the shape of a; got {b.shape}")
    return float(a.mean() - b.mean()), float(np.sqrt((a.var(ddof=1) + b.var(ddof=1)) / a.size))
''',
        },
        "fails": ["test_paired_gap", "test_judge_comparison", "test_judge_comparison_verdicts"],
        "feedback_says": "the unpaired standard error",
    },
    "ch08_temperature_multiplies": {
        "kind": "wrong",
        "why": "the logits multiplied by T instead of divided: the grid's reciprocal of the right temperature",
        "cells": {
            "fit_temperature": '''
def fit_temperature(Z, labels, temperatures):
    temperatures = np.asarray(temperatures, dtype=float)
    if temperatures.ndim != 1 or temperatures.size == 0 or np.any(temperatures <= 0):
        raise ValueError(f"temperatures must be positive; got {temperatures}")
    losses = [cross_entropy(np.asarray(Z, dtype=float) * T, labels) for T in temperatures]
    return float(temperatures[int(np.argmin(losses))])
''',
        },
        "fails": ["test_fit_temperature"],
        "feedback_says": "did you multiply the logits by T?",
    },
    "ch08_directional_one_sided": {
        "kind": "wrong",
        "why": "the directional derivative by a one-sided difference, whose error grows with h",
        "cells": {
            "directional_check": _DIRECTIONAL_CHECKS + _DIRECTIONAL_LOOP.format(
                difference="(loss(theta + h * u) - loss(theta)) / h", summary="max(errors)"),
        },
        "fails": ["test_directional_check"],
        "feedback_says": "did you use a one-sided",
    },
    "ch08_directional_mean": {
        "kind": "wrong",
        "why": "the directional check returns the mean error over the directions, not the largest",
        "cells": {
            "directional_check": _DIRECTIONAL_CHECKS + _DIRECTIONAL_LOOP.format(
                difference="(loss(theta + h * u) - loss(theta - h * u)) / (2 * h)", summary="float(np.mean(errors))"),
        },
        "fails": ["test_directional_check"],
        "feedback_says": "You returned the mean error over the directions",
    },
    "ch08_train_sgd_one_order": {
        "kind": "wrong",
        "why": "the generator is made anew in every epoch with the same seed, so every epoch visits the rows in one order",
        "cells": {
            "train_sgd": _TRAIN_SGD.format(order="np.random.default_rng(seed).permutation(len(X))",
                                           epoch_loss="float(np.dot(batch_losses, batch_sizes) / len(X))"),
        },
        "fails": ["test_train_sgd"],
        "feedback_says": "Both epochs visit the rows in the same order",
    },
    "ch08_train_sgd_unweighted_loss": {
        "kind": "wrong",
        "why": "the epoch's loss is the plain mean of its batches' losses, so a short last batch counts as a full one",
        "cells": {
            "train_sgd": _TRAIN_SGD.format(order="rng.permutation(len(X))", epoch_loss="float(np.mean(batch_losses))"),
        },
        "fails": ["test_train_sgd"],
        "feedback_says": "without weighting them",
    },
    "ch08_train_sgd_written_another_way": {
        "kind": "right",
        "why": "the loop written with while loops, new arrays at each step and the losses weighted by hand",
        "cells": {
            "train_sgd": '''
def train_sgd(params, X, labels, grad_fn, epochs, batch_size, lr, seed=0):
    X = np.asarray(X, dtype=float)
    labels = np.asarray(labels)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D, got {X.ndim}-D")
    if labels.shape[0] != X.shape[0]:
        raise ValueError(f"labels has {labels.shape[0]} entries but X has {X.shape[0]} rows")
    if epochs < 1:
        raise ValueError(f"epochs < 1: {epochs}")
    if batch_size < 1:
        raise ValueError(f"batch_size < 1: {batch_size}")
    if not lr > 0 or lr == float("inf"):
        raise ValueError(f"lr = {lr} is not a positive finite number")
    rng = np.random.default_rng(seed)
    current = [(W.copy(), b.copy()) for W, b in params]
    history = []
    n = len(X)
    while len(history) < epochs:
        order = rng.permutation(n)
        weighted = []
        start = 0
        while start < n:
            rows = order[start:min(start + batch_size, n)]
            loss, grads = grad_fn(X[rows], labels[rows], current)
            weighted.append(loss * rows.size)
            current = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(current, grads)]
            start += batch_size
        history.append(sum(weighted) / n)
    return current, history
''',
        },
        "fails": [],
    },
    **{name: {
        "kind": "wrong",
        "why": why,
        "cells": {"paired_bootstrap": _BOOTSTRAP.format(totals=totals, share=share)},
        "fails": ["test_paired_bootstrap", "test_paired_bootstrap_properties", *carried],
        "feedback_says": says,
    } for name, why, totals, share, says, carried in [
        ("ch08_bootstrap_unpaired",
         "the images drawn separately for the two models, so each resample compares them on different images; "
         "judge_comparison (Task 11, the instructor's) reports its interval from this paired_bootstrap, so the "
         "mistake carries into the cell that checks the numbers (not the verdicts, which the exact test decides)",
         "    idx_a, idx_b = rng.integers(0, N, size=(draws, N)), rng.integers(0, N, size=(draws, N))\n"
         "    totals = a[:, idx_a].sum(axis=(0, 2)) - b[:, idx_b].sum(axis=(0, 2))",
         "totals <= 0", "You drew the images separately for a and for b",
         ["test_judge_comparison"]),
        ("ch08_bootstrap_ties_left_out",
         "the share counts the resamples whose lead is below 0, leaving out those at exactly 0 (Task 11 uses only "
         "the interval, so it loses nothing there)",
         "    idx = rng.integers(0, N, size=(draws, N))\n"
         "    totals = a[:, idx].sum(axis=(0, 2)) - b[:, idx].sum(axis=(0, 2))",
         "totals < 0", "count the ties too", []),
    ]},
    "ch08_bootstrap_written_another_way": {
        "kind": "right",
        "why": "each resample scored in a loop, from how often each image is drawn",
        "cells": {
            "paired_bootstrap": _BOOTSTRAP.format(
                totals="    per_image = a.astype(int).sum(axis=0) - b.astype(int).sum(axis=0)\n"
                       "    idx = rng.integers(0, N, size=(draws, N))\n"
                       "    totals = np.array([np.bincount(row, minlength=N) @ per_image for row in idx])",
                share="totals <= 0"),
        },
        "fails": [],
    },
    **{name: {
        "kind": kind,
        "why": why,
        "cells": {"smoothing_gap": _SMOOTHING_GAP.format(gap=gap)},
        "fails": ["test_smoothing_gap"] if kind == "wrong" else [],
        **({"feedback_says": says} if says else {}),
    } for name, kind, why, gap, says in [
        ("ch08_smoothing_gap_true_class_share_left_out", "wrong",
         "the true class's target taken as 1 - eps, without its share eps / C of the smoothing: log 90, not log 91",
         "np.log(n_classes * (1 - eps)) - np.log(eps)", "The true class gets its share eps / C"),
        ("ch08_smoothing_gap_spread_over_the_others", "wrong",
         "eps spread over the C - 1 wrong classes only, the other common convention: log 81, not log 91",
         "np.log((n_classes - 1) * (1 - eps)) - np.log(eps)", "spreads eps over the C - 1 wrong classes"),
        ("ch08_smoothing_gap_written_another_way", "right",
         "C (1 - eps) + eps written as C - (C - 1) eps",
         "np.log(n_classes - (n_classes - 1) * eps) - np.log(eps)", None),
    ]},
    **{name: {
        "kind": "wrong",
        "why": why,
        "cells": {"judge_comparison": _JUDGE.format(seeds=_T_POINT, numbers=numbers, cast="bool", sided=_TWO_SIDED,
                                                    images=_EXACT_THEN_INTERVAL)},
        "fails": fails,
        "feedback_says": says,
    } for name, why, numbers, says, fails in [
        ("ch08_judge_unpaired_se",
         "the standard error over the seeds computed for two independent means, though both models ran from the "
         "same seeds: a lead that every seed agrees on no longer clears them",
         "    se = np.sqrt((a.sum(axis=1).var(ddof=1) + b.sum(axis=1).var(ddof=1)) / S)\n"
         "    _, (low, high), _ = paired_bootstrap(right_a, right_b, draws=draws, seed=seed)",
         "the unpaired standard error of two independent means",
         ["test_judge_comparison", "test_judge_comparison_verdicts"]),
        ("ch08_judge_normal_interval",
         "the interval over the images as the lead +- 1.96 standard deviations of the resampled leads: on skewed "
         "resamples it reaches below 0 where the percentiles do not (the verdicts survive: the exact test decides)",
         _JUDGE_SE + "    idx = np.random.default_rng(seed).integers(0, N, size=(draws, N))\n"
         "    leads = (a - b).sum(axis=0)[idx].sum(axis=1) / S\n"
         "    low, high = lead - 1.96 * leads.std(), lead + 1.96 * leads.std()",
         "is symmetric about the lead: the normal approximation", ["test_judge_comparison"]),
        ("ch08_judge_images_drawn_per_seed",
         "the images drawn anew for each seed: a lead carried by two images looks safe, since an image is rarely "
         "missing from every seed's draw at once (the verdicts survive: the exact test decides)",
         _JUDGE_SE + "    rng = np.random.default_rng(seed)\n"
         "    totals = sum((a[s] - b[s])[rng.integers(0, N, size=(draws, N))].sum(axis=1) for s in range(S))\n"
         "    low, high = np.percentile(totals, [2.5, 97.5], method=\"nearest\") / S",
         "You drew the images anew for each seed", ["test_judge_comparison"]),
    ]},
    **{name: {
        "kind": "wrong",
        "why": why,
        "cells": {"judge_comparison": _JUDGE.format(
            seeds=seeds, numbers=_JUDGE_SE + "    _, (low, high), _ = paired_bootstrap(right_a, right_b, draws=draws, seed=seed)",
            cast="bool", sided=sided, images=images)},
        "fails": fails,
        "feedback_says": says,
    } for name, why, seeds, sided, images, says, fails in [
        ("ch08_judge_one_sided_p",
         "the exact p-value one-sided, the share of sign patterns whose total reaches the observed one: a lead "
         "carried by five images, all for a, clears at 1/32",
         _T_POINT, "totals >= e.sum()", _EXACT_THEN_INTERVAL, "the one-sided p-value",
         ["test_judge_comparison", "test_judge_comparison_verdicts"]),
        ("ch08_judge_two_standard_errors",
         "the seeds judged by two standard errors whatever their number, a test at 12 % on five seeds, not 5 %",
         "2 * se", _TWO_SIDED, _EXACT_THEN_INTERVAL, "Two standard errors is a test at about 12 %",
         ["test_judge_comparison_verdicts"]),
        ("ch08_judge_interval_only",
         "the images judged by the bootstrap's interval alone, though five differing images are too few for it "
         "(the p-value itself right)",
         _T_POINT, _TWO_SIDED, "low > 0", "too few for it", ["test_judge_comparison_verdicts"]),
    ]},
    "ch08_judge_numpy_bools": {
        "kind": "wrong",
        "why": "the right numbers and verdicts, but the verdicts are NumPy's np.True_ and np.False_, not Python's "
               "bools: only the cell that checks the returned types fails",
        "cells": {"judge_comparison": _JUDGE.format(
            seeds=_T_POINT, numbers=_JUDGE_SE + "    idx = np.random.default_rng(seed).integers(0, N, size=(draws, N))\n"
                                "    resampled = (a - b).sum(axis=0)[idx].sum(axis=1)\n"
                                "    low, high = np.percentile(resampled, [2.5, 97.5], method=\"nearest\") / S",
            cast="", sided=_TWO_SIDED, images=_EXACT_THEN_INTERVAL)},
        "fails": ["test_judge_comparison"],
        "feedback_says": "not Python's bool",
    },
    "ch08_judge_written_another_way": {
        "kind": "right",
        "why": "judge_comparison without Tasks 1 and 9: the standard error written out, the resamples taken with "
               "np.take and their ends with np.quantile, the exact p-value from the distribution of the total built "
               "by convolution, the verdicts compared as Python floats",
        "cells": {"judge_comparison": '''
def judge_comparison(right_a, right_b, draws=10000, seed=0):
    a, b = np.array(right_a, dtype=int), np.array(right_b, dtype=int)
    if a.ndim != 2 or len(a) < 2:
        raise ValueError(f"right_a: need (seeds, images) with 2 or more seeds, got shape {a.shape}")
    if a.shape != b.shape:
        raise ValueError(f"right_b: shape {b.shape} is not right_a's {a.shape}")
    n_seeds, n_images = a.shape
    per_seed = a.sum(axis=1) - b.sum(axis=1)
    lead = float(per_seed.sum() / n_seeds)
    se = float(np.sqrt(np.sum((per_seed - lead) ** 2) / (n_seeds - 1) / n_seeds))
    picks = np.random.default_rng(seed).integers(0, n_images, size=(draws, n_images))
    resampled = np.take(a.sum(axis=0) - b.sum(axis=0), picks).sum(axis=1)  # whole images, over all the seeds
    low, high = (float(q) / n_seeds for q in np.quantile(resampled, [0.025, 0.975], method="nearest"))
    e = a.sum(axis=0) - b.sum(axis=0)
    sizes = [int(v) for v in np.abs(e) if v != 0]
    ways = np.array([1], dtype=object)  # ways[j]: patterns whose total is j - sum(sizes seen so far), Python ints
    for size in sizes:
        step = np.zeros(2 * size + 1, dtype=object)
        step[0] = step[-1] = 1  # -size or +size
        ways = np.convolve(ways, step)
    totals = np.arange(len(ways)) - sum(sizes)
    p = float(ways[np.abs(totals) >= abs(int(e.sum()))].sum() / 2 ** len(sizes))
    images = p < 0.05
    t_point = T_975[min(n_seeds - 1, 30)]
    return {"lead": lead, "se": se, "interval": (low, high), "p": p, "clears_seeds": lead > t_point * se,
            "clears_images": lead > 0 and images}
'''},
        "fails": [],
    },
    **{name: {
        "kind": kind,
        "why": why,
        "cells": {"backward_scale": _SCALES.format(backward=backward, glorot=glorot)},
        "fails": ["test_backward_scale"],
        "feedback_says": says,
    } for name, kind, why, backward, glorot, says in [
        ("ch08_backward_scale_forward_fan", "wrong",
         "the backward pass given the forward pass's scale 1/sqrt(n_in), as if n_in and n_out were swapped",
         "1 / np.sqrt(n_in)", "np.sqrt(2 / (n_in + n_out))", "the forward pass's scale"),
        ("ch08_backward_scale_variance", "wrong",
         "both scales returned as variances, 1/n_out and 2/(n_in + n_out), not standard deviations",
         "1 / n_out", "2 / (n_in + n_out)", "a variance s_w^2"),
    ]},
    "ch08_backward_scale_written_another_way": {
        "kind": "right",
        "why": "the sizes checked with operator.index, the scales as powers: n_out ** -0.5 and (2 / fans) ** 0.5",
        "cells": {"backward_scale": '''
import operator


def _layer_size(name, n):
    try:
        n = operator.index(n)
    except TypeError:
        raise ValueError(f"{name} must be an integer; got {n!r}") from None
    if n < 1:
        raise ValueError(f"{name} must be at least 1; got {n}")
    return n


def backward_scale(n_in, n_out):
    _layer_size("n_in", n_in)
    return _layer_size("n_out", n_out) ** -0.5


def glorot_scale(n_in, n_out):
    fans = _layer_size("n_in", n_in) + _layer_size("n_out", n_out)
    return (2 / fans) ** 0.5
'''},
        "fails": [],
    },
    "ch08_read_run_rules_out_of_order": {
        "kind": "wrong",
        "why": "the rules checked with rule 2 (unstable) before rule 1, so a run that ends above log C is called "
               "unstable",
        "cells": {"read_run": '''
def read_run(train_loss, val_loss, n_classes=10):
    train, val = np.asarray(train_loss, dtype=float), np.asarray(val_loss, dtype=float)
    for name, x in (("train_loss", train), ("val_loss", val)):
        if x.ndim != 1 or x.size < 2 or not np.all(np.isfinite(x)):
            raise ValueError(f"{name} must be a finite 1-D sequence of 2 or more losses")
    if val.shape != train.shape:
        raise ValueError("val_loss must have the length of train_loss")
    if n_classes < 2:
        raise ValueError("n_classes must be at least 2")
    best = int(np.argmin(val))
    if train[-1] > 1.1 * train.min():
        return "unstable"
    if train[-1] >= np.log(n_classes):
        return "not learning"
    if val[-1] > 1.05 * val[best] and train[-1] < train[best]:
        return "overfitting"
    if val[-1] < 0.95 * val[-1 - max(1, len(val) // 10)]:
        return "train longer"
    return "levelled off"
'''},
        "fails": ["test_read_run", "test_read_run_digits"],
        "feedback_says": "apply the rules in their order",
    },
    "ch08_read_run_written_another_way": {
        "kind": "right",
        "why": "read_run as a table of (verdict, rule) pairs over Python lists, the lowest found with min and index",
        "cells": {"read_run": '''
import math


def read_run(train_loss, val_loss, n_classes=10):
    curves = []
    for name, curve in (("train_loss", train_loss), ("val_loss", val_loss)):
        if np.ndim(curve) != 1:
            raise ValueError(f"{name}: expected a 1-D sequence, got {np.ndim(curve)} dimensions")
        values = [float(v) for v in curve]
        if len(values) < 2 or not all(math.isfinite(v) for v in values):
            raise ValueError(f"{name}: expected 2 or more finite losses, got {values}")
        curves.append(values)
    train, val = curves
    if len(val) != len(train):
        raise ValueError(f"val_loss: {len(val)} epochs, train_loss has {len(train)}")
    if n_classes < 2:
        raise ValueError(f"n_classes: at least 2, got {n_classes}")
    best = val.index(min(val))  # the first of equal lowest losses
    back = val[-1 - max(1, len(val) // 10)]
    rules = [("not learning", train[-1] >= math.log(n_classes)),
             ("unstable", train[-1] > 1.1 * min(train)),
             ("overfitting", val[-1] > 1.05 * val[best] and train[-1] < train[best]),
             ("train longer", val[-1] < 0.95 * back)]
    return next((verdict for verdict, holds in rules if holds), "levelled off")
'''},
        "fails": [],
    },
}
