"""What every explorer shares: controls made from its initial state, a readout of rows, one figure.

The contract (one test, ``tests/test_widgets_contract.py``, checks it for every explorer):

- An explorer is built from its initial state, given as keyword arguments to
  ``Explorer.__init__``; fixed inputs (data sets, seeds) are set as attributes before that call.
  Each state key has a control (or a list of controls for a vector) made by :meth:`_controls`
  with the factories :func:`slider`, :func:`int_slider`, :func:`log_slider`, :func:`steps_slider`,
  :func:`choice` and :func:`checkbox`. The initial value must be one the control can show (inside
  its range, on its step, among its options, True or False for a checkbox), else
  :class:`ValueError`; ``state()`` reads the controls back.
- ``_update(state)`` recomputes, updates the figure's artists and returns the readout rows as
  data: ``[(key, label, value), ...]``. :meth:`values` gives each row's text (``fmt(value)``).
- The figure is a ``matplotlib.figure.Figure`` rendered with Agg by ``self.blit`` (always a
  :class:`BlitRenderer`): only the artists an explorer registers with ``self.blit.add`` are
  redrawn over a cached picture, and a fast redraw equals a full render pixel for pixel. An explorer
  that changes its axes calls ``self.blit.invalidate()``.
- The readout is an ``ipywidgets.HTML`` ``<table class="book-readout" data-widget="NAME">`` (NAME:
  the class name in snake case, ``LogitExplorer`` -> ``logit_explorer``) with a
  row ``<tr data-key="KEY"><th>label</th><td data-value="TEXT">...</td></tr>`` per quantity;
  matrices show as grids. The box holding everything has the classes ``book-explorer`` and
  ``book-explorer-NAME`` (the browser tests rely on them).
- Displaying an explorer yields one output bundle holding the live widget, a PNG of its initial
  state with a note that running the notebook makes it live (what a static page such as GitHub
  shows) and a fixed ``text/plain`` line, so stored notebook outputs stay deterministic.
"""

from __future__ import annotations

import base64
import html
import io
import math
import re
import threading

import numpy as np

from ._blit import BlitRenderer

DPI = 96  # figure pixels per inch: 9 pt text is 12 px
FIGURE_WIDTH = 6.1  # inches (586 px): fits the output area at 1024 px with the file browser open
CONTROLS_WIDTH = 290  # px
STATIC_NOTE = "A picture of the initial state: run the notebook to move the sliders."

# In JupyterLab's dark theme the figures are shown inverted (white paper turns dark grey, hues kept).
THEME_CSS = (
    "<style>body[data-jp-theme-light='false'] .book-figure "
    "{filter: invert(0.88) hue-rotate(180deg);}</style>"
)


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


def _text(value) -> str:
    return value if isinstance(value, str) else fmt(value)


def _cell(value) -> str:
    """A readout value as HTML: a matrix as a grid, anything else as one line of text."""
    text = html.escape(_text(value), quote=True)
    if not isinstance(value, str) and np.ndim(value) == 2:
        # the grid shows 6 significant digits, so that a 4 x 4 matrix fits a narrow screen
        rows = "".join("<tr>" + "".join(f"<td>{fmt(v, 6)}</td>" for v in row) + "</tr>" for row in np.asarray(value))
        return f'<td data-value="{text}"><table class="book-matrix">{rows}</table></td>'
    return f'<td data-value="{text}">{text}</td>'


READOUT_CSS = (
    "<style>.book-readout th{text-align:left;font-weight:normal;padding:0 0.8em 0 0;white-space:nowrap;"
    "vertical-align:top}.book-readout td{font-family:var(--jp-code-font-family,monospace);text-align:left;"
    "padding:0}.book-readout,.book-matrix{border-collapse:collapse;line-height:1.35}"
    ".book-matrix td{text-align:right;padding:0 0.6em 0 0}.book-matrix{border-left:1px solid;"
    "border-right:1px solid;padding:0 0.2em}</style>"
)


def readout_html(name: str, rows) -> str:
    """The readout table of ``rows``, a list of (key, label, value); labels are trusted HTML."""
    body = "".join(f'<tr data-key="{html.escape(key)}"><th>{label}</th>{_cell(value)}</tr>'
                   for key, label, value in rows)
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


NICE_LIMITS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0)


def nice_limit(value):
    """The smallest of NICE_LIMITS at or above ``value`` (the largest one for anything bigger): axis
    limits that follow what a widget shows in a few steps, so that most moves keep them."""
    return next((v for v in NICE_LIMITS if v >= value), NICE_LIMITS[-1])


