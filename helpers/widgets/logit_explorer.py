r"""The logit explorer of chapter 7: move the logits, the true class, label smoothing and the
temperature, and watch p, y, p - y, the loss and the softmax Jacobian change together.

The computation is the plain function :func:`logit_explorer_state`; :class:`LogitExplorer` only
displays it. With logits z (C,), temperature T, true class k and smoothing eps:

    u = z / T                          the logits the softmax sees
    p = softmax(u)                     (C,)
    y = (1 - eps) onehot(k) + eps / C  (C,), sums to 1
    L = -sum_i y_i log p_i = logsumexp(u) - y . u
    dL/du = p - y                      (the bars "p - y")
    dL/dz = (p - y) / T                (readout "grad")
    J = dp/du = diag(p) - p^T p        (C, C) with p a row, the heatmap
"""

from __future__ import annotations

import numpy as np

from ..softmax import cross_entropy, one_hot, softmax, softmax_jacobian
from ._base import Explorer, choice, nice_limit, slider

__all__ = ["logit_explorer_state", "LogitExplorer"]

MIN_CLASSES, MAX_CLASSES = 3, 6


def logit_explorer_state(logits, target, smoothing=0.0, temperature=1.0) -> dict:
    """Everything the logit explorer shows, for logits (C,), an integer true class and the controls.

    Returns a dict of NumPy arrays / floats: ``u`` (scaled logits), ``p``, ``y``, ``p_minus_y``
    (dL/du), ``grad`` (dL/dz = (p - y) / T), ``loss`` and ``jacobian`` (diag(p) - p^T p, p a row).
    """
    z = np.asarray(logits, dtype=np.float64)
    if z.ndim != 1 or not MIN_CLASSES <= z.size <= MAX_CLASSES:
        raise ValueError(f"logits must be a vector of {MIN_CLASSES} to {MAX_CLASSES} numbers; got shape {z.shape}")
    if not float(temperature) > 0:
        raise ValueError(f"temperature must be positive; got {temperature!r}")
    c = z.size
    y = one_hot(np.array([int(target)]), c, smoothing=float(smoothing))[0]
    u = z / float(temperature)
    p = softmax(u)
    p_minus_y = p - y
    return {
        "u": u,
        "p": p,
        "y": y,
        "p_minus_y": p_minus_y,
        "grad": p_minus_y / float(temperature),
        "loss": float(cross_entropy(u, y)),
        "jacobian": softmax_jacobian(u),
    }


