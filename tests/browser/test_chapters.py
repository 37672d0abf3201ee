"""Every chapter opens in JupyterLab and runs all its cells cleanly in a real browser.

For each chapter of the book's manifest (``book.toml``): open it, Run All from the Run menu, wait
until the kernel is idle and every code cell has an execution count, then require no error or
stderr output, no widget that failed to display, no MathJax error (``mjx-merror``) and no
kernel-selection dialog.

Run: ``python -m pytest tests/browser -v`` (see conftest.py).
"""

import pytest

from . import booklab

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("chapter", booklab.chapter_names())
def test_chapter_runs_all_cells_cleanly(chapter, chapters):
    ch = chapters.get(chapter)
    assert ch.kernel_dialog is None, f"{chapter}: JupyterLab asked for a kernel: {ch.kernel_dialog!r}"
    report = ch.report
    problems = []
    for kind, label in (("errors", "error output"), ("stderr", "stderr output"),
                        ("widget_errors", "widget display error"), ("mathjax", "MathJax error")):
        for item in report[kind]:
            problems.append(f"{label} in cell {item['cell']}: {item['text'][:600]}")
    if report["not_run"]:
        problems.append(f"code cells without an execution count: {report['not_run']}")
    if report["kernel"] != "idle":
        problems.append(f"kernel status {report['kernel']!r} after the run")
    if report["dialogs"]:
        problems.append(f"dialogs open: {report['dialogs']}")
    assert not problems, f"{chapter}:\n" + "\n".join(problems)


def test_file_browser_lists_each_chapter_once_and_no_news_popup(chapters):
    """The book's JupyterLab configuration (``.jupyter/``, used by the README's command) hides the
    MyST twins from the file browser, shows each chapter's whole file name (wrapped, never cut
    short, even at 1024 px) and switches JupyterLab's news pop-up off."""
    page = chapters.get(booklab.chapter_names()[0]).page
    names = page.evaluate(
        "() => [...document.querySelectorAll('.jp-FileBrowser .jp-DirListing-item .jp-DirListing-itemText')]"
        ".map(e => e.textContent.trim())")
    problems = []
    for chapter in booklab.chapter_names():
        entries = [n for n in names if n.startswith(chapter)]
        if len(entries) != 1:
            problems.append(f"{chapter}: {len(entries)} entries in the file browser: {entries}")
    viewport = dict(page.viewport_size)
    page.set_viewport_size({"width": 1024, "height": 700})
    try:
        page.wait_for_timeout(300)
        cut = page.evaluate(
            "() => [...document.querySelectorAll('.jp-FileBrowser .jp-DirListing-itemText')]"
            ".filter(e => e.scrollWidth > e.clientWidth + 1 || e.textContent.includes('\u2026'))"
            ".map(e => `${e.textContent.trim()} (${e.scrollWidth} > ${e.clientWidth} px)`)")
    finally:
        page.set_viewport_size(viewport)
    problems += [f"name cut short at 1024 px: {c}" for c in cut]
    toasts = page.evaluate("() => [...document.querySelectorAll('.Toastify__toast')].map(e => e.textContent)")
    problems += [f"pop-up: {t[:120]!r}" for t in toasts if "news" in t.lower()]
    assert not problems, f"file browser shows {names}:\n" + "\n".join(problems)


@pytest.mark.parametrize("chapter", [name for name in booklab.chapter_names() if name.startswith("08_")])
def test_the_training_progress_bar_fills_after_run_all(chapter, chapters):
    """Chapter 8 shows ``MLP.fit``'s progress bar once: after Run All it is a live widget, full, with the
    last epoch's loss beside it (read without a kernel, the same output is one line of text)."""
    page = chapters.get(chapter).page
    bars = page.evaluate("""() => [...document.querySelectorAll('.jp-CodeCell')]
        .filter(cell => cell.querySelector('.jp-InputArea').innerText.includes('one_call.fit('))
        .map(cell => {
            const bar = cell.querySelector('.jp-OutputArea .widget-hprogress .progress-bar');
            const label = cell.querySelector('.jp-OutputArea div.widget-label');  // beside the bar, not its title
            return {width: bar ? bar.style.width : null, label: label ? label.textContent : null};
        })""")
    assert len(bars) == 1, f"{chapter}: {len(bars)} cells call one_call.fit"
    assert bars[0]["width"] == "100%", f"{chapter}: the progress bar is not full: {bars[0]}"
    assert (bars[0]["label"] or "").startswith("loss "), f"{chapter}: no loss beside the bar: {bars[0]}"


def test_the_side_experiments_open_with_every_stored_output_shown(lab_server, browser):
    """Section 8.13's notebook, the companion of chapter 8 (not a chapter of the manifest), opens in
    JupyterLab as a reader finds it, with its stored outputs: every stored figure is drawn, every
    formula typeset without a MathJax error, no error or stderr output and no dialog. Running it
    takes chapter 8 from the top first; nbval runs it in full."""
    import json

    path = booklab.notebooks_folder() / "08b_side_experiments.ipynb"
    stored = json.loads(path.read_text(encoding="utf-8"))
    n_figures = sum("image/png" in out.get("data", {}) for cell in stored["cells"] for out in cell.get("outputs", []))
    assert n_figures > 0, f"{path.name} stores no figure"
    page = booklab.Chapter(lab_server, browser, path)
    try:
        page.open()
        assert page.kernel_dialog is None, f"{path.name}: JupyterLab asked for a kernel: {page.kernel_dialog!r}"
        page._wait_mathjax()
        report = page.page.evaluate(booklab.JS_PROBLEMS)
        shown = page.page.evaluate(
            "() => document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-RenderedImage img').length")
        formulas = page.page.evaluate(
            "() => document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) mjx-container').length")
    finally:
        page.close()
    problems = [f"{kind} in cell {item['cell']}: {item['text'][:300]}"
                for kind in ("errors", "stderr", "mathjax", "widget_errors") for item in report[kind]]
    problems += [f"dialog open: {d[:200]}" for d in report["dialogs"]]
    if shown != n_figures:
        problems.append(f"{shown} figures drawn, {n_figures} stored")
    if formulas < 50:
        problems.append(f"only {formulas} formulas typeset")
    assert not problems, f"{path.name}:\n" + "\n".join(problems)