READOUT_FONT = 9      # pt, as the figures' text
READOUT_LINE = 16     # px per line of the readout drawn under a static picture
READOUT_MARGIN = 12   # px left and right of it
READOUT_GAP = 24      # px between its two columns


def readout_lines(rows) -> list[str]:
    """The readout rows as lines of plain text, ``label: value`` (labels lose their HTML); a
    matrix's rows follow its label, one indented line each, with the digits ``values()`` shows."""
    lines = []
    for _, label, value in rows:
        label = re.sub(r"\s*<br\s*/?>\s*", " ", label)
        label = re.sub(r"<sup>(?!\u22a4|\u2032|T<)(.*?)</sup>", r"^\1", label)  # a power, not a transpose
        label = html.unescape(re.sub(r"<[^>]+>", "", label))
        if not isinstance(value, str) and np.ndim(value) == 2:
            lines += [f"{label}:"] + [f"    {fmt(row)}" for row in np.asarray(value)]
        else:
            lines.append(f"{label}: {_text(value)}")
    return lines


_DECIMAL = re.compile(r"(?<![\w.])-?\d+\.\d+(?:e[+-]?\d+)?|(?<![\w.])-?\d+e[+-]?\d+")


def portable_digits(text: str) -> str:
    """``text`` with every decimal number cut to 3 significant digits, and every one below 1e-6 in
    size written ``< 1e-6``: a stored picture keeps only digits that another CPU, BLAS or thread
    count reproduces (integers, such as counts of epochs, are left whole)."""

    def cut(match):
        x = float(match.group())
        if x != 0 and abs(x) < 1e-6:
            return "< 1e-6" if x > 0 else "> -1e-6"
        return f"{x:.3g}"

    return _DECIMAL.sub(cut, text)


