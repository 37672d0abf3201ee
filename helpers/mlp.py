r"""A multilayer perceptron with softmax cross-entropy, trained by mini-batch SGD (chapters 6-8).

The forward and backward passes are those of chapter 7 (section 7.11), with its names. Rows are
examples; layers l = 1..L; in code the list index is l - 1.

    forward    A^0 = X                                    (N, n_0)
               Z^l = A^{l-1} W^l + b^l                    W^l: (n_{l-1}, n_l), b^l: (n_l,)
               A^l = f(Z^l)        for l < L              f = hidden activation
               Zs = [Z^1, ..., Z^L],  As = [A^0, ..., A^{L-1}]
    loss       mean cross-entropy of softmax(Z^L) against the targets
    backward   dZ = dL/dZ^L = cross_entropy_grad(Z^L, y)  (P - Y) / N
               dW^l = A^{l-1}^T dZ,   db^l = dZ summed over the rows
               dZ = (dZ @ W^l^T) * f'(Z^{l-1})            the delta recursion, * element-wise

Every step calls the tested public functions of :mod:`helpers` (``sigmoid``, ``sigmoid_grad``,
``cross_entropy``, ``cross_entropy_grad``); nothing is fused or computed in place except the
update W -= lr dW itself. :meth:`MLP.fit` takes the same steps faster by default, with the
in-place kernels of :mod:`helpers.mlp_fast`; ``fit(..., fast=False)`` runs the loop written here.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from ._checks import as_float_array, check_int, check_non_negative_number, check_positive_number, check_target, is_int
from ._progress import ProgressBar
from .activations import ACTIVATIONS
from .mlp_fast import train_epoch_inplace
from .softmax import cross_entropy, cross_entropy_grad, softmax

__all__ = ["MLP"]

_HIDDEN = ("sigmoid", "tanh", "relu")


def _seed_sequence(seed):
    """A fresh SeedSequence for ``seed`` (a given SeedSequence is copied, not spawned from)."""
    if isinstance(seed, np.random.SeedSequence):
        return np.random.SeedSequence(seed.entropy, spawn_key=seed.spawn_key, pool_size=seed.pool_size)
    if seed is not None and (not is_int(seed) or seed < 0):
        raise ValueError(f"seed must be a non-negative int, a numpy.random.SeedSequence or None; got {seed!r}")
    return np.random.SeedSequence(None if seed is None else int(seed))


class MLP:
    r"""A fully connected network: hidden layers with ``hidden_activation``, softmax output.

    layer_sizes: [n_0, n_1, ..., n_L], the input width, hidden widths and number of classes C.
    Weights start as N(0, 1) / sqrt(n_{l-1}) (ReLU: times sqrt(2)), so that a unit whose inputs
    have mean square 1 starts with a pre-activation of variance about 1; biases start at 0.
    ``params`` is a list of (W, b) arrays that may be read or edited in place.

    seed: a non-negative int, a ``numpy.random.SeedSequence`` or None (fresh entropy). Both random
    streams of the model come from the one ``SeedSequence(seed)``: the initial weights from its
    generator, the order in which :meth:`fit` visits the rows from a child spawned from it.
    """

    def __init__(self, layer_sizes, hidden_activation="sigmoid", seed=0, dtype=np.float64):
        sizes = list(layer_sizes) if np.ndim(layer_sizes) == 1 else None
        if (
            sizes is None
            or len(sizes) < 2
            or not all(is_int(k) and k > 0 for k in sizes)
        ):
            raise ValueError(f"layer_sizes must be a list of at least two positive ints; got {layer_sizes!r}")
        if hidden_activation not in _HIDDEN:
            raise ValueError(f"hidden_activation must be one of {_HIDDEN}; got {hidden_activation!r}")
        dtype = np.dtype(dtype)
        if dtype not in (np.float32, np.float64):
            raise TypeError(f"dtype must be float32 or float64; got {dtype}")
        self.layer_sizes = [int(k) for k in sizes]
        self.hidden_activation = hidden_activation
        self.f, self.f_grad = ACTIVATIONS[hidden_activation]
        self.dtype = dtype
        self.seed = seed
        rng = np.random.default_rng(_seed_sequence(seed))
        gain = np.sqrt(2.0) if hidden_activation == "relu" else 1.0
        self.params = [
            ((rng.standard_normal((n_in, n_out)) * (gain / np.sqrt(n_in))).astype(dtype), np.zeros(n_out, dtype))
            for n_in, n_out in zip(self.layer_sizes[:-1], self.layer_sizes[1:])
        ]
        self._orders = rng.spawn(1)[0]  # the visiting orders of fit, one stream over all its calls
        self._workspaces = {}  # buffers of the fast path, by batch size (helpers.mlp_fast)

    def __repr__(self):
        return f"MLP({self.layer_sizes}, hidden_activation={self.hidden_activation!r}, dtype={self.dtype.name})"

    def _check_X(self, X, name="X"):
        X = as_float_array(X, name, ndim=2)
        if X.shape[1] != self.layer_sizes[0]:
            raise ValueError(f"{name} must have shape (N, {self.layer_sizes[0]}); got {X.shape}")
        return X.astype(self.dtype, copy=False)

    def _check_y(self, y, n, name="y"):
        kind, t = check_target(y, (n, self.layer_sizes[-1]), name)
        return t if kind == "labels" else t.astype(self.dtype, copy=False)

    # ------------------------------------------------------------- the passes
    def _forward(self, X):
        """Pre-activations Zs = [Z^1, ..., Z^L] and activations As = [A^0 = X, ..., A^{L-1}]."""
        Zs, As = [], [X]
        for l, (W, b) in enumerate(self.params):
            Z = As[-1] @ W + b  # (N, n_{l-1}) @ (n_{l-1}, n_l) -> (N, n_l)
            Zs.append(Z)
            if l < len(self.params) - 1:
                As.append(self.f(Z))
        return Zs, As

    def _backward(self, Zs, As, dZ):
        """[(dW^1, db^1), ..., (dW^L, db^L)] from dZ = dL/dZ^L and the forward pass's Zs, As."""
        grads = [None] * len(self.params)
        for l in range(len(self.params) - 1, -1, -1):  # l = L-1, ..., 0 in code
            W, _ = self.params[l]
            grads[l] = (As[l].T @ dZ, dZ.sum(axis=0))  # dW^l: (n_{l-1}, N) @ (N, n_l), db^l: (n_l,)
            if l > 0:
                dZ = (dZ @ W.T) * self.f_grad(Zs[l - 1])  # Delta^{l-1}: (N, n_l) @ (n_l, n_{l-1})
        return grads

    # ------------------------------------------------------------ public API
    def forward(self, X):
        """Logits Z^L of shape (N, C) for inputs X of shape (N, n_0)."""
        return self._forward(self._check_X(X))[0][-1]

    def predict_proba(self, X):
        """softmax(forward(X)): (N, C) class probabilities."""
        return softmax(self.forward(X), axis=1)

    def predict(self, X):
        """The most probable class of each row: (N,) integer labels."""
        return np.argmax(self.forward(X), axis=1)

    def loss_and_grads(self, X, y):
        """Mean cross-entropy on (X, y) and its gradients [(dW^1, db^1), ..., (dW^L, db^L)].

        y: integer labels (N,) or probability rows (N, C).
        """
        X = self._check_X(X)
        y = self._check_y(y, X.shape[0])
        Zs, As = self._forward(X)
        loss = cross_entropy(Zs[-1], y)
        return float(loss), self._backward(Zs, As, cross_entropy_grad(Zs[-1], y))

    def step(self, grads, lr):
        """Gradient descent in place: W -= lr dW and b -= lr db for every layer."""
        check_positive_number(lr, "lr")
        if len(grads) != len(self.params):
            raise ValueError(f"grads must hold {len(self.params)} (dW, db) pairs; got {len(grads)}")
        for l, ((W, b), (dW, db)) in enumerate(zip(self.params, grads)):
            if np.shape(dW) != W.shape or np.shape(db) != b.shape:
                raise ValueError(
                    f"grads[{l}] must have shapes {W.shape} and {b.shape}; got {np.shape(dW)} and {np.shape(db)}"
                )
            W -= lr * np.asarray(dW, dtype=self.dtype)
            b -= lr * np.asarray(db, dtype=self.dtype)

    def _loss_sum_and_hits(self, logits, y):
        """(sum of the examples' cross-entropies, number of hits): a hit is an example whose true
        class (for probability rows, the likeliest one) is the class :meth:`predict` gives, the
        first of the largest logits, so that a tie counts once, not for every tied class."""
        labels = y if y.ndim == 1 else np.argmax(y, axis=1)
        return float(cross_entropy(logits, y, reduction="sum")), int(np.count_nonzero(np.argmax(logits, axis=1) == labels))

    def evaluate(self, X, y):
        """(mean cross-entropy, accuracy) on (X, y) without changing the parameters."""
        X = self._check_X(X)
        y = self._check_y(y, X.shape[0])
        loss_sum, hits = self._loss_sum_and_hits(self._forward(X)[0][-1], y)
        return loss_sum / X.shape[0], hits / X.shape[0]

    def _train_epoch(self, X, y, order, batch_size, lr, weight_decay=0.0):
        """One epoch of mini-batch SGD, visiting the rows in ``order``: for each batch, the forward
        pass, the loss and hits recorded, the backward pass, one step (with weight decay, along
        dW^l + 2 weight_decay W^l, the biases' db^l unchanged). Returns (loss sum, hits)."""
        loss_sum, hits = 0.0, 0
        for start in range(0, X.shape[0], batch_size):
            rows = order[start : start + batch_size]  # the last batch may be shorter
            Xb, yb = X[rows], y[rows]
            Zs, As = self._forward(Xb)
            batch_loss_sum, batch_hits = self._loss_sum_and_hits(Zs[-1], yb)
            loss_sum, hits = loss_sum + batch_loss_sum, hits + batch_hits
            grads = self._backward(Zs, As, cross_entropy_grad(Zs[-1], yb))
            if weight_decay:  # the gradient of weight_decay * sum_l ||W^l||_F^2: the weights' only
                grads = [(dW + 2 * weight_decay * W, db) for (dW, db), (W, _) in zip(grads, self.params)]
            self.step(grads, lr)
        return loss_sum, hits

    def fit(self, X, y, epochs=10, batch_size=32, lr=0.1, progress=True, X_val=None, y_val=None, shuffle=True,
            fast=True, weight_decay=0.0):
        """Mini-batch SGD on the mean cross-entropy, plus ``weight_decay`` times sum_l ||W^l||_F^2.

        Each epoch visits the rows of X once, in batches of ``batch_size`` (the last may be
        shorter), in an order drawn from the model's random stream of visiting orders (see the
        class). That stream goes on from one call to the next: two calls of 10 epochs visit the
        rows in the same orders as one call of 20, and a model rebuilt with the same seed and
        given the same calls repeats them exactly.
        Returns the history: per-epoch "loss" and "accuracy" (averaged over the epoch's batches,
        measured before each batch's update), plus "val_loss" and "val_accuracy" when validation
        data are given. The recorded losses are the cross-entropy alone, without the penalty.

        weight_decay: lambda >= 0 of the penalty lambda sum_l ||W^l||_F^2 on the weights (an L2
        penalty; the biases are not penalised). Each step goes along dW^l + 2 lambda W^l, so it
        shrinks every weight by the factor 1 - 2 lr lambda before the usual update (chapter 8,
        section 8.6). 0, the default, takes exactly the steps without the penalty.

        fast: take each epoch's steps with :func:`helpers.mlp_fast.train_epoch_inplace`, the same
        steps up to rounding without allocating arrays (see benchmarks/results_mlp.md for the
        difference it makes); ``fast=False`` takes them with :meth:`_train_epoch`, written as
        chapter 7 writes the backward pass.
        """
        X = self._check_X(X)
        y = self._check_y(y, X.shape[0])
        check_int(epochs, "epochs")
        check_int(batch_size, "batch_size")
        check_positive_number(lr, "lr")
        weight_decay = check_non_negative_number(weight_decay, "weight_decay")
        has_val = X_val is not None or y_val is not None
        if has_val:
            if X_val is None or y_val is None:
                raise ValueError("X_val and y_val must be given together")
            X_val = self._check_X(X_val, "X_val")
            y_val = self._check_y(y_val, X_val.shape[0], "y_val")
        n = X.shape[0]
        history = {"loss": [], "accuracy": []} | ({"val_loss": [], "val_accuracy": []} if has_val else {})
        bar = ProgressBar(epochs, "training", enabled=progress, unit="epochs")
        train_epoch = partial(train_epoch_inplace, self) if fast else self._train_epoch
        for epoch in range(epochs):
            order = self._orders.permutation(n) if shuffle else np.arange(n)
            loss_sum, hits = train_epoch(X, y, order, batch_size, lr, weight_decay)
            history["loss"].append(loss_sum / n)
            history["accuracy"].append(hits / n)
            text = f"loss {history['loss'][-1]:.4f}  accuracy {history['accuracy'][-1]:.3f}"
            if has_val:
                val_loss, val_accuracy = self.evaluate(X_val, y_val)
                history["val_loss"].append(val_loss)
                history["val_accuracy"].append(val_accuracy)
                text += f"  val_loss {val_loss:.4f}  val_accuracy {val_accuracy:.3f}"
            bar.update(epoch + 1, text)
        bar.close()
        return history
