r"""A multilayer perceptron with softmax cross-entropy, trained by mini-batch SGD (chapters 6-8).

Notation (row-major, rows are examples; layers l = 1..L):

    A^0 = X                                   (N, n_0)
    Z^l = A^{l-1} W^l + b^l                   W^l: (n_{l-1}, n_l), b^l: (n_l,)
    A^l = f(Z^l)              for l < L       f = hidden activation
    P   = softmax(Z^L),  loss = mean cross-entropy of P against the targets

Backward (delta^l = dL/dZ^l):

    delta^L     = (P - Y) / N                         (soft targets: (P * sum(T) - T) / N)
    dW^l        = A^{l-1}^T delta^l,   db^l = sum over rows of delta^l
    delta^{l-1} = (delta^l W^l^T) * f'(Z^{l-1})       (* is the element-wise product)

The training loop reuses preallocated buffers for every activation and gradient, so a step
allocates only a few (N,)-sized temporaries.
"""

from __future__ import annotations

import numpy as np

from ._checks import as_float_array, check_target
from .progress import ProgressBar

__all__ = ["MLP"]

_HIDDEN = ("sigmoid", "tanh", "relu")


def _activate(name, Z, b, out):
    """out = f(Z + b); Z is overwritten (it holds Z + b, or -(Z + b) for the sigmoid)."""
    if name == "sigmoid":
        np.subtract(np.negative(b), Z, out=Z)  # t = -(Z + b): the bias and the sign in one pass
        _sigmoid_of_negated(Z, out)
    else:
        Z += b
        if name == "tanh":
            np.tanh(Z, out=out)
        else:
            np.maximum(Z, 0.0, out=out)


def _sigmoid_of_negated(t, out):
    r"""out = 1 / (1 + exp(t)) = sigma(-t): the sigmoid of the training loop, one exp and two more
    passes over the array (:func:`helpers.sigmoid` needs four more, to avoid any overflow).

    For t > 0, exp(t) is large and 1 / (1 + exp(t)) keeps full relative precision (the result is
    tiny, but nothing cancels). exp(t) overflows to inf only for t above about 88.7 (float32) or
    709.8 (float64), where sigma(-t) is below the smallest normal number of the dtype: there
    1 / (1 + inf) = 0 is right to within that number, so the overflow is expected and not reported
    (nor is the underflow of exp(t) to 0 for very negative t). No inf or NaN comes out of finite t.
    """
    with np.errstate(over="ignore", under="ignore"):
        np.exp(t, out=out)
    out += 1.0
    return np.divide(1.0, out, out=out)


def _times_activation_grad(name, dA, A, tmp):
    """dA *= f'(Z), in place, with f' written through the output A = f(Z)."""
    if name == "sigmoid":  # sigma' = a (1 - a)
        np.subtract(1.0, A, out=tmp)
        tmp *= A
    elif name == "tanh":  # tanh' = 1 - a^2
        np.multiply(A, A, out=tmp)
        np.subtract(1.0, tmp, out=tmp)
    else:  # relu' = [a > 0]
        np.greater(A, 0.0, out=tmp, casting="unsafe")
    dA *= tmp


def _label_indices(kind, t, batch_size):
    """For integer labels t of rows visited in batches of ``batch_size`` (the last one may be
    shorter): the index of P[r, t_i] in the flattened class-major (C, n_b) array behind its
    batch's P, t_i n_b + r, where r is the row's place in its batch of n_b rows.
    Probability rows are returned as they are."""
    if kind != "labels":
        return t
    n = t.shape[0]
    n_b = np.full(n, batch_size)
    n_b[n - n % batch_size :] = n % batch_size or batch_size
    return t * n_b + np.arange(n) % batch_size


def _loss_and_hits(kind, t, sums, picked, hits):
    """(mean cross-entropy, number of examples whose true class has the largest logit) from the
    records of :meth:`MLP._loss_and_delta`: loss_i = sum(T_i) log(sums_i) - picked_i, and for labels
    a hit is S_it = 0."""
    lse = np.log(sums)  # logsumexp(S_i), in [0, log C]
    if kind == "labels":
        return float(np.mean(lse - picked, dtype=np.float64)), int(np.count_nonzero(picked == 0.0))
    losses = lse * t.sum(axis=1) - picked
    return float(np.mean(losses, dtype=np.float64)), int(np.count_nonzero(hits))


