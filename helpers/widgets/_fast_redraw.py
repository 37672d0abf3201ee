"""Fast redraws for explorers whose slider moves only a few artists (a point, a tangent line).

A full Agg render of a two-panel figure costs well over 100 ms, most of it in tick labels and
titles that do not change when a point moves. :class:`FastRedrawMixin` renders the static part
once, keeps it as a bitmap, and on each redraw restores the bitmap and draws only the moving
artists on top (matplotlib's blitting), then encodes the PNG with light compression. Subclasses
call ``self._set_moving(artists)`` at the end of ``_build`` and ``self._static_changed()`` in
``_update`` whenever something other than the moving artists changed (a curve, a limit, a title).
"""

from __future__ import annotations

import io

from ._base import readout_html


class FastRedrawMixin:
    """Put before :class:`Explorer` in the bases: ``class MyExplorer(FastRedrawMixin, Explorer)``."""

    _moving = ()
    _background = None
    _agg = None

    def _set_moving(self, artists):
        self._moving = tuple(artists)
        for artist in self._moving:
            artist.set_animated(True)  # skipped by a full draw, drawn by hand on top
        self._background = None

    def _static_changed(self):
        self._background = None

    def redraw(self):
        rows = self._update()
        self.readout.value = readout_html(self.name, rows)
        self.image.value = self._render_png()

    def _render_png(self) -> bytes:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from PIL import Image

        if self._agg is None or self.fig.canvas is not self._agg:
            self._agg = FigureCanvasAgg(self.fig)
            self._background = None
        canvas = self._agg
        if self._background is None:
            canvas.draw()  # everything but the moving artists
            self._background = canvas.copy_from_bbox(self.fig.bbox)
        else:
            canvas.restore_region(self._background)
        renderer = canvas.get_renderer()
        for artist in self._moving:
            if artist.get_visible():
                artist.draw(renderer)
        width, height = (int(v) for v in canvas.get_width_height(physical=True))
        image = Image.frombuffer("RGBA", (width, height), bytes(canvas.buffer_rgba()), "raw", "RGBA", 0, 1)
        buf = io.BytesIO()
        image.save(buf, format="PNG", compress_level=1)
        return buf.getvalue()
