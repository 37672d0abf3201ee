"""Fast redraws: draw the static parts of a figure once, then only what moves (blitting on the Agg
canvas), with the same pixels as a full render.

An explorer marks its moving artists with :meth:`BlitRenderer.add`. Every artist matplotlib draws
after the first moving one (by z-order: zero lines, axis frames, ticks, legends drawn over bars, and
the later Axes, whose tick labels may reach over it) belongs to the foreground too. The first render draws the figure
without the foreground and keeps that picture as the background; every render restores the
background and draws the foreground over it, in matplotlib's order, so a fast redraw equals a full
render pixel for pixel. After a change of axis limits, ticks or static artists, call
:meth:`BlitRenderer.invalidate`.
"""

from __future__ import annotations

from operator import attrgetter


class BlitRenderer:
    """Render ``fig`` to PNG bytes, redrawing only the registered artists and what lies over them."""

    def __init__(self, fig, compress_level=1):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        self.fig = fig
        self.canvas = FigureCanvasAgg(fig)
        self.artists = []  # the moving artists, as registered
        self.foreground = []  # what is drawn over the background, in drawing order
        self.background = None
        self.compress_level = compress_level

    def add(self, *artists):
        """Mark artists as moving: they are redrawn on every render."""
        self.artists.extend(artists)
        self.invalidate()

    def invalidate(self):
        """Forget the cached background: the next render draws the whole figure again."""
        self.background = None

    @staticmethod
    def _axes_order(ax):
        """The artists of ``ax`` in the order ``Axes.draw`` draws them: its patch, then its children
        by z-order."""
        children = ax.get_children()
        children.remove(ax.patch)
        if not (ax.axison and ax._frameon):
            children = [c for c in children if c not in ax.spines.values()]
        if not ax.axison:
            children = [c for c in children if c not in ax._axis_map.values()]
        return ([ax.patch] if ax.axison and ax._frameon else []) + sorted(children, key=attrgetter("zorder"))

    def _draw_order(self):
        """Every artist of the figure in the order a full render draws them."""
        from matplotlib.axes import Axes

        order = []
        children = [c for c in self.fig.get_children() if c is not self.fig.patch]
        for child in sorted(children, key=attrgetter("zorder")):
            order.extend(self._axes_order(child) if isinstance(child, Axes) else [child])
        return order

    def _split(self):
        """The foreground: everything a full render draws from the first moving artist on (over it,
        or in a later Axes whose labels may reach over it)."""
        for artist in self.foreground:
            artist.set_animated(False)
        moving = {id(a) for a in self.artists}
        order = self._draw_order()
        first = next(k for k, a in enumerate(order) if id(a) in moving)
        self.foreground = [a for a in order[first:] if a.get_visible() or id(a) in moving]
        for artist in self.foreground:
            artist.set_animated(True)

    def render(self) -> bytes:
        from ._base import encode_png

        canvas = self.canvas
        if not self.artists:  # nothing registered: every render is a full one
            canvas.draw()
            return encode_png(canvas, self.compress_level)
        if self.background is None:
            self._split()
            canvas.draw()  # animated artists are left out of this picture
            self.background = canvas.copy_from_bbox(self.fig.bbox)
        else:
            canvas.restore_region(self.background)
        renderer = canvas.get_renderer()
        for artist in self.foreground:
            artist.draw(renderer)
        return encode_png(canvas, self.compress_level)

    def full_render(self) -> bytes:
        """The figure drawn whole, every artist in its place (what the fast redraw must equal)."""
        from ._base import encode_png

        for artist in self.foreground:
            artist.set_animated(False)
        try:
            self.canvas.draw()
            return encode_png(self.canvas, self.compress_level)
        finally:
            for artist in self.foreground:
                artist.set_animated(True)
