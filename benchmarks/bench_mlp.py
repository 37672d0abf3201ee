"""One epoch of an MLP 784-256-10 (sigmoid hidden layer, softmax cross-entropy), batch 128,
float32, plain SGD, on synthetic data: helpers.MLP, both its training loops (the default fast
path of helpers.mlp_fast and the reference, fit(fast=False)), against PyTorch (CPU, eager; when installed),
scikit-learn's MLPClassifier (solver="sgd", momentum 0, alpha 0, one epoch per partial_fit) and
the floor: the five bare matrix products of the same shapes with preallocated outputs (forward
X W1 and A1 W2; backward A1^T dZ2, dZ2 W2^T and X^T dZ1), which no implementation can beat.
A second reference adds to the floor the element-wise work every implementation of the step does
in some form: gathering the shuffled batch, one exp per hidden unit (the sigmoid), and one pass
that reads each weight and its gradient and writes the weight (the update). It shows how much of
helpers.MLP's distance from the floor is that work, done by NumPy on one core while the matrix
products use every BLAS thread.

The goals: helpers.MLP at most 0.7 times PyTorch's time per epoch and at most 0.7 times
scikit-learn's; the table says, for each loop of helpers.MLP, whether they are met.

The implementations are timed interleaved, round by round, in one process, so that they share
the machine's state; medians over rounds are reported, with the range over rounds and ratios.
The machine's load average before and after the run is reported too: other processes on the
same cores slow every implementation, and the ratios less than the times.

Also measured: the memory a training step allocates (tracemalloc peak during one step after a
warm-up), against the activations the step must keep.

Run:  python benchmarks/bench_mlp.py [--rounds 7] [--n 12800] [--threads 2] [--clock wall] [--markdown results_mlp.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
import tracemalloc
import warnings

import numpy as np

import helpers
from _report import emit

SIZES = (784, 256, 10)
BATCH = 128
LR = 0.1


def make_data(n, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.random((n, SIZES[0]), dtype=np.float32)
    y = rng.integers(0, SIZES[-1], n)
    return X, y


FAST, REFERENCE = "helpers.MLP (fast path)", "helpers.MLP (reference)"
GOAL = 0.7


def run_helpers(X, y, model, fast=True):
    model.fit(X, y, epochs=1, batch_size=BATCH, lr=LR, progress=False, fast=fast)


def make_floor(X, elementwise=False):
    """The five matrix products of a training step on ready-made contiguous batches (the floor);
    with ``elementwise``, also the element-wise work every implementation does: gather each
    shuffled batch, one exp per hidden unit, and the memory traffic of W -= dW."""
    rng = np.random.default_rng(1)
    W1 = rng.standard_normal(SIZES[:2], dtype=np.float32) * np.float32(SIZES[0] ** -0.5)  # float32 stays float32
    W2 = rng.standard_normal(SIZES[1:], dtype=np.float32) * np.float32(SIZES[1] ** -0.5)
    A1 = np.empty((BATCH, SIZES[1]), np.float32)
    Z2 = np.empty((BATCH, SIZES[2]), np.float32)
    dW1, dW2 = np.empty_like(W1), np.empty_like(W2)
    dA1 = np.empty_like(A1)
    starts = range(0, len(X) - BATCH + 1, BATCH)

    def step(Xb):
        np.matmul(Xb, W1, out=A1)
        if elementwise:
            np.exp(A1, out=A1)
        np.matmul(A1, W2, out=Z2)
        np.matmul(A1.T, Z2, out=dW2)
        np.matmul(Z2, W2.T, out=dA1)
        np.matmul(Xb.T, dA1, out=dW1)
        if elementwise:
            np.subtract(W1, dW1, out=dW1)  # the traffic of W -= dW, leaving W as it is
            np.subtract(W2, dW2, out=dW2)

    if not elementwise:
        batches = [np.ascontiguousarray(X[i : i + BATCH]) for i in starts]

        def run():
            for Xb in batches:
                step(Xb)

        return run

    Xb = np.empty((BATCH, SIZES[0]), np.float32)
    order_rng = np.random.default_rng(2)

    def run():
        order = order_rng.permutation(len(X))
        for start in starts:
            step(np.take(X, order[start : start + BATCH], axis=0, out=Xb, mode="wrap"))

    return run


def make_torch(X, y, threads):
    try:
        import torch
    except ImportError:
        return None
    torch.manual_seed(0)
    torch.set_num_threads(threads)
    model = torch.nn.Sequential(
        torch.nn.Linear(SIZES[0], SIZES[1]), torch.nn.Sigmoid(), torch.nn.Linear(SIZES[1], SIZES[2])
    )
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    loss_fn = torch.nn.CrossEntropyLoss()
    Xt = torch.from_numpy(X)
    yt = torch.from_numpy(y.astype(np.int64))
    gen = torch.Generator().manual_seed(0)

    def run():
        order = torch.randperm(len(Xt), generator=gen)
        for start in range(0, len(Xt), BATCH):
            idx = order[start : start + BATCH]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(Xt[idx]), yt[idx])
            loss.backward()
            opt.step()

    return run


def make_sklearn(X, y):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(
        hidden_layer_sizes=(SIZES[1],), activation="logistic", solver="sgd", batch_size=BATCH,
        learning_rate_init=LR, momentum=0.0, nesterovs_momentum=False, alpha=0.0, shuffle=True,
        random_state=0,
    )
    classes = np.arange(SIZES[-1])

    def run():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.partial_fit(X, y, classes=classes)

    return run


def step_allocation(model, X, y, fast):
    """Peak bytes allocated during one training step of helpers.MLP, after a warm-up step."""
    Xb, yb = X[:BATCH], y[:BATCH]
    model.fit(Xb, yb, epochs=1, batch_size=BATCH, lr=LR, progress=False, fast=fast)
    tracemalloc.start()
    model.fit(Xb, yb, epochs=1, batch_size=BATCH, lr=LR, progress=False, fast=fast)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    kept = BATCH * sum(SIZES[1:]) * 4 + BATCH * SIZES[1] * 4  # Z1/A1, Z2 (+ P) float32
    return peak, kept


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--n", type=int, default=12800, help="examples per epoch")
    parser.add_argument("--markdown", default=None, help="also write the table to this file")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1,
                        help="BLAS and PyTorch threads (default: one per core); on a shared machine one thread "
                             "each keeps the comparison fair when the cores are oversubscribed")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="wall: elapsed time; cpu: processor time of this process (with --threads 1, "
                             "the time each implementation computes, which other processes do not inflate)")
    args = parser.parse_args()
    import sklearn.neural_network  # noqa: F401  load every BLAS and OpenMP library before limiting them
    import threadpoolctl

    try:
        import torch  # noqa: F401
    except ImportError:
        pass
    with threadpoolctl.threadpool_limits(limits=args.threads):
        emit(measure(args), args.markdown)


def measure(args):

    X, y = make_data(args.n)
    load_before = os.getloadavg()[0]
    fast_model, reference_model = helpers.MLP(SIZES, dtype=np.float32, seed=0), helpers.MLP(SIZES, dtype=np.float32, seed=0)
    runners = {
        FAST: lambda: run_helpers(X, y, fast_model),
        REFERENCE: lambda: run_helpers(X, y, reference_model, fast=False),
        "matmul floor": make_floor(X),
        "floor + gather, exp, update": make_floor(X, elementwise=True),
    }
    torch_run = make_torch(X, y, args.threads)
    if torch_run is not None:
        runners["PyTorch (CPU, eager)"] = torch_run
    runners["scikit-learn MLPClassifier"] = make_sklearn(X, y)

    for run in runners.values():  # warm-up: caches, thread pools, first-call overheads
        run()
    times = {name: [] for name in runners}
    clock = time.perf_counter if args.clock == "wall" else time.process_time
    for _ in range(args.rounds):
        for name, run in runners.items():
            t0 = clock()
            run()
            times[name].append(clock() - t0)
    load_after = os.getloadavg()[0]

    med = {name: statistics.median(ts) for name, ts in times.items()}
    import threadpoolctl

    blas = [f"{i['internal_api']} {i.get('version', '')} ({i['num_threads']} threads)" for i in threadpoolctl.threadpool_info()]
    lines = [
        f"MLP {'-'.join(map(str, SIZES))}, batch {BATCH}, float32, SGD lr {LR}, {args.n} examples per epoch, "
        f"median of {args.rounds} interleaved rounds, {args.threads} BLAS and PyTorch thread(s), "
        f"{'elapsed' if args.clock == 'wall' else 'processor'} time",
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"NumPy {np.__version__}; BLAS: {', '.join(blas)}; "
        f"load average {load_before:.1f} before the run, {load_after:.1f} after",
        "",
        "| implementation | time per epoch (ms, median) | range over rounds (ms) | fast path / it | reference / it |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name in runners:
        lines.append(f"| {name} | {med[name] * 1e3:.1f} | {min(times[name]) * 1e3:.0f}-{max(times[name]) * 1e3:.0f} "
                     f"| {med[FAST] / med[name]:.2f} | {med[REFERENCE] / med[name]:.2f} |")
    if torch_run is None:
        lines.append("| PyTorch (CPU, eager) | not installed | | | |")
    lines.append("")
    others = [name for name in ("PyTorch (CPU, eager)", "scikit-learn MLPClassifier") if name in med]
    for name in (FAST, REFERENCE):
        ratios = ", ".join(f"{med[name] / med[other]:.3f} of {other.split(' ')[0]}'s" for other in others)
        met = all(med[name] <= GOAL * med[other] for other in others)
        lines.append(f"goal, at most {GOAL} of each: {name} takes {ratios} time per epoch: {'met' if met else 'not met'}")
    lines.append("")
    for name, fast in ((FAST, True), (REFERENCE, False)):
        peak, kept = step_allocation(helpers.MLP(SIZES, dtype=np.float32, seed=0), X, y, fast)
        lines.append(f"memory allocated by one training step of {name} (after warm-up): {peak / 1024:.0f} KiB "
                     f"(the batch's activations alone: {kept / 1024:.0f} KiB)")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