class _Workspace:
    """Buffers for one batch size: Z^l, A^l, dW^l, db^l and the scratch of the softmax."""

    def __init__(self, sizes, n, dtype):
        C = sizes[-1]
        # The logits Z^L and P (softmax, then delta^L) are (N, C) views of class-major (C, N)
        # arrays: the reductions over the C classes of each example then run across contiguous
        # rows of length N, which is several times faster than along rows of length C.
        self.Z = [np.empty((n, k), dtype) for k in sizes[1:-1]] + [np.empty((C, n), dtype).T]
        self.A = [np.empty((n, k), dtype) for k in sizes[1:-1]]
        self.dA = [np.empty((n, k), dtype) for k in sizes[1:-1]]
        self.dW = [np.empty((i, o), dtype) for i, o in zip(sizes[:-1], sizes[1:])]
        self.db = [np.empty((o,), dtype) for o in sizes[1:]]
        self.P = np.empty((C, n), dtype).T
        self.P_flat = self.P.T.reshape(-1)  # a view: P[i, j] is P_flat[j n + i]
        self.rows = np.arange(n)
        self.scale = np.empty(n, dtype)  # lr / (N sum_j exp(S_ij)) for each example
        self.ones_rows = np.ones(n, dtype)  # ones_rows @ delta sums delta over the rows
        self.ones_classes = np.ones(C, dtype)  # ones_classes @ P.T sums each row of P
        self.X = np.empty((n, sizes[0]), dtype)  # the current mini-batch, gathered in place


