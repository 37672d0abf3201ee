"""Pins: outcomes of one run that a chapter's text reports.

A chapter checks each claim against an independent route with ``assert``. Some of its sentences
report instead what one run did ("rate 8 stays saturated", "the network is ahead by 8 images to
3"). Those are *pinned* with :func:`pin`, so that the stored text cannot drift from its run: under
the book's tests a pin that fails raises. A reader who changes a seed or a setting, as the chapters
invite, gets another run; there a pin that fails prints a note and the notebook goes on, since the
new run's printed numbers are the ones to read.
"""

from __future__ import annotations

import os

import numpy as np

#: set to "1" (tests/conftest.py does, for every test and every kernel it starts) to make a pin
#: that fails raise ``AssertionError`` instead of printing a note
STRICT = "BOOK_STRICT_PINS"


def pin(what: str, *holds) -> None:
    """Pin a sentence of the text to the outcomes of this run that it reports.

    what: the sentence, as the text says it ("rate 8 stays saturated"). holds: one or more
    outcomes, each a comparison that came out True or False (a Python or NumPy bool; an array is
    refused: reduce it with ``np.all`` or ``np.any`` first).

    When every outcome holds, nothing happens. Otherwise: raises ``AssertionError`` if the
    environment variable ``BOOK_STRICT_PINS`` is "1" (the book's tests), and otherwise prints one
    line saying that this run differs from the text, and returns.
    """
    if not isinstance(what, str) or not what.strip():
        raise TypeError(f"pin: what must be the sentence the pin stands for, a non-empty str; got {what!r:.80}")
    if not holds:
        raise TypeError(f"pin: give at least one outcome after the sentence {what!r:.80}")
    for i, h in enumerate(holds):
        if not isinstance(h, (bool, np.bool_)):
            raise TypeError(f"pin: outcome {i + 1} must be True or False (the result of a comparison); got "
                            f"{type(h).__name__} {h!r:.80}")
    failed = [i + 1 for i, h in enumerate(holds) if not h]
    if not failed:
        return
    message = f"this run differs from the text: {what.strip()}"
    if len(holds) > 1:
        message += f" (outcome {', '.join(map(str, failed))} of {len(holds)} fails)"
    if os.environ.get(STRICT) == "1":
        raise AssertionError(message)
    print(f"Note: {message}. The text describes the run from the chapter's own seeds and settings; "
          f"for this run, read the numbers printed above.")
