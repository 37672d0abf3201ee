"""The book's website and PDF (``python site/build.py``): built once per session into a temporary
folder, then checked as a reader would meet them.

- In headless Chromium, every page loads from a local server with no console error, no failed
  request, no request to another host, no MathJax error (``mjx-merror``), no TeX left unrendered
  and every picture loaded; a chapter opened straight from disk (``file://``) renders too; the
  search finds chapters.
- Every internal link and anchor resolves; nothing is loaded from another host.
- Every picture has alt text, and every widget shows its picture with the line that says how to
  run it live.
- The PDF holds every chapter in order, each where its table of contents and its outline say, and
  no TeX source of the text.

``BOOK_SITE_DIR=<folder>`` checks an existing build (``python site/build.py --out <folder>``)
instead of building. ``BOOK_SITE_SCREENSHOTS=1`` (or ``--screenshots`` when the browser tests are
collected too) saves pictures of a chapter page to ``notebooks/images/site_*.png``. Without Chromium
the browser and PDF tests skip, unless ``BOOK_REQUIRE_BROWSER=1``.
"""

from __future__ import annotations

import html
import html.parser
import importlib.util
import io
import json
import os
import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest

from browser import booklab
from helpers._book import BOOK

# Sphinx, myst-nb and pypdf announce their own API changes while the site builds
pytestmark = [
    pytest.mark.book,
    pytest.mark.filterwarnings("ignore::PendingDeprecationWarning", "ignore::DeprecationWarning"),
]

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = BOOK.notebook_stems  # the book's manifest, book.toml: the chapters and the notebooks continuing them
NOTEBOOKS = ROOT / "notebooks"
IMAGES = NOTEBOOKS / "images"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
SCREENSHOT_PAGE = "notebooks/07_softmax_cross_entropy.html"
SCREENSHOT_SIZES = [(1024, 700), (1400, 900)]


