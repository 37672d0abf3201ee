r"""Chapter 8's explorer: retrain the digit classifier with another hidden width, learning rate (0.125 to
16, on a log slider), number of epochs, label smoothing, batch size or seed, with or without the drop
of the rate to a quarter for the last third of the epochs, on fewer training images (100 to all 1077)
and with weight decay, and watch the curves grow epoch by epoch: the loss and the accuracy, and the
share of saturated hidden pre-activations. The epoch of lowest validation loss, the one early stopping
would keep, is circled (section 8.6's overfitting and its remedies).

With 60 epochs and the drop, the explorer trains chapter 8's recipe exactly (hidden width 64, rate 2,
smoothing 0.1, batches of 16): 40 epochs at rate 2, then 20 at 0.5.

The computation is :func:`digits_training` (one epoch at a time) and :func:`digits_trainer_state`
(all of it, then the final numbers), with no widgets involved; :class:`DigitsTrainer` displays it.
A control's move answers at once: the explorer clears its curves and trains in a background thread,
drawing the curves as the epochs run; a new move cancels the training in progress.
"""

from __future__ import annotations

import numpy as np

from .._checks import check_int
from ..activations import sigmoid_grad
from ..data import load_digits_split
from ..mlp import MLP
from ..softmax import one_hot
from ._base import checkbox, choice, int_slider, log_slider, slider, steps_slider
from ._trainer import TrainingExplorer

__all__ = ["PRESETS", "confusions", "digits_training", "digits_trainer_state", "dropped_epochs", "early_stopping_epoch",
           "mistakes_text", "preset_of", "saturated_share", "smoothed_target_entropy", "training_rows", "DigitsTrainer"]

_DATA = {}
_KEYS = ("loss", "accuracy", "val_loss", "val_accuracy")  # MLP.fit's history
# and, after each epoch, the training set scored against its labels and its share of saturated pre-activations
_HISTORY = (*_KEYS, "label_loss", "label_accuracy", "saturated")
BATCH_SIZES = (4, 8, 16, 32, 64)  # the batch-size slider's values
WEIGHT_DECAYS = (0.0, 1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3)  # the weight-decay slider's lambdas: section 8.6's and two
FEW = 100  # section 8.6's small training set, the smallest the explorer trains on
SATURATED_SLOPE = 0.05  # a pre-activation is saturated where the sigmoid's slope is below this (chapter 8)

# The explorer's "try" menu: chapter 8's recipe and the settings its section 8.11 asks the reader to
# try, each a complete state of the controls (so a pick is reproducible whatever was set before).
CHOSEN = dict(hidden=64, lr=2.0, epochs=60, drop=True, smoothing=0.1, batch_size=16, seed=0, train_size=1077,
              weight_decay=0.0)
OVERFIT = dict(CHOSEN, smoothing=0.0, batch_size=4, drop=False, train_size=FEW)
PRESETS = {
    "the chosen run": CHOSEN,
    "rate 8, one epoch": dict(CHOSEN, lr=8.0, epochs=1),
    "rate 8, 60 epochs": dict(CHOSEN, lr=8.0),
    "no drop of the rate": dict(CHOSEN, drop=False),
    "batches of 64, rate 8": dict(CHOSEN, batch_size=64, lr=8.0),
    "batches of 4, rate 0.5": dict(CHOSEN, batch_size=4, lr=0.5),
    "overfit 100 images": OVERFIT,
    "overfit, decay 0.0001": dict(OVERFIT, weight_decay=1e-4),
    "4 hidden units": dict(CHOSEN, hidden=4),
    "smoothing 0.3": dict(CHOSEN, smoothing=0.3),
}
OWN = "your own settings"  # the menu's entry when the controls match no preset


def preset_of(state) -> str:
    """The name of the preset whose settings ``state`` holds (floats compared to 1e-9), or :data:`OWN`."""
    def same(a, b):
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b)))

    for name, preset in PRESETS.items():
        if all(key in state and same(state[key], value) for key, value in preset.items()):
            return name
    return OWN


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


