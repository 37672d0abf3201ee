"""Driving the book in a real JupyterLab with Playwright and Debian's Chromium.

Shared by the browser tests (``tests/browser``), the widget latency benchmark
(``benchmarks/bench_widgets.py``) and the screenshots (``pytest tests/browser --screenshots``):

- :class:`LabServer` copies the book (``notebooks/`` and ``helpers/``) to a temporary directory and
  serves it with JupyterLab on 127.0.0.1, on a free port, with a random token, with its own
  settings (every cell rendered: ``windowingMode: none``; no news or update checks; no autosave).
- :func:`launch_browser` starts headless Chromium from ``/usr/bin/chromium`` (never a downloaded one).
- :class:`Chapter` opens one notebook in a page, runs all cells, reports what went wrong, and
  drives the explorers in it (read a readout, press a key on a slider, wait for the redraw).
"""

from __future__ import annotations

import http.client
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from helpers._book import BOOK, CHROMIUM, CHROMIUM_ARGS, widget_class

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
REQUIRE_ENV = "BOOK_REQUIRE_BROWSER"
PROJECT_CONFIG = ROOT / ".jupyter"

# JupyterLab user settings for the test server: render every cell (JupyterLab 4 otherwise only
# renders the visible ones), never write files back. No news and no update checks, and one entry
# per chapter in the file browser, come from the book's own configuration (PROJECT_CONFIG), which
# the reader's `jupyter lab` uses too.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/extensionmanager-extension/plugin.jupyterlab-settings": {"enabled": False},
    # light or dark as the browser prefers: a page opened with color_scheme="dark" gets the dark theme
    "@jupyterlab/apputils-extension/themes.jupyterlab-settings": {"adaptive-theme": True},
}


def notebooks_folder() -> Path:
    """The folder of chapter notebooks: ``notebooks/``, or ``BOOK_NOTEBOOKS_DIR`` (for debugging)."""
    return Path(os.environ.get("BOOK_NOTEBOOKS_DIR") or NOTEBOOKS)


def chapter_names() -> list[str]:
    """The chapters to test, in order: those of the book's manifest (book.toml)."""
    return BOOK.stems


def chapter_path(name: str) -> Path:
    return notebooks_folder() / f"{name}.ipynb"


def chapter_widgets(name: str) -> list[str]:
    """The names (``Explorer.name``) of the explorers the manifest lists for a chapter, in order."""
    return [widget_class(w).name for w in BOOK.chapter(name).widgets]


def browser_unavailable_reason() -> str | None:
    """Why the browser tests cannot run here, or None when Chromium and Playwright are present."""
    if not Path(CHROMIUM).is_file():
        return (f"Chromium not found at {CHROMIUM}: install Debian's package "
                "(apt-get install chromium) to run the browser tests")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package playwright is not installed (pip install playwright)"
    return None


def browser_required() -> bool:
    return os.environ.get(REQUIRE_ENV, "").strip() not in ("", "0", "false", "no")