def readout_png(rows, width_in, dpi):
    """The readout ``rows`` drawn as lines of text ``label: value`` (two columns when there are more
    than three rows and each fits half the width; lines too long for the width wrap), PNG bytes
    ``width_in`` inches wide; None for no rows."""
    import textwrap

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    lines = [portable_digits(line).replace("$", r"\$") for line in readout_lines(rows)]  # no mathtext
    if not lines:
        return None
    width_px = width_in * dpi
    room = width_px - 2 * READOUT_MARGIN
    probe = Figure(figsize=(width_in, 1.0), dpi=dpi)
    renderer = FigureCanvasAgg(probe).get_renderer()

    def measure(line):
        return probe.text(0, 0, line, fontsize=READOUT_FONT).get_window_extent(renderer).width

    widths = [measure(line) for line in lines]
    columns = 2 if len(lines) > 3 and max(widths) <= (room - READOUT_GAP) / 2 else 1
    if columns == 1:
        wrapped = []
        for line, w in zip(lines, widths):
            chars = max(10, int(len(line) * room / w) - 1) if w > room else len(line)
            parts = textwrap.wrap(line, chars, subsequent_indent="    ", break_long_words=True) or [line]
            while len(parts) > 1 and max(measure(p) for p in parts) > room and chars > 10:
                chars -= 2
                parts = textwrap.wrap(line, chars, subsequent_indent="    ", break_long_words=True)
            wrapped.extend(parts)
        lines = wrapped
    per_column = -(-len(lines) // columns)
    height_px = per_column * READOUT_LINE + READOUT_LINE // 2
    fig = Figure(figsize=(width_in, height_px / dpi), dpi=dpi)
    column_px = (room + READOUT_GAP) / columns
    for i, line in enumerate(lines):
        col, row = divmod(i, per_column)
        fig.text((READOUT_MARGIN + col * column_px) / width_px,
                 1 - (READOUT_LINE // 4 + (row + 0.5) * READOUT_LINE) / height_px,
                 line, ha="left", va="center", fontsize=READOUT_FONT, color="0.15")
    return render_png(fig)


# -- controls -----------------------------------------------------------------------------------

def _common():
    return dict(continuous_update=False)


def slider(value, low, high, step, label, digits=None):
    """A FloatSlider from ``low`` to ``high`` in steps of ``step``; ``digits`` after the point shown."""
    import ipywidgets as w

    if digits is None:
        digits = max(0, -math.floor(math.log10(step) + 1e-9))
    return w.FloatSlider(value=float(value), min=low, max=high, step=step, description=label,
                         readout_format=f".{digits}f", **_common())


def int_slider(value, low, high, label, step=1):
    import ipywidgets as w

    return w.IntSlider(value=int(value), min=low, max=high, step=step, description=label, **_common())


def log_slider(value, low_exponent, high_exponent, step, label, base=10):
    """A FloatLogSlider over base**low_exponent .. base**high_exponent, ``step`` in the exponent."""
    import ipywidgets as w

    return w.FloatLogSlider(value=float(value), base=base, min=low_exponent, max=high_exponent, step=step,
                            description=label, readout_format=".3g", **_common())


def steps_slider(value, values, label):
    """A slider over the listed values (for a rate from 0.1 to 30, say, where steps of equal size fit none).
    A value that is not among them leaves the first one selected, so that the explorer refuses it with
    a clear :class:`ValueError` (see :func:`unrepresentable`)."""
    import ipywidgets as w

    control = w.SelectionSlider(options=[(fmt(v), v) for v in values], description=label, **_common())
    if value in list(control._options_values):
        control.value = value
    return control


def choice(value, options, label):
    """A Dropdown over ``options`` (values, or (label, value) pairs). A value that is not among
    them leaves the first option selected, so that the explorer refuses it with a clear
    :class:`ValueError` (see :func:`unrepresentable`)."""
    import ipywidgets as w

    control = w.Dropdown(options=options, description=label)
    if value in list(control._options_values):
        control.value = value
    return control


def checkbox(value, label):
    """A Checkbox for a yes-or-no setting (``value`` True or False), its label beside the box and the
    box lined up with the sliders' tracks."""
    import ipywidgets as w

    return w.Checkbox(value=bool(value) if isinstance(value, (bool, np.bool_)) else False, description=label,
                      indent=True)


def unrepresentable(control, value) -> str | None:
    """Why ``control`` cannot show ``value`` (out of range, off its step, not an option), or None."""
    import ipywidgets as w

    if isinstance(control, w.FloatLogSlider):
        if not value > 0:
            return f"{value!r} is not positive"
        x, lo, hi = math.log(value, control.base), control.min, control.max
        shown = f"[{control.base}**{lo}, {control.base}**{hi}]"
    elif isinstance(control, (w.FloatSlider, w.IntSlider)):
        x, lo, hi = float(value), control.min, control.max
        shown = f"[{lo}, {hi}]"
    elif isinstance(control, (w.Dropdown, w.SelectionSlider)):
        values = list(control._options_values)
        return None if value in values else f"{value!r} is not among the options {values}"
    elif isinstance(control, w.Checkbox):
        return None if isinstance(value, (bool, np.bool_)) else f"{value!r} is not True or False"
    else:
        return None
    if not lo - 1e-9 <= x <= hi + 1e-9:
        return f"{value!r} lies outside the range {shown}"
    k = (x - lo) / control.step
    if abs(k - round(k)) > 1e-6:
        return f"{value!r} is not on the steps of {control.step} from {lo}"
    return None


def control_value(control):
    import ipywidgets as w

    if isinstance(control, (list, tuple)):
        return np.array([float(c.value) for c in control])
    if isinstance(control, (w.FloatSlider, w.FloatLogSlider)) or (
            isinstance(control, w.SelectionSlider) and isinstance(control.value, float)):
        return float(control.value)
    if isinstance(control, w.IntSlider):
        return int(control.value)
    if isinstance(control, w.Checkbox):
        return bool(control.value)
    return control.value


class Explorer:
    """Base class: subclasses set ``title`` and ``fig_height`` (inches), and implement

    - ``_controls(self) -> dict``: {state key: control or list of controls}, built from
      ``self.initial`` (the initial state) with the factories of this module;
    - ``_draw(self, fig)``: the axes and artists; moving artists go to ``self.blit.add``;
    - ``_update(self, state) -> rows``: recompute, update the artists, return the readout rows.
    """

    name = "explorer"   # each subclass's is its class name in snake case: LogitExplorer -> logit_explorer
    title = "Explorer"
    fig_height = 2.6

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.name = re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()

    def __init__(self, **initial):
        import ipywidgets as widgets
        from matplotlib.figure import Figure

        self.initial = dict(initial)
        self.control = self._controls()
        for key, control in self.control.items():
            controls, values = (control, initial[key]) if isinstance(control, (list, tuple)) else ([control], [initial[key]])
            for c, v in zip(controls, values):
                reason = unrepresentable(c, v)
                if reason:
                    raise ValueError(f"{type(self).__name__}: {key} = {v!r} cannot be shown by its control "
                                     f"{c.description!r}: {reason}")
        state_controls = [c for v in self.control.values() for c in (v if isinstance(v, (list, tuple)) else [v])]
        self.controls = self._extra_controls() + state_controls
        label_em = max(len(c.description) for c in self.controls) * 0.55 + 0.6
        for c in self.controls:
            c.style.description_width = f"{label_em:.1f}em"
            c.layout.width = f"{CONTROLS_WIDTH - 4}px"

        self.fig = Figure(figsize=(FIGURE_WIDTH, self.fig_height), dpi=DPI)
        self.blit = BlitRenderer(self.fig)
        self._draw(self.fig)
        self.readout = widgets.HTML(layout=widgets.Layout(overflow="auto", max_width="100%"))
        self.image = widgets.Image(format="png")
        self.image.add_class("book-figure")
        self.rows = []
        self._lock = threading.RLock()
        for control in state_controls:
            control.observe(self._on_change, names="value")
        self.redraw()
        self.initial_png = self._static_png()
        width_px = int(round(self.fig.get_figwidth() * self.fig.dpi))
        self.image.layout = widgets.Layout(width=f"{width_px}px", max_width="100%", height="auto", margin="2px 0")
        # the controls in as many columns as the output area holds (two at 1024 px with the file
        # browser open), the readout under them, then the figure: all on one screen
        grid = widgets.GridBox(self.controls, layout=widgets.Layout(
            grid_template_columns=f"repeat(auto-fill, {CONTROLS_WIDTH}px)", grid_gap="0 8px", width="100%"))
        self.box = widgets.VBox([
            widgets.HBox([grid]),
            self.readout,
            self.image,
            widgets.HTML(THEME_CSS + READOUT_CSS, layout=widgets.Layout(display="none")),
        ])
        self.box.add_class("book-explorer")
        self.box.add_class(f"book-explorer-{self.name}")

    # subclasses -------------------------------------------------------------
    def _controls(self) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def _extra_controls(self) -> list:
        """Widgets shown above the controls that hold no state of their own (a Play button)."""
        return []

    def _draw(self, fig):  # pragma: no cover - abstract
        raise NotImplementedError

    def _update(self, state) -> list:  # pragma: no cover - abstract
        raise NotImplementedError

    # machinery --------------------------------------------------------------
    def state(self) -> dict:
        """The current state, read from the controls."""
        return {key: control_value(c) for key, c in self.control.items()}

    def _on_change(self, _change=None):
        self.redraw()

    def redraw(self):
        """Recompute, then render the moving artists over the cached background."""
        with self._lock:
            self.rows = self._update(self.state())
            self.readout.value = readout_html(self.name, self.rows)
            self.image.value = self.blit.render()

    def wait(self, timeout=None):
        """Return once the explorer shows its final result (explorers that train override it)."""
        return True

    def values(self) -> dict:
        """The readout as {key: text}, exactly as displayed."""
        return {key: _text(value) for key, _, value in self.rows}

    def full_render(self) -> bytes:
        """The current figure drawn whole (a fast redraw must give the same pixels)."""
        with self._lock:
            return self.blit.full_render()

    def _static_png(self) -> bytes:
        """The initial picture, its readout under it and a note, for pages where the widget cannot run."""
        from matplotlib.figure import Figure
        from PIL import Image

        width, dpi = self.fig.get_figwidth(), self.fig.dpi
        strip = Figure(figsize=(width, 0.3), dpi=dpi)
        strip.text(0.5, 0.5, STATIC_NOTE, ha="center", va="center", fontsize=9, color="0.3", style="italic")
        parts = [self.full_render(), readout_png(self.rows, width, dpi), render_png(strip)]
        images = [Image.open(io.BytesIO(png)) for png in parts if png is not None]
        both = Image.new("RGBA", (images[0].width, sum(im.height for im in images)), "white")
        top = 0
        for im in images:
            both.paste(im, (0, top))
            top += im.height
        buf = io.BytesIO()
        both.save(buf, format="png")
        return buf.getvalue()

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.box._repr_mimebundle_(include=include, exclude=exclude)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data = dict(data)
        data["image/png"] = base64.b64encode(self.initial_png).decode("ascii")
        data["text/plain"] = f"{self.title} (interactive; the picture shows its initial state)"
        return data
