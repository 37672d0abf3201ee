r"""Chapter 8's explorer: retrain the digit classifier with another hidden width, learning rate (0.125 to
16, on a log slider), number of epochs, label smoothing, batch size or seed, with or without the drop
of the rate to a quarter for the last third of the epochs, and watch the curves grow epoch by epoch:
the loss and the accuracy, and the share of saturated hidden pre-activations.

With 60 epochs and the drop, the explorer trains chapter 8's recipe exactly (hidden width 64, rate 2,
smoothing 0.1, batches of 16): 40 epochs at rate 2, then 20 at 0.5.

The computation is :func:`digits_training` (one epoch at a time) and :func:`digits_trainer_state`
(all of it, then the final numbers), with no widgets involved; :class:`DigitsTrainer` displays it.
A control's move answers at once: the explorer clears its curves and trains in a background thread,
drawing the curves as the epochs run; a new move cancels the training in progress.
"""

from __future__ import annotations

import numpy as np

from ..activations import sigmoid_grad
from ..data import load_digits_split
from ..mlp import MLP
from ..softmax import one_hot
from ._base import checkbox, int_slider, log_slider, slider, steps_slider
from ._trainer import TrainingExplorer

__all__ = ["digits_training", "digits_trainer_state", "dropped_epochs", "saturated_share", "smoothed_target_entropy",
           "DigitsTrainer"]

_DATA = {}
_KEYS = ("loss", "accuracy", "val_loss", "val_accuracy")  # MLP.fit's history
# and, after each epoch, the training set scored against its labels and its share of saturated pre-activations
_HISTORY = (*_KEYS, "label_loss", "label_accuracy", "saturated")
BATCH_SIZES = (4, 8, 16, 32, 64)  # the batch-size slider's values
SATURATED_SLOPE = 0.05  # a pre-activation is saturated where the sigmoid's slope is below this (chapter 8)


def _digits():
    """The fixed split of chapter 8, loaded once."""
    if "split" not in _DATA:
        _DATA["split"] = load_digits_split()
    return _DATA["split"]