class LogitExplorer(Explorer):
    """Sliders for C logits (3 to 6, set by ``n_classes``), the true class, smoothing, temperature."""

    title = "Logit explorer"
    fig_height = 2.5

    def __init__(self, n_classes=4, logits=None, target=0, smoothing=0.0, temperature=1.0):
        if not isinstance(n_classes, (int, np.integer)) or not MIN_CLASSES <= n_classes <= MAX_CLASSES:
            raise ValueError(f"n_classes must be an int from {MIN_CLASSES} to {MAX_CLASSES}; got {n_classes!r}")
        if logits is None:
            logits = np.linspace(1.5, -1.0, n_classes).round(1)
        logits = np.asarray(logits, dtype=np.float64)
        if logits.shape != (n_classes,):
            raise ValueError(f"logits must have shape ({n_classes},); got {logits.shape}")
        self.n_classes = int(n_classes)
        super().__init__(logits=logits, target=target, smoothing=smoothing, temperature=temperature)

    def _controls(self):
        i = self.initial
        return {"logits": [slider(v, -6.0, 6.0, 0.1, f"z{chr(0x2080 + k)}") for k, v in enumerate(i["logits"])],
                "target": choice(i["target"], list(range(self.n_classes)), "true class"),
                "smoothing": slider(i["smoothing"], 0.0, 0.5, 0.01, "smoothing"),
                "temperature": slider(i["temperature"], 0.25, 4.0, 0.05, "temperature T")}

    def _draw(self, fig):
        c = self.n_classes
        gs = fig.add_gridspec(1, 4, width_ratios=[1.25, 0.25, 1.0, 0.9], left=0.06, right=0.93,
                              bottom=0.18, top=0.87, wspace=0.45)
        ax_p, ax_l, ax_g, ax_j = (fig.add_subplot(gs[0, k]) for k in range(4))
        idx = np.arange(c)
        zeros = np.zeros(c)
        self.bars_p = ax_p.bar(idx - 0.2, zeros, width=0.4, color="tab:blue", label="p")
        self.bars_y = ax_p.bar(idx + 0.2, zeros, width=0.4, color="tab:orange", label="y")
        ax_p.set_ylim(0, 1.05)
        ax_p.set_xticks(idx)
        ax_p.legend(loc="upper right", fontsize=9, frameon=False).set_zorder(0.9)
        ax_p.set_title("p = softmax(z/T), y", fontsize=10)

        (self.loss_bar,) = ax_l.bar([0], [0.0], width=0.6, color="tab:purple")
        ax_l.set_xlim(-0.6, 0.6)
        ax_l.set_xticks([0], [r"$\mathcal{L}$"])
        ax_l.set_title("loss", fontsize=10)

        self.bars_g = ax_g.bar(idx, zeros, width=0.6, color="tab:gray")
        ax_g.axhline(0.0, color="black", lw=0.8)
        ax_g.set_ylim(-1.05, 1.05)
        ax_g.set_xticks(idx)
        ax_g.set_title(r"$p - y = \partial \mathcal{L} / \partial (z / T)$", fontsize=10)

        self.jac_image = ax_j.imshow(np.zeros((c, c)), cmap="RdBu_r", vmin=-0.25, vmax=0.25)
        ax_j.set_xticks(idx)
        ax_j.set_yticks(idx)
        ax_j.set_title(r"$J_{ij} = \partial p_i / \partial (z_j / T)$", fontsize=10)
        fig.colorbar(self.jac_image, ax=ax_j, fraction=0.046, pad=0.04)
        for ax in (ax_p, ax_g):
            ax.set_xlabel("class")
        for ax in (ax_p, ax_l, ax_g, ax_j):
            ax.set_axisbelow(True)  # ticks under the bars: a move redraws the bars, not the axes
        self.jac_image.set_zorder(0.6)
        self.blit.add(*self.bars_p, *self.bars_y, *self.bars_g, self.jac_image, self.loss_bar)

    def _update(self, st):
        out = logit_explorer_state(st["logits"], st["target"], st["smoothing"], st["temperature"])
        for bar, v in zip(self.bars_p, out["p"]):
            bar.set_height(v)
        for bar, v in zip(self.bars_y, out["y"]):
            bar.set_height(v)
        for bar, v in zip(self.bars_g, out["p_minus_y"]):
            bar.set_height(v)
            bar.set_color("tab:red" if v > 0 else "tab:green")
        self.jac_image.set_data(out["jacobian"])
        self.loss_bar.set_height(out["loss"])
        limit = max(0.5, nice_limit(1.05 * out["loss"]))  # the loss axis follows the loss, in steps
        if limit != self.loss_bar.axes.get_ylim()[1]:
            self.loss_bar.axes.set_ylim(0, limit)
            self.blit.invalidate()
        return [
            ("p", "p = softmax(z/T)", out["p"]),
            ("y", "y (target)", out["y"]),
            ("p_minus_y", "p \u2212 y", out["p_minus_y"]),
            ("grad", "\u2202\u2112/\u2202z = (p \u2212 y)/T", out["grad"]),
            ("grad_sum", "sum of \u2202\u2112/\u2202z", round(float(out["grad"].sum()), 10) + 0.0),
            ("loss", "loss \u2112", out["loss"]),
            ("jacobian", "J = \u2202p/\u2202(z/T) = diag(p) \u2212 p<sup>\u22a4</sup>p", out["jacobian"]),
        ]