def launch_browser(playwright):
    """Headless Debian Chromium; never a browser that Playwright downloads."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def mean_brightness(png: bytes) -> float:
    """Mean grey level of a screenshot, from 0 (black) to 255 (white)."""
    from PIL import Image, ImageStat

    return ImageStat.Stat(Image.open(io.BytesIO(png)).convert("L")).mean[0]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    """JupyterLab serving a temporary copy of the book. Use as a context manager."""

    def __init__(self, notebooks_dir: Path | None = None, startup_timeout: float = 90.0):
        self.notebooks_dir = Path(notebooks_dir or notebooks_folder())
        self.startup_timeout = startup_timeout
        self.tmp = None
        self.proc = None
        self.port = None
        self.token = secrets.token_hex(24)
        self.url = None
        self.book_dir = None

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self) -> "LabServer":
        self.tmp = Path(tempfile.mkdtemp(prefix="book-lab-"))
        self.book_dir = self.tmp / "book"
        ignore = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "*.pyc")
        shutil.copytree(self.notebooks_dir, self.book_dir / "notebooks", ignore=ignore)
        shutil.copytree(ROOT / "helpers", self.book_dir / "helpers", ignore=ignore)
        settings = self.tmp / "user-settings"
        for rel, value in LAB_SETTINGS.items():
            path = settings / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(value))
        for sub in ("workspaces", "config", "runtime"):
            (self.tmp / sub).mkdir()
        # Another process (a kernel's ZMQ socket, another server) may take the free port before
        # JupyterLab binds it: then the server exits, or something other than HTTP answers. Retry
        # on a new port rather than fail every browser test.
        for attempt in range(3):
            self.port = _free_port()
            self.url = f"http://127.0.0.1:{self.port}"
            if self._launch(settings):
                return self
        log = self.log_path.read_text(errors="replace")[-3000:]
        self.stop()
        raise RuntimeError(f"JupyterLab could not start on a free port in 3 attempts:\n{log}")

    def _launch(self, settings) -> bool:
        """Start JupyterLab on ``self.port``; False when the port turned out to be taken."""
        cmd = [
            sys.executable, "-m", "jupyterlab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={self.port}",
            "--ServerApp.port_retries=0",
            f"--ServerApp.token={self.token}",
            f"--ServerApp.root_dir={self.book_dir}",
            "--ServerApp.terminals_enabled=False",
            f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={self.tmp / 'workspaces'}",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        env = dict(os.environ)
        env.update(
            JUPYTER_CONFIG_DIR=str(self.tmp / "config"),
            JUPYTER_CONFIG_PATH=str(PROJECT_CONFIG),
            JUPYTER_RUNTIME_DIR=str(self.tmp / "runtime"),
            # the kernels import the copied helpers, so the served book is self-contained
            PYTHONPATH=os.pathsep.join(p for p in (str(self.book_dir), env.get("PYTHONPATH", "")) if p),
            MPLBACKEND="Agg",
            PYDEVD_DISABLE_FILE_VALIDATION="1",
        )
        self.log_path = self.tmp / "jupyterlab.log"
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(cmd, cwd=self.book_dir, env=env, stdout=self._log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + self.startup_timeout
        while True:
            if self.proc.poll() is not None:
                log = self.log_path.read_text(errors="replace")[-3000:]
                if "already in use" in log or "Address already" in log:
                    self._end_server()
                    return False
                self.stop()
                raise RuntimeError(f"JupyterLab exited with code {self.proc.returncode}:\n{log}")
            try:
                self.api("GET", "/api/status")
                return True
            except http.client.HTTPException:  # not JupyterLab answering: the port was taken
                self._end_server()
                return False
            except (urllib.error.URLError, ConnectionError, OSError):
                if time.monotonic() > deadline:
                    log = self.log_path.read_text(errors="replace")[-3000:]
                    self.stop()
                    raise RuntimeError(f"JupyterLab did not answer within {self.startup_timeout} s:\n{log}")
                time.sleep(0.3)

    def _kernel_pids(self) -> list[int]:
        """Processes started by the server (its kernels run in sessions of their own)."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.proc.pid:
                pids.append(int(stat.parent.name))
        return pids

    def _end_server(self):
        """Stop the server, its kernels and its log (the folder stays)."""
        if self.proc is not None and self.proc.poll() is None:
            try:
                self.shutdown_kernels()
            except Exception:
                pass
            children = self._kernel_pids()
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)  # the server's process group
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=5)
            for pid in children:  # kernels left behind, if any
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        if getattr(self, "_log", None) is not None:
            self._log.close()
            self._log = None

    def stop(self):
        self._end_server()
        if self.tmp is not None and os.environ.get("BOOK_KEEP_LAB_DIR") != "1":
            shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- REST ----------------------------------------------------------------------------------
    def api(self, method: str, path: str, timeout: float = 10.0):
        req = urllib.request.Request(self.url + path, method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self, notebook_path: str | None = None):
        """Shut down the sessions (and their kernels) of one notebook, or of all."""
        for session in self.api("GET", "/api/sessions") or []:
            if notebook_path is None or session.get("path") == notebook_path:
                try:
                    self.api("DELETE", f"/api/sessions/{session['id']}", timeout=30)
                except urllib.error.HTTPError:
                    pass

    def notebook_url(self, rel_path: str) -> str:
        return f"{self.url}/lab/tree/{rel_path}?token={self.token}&reset"


