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
from ._base import choice, slider
from ._tangent import TangentExplorer

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


class ActivationExplorer(TangentExplorer):
    """Menu for f, sliders for z and the leaky-ReLU slope; left panel f with the point and its
    tangent, right panel f' with the point."""

    title = "Activation explorer"
    x_key, x_range, x_label, df_title = "z", (_Z_MIN, _Z_MAX), "z", "f′(z)"
    tangent_half_width = 1.5

    def __init__(self, activation: str = "sigmoid", z: float = 1.0, slope: float = 0.01, depth: int = 10):
        if activation not in ACTIVATION_NAMES:
            raise ValueError(f"activation must be one of {ACTIVATION_NAMES}; got {activation!r}")
        self.depth = int(depth)
        super().__init__(activation=activation, z=z, slope=slope)

    def _controls(self):
        i = self.initial
        # the choices are the helpers function names (labels with spaces would be shown with no-break spaces)
        return {"activation": choice(i["activation"], list(ACTIVATION_NAMES), "f"),
                "z": slider(i["z"], _Z_MIN, _Z_MAX, 0.1, "z"),
                "slope": slider(i["slope"], 0.0, 0.3, 0.01, "leaky slope")}

    def _curves(self, s):
        name = s["activation"]
        f, df = activation_functions(name, s["slope"])
        return (f(self.grid), df(self.grid), *_YLIM[name], f"f(z) = {_LABELS[name]}(z)")

    def _point(self, s):
        out = activation_explorer_state(s["activation"], s["z"], s["slope"], self.depth)
        return out["f"], out["fprime"], [
            ("f", "f(z)", out["f"]),
            ("fprime", "f′(z)", out["fprime"]),
            ("numerical", "central difference", out["numerical"]),
            ("intercept", "tangent intercept f(z) − f′(z)·z", out["intercept"]),
            ("chain", f"f′(z)<sup>{self.depth}</sup> ({self.depth} layers)", out["chain"]),
        ]
