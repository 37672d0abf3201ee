r"""Shape explorer (chapter 5): every forward and backward quantity of a two-layer network, and
the sparsity pattern of each Jacobian the chain rule multiplies.

The network, rows are examples (N of them)::

    Z1 = X W1 + b1      (N, n0) @ (n0, n1) -> (N, n1)
    A1 = sigmoid(Z1)    (N, n1)
    Z2 = A1 W2 + b2     (N, n1) @ (n1, n2) -> (N, n2)

The loss is left open: the upstream gradient dZ2 = dL/dZ2 is a fixed random (N, n2) array (the
gradient of L = sum(G * Z2) for a fixed G), so the backward pass is

    dW2 = A1^T dZ2,  db2 = sum of rows of dZ2,  dA1 = dZ2 W2^T,
    dZ1 = dA1 * sigmoid'(Z1),  dW1 = X^T dZ1,  db1 = sum of rows of dZ1.

A Jacobian of a matrix-valued function of a matrix is written as a 2-D array by flattening both
sides row by row (NumPy's ``ravel``): output entry (n, j) is row n * cols + j. With that ordering
each Jacobian is a Kronecker product (built with ``np.kron``), for example
d vec(Z1) / d vec(W1) = kron(X, I_n1), and the vector-Jacobian product gJ (g a row) of the flattened
upstream gradient g is the matrix formula of the backward pass. :func:`shape_explorer_state`
computes all of it; :class:`ShapeExplorer` shows it.
"""

from __future__ import annotations

import numpy as np

from ..activations import sigmoid, sigmoid_grad
from ..gradcheck import relative_error
from ..layers import dense_backward, dense_forward
from ._base import Explorer, choice, int_slider

__all__ = ["JACOBIANS", "network_shapes", "layer_jacobians", "shape_explorer_state", "ShapeExplorer"]

# name -> (upstream gradient, result of gJ, the matrix formula it collapses to)
JACOBIANS = {
    "dZ1/dX": ("dZ1", "dX", "dX = dZ1 W1^T"),
    "dZ1/dW1": ("dZ1", "dW1", "dW1 = X^T dZ1"),
    "dZ1/db1": ("dZ1", "db1", "db1 = sum_n dZ1[n]"),
    "dA1/dZ1": ("dA1", "dZ1", "dZ1 = dA1 * sigmoid'(Z1)"),
    "dZ2/dA1": ("dZ2", "dA1", "dA1 = dZ2 W2^T"),
    "dZ2/dW2": ("dZ2", "dW2", "dW2 = A1^T dZ2"),
    "dZ2/db2": ("dZ2", "db2", "db2 = sum_n dZ2[n]"),
}

FORWARD = ("X", "W1", "b1", "Z1", "A1", "W2", "b2", "Z2")
BACKWARD = ("dX", "dW1", "db1", "dZ1", "dA1", "dW2", "db2", "dZ2")  # same slots as FORWARD


def _check_size(value, name, low=1, high=64):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
        raise ValueError(f"{name} must be an int in [{low}, {high}]; got {value!r}")
    return int(value)


def network_shapes(n0, n1, n2, N):
    """The shape of every forward quantity and of every gradient, as {name: shape tuple}."""
    n0, n1, n2, N = (_check_size(v, k) for v, k in zip((n0, n1, n2, N), ("n0", "n1", "n2", "N")))
    fwd = {"X": (N, n0), "W1": (n0, n1), "b1": (n1,), "Z1": (N, n1), "A1": (N, n1),
           "W2": (n1, n2), "b2": (n2,), "Z2": (N, n2)}
    # each gradient has the shape of the quantity it is the gradient with respect to
    return {**fwd, **{"d" + k: v for k, v in fwd.items()}}


