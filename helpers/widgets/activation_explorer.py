r"""Activation explorer (chapter 4): pick an activation f, move a point z, read f(z), f'(z) and
the tangent line there.

The computation lives in :func:`activation_explorer_state` (plain NumPy, tested without widgets);
:class:`ActivationExplorer` only draws it. The readout also shows f'(z)^depth, the factor a
gradient picks up when it passes back through ``depth`` layers whose pre-activations all sit at
this z with unit weights: the vanishing-gradient number of the chapter.
"""

from __future__ import annotations

import numpy as np

from .. import activations as _act
from ._base import Explorer
from ._blit import BlitRenderer

__all__ = [
    "ACTIVATION_NAMES",
    "activation_functions",
    "activation_explorer_state",
    "ActivationExplorer",
]

#: the activations the explorer offers, as named in ``helpers.ACTIVATIONS``
ACTIVATION_NAMES = ("sigmoid", "tanh", "relu", "leaky_relu")
_LABELS = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU", "leaky_relu": "leaky ReLU"}
_Z_MIN, _Z_MAX = -6.0, 6.0
# y-limits of the two panels (f, f') for each activation, fixed so that moving z never rescales
_YLIM = {
    "sigmoid": ((-0.15, 1.15), (-0.02, 0.3)),
    "tanh": ((-1.3, 1.3), (-0.08, 1.15)),
    "relu": ((-1.0, 6.0), (-0.1, 1.15)),
    "leaky_relu": ((-2.0, 6.0), (-0.1, 1.15)),
}


def activation_functions(name: str, slope: float = 0.01):
    """(f, f') from ``helpers.ACTIVATIONS`` for ``name``; ``slope`` is used by leaky ReLU only."""
    if name not in ACTIVATION_NAMES:
        raise ValueError(f"name must be one of {ACTIVATION_NAMES}; got {name!r}")
    f, df = _act.ACTIVATIONS[name]
    if name == "leaky_relu":
        return (lambda z: f(z, slope)), (lambda z: df(z, slope))
    return f, df


def activation_explorer_state(name: str, z: float, slope: float = 0.01, depth: int = 10,
                              eps: float = 1e-6) -> dict:
    r"""Everything the activation explorer shows for activation ``name`` at the point ``z``.

    Returns a dict of floats:

    - ``f``: f(z); ``fprime``: f'(z) from the helpers derivative;
    - ``numerical``: the central difference (f(z + eps) - f(z - eps)) / (2 eps);
    - ``intercept``: f(z) - f'(z) z, so the tangent line at u is fprime * u + intercept;
    - ``chain``: f'(z) ** depth, the product of ``depth`` equal local derivatives.
    """
    if isinstance(depth, bool) or not isinstance(depth, (int, np.integer)) or depth < 1:
        raise ValueError(f"depth must be a positive integer; got {depth!r}")
    z = float(z)
    if not np.isfinite(z):
        raise ValueError(f"z must be finite; got {z!r}")
    f, df = activation_functions(name, slope)
    fz = float(f(np.float64(z)))
    fpz = float(df(np.float64(z)))
    numerical = float((f(np.float64(z + eps)) - f(np.float64(z - eps))) / (2 * eps))
    return {
        "z": z,
        "f": fz,
        "fprime": fpz,
        "numerical": numerical,
        "intercept": fz - fpz * z,
        "chain": fpz ** int(depth),
    }


