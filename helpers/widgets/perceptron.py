r"""Explorers of chapters 1 and 2: the decision boundary of one neuron, and the perceptron's updates.

- :func:`boundary_state` / :class:`BoundaryExplorer`: w given by its angle and length, and b; the
  boundary w.x + b = 0, the scores w.x + b of the points and which are misclassified.
- :func:`stepper_state` / :class:`PerceptronStepper`: the weights after k updates of the perceptron
  rule (replayed from :func:`helpers.perceptron.perceptron_train`) and the mistake that comes next.
"""

from __future__ import annotations

import numpy as np

from ..perceptron import perceptron_predict, perceptron_scores, perceptron_train, signed_labels
from ..plots import CLASS_COLORS, grid_points, line_in_box
from ._base import Explorer, int_slider, slider

__all__ = ["boundary_state", "BoundaryExplorer", "stepper_state", "PerceptronStepper"]

_SHOWN = 6  # the readout lists the scores of points 0 .. _SHOWN - 1, numbered on the figure


def boundary_state(X, y, angle_deg, length, b):
    """Everything the boundary explorer shows, for w = length * (cos angle, sin angle).

    Returns a dict: ``w`` (2,), ``b``, ``scores`` w.x_n + b (N,), ``shown_scores`` (the scores of
    points 0-5, which the readout lists), ``pred`` (N,) in {0, 1},
    ``wrong`` (N,) bool, ``n_wrong``, ``accuracy``, ``offset`` = -b / |w| (signed distance of the
    boundary from the origin, measured along w).
    """
    t = np.deg2rad(angle_deg)
    w = length * np.array([np.cos(t), np.sin(t)])
    scores = perceptron_scores(X, w, b)
    pred = perceptron_predict(X, w, b)
    wrong = pred != np.asarray(y)
    return {"w": w, "b": float(b), "scores": scores, "shown_scores": scores[:_SHOWN], "pred": pred,
            "wrong": wrong, "n_wrong": int(wrong.sum()), "accuracy": float(1 - wrong.mean()),
            "offset": -float(b) / float(length)}


def _base_axes(fig, X, y, xlim, ylim):
    from matplotlib.colors import ListedColormap

    ax = fig.add_axes([0.3, 0.15, 0.45, 0.8])
    shade = ax.imshow(np.zeros((2, 2)), extent=(*xlim, *ylim), origin="lower", aspect="auto",
                      cmap=ListedColormap(CLASS_COLORS[:2]), vmin=0, vmax=1, alpha=0.18,
                      interpolation="nearest")
    colors = np.array(CLASS_COLORS)[np.asarray(y)]
    points = ax.scatter(X[:, 0], X[:, 1], c=colors, s=30, edgecolor="k", linewidth=0.5, zorder=3)
    (wrong,) = ax.plot([], [], "o", ms=13, mfc="none", mec="k", mew=1.5, zorder=4)
    (line,) = ax.plot([], [], "k-", lw=2, zorder=2)
    arrow = ax.quiver([0.0], [0.0], [1.0], [0.0], angles="xy", scale_units="xy", scale=1,
                      color="k", width=0.012, zorder=5)
    ax.set_axisbelow(True)  # ticks under the shading: a move redraws the shading, not the axes
    shade.set_zorder(0.6)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return ax, shade, wrong, line, arrow, points


def _draw_neuron(artists, grid, shape, X, w, b, wrong_mask, xlim, ylim, arrow_length=None):
    shade, wrong, line, arrow = artists
    shade.set_data(perceptron_predict(grid, w, b).reshape(shape))
    wrong.set_data(X[wrong_mask, 0], X[wrong_mask, 1])
    if not np.any(w):  # w = 0 (before the first update): no boundary to draw
        line.set_data([np.nan], [np.nan])
        arrow.set_visible(False)
        return
    arrow.set_visible(True)
    line.set_data(*line_in_box(w, b, xlim, ylim))
    foot = -b * w / (w @ w)  # the point of the boundary nearest the origin
    arrow.set_offsets(foot[None, :])
    shown = w if arrow_length is None else arrow_length * w / np.sqrt(w @ w)
    arrow.set_UVC([shown[0]], [shown[1]])