def layer_jacobians(X, W1, W2, Z1, A1):
    """The seven Jacobians of the network, each as a 2-D array (outputs x inputs, both flattened
    row by row). Shapes: dZ1/dX (N n1, N n0), dZ1/dW1 (N n1, n0 n1), dZ1/db1 (N n1, n1),
    dA1/dZ1 (N n1, N n1), dZ2/dA1 (N n2, N n1), dZ2/dW2 (N n2, n1 n2), dZ2/db2 (N n2, n2)."""
    N = X.shape[0]
    n1, n2 = W1.shape[1], W2.shape[1]
    I_N = np.eye(N)
    return {
        # Z1[n, j] = sum_i X[n, i] W1[i, j]: example n only sees its own row, through W1^T
        "dZ1/dX": np.kron(I_N, W1.T),
        # dZ1[n, j] / dW1[i, k] = X[n, i] delta_jk
        "dZ1/dW1": np.kron(X, np.eye(n1)),
        # dZ1[n, j] / db1[k] = delta_jk for every n: N identities stacked
        "dZ1/db1": np.kron(np.ones((N, 1)), np.eye(n1)),
        # element-wise: dA1[n, j] / dZ1[m, k] = sigmoid'(Z1[n, j]) when (n, j) = (m, k), else 0
        "dA1/dZ1": np.diag(sigmoid_grad(Z1).ravel()),
        "dZ2/dA1": np.kron(I_N, W2.T),
        "dZ2/dW2": np.kron(A1, np.eye(n2)),
        "dZ2/db2": np.kron(np.ones((N, 1)), np.eye(n2)),
    }


def shape_explorer_state(n0=3, n1=4, n2=2, N=3, jacobian="dZ1/dW1", seed=0):
    """Everything the shape explorer shows, for layer sizes n0 -> n1 -> n2 and a batch of N.

    Returns a dict with
      "shapes":   {name: shape} for X, W1, b1, Z1, A1, W2, b2, Z2 and their gradients d*,
      "arrays":   {name: array} for the same names (seeded random X, W, b and upstream dZ2),
      "jacobian": the selected Jacobian as a 2-D array, "jacobian_name", "formula",
      "jacobian_shape", "nonzeros" (count of entries that are not 0), "entries", "density",
      "vjp": gJ reshaped to the shape of the gradient it gives, and "vjp_error": its
      relative error against the matrix formula (computed with helpers.dense_backward).
    """
    shapes = network_shapes(n0, n1, n2, N)
    if jacobian not in JACOBIANS:
        raise ValueError(f"jacobian must be one of {list(JACOBIANS)}; got {jacobian!r}")
    rng = np.random.default_rng(seed)
    X = rng.standard_normal(shapes["X"])
    W1 = rng.standard_normal(shapes["W1"]) / np.sqrt(n0)
    b1 = rng.standard_normal(shapes["b1"]) * 0.1
    W2 = rng.standard_normal(shapes["W2"]) / np.sqrt(n1)
    b2 = rng.standard_normal(shapes["b2"]) * 0.1
    dZ2 = rng.standard_normal(shapes["dZ2"])  # upstream gradient dL/dZ2

    Z1 = dense_forward(X, W1, b1)
    A1 = sigmoid(Z1)
    Z2 = dense_forward(A1, W2, b2)
    dA1, dW2, db2 = dense_backward(dZ2, A1, W2)
    dZ1 = dA1 * sigmoid_grad(Z1)
    dX, dW1, db1 = dense_backward(dZ1, X, W1)
    arrays = dict(X=X, W1=W1, b1=b1, Z1=Z1, A1=A1, W2=W2, b2=b2, Z2=Z2,
                  dX=dX, dW1=dW1, db1=db1, dZ1=dZ1, dA1=dA1, dW2=dW2, db2=db2, dZ2=dZ2)
    for name, arr in arrays.items():
        assert arr.shape == shapes[name], (name, arr.shape, shapes[name])

    J = layer_jacobians(X, W1, W2, Z1, A1)[jacobian]
    upstream, result, formula = JACOBIANS[jacobian]
    vjp = (arrays[upstream].ravel() @ J).reshape(shapes[result])
    nonzeros = int(np.count_nonzero(J))
    return {
        "shapes": shapes,
        "arrays": arrays,
        "jacobian_name": jacobian,
        "jacobian": J,
        "jacobian_shape": J.shape,
        "formula": formula,
        "upstream": upstream,
        "result": result,
        "nonzeros": nonzeros,
        "entries": int(J.size),
        "density": nonzeros / J.size,
        "vjp": vjp,
        "vjp_error": relative_error(vjp, arrays[result]),
    }



def _shape_text(shape):
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


