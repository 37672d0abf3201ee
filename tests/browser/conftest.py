"""Fixtures of the browser tests: a JupyterLab serving a temporary copy of the book, headless
Chromium, and one open chapter at a time (run once, shared by the chapter and widget tests).

Run them::

    python -m pytest tests/browser -v        # all chapters
    python -m pytest tests/browser -k 07_    # one chapter
    python -m pytest tests/browser --screenshots

Without ``/usr/bin/chromium`` or the ``playwright`` package the tests skip with the reason; with
``BOOK_REQUIRE_BROWSER=1`` (as CI sets) they fail instead. ``--screenshots`` also saves a picture
of every explorer, in its initial state, to ``notebooks/images/<widget name>.png``. Chromium is
always Debian's (``BOOK_CHROMIUM`` may point elsewhere); Playwright never downloads a browser.
``BOOK_KEEP_LAB_DIR=1`` keeps the server's temporary directory (its log is ``jupyterlab.log``).
The terminal summary lists each chapter's run time and every slider move with its response time.
"""

from __future__ import annotations

import time

import pytest

from . import booklab, explorers


def pytest_addoption(parser):
    parser.addoption("--screenshots", action="store_true", default=False,
                     help="save notebooks/images/<widget>.png of every explorer (browser tests)")


def pytest_collection_modifyitems(config, items):
    """Group the browser tests by chapter (chapter test first, then its widgets), so each chapter
    is opened and run once and its kernel shut down before the next one starts. They run after
    every other test."""
    def in_browser(item):
        return "tests/browser/" in str(item.path).replace("\\", "/")

    def key(pair):
        position, item = pair
        callspec = getattr(item, "callspec", None)
        chapter = str(callspec.params.get("chapter", "")) if callspec else ""
        return (chapter, 0 if item.path.name == "test_chapters.py" else 1, position)

    others = [it for it in items if not in_browser(it)]
    ours = [it for _, it in sorted(((i, it) for i, it in enumerate(items) if in_browser(it)), key=key)]
    items[:] = others + ours


def _unavailable(reason: str):
    if booklab.browser_required():
        pytest.fail(f"{booklab.REQUIRE_ENV}=1 but the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="session")
def lab_server():
    reason = booklab.browser_unavailable_reason()
    if reason:
        _unavailable(reason)
    with booklab.LabServer() as server:
        yield server


@pytest.fixture(scope="session")
def browser(lab_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        try:
            b = booklab.launch_browser(p)
        except Exception as exc:  # Chromium present but unable to start
            _unavailable(f"Chromium at {booklab.CHROMIUM} did not start: {exc}")
        yield b
        b.close()


class Chapters:
    """Opens chapters one at a time; the previous one is closed and its kernel shut down."""

    def __init__(self, server, browser):
        self.server, self.browser = server, browser
        self.current = None
        self.references = {}
        self.timings = {}

    def get(self, name) -> booklab.Chapter:
        """The page of the chapter ``name`` (a stem of book.toml), opened and run all."""
        path = booklab.chapter_path(name)
        assert path.exists(), f"{path} is in the book's manifest (book.toml) but not on disk"
        if self.current is not None and self.current.path == path:
            return self.current
        self.close()
        t0 = time.monotonic()
        chapter = booklab.Chapter(self.server, self.browser, path)
        self.current = chapter
        chapter.open()
        if chapter.kernel_dialog is None:
            chapter.run_all()
        self.timings[path.stem] = {"open_and_run_s": time.monotonic() - t0, "run_all_s": chapter.run_seconds}
        return chapter

    def reference_explorers(self, path) -> list:
        if path not in self.references:
            self.references[path] = explorers.replay_chapter(path)
        return self.references[path]

    def close(self):
        if self.current is not None:
            self.current.close()
            self.current = None


@pytest.fixture(scope="session")
def chapters(lab_server, browser, request):
    pool = Chapters(lab_server, browser)
    request.config._book_chapters = pool
    yield pool
    pool.close()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    pool = getattr(config, "_book_chapters", None)
    if pool is None:
        return
    tr = terminalreporter
    if pool.timings:
        tr.section("browser: chapters")
        for name, t in pool.timings.items():
            run = f"{t['run_all_s']:.1f} s" if t["run_all_s"] is not None else "not run"
            tr.write_line(f"{name}: open + run all {t['open_and_run_s']:.1f} s (run all {run})")
    results = getattr(config, "_book_widget_results", [])
    if results:
        tr.section("browser: widgets")
        for r in results:
            status = "ok" if not r["problems"] else "FAILED"
            tr.write_line(f"{r['chapter']} {r['widget']}#{r['instance']} {r['control']}: {r['old']!r} -> "
                          f"{r['new']!r}, {r['seconds'] * 1000:.0f} ms, {r['n_direct']} rows checked "
                          f"against the compute function: {status}")
