"""Sphinx extension that turns the stored chapter notebooks into web pages readable without a kernel.

- ``read_notebook`` is the notebook reader myst-nb uses for every ``.ipynb`` (``nb_custom_formats``
  in ``conf.py``). It works on the notebook in memory; the files are never changed. Each widget
  output keeps its stored picture (its live view needs a kernel) and gets a line under it saying
  what the widget does and how to run it live; widget outputs without a picture (progress bars)
  are dropped; the notebook's saved widget state is not embedded.
- Every picture gets its alt text from ``book_figures.ALT_TEXT`` (or from the cell's own
  ``mystnb.image.alt`` metadata); the build fails with a list of the pictures that have none.
- MathJax 3 is served from the site itself (the files of the ``sphinx-mathjax-offline`` package),
  so the pages render their formulas with no network.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import importlib.metadata
import os
import shutil
from pathlib import Path

import nbformat
from docutils import nodes
from sphinx.errors import ExtensionError

import book_figures
from helpers._book import BOOK, widget_class

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_SUFFIX = " (interactive; the picture shows its initial state)"

#: the parts of MathJax 3 the pages use: the TeX-to-HTML bundle, the TeX extensions it loads on
#: demand, its fonts, and the menu with its accessibility parts
MATHJAX_PARTS = ["tex-chtml.js", "input/tex/extensions", "output/chtml/fonts/woff-v2", "ui", "a11y"]
MATHJAX_URL = "mathjax/tex-chtml.js"

#: alt text of every picture seen while reading, by the SHA-256 of the PNG (myst-nb names each
#: written picture by that hash); a picture without one maps to None
_ALT_BY_HASH: dict[str, str | None] = {}
#: where each picture without alt text is, for the error message
_MISSING: dict[str, str] = {}


def _alt_texts_by_cell():
    flat = {}
    for chapter, cells in book_figures.ALT_TEXT.items():
        for cell_id, alt in cells.items():
            if cell_id in flat:
                raise ExtensionError(f"book_figures.ALT_TEXT: cell id {cell_id!r} appears twice "
                                     f"(in {flat[cell_id][0]} and {chapter})")
            flat[cell_id] = (chapter, [alt] if isinstance(alt, str) else list(alt))
    return flat


@functools.cache
def widget_does() -> dict[str, str]:
    """What each widget lets the reader do (book.toml), by its title (what it stores beside its picture)."""
    return {widget_class(name).title: does for name, does in BOOK.widgets.items()}


def widget_note(name: str) -> str:
    """The line under a widget's picture: what it does and how to run it live."""
    what = widget_does().get(name)
    if what is None:
        raise ExtensionError(f"book.toml has no widget titled {name!r}; it has {sorted(widget_does())}")
    return (":::{container} book-widget-note\n"
            f"**Interactive in JupyterLab.** The {name.lower()}: {what}. The picture above is what "
            f"the chapter's cell first shows; to move it, run the book live with `{book_figures.LIVE_COMMAND}` "
            "and run this chapter's cells.\n"
            ":::")


def read_notebook(text: str) -> nbformat.NotebookNode:
    """Read a stored notebook for the website: widgets become their pictures plus a note."""
    nb = nbformat.reads(text, as_version=4)
    nb.metadata.pop("widgets", None)            # saved widget state: no live widgets on the site
    alt_by_cell = _alt_texts_by_cell()
    cells = []
    for cell in nb.cells:
        cells.append(cell)
        if cell.cell_type != "code":
            continue
        own_alt = cell.metadata.get("mystnb", {}).get("image", {}).get("alt")
        listed = alt_by_cell.get(cell.get("id"), (None, []))[1]
        outputs, widget_names, pictures = [], [], 0
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if WIDGET_MIME in data:
                data.pop(WIDGET_MIME)
                if "image/png" not in data:
                    continue                    # a progress bar: nothing to show without a kernel
                name = data.get("text/plain", "").removesuffix(WIDGET_SUFFIX)
                widget_names.append(name)
                alt = own_alt or (f"Picture of the {name.lower()}'s figure as the chapter's cell first shows it. "
                                  f"In JupyterLab you can {widget_does().get(name, '')}.")
            elif "image/png" in data:
                alt = own_alt or (listed[pictures] if pictures < len(listed) else None)
                pictures += 1
            else:
                outputs.append(out)
                continue
            digest = hashlib.sha256(base64.b64decode(data["image/png"])).hexdigest()
            _ALT_BY_HASH[digest] = alt
            if alt is None:
                first_line = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
                _MISSING[digest] = f"cell {cell.get('id')} (picture {pictures}): {first_line[:70]}"
            outputs.append(out)
        cell.outputs = outputs
        for name in widget_names:
            cells.append(nbformat.v4.new_markdown_cell(widget_note(name)))
    nb.cells = cells
    return nb


def apply_alt_text(app, doctree):
    """Give every notebook picture its alt text; record the pictures that have none."""
    docname = app.env.docname
    for image in doctree.findall(nodes.image):
        digest = Path(image["uri"]).stem
        if digest not in _ALT_BY_HASH:
            continue
        alt = _ALT_BY_HASH[digest]
        if image.get("alt"):
            continue
        if alt:
            image["alt"] = alt
        else:
            app.env.book_missing_alt = getattr(app.env, "book_missing_alt", {})
            app.env.book_missing_alt[digest] = f"{docname}: {_MISSING.get(digest, '?')}"


def check_alt_text(app, env):
    missing = getattr(env, "book_missing_alt", {})
    if missing:
        raise ExtensionError("pictures without alt text (add them to site/book_figures.py "
                             "ALT_TEXT, by chapter and cell id):\n  " + "\n  ".join(sorted(missing.values())))


def mathjax_dir() -> Path:
    """Where the ``sphinx-mathjax-offline`` package keeps the MathJax 3 files."""
    dist = importlib.metadata.distribution("sphinx-mathjax-offline")
    return Path(dist.locate_file("sphinx-mathjax-offline")) / "static" / "mathjax"


def finish_static(app, exception):
    """Copy MathJax into the site; drop the themes' source maps (3 MB only a debugger reads) and
    the Jinja macro files they copy into ``_static`` (templates, not pages)."""
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    for leftover in [*static.rglob("*.map"), *static.glob("*macros.html")]:
        leftover.unlink()
    src, dest = mathjax_dir(), Path(app.outdir) / "_static" / "mathjax"
    for part in MATHJAX_PARTS:
        if (src / part).is_dir():
            shutil.copytree(src / part, dest / part, dirs_exist_ok=True)
        else:
            os.makedirs((dest / part).parent, exist_ok=True)
            shutil.copy2(src / part, dest / part)


def setup(app):
    if not (mathjax_dir() / "tex-chtml.js").is_file():
        raise ExtensionError("MathJax 3 not found: install the site's dependencies "
                             "(python -m pip install -e \".[site]\")")
    app.config.mathjax_path = MATHJAX_URL
    app.connect("doctree-read", apply_alt_text)
    app.connect("env-updated", check_alt_text)
    app.connect("build-finished", finish_static)
    app.add_css_file("book.css")
    return {"version": "1", "parallel_read_safe": False, "parallel_write_safe": True}