# ------------------------------------------------------------------------------------------------
# JavaScript run in the page

JS_CELL_STATUS = r"""
() => {
  const cells = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-CodeCell')];
  const rows = cells.map((cell, i) => {
    const prompt = cell.querySelector('.jp-InputArea-prompt');
    const src = cell.querySelector('.jp-InputArea-editor .cm-content');
    return {i, prompt: prompt ? prompt.textContent.trim() : '',
            empty: src ? src.textContent.trim() === '' : false};
  });
  const ind = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator');
  return {cells: rows, kernel: ind ? ind.getAttribute('data-status') : null};
}
"""

JS_PROBLEMS = r"""
() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const text = el => (el.innerText || el.textContent || '').trim().slice(0, 2000);
  const cellOf = el => {
    const cell = el.closest('.jp-Cell');
    const cells = [...panel.querySelectorAll('.jp-Notebook .jp-Cell')];
    return cells.indexOf(cell);
  };
  const out = {stderr: [], errors: [], mathjax: [], widget_errors: [], dialogs: []};
  for (const el of panel.querySelectorAll('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], .jp-RenderedText[data-mime-type="application/vnd.jupyter.stderr"]')) {
    if (el.classList.contains('jp-RenderedText') && el.closest('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')) continue;
    const t = text(el);
    (/Traceback|Error\b|Exception/.test(t) ? out.errors : out.stderr).push({cell: cellOf(el), text: t});
  }
  for (const el of panel.querySelectorAll('mjx-merror')) {
    out.mathjax.push({cell: cellOf(el), text: el.getAttribute('data-mjx-error') || text(el)});
  }
  for (const el of panel.querySelectorAll('.jp-OutputArea-output')) {
    const t = text(el);
    if (/^(Error displaying widget|Error rendering output|Javascript Error)/.test(t)) out.widget_errors.push({cell: cellOf(el), text: t});
  }
  for (const el of document.querySelectorAll('.jp-Dialog')) out.dialogs.push(text(el));
  return out;
}
"""

JS_HAS_ERROR = r"""
() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]
        .some(el => /Traceback|Error/.test(el.textContent))
"""

JS_EXPLORERS = r"""
() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  return [...panel.querySelectorAll('.book-explorer')].map((el, i) => {
    const table = el.querySelector('table.book-readout');
    let name = table ? table.getAttribute('data-widget') : null;
    if (!name) {
      const cls = [...el.classList].find(c => c.startsWith('book-explorer-'));
      name = cls ? cls.slice('book-explorer-'.length) : '?';
    }
    return {index: i, name};
  });
}
"""

# The explorer's state as shown: readout rows, image src, and its controls (leaves of the control
# boxes, in order) with their kind, label and displayed value.
JS_EXPLORER_STATE = r"""
(index) => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const el = panel.querySelectorAll('.book-explorer')[index];
  const readout = {};
  for (const tr of el.querySelectorAll('table.book-readout tr[data-key]')) {
    const td = tr.querySelector('td');
    readout[tr.getAttribute('data-key')] = td ? (td.getAttribute('data-value') ?? td.textContent) : '';
  }
  const img = el.querySelector('.book-figure');
  // controls: the first box inside the first row of the explorer
  const row = el.children[0];
  const box = row ? row.children[0] : null;
  const leaves = [];
  const walk = node => {
    for (const child of node.children) {
      if (child.classList.contains('widget-box') && !child.classList.contains('widget-slider')) walk(child);
      else if (child.classList.contains('jupyter-widgets') || child.classList.contains('widget-inline-hbox')) leaves.push(child);
    }
  };
  if (box) walk(box);
  const controls = leaves.map((c, i) => {
    const label = c.querySelector('.widget-label');
    const info = {i, label: label ? label.textContent.trim() : '', classes: c.className, kind: 'other', value: null};
    if (c.classList.contains('widget-slider')) {
      info.kind = 'slider';
      const r = c.querySelector('.widget-readout');
      info.value = r ? r.textContent.trim() : null;
      const h = c.querySelector('.noUi-handle');
      info.aria = h ? h.getAttribute('aria-valuenow') : null;
      info.disabled = !!c.querySelector('[disabled]') || (h && h.getAttribute('disabled') !== null);
    } else if (c.querySelector('select')) {
      info.kind = 'dropdown';
      const s = c.querySelector('select');
      info.value = s.selectedIndex >= 0 ? s.options[s.selectedIndex].textContent : null;
      info.index = s.selectedIndex;
    } else if (c.classList.contains('widget-checkbox')) {
      info.kind = 'checkbox';
      const inp = c.querySelector('input');
      info.value = inp ? inp.checked : null;
    } else if (c.classList.contains('widget-toggle-buttons')) {
      info.kind = 'toggle_buttons';
      const a = c.querySelector('.mod-active');
      info.value = a ? a.textContent.trim() : null;
    }
    return info;
  });
  return {readout, src: img ? img.getAttribute('src') : null, controls};
}
"""

