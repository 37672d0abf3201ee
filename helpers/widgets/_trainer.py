"""Explorers that train a network: a slider move answers at once, and the training runs in a
background thread, drawn as it goes; a new move cancels the run in progress.

A subclass of :class:`TrainingExplorer` implements

- ``_steps(state)``: a generator that trains and yields the partial result after each step (an
  epoch, or a few);
- ``_finish(state, partial)``: the final result from the last partial one;
- ``_show(state, result, final)``: update the artists and return the readout rows, for a partial
  result (``final`` False; ``result`` None right after a move) or the final one.

The initial state is trained in full before the explorer is shown (its picture is stored), and
``self.last`` holds the final result of the latest finished run. :meth:`wait` returns once the
final result is shown (tests call it; the browser tests and the benchmark wait for the readout).
"""

from __future__ import annotations

import threading
import time

from ._base import Explorer


class _Job:
    """One training run in a background thread; ``cancel`` stops it after the step it is in."""

    def __init__(self, target):
        self.cancel = threading.Event()
        self.thread = threading.Thread(target=target, args=(self,), daemon=True)
        self.thread.start()


class TrainingExplorer(Explorer):
    paint_interval = 0.08  # s: while training, the figure is redrawn at most this often

    def __init__(self, **initial):
        self._job = None
        # (state, result): each result is drawn with the controls it was trained for, never with
        # controls that moved since (a run may paint between a control's change and its callback)
        self._partial = None  # (state, partial result) while a run is in progress
        self.last = None  # (state, final result) of the latest finished run
        super().__init__(**initial)

    # subclasses -------------------------------------------------------------
    def _steps(self, state):  # pragma: no cover - abstract
        raise NotImplementedError

    def _finish(self, state, partial):  # pragma: no cover - abstract
        raise NotImplementedError

    def _show(self, state, result, final) -> list:  # pragma: no cover - abstract
        raise NotImplementedError

    # machinery --------------------------------------------------------------
    def _update(self, state):
        if self._partial is not None:
            return self._show(*self._partial, final=False)
        if self.last is None:  # the initial state, trained in full
            partial = None
            for partial in self._steps(state):
                pass
            self.last = (state, self._finish(state, partial))
        return self._show(*self.last, final=True)

    def _on_change(self, _change=None):
        """Cancel the run in progress, show at once that training restarted, train in the background."""
        self.cancel()
        state = self.state()
        with self._lock:
            self._partial = (state, None)
            self.redraw()
        self._job = _Job(lambda job: self._train(job, state))

    def _train(self, job, state):
        last_paint = time.monotonic()
        partial = None
        for partial in self._steps(state):
            if job.cancel.is_set():
                return
            if time.monotonic() - last_paint >= self.paint_interval:
                with self._lock:
                    self._partial = (state, partial)
                    self.redraw()
                last_paint = time.monotonic()
        result = self._finish(state, partial)
        with self._lock:
            if job.cancel.is_set():
                return
            self.last, self._partial = (state, result), None
            self.redraw()

    def cancel(self):
        """Stop the training in progress (after its current step) and wait for it."""
        job, self._job = self._job, None
        if job is not None:
            job.cancel.set()
            job.thread.join()

    def wait(self, timeout=None):
        """Wait until the training in progress is done; True when the final result is shown."""
        job = self._job
        if job is not None:
            job.thread.join(timeout)
            return not job.thread.is_alive()
        return True