def training_rows(train_size, n_train):
    """The rows of the ``n_train`` training images that a run on ``train_size`` of them trains on.

    ``train_size == n_train``: all of them, in their order. Fewer: the first ``train_size`` of one fixed
    order, section 8.6's 100 images first, ``few = default_rng(0).choice(n_train, size=100,
    replace=False)`` in its order, then the others in the order of ``default_rng(0).permutation(n_train)``.
    So 100 images are exactly the chapter's ``few``, and each training set holds every smaller one. (The
    first 100 of that permutation alone are not ``few``: NumPy's ``choice`` without replacement draws
    otherwise.)
    """
    n_train = check_int(n_train, "n_train")
    if not check_int(train_size, "train_size") <= n_train:
        raise ValueError(f"train_size must be at most the {n_train} training images; got {train_size!r}")
    if train_size == n_train:
        return np.arange(n_train)
    few = np.random.default_rng(0).choice(n_train, size=min(FEW, n_train), replace=False)
    rest = np.random.default_rng(0).permutation(n_train)
    return np.concatenate([few, rest[~np.isin(rest, few)]])[:train_size]


def confusions(labels, predicted) -> list:
    """The off-diagonal entries of the confusion matrix, as ``[((true, predicted), count), ...]``, most
    frequent first (ties in the order of the true class, then the predicted one): which digits a
    classifier mistakes for which."""
    labels, predicted = np.asarray(labels), np.asarray(predicted)
    if labels.ndim != 1 or predicted.shape != labels.shape:
        raise ValueError(f"labels and predicted must be 1-D arrays of one length; got shapes {labels.shape} "
                         f"and {predicted.shape}")
    wrong = labels != predicted
    pairs, counts = np.unique(np.stack([labels[wrong], predicted[wrong]], axis=1), axis=0, return_counts=True)
    order = sorted(range(len(counts)), key=lambda k: (-counts[k], tuple(pairs[k])))
    return [((int(pairs[k][0]), int(pairs[k][1])), int(counts[k])) for k in order]


def mistakes_text(mistakes, shown=5) -> str:
    """:func:`confusions`' list as one line, ``"3→8 ×2, 9→5, 1 more"``: the first ``shown`` pairs."""
    if not mistakes:
        return "none"
    text = ", ".join(f"{t}\u2192{p}" + (f" \u00d7{c}" if c > 1 else "") for (t, p), c in mistakes[:shown])
    rest = sum(c for _, c in mistakes[shown:])
    return text + (f", {rest} more" if rest else "")


def early_stopping_epoch(history) -> int:
    """The epoch early stopping keeps: the one of lowest validation loss (the first on a tie), counted from 1."""
    return int(np.argmin(history["val_loss"])) + 1


def saturated_share(model, X) -> float:
    """The share of ``model``'s first-layer pre-activations on the rows of ``X`` where the sigmoid's
    slope is below 0.05: chapter 8's saturated units."""
    (W1, b1) = model.params[0]
    return float(np.mean(sigmoid_grad(X @ W1 + b1) < SATURATED_SLOPE))


