"""Sphinx configuration of the book's website. Build it with ``python site/build.py``.

The sources are the stored notebooks, read as they are (no re-execution): ``build.py`` lays out
a source folder of links to ``notebooks/``, ``nbgrader_solutions/`` and the pages in ``site/``.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from helpers._book import BOOK  # noqa: E402

project = "From the dot product to backpropagation through softmax"
author = "the authors of the book"
copyright = "the authors of the book; text and figures CC BY 4.0, code MIT"

extensions = ["myst_nb", "book_site"]
root_doc = "index"
include_patterns = [
    "index.md",
    "exercises.md",
    "teaching.md",
    "notebooks/notation.md",
    *(f"notebooks/{stem}.ipynb" for stem in BOOK.notebook_stems),    # the book's manifest, book.toml
    *(str(c.student_notebook(Path())) for c in BOOK.chapters),
]
del BOOK
exclude_patterns = ["**/.ipynb_checkpoints"]
suppress_warnings = ["myst.header"]   # chapters number their own sections ("## 7.1 ...")

# myst-nb: the stored outputs are the book's validated outputs; nothing is executed
nb_execution_mode = "off"
nb_custom_formats = {".ipynb": ["book_site.read_notebook", {}, False]}
nb_ipywidgets_js = {}                 # no widget JavaScript (it would come from another host)
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3

# the page
html_theme = "sphinx_book_theme"
html_title = "From the dot product to backpropagation"
html_static_path = ["_static"]
html_last_updated_fmt = None
html_show_sourcelink = False
html_copy_source = True               # the download button offers each page's .ipynb
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "use_download_button": True,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "article_header_end": ["article-header-buttons"],
}
html_context = {"default_mode": "auto"}   # light or dark, as the reader's system prefers
html_favicon = "_static/favicon.svg"
