"""Interactive explorers for the chapters.

Each explorer keeps its computation in a plain function (unit-tested, no widgets involved) and its
display in a subclass of :class:`Explorer` (see ``_base.py`` for the contract every explorer
keeps): controls made from its initial state, a readout of rows, and one matplotlib figure redrawn
by updating its artists.
"""

from ._base import Explorer, fmt, readout_html

__all__ = ["Explorer", "fmt", "readout_html"]
