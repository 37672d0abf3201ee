r"""The gradient explorer of chapter 7: a 2-3-3 network (sigmoid hidden layer, softmax output,
cross-entropy), with sliders for the input and for one chosen weight.

The computation is the plain function :func:`gradient_explorer_state`; :class:`GradientExplorer`
only displays it. For one example x (a row vector of 2 numbers) with integer label k:

    z^1 = x W^1 + b^1,  a^1 = sigma(z^1),  z^2 = a^1 W^2 + b^2,  p = softmax(z^2)
    L = -log p_k
    delta^2 = p - y                                  (3,)
    delta^1 = (delta^2 (W^2)^T) * sigma'(z^1)        (3,), * element-wise
    dW^2 = (a^1)^T delta^2   (3, 3),   dW^1 = x^T delta^1   (2, 3),   db^l = delta^l

Nudging the chosen weight w by eps changes the loss by about dL/dw * eps (first order); the
explorer shows that prediction next to the actual change L(w + eps) - L(w).
"""

from __future__ import annotations

import numpy as np

from ..activations import sigmoid, sigmoid_grad
from ..softmax import cross_entropy, softmax
from ._base import Explorer, choice, log_slider, nice_limit, slider

__all__ = ["default_params", "network_loss", "gradient_explorer_state", "GradientExplorer"]

SIZES = (2, 3, 3)
CURVE_SPAN = 1.0  # the loss curve covers the chosen weight +- CURVE_SPAN
WEIGHT_RANGE = 4.0  # the weight slider covers [-WEIGHT_RANGE, WEIGHT_RANGE] in steps of 0.01


def default_params(seed=3):
    """Weights and biases of the 2-3-3 network: [(W1 (2, 3), b1 (3,)), (W2 (3, 3), b2 (3,))],
    rounded to 2 decimals so that they sit exactly on the sliders' steps."""
    rng = np.random.default_rng(seed)
    params = []
    for n_in, n_out in zip(SIZES[:-1], SIZES[1:]):
        W = np.round(rng.standard_normal((n_in, n_out)) * 1.2, 2)
        b = np.round(rng.standard_normal(n_out) * 0.3, 2)
        params.append((W, b))
    return params


def _forward(x, params):
    (W1, b1), (W2, b2) = params
    z1 = x @ W1 + b1  # (2,) @ (2, 3) -> (3,)
    a1 = sigmoid(z1)
    z2 = a1 @ W2 + b2  # (3,) @ (3, 3) -> (3,)
    return z1, a1, z2


def network_loss(x, label, params) -> float:
    """Cross-entropy of the 2-3-3 network on one example."""
    x = np.asarray(x, dtype=np.float64)
    return float(cross_entropy(_forward(x, params)[2], int(label)))


