r"""Loss explorer (chapter 4): pick one of the six losses, move a scalar prediction x for a fixed
target y, read the loss and its gradient dL/dx.

Each loss is evaluated by ``helpers`` on a small example built from x and y (see
:data:`LOSS_SETUPS`), so every number the explorer shows is the library's:

- absolute difference, squared error, Huber: prediction (x,), target (y,);
- cosine distance: prediction (x, 1), target (y, 1) (one component moves, the angle changes);
- cross-entropy: logits (x, 0), target probabilities (y, 1 - y), so p_0 = sigmoid(x) and
  dL/dx = sigmoid(x) - y;
- hinge: scores (x, 0) with margin 1; the true class is 0 when y >= 0.5, else 1.

The computation lives in :func:`loss_curve` and :func:`loss_explorer_state` (plain NumPy, tested
without widgets); :class:`LossExplorer` only draws it.
"""

from __future__ import annotations

import numpy as np

from .. import losses as _losses
from ..softmax import cross_entropy as _cross_entropy
from ..softmax import cross_entropy_grad as _cross_entropy_grad
from ._base import Explorer
from ._blit import BlitRenderer

__all__ = ["LOSS_NAMES", "LOSS_SETUPS", "loss_curve", "loss_explorer_state", "LossExplorer"]

LOSS_NAMES = (
    "absolute_difference",
    "cosine_distance",
    "cross_entropy",
    "hinge",
    "huber",
    "squared_error",
)
_LABELS = {
    "absolute_difference": "absolute difference",
    "cosine_distance": "cosine distance",
    "cross_entropy": "cross-entropy",
    "hinge": "hinge",
    "huber": "Huber",
    "squared_error": "squared error",
}
#: how the scalar prediction x and target y enter each loss
LOSS_SETUPS = {
    "absolute_difference": "pred (x,), target (y,)",
    "cosine_distance": "pred (x, 1), target (y, 1)",
    "cross_entropy": "logits (x, 0), target (y, 1 - y)",
    "hinge": "scores (x, 0), true class 0 if y >= 0.5 else 1, margin 1",
    "huber": "pred (x,), target (y,)",
    "squared_error": "pred (x,), target (y,)",
}
_X_MIN, _X_MAX = -4.0, 4.0


def loss_curve(loss: str, x, target: float, delta: float = 1.0):
    r"""Loss L(x) and gradient dL/dx for every scalar prediction in ``x`` (shape (M,)), target y fixed.

    Returns two float64 arrays of shape (M,), both computed by ``helpers`` with reduction "none".
    """
    if loss not in LOSS_NAMES:
        raise ValueError(f"loss must be one of {LOSS_NAMES}; got {loss!r}")
    x = np.asarray(x, dtype=np.float64).reshape(-1)
    t = float(target)
    if not np.isfinite(t):
        raise ValueError(f"target must be finite; got {target!r}")
    m = x.size
    ones, zeros = np.ones(m), np.zeros(m)
    if loss in ("absolute_difference", "squared_error", "huber"):
        pred, tgt = x[:, None], np.full((m, 1), t)
        f = getattr(_losses, loss)
        g = getattr(_losses, loss + "_grad")
        kw = {"delta": delta} if loss == "huber" else {}
        values, grads = f(pred, tgt, reduction="none", **kw), g(pred, tgt, reduction="none", **kw)
    elif loss == "cosine_distance":
        pred, tgt = np.stack([x, ones], axis=1), np.tile([t, 1.0], (m, 1))
        values = _losses.cosine_distance(pred, tgt, reduction="none")
        grads = _losses.cosine_distance_grad(pred, tgt, reduction="none")
    elif loss == "cross_entropy":
        if not 0.0 <= t <= 1.0:
            raise ValueError(f"for cross_entropy the target y is a probability in [0, 1]; got {t!r}")
        logits, probs = np.stack([x, zeros], axis=1), np.tile([t, 1.0 - t], (m, 1))
        values = _cross_entropy(logits, probs, reduction="none")
        grads = _cross_entropy_grad(logits, probs, reduction="none")
    else:  # hinge
        scores = np.stack([x, zeros], axis=1)
        labels = np.full(m, 0 if t >= 0.5 else 1)
        values = _losses.hinge(scores, labels, reduction="none")
        grads = _losses.hinge_grad(scores, labels, reduction="none")
    # + 0.0 turns the -0.0 that sign() and the hinge give into 0.0 for the readout
    return np.asarray(values, dtype=np.float64) + 0.0, np.asarray(grads[:, 0], dtype=np.float64) + 0.0


def loss_explorer_state(loss: str, pred: float, target: float, delta: float = 1.0, eps: float = 1e-6) -> dict:
    r"""What the loss explorer shows at prediction ``pred``: ``loss``, ``grad`` (dL/dx from helpers),
    ``numerical`` (central difference with step ``eps``) and ``setup`` (how x and y enter the loss)."""
    x = float(pred)
    values, grads = loss_curve(loss, [x, x + eps, x - eps], target, delta)
    return {
        "pred": x,
        "target": float(target),
        "loss": float(values[0]),
        "grad": float(grads[0]),
        "numerical": float((values[1] - values[2]) / (2 * eps)),
        "setup": LOSS_SETUPS[loss],
    }


