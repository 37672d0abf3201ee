r"""Explorer of chapter 3: gradient descent, plain or with momentum, on a quadratic bowl drawn on
its contour plot.

:func:`descent_state` runs plain descent theta <- theta - lr grad L(theta), the heavy ball or
Nesterov's look-ahead (section 3.9) on the bowl L(theta) = 1/2 (theta - theta*)^T Q (theta - theta*),
passed as A = Q and c = theta*, and returns the numbers the readout shows; :class:`DescentExplorer`
adds controls for the method, the momentum decay beta, the valley (kappa = 10 or 100), the learning
rate, the start point and the number of steps.
"""

from __future__ import annotations

import numpy as np

from ..descent import check_momentum, gradient_descent, quadratic_bowl, quadratic_grad, quadratic_loss
from ._base import Explorer, choice, int_slider, slider

__all__ = ["METHODS", "descent_state", "step_factor", "DescentExplorer"]

METHODS = ("plain", "heavy ball", "Nesterov")
VALLEYS = (10.0, 100.0)  # the condition numbers kappa the valley control offers


def _check_method(method):
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(map(repr, METHODS))}; got {method!r}")
    return method


def step_factor(lr, lam, method="plain", beta=0.0):
    """The factor by which one eigencomponent (curvature ``lam``, a number or an array) of
    theta - theta* shrinks per step, in the long run: the spectral radius of the iteration matrix
    of that component. Plain descent: |1 - lr lam|. Momentum: the component follows
    psi(k+1) = a psi(k) - b psi(k-1), the matrix [[a, -b], [1, 0]], with a = 1 + beta - lr lam,
    b = beta (heavy ball) or a = (1 + beta)(1 - lr lam), b = beta (1 - lr lam) (Nesterov); its
    eigenvalues are the roots chi of chi^2 - a chi + b."""
    _check_method(method)
    lam = np.asarray(lam, dtype=np.float64)
    if method == "plain":
        return np.abs(1.0 - lr * lam)
    beta = check_momentum(beta)
    if method == "heavy ball":
        a, b = 1.0 + beta - lr * lam, np.full_like(lam, beta)
    else:
        a, b = (1.0 + beta) * (1.0 - lr * lam), beta * (1.0 - lr * lam)
    M = np.zeros(lam.shape + (2, 2))
    M[..., 0, 0], M[..., 0, 1], M[..., 1, 0] = a, -b, 1.0
    return np.abs(np.linalg.eigvals(M)).max(axis=-1)


def descent_state(lr, start, steps, A, c, method="plain", beta=0.9):
    """``steps`` steps of ``method`` ("plain", "heavy ball" or "Nesterov"; momentum from v = 0
    with decay ``beta`` in [0, 1), which plain descent ignores) with learning rate ``lr`` from
    ``start`` (2,) on the bowl (A, c).

    Returns a dict: ``path`` (steps + 1, 2), ``w`` (the last iterate), ``loss`` f(w) and
    ``grad_norm`` |grad L(w)| there, ``loss0`` L(start), ``lam_max`` and ``lam_min`` (the extreme
    eigenvalues of A; ``lam_max`` also under its older key ``L``), ``kappa`` = lam_max / lam_min,
    ``lr_max`` (the largest stable rate: 2 / lambda_max plain, 2 (1 + beta) / lambda_max heavy ball,
    2 (1 + beta) / ((1 + 2 beta) lambda_max) Nesterov) and ``rate``, the largest over the
    eigen-directions of :func:`step_factor` (max_i |1 - lr lambda_i| for plain descent): the factor
    by which the distance to the minimum shrinks per step in the long run; > 1 diverges.
    """
    _check_method(method)
    beta = check_momentum(beta) if method != "plain" else 0.0
    lam = np.linalg.eigvalsh(A)
    path = gradient_descent(lambda w: quadratic_grad(w, A, c), start, lr, steps, beta=beta,
                            nesterov=method == "Nesterov")
    w = path[-1]
    lam_max = float(lam.max())
    lr_max = {"plain": 2.0 / lam_max, "heavy ball": 2.0 * (1.0 + beta) / lam_max,
              "Nesterov": 2.0 * (1.0 + beta) / ((1.0 + 2.0 * beta) * lam_max)}[method]
    return {"path": path, "w": w, "loss": float(quadratic_loss(w, A, c)),
            "grad_norm": float(np.linalg.norm(quadratic_grad(w, A, c))),
            "loss0": float(quadratic_loss(path[0], A, c)), "lam_max": lam_max, "L": lam_max,
            "lam_min": float(lam.min()), "kappa": lam_max / float(lam.min()),
            "lr_max": float(lr_max), "rate": float(np.max(step_factor(lr, lam, method, beta)))}


LR_MAX_LABELS = {"plain": "2/λₘₐₓ", "heavy ball": "2(1 + β)/λₘₐₓ", "Nesterov": "2(1 + β)/((1 + 2β)·λₘₐₓ)"}
RATE_LABELS = {"plain": "max |1 − η·λᵢ|", "heavy ball": "factor per step, heavy ball: max |χ|",
               "Nesterov": "factor per step, Nesterov: max |χ|"}


