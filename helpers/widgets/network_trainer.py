r"""Network trainer (chapter 6): choose the hidden width, the learning rate and the number of
epochs; a 2 -> H -> 2 sigmoid network (``helpers.MLP``) is trained by full-batch gradient descent
on a small two-class problem, and the figure shows the learned decision regions and the loss curve.

The computation lives in :func:`network_trainer_state` (no widgets involved); the explorer only
draws what it returns.
"""

from __future__ import annotations

import numpy as np

from ..data import moons, xor
from ..mlp import MLP
from ..plots import CLASS_COLORS, data_box, on_grid, scatter_classes
from ._base import choice, int_slider, steps_slider
from ._trainer import TrainingExplorer

__all__ = ["DATASETS", "training_data", "probability_grid", "network_training", "network_trainer_state",
           "NetworkTrainer"]

DATASETS = ("moons", "xor")
LEARNING_RATES = (0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0, 5.0, 7.0, 10.0, 15.0, 20.0, 30.0)


def training_data(data="moons", n=100, seed=0):
    """The small two-class problem the trainer uses: X (n, 2), y (n,)."""
    if data == "moons":
        return moons(n, noise=0.15, seed=seed)
    if data == "xor":
        return xor(n, noise=0.25, seed=seed)
    raise ValueError(f"data must be one of {DATASETS}; got {data!r}")


def grid_box(X, padding=0.5):
    """(x_min, x_max, y_min, y_max) of the data plus ``padding`` on each side (an image's extent)."""
    xlim, ylim = data_box(X, padding)
    return (*xlim, *ylim)


def probability_grid(model, box, resolution=60):
    """P(class 1) of ``model`` on a resolution x resolution grid over box = (x0, x1, y0, y1).

    Returns (xx, yy, proba), each of shape (resolution, resolution); row i of the grid has the
    y coordinate yy[i, 0] (increasing with i)."""
    return on_grid(lambda points: model.predict_proba(points)[:, 1], box[:2], box[2:], resolution)


def network_training(hidden=8, lr=2.0, epochs=300, data="moons", n=100, seed=0, chunk=25):
    """Train MLP([2, hidden, 2], "sigmoid", seed) by full-batch gradient descent (batch = all n
    points, so one epoch is one step), ``chunk`` steps at a time.

    A generator: after each chunk it yields ``(model, X, y, losses)``, the model being trained, the
    data and the mean cross-entropy before each step so far. The data are visited in order, so the
    chunks together take the steps of one ``fit`` of ``epochs`` epochs (a test checks it).
    """
    if isinstance(hidden, (bool, np.bool_)) or not isinstance(hidden, (int, np.integer)) or hidden < 1:
        raise ValueError(f"hidden must be a positive int; got {hidden!r}")
    X, y = training_data(data, n, seed)
    model = MLP([2, int(hidden), 2], hidden_activation="sigmoid", seed=seed)
    losses = []
    for done in range(0, int(epochs), chunk):
        history = model.fit(X, y, epochs=min(chunk, int(epochs) - done), batch_size=len(X), lr=lr, progress=False,
                            shuffle=False)
        losses.extend(history["loss"])
        yield model, X, y, losses


def _trained(model, X, y, losses, resolution=60):
    final_loss, accuracy = model.evaluate(X, y)
    box = grid_box(X)
    xx, yy, proba = probability_grid(model, box, resolution)
    return {
        "X": X,
        "y": y,
        "model": model,
        "loss_history": np.asarray(losses),
        "final_loss": final_loss,
        "accuracy": accuracy,
        "n_params": int(sum(W.size + b.size for W, b in model.params)),
        "box": box,
        "xx": xx,
        "yy": yy,
        "proba": proba,
    }


def network_trainer_state(hidden=8, lr=2.0, epochs=300, data="moons", n=100, seed=0, resolution=60):
    """Train as :func:`network_training` does, all steps, and return what the trainer shows:

    "X", "y", "model", "loss_history" (mean cross-entropy before each step, length epochs),
    "final_loss" and "accuracy" (after the last step, from ``model.evaluate``),
    "n_params" (number of weights and biases), "box", "xx", "yy", "proba" (P(class 1) on a grid).
    """
    partial = None
    for partial in network_training(hidden, lr, epochs, data, n, seed):
        pass
    return _trained(*partial, resolution=resolution)