def gradient_explorer_state(x, label, params, weight=(2, 0, 0), eps=0.01, span=CURVE_SPAN, n_curve=41) -> dict:
    """Forward pass, backward pass and the nudge test for one chosen weight.

    x: (2,) input; label: true class in {0, 1, 2}; params: [(W1, b1), (W2, b2)] (not modified);
    weight: (layer, i, j) with layer 1 or 2, the weight W^layer[i, j]; eps: the nudge.
    Returns the activations, ``delta1``, ``delta2``, ``dW1``, ``dW2``, ``db1``, ``db2``, the
    chosen weight's ``value`` and ``gradient``, ``predicted`` (= gradient * eps), ``actual``
    (= L(w + eps) - L(w)), and the loss along the chosen weight, ``curve_w`` and ``curve_loss``.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.shape != (SIZES[0],):
        raise ValueError(f"x must have shape ({SIZES[0]},); got {x.shape}")
    label = int(label)
    if not 0 <= label < SIZES[-1]:
        raise ValueError(f"label must lie in [0, {SIZES[-1]}); got {label}")
    layer, i, j = (int(k) for k in weight)
    if layer not in (1, 2):
        raise ValueError(f"weight layer must be 1 or 2; got {layer}")
    params = [(np.array(W, dtype=np.float64), np.array(b, dtype=np.float64)) for W, b in params]
    (_, b1), (W2, b2) = params  # the chosen weight's matrix is taken below

    z1, a1, z2 = _forward(x, params)
    p = softmax(z2)
    y = np.zeros(SIZES[-1])
    y[label] = 1.0
    loss = float(cross_entropy(z2, label))
    delta2 = p - y  # dL/dz^2, (3,)
    dW2 = np.outer(a1, delta2)  # (a^1)^T delta^2: (3, 1) (1, 3) -> (3, 3)
    delta1 = (delta2 @ W2.T) * sigmoid_grad(z1)  # (3,) @ (3, 3) -> (3,), then element-wise
    dW1 = np.outer(x, delta1)  # x^T delta^1: (2, 1) (1, 3) -> (2, 3)

    W = params[layer - 1][0]
    value = float(W[i, j])
    gradient = float((dW1, dW2)[layer - 1][i, j])

    # the loss with the chosen weight at value + s for every s at once: a batch of networks
    offsets = np.linspace(-span, span, n_curve)
    Ws = np.repeat(W[None], n_curve + 1, axis=0)  # (n_curve + 1, n_in, n_out)
    Ws[:, i, j] = value + np.append(offsets, eps)  # the last one is the nudge
    if layer == 1:
        A1s = sigmoid(np.einsum("i,kij->kj", x, Ws) + b1)  # (n_curve + 1, 3)
        Z2s = A1s @ W2 + b2
    else:
        Z2s = np.einsum("i,kij->kj", a1, Ws) + b2
    losses = cross_entropy(Z2s, np.full(n_curve + 1, label), reduction="none")
    curve_loss, loss_nudged = losses[:-1], float(losses[-1])

    return {
        "z1": z1, "a1": a1, "z2": z2, "p": p, "y": y, "loss": loss,
        "delta2": delta2, "delta1": delta1, "dW2": dW2, "dW1": dW1, "db2": delta2.copy(), "db1": delta1.copy(),
        "value": value, "gradient": gradient, "eps": float(eps),
        "predicted": gradient * float(eps), "actual": loss_nudged - loss,
        "curve_w": value + offsets, "curve_loss": curve_loss,
    }


def _weight_name(layer, i, j):
    return f"W{layer}[{i},{j}]"


class GradientExplorer(Explorer):
    """Sliders for the input x, the true class, which weight to follow, its value and the nudge eps.
    Every weight of ``params`` must lie on the weight slider (in [-4, 4], two decimals), so that
    choosing it shows its true value."""

    title = "Gradient explorer"
    fig_height = 2.5

    def __init__(self, params=None, x=(0.5, -1.0), label=0, weight=(2, 0, 0), eps=0.01):
        params = default_params() if params is None else params
        self.params = [(np.array(W, dtype=np.float64), np.array(b, dtype=np.float64)) for W, b in params]
        if [W.shape for W, _ in self.params] != [(2, 3), (3, 3)]:
            raise ValueError("params must be [(W1 (2, 3), b1 (3,)), (W2 (3, 3), b2 (3,))]")
        for layer, (W, _) in enumerate(self.params, start=1):
            for (i, j), w in np.ndenumerate(W):
                if not (abs(w) <= WEIGHT_RANGE and abs(w * 100 - round(w * 100)) < 1e-6):
                    raise ValueError(f"params: {_weight_name(layer, i, j)} = {float(w)!r} is not a value of the weight "
                                     f"slider (two decimals in [-{WEIGHT_RANGE}, {WEIGHT_RANGE}])")
        weight = tuple(int(k) for k in weight)
        layer, i, j = weight
        self._syncing = False
        self._limits = None
        super().__init__(x=np.asarray(x, dtype=np.float64), label=label, weight=weight,
                         value=float(self.params[layer - 1][0][i, j]), eps=eps)

    def _controls(self):
        i = self.initial
        options = [
            (_weight_name(layer, a, b), (layer, a, b))
            for layer, (W, _) in enumerate(self.params, start=1)
            for a in range(W.shape[0])
            for b in range(W.shape[1])
        ]
        return {"x": [slider(v, -3.0, 3.0, 0.05, f"x{chr(0x2080 + k)}") for k, v in enumerate(i["x"])],
                "label": choice(i["label"], list(range(SIZES[-1])), "true class"),
                "weight": choice(i["weight"], options, "weight"),
                "value": slider(i["value"], -WEIGHT_RANGE, WEIGHT_RANGE, 0.01, "its value"),
                "eps": log_slider(i["eps"], -3, 0, 0.25, "nudge h")}

    def _draw(self, fig):
        from matplotlib.patches import Rectangle

        gs = fig.add_gridspec(1, 4, width_ratios=[1.2, 0.75, 0.75, 1.25], left=0.07, right=0.99,
                              bottom=0.2, top=0.86, wspace=0.6)
        self.ax_d, ax_w1, ax_w2, self.ax_c = (fig.add_subplot(gs[0, k]) for k in range(4))

        pos = np.array([0, 1, 2, 4, 5, 6])
        self.delta_bars = self.ax_d.bar(pos, np.zeros(6), width=0.7, color=["tab:purple"] * 3 + ["tab:blue"] * 3)
        self.ax_d.axhline(0.0, color="black", lw=0.8)
        self.ax_d.set_xticks([1, 5], [r"$\delta^1$", r"$\delta^2$"])
        self.ax_d.set_title(r"$\delta^l$ of each layer", fontsize=10)

        self.images, self.frames = [], []
        for ax, (W, _), lname in ((ax_w1, self.params[0], "1"), (ax_w2, self.params[1], "2")):
            im = ax.imshow(np.zeros(W.shape), cmap="RdBu_r", vmin=-1, vmax=1)
            ax.set_xticks(range(W.shape[1]))
            ax.set_yticks(range(W.shape[0]))
            ax.set_xlabel("j")
            ax.set_ylabel("i", rotation=0, labelpad=8)
            ax.set_title(rf"$\partial \mathcal{{L}}/\partial W^{lname}$", fontsize=10)
            frame = Rectangle((-0.5, -0.5), 1, 1, fill=False, lw=2.5, ec="black", visible=False)
            ax.add_patch(frame)
            self.images.append(im)
            self.frames.append(frame)

        # the loss along the chosen weight, relative to where it is now (offset s added to the
        # weight, change of the loss L(w + s) - L(w)); the y axis follows the curve's size
        ax_c = self.ax_c
        (self.curve_line,) = ax_c.plot([], [], color="tab:blue", lw=1.5, label="actual")
        (self.tangent_line,) = ax_c.plot([], [], color="tab:red", lw=1.0, ls="--", label=r"$h\,\partial \mathcal{L}/\partial w$")
        (self.point_nudged,) = ax_c.plot([], [], "o", mfc="none", mec="tab:orange", mew=1.5, ms=9,
                                         label="chosen h")   # a ring: the point at h = 0 shows through
        ax_c.plot([0.0], [0.0], "o", color="black", ms=4)
        ax_c.axhline(0.0, color="gray", lw=0.5)
        ax_c.axvline(0.0, color="gray", lw=0.5)
        ax_c.set_xlim(-CURVE_SPAN, CURVE_SPAN)
        # under the lines (drawn once, in the cached picture): the lines pass over it
        ax_c.legend(loc="lower right", fontsize=8, frameon=False, handlelength=1.5).set_zorder(1.9)
        ax_c.set_xlabel("nudge h")
        ax_c.set_title(r"change of $\mathcal{L}$", fontsize=10)
        for ax in (self.ax_d, ax_w1, ax_w2):
            ax.set_axisbelow(True)  # ticks under the bars and maps: a move redraws them, not the axes
        for im in self.images:
            im.set_zorder(0.6)
        self.blit.add(*self.delta_bars, *self.images, *self.frames,
                      self.curve_line, self.tangent_line, self.point_nudged)

    # ----------------------------------------------------------------- update

    def _on_change(self, change=None):
        if self._syncing:
            return
        owner = getattr(change, "owner", None) if change is not None else None
        layer, i, j = self.control["weight"].value
        W = self.params[layer - 1][0]
        if owner is self.control["weight"]:  # show the newly chosen weight's value on its slider
            self._syncing = True
            try:
                self.control["value"].value = float(W[i, j])
            finally:
                self._syncing = False
        elif owner is self.control["value"]:
            W[i, j] = float(self.control["value"].value)
        self.redraw()

    def _update(self, st):
        out = gradient_explorer_state(st["x"], st["label"], self.params, st["weight"], st["eps"])
        deltas = np.concatenate([out["delta1"], out["delta2"]])
        for bar, v in zip(self.delta_bars, deltas):
            bar.set_height(v)
        grads = (out["dW1"], out["dW2"])
        vmax = max(1e-3, float(max(np.abs(g).max() for g in grads)))
        layer, i, j = st["weight"]
        for k, (im, g, frame) in enumerate(zip(self.images, grads, self.frames)):
            im.set_data(g)
            im.set_clim(-vmax, vmax)
            frame.set_visible(k == layer - 1)
            if k == layer - 1:
                frame.set_xy((j - 0.5, i - 0.5))

        w0, g0, L0 = out["value"], out["gradient"], out["loss"]
        s = out["curve_w"] - w0
        change = out["curve_loss"] - L0
        self.curve_line.set_data(s, change)
        self.tangent_line.set_data(s, g0 * s)
        self.point_nudged.set_data([out["eps"]], [out["actual"]])
        # axes scaled to what is shown, on a few fixed steps so that most moves keep them
        limits = (nice_limit(1.1 * float(np.abs(deltas).max())), nice_limit(1.1 * float(np.abs(change).max())))
        if limits != self._limits:
            self.ax_d.set_ylim(-limits[0], limits[0])
            self.ax_c.set_ylim(-limits[1], limits[1])
            self.blit.invalidate()
            self._limits = limits
        name = _weight_name(*st["weight"])
        return [
            ("p", "p = softmax(z\u00b2)", out["p"]),
            ("loss", "loss \u2112", out["loss"]),
            ("delta2", "\u03b4\u00b2 = p \u2212 y", out["delta2"]),
            ("delta1", "\u03b4\u00b9 = (\u03b4\u00b2 W\u00b2<sup>\u22a4</sup>) \u2299 \u03c3\u2032(z\u00b9)", out["delta1"]),
            ("dW2", "\u2202\u2112/\u2202W\u00b2 = a\u00b9<sup>\u22a4</sup> \u03b4\u00b2", out["dW2"]),
            ("dW1", "\u2202\u2112/\u2202W\u00b9 = x<sup>\u22a4</sup> \u03b4\u00b9", out["dW1"]),
            ("gradient", f"\u2202\u2112/\u2202{name}", out["gradient"]),
            ("predicted", "predicted change h\u00b7\u2202\u2112/\u2202w", out["predicted"]),
            ("actual", "actual change \u2112(w+h) \u2212 \u2112(w)", out["actual"]),
        ]