class LossExplorer(Explorer):
    """Dropdown for the loss, sliders for the prediction x, the target y and Huber's delta; left
    panel L(x) with the point and its tangent, right panel dL/dx with the point."""

    name = "loss"
    title = "Loss explorer"

    def __init__(self, loss: str = "squared_error", pred: float = 2.5, target: float = 1.0, delta: float = 1.0):
        if loss not in LOSS_NAMES:
            raise ValueError(f"loss must be one of {LOSS_NAMES}; got {loss!r}")
        self._initial = (loss, float(pred), float(target), float(delta))
        self._shown = None  # (loss, target, delta) of the curves on display
        super().__init__()

    def _build(self):
        from matplotlib.figure import Figure

        w = self._widgets
        loss, pred, target, delta = self._initial
        # the choices are the helpers function names (labels with spaces would be shown with no-break spaces)
        self.loss = w.Dropdown(options=list(LOSS_NAMES), value=loss, description="loss")
        self.pred = w.FloatSlider(value=pred, min=_X_MIN, max=_X_MAX, step=0.05, description="prediction x",
                                  continuous_update=False, readout_format=".2f")
        self.target = w.FloatSlider(value=target, min=0.0, max=1.0, step=0.05, description="target y",
                                    continuous_update=False, readout_format=".2f")
        self.delta = w.FloatSlider(value=delta, min=0.1, max=2.0, step=0.1, description="Huber delta",
                                   continuous_update=False, readout_format=".1f")
        self.controls = [self.loss, self.pred, self.target, self.delta]

        self.grid = np.linspace(_X_MIN, _X_MAX, 321)
        self.fig = Figure(figsize=(7.5, 2.9), dpi=80)
        self.ax_l, self.ax_g = self.fig.subplots(1, 2)
        zeros = np.zeros_like(self.grid)
        for ax in (self.ax_l, self.ax_g):
            ax.set_xlim(_X_MIN, _X_MAX)
            ax.axhline(0.0, color="0.8", lw=0.8)
            ax.set_xlabel("prediction x")
        self.target_line_l = self.ax_l.axvline(target, color="C2", lw=1, ls=":")
        (self.curve_l,) = self.ax_l.plot(self.grid, zeros, color="C0", lw=2)
        (self.tangent,) = self.ax_l.plot([], [], color="C3", lw=1.5, ls="--", label="tangent")
        (self.point_l,) = self.ax_l.plot([pred], [0.0], "o", color="C3", ms=7)
        (self.curve_g,) = self.ax_g.plot(self.grid, zeros, color="C1", lw=2)
        (self.point_g,) = self.ax_g.plot([pred], [0.0], "o", color="C3", ms=7)
        self.ax_l.legend(loc="upper center", fontsize=8, frameon=False)
        self.title_l = self.ax_l.set_title("")
        self.ax_g.set_title("dL/dx")
        self.fig.subplots_adjust(left=0.08, right=0.98, bottom=0.17, top=0.88, wspace=0.25)
        # a slider move redraws only these over a cached picture of the rest
        self.blit = BlitRenderer(self.fig)
        self.blit.add(self.tangent, self.point_l, self.point_g)


    def state(self) -> dict:
        return {"loss": self.loss.value, "pred": float(self.pred.value),
                "target": float(self.target.value), "delta": float(self.delta.value)}

    def _update(self):
        s = self.state()
        name, t, delta = s["loss"], s["target"], s["delta"]
        key = (name, t, delta if name == "huber" else None)  # delta changes only Huber's curves
        if key != self._shown:  # new curves only when the function of x changed
            values, grads = loss_curve(name, self.grid, t, delta)
            self.curve_l.set_ydata(values)
            self.curve_g.set_ydata(grads)
            top = float(values.max())
            self.ax_l.set_ylim(-0.05 * top - 0.05, 1.1 * top + 0.05)
            glo, ghi = float(grads.min()), float(grads.max())
            pad = 0.1 * (ghi - glo) + 0.05
            self.ax_g.set_ylim(glo - pad, ghi + pad)
            # x = y is the minimiser only where x and y are the same kind of number
            marks_target = name not in ("cross_entropy", "hinge")
            self.target_line_l.set_xdata([t, t])
            self.target_line_l.set_visible(marks_target)
            self.title_l.set_text(f"L(x): {_LABELS[name]}" + (" (dotted: x = y)" if marks_target else ""))
            self._shown = key
            self.blit.background = None  # curves or limits changed: redraw the static part too
        out = loss_explorer_state(name, s["pred"], t, delta)
        x = out["pred"]
        u = np.array([x - 1.0, x + 1.0])
        self.tangent.set_data(u, out["loss"] + out["grad"] * (u - x))
        self.point_l.set_data([x], [out["loss"]])
        self.point_g.set_data([x], [out["grad"]])
        return [
            ("loss_name", "loss", _LABELS[name]),
            ("setup", "evaluated on", out["setup"]),
            ("pred", "prediction x", x),
            ("target", "target y", t),
            ("delta", "Huber delta", delta),
            ("loss", "L(x)", out["loss"]),
            ("grad", "dL/dx", out["grad"]),
            ("numerical", "central difference", out["numerical"]),
        ]