def digits_training(hidden, lr, epochs, smoothing, batch_size=16, seed=0, data=None, drop=False, train_size=None,
                    weight_decay=0.0):
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

    train_size: train on that many of the training images, the rows :func:`training_rows` picks (100:
    section 8.6's ``few``); None, the default, or all of them: the whole training set. The training
    curves and the saturated share are then those of these images.
    weight_decay: lambda of the penalty lambda sum ||W||_F^2 on the weights, passed to ``MLP.fit``
    (0, the default: none).
    """
    d = _digits() if data is None else data
    if not 0.0 <= float(smoothing) < 1.0:
        raise ValueError(f"smoothing must lie in [0, 1); got {smoothing!r}")
    n_train = len(d["y_train"])
    rows = training_rows(n_train if train_size is None else train_size, n_train)
    X, labels = (d["X_train"], d["y_train"]) if rows.size == n_train else (d["X_train"][rows], d["y_train"][rows])
    target = labels if smoothing == 0 else one_hot(labels, 10, smoothing=float(smoothing))
    model = MLP([X.shape[1], int(hidden), 10], hidden_activation="sigmoid", seed=seed)
    history = {key: [] for key in _HISTORY}
    at_rate = int(epochs) - (dropped_epochs(epochs) if drop else 0)
    for epoch in range(int(epochs)):
        rate = float(lr) if epoch < at_rate else float(lr) / 4
        with _one_blas_thread():
            h = model.fit(X, target, epochs=1, batch_size=int(batch_size), lr=rate,
                          progress=False, X_val=d["X_val"], y_val=d["y_val"], weight_decay=weight_decay)
            label_loss, label_accuracy = model.evaluate(X, labels)  # as val_loss is measured
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
        mistakes = confusions(d["y_val"], model.predict(d["X_val"]))
    stop = early_stopping_epoch(history)
    return {"history": history, "val_accuracy": float(val_accuracy), "val_confidence": confidence,
            "mistakes": mistakes,
            "saturated": history["saturated"][-1],  # at the final weights
            "stop_epoch": stop, "stop_val_accuracy": history["val_accuracy"][stop - 1], "model": model}


def digits_trainer_state(hidden, lr, epochs, smoothing, batch_size=16, seed=0, data=None, drop=False, train_size=None,
                         weight_decay=0.0):
    r"""Train as :func:`digits_training` does, all epochs, and report how it did.

    Returns a dict with the per-epoch ``history`` (as :func:`digits_training` yields it: ``MLP.fit``'s
    and the training set scored after each epoch), ``val_accuracy`` of the final weights,
    ``val_confidence`` (mean largest probability on the validation set), ``saturated`` (the share of
    hidden pre-activations on the training images, at the final weights, where the sigmoid's slope is
    below 0.05, as chapter 8 counts them: the history's last ``saturated``), ``stop_epoch``, the epoch
    early stopping would keep (:func:`early_stopping_epoch`), and ``stop_val_accuracy``, the validation
    accuracy after it, ``mistakes``, the validation images it gets wrong as :func:`confusions` lists them,
    and the trained ``model`` (of the last epoch).
    The test set is never read: chapter 8 touches it once, at the end.
    """
    model, history = None, None
    for model, history in digits_training(hidden, lr, epochs, smoothing, batch_size, seed, data, drop, train_size,
                                          weight_decay):
        pass
    return _final(model, history, data)


class DigitsTrainer(TrainingExplorer):
    """A menu of the chapter's suggested settings (:data:`PRESETS`: a pick sets every control at once and
    retrains once; the menu shows the preset the controls hold, or "your own settings"); sliders for
    hidden width, learning rate, epochs, label smoothing, batch size (4 to 64), seed, the number of
    training images (100 to 1077) and weight decay (0 to 0.003), and a checkbox that drops the
    rate to a quarter for the last third of the epochs; three panels that grow as the network trains: the
    loss and the accuracy (training and validation images, against their labels; the epoch early stopping
    would keep circled) and the share of saturated hidden pre-activations on the training images, each
    after every epoch (a dashed line marks where the rate drops); and a readout of the final numbers, with
    the validation images it gets wrong, true class against predicted (:func:`confusions`)."""

    title = "Digit classifier trainer"
    max_epochs = 60
    fig_height = 2.0  # with the controls and the readout, the explorer fits a laptop's screen

    def __init__(self, hidden=32, lr=2.0, epochs=20, smoothing=0.0, batch_size=16, seed=0, drop=False,
                 train_size=1077, weight_decay=0.0):
        self._applying = False  # True while a preset sets the controls: they retrain once, after the last
        super().__init__(hidden=hidden, lr=lr, epochs=epochs, drop=drop, smoothing=smoothing, batch_size=batch_size,
                         seed=seed, train_size=train_size, weight_decay=weight_decay)

    def _controls(self):
        i = self.initial
        return {"hidden": int_slider(i["hidden"], 4, 128, "hidden width", step=4),
                "lr": log_slider(i["lr"], -3, 4, 0.5, "learning rate", base=2),  # 0.125 to 16
                "epochs": int_slider(i["epochs"], 1, self.max_epochs, "epochs"),
                "drop": checkbox(i["drop"], "drop the rate"),  # to a quarter, for the last third of the epochs
                "smoothing": slider(i["smoothing"], 0.0, 0.3, 0.05, "label smoothing"),
                "batch_size": steps_slider(i["batch_size"], BATCH_SIZES, "batch size"),
                "seed": int_slider(i["seed"], 0, 9, "seed"),
                "train_size": int_slider(i["train_size"], FEW, len(_digits()["y_train"]), "training images"),
                "weight_decay": steps_slider(i["weight_decay"], WEIGHT_DECAYS, "weight decay")}

    def _extra_controls(self):
        self.preset = choice(preset_of(self.initial), [OWN, *PRESETS], "try")
        self.preset.observe(self._on_preset, names="value")
        return [self.preset]

    def _on_preset(self, change):
        if self._applying or change["new"] not in PRESETS:
            return
        self._applying = True
        try:
            for key, value in PRESETS[change["new"]].items():
                self.control[key].value = value
        finally:
            self._applying = False
        self._on_change()

    def _on_change(self, _change=None):
        if self._applying:
            return
        self._applying = True  # the menu follows the controls without applying a preset
        try:
            self.preset.value = preset_of(self.state())
        finally:
            self._applying = False
        super()._on_change(_change)

    def _draw(self, fig):
        height = self.fig_height * fig.dpi  # px: the margins for the legend and the axis labels stay as they were
        gs = fig.add_gridspec(1, 3, width_ratios=[1.0, 1.0, 0.8], left=0.115, right=0.975, bottom=42 / height,
                              top=1 - 35 / height, wspace=0.45)
        ax_loss, ax_acc, ax_sat = (fig.add_subplot(g) for g in gs)
        # both losses against the labels, after each epoch, as section 8.5's figure draws them
        (self.l_loss,) = ax_loss.plot([], [], color="C0", label="training images")
        (self.l_vloss,) = ax_loss.plot([], [], color="C1", label="validation images")
        (self.l_acc,) = ax_acc.plot([], [], color="C0")
        (self.l_vacc,) = ax_acc.plot([], [], color="C1")
        (self.l_sat,) = ax_sat.plot([], [], color="C0")  # on the training images
        # the epoch early stopping would keep, circled on the validation curves
        self.m_stop = [ax.plot([], [], "o", color="C1", mfc="none", ms=7, mew=1.2, zorder=3)[0]
                       for ax in (ax_loss, ax_acc)]
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
        self.blit.add(self.l_loss, self.l_vloss, self.l_acc, self.l_vacc, self.l_sat, *self.l_drop, *self.m_stop)

    # -- training -------------------------------------------------------------
    def _steps(self, s):
        """(model, history) after each epoch."""
        return digits_training(s["hidden"], s["lr"], s["epochs"], s["smoothing"], s["batch_size"], s["seed"],
                               drop=s["drop"], train_size=s["train_size"], weight_decay=s["weight_decay"])

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
        stop = early_stopping_epoch(h) if done else None  # circled once the run is done
        for marker, key in zip(self.m_stop, ("val_loss", "val_accuracy")):
            marker.set_data([stop] if done else [], [h[key][stop - 1]] if done else [])
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
            ("early_stop", "early stopping would keep (circled)",
             f"epoch {stop}: {count(h['val_accuracy'][stop - 1])}, loss {three(h['val_loss'][stop - 1])}" if done
             else "\u2026"),
            ("val_confidence", "mean top probability (validation)",
             three(result["val_confidence"]) if final else "\u2026"),
            ("saturated", "share of saturated pre-activations<br><small>(slope below 0.05, training images)</small>",
             f"{result['saturated']:.2f}" if final else last("saturated", lambda v: f"{v:.2f}")),
            ("mistakes", "validation mistakes (true \u2192 predicted)",
             mistakes_text(result["mistakes"]) if final else "\u2026"),
        ]
