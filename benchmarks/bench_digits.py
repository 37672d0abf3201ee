"""Chapter 8's digit classifier trained three ways, side by side: time to train and validation accuracy.

The same network (64-64-10, sigmoid hidden layer, softmax cross-entropy), the same data (the
chapter's fixed split: trained on the 1077 training images, scored on the 270 validation images;
the test set stays unread, as chapter 8 reads it once), and the same plain mini-batch SGD (same
epochs, batch size and learning rate; no momentum, no weight decay, no early stopping, no
learning-rate schedule), float64:

- helpers.MLP (NumPy);
- scikit-learn's MLPClassifier(solver="sgd", activation="logistic", momentum=0, alpha=0,
  learning_rate="constant", early_stopping=False), one fit of max_iter epochs;
- PyTorch (CPU, eager; only when installed): torch.optim.SGD and CrossEntropyLoss, starting
  from the same weights as helpers.MLP.

Each implementation draws its own initial weights (scikit-learn uses its own initialisation)
and shuffles with its own generator, so accuracies differ by a few validation images from seed to
seed; the table reports medians over rounds, and the range. Implementations are timed
interleaved, round by round, in one process, each on one thread (BLAS and PyTorch), so they share
the machine's state; the ratio column is time / time of helpers.MLP.

Run:  python benchmarks/bench_digits.py [--rounds 5] [--epochs 40] [--batch 16] [--lr 2.0]
                                       [--markdown benchmarks/results_digits.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
import warnings

import numpy as np
from threadpoolctl import threadpool_limits

from _report import emit
from helpers import MLP
from helpers.data import load_digits_split
from helpers.torch_reference import torch_available, torch_train

HIDDEN = 64


def load():
    d = load_digits_split()
    return d["X_train"], d["y_train"], d["X_val"], d["y_val"]


def train_helpers(X, y, epochs, batch, lr, seed):
    model = MLP([X.shape[1], HIDDEN, 10], hidden_activation="sigmoid", seed=seed)
    model.fit(X, y, epochs=epochs, batch_size=batch, lr=lr, progress=False)
    return model.predict


def train_sklearn(X, y, epochs, batch, lr, seed):
    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(
        hidden_layer_sizes=(HIDDEN,), activation="logistic", solver="sgd", alpha=0.0, batch_size=batch,
        learning_rate="constant", learning_rate_init=lr, momentum=0.0, nesterovs_momentum=False,
        max_iter=epochs, n_iter_no_change=epochs + 1, tol=0.0, early_stopping=False, shuffle=True,
        random_state=seed,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning: max_iter reached, which is the intent
        clf.fit(X, y)
    assert clf.n_iter_ == epochs, clf.n_iter_
    return clf.predict


def train_torch(X, y, epochs, batch, lr, seed):
    return torch_train([X.shape[1], HIDDEN, 10], X, y, epochs=epochs, batch_size=batch, lr=lr, seed=seed,
                       dtype="float64")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=2.0)
    ap.add_argument("--markdown", default=None, help="also write the table to this file")
    args = ap.parse_args()

    X, y, X_val, y_val = load()
    impls = {"helpers.MLP (NumPy)": train_helpers, "scikit-learn MLPClassifier (sgd)": train_sklearn}
    versions = [f"Python {platform.python_version()}", f"NumPy {np.__version__}"]
    import sklearn

    versions.append(f"scikit-learn {sklearn.__version__}")
    if torch_available():
        import torch

        torch.set_num_threads(1)
        impls["PyTorch (CPU, eager)"] = train_torch
        versions.append(f"PyTorch {torch.__version__.split('+')[0]}")

    times = {name: [] for name in impls}
    accs = {name: [] for name in impls}
    with threadpool_limits(1):
        for r in range(args.rounds):
            names = list(impls)
            names = names[r % len(names):] + names[: r % len(names)]  # rotate who goes first
            for name in names:
                start = time.perf_counter()
                predict = impls[name](X, y, args.epochs, args.batch, args.lr, seed=r)
                times[name].append(time.perf_counter() - start)
                accs[name].append(float(np.mean(predict(X_val) == y_val)))
            print(f"round {r + 1}/{args.rounds}: " + ", ".join(f"{n.split()[0]} {times[n][-1]:.2f} s" for n in names),
                  flush=True)

    loadavg = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    base = statistics.median(times["helpers.MLP (NumPy)"])
    lines = [
        f"Digits, 64-{HIDDEN}-10 sigmoid network, plain SGD: {args.epochs} epochs, batch {args.batch}, "
        f"learning rate {args.lr}, float64, one thread; trained on {len(y)} images, scored on {len(y_val)} validation images; "
        f"median of {args.rounds} interleaved rounds (seeds 0-{args.rounds - 1}). {', '.join(versions)}; "
        f"{os.cpu_count()} CPUs, load average {loadavg:.1f} at the end of the run (a busy machine slows every "
        "implementation; compare the ratios).",
        "",
        "| implementation | time to train (s, median) | time / helpers.MLP | validation accuracy (median) "
        "| validation accuracy (min-max) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name in impls:
        t = statistics.median(times[name])
        a = accs[name]
        lines.append(f"| {name} | {t:.2f} | {t / base:.2f} | {statistics.median(a):.4f} | {min(a):.4f}-{max(a):.4f} |")
    print()
    emit("\n".join(lines), args.markdown)


if __name__ == "__main__":
    main()