class DescentExplorer(Explorer):
    """Method, momentum decay, valley, learning rate, start point and number of steps -> the path
    on the contour plot.

    The readout shows the largest stable rate (2/lambda_max for plain descent), the factor per step
    (max |1 - lr lambda_i|, or the largest root modulus max |chi| with momentum), and the final
    point, loss and gradient norm, so the reader can see where descent turns into divergence.

    The valley control picks kappa: the curvatures are ``curvatures`` with the smaller one set to
    lambda_max / kappa, so lambda_max (and the meaning of the rate slider) stays; the kappa of
    ``curvatures`` itself is among the options, and is the initial one unless ``kappa`` is given.
    """

    title = "Gradient descent explorer"

    fig_height = 3.4

    def __init__(self, curvatures=(1.0, 10.0), angle_deg=30.0, lr=0.1, start=(-4.0, 3.0), steps=20,
                 lim=5.0, method="plain", beta=0.9, kappa=None):
        quadratic_bowl(curvatures, angle_deg)               # refuses bad curvatures and angles
        curvatures = [float(x) for x in curvatures]
        own = max(curvatures) / min(curvatures)
        self.valleys = {}
        for k in sorted({own, *VALLEYS}):
            curv = list(curvatures)
            if k != own:                 # the flatter curvature, set so that lambda_max / lambda_min = k
                curv[int(np.argmin(curv))] = max(curvatures) / k
            self.valleys[k] = quadratic_bowl(curv, angle_deg)
        self.lim = lim
        self._contours = None
        super().__init__(method=method, kappa=own if kappa is None else kappa, lr=lr, beta=beta,
                         start=tuple(start), steps=steps)

    def bowl(self, kappa):
        """(A, c) of the valley with condition number ``kappa`` (one of the valley control's options)."""
        return self.valleys[kappa]

    def _controls(self):
        i, lim = self.initial, self.lim
        return {"method": choice(i["method"], list(METHODS), "method"),
                "kappa": choice(i["kappa"], [(f"κ = {k:g}", k) for k in self.valleys], "valley"),
                "lr": slider(i["lr"], 0.005, 0.25, 0.005, "learning rate"),
                "beta": slider(i["beta"], 0.0, 0.99, 0.01, "momentum β"),
                "start": [slider(i["start"][0], -lim, lim, 0.25, "start θ₁"),
                          slider(i["start"][1], -lim, lim, 0.25, "start θ₂")],
                "steps": int_slider(i["steps"], 1, 60, "steps")}

    def _draw(self, fig):
        ax = fig.add_axes([0.3, 0.15, 0.45, 0.8])
        # just above the contours and the minimiser (zorder 2), which change with the valley
        (self._path,) = ax.plot([], [], "o-", color="crimson", ms=3, lw=1, zorder=2.1)
        (self._start,) = ax.plot([], [], "s", color="crimson", ms=7, zorder=2.1)
        ax.set_xlim(-self.lim, self.lim)
        ax.set_ylim(-self.lim, self.lim)
        ax.set_xlabel("$\\theta_1$")
        ax.set_ylabel("$\\theta_2$")
        self.ax = ax
        self.blit.add(self._path, self._start)  # the contours are drawn once per valley, the path on top

    def _draw_valley(self, A, c):
        """The contours and the minimiser of the bowl (A, c): static, redrawn when the valley changes."""
        if self._contours is not None:
            for artist in self._contours:
                artist.remove()
        g = np.linspace(-self.lim, self.lim, 120)
        xx, yy = np.meshgrid(g, g)
        zz = quadratic_loss(np.stack([xx, yy], axis=-1), A, c)
        cs = self.ax.contour(xx, yy, zz, levels=np.geomspace(0.05, zz.max(), 12), cmap="viridis", linewidths=0.8)
        (star,) = self.ax.plot(*c, "k*", ms=10)
        self._contours = [cs, star]
        self.blit.invalidate()

    def _update(self, state):
        state = dict(state)
        A, c = self.bowl(state.pop("kappa"))
        if self._contours is None or A is not self.A:
            self.A, self.c = A, c
            self._draw_valley(A, c)
        st = descent_state(A=A, c=c, **state)
        method = state["method"]
        path = np.where(np.isfinite(st["path"]), st["path"], np.nan)
        self._path.set_data(path[:, 0], path[:, 1])
        self._start.set_data([path[0, 0]], [path[0, 1]])
        return [
            ("lr_max", LR_MAX_LABELS[method], st["lr_max"]),
            ("rate", RATE_LABELS[method], st["rate"]),
            ("w", "final θ", st["w"]),
            ("loss", "final loss ℒ(θ)", st["loss"]),
            ("grad_norm", "|∇ℒ(θ)|", st["grad_norm"]),
        ]
