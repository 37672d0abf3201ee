"""Fast redraws for explorers whose axes never change: draw the static parts once, then only the
artists that move (blitting on the Agg canvas).

An explorer marks its moving artists with :meth:`BlitRenderer.add`. The first render draws the
whole figure without them and keeps that picture as the background; every render restores the
background, draws the moving artists over it and encodes the PNG with light compression. Axis
limits, ticks and labels must therefore stay fixed after the first render.
"""

from __future__ import annotations

from ._base import encode_png


class BlitRenderer:
    """Render ``fig`` to PNG bytes, redrawing only the registered (animated) artists."""

    def __init__(self, fig, compress_level=1):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        self.fig = fig
        self.canvas = FigureCanvasAgg(fig)
        self.artists = []
        self.background = None
        self.compress_level = compress_level

    def add(self, *artists):
        for artist in artists:
            artist.set_animated(True)
            self.artists.append(artist)

    def render(self) -> bytes:
        canvas = self.canvas
        if self.background is None:
            canvas.draw()  # animated artists are left out of this picture
            self.background = canvas.copy_from_bbox(self.fig.bbox)
        else:
            canvas.restore_region(self.background)
        renderer = canvas.get_renderer()
        for artist in self.artists:
            artist.draw(renderer)
        return encode_png(canvas, self.compress_level)