def _load(name: str):
    """A module of ``site/`` (a folder whose name Python's own ``site`` module takes)."""
    spec = importlib.util.spec_from_file_location(f"book_site_{name}", ROOT / "site" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _browser_or_skip():
    reason = booklab.browser_unavailable_reason()
    if reason:
        if booklab.browser_required():
            pytest.fail(f"{booklab.REQUIRE_ENV}=1 but the site's browser tests cannot run: {reason}",
                        pytrace=False)
        pytest.skip(f"site browser tests skipped: {reason}")


@pytest.fixture(scope="session")
def site_build(tmp_path_factory):
    """The folder holding ``html/`` and (when Chromium is there) ``book.pdf``."""
    given = os.environ.get("BOOK_SITE_DIR")
    if given:
        out = Path(given).resolve()
        assert (out / "html" / "index.html").is_file(), f"BOOK_SITE_DIR={given} holds no html/index.html"
        return out
    out = tmp_path_factory.mktemp("site")
    with_pdf = booklab.browser_unavailable_reason() is None
    _load("build").build(out, pdf=with_pdf)
    return out


@pytest.fixture(scope="session")
def html_dir(site_build) -> Path:
    return site_build / "html"


@pytest.fixture(scope="session")
def pages(html_dir) -> list[Path]:
    found = sorted(p for p in html_dir.rglob("*.html") if p.relative_to(html_dir).parts[0] != "_static")
    assert len(found) >= len(CHAPTERS) + 4, f"only {len(found)} pages built in {html_dir}"
    return found


class _Page(html.parser.HTMLParser):
    """What the checks need from one HTML page: ids, links, resources and images."""

    def __init__(self):
        super().__init__()
        self.ids, self.links, self.resources, self.images = set(), [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        if tag == "a" and a.get("href") is not None:
            self.links.append(a["href"])
        for key in ("src", "data-src", "poster"):
            if a.get(key):
                self.resources.append((tag, a[key]))
        if tag == "link" and a.get("href") and a.get("rel", "") != "canonical":
            self.resources.append((tag, a["href"]))
        if tag == "img":
            self.images.append(a)


def _parse(path: Path) -> _Page:
    parser = _Page()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _chapter_title(stem: str) -> str:
    nb = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "markdown")
    return first.source.strip().splitlines()[0].lstrip("#").strip()


def _widget_pictures(stem: str) -> int:
    nb = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
    return sum(1 for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
               if WIDGET_MIME in o.get("data", {}) and "image/png" in o.get("data", {}))


# ---------------------------------------------------------------- the HTML, read as files


def test_every_chapter_notation_exercises_and_teaching_are_pages(html_dir):
    expected = [f"notebooks/{stem}.html" for stem in CHAPTERS] + [
        "index.html", "notebooks/notation.html", "exercises.html", "teaching.html", "search.html"]
    expected += [f"notebooks/exercises/{c.assignment}/{Path(c.notebook).stem}.html" for c in BOOK.chapters]
    missing = [page for page in expected if not (html_dir / page).is_file()]
    assert not missing, f"pages missing from the site: {missing}"
    teaching = (ROOT / "nbgrader_solutions" / "TEACHING.md").read_text(encoding="utf-8")
    first_heading = next(line for line in teaching.splitlines() if line.startswith("# "))[2:].strip()
    assert first_heading in (html_dir / "teaching.html").read_text(encoding="utf-8"), \
        "teaching.html does not show nbgrader_solutions/TEACHING.md"


def test_every_internal_link_and_anchor_resolves(html_dir, pages):
    parsed = {page: _parse(page) for page in pages}
    broken = []
    for page, info in parsed.items():
        for href in info.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            rel = page.relative_to(html_dir)
            if not target.is_file():
                broken.append(f"{rel}: {href} (no such file)")
            elif parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{rel}: {href} (no id {parts.fragment!r} in {target.name})")
    assert not broken, f"{len(broken)} broken internal links:\n" + "\n".join(broken[:40])


def test_nothing_is_loaded_from_another_host(html_dir, pages):
    outside = []
    for page in pages:
        for tag, url in _parse(page).resources:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https") or url.startswith("//"):
                outside.append(f"{page.relative_to(html_dir)}: <{tag}> {url}")
    assert not outside, "resources from another host:\n" + "\n".join(outside[:40])
    mathjax = html_dir / "_static" / "mathjax" / "tex-chtml.js"
    assert mathjax.is_file() and mathjax.stat().st_size > 500_000, "MathJax is not bundled in the site"


def test_every_image_has_alt_text(html_dir, pages):
    images, without = 0, []
    for page in pages:
        for img in _parse(page).images:
            images += 1
            if not (img.get("alt") or "").strip():
                without.append(f"{page.relative_to(html_dir)}: {img.get('src')}")
    assert images >= 30, f"only {images} images on the site"
    assert not without, f"{len(without)} images without alt text:\n" + "\n".join(without)


@pytest.mark.parametrize("stem", CHAPTERS)
def test_every_widget_shows_its_picture_and_how_to_run_it(html_dir, stem):
    text = (html_dir / "notebooks" / f"{stem}.html").read_text(encoding="utf-8")
    expected = _widget_pictures(stem)
    notes = re.findall(r'class="[^"]*book-widget-note[^"]*"', text)
    assert len(notes) == expected, f"{stem}: {expected} widget pictures but {len(notes)} notes"
    if expected:
        words = html.unescape(re.sub(r"<[^>]+>", "", text))
        live = _load("book_figures").LIVE_COMMAND
        assert words.count(live) >= expected, f"{stem}: a widget note lacks the command {live!r}"
        assert text.count("Picture of the ") >= expected, f"{stem}: a widget picture lacks its alt text"
    assert WIDGET_MIME not in text and "widget-view" not in text, f"{stem}: a live widget view was embedded"


@pytest.mark.parametrize("stem", CHAPTERS)
def test_folded_answers_stay_folded(html_dir, stem):
    nb = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
    folded = sum(len(re.findall(r"<details\b", c.source)) for c in nb.cells if c.cell_type == "markdown")
    opened = sum(len(re.findall(r"<details\b[^>]*\bopen\b", c.source)) for c in nb.cells
                 if c.cell_type == "markdown")
    page = (html_dir / "notebooks" / f"{stem}.html").read_text(encoding="utf-8")
    text = re.search(r'<article class="bd-article">(.*)</article>', page, re.S).group(1)
    text = re.sub(r'<details class="[^"]*\bhide\b[^"]*">', "", text)   # code cells tagged hide-input
    assert len(re.findall(r"<details\b", text)) == folded, f"{stem}: not every <details> reached the page"
    assert len(re.findall(r"<details\b[^>]*\bopen\b", text)) == opened, f"{stem}: an answer is unfolded"


# ---------------------------------------------------------------- in Chromium


@pytest.fixture(scope="module")
def site_browser():
    """One Chromium for this module, closed when it ends: Playwright's sync API allows one
    running instance per thread, and the JupyterLab browser tests start their own after these."""
    _browser_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = booklab.launch_browser(p)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def site_url(html_dir):
    with _load("book_pdf").serve(html_dir) as base:
        yield base


PAGE_REPORT_JS = """
async () => {
  if (document.querySelector('script[src*="mathjax"]')) {
    for (let i = 0; i < 600 && !(window.MathJax && MathJax.startup && MathJax.startup.promise); i++)
      await new Promise(r => setTimeout(r, 50));
    await MathJax.startup.promise;
  }
  await Promise.all([...document.images].map(img => { img.loading = 'eager';
                                                      return img.decode().catch(() => null); }));
  const article = document.querySelector('article') || document.body;
  const copy = article.cloneNode(true);
  copy.querySelectorAll('pre, code, .highlight, script, style, mjx-container').forEach(e => e.remove());
  return {
    merror: document.querySelectorAll('mjx-merror').length,
    math: document.querySelectorAll('mjx-container').length,
    mathSources: document.querySelectorAll('.math').length,
    brokenImages: [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src),
    text: copy.textContent,
  };
}
"""

#: TeX that must never reach a reader as text (outside code)
TEX_LEFTOVERS = re.compile(r"\$\$|\\\(|\\\[|\\frac|\\begin\{|\\end\{|\\partial|\\sigma|\\delta|\\top")


def _open(browser, url, viewport=(1400, 900), color_scheme="light"):
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]}, color_scheme=color_scheme)
    events = {"errors": [], "outside": [], "failed": []}
    base = urlsplit(url)
    page.on("console", lambda m: events["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: events["errors"].append(str(e)))

    def on_request(request):
        parts = urlsplit(request.url)
        if parts.scheme not in ("data", "blob", "about") and parts.netloc != base.netloc:
            events["outside"].append(request.url)

    page.on("request", on_request)
    page.on("requestfailed", lambda r: events["failed"].append(f"{r.url} ({r.failure})"))
    page.on("response", lambda r: events["failed"].append(f"{r.url} ({r.status})") if r.status >= 400 else None)
    page.goto(url, wait_until="load", timeout=60_000)
    report = page.evaluate(PAGE_REPORT_JS)
    return page, events, report


def test_every_page_loads_in_chromium_without_errors_outside_requests_or_unrendered_math(
        site_browser, site_url, html_dir, pages):
    problems, pages_with_math = [], 0
    for path in pages:
        rel = path.relative_to(html_dir).as_posix()
        page, events, report = _open(site_browser, site_url + rel)
        page.close()
        for kind in ("errors", "outside", "failed"):
            problems += [f"{rel}: {kind}: {item}" for item in events[kind]]
        if report["merror"]:
            problems.append(f"{rel}: {report['merror']} MathJax errors (mjx-merror)")
        if report["mathSources"] and report["math"] < report["mathSources"]:
            problems.append(f"{rel}: {report['mathSources']} formulas but only {report['math']} typeset")
        pages_with_math += report["math"] > 0
        problems += [f"{rel}: picture not loaded: {src}" for src in report["brokenImages"]]
        leftover = TEX_LEFTOVERS.search(report["text"])
        if leftover:
            around = report["text"][max(0, leftover.start() - 60): leftover.end() + 60]
            problems.append(f"{rel}: unrendered TeX {leftover.group()!r} in ...{around!r}...")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:60])
    assert pages_with_math >= len(CHAPTERS), f"formulas typeset on only {pages_with_math} pages"