class ActivationExplorer(Explorer):
    """Dropdown for f, sliders for z and the leaky-ReLU slope; left panel f with the point and its
    tangent, right panel f' with the point."""

    name = "activation"
    title = "Activation explorer"

    def __init__(self, activation: str = "sigmoid", z: float = 1.0, slope: float = 0.01, depth: int = 10):
        if activation not in ACTIVATION_NAMES:
            raise ValueError(f"activation must be one of {ACTIVATION_NAMES}; got {activation!r}")
        self._initial = (activation, float(z), float(slope))
        self.depth = int(depth)
        self._shown = None  # the activation whose curves are drawn
        super().__init__()

    def _build(self):
        from matplotlib.figure import Figure

        w = self._widgets
        activation, z, slope = self._initial
        # the choices are the helpers function names (labels with spaces would be shown with no-break spaces)
        self.activation = w.Dropdown(options=list(ACTIVATION_NAMES), value=activation, description="f")
        self.z = w.FloatSlider(value=z, min=_Z_MIN, max=_Z_MAX, step=0.1, description="z",
                               continuous_update=False, readout_format=".2f")
        self.slope = w.FloatSlider(value=slope, min=0.0, max=0.3, step=0.01, description="leaky slope",
                                   continuous_update=False, readout_format=".2f")
        self.controls = [self.activation, self.z, self.slope]

        self.grid = np.linspace(_Z_MIN, _Z_MAX, 241)
        self.fig = Figure(figsize=(7.5, 2.9), dpi=80)
        self.ax_f, self.ax_df = self.fig.subplots(1, 2)
        for ax in (self.ax_f, self.ax_df):
            ax.set_xlim(_Z_MIN, _Z_MAX)
            ax.axhline(0.0, color="0.8", lw=0.8)
            ax.axvline(0.0, color="0.8", lw=0.8)
            ax.set_xlabel("z")
        zeros = np.zeros_like(self.grid)
        (self.curve_f,) = self.ax_f.plot(self.grid, zeros, color="C0", lw=2)
        (self.tangent,) = self.ax_f.plot([], [], color="C3", lw=1.5, ls="--", label="tangent")
        (self.point_f,) = self.ax_f.plot([z], [0.0], "o", color="C3", ms=7)
        (self.curve_df,) = self.ax_df.plot(self.grid, zeros, color="C1", lw=2)
        (self.point_df,) = self.ax_df.plot([z], [0.0], "o", color="C3", ms=7)
        self.ax_f.legend(loc="upper left", fontsize=8, frameon=False)
        self.title_f = self.ax_f.set_title("")
        self.title_df = self.ax_df.set_title("")
        self.fig.subplots_adjust(left=0.07, right=0.98, bottom=0.17, top=0.88, wspace=0.25)
        # a slider move redraws only these over a cached picture of the rest
        self.blit = BlitRenderer(self.fig)
        self.blit.add(self.tangent, self.point_f, self.point_df)


    def state(self) -> dict:
        return {"activation": self.activation.value, "z": float(self.z.value), "slope": float(self.slope.value)}

    def _update(self):
        s = self.state()
        name = s["activation"]
        out = activation_explorer_state(name, s["z"], s["slope"], self.depth)
        key = (name, s["slope"] if name == "leaky_relu" else None)
        if key != self._shown:  # new curves only when f itself changed
            f, df = activation_functions(name, s["slope"])
            self.curve_f.set_ydata(f(self.grid))
            self.curve_df.set_ydata(df(self.grid))
            ylim_f, ylim_df = _YLIM[name]
            self.ax_f.set_ylim(*ylim_f)
            self.ax_df.set_ylim(*ylim_df)
            self.title_f.set_text(f"f(z) = {_LABELS[name]}(z)")
            self.title_df.set_text("f'(z)")
            self._shown = key
            self.blit.background = None  # curves or limits changed: redraw the static part too
        z = out["z"]
        u = np.array([z - 1.5, z + 1.5])
        self.tangent.set_data(u, out["fprime"] * u + out["intercept"])
        self.point_f.set_data([z], [out["f"]])
        self.point_df.set_data([z], [out["fprime"]])
        return [
            ("activation", "f", _LABELS[name]),
            ("z", "z", z),
            ("f", "f(z)", out["f"]),
            ("fprime", "f'(z)", out["fprime"]),
            ("numerical", "central difference", out["numerical"]),
            ("intercept", "tangent intercept f(z) - f'(z) z", out["intercept"]),
            ("chain", f"f'(z)^{self.depth} ({self.depth} layers)", out["chain"]),
        ]
