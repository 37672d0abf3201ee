r"""Explorer of chapter 3: gradient descent on a quadratic bowl, drawn on its contour plot.

:func:`descent_state` runs theta <- theta - lr grad L(theta) on the bowl
L(theta) = 1/2 (theta - theta*)^T Q (theta - theta*), passed as A = Q and c = theta*, and returns the
numbers the readout shows; :class:`DescentExplorer` adds sliders for the learning rate, the start
point and the number of steps.
"""

from __future__ import annotations

import numpy as np

from ..descent import gradient_descent, quadratic_bowl, quadratic_grad, quadratic_loss
from ._base import Explorer, int_slider, slider

__all__ = ["descent_state", "DescentExplorer"]


def descent_state(lr, start, steps, A, c):
    """Gradient descent with learning rate ``lr`` from ``start`` (2,) for ``steps`` steps on the
    bowl (A, c).

    Returns a dict: ``path`` (steps + 1, 2), ``w`` (the last iterate), ``loss`` f(w) and
    ``grad_norm`` |grad L(w)| there, ``loss0`` L(start), ``lam_max`` (the largest eigenvalue
    lambda_max of A; also under its older key ``L``), ``lr_max`` = 2 / lambda_max (descent diverges above it), ``rate`` = max_i |1 - lr lambda_i| (the factor by
    which the distance to the minimum shrinks per step in the slowest direction; > 1 diverges).
    """
    lam = np.linalg.eigvalsh(A)
    path = gradient_descent(lambda w: quadratic_grad(w, A, c), start, lr, steps)
    w = path[-1]
    return {"path": path, "w": w, "loss": float(quadratic_loss(w, A, c)),
            "grad_norm": float(np.linalg.norm(quadratic_grad(w, A, c))),
            "loss0": float(quadratic_loss(path[0], A, c)), "lam_max": float(lam.max()), "L": float(lam.max()),
            "lr_max": float(2.0 / lam.max()), "rate": float(np.max(np.abs(1.0 - lr * lam)))}


class DescentExplorer(Explorer):
    """Learning rate, start point and number of steps -> the descent path on the contour plot.

    The readout shows 2/lambda_max, the per-step factor max |1 - lr lambda_i|, and the final point, loss and
    gradient norm, so the reader can see where descent turns into divergence.
    """

    title = "Gradient descent explorer"

    fig_height = 3.4

    def __init__(self, curvatures=(1.0, 10.0), angle_deg=30.0, lr=0.1, start=(-4.0, 3.0), steps=20,
                 lim=5.0):
        self.A, self.c = quadratic_bowl(curvatures, angle_deg)
        self.lim = lim
        super().__init__(lr=lr, start=tuple(start), steps=steps)

    def _controls(self):
        i, lim = self.initial, self.lim
        return {"lr": slider(i["lr"], 0.005, 0.25, 0.005, "learning rate"),
                "start": [slider(i["start"][0], -lim, lim, 0.25, "start θ₁"),
                          slider(i["start"][1], -lim, lim, 0.25, "start θ₂")],
                "steps": int_slider(i["steps"], 1, 60, "steps")}

    def _draw(self, fig):
        ax = fig.add_axes([0.3, 0.15, 0.45, 0.8])
        g = np.linspace(-self.lim, self.lim, 120)
        xx, yy = np.meshgrid(g, g)
        zz = quadratic_loss(np.stack([xx, yy], axis=-1), self.A, self.c)
        ax.contour(xx, yy, zz, levels=np.geomspace(0.05, zz.max(), 12), cmap="viridis", linewidths=0.8)
        ax.plot(*self.c, "k*", ms=10)
        (self._path,) = ax.plot([], [], "o-", color="crimson", ms=3, lw=1)
        (self._start,) = ax.plot([], [], "s", color="crimson", ms=7)
        ax.set_xlim(-self.lim, self.lim)
        ax.set_ylim(-self.lim, self.lim)
        ax.set_xlabel("$\\theta_1$")
        ax.set_ylabel("$\\theta_2$")
        self.ax = ax
        self.blit.add(self._path, self._start)  # the contours are drawn once, the path on top

    def _update(self, state):
        st = descent_state(A=self.A, c=self.c, **state)
        path = np.where(np.isfinite(st["path"]), st["path"], np.nan)
        self._path.set_data(path[:, 0], path[:, 1])
        self._start.set_data([path[0, 0]], [path[0, 1]])
        return [
            ("lr_max", "2/λₘₐₓ", st["lr_max"]),
            ("rate", "max |1 − η·λᵢ|", st["rate"]),
            ("w", "final θ", st["w"]),
            ("loss", "final loss ℒ(θ)", st["loss"]),
            ("grad_norm", "|∇ℒ(θ)|", st["grad_norm"]),
        ]