def test_a_chapter_opened_from_disk_renders_its_formulas(site_browser, html_dir):
    url = (html_dir / "notebooks" / f"{BOOK.chapter(7).stem}.html").as_uri()
    page, events, report = _open(site_browser, url)
    page.close()
    outside = [u for u in events["outside"] if not u.startswith("file://")]
    assert not events["errors"], events["errors"]
    assert not outside, f"requests to other hosts from a page opened from disk: {outside}"
    assert report["merror"] == 0 and report["math"] >= report["mathSources"] > 50, report


def test_search_finds_the_chapters_on_a_word(site_browser, site_url):
    page, events, report = _open(site_browser, site_url + "search.html?q=Jacobian")
    page.wait_for_selector("#search-results ul li", timeout=30_000)
    page.wait_for_function("() => document.querySelector('#search-results p.search-summary')"
                           " && !/Searching/.test(document.querySelector('#search-results h2').textContent)",
                           timeout=30_000)
    found = page.eval_on_selector_all("#search-results ul li a", "links => links.map(a => a.href)")
    page.close()
    assert not events["errors"], events["errors"]
    for stem in ("05_matrix_calculus_backprop", "07_softmax_cross_entropy"):
        assert any(f"notebooks/{stem}.html" in url for url in found), f"search for Jacobian misses {stem}: {found}"