JS_CONTROL_HANDLE = r"""
(args) => {
  const [index, ci] = args;
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const el = panel.querySelectorAll('.book-explorer')[index];
  const box = el.children[0].children[0];
  const leaves = [];
  const walk = node => {
    for (const child of node.children) {
      if (child.classList.contains('widget-box') && !child.classList.contains('widget-slider')) walk(child);
      else if (child.classList.contains('jupyter-widgets') || child.classList.contains('widget-inline-hbox')) leaves.push(child);
    }
  };
  walk(box);
  return leaves[ci].querySelector('.noUi-handle');
}
"""

# Record, in the page, when the explorer's image src changes (the end of a redraw).
JS_WATCH = r"""
(index) => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const el = panel.querySelectorAll('.book-explorer')[index];
  const img = el.querySelector('.book-figure');
  const table = el.querySelector('.book-readout');
  if (window.__bookObs) window.__bookObs.disconnect();
  window.__bookMark = {t0: null, img: null, imgLast: null, readout: null, oldSrc: img.getAttribute('src')};
  const obs = new MutationObserver(() => {
    const now = performance.now();
    const m = window.__bookMark;
    if (m.t0 === null) return;  // a late picture of an earlier move
    if (m.img === null && img.getAttribute('src') !== m.oldSrc) m.img = now;
    if (img.getAttribute('src') !== m.oldSrc) m.imgLast = now;  // an explorer that trains draws more than once
  });
  obs.observe(img, {attributes: true, attributeFilter: ['src']});
  const robs = new MutationObserver(() => {
    if (window.__bookMark.readout === null) window.__bookMark.readout = performance.now();
  });
  robs.observe(el.querySelector('.book-readout').parentElement, {childList: true, subtree: true, characterData: true});
  window.__bookObs = {disconnect: () => { obs.disconnect(); robs.disconnect(); }};
  // time of the key press: the keydown on the handle
  const handler = () => { if (window.__bookMark.t0 === null) window.__bookMark.t0 = performance.now(); };
  el.addEventListener('keydown', handler, {capture: true, once: true});
  return true;
}
"""


# How an explorer sits on the page: its size against the notebook's visible area, anything that
# reaches past its right edge, labels cut short, and the figure's size and font.
JS_EXPLORER_LAYOUT = r"""
(index) => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const el = panel.querySelectorAll('.book-explorer')[index];
  const r = el.getBoundingClientRect();
  const scroller = panel.querySelector('.jp-WindowedPanel-outer') || panel.querySelector('.jp-Notebook');
  const view = scroller.getBoundingClientRect();
  const describe = e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).slice(0, 3).join('.') : '');
  const sticking = [];
  for (const d of el.querySelectorAll('*')) {
    const b = d.getBoundingClientRect();
    if (b.width > 0 && b.right > r.right + 0.5 && getComputedStyle(d).display !== 'none') {
      sticking.push(describe(d) + ' ends at ' + Math.round(b.right) + ' > ' + Math.round(r.right));
    }
  }
  const cut = [...el.querySelectorAll('.widget-label')].filter(l => l.scrollWidth > l.clientWidth + 1)
      .map(l => l.textContent.trim());
  const img = el.querySelector('.book-figure');
  const ib = img ? img.getBoundingClientRect() : null;
  return {width: r.width, height: r.height, scrollWidth: el.scrollWidth, clientWidth: el.clientWidth,
          visibleHeight: view.height, sticking: sticking.slice(0, 5), cut,
          figure: ib ? {width: ib.width, height: ib.height, natural: img.naturalWidth} : null,
          pageOverflow: document.documentElement.scrollWidth > document.documentElement.clientWidth};
}
"""


