"""What every explorer shares: a figure shown as a PNG image widget, a readout table, sliders.

Conventions (the browser tests rely on them):

- The readout is an ``ipywidgets.HTML`` whose value is a ``<table class="book-readout"
  data-widget="NAME">`` with one row per quantity: ``<tr data-key="KEY"><th>label</th><td>VALUE</td></tr>``.
  Numbers are written by :func:`fmt` (8 significant digits; vectors space-separated; matrices
  rows separated by ``;``).
- Each control has ``description`` set, and the box holding everything has the CSS class
  ``book-explorer`` and ``book-explorer-NAME``.
- The figure is a ``matplotlib.figure.Figure`` (not pyplot, so nothing is displayed by accident)
  rendered with Agg into an ``ipywidgets.Image``. An update changes the artists' data and renders
  again; nothing is re-plotted from scratch. Explorers whose axes stay fixed register their moving
  artists with a :class:`~helpers.widgets._blit.BlitRenderer` as ``self.blit``, and only those are
  redrawn over a cached picture of the rest.
- Displaying an explorer yields one output bundle holding the live widget, a PNG of its initial
  state (what a static page such as GitHub shows) and a fixed ``text/plain`` line, so stored
  notebook outputs stay deterministic.
"""

from __future__ import annotations

import base64
import html
import io

import numpy as np


def fmt(x, digits: int = 8) -> str:
    """A number, vector or matrix as text: ``%.{digits}g``, spaces between entries, ``;`` between rows."""
    arr = np.asarray(x)
    if arr.ndim == 0:
        v = arr.item()
        if isinstance(v, (bool, np.bool_)):
            return str(v)
        if isinstance(v, (int, np.integer)):
            return str(v)
        return f"{float(v):.{digits}g}"
    if arr.ndim == 1:
        return " ".join(fmt(v, digits) for v in arr)
    return "; ".join(fmt(row, digits) for row in arr)


def readout_html(name: str, rows) -> str:
    """The readout table: ``rows`` is a list of (key, label, value) with value formatted by fmt."""
    body = "".join(
        f'<tr data-key="{html.escape(key)}"><th style="text-align:left;padding-right:1em">{label}</th>'
        f'<td style="font-family:monospace;text-align:left">{html.escape(fmt(value) if not isinstance(value, str) else value)}</td></tr>'
        for key, label, value in rows
    )
    return f'<table class="book-readout" data-widget="{html.escape(name)}">{body}</table>'


def encode_png(canvas, compress_level: int = 1) -> bytes:
    """The Agg canvas's current pixels as PNG bytes. Light compression: at the default level the
    encoding costs as much as drawing a simple figure."""
    from PIL import Image

    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    buf = io.BytesIO()
    image.save(buf, format="png", compress_level=compress_level)
    return buf.getvalue()


def render_png(fig) -> bytes:
    """Draw a whole matplotlib Figure with the Agg canvas and return it as PNG bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    return encode_png(canvas)


class Explorer:
    """Base class: subclasses set ``name`` and ``title``, and implement

    - ``_build(self)``: create ``self.controls`` (list of ipywidgets), ``self.fig`` (a
      ``matplotlib.figure.Figure``) and its artists;
    - ``state(self) -> dict``: the current control values;
    - ``_update(self)``: recompute from ``state()``, update the artists, and return the readout rows
      [(key, label, value), ...].

    The base class wires every control to a redraw, keeps the image and the readout, and renders
    the display bundle.
    """

    name = "explorer"
    title = "Explorer"

    def __init__(self):
        import ipywidgets as widgets

        self._widgets = widgets
        self._build()
        self.readout = widgets.HTML()
        self.image = widgets.Image(format="png")
        self.image.add_class("book-figure")
        for control in self.controls:
            control.observe(self._on_change, names="value")
        self.redraw()
        self.initial_png = self.image.value
        # show the picture at its own size (JupyterLab would stretch it to the cell's width)
        width_px = int(round(self.fig.get_figwidth() * self.fig.dpi))
        self.image.layout = widgets.Layout(width=f"{width_px}px", max_width="100%", height="auto")
        self.box = widgets.VBox(
            [
                widgets.HBox([
                    # the controls keep their width (with their value readouts) beside a long readout
                    widgets.VBox(self.controls, layout=widgets.Layout(min_width="340px", flex="0 0 auto")),
                    self.readout,
                ]),
                self.image,
            ]
        )
        self.box.add_class("book-explorer")
        self.box.add_class(f"book-explorer-{self.name}")

    # subclasses -------------------------------------------------------------
    def _build(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def state(self) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def _update(self):  # pragma: no cover - abstract
        raise NotImplementedError

    # machinery --------------------------------------------------------------
    def _on_change(self, _change=None):
        self.redraw()

    def redraw(self):
        """Recompute, then render: only the moving artists over a cached background when the
        subclass registered them in ``self.blit`` (a :class:`BlitRenderer`), else the whole figure."""
        rows = self._update()
        self.readout.value = readout_html(self.name, rows)
        blit = getattr(self, "blit", None)
        self.image.value = blit.render() if blit is not None else render_png(self.fig)

    def values(self) -> dict:
        """The readout as {key: text}, exactly as displayed."""
        import re

        return {
            k: html.unescape(v)
            for k, v in re.findall(r'<tr data-key="([^"]+)">.*?<td[^>]*>(.*?)</td>', self.readout.value)
        }

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.box._repr_mimebundle_(include=include, exclude=exclude)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data = dict(data)
        data["image/png"] = base64.b64encode(self.initial_png).decode("ascii")
        data["text/plain"] = f"{self.title} (interactive; the picture shows its initial state)"
        return data
