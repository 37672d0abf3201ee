"""What the gradient tests share: analytic against central differences, and the inputs they draw."""

import numpy as np
from hypothesis import strategies as st

import helpers as h

REAL = st.floats(-5, 5, allow_nan=False, allow_infinity=False)


def away_from_kinks(z, margin=1e-3):
    """Move points within ``margin`` of 0 away from it (relu and friends have a kink there)."""
    z = z.copy()
    near = np.abs(z) < margin
    z[near] = margin * np.where(z[near] >= 0, 2.0, -2.0)
    return z


def central_difference_error(analytic, f, x, steps=(1e-4, 1e-5, 1e-6)):
    """The smallest relative error (helpers.relative_error) between ``analytic`` and the central
    difference of ``f`` at ``x`` over a few step sizes.

    The best step trades the O(eps^2) truncation error against the O(1e-16 / eps) rounding error,
    and depends on the function's scale; a wrong formula fails for every step.
    """
    analytic = np.asarray(analytic, dtype=np.float64)
    errors = []
    for eps in steps:
        numeric = h.numerical_gradient(f, x, eps=eps)
        # below 1e-9 the central difference cannot resolve anything: rounding in f (about
        # 1e-16 |f|) divided by eps is of that order for the O(1)-sized losses tested here
        close = np.abs(analytic - numeric) < 1e-9
        errors.append(0.0 if close.all() else h.relative_error(analytic[~close], numeric[~close]))
    return min(errors)