def test_screenshots_of_a_chapter_page(site_browser, site_url, request):
    """Pictures of the site for the README, light and dark at two window sizes. Saved only with
    ``BOOK_SITE_SCREENSHOTS=1`` or ``--screenshots``; otherwise one size is taken and checked."""
    save = os.environ.get("BOOK_SITE_SCREENSHOTS", "") not in ("", "0") or \
        request.config.getoption("--screenshots", default=False)
    shots = {}
    views = [(w, h, scheme) for w, h in SCREENSHOT_SIZES for scheme in ("light", "dark")]
    for width, height, scheme in views if save else views[:2]:
        page, events, report = _open(site_browser, site_url + SCREENSHOT_PAGE, (width, height), scheme)
        assert page.evaluate("document.documentElement.dataset.theme") == scheme
        # the page's first widget: its code, its stored picture and the line under it
        page.evaluate("""() => {
            const note = document.querySelector('.book-widget-note');
            const cell = note.previousElementSibling;
            (cell || note).scrollIntoView({block: 'start'});
            window.scrollBy(0, -40);
        }""")
        page.wait_for_timeout(200)
        shots[(width, height, scheme)] = page.screenshot()
        page.close()
    assert all(len(png) > 10_000 for png in shots.values())
    if save:
        for (width, height, scheme), png in shots.items():
            (IMAGES / f"site_{width}x{height}_{scheme}.png").write_bytes(png)



def test_figures_sit_on_dark_paper_in_the_dark_theme(site_browser, site_url):
    """In the site's dark theme the chapters' figures (white paper) are shown inverted, as in
    JupyterLab's dark theme: none is a bright rectangle on the dark page."""
    page, events, report = _open(site_browser, site_url + SCREENSHOT_PAGE, (1024, 700), "dark")
    try:
        figures = page.locator("div.cell_output img")
        assert figures.count() > 0, f"{SCREENSHOT_PAGE}: no figure"
        bright = []
        for i in range(figures.count()):
            shot = figures.nth(i).screenshot()
            brightness = booklab.mean_brightness(shot)
            if brightness >= 110:
                bright.append(f"figure {i + 1}: mean brightness {brightness:.0f}/255")
        assert not bright, "bright figures in the dark theme:\n" + "\n".join(bright)
    finally:
        page.close()


# ---------------------------------------------------------------- the PDF


@pytest.fixture(scope="session")
def book_pdf(site_build):
    _browser_or_skip()
    path = site_build / "book.pdf"
    assert path.is_file(), f"no PDF in {site_build}"
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(path.read_bytes()))


@pytest.fixture(scope="session")
def pdf_texts(book_pdf) -> list[str]:
    """The text of every page, whitespace collapsed."""
    return [_normal(page.extract_text() or "") for page in book_pdf.pages]


def _normal(text: str) -> str:
    """Whitespace collapsed and ligatures (the PDF's "ﬁ") spelled out."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def test_pdf_has_every_chapter_in_order_where_its_contents_and_outline_say(book_pdf, pdf_texts):
    titles = [_chapter_title(stem) for stem in CHAPTERS]
    texts = pdf_texts
    outline = [item for item in book_pdf.outline if not isinstance(item, list)]
    outline_titles = [_normal(item.title) for item in outline]
    assert "Notation" in outline_titles and "Teaching with this book" in outline_titles
    # the pages before the first part: title page and contents, read as laid out (the page numbers
    # are written beside the entries)
    first_part = book_pdf.get_destination_page_number(outline[0])
    contents = _normal(" ".join(page.extract_text(extraction_mode="layout")
                                for page in book_pdf.pages[:first_part]))
    assert "Contents" in contents
    starts = []
    for title in titles:
        assert title in outline_titles, f"chapter {title!r} is not in the PDF's outline"
        item = outline[outline_titles.index(title)]
        page = book_pdf.get_destination_page_number(item)
        assert texts[page].startswith(title), f"{title!r} does not start page {page + 1}"
        starts.append(page)
        listed = re.search(re.escape(title) + r" (\d+)\b", contents)
        assert listed, f"{title!r} is not in the table of contents with a page number"
        assert listed.group(1) == str(page + 1), \
            f"the contents give page {listed.group(1)} for {title!r}, which starts on page {page + 1}"
    assert starts == sorted(starts), "the chapters are not in order"
    assert len(book_pdf.pages) > 100


def test_pdf_has_no_tex_source_of_the_text(pdf_texts):
    text = " ".join(pdf_texts)
    code = ""
    math = set()
    for stem in CHAPTERS:
        nb = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                code += cell.source + json.dumps(cell.get("outputs", []))
            else:
                math |= {m.strip() for m in re.findall(r"\$\$(.+?)\$\$|\$([^$\n]+)\$", cell.source, re.S)
                         for m in m if "\\" in m}
    assert len(math) > 100, f"only {len(math)} formulas found in the chapters' text"
    raw = [m for m in math if len(m) > 8 and _normal(m) in text and m not in code]
    assert not raw, f"{len(raw)} formulas of the text appear as TeX source in the PDF: {raw[:10]}"
    for token in ("$$", "\\frac", "\\begin{", "\\end{", "\\operatorname"):
        if token not in code:
            assert token not in text, f"{token!r} appears in the PDF's text"