def _one_blas_thread():
    """A context that keeps BLAS on one thread: these matrices are tiny, and extra threads only
    wait for each other (badly so on a shared machine)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
        from contextlib import nullcontext

        return nullcontext()
    return threadpool_limits(1)


def smoothed_target_entropy(smoothing, n_classes=10) -> float:
    """The entropy of a smoothed one-hot target, ``-sum_i t_i log t_i``: the smallest mean
    cross-entropy any model can reach against such targets (0 without smoothing)."""
    t = one_hot(np.array([0]), n_classes, smoothing=float(smoothing))[0]
    t = t[t > 0]
    return float(-(t * np.log(t)).sum()) + 0.0


def dropped_epochs(epochs) -> int:
    """How many of ``epochs`` run at a quarter of the rate when the rate is dropped: the last third,
    rounded to the nearest whole number (``(epochs + 1) // 3``; a third is never halfway between two).
    60 epochs: 40 at the rate, then 20 at a quarter of it, chapter 8's recipe; 1 epoch: none dropped."""
    return (int(epochs) + 1) // 3


def saturated_share(model, X) -> float:
    """The share of ``model``'s first-layer pre-activations on the rows of ``X`` where the sigmoid's
    slope is below 0.05: chapter 8's saturated units."""
    (W1, b1) = model.params[0]
    return float(np.mean(sigmoid_grad(X @ W1 + b1) < SATURATED_SLOPE))


def digits_training(hidden, lr, epochs, smoothing, batch_size=16, seed=0, data=None, drop=False):
    """Train ``MLP([64, hidden, 10])`` (sigmoid) on the training digits, one epoch at a time.

    A generator: after each epoch it yields ``(model, history)``, the model being trained and the
    history so far (per epoch ``loss`` and ``accuracy`` on the training set against its targets,
    averaged over the epoch's batches; ``label_loss`` and ``label_accuracy``, the training set's loss
    against its labels and its accuracy, after the epoch; ``val_loss``, ``val_accuracy`` after the
    epoch; ``saturated``, the share of hidden pre-activations on the training images where the
    sigmoid's slope is below 0.05, after the epoch, see :func:`saturated_share`). Each epoch is one
    call of ``MLP.fit``; successive calls continue the model's stream of visiting orders, so the
    result is that of a single ``fit`` of ``epochs`` epochs (a test checks it).

    drop: run the last :func:`dropped_epochs` epochs (20 of 60) at ``lr / 4``; the result is that of
    two ``fit`` calls, the first epochs at ``lr``, the rest at ``lr / 4`` (chapter 8's recipe).
    """
    d = _digits() if data is None else data
    if not 0.0 <= float(smoothing) < 1.0:
        raise ValueError(f"smoothing must lie in [0, 1); got {smoothing!r}")
    X = d["X_train"]
    target = d["y_train"] if smoothing == 0 else one_hot(d["y_train"], 10, smoothing=float(smoothing))
    model = MLP([X.shape[1], int(hidden), 10], hidden_activation="sigmoid", seed=seed)
    history = {key: [] for key in _HISTORY}
    at_rate = int(epochs) - (dropped_epochs(epochs) if drop else 0)
    for epoch in range(int(epochs)):
        rate = float(lr) if epoch < at_rate else float(lr) / 4
        with _one_blas_thread():
            h = model.fit(X, target, epochs=1, batch_size=int(batch_size), lr=rate,
                          progress=False, X_val=d["X_val"], y_val=d["y_val"])
            label_loss, label_accuracy = model.evaluate(X, d["y_train"])  # as val_loss is measured
            saturated = saturated_share(model, X)
        history["label_loss"].append(label_loss)
        history["label_accuracy"].append(label_accuracy)
        history["saturated"].append(saturated)
        for key in _KEYS:
            history[key].extend(h[key])
        yield model, history


def _final(model, history, data=None) -> dict:
    d = _digits() if data is None else data
    with _one_blas_thread():
        _, val_accuracy = model.evaluate(d["X_val"], d["y_val"])
        confidence = float(model.predict_proba(d["X_val"]).max(axis=1).mean())
    return {"history": history, "val_accuracy": float(val_accuracy), "val_confidence": confidence,
            "saturated": history["saturated"][-1], "model": model}  # at the final weights


def digits_trainer_state(hidden, lr, epochs, smoothing, batch_size=16, seed=0, data=None, drop=False):
    r"""Train as :func:`digits_training` does, all epochs, and report how it did.

    Returns a dict with the per-epoch ``history`` (as :func:`digits_training` yields it: ``MLP.fit``'s
    and the training set scored after each epoch), ``val_accuracy`` of the final weights,
    ``val_confidence`` (mean largest probability on the validation set), ``saturated`` (the share of
    hidden pre-activations on the training images, at the final weights, where the sigmoid's slope is
    below 0.05, as chapter 8 counts them: the history's last ``saturated``) and the trained ``model``.
    The test set is never read: chapter 8 touches it once, at the end.
    """
    model, history = None, None
    for model, history in digits_training(hidden, lr, epochs, smoothing, batch_size, seed, data, drop):
        pass
    return _final(model, history, data)


class DigitsTrainer(TrainingExplorer):
    """Sliders for hidden width, learning rate, epochs, label smoothing, batch size (4 to 64) and seed,
    and a checkbox that drops the rate to a quarter for the last third of the epochs; three panels that
    grow as the network trains: the loss and the accuracy (training and validation images, against
    their labels) and the share of saturated hidden pre-activations on the training images, each after
    every epoch (a dashed line marks where the rate drops); and a readout of the final numbers."""

    title = "Digit classifier trainer"
    max_epochs = 60
    fig_height = 2.6

    def __init__(self, hidden=32, lr=2.0, epochs=20, smoothing=0.0, batch_size=16, seed=0, drop=False):
        super().__init__(hidden=hidden, lr=lr, epochs=epochs, drop=drop, smoothing=smoothing, batch_size=batch_size,
                         seed=seed)

    def _controls(self):
        i = self.initial
        return {"hidden": int_slider(i["hidden"], 4, 128, "hidden width", step=4),
                "lr": log_slider(i["lr"], -3, 4, 0.5, "learning rate", base=2),  # 0.125 to 16
                "epochs": int_slider(i["epochs"], 1, self.max_epochs, "epochs"),
                "drop": checkbox(i["drop"], "drop the rate"),  # to a quarter, for the last third of the epochs
                "smoothing": slider(i["smoothing"], 0.0, 0.3, 0.05, "label smoothing"),
                "batch_size": steps_slider(i["batch_size"], BATCH_SIZES, "batch size"),
                "seed": int_slider(i["seed"], 0, 9, "seed")}

    def _draw(self, fig):
        gs = fig.add_gridspec(1, 3, width_ratios=[1.0, 1.0, 0.8], left=0.115, right=0.975, bottom=0.17, top=0.86,
                              wspace=0.45)
        ax_loss, ax_acc, ax_sat = (fig.add_subplot(g) for g in gs)
        # both losses against the labels, after each epoch, as section 8.5's figure draws them
        (self.l_loss,) = ax_loss.plot([], [], color="C0", label="training images")
        (self.l_vloss,) = ax_loss.plot([], [], color="C1", label="validation images")
        (self.l_acc,) = ax_acc.plot([], [], color="C0")
        (self.l_vacc,) = ax_acc.plot([], [], color="C1")
        (self.l_sat,) = ax_sat.plot([], [], color="C0")  # on the training images
        uniform = ax_loss.axhline(np.log(10), color="gray", linestyle=":", linewidth=0.8, zorder=1,
                                  label="log 10, the uniform guess")
        # where the rate drops (shown only with the drop)
        self.l_drop = [ax.axvline(0, color="0.45", linestyle="--", linewidth=0.8, zorder=1.5, visible=False)
                       for ax in (ax_loss, ax_acc, ax_sat)]
        x = dict(xlim=(0.5, self.max_epochs + 0.5), xticks=(0, 20, 40, 60), xlabel="epoch")
        ax_loss.set(yscale="log", ylim=(0.01, 10), ylabel="loss against the labels",
                    **x)  # a log scale: rate 16's loss lies far above a good rate's
        ax_acc.set(ylim=(0.5, 1.0), ylabel="accuracy", **x)
        # a share of 0 or 1 (a good rate's first epochs, a rate too large) drawn clear of the frame
        ax_sat.set(ylim=(-0.03, 1.03), yticks=(0, 0.25, 0.5, 0.75, 1), yticklabels=("0", "", "0.5", "", "1"),
                   ylabel="saturated share", **x)
        fig.legend(handles=[self.l_loss, self.l_vloss, uniform], loc="upper center", ncol=3, fontsize=9,
                   frameon=False, borderaxespad=0.2, columnspacing=1.5, handlelength=1.8)
        # the axes are fixed: only the curves and the drop's lines move
        self.blit.add(self.l_loss, self.l_vloss, self.l_acc, self.l_vacc, self.l_sat, *self.l_drop)

    # -- training -------------------------------------------------------------
    def _steps(self, s):
        """(model, history) after each epoch."""
        return digits_training(s["hidden"], s["lr"], s["epochs"], s["smoothing"], s["batch_size"], s["seed"],
                               drop=s["drop"])

    def _finish(self, s, partial):
        return _final(*partial)

    def _show(self, s, result, final):
        h = result["history"] if final else (result[1] if result else {key: [] for key in _HISTORY})
        done = len(h["loss"])
        x = np.arange(1, done + 1)
        self.l_loss.set_data(x, h["label_loss"])
        self.l_vloss.set_data(x, h["val_loss"])
        self.l_acc.set_data(x, h["label_accuracy"])
        self.l_vacc.set_data(x, h["val_accuracy"])
        self.l_sat.set_data(x, h["saturated"])
        dropped = dropped_epochs(s["epochs"]) if s["drop"] else 0
        for line in self.l_drop:
            line.set_xdata([s["epochs"] - dropped + 0.5] * 2)
            line.set_visible(dropped > 0)
        floor = smoothed_target_entropy(s["smoothing"])  # what the training loss can reach, against its targets
        against = "the smoothed targets" if s["smoothing"] > 0 else "the labels"

        # training results keep only the digits that survive another BLAS or thread count: 3 significant
        # digits for losses and probabilities, the validation accuracy as a count of images
        def three(value):
            return f"{value:.3g}"

        def last(key, show=three):
            return show(h[key][-1]) if done else "\u2026"

        n_val = len(_digits()["y_val"])

        def count(accuracy):
            return f"{round(accuracy * n_val)} of {n_val}"

        return [
            ("progress", "epochs trained", f"{done} of {s['epochs']}"
             + (f" (last {dropped} at rate {s['lr'] / 4:.3g})" if dropped else "")
             + ("" if final else " (training\u2026)")),
            ("train_loss", f"training loss, against {against}<br><small>(mean over the last epoch, while the "
                           "weights move)</small>", last("loss")),
            ("loss_floor", "lowest possible training loss<br><small>(entropy of a target row)</small>",
             three(floor)),
            ("val_loss", "validation loss, against the labels", last("val_loss")),
            ("val_accuracy", "validation images correct",
             count(result["val_accuracy"]) if final else last("val_accuracy", count)),
            ("val_confidence", "mean top probability (validation)",
             three(result["val_confidence"]) if final else "\u2026"),
            ("saturated", "share of saturated pre-activations<br><small>(slope below 0.05, training images)</small>",
             f"{result['saturated']:.2f}" if final else last("saturated", lambda v: f"{v:.2f}")),
        ]
