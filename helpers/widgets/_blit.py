"""Fast redraws: draw the static parts of a figure once, then only what moves (blitting on the Agg
canvas), with the same pixels as a full render.

An explorer marks its moving artists with :meth:`BlitRenderer.add`. In each Axes, every artist
matplotlib draws after the first moving one (by z-order: zero lines, axis frames, ticks, legends
drawn over bars) belongs to the foreground too, and so does any later artist that paints where a
foreground artist may paint (a tick label of the next Axes reaching over this one). The first render draws the figure
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

    def _groups(self):
        """The figure's artists in the order a full render draws them, in groups: one per Axes
        (its artists in the order ``Axes.draw`` takes them), one per other artist."""
        from matplotlib.axes import Axes

        children = [c for c in self.fig.get_children() if c is not self.fig.patch]
        return [self._axes_order(c) if isinstance(c, Axes) else [c]
                for c in sorted(children, key=attrgetter("zorder"))]

    def _extent(self, artist, renderer, moving):
        """Where ``artist`` may paint: its Axes for a clipped moving artist (it moves inside it),
        its tight box for a static one (None when it paints nothing, such as an empty title), the
        whole figure when that is not known."""
        if moving:
            clipped = artist.get_clip_on() and artist.axes is not None
            return artist.axes.bbox if clipped else self.fig.bbox
        try:
            box = artist.get_tightbbox(renderer)
        except Exception:  # an artist that cannot say where it paints
            return self.fig.bbox
        return None if box is None or box.width <= 0 or box.height <= 0 else box

    def _split(self):
        """The foreground: in each group, everything from its first moving artist on (drawn over
        it), and any other artist that paints where an earlier foreground artist may paint (so the
        order of the two stays that of a full render). The rest is the cached background."""
        from matplotlib.transforms import Bbox

        for artist in self.foreground:
            artist.set_animated(False)
        renderer = self.canvas.get_renderer()  # enough to measure where the artists paint
        moving = {id(a) for a in self.artists}
        self.foreground, regions = [], []
        for group in self._groups():
            first = next((k for k, a in enumerate(group) if id(a) in moving), len(group))
            for k, artist in enumerate(group):
                is_moving = id(artist) in moving
                if not (artist.get_visible() or is_moving):
                    continue
                extent = self._extent(artist, renderer, is_moving)
                if k >= first or (extent is not None and any(Bbox.intersection(extent, r) is not None
                                                               for r in regions)):
                    self.foreground.append(artist)
                    if extent is not None:
                        regions.append(extent.padded(2.0))
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
