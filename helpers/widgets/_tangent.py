"""Two panels shared by the activation and loss explorers of chapter 4: a function of one variable
with a point on it and the tangent there, and its derivative with the same point."""

from __future__ import annotations

import numpy as np

from ._base import Explorer


class TangentExplorer(Explorer):
    """Subclasses set ``x_key`` (the state key of the point), ``x_range``, ``x_label``, ``df_title``
    and implement ``_curves(state) -> (f(grid), f'(grid), ylim_f, ylim_df, f_title)`` (the axes
    are redrawn only when the limits or the title change, so they should not follow every move) and
    ``_point(state) -> (f(x), f'(x), rows)``."""

    x_key = "x"
    x_range = (-4.0, 4.0)
    x_label = "x"
    df_title = "derivative"
    tangent_half_width = 1.0
    fig_height = 2.4

    def _draw(self, fig):
        self.grid = np.linspace(*self.x_range, 321)
        self.ax_f, self.ax_df = fig.subplots(1, 2)
        zeros = np.zeros_like(self.grid)
        for ax in (self.ax_f, self.ax_df):
            ax.set_xlim(*self.x_range)
            ax.axhline(0.0, color="0.8", lw=0.8)
            ax.set_xlabel(self.x_label)
        (self.curve_f,) = self.ax_f.plot(self.grid, zeros, color="C0", lw=2)
        (self.tangent,) = self.ax_f.plot([], [], color="C3", lw=1.5, ls="--", label="tangent")
        (self.point_f,) = self.ax_f.plot([0.0], [0.0], "o", color="C3", ms=7)
        (self.curve_df,) = self.ax_df.plot(self.grid, zeros, color="C1", lw=2)
        (self.point_df,) = self.ax_df.plot([0.0], [0.0], "o", color="C3", ms=7)
        # legends lie under the moving artists (in the cached picture), here and in the other explorers
        self.ax_f.legend(loc="upper left", fontsize=9, frameon=False).set_zorder(1.9)
        self.title_f = self.ax_f.set_title("", fontsize=11)
        self.ax_df.set_title(self.df_title, fontsize=11)
        fig.subplots_adjust(left=0.08, right=0.98, bottom=0.2, top=0.88, wspace=0.25)
        self._shown = None  # the limits and title on display
        self.blit.add(self.curve_f, self.tangent, self.point_f, self.curve_df, self.point_df)

    def _update(self, state):
        f, df, ylim_f, ylim_df, title = self._curves(state)
        self.curve_f.set_ydata(f)
        self.curve_df.set_ydata(df)
        if (ylim_f, ylim_df, title) != self._shown:  # new axes only when the function itself changed
            self.ax_f.set_ylim(*ylim_f)
            self.ax_df.set_ylim(*ylim_df)
            self.title_f.set_text(title)
            self._shown = (ylim_f, ylim_df, title)
            self.blit.invalidate()
        x = float(state[self.x_key])
        fx, fpx, rows = self._point(state)
        u = np.array([x - self.tangent_half_width, x + self.tangent_half_width])
        self.tangent.set_data(u, fx + fpx * (u - x))
        self.point_f.set_data([x], [fx])
        self.point_df.set_data([x], [fpx])
        return rows
