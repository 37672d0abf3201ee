"""A small progress bar: an ipywidgets bar inside a Jupyter kernel, one updated text line elsewhere.

In a notebook the bar is displayed once (its stored text is fixed at display time, so a notebook's
outputs stay deterministic) and then updated through its widget model. In a terminal it rewrites a
single line on standard error.
"""

from __future__ import annotations

import sys


def in_notebook() -> bool:
    """True inside a Jupyter kernel (where widgets can be displayed)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with Jupyter
        return False
    shell = get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


class ProgressBar:
    """``bar = ProgressBar(total, desc, unit=...); bar.update(i, text); bar.close()``."""

    def __init__(self, total: int, desc: str = "", enabled: bool = True, unit: str = "steps"):
        self.total = int(total)
        self.desc = desc
        self.unit = unit
        self.enabled = enabled
        self._widget = None
        self._label = None
        if not enabled:
            return
        if in_notebook():
            import ipywidgets as widgets
            from IPython.display import display

            self._widget = widgets.IntProgress(value=0, min=0, max=self.total, description=desc)
            self._label = widgets.Label(value="")
            display(self.mimebundle(widgets.HBox([self._widget, self._label])), raw=True)

    def mimebundle(self, box) -> dict:
        """The bar's display data: the live widget, and a plain-text line for a notebook read without a kernel
        (the widget's own repr lists its traits)."""
        bundle = box._repr_mimebundle_()
        bundle["text/plain"] = f"{self.desc} progress bar: {self.total} {self.unit} (it moves while the cell runs)"
        return bundle

    def update(self, done: int, text: str = "") -> None:
        if not self.enabled:
            return
        if self._widget is not None:
            self._widget.value = done
            self._label.value = text
        else:
            width = 30
            filled = int(width * done / max(self.total, 1))
            bar = "#" * filled + "-" * (width - filled)
            sys.stderr.write(f"\r{self.desc} [{bar}] {done}/{self.total} {text}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled and self._widget is None:
            sys.stderr.write("\n")
            sys.stderr.flush()
        if self._widget is not None:
            self._widget.bar_style = "success"