class BoundaryExplorer(Explorer):
    """Turn and stretch w, move b: the boundary w.x + b = 0 moves, points change class.

    The readout shows w, b, the scores w.x + b of the numbered points 0-5 and how many points are
    misclassified (circled). The arrow is w, drawn from the boundary point nearest the origin.
    """

    title = "Decision boundary explorer"
    fig_height = 3.4

    def __init__(self, X, y, angle_deg=60.0, length=1.0, b=0.5, xlim=(-3.5, 3.5), ylim=(-3.5, 3.5)):
        self.X, self.y = np.asarray(X, dtype=np.float64), np.asarray(y)
        self.xlim, self.ylim = xlim, ylim
        super().__init__(angle_deg=angle_deg, length=length, b=b)

    def _controls(self):
        i = self.initial
        return {"angle_deg": slider(i["angle_deg"], -180, 180, 5, "angle of w (deg)"),
                "length": slider(i["length"], 0.2, 3.0, 0.1, "length |w|"),
                "b": slider(i["b"], -4.0, 4.0, 0.1, "bias b")}

    def _draw(self, fig):
        ax, shade, wrong, line, arrow, points = _base_axes(fig, self.X, self.y, self.xlim, self.ylim)
        for i in range(min(_SHOWN, len(self.X))):
            ax.annotate(str(i), self.X[i], xytext=(5, 5), textcoords="offset points", fontsize=9, zorder=6)
        self.ax, self._artists = ax, (shade, wrong, line, arrow)
        self.blit.add(shade, line, points, wrong, arrow)
        self._grid, self._shape = grid_points(self.xlim, self.ylim, 60)

    def _update(self, state):
        st = boundary_state(self.X, self.y, **state)
        _draw_neuron(self._artists, self._grid, self._shape, self.X, st["w"], st["b"], st["wrong"],
                     self.xlim, self.ylim)
        return [
            ("w", "w", st["w"]),
            ("offset", "offset −b/|w|", st["offset"]),
            ("shown_scores", f"x·w + b, points 0–{_SHOWN - 1}", st["shown_scores"]),
            ("n_wrong", "misclassified", st["n_wrong"]),
            ("accuracy", "accuracy", st["accuracy"]),
        ]


def stepper_state(X, y, k, run):
    """The perceptron after k updates of ``run`` (the dict of :func:`perceptron_train` on X, y).

    Returns a dict: ``k``, ``w``, ``b``, ``n_wrong`` (training points misclassified by (w, b)),
    ``next`` (row index of the point that causes update k + 1, or -1 when training is over),
    ``next_margin`` s (w.x + b) of that point (<= 0: it is a mistake; NaN when there is none).
    """
    k = int(np.clip(k, 0, run["mistakes"]))
    w, b = run["history"][k]
    s = signed_labels(y)
    wrong = s * perceptron_scores(X, w, b) <= 0
    nxt = run["updated"][k] if k < run["mistakes"] else -1
    margin = float(s[nxt] * (X[nxt] @ w + b)) + 0.0 if nxt >= 0 else float("nan")
    return {"k": k, "w": w, "b": b, "n_wrong": int(wrong.sum()), "wrong": wrong,
            "next": int(nxt), "next_margin": margin}


class PerceptronStepper(Explorer):
    """Step through the perceptron's updates (slider or Play). The circled points are
    misclassified; the large orange ring marks the mistake that causes the next update. The arrow
    shows the direction of w (drawn with length 1)."""

    title = "Perceptron update stepper"
    fig_height = 3.4

    def __init__(self, X, y, epochs=50, lr=1.0, start=0, xlim=None, ylim=None):
        self.X, self.y = np.asarray(X, dtype=np.float64), np.asarray(y)
        self.run = perceptron_train(self.X, self.y, epochs=epochs, lr=lr)
        pad = 0.5
        self.xlim = xlim or (self.X[:, 0].min() - pad, self.X[:, 0].max() + pad)
        self.ylim = ylim or (self.X[:, 1].min() - pad, self.X[:, 1].max() + pad)
        super().__init__(k=start)

    def _controls(self):
        import ipywidgets as W

        n = self.run["mistakes"]
        step = int_slider(self.initial["k"], 0, n, "update k")
        self.play = W.Play(value=step.value, min=0, max=n, step=1, interval=700, description="play")
        W.jslink((self.play, "value"), (step, "value"))
        return {"k": step}

    def _extra_controls(self):
        return [self.play]

    def _draw(self, fig):
        ax, shade, wrong, line, arrow, points = _base_axes(fig, self.X, self.y, self.xlim, self.ylim)
        (self._next,) = ax.plot([], [], "o", ms=22, mfc="none", mec="orange", mew=2.5, zorder=4)
        self.ax, self._artists = ax, (shade, wrong, line, arrow)
        self.blit.add(shade, line, points, wrong, self._next, arrow)
        self._grid, self._shape = grid_points(self.xlim, self.ylim, 60)

    def _update(self, state):
        st = stepper_state(self.X, self.y, state["k"], self.run)
        _draw_neuron(self._artists, self._grid, self._shape, self.X, st["w"], st["b"], st["wrong"],
                     self.xlim, self.ylim, arrow_length=1.0)
        if st["next"] >= 0:
            self._next.set_data([self.X[st["next"], 0]], [self.X[st["next"], 1]])
        else:
            self._next.set_data([], [])
        return [
            ("w", "w", st["w"]),
            ("b", "b", st["b"]),
            ("n_wrong", "misclassified", st["n_wrong"]),
            ("next", "next mistake (row)", st["next"] if st["next"] >= 0 else
             ("none: converged" if self.run["converged"] else "none: stopped")),
            ("next_margin", "its s·(w·x + b)", st["next_margin"]),
        ]