class NetworkTrainer(TrainingExplorer):
    """Sliders for the hidden width, the learning rate and the epochs, a menu for the data; the
    figure shows P(class 1) over the plane (the boundary is where the colours meet) and the loss
    per epoch, both drawn as the network trains."""

    title = "Network trainer"
    fig_height = 2.8
    paint_interval = 0.05

    def __init__(self, hidden=8, lr=2.0, epochs=300, data="moons", n=100, seed=0):
        self.n = n
        self.seed = seed
        super().__init__(hidden=hidden, lr=lr, epochs=epochs, data=data)

    def _controls(self):
        i = self.initial
        return {"hidden": int_slider(i["hidden"], 1, 16, "hidden width H"),
                "lr": steps_slider(i["lr"], LEARNING_RATES, "learning rate"),
                "epochs": int_slider(i["epochs"], 25, 1000, "epochs", step=25),
                "data": choice(i["data"], list(DATASETS), "data")}

    def _draw(self, fig):
        from matplotlib.colors import LinearSegmentedColormap

        self.ax_b = fig.add_subplot(1, 2, 1)
        self.ax_l = fig.add_subplot(1, 2, 2)
        fig.subplots_adjust(left=0.07, right=0.98, bottom=0.17, top=0.9, wspace=0.3)
        cmap = LinearSegmentedColormap.from_list("two_classes", [CLASS_COLORS[0], "white", CLASS_COLORS[1]])
        self._im = self.ax_b.imshow(np.zeros((2, 2)), origin="lower", cmap=cmap, vmin=0, vmax=1, alpha=0.55,
                                    aspect="auto", interpolation="bilinear")
        X, y = training_data(self.initial["data"], self.n, self.seed)
        self._points = scatter_classes(self.ax_b, X, y, s=14)
        self._points_for = self.initial["data"]
        self.ax_b.set_title("P(class 1)", fontsize=11)
        (self._curve,) = self.ax_l.plot([], [], color="k", lw=1.5)
        self.ax_l.set_xlabel("epoch (one full-batch step)")
        self.ax_l.set_ylabel("mean cross-entropy")
        self.ax_l.axhline(np.log(2), color="grey", lw=0.8, ls=":")  # the loss of a coin flip
        self.ax_l.set_title("loss curve", fontsize=11)
        self._limits = None
        # a move redraws only the map, the points over it and the curve; the axes, ticks and labels
        # stay in a cached picture until a limit changes
        self.ax_b.set_axisbelow(True)  # ticks under the map: a move redraws the map, not the axes
        self._im.set_zorder(0.6)
        self.blit.add(self._im, self._points, self._curve)

    def _steps(self, state):
        """(model, X, y, losses) after every 25 steps."""
        return network_training(**state, n=self.n, seed=self.seed)

    def _finish(self, state, partial):
        return _trained(*partial)

    def _show(self, state, result, final):
        if final:
            s = result
        elif result is not None:  # the map of the model as it is now
            model, X, y, losses = result
            box = grid_box(X)
            s = {"X": X, "y": y, "box": box, "proba": probability_grid(model, box)[2],
                 "loss_history": np.asarray(losses)}
        else:  # training has just started: the data, no map yet
            X, y = training_data(state["data"], self.n, self.seed)
            s = {"X": X, "y": y, "box": grid_box(X), "proba": np.full((2, 2), 0.5), "loss_history": np.zeros(0)}
        self._im.set_data(s["proba"])
        self._im.set_extent(s["box"])
        if self._points_for != state["data"]:
            self._points.set_offsets(s["X"])
            self._points.set_facecolor(np.array(CLASS_COLORS)[s["y"]])
            self._points_for = state["data"]
        hist = s["loss_history"]
        self._curve.set_data(np.arange(1, len(hist) + 1), hist)
        if result is None and not final:  # nothing trained yet: keep the axes as they are
            return [("progress", "epochs trained", f"0 of {state['epochs']} (training\u2026)")] + [
                (key, label, "\u2026") for key, label in _FINAL_ROWS]
        limits = (  # rounded up (epochs to 250s, loss to 0.5s) so that most moves keep the axes
            s["box"], 250 * int(np.ceil((state["epochs"] + 1) / 250)),
            max(1.0, np.ceil(float(np.max(hist, initial=0.0)) * 2.1) / 2)
        )
        if limits != self._limits:
            self.ax_b.set_xlim(s["box"][:2])
            self.ax_b.set_ylim(s["box"][2:])
            self.ax_l.set_xlim(0, limits[1])
            self.ax_l.set_ylim(0, limits[2])
            self.blit.invalidate()  # the axes changed: draw the static part again
            self._limits = limits
        done = f"{len(hist)} of {state['epochs']}" + ("" if final else " (training\u2026)")
        if not final:
            return [("progress", "epochs trained", done)] + [
                (key, label, "\u2026") for key, label in _FINAL_ROWS]
        return [("progress", "epochs trained", done)] + [
            (key, label, value) for (key, label), value in zip(
                _FINAL_ROWS, (s["n_params"], float(hist[0]), s["final_loss"], s["accuracy"]))]


_FINAL_ROWS = [("n_params", "weights and biases"), ("first_loss", "loss before training"),
               ("final_loss", "loss after training"), ("accuracy", "training accuracy")]