class ShapeExplorer(Explorer):
    """Sliders for n0, n1, n2 and N and a Jacobian menu; the figure shows every array as a box of
    its shape (forward on top, gradients below, each under the quantity it differentiates) and the
    non-zero pattern of the chosen Jacobian."""

    title = "Shape explorer"
    fig_height = 2.9
    _SLOT = 7.0  # width of one slot in the shape diagram, in cells
    _MAX = 8
    _BAND = _MAX + 6  # height of one row of the diagram (forward, backward), in cells

    def __init__(self, n0=3, n1=4, n2=2, N=3, jacobian="dZ1/dW1", seed=0):
        self.seed = seed
        super().__init__(n0=n0, n1=n1, n2=n2, N=N, jacobian=jacobian)

    def _controls(self):
        i = self.initial
        return {"n0": int_slider(i["n0"], 1, 6, "inputs n₀"),
                "n1": int_slider(i["n1"], 1, self._MAX, "hidden n₁"),
                "n2": int_slider(i["n2"], 1, 6, "outputs n₂"),
                "N": int_slider(i["N"], 1, 6, "batch N"),
                "jacobian": choice(i["jacobian"], list(JACOBIANS), "Jacobian")}

    def _draw(self, fig):
        import matplotlib.patches as mpatches

        gs = fig.add_gridspec(1, 2, width_ratios=[2.4, 1.0], left=0.01, right=0.98, top=0.9, bottom=0.04,
                              wspace=0.06)
        ax = self.ax_shapes = fig.add_subplot(gs[0])
        ax.set_xlim(-1, self._SLOT * len(FORWARD))
        ax.set_ylim(2 * self._BAND, -1)  # y grows downwards, like array rows
        ax.set_aspect("equal")
        ax.axis("off")
        ax.set_title("each array as (rows, columns);\ngradients under their variables", fontsize=10)
        self._boxes, self._labels = {}, {}
        for row, names in enumerate((FORWARD, BACKWARD)):
            y0 = row * self._BAND + 5
            colour = "tab:blue" if row == 0 else "tab:orange"
            for slot, name in enumerate(names):
                rect = mpatches.Rectangle((slot * self._SLOT + 0.5, y0), 1, 1, facecolor=colour, alpha=0.35,
                                          edgecolor=colour)
                ax.add_patch(rect)
                self._boxes[name] = rect
                # the name stays, the shape under it changes
                ax.text(slot * self._SLOT + 0.5, y0 - 2.6, name, fontsize=8.5, va="bottom", clip_on=True, zorder=0.9)
                self._labels[name] = ax.text(slot * self._SLOT + 0.5, y0 - 0.5, "", fontsize=8.5, va="bottom",
                                             clip_on=True)
        # the Jacobian is drawn in a fixed unit square, scaled so that its longer side fills it
        self.ax_jac = fig.add_subplot(gs[1])
        self._im = self.ax_jac.imshow(np.zeros((2, 2)), cmap="Greys", vmin=0, vmax=1, interpolation="nearest")
        self._frame = mpatches.Rectangle((0, 0), 1, 1, fill=False, edgecolor="0.3", lw=0.8)
        self.ax_jac.add_patch(self._frame)
        self.ax_jac.set_xlim(-0.01, 1.01)
        self.ax_jac.set_ylim(1.01, -0.01)
        self.ax_jac.set_aspect("equal")
        self.ax_jac.axis("off")
        self._jac_title = self.ax_jac.set_title("", fontsize=10)
        # the axes stay fixed: a move redraws the boxes, their labels and the Jacobian
        self.blit.add(*self._boxes.values(), *self._labels.values(), self._im, self._frame, self._jac_title)

    def _update(self, state):
        s = shape_explorer_state(**state, seed=self.seed)
        shapes = s["shapes"]
        for name, rect in self._boxes.items():
            shape = shapes[name]
            rows, cols = (1, shape[0]) if len(shape) == 1 else shape
            rect.set_width(cols)
            rect.set_height(rows)
            self._labels[name].set_text(_shape_text(shape))
        J = s["jacobian"]
        self._im.set_data((J != 0).astype(float))
        r, c = J.shape
        m = max(r, c)
        self._im.set_extent((0, c / m, r / m, 0))
        self._frame.set_width(c / m)
        self._frame.set_height(r / m)
        self._jac_title.set_text(f"{s['jacobian_name']}: {r} \u00d7 {c}")
        return [
            ("jacobian_shape", f"{s['jacobian_name']} shape", _shape_text(s["jacobian_shape"])),
            ("nonzeros", "non-zero entries", s["nonzeros"]),
            ("entries", "all entries", s["entries"]),
            ("density", "fraction non-zero", s["density"]),
            ("formula", "gJ equals", s["formula"]),
            ("vjp_error", "relative error of gJ vs formula", f"{s['vjp_error']:.1e}"),
        ]