class MLP:
    r"""A fully connected network: hidden layers with ``hidden_activation``, softmax output.

    layer_sizes: [n_0, n_1, ..., n_L], the input width, hidden widths and number of classes C.
    Weights start as N(0, 1) / sqrt(n_{l-1}) (ReLU: times sqrt(2)), so every unit's input has
    variance about 1 whatever the width; biases start at 0. ``params`` is a list of (W, b) arrays
    that may be read or edited in place.
    """

    def __init__(self, layer_sizes, hidden_activation="sigmoid", seed=0, dtype=np.float64):
        sizes = list(layer_sizes) if np.ndim(layer_sizes) == 1 else None
        if (
            sizes is None
            or len(sizes) < 2
            or not all(isinstance(k, (int, np.integer)) and not isinstance(k, (bool, np.bool_)) and k > 0 for k in sizes)
        ):
            raise ValueError(f"layer_sizes must be a list of at least two positive ints; got {layer_sizes!r}")
        if hidden_activation not in _HIDDEN:
            raise ValueError(f"hidden_activation must be one of {_HIDDEN}; got {hidden_activation!r}")
        dtype = np.dtype(dtype)
        if dtype not in (np.float32, np.float64):
            raise TypeError(f"dtype must be float32 or float64; got {dtype}")
        self.layer_sizes = [int(k) for k in sizes]
        self.hidden_activation = hidden_activation
        self.dtype = dtype
        self.seed = seed
        rng = np.random.default_rng(seed)
        gain = np.sqrt(2.0) if hidden_activation == "relu" else 1.0
        self.params = [
            (
                (rng.standard_normal((n_in, n_out)) * (gain / np.sqrt(n_in))).astype(dtype),
                np.zeros(n_out, dtype),
            )
            for n_in, n_out in zip(self.layer_sizes[:-1], self.layer_sizes[1:])
        ]
        self._workspaces = {}

    def __repr__(self):
        return f"MLP({self.layer_sizes}, hidden_activation={self.hidden_activation!r}, dtype={self.dtype.name})"

    # ----------------------------------------------------------------- checks
    def _check_X(self, X, name="X"):
        X = as_float_array(X, name, ndim=2)
        if X.shape[1] != self.layer_sizes[0]:
            raise ValueError(f"{name} must have shape (N, {self.layer_sizes[0]}); got {X.shape}")
        return np.ascontiguousarray(X, dtype=self.dtype)

    def _check_y(self, y, n, name="y"):
        kind, t = check_target(y, (n, self.layer_sizes[-1]), name)
        return kind, (t if kind == "labels" else t.astype(self.dtype, copy=False))

    def _workspace(self, n):
        ws = self._workspaces.get(n)
        if ws is None:
            if len(self._workspaces) > 4:  # keep a few batch sizes, not one per call
                self._workspaces.clear()
            ws = self._workspaces[n] = _Workspace(self.layer_sizes, n, self.dtype)
        return ws

    # ---------------------------------------------------------------- forward
    def _forward(self, X, ws):
        """Fill ws.Z and ws.A; return the logits buffer Z^L."""
        A = X
        last = len(self.params) - 1
        for l, (W, b) in enumerate(self.params):
            Z = ws.Z[l]
            np.matmul(A, W, out=Z)  # (N, n_{l-1}) @ (n_{l-1}, n_l) -> (N, n_l)
            if l < last:
                _activate(self.hidden_activation, Z, b, ws.A[l])
                A = ws.A[l]
            else:
                Z += b
        return ws.Z[last]

    def forward(self, X):
        """Logits Z^L of shape (N, C) for inputs X of shape (N, n_0)."""
        X = self._check_X(X)
        return self._forward(X, self._workspace(X.shape[0])).copy()

    def predict_proba(self, X):
        """softmax(forward(X)): (N, C) class probabilities."""
        from .softmax import softmax

        return softmax(self.forward(X), axis=1)

    def predict(self, X):
        """The most probable class of each row: (N,) integer labels."""
        return np.argmax(self.forward(X), axis=1)

    # --------------------------------------------------------------- backward
    def _loss_and_delta(self, Z, kind, target, ws, sums, picked, hits, lr=None):
        """delta^L = dL/dZ^L of the mean cross-entropy of the logits Z, written into ws.P; with
        ``lr`` the delta is lr dL/dZ^L, so that every gradient computed from it is a step.

        target: for labels, the flat indices of :func:`_label_indices`; else probability rows.
        For each example, with S = Z - max(Z) its shifted logits, records in (N,) arrays what the
        loss and accuracy need (see :func:`_loss_and_hits`): ``sums`` = sum_j exp(S_ij) and
        ``picked`` = S_it (labels) or sum_j T_ij S_ij; for probability rows also ``hits``, whether
        the most probable class of T_i has the largest logit. Works on the class-major (C, N)
        arrays behind Z and ws.P.
        """
        n = Z.shape[0]
        ZT, PT = Z.T, ws.P.T
        np.subtract(ZT, ZT.max(axis=0), out=PT)  # S = Z - max: the largest is 0
        if kind == "labels":
            ws.P_flat.take(target, out=picked, mode="wrap")  # S[i, t_i] (the indices are valid)
        else:
            np.einsum("ji,ji->i", target.T, PT, out=picked)  # sum_j T_ij S_ij
            np.equal(PT[np.argmax(target, axis=1), ws.rows], 0.0, out=hits)
        np.exp(PT, out=PT)
        np.matmul(ws.ones_classes, PT, out=sums)  # sum_j exp(S_ij), in [1, C]
        scale = (1.0 if lr is None else lr) / n
        np.divide(scale, sums, out=ws.scale)
        if kind == "labels":
            PT *= ws.scale  # scale * softmax(Z)
            ws.P_flat[target] -= scale  # scale * (P - Y)
        else:
            ws.scale *= target.sum(axis=1)
            PT *= ws.scale
            PT -= scale * target.T  # scale * (P * sum(T) - T)

    def _pass(self, X, kind, t):
        """One forward pass and delta^L over the whole of X: (mean loss, hits, workspace)."""
        n = X.shape[0]
        ws = self._workspace(n)
        sums, picked, hits = np.empty(n, self.dtype), np.empty(n, self.dtype), np.empty(n, bool)
        self._loss_and_delta(self._forward(X, ws), kind, _label_indices(kind, t, n), ws, sums, picked, hits)
        return (*_loss_and_hits(kind, t, sums, picked, hits), ws)

    def _backward(self, X, ws, lr=None):
        """Backpropagate delta^L (in ws.P) through every layer.

        With ``lr`` the step W -= lr dW, b -= lr db is taken as each layer's gradient is ready
        (after delta^{l-1} has used W^l); ws.P must then hold lr delta^L (see
        :meth:`_loss_and_delta`), which scales every gradient by lr. Without ``lr`` the gradients are
        left in ws.dW and ws.db.
        """
        delta = ws.P
        for l in range(len(self.params) - 1, -1, -1):
            W, b = self.params[l]
            A_prev = X if l == 0 else ws.A[l - 1]
            np.matmul(A_prev.T, delta, out=ws.dW[l])  # (n_{l-1}, N) @ (N, n_l)
            np.matmul(ws.ones_rows, delta, out=ws.db[l])  # sum over the rows
            if l > 0:
                dA = ws.dA[l - 1]
                np.matmul(delta, W.T, out=dA)  # (N, n_l) @ (n_l, n_{l-1})
                _times_activation_grad(self.hidden_activation, dA, ws.A[l - 1], ws.Z[l - 1])
                delta = dA
            if lr is not None:
                W -= ws.dW[l]
                b -= ws.db[l]

    def loss_and_grads(self, X, y):
        """Mean cross-entropy on (X, y) and its gradients [(dW^1, db^1), ..., (dW^L, db^L)].

        y: integer labels (N,) or probability rows (N, C).
        """
        X = self._check_X(X)
        kind, t = self._check_y(y, X.shape[0])
        loss, _, ws = self._pass(X, kind, t)
        self._backward(X, ws)
        return loss, [(dW.copy(), db.copy()) for dW, db in zip(ws.dW, ws.db)]

    def step(self, grads, lr):
        """Gradient descent in place: W -= lr dW and b -= lr db for every layer."""
        if not np.isfinite(lr) or lr <= 0:
            raise ValueError(f"lr must be a positive finite number; got {lr!r}")
        if len(grads) != len(self.params):
            raise ValueError(f"grads must hold {len(self.params)} (dW, db) pairs; got {len(grads)}")
        for l, ((W, b), (dW, db)) in enumerate(zip(self.params, grads)):
            if np.shape(dW) != W.shape or np.shape(db) != b.shape:
                raise ValueError(
                    f"grads[{l}] must have shapes {W.shape} and {b.shape}; got {np.shape(dW)} and {np.shape(db)}"
                )
            W -= lr * np.asarray(dW, dtype=self.dtype)
            b -= lr * np.asarray(db, dtype=self.dtype)

    def evaluate(self, X, y):
        """(mean cross-entropy, accuracy) on (X, y) without changing the parameters."""
        X = self._check_X(X)
        kind, t = self._check_y(y, X.shape[0])
        loss, hits, _ = self._pass(X, kind, t)
        return loss, hits / X.shape[0]

    def fit(self, X, y, epochs=10, batch_size=32, lr=0.1, progress=True, X_val=None, y_val=None, shuffle=True):
        """Mini-batch SGD on the mean cross-entropy.

        Each epoch visits the rows of X once in an order drawn from the model's seed (reproducible).
        Every call starts that sequence of orders afresh, so two calls of 10 epochs visit the rows in
        the same orders, not in the orders of one call of 20.
        Returns the history: per-epoch "loss" and "accuracy" (averaged over the epoch's batches,
        measured before each batch's update), plus "val_loss" and "val_accuracy" when validation
        data are given.
        """
        X = self._check_X(X)
        kind, t = self._check_y(y, X.shape[0])
        for name, value in (("epochs", epochs), ("batch_size", batch_size)):
            if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"{name} must be a positive int; got {value!r}")
        if not np.isfinite(lr) or lr <= 0:
            raise ValueError(f"lr must be a positive finite number; got {lr!r}")
        has_val = X_val is not None or y_val is not None
        if has_val:
            if X_val is None or y_val is None:
                raise ValueError("X_val and y_val must be given together")
            X_val = self._check_X(X_val, "X_val")
            self._check_y(y_val, X_val.shape[0], "y_val")
        n = X.shape[0]
        rng = np.random.default_rng([self.seed if isinstance(self.seed, int) else 0, 1])
        history = {"loss": [], "accuracy": []}
        if has_val:
            history.update(val_loss=[], val_accuracy=[])
        bar = ProgressBar(epochs, "training", enabled=progress)
        # per example, in the order visited: what the loss and the accuracy are computed from
        sums, picked, hits = np.empty(n, self.dtype), np.empty(n, self.dtype), np.empty(n, bool)
        for epoch in range(epochs):
            order = rng.permutation(n) if shuffle else None
            t_epoch = t if order is None else t.take(order, axis=0)  # the targets in visiting order
            target = _label_indices(kind, t_epoch, batch_size)
            for start in range(0, n, batch_size):
                stop = min(start + batch_size, n)
                ws = self._workspace(stop - start)
                if order is not None:
                    # mode="wrap" lets np.take write straight into out (the indices are valid)
                    Xb = np.take(X, order[start:stop], axis=0, out=ws.X, mode="wrap")
                else:
                    Xb = X[start:stop]  # rows in order: a view of the data themselves
                self._loss_and_delta(self._forward(Xb, ws), kind, target[start:stop], ws,
                                     sums[start:stop], picked[start:stop], hits[start:stop], lr=lr)
                self._backward(Xb, ws, lr=lr)
            loss, n_hits = _loss_and_hits(kind, t_epoch, sums, picked, hits)
            history["loss"].append(loss)
            history["accuracy"].append(n_hits / n)
            text = f"loss {history['loss'][-1]:.4f}  accuracy {history['accuracy'][-1]:.3f}"
            if has_val:
                vl, va = self.evaluate(X_val, y_val)
                history["val_loss"].append(vl)
                history["val_accuracy"].append(va)
                text += f"  val_loss {vl:.4f}  val_accuracy {va:.3f}"
            bar.update(epoch + 1, text)
        bar.close()
        return history
