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
from ._base import Explorer
from ._blit import BlitRenderer

__all__ = ["default_params", "network_loss", "gradient_explorer_state", "GradientExplorer"]

SIZES = (2, 3, 3)
CURVE_SPAN = 1.0  # the loss curve covers the chosen weight +- CURVE_SPAN


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
    """Sliders for the input x, the true class, which weight to follow, its value and the nudge eps."""

    name = "gradient_explorer"
    title = "Gradient explorer"

    def __init__(self, params=None, x=(0.5, -1.0), label=0, weight=(2, 0, 0), eps=0.01):
        params = default_params() if params is None else params
        self.params = [(np.array(W, dtype=np.float64), np.array(b, dtype=np.float64)) for W, b in params]
        if [W.shape for W, _ in self.params] != [(2, 3), (3, 3)]:
            raise ValueError("params must be [(W1 (2, 3), b1 (3,)), (W2 (3, 3), b2 (3,))]")
        self._init = (tuple(float(v) for v in x), int(label), tuple(int(k) for k in weight), float(eps))
        self._syncing = False
        super().__init__()

    # ------------------------------------------------------------------ build
    def _build(self):
        from matplotlib.figure import Figure
        from matplotlib.patches import Rectangle

        w = self._widgets
        x, label, weight, eps = self._init
        self.x_sliders = [
            w.FloatSlider(value=v, min=-3.0, max=3.0, step=0.05, description=f"x_{k}", continuous_update=False)
            for k, v in enumerate(x)
        ]
        self.label_control = w.Dropdown(options=list(range(SIZES[-1])), value=label, description="true class")
        options = [
            (_weight_name(layer, i, j), (layer, i, j))
            for layer, (W, _) in enumerate(self.params, start=1)
            for i in range(W.shape[0])
            for j in range(W.shape[1])
        ]
        self.weight_choice = w.Dropdown(options=options, value=weight, description="weight")
        layer, i, j = weight
        self.weight_slider = w.FloatSlider(value=float(self.params[layer - 1][0][i, j]), min=-3.0, max=3.0,
                                           step=0.01, description="its value", continuous_update=False)
        self.eps_slider = w.FloatLogSlider(value=eps, base=10, min=-3, max=0, step=0.25,
                                           description="eps", continuous_update=False, readout_format=".3g")
        self.controls = [*self.x_sliders, self.label_control, self.weight_choice, self.weight_slider, self.eps_slider]

        fig = Figure(figsize=(11.0, 2.8), dpi=72)
        gs = fig.add_gridspec(1, 4, width_ratios=[1.2, 0.75, 0.75, 1.2], left=0.04, right=0.98,
                              bottom=0.16, top=0.86, wspace=0.32)
        ax_d, ax_w1, ax_w2, ax_c = (fig.add_subplot(gs[0, k]) for k in range(4))

        pos = np.array([0, 1, 2, 4, 5, 6])
        self.delta_bars = ax_d.bar(pos, np.zeros(6), width=0.7, color=["tab:purple"] * 3 + ["tab:blue"] * 3)
        ax_d.axhline(0.0, color="black", lw=0.8)
        ax_d.set_ylim(-1.05, 1.05)
        ax_d.set_xticks(pos, ["δ¹₀", "δ¹₁", "δ¹₂", "δ²₀", "δ²₁", "δ²₂"])
        ax_d.set_title("delta at each layer", fontsize=10)

        self.images, self.frames = [], []
        for ax, (W, _), lname in ((ax_w1, self.params[0], "dW1"), (ax_w2, self.params[1], "dW2")):
            im = ax.imshow(np.zeros(W.shape), cmap="RdBu_r", vmin=-1, vmax=1)
            ax.set_xticks(range(W.shape[1]))
            ax.set_yticks(range(W.shape[0]))
            ax.set_xlabel("j (unit of this layer)")
            ax.set_ylabel("i (input)")
            ax.set_title(f"{lname} = dL/d{lname[1:]}", fontsize=10)
            frame = Rectangle((-0.5, -0.5), 1, 1, fill=False, lw=2.5, ec="black", visible=False)
            ax.add_patch(frame)
            self.images.append(im)
            self.frames.append(frame)

        # the loss along the chosen weight, relative to where it is now: fixed axes, so only the
        # lines move (offset s added to the weight, change of the loss L(w + s) - L(w))
        (self.curve_line,) = ax_c.plot([], [], color="tab:blue", lw=1.5, label="actual change")
        (self.tangent_line,) = ax_c.plot([], [], color="tab:red", lw=1.0, ls="--", label="dL/dw * s")
        (self.point_nudged,) = ax_c.plot([], [], "o", color="tab:orange", ms=5, label="s = eps")
        ax_c.plot([0.0], [0.0], "o", color="black", ms=4)
        ax_c.axhline(0.0, color="gray", lw=0.5)
        ax_c.axvline(0.0, color="gray", lw=0.5)
        ax_c.set_xlim(-CURVE_SPAN, CURVE_SPAN)
        ax_c.set_ylim(-1.0, 1.0)
        ax_c.legend(loc="lower right", fontsize=8, frameon=False)
        ax_c.set_xlabel("nudge s added to the chosen weight")
        ax_c.set_ylabel("change of L")
        ax_c.set_title("the loss along the chosen weight", fontsize=10)
        self.fig = fig
        self.blit = BlitRenderer(fig)
        self.blit.add(*self.delta_bars, *self.images, *self.frames,
                      self.curve_line, self.tangent_line, self.point_nudged)

    def state(self) -> dict:
        return {
            "x": np.array([s.value for s in self.x_sliders]),
            "label": int(self.label_control.value),
            "weight": tuple(self.weight_choice.value),
            "eps": float(self.eps_slider.value),
        }

    # ----------------------------------------------------------------- update

    def _on_change(self, change=None):
        if self._syncing:
            return
        owner = getattr(change, "owner", None) if change is not None else None
        layer, i, j = self.weight_choice.value
        W = self.params[layer - 1][0]
        if owner is self.weight_choice:  # show the newly chosen weight's value on its slider
            self._syncing = True
            try:
                self.weight_slider.value = float(W[i, j])
            finally:
                self._syncing = False
        elif owner is self.weight_slider:
            W[i, j] = float(self.weight_slider.value)
        self.redraw()

    def _update(self):
        st = self.state()
        out = gradient_explorer_state(st["x"], st["label"], self.params, st["weight"], st["eps"])
        for bar, v in zip(self.delta_bars, np.concatenate([out["delta1"], out["delta2"]])):
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
        self.curve_line.set_data(s, out["curve_loss"] - L0)
        self.tangent_line.set_data(s, g0 * s)
        self.point_nudged.set_data([out["eps"]], [out["actual"]])
        name = _weight_name(*st["weight"])

        nudge = (f"nudge {name} by eps = {out['eps']:.4g}: predicted change of L = gradient * eps = "
                 f"{out['predicted']:.6g}, actual change = {out['actual']:.6g}")
        return [
            ("x", "input x", st["x"]),
            ("p", "p = softmax(z^2)", out["p"]),
            ("loss", "loss L", out["loss"]),
            ("delta2", "delta^2 = p - y", out["delta2"]),
            ("delta1", "delta^1 = (delta^2 W2^T) * sigma'(z^1)", out["delta1"]),
            ("dW2", "dW2 = a1^T delta^2", out["dW2"]),
            ("dW1", "dW1 = x^T delta^1", out["dW1"]),
            ("weight", "chosen weight", f"{name} = {w0:.2f}"),
            ("gradient", "dL/dw", out["gradient"]),
            ("predicted", "predicted change (dL/dw * eps)", out["predicted"]),
            ("actual", "actual change L(w+eps) - L(w)", out["actual"]),
            ("nudge", "nudge", nudge),
        ]
