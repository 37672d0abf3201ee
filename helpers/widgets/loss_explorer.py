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
from ._base import choice, slider
from ._tangent import TangentExplorer

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
#: how the scalar prediction (the slider "pred") and target y enter each loss
LOSS_SETUPS = {
    "absolute_difference": "prediction (pred,), target (y,)",
    "cosine_distance": "prediction (pred, 1), target (y, 1)",
    "cross_entropy": "logits (pred, 0), target (y, 1 - y)",
    "hinge": "scores (pred, 0), true class 0 if y >= 0.5 else 1, margin 1",
    "huber": "prediction (pred,), target (y,)",
    "squared_error": "prediction (pred,), target (y,)",
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


def loss_explorer_state(loss: str, pred: float, target: float, delta: float = 1.0, eps: float = 1e-5) -> dict:
    r"""What the loss explorer shows at prediction ``pred``: ``loss``, ``grad`` (dL/dx from helpers),
    ``numerical`` (central difference with step ``eps``, the book's h = 1e-5) and ``setup`` (how x and y enter the loss)."""
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


class LossExplorer(TangentExplorer):
    """Menu for the loss, sliders for the prediction x, the target y and Huber's delta; left
    panel L(x) with the point and its tangent, right panel dL/dx with the point."""

    title = "Loss explorer"
    x_key, x_range, x_label, df_title = "pred", (_X_MIN, _X_MAX), "prediction", "∂ℒ/∂pred"

    def __init__(self, loss: str = "squared_error", pred: float = 2.5, target: float = 1.0, delta: float = 1.0):
        if loss not in LOSS_NAMES:
            raise ValueError(f"loss must be one of {LOSS_NAMES}; got {loss!r}")
        super().__init__(loss=loss, pred=pred, target=target, delta=delta)

    def _controls(self):
        i = self.initial
        return {"loss": choice(i["loss"], list(LOSS_NAMES), "loss"),
                "pred": slider(i["pred"], _X_MIN, _X_MAX, 0.05, "prediction"),
                "target": slider(i["target"], 0.0, 1.0, 0.05, "target y"),
                "delta": slider(i["delta"], 0.1, 2.0, 0.1, "Huber τ")}

    def _draw(self, fig):
        super()._draw(fig)
        self.target_line = self.ax_f.axvline(0.0, color="C2", lw=1, ls=":")
        self.blit.add(self.target_line)
        self._limits = {}

    def _limits_of(self, name, delta):
        """Axis limits that hold the curves of every target on the slider (so that moving y keeps
        the axes): (L limits, dL/dx limits)."""
        key = (name, delta if name == "huber" else None)  # delta changes only Huber's curves
        if key not in self._limits:
            curves = [loss_curve(name, self.grid, t, delta) for t in np.linspace(0.0, 1.0, 21)]
            top = max(float(v.max()) for v, _ in curves)
            glo, ghi = min(float(g.min()) for _, g in curves), max(float(g.max()) for _, g in curves)
            pad = 0.1 * (ghi - glo) + 0.05
            self._limits[key] = (-0.05 * top - 0.05, 1.1 * top + 0.05), (glo - pad, ghi + pad)
        return self._limits[key]

    def _curves(self, s):
        name, t, delta = s["loss"], s["target"], s["delta"]
        values, grads = loss_curve(name, self.grid, t, delta)
        # x = y is the minimiser only where x and y are the same kind of number
        marks_target = name not in ("cross_entropy", "hinge")
        self.target_line.set_xdata([t, t])
        self.target_line.set_visible(marks_target)
        title = f"ℒ(pred): {_LABELS[name]}" + (" (dotted: pred = y)" if marks_target else "")
        return (values, grads, *self._limits_of(name, delta), title)

    def _point(self, s):
        out = loss_explorer_state(s["loss"], s["pred"], s["target"], s["delta"])
        return out["loss"], out["grad"], [
            ("setup", "evaluated on", out["setup"]),
            ("loss", "ℒ(pred)", out["loss"]),
            ("grad", "∂ℒ/∂pred", out["grad"]),
            ("numerical", "central difference", out["numerical"]),
        ]
