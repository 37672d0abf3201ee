r"""Chapter 8's explorer: retrain the digit classifier with another hidden width, learning rate,
number of epochs or label smoothing, and watch the curves and the accuracy.

The computation is :func:`digits_trainer_state` (no widgets involved); :class:`DigitsTrainer`
only displays it.
"""

from __future__ import annotations

import numpy as np

from ..data import load_digits_split
from ..mlp import MLP
from ..softmax import one_hot
from ._base import Explorer
from ._blit import BlitRenderer

__all__ = ["digits_trainer_state", "DigitsTrainer"]

_DATA = {}


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


def digits_trainer_state(hidden, lr, epochs, smoothing, batch_size=16, seed=0, data=None):
    r"""Train ``MLP([64, hidden, 10])`` (sigmoid) on the training digits and report how it did.

    hidden: width of the hidden layer; lr: SGD learning rate; epochs: passes over the training set;
    smoothing: label smoothing eps in [0, 1) (targets ``one_hot(y, 10, smoothing)``);
    data: a dict as returned by ``load_digits_split`` (default: the chapter's split).

    Returns a dict with the per-epoch ``history`` of ``MLP.fit`` (training loss and accuracy are
    averaged over each epoch's batches; validation after each epoch), ``val_accuracy`` and
    ``test_accuracy`` of the final weights, ``test_confidence`` (mean largest probability on the
    test set) and the trained ``model``.
    """
    d = _digits() if data is None else data
    if not 0.0 <= float(smoothing) < 1.0:
        raise ValueError(f"smoothing must lie in [0, 1); got {smoothing!r}")
    target = d["y_train"] if smoothing == 0 else one_hot(d["y_train"], 10, smoothing=float(smoothing))
    model = MLP([d["X_train"].shape[1], int(hidden), 10], hidden_activation="sigmoid", seed=seed)
    with _one_blas_thread():
        history = model.fit(d["X_train"], target, epochs=int(epochs), batch_size=int(batch_size), lr=float(lr),
                            progress=False, X_val=d["X_val"], y_val=d["y_val"])
        _, val_accuracy = model.evaluate(d["X_val"], d["y_val"])
        _, test_accuracy = model.evaluate(d["X_test"], d["y_test"])
        confidence = float(model.predict_proba(d["X_test"]).max(axis=1).mean())
    return {
        "history": history,
        "val_accuracy": float(val_accuracy),
        "test_accuracy": float(test_accuracy),
        "test_confidence": confidence,
        "model": model,
    }


class DigitsTrainer(Explorer):
    """Sliders for hidden width, learning rate, epochs and label smoothing; loss and accuracy
    curves (training and validation) and a readout of the final numbers."""

    name = "digits_trainer"
    title = "Digit classifier trainer"
    max_epochs = 60

    def __init__(self, hidden=32, lr=2.0, epochs=20, smoothing=0.0, batch_size=16, seed=0):
        self._init = dict(hidden=hidden, lr=lr, epochs=epochs, smoothing=smoothing)
        self.batch_size = batch_size
        self.seed = seed
        super().__init__()

    def _build(self):
        from matplotlib.figure import Figure

        w = self._widgets
        i = self._init
        self.controls = [
            w.IntSlider(value=i["hidden"], min=4, max=128, step=4, description="hidden", continuous_update=False),
            w.FloatSlider(value=i["lr"], min=0.1, max=4.0, step=0.1, description="learning rate",
                          continuous_update=False, style={"description_width": "initial"}),
            w.IntSlider(value=i["epochs"], min=1, max=self.max_epochs, step=1, description="epochs",
                        continuous_update=False),
            w.FloatSlider(value=i["smoothing"], min=0.0, max=0.3, step=0.05, description="smoothing",
                          continuous_update=False),
        ]
        self.fig = Figure(figsize=(7.5, 2.8), dpi=80)
        ax_loss, ax_acc = self.fig.subplots(1, 2)
        (self.l_loss,) = ax_loss.plot([], [], color="C0", label="training")
        (self.l_vloss,) = ax_loss.plot([], [], color="C1", label="validation")
        (self.l_acc,) = ax_acc.plot([], [], color="C0", label="training")
        (self.l_vacc,) = ax_acc.plot([], [], color="C1", label="validation")
        ax_loss.set(xlim=(0.5, self.max_epochs + 0.5), ylim=(0, 2.4), xlabel="epoch", ylabel="mean cross-entropy")
        ax_acc.set(xlim=(0.5, self.max_epochs + 0.5), ylim=(0.5, 1.0), xlabel="epoch", ylabel="accuracy")
        ax_loss.legend(loc="upper right")
        ax_acc.legend(loc="lower right")
        self.fig.tight_layout()
        self.blit = BlitRenderer(self.fig)  # the axes are fixed: only the four curves are redrawn
        self.blit.add(self.l_loss, self.l_vloss, self.l_acc, self.l_vacc)

    def state(self) -> dict:
        hidden, lr, epochs, smoothing = (c.value for c in self.controls)
        return {"hidden": int(hidden), "lr": float(lr), "epochs": int(epochs), "smoothing": float(smoothing)}

    def _update(self):
        s = self.state()
        out = digits_trainer_state(s["hidden"], s["lr"], s["epochs"], s["smoothing"],
                                   batch_size=self.batch_size, seed=self.seed)
        h = out["history"]
        x = np.arange(1, len(h["loss"]) + 1)
        self.l_loss.set_data(x, h["loss"])
        self.l_vloss.set_data(x, h["val_loss"])
        self.l_acc.set_data(x, h["accuracy"])
        self.l_vacc.set_data(x, h["val_accuracy"])
        self.last = out
        return [
            ("hidden", "hidden width", s["hidden"]),
            ("lr", "learning rate", s["lr"]),
            ("epochs", "epochs", s["epochs"]),
            ("smoothing", "label smoothing", s["smoothing"]),
            ("train_loss", "training loss (last epoch)", h["loss"][-1]),
            ("val_loss", "validation loss", h["val_loss"][-1]),
            ("val_accuracy", "validation accuracy", out["val_accuracy"]),
            ("test_accuracy", "test accuracy", out["test_accuracy"]),
            ("test_confidence", "mean top probability (test)", out["test_confidence"]),
        ]
