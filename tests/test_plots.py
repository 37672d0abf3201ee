"""Shared plotting helpers: the geometry they compute and that they draw without error."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers.plots import (data_box, grid_points, line_in_box, on_grid, plot_decision_boundary, plot_linear_boundary,
                           plot_loss_contours)

pytestmark = pytest.mark.helpers


def test_line_in_box_endpoints_lie_on_the_line_and_the_box():
    w, b = np.array([1.0, 2.0]), -0.5
    xs, ys = line_in_box(w, b, (-3, 3), (-3, 3))
    np.testing.assert_allclose(w[0] * xs + w[1] * ys + b, 0.0, atol=1e-12)
    on_edge = np.isclose(np.abs(xs), 3) | np.isclose(np.abs(ys), 3)
    assert on_edge.all() and not np.allclose([xs[0], ys[0]], [xs[1], ys[1]])


def test_line_in_box_is_nan_when_the_line_misses_the_box():
    xs, ys = line_in_box(np.array([1.0, 0.0]), -10.0, (-3, 3), (-3, 3))
    assert np.isnan(xs).all() and np.isnan(ys).all()


def test_data_box_pads_the_points_on_each_side():
    assert data_box(np.array([[0.0, -1.0], [2.0, 3.0]]), padding=0.5) == ((-0.5, 2.5), (-1.5, 3.5))


def test_on_grid_evaluates_the_function_at_each_grid_point_rows_by_y():
    xx, yy, values = on_grid(lambda p: 10 * p[:, 0] + p[:, 1], (0.0, 2.0), (-1.0, 1.0), 3)
    assert xx.shape == yy.shape == values.shape == (3, 3)
    np.testing.assert_array_equal(xx[0], [0.0, 1.0, 2.0])
    np.testing.assert_array_equal(yy[:, 0], [-1.0, 0.0, 1.0])
    np.testing.assert_array_equal(values, 10 * xx + yy)
    points, shape = grid_points((0.0, 2.0), (-1.0, 1.0), 3)
    assert shape == (3, 3) and points.shape == (9, 2)
    np.testing.assert_array_equal(points[4], [1.0, 0.0])


def test_plot_decision_boundary_shades_each_predicted_class():
    X = np.array([[-1.0, 0.0], [1.0, 0.0], [0.0, 1.5]])
    y = np.array([0, 1, 2])
    ax = Figure().add_subplot()
    regions = plot_decision_boundary(ax, lambda P: np.digitize(P[:, 0], [-0.3, 0.3]), X, y, resolution=30)
    assert len(regions.levels) == 4  # boundaries between 3 classes


def test_plot_linear_boundary_and_contours_draw():
    ax = Figure().add_subplot()
    cs = plot_loss_contours(ax, lambda P: (P**2).sum(axis=1), (-1, 1), (-1, 1), levels=5)
    line = plot_linear_boundary(ax, np.array([1.0, 1.0]), 0.0)
    x, y = line.get_data()
    np.testing.assert_allclose(np.asarray(x) + np.asarray(y), 0.0, atol=1e-12)
    assert len(cs.levels) >= 2


def test_plot_path_draws_every_iterate_and_marks_the_start():
    from helpers.plots import plot_path

    ax = Figure().add_subplot()
    path = np.array([[0.0, 1.0], [0.5, 0.5], [0.7, 0.1]])
    line = plot_path(ax, path)
    np.testing.assert_array_equal(np.column_stack(line.get_data()), path)
    start = ax.lines[-1]
    assert start.get_marker() == "s" and tuple(np.ravel(start.get_data())) == (0.0, 1.0)
