"""Build the book's website and its PDF from the stored notebooks, with no re-execution.

    python site/build.py                  # site/_build/html/ and site/_build/book.pdf
    python site/build.py --html-only      # only the website
    python site/build.py --out DIR        # build into DIR instead of site/_build

The website is Sphinx with myst-nb (``site/conf.py``); its formulas are rendered by a copy of
MathJax 3 inside the site, so it works from disk or any local server with no network. The PDF is
the same book printed by headless Chromium (``/usr/bin/chromium``, or ``BOOK_CHROMIUM``) from
Sphinx's single-page edition: chapters in order, a table of contents with page numbers, an outline,
formulas rendered, long code lines wrapped.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from helpers._book import BOOK, CHROMIUM, CHROMIUM_ARGS

SITE = Path(__file__).resolve().parent
ROOT = SITE.parent
DEFAULT_OUT = SITE / "_build"

#: the Sphinx source folder: where each file comes from (relative to the repository); the chapters
#: and their exercises are those of the book's manifest, book.toml
SOURCES = {
    ".": ["site/index.md", "site/exercises.md", "site/teaching.md"],
    "notebooks": [*(f"notebooks/{stem}.ipynb" for stem in BOOK.notebook_stems), "notebooks/notation.md"],
    "notebooks/exercises": [str(c.student_notebook(Path())) for c in BOOK.chapters],
    "nbgrader_solutions": ["nbgrader_solutions/TEACHING.md"],
}

def stage_sources(out: Path) -> Path:
    """Copy the book's sources into one Sphinx source folder, so the site's pages sit at its root
    and the chapters' relative links (``exercises/...``, ``notation.md``) resolve as they do in the
    repository. Copies keep their modification times, so an unchanged page is not read again."""
    src = out / "src"
    if src.exists():
        shutil.rmtree(src)
    for dest, patterns in SOURCES.items():
        base = ROOT / ("site" if dest == "." else dest)
        for pattern in patterns:
            files = sorted(ROOT.glob(pattern))
            if not files:
                raise SystemExit(f"{pattern} is missing: the site has nothing to build it from")
            for f in files:
                target = src / dest / f.relative_to(base)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(f, target)
    return src


def sphinx(builder: str, src: Path, dest: Path, doctrees: Path, fresh: bool) -> None:
    """Run sphinx-build; any warning fails the build. ``fresh`` reads every source again (a page
    read in an earlier run would otherwise not repeat its warnings)."""
    from sphinx.cmd.build import build_main

    args = ["-b", builder, "-c", str(SITE), "-d", str(doctrees), "-W", "--keep-going", "-q",
            *(["-E"] if fresh else []), str(src), str(dest)]
    code = build_main(args)
    if code != 0:
        raise SystemExit(f"sphinx-build -b {builder} failed (exit code {code}); see the messages above")


def build_html(out: Path = DEFAULT_OUT) -> Path:
    """Build the website into ``out/html`` and return that folder."""
    src = stage_sources(out)
    html = out / "html"
    sphinx("html", src, html, out / "doctrees", fresh=True)
    return html


def build_pdf(out: Path = DEFAULT_OUT) -> Path:
    """Build ``out/book.pdf`` (needs the sources staged by :func:`build_html`) and return it."""
    from book_pdf import print_book

    single = out / "singlehtml"
    sphinx("singlehtml", out / "src", single, out / "doctrees", fresh=False)
    pdf = out / "book.pdf"
    print_book(single / "index.html", pdf, CHROMIUM, CHROMIUM_ARGS)
    return pdf


def build(out: Path = DEFAULT_OUT, pdf: bool = True) -> dict:
    """Build the website and (unless ``pdf`` is False) the PDF; return what was built and how long
    each took."""
    sys.path.insert(0, str(SITE))
    out = Path(out).resolve()
    t0 = time.perf_counter()
    html = build_html(out)
    result = {"html": html, "html_seconds": time.perf_counter() - t0}
    if pdf:
        t1 = time.perf_counter()
        result["pdf"] = build_pdf(out)
        shutil.copy2(result["pdf"], html / "book.pdf")   # the site links to its own copy
        result["pdf_seconds"] = time.perf_counter() - t1
    return result


def _size(path: Path) -> int:
    return path.stat().st_size if path.is_file() else sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: site/_build)")
    parser.add_argument("--html-only", action="store_true", help="build the website but not the PDF")
    args = parser.parse_args(argv)
    result = build(args.out, pdf=not args.html_only)
    html = result["html"]
    print(f"website: {html / 'index.html'} ({_size(html) / 2**20:.1f} MiB, built in {result['html_seconds']:.0f} s)")
    if "pdf" in result:
        print(f"PDF:     {result['pdf']} ({_size(result['pdf']) / 2**20:.1f} MiB, "
              f"built in {result['pdf_seconds']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