class Chapter:
    """One chapter notebook opened in its own page of a browser context."""

    def __init__(self, server: LabServer, browser, path: Path, viewport=(1400, 1000), dark=False):
        self.server = server
        self.path = path
        self.name = path.stem
        self.rel = f"notebooks/{path.name}"
        self.context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                           color_scheme="dark" if dark else "light")
        self.dark = dark
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.console_errors.append(str(exc)))
        self.kernel_dialog = None
        self.run_seconds = None
        self.report = None

    # -- open and run ----------------------------------------------------------------------------
    def open(self, timeout: float = 120.0):
        page = self.page
        page.set_default_timeout(timeout * 1000)
        page.goto(self.server.notebook_url(self.rel))
        page.wait_for_selector(".jp-NotebookPanel .jp-Notebook .jp-Cell", state="attached")
        # the kernel starts from the notebook's kernelspec; a dialog means it had none (or a bad one)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            dialog = page.query_selector(".jp-Dialog")
            if dialog is not None:
                self.kernel_dialog = (dialog.inner_text() or "").strip()[:500]
                return self
            status = self._cell_status()["kernel"]
            if status == "idle" and self._kernel_connected():
                time.sleep(0.5)  # let the panel settle before the first command
                return self
            time.sleep(0.25)
        raise TimeoutError(f"{self.name}: kernel not idle {timeout:.0f} s after opening")

    def _cell_status(self) -> dict:
        """The code cells' prompts and the kernel's state; on a narrow page, where the notebook's
        toolbar hides its kernel indicator, the state comes from the server."""
        st = self.page.evaluate(JS_CELL_STATUS)
        if st["kernel"] is None:
            for session in self.server.api("GET", "/api/sessions") or []:
                if session.get("path") == self.rel:
                    st["kernel"] = (session.get("kernel") or {}).get("execution_state")
        return st

    def _kernel_connected(self) -> bool:
        """The server has a session for this notebook whose kernel is idle with a client attached."""
        for session in self.server.api("GET", "/api/sessions") or []:
            kernel = session.get("kernel") or {}
            if (session.get("path") == self.rel and kernel.get("execution_state") == "idle"
                    and kernel.get("connections", 0) >= 1):
                return True
        return False

    def run_all(self, timeout: float = 900.0):
        page = self.page
        # a cell whose source is folded away shows no prompt, so its execution count cannot be
        # read: unfold them (in this temporary copy of the book) before running
        page.evaluate("""() => document.querySelectorAll(
            '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-InputPlaceholder').forEach(el => el.click())""")
        t0 = time.monotonic()
        page.click('.lm-MenuBar-item:has-text("Run")')
        page.click('.lm-Menu-item[data-command="runmenu:run-all"]')
        deadline = t0 + timeout
        time.sleep(0.5)
        idle_since = None
        while True:
            st = self._cell_status()
            pending = [c for c in st["cells"] if not c["empty"] and not re.fullmatch(r"\[\d+\]:", c["prompt"])]
            if page.query_selector(".jp-Dialog") is not None and self.kernel_dialog is None:
                self.kernel_dialog = (page.inner_text(".jp-Dialog") or "").strip()[:500]
                break
            if not pending and st["kernel"] == "idle":
                # stay idle for a moment: widget displays finish, MathJax typesets
                idle_since = idle_since or time.monotonic()
                if time.monotonic() - idle_since > 0.6:
                    break
            elif pending and st["kernel"] == "idle":
                # Run All stops at a cell that raises: the remaining cells never run
                idle_since = idle_since or time.monotonic()
                waited = time.monotonic() - idle_since
                if waited > 15 or (waited > 2 and page.evaluate(JS_HAS_ERROR)):
                    break
            else:
                idle_since = None
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"{self.name}: Run All did not finish within {timeout:.0f} s; kernel "
                    f"{st['kernel']}; cells not run: {[c['i'] for c in pending][:20]} "
                    f"(prompts {[c['prompt'] for c in pending][:5]})")
            time.sleep(0.25)
        self.run_seconds = time.monotonic() - t0
        self._wait_mathjax()
        st = self._cell_status()
        self.report = page.evaluate(JS_PROBLEMS)
        self.report["n_code_cells"] = len(st["cells"])
        self.report["not_run"] = [c["i"] for c in st["cells"]
                                  if not c["empty"] and not re.fullmatch(r"\[\d+\]:", c["prompt"])]
        self.report["kernel"] = st["kernel"]
        self.report["kernel_dialog"] = self.kernel_dialog
        return self.report

    def _wait_mathjax(self, timeout: float = 20.0):
        """Wait until the count of typeset formulas stops changing."""
        last, stable_since = -1, time.monotonic()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            n = self.page.evaluate("() => document.querySelectorAll('mjx-container').length")
            if n != last:
                last, stable_since = n, time.monotonic()
            elif time.monotonic() - stable_since > 1.0:
                return
            time.sleep(0.2)

    def close(self):
        try:
            self.context.close()
        finally:
            self.server.shutdown_kernels(self.rel)

    # -- explorers -------------------------------------------------------------------------------
    def explorers(self) -> list[dict]:
        return self.page.evaluate(JS_EXPLORERS)

    def explorer_state(self, index: int) -> dict:
        return self.page.evaluate(JS_EXPLORER_STATE, index)

    def explorer_layout(self, index: int) -> dict:
        """The explorer scrolled to the top of the notebook's visible area, and how it fits there."""
        self.page.evaluate("(el) => el.scrollIntoView({block: 'start'})", self.explorer_locator(index).element_handle())
        time.sleep(0.3)
        return self.page.evaluate(JS_EXPLORER_LAYOUT, index)

    def explorer_locator(self, index: int):
        return self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .book-explorer").nth(index)

    def screenshot_explorer(self, index: int, path) -> None:
        """Save a PNG of one explorer; the viewport grows for the time of the shot when the
        explorer is taller than it (an element screenshot is cut to the viewport)."""
        loc = self.explorer_locator(index)
        loc.scroll_into_view_if_needed()
        box = loc.bounding_box()
        viewport = dict(self.page.viewport_size)
        need = int(box["height"]) + 250 if box else 0
        if need > viewport["height"]:
            self.page.set_viewport_size({"width": viewport["width"], "height": need})
            time.sleep(0.5)
            loc.scroll_into_view_if_needed()
        time.sleep(0.2)
        try:
            loc.screenshot(path=str(path), animations="disabled")
        finally:
            if need > viewport["height"]:
                self.page.set_viewport_size(viewport)

    def press(self, index: int, control: int, key: str = "ArrowRight"):
        """Focus a slider's handle and press a key."""
        handle = self.page.evaluate_handle(JS_CONTROL_HANDLE, [index, control]).as_element()
        if handle is None:
            raise LookupError(f"control {control} of explorer {index} has no slider handle")
        handle.scroll_into_view_if_needed()
        handle.focus()
        self.page.keyboard.press(key)

    def watch(self, index: int):
        self.page.evaluate(JS_WATCH, index)

    def marks(self) -> dict:
        return self.page.evaluate("() => window.__bookMark")

    def wait_redraw(self, index: int, before: dict, timeout: float = 30.0) -> dict:
        """Wait until the image or the readout of an explorer differs from ``before``."""
        deadline = time.monotonic() + timeout
        while True:
            now = self.explorer_state(index)
            if now["src"] != before["src"] or now["readout"] != before["readout"]:
                # the readout is written before the image: once the image changed, both are new
                if now["src"] != before["src"]:
                    return now
                # readout changed; give the image a moment to follow
                end = time.monotonic() + 1.5
                while time.monotonic() < end:
                    again = self.explorer_state(index)
                    if again["src"] != before["src"]:
                        return again
                    time.sleep(0.05)
                return self.explorer_state(index)
            if time.monotonic() > deadline:
                return now
            time.sleep(0.03)
