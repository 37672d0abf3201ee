r"""Plotting helpers shared by the chapters (matplotlib; each function draws on an ``ax`` it is given).

Colours: class k is drawn in ``CLASS_COLORS[k]`` everywhere in the book, so class 0 and class 1
look the same in every chapter.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "CLASS_COLORS", "scatter_classes", "line_in_box", "plot_linear_boundary",
    "plot_decision_boundary", "plot_loss_contours", "plot_path", "data_box", "grid_points", "on_grid",
]

CLASS_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]


def scatter_classes(ax, X, y, *, s=18, edgecolor="k", **kwargs):
    """Scatter the rows of X (N, 2), one colour per integer label in y (N,). Returns the PathCollection."""
    colors = np.array(CLASS_COLORS)[np.asarray(y) % len(CLASS_COLORS)]
    return ax.scatter(X[:, 0], X[:, 1], c=colors, s=s, edgecolor=edgecolor, linewidth=0.5, **kwargs)


def line_in_box(w, b, xlim, ylim):
    """End points of the segment of the line w . x + b = 0 inside the box xlim x ylim.

    Returns (xs, ys), each of length 2; both are NaN when the line misses the box (or w = 0).
    """
    w1, w2 = float(w[0]), float(w[1])
    pts = []
    if w2 != 0:
        for x in xlim:
            y = -(w1 * x + b) / w2
            if ylim[0] <= y <= ylim[1]:
                pts.append((x, y))
    if w1 != 0:
        for y in ylim:
            x = -(w2 * y + b) / w1
            if xlim[0] <= x <= xlim[1]:
                pts.append((x, y))
    if len(pts) < 2:
        return np.full(2, np.nan), np.full(2, np.nan)
    pts = np.array(pts)
    far = np.argmax(np.linalg.norm(pts - pts[0], axis=1))  # the two points farthest apart
    return pts[[0, far], 0], pts[[0, far], 1]


def plot_linear_boundary(ax, w, b, *, xlim=None, ylim=None, **kwargs):
    """Draw the line w . x + b = 0 across the axes (or the given box). Returns the Line2D,
    whose ``set_data(*line_in_box(...))`` moves it later."""
    xlim = ax.get_xlim() if xlim is None else xlim
    ylim = ax.get_ylim() if ylim is None else ylim
    kwargs.setdefault("color", "k")
    (line,) = ax.plot(*line_in_box(w, b, xlim, ylim), **kwargs)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    return line


def data_box(X, padding=0.5):
    """(xlim, ylim) of the points X (N, 2) plus ``padding`` on each side."""
    lo, hi = np.min(X, axis=0) - padding, np.max(X, axis=0) + padding
    return (float(lo[0]), float(hi[0])), (float(lo[1]), float(hi[1]))


def grid_points(xlim, ylim, resolution):
    """The points of a resolution x resolution grid over xlim x ylim as rows (M, 2), and the grid's
    shape; grid row i has the i-th y coordinate, increasing with i."""
    xx, yy = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
    return np.column_stack([xx.ravel(), yy.ravel()]), xx.shape


def on_grid(f, xlim, ylim, resolution):
    """(xx, yy, values): ``f``, which maps points (M, 2) to values (M,), on that grid."""
    points, shape = grid_points(xlim, ylim, resolution)
    values = np.asarray(f(points)).reshape(shape)
    return points[:, 0].reshape(shape), points[:, 1].reshape(shape), values


def plot_decision_boundary(ax, predict, X, y, *, resolution=200, padding=0.5, alpha=0.25, n_classes=None):
    """Shade the plane by the class ``predict`` gives and scatter the data on top.

    predict: maps points (M, 2) to integer labels (M,) (any classifier: perceptron, MLP ...).
    X: (N, 2), y: (N,) integer labels. The grid covers the data plus ``padding`` on each side.
    Returns the contour set of the shaded regions.
    """
    X = np.asarray(X)
    xlim, ylim = data_box(X, padding)
    xx, yy, labels = on_grid(predict, xlim, ylim, resolution)
    k = int(max(labels.max(), np.max(y)) + 1) if n_classes is None else n_classes
    regions = ax.contourf(xx, yy, labels, levels=np.arange(k + 1) - 0.5,
                          colors=CLASS_COLORS[:k], alpha=alpha)
    scatter_classes(ax, X, y)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    return regions


def plot_loss_contours(ax, loss, xlim, ylim, *, levels=20, resolution=150, **kwargs):
    """Contour lines of a loss of two parameters. loss maps points (M, 2) to values (M,).
    Returns the contour set."""
    xx, yy, zz = on_grid(loss, xlim, ylim, resolution)
    kwargs.setdefault("cmap", "viridis")
    cs = ax.contour(xx, yy, zz, levels=levels, linewidths=0.8, **kwargs)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    return cs


def plot_path(ax, path, *, color="crimson", label=None, **kwargs):
    """A descent path (steps + 1, 2) as dots joined by lines, start marked by a square.
    Returns the Line2D of the path."""
    path = np.asarray(path)
    (line,) = ax.plot(path[:, 0], path[:, 1], "o-", color=color, ms=3, lw=1, label=label, **kwargs)
    ax.plot(path[0, 0], path[0, 1], "s", color=color, ms=6)
    return line
