"""Print the book's single-page edition (Sphinx ``singlehtml``) to a PDF with headless Chromium.

Before printing, a short script lays the page out as a book: every document (the notation page,
the chapters, the exercises, teaching) becomes a top-level part that starts on a new page, its
headings move up so that its title is a first-level heading (the PDF's outline follows them), the
folded answers are opened, links to files of the site (which a PDF cannot follow) become plain
text, and a table of contents is put after the title page. After printing, pypdf reads on which
page each entry of the contents starts (from the PDF's own link targets) and writes that number at
the right end of the entry.
"""

from __future__ import annotations

import functools
import http.server
import io
import logging
import threading
from contextlib import contextmanager
from pathlib import Path

PAGE = {"format": "A4", "margin": {"top": "16mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}}
FOOTER = ('<div style="font-size:9px;width:100%;text-align:center;color:#555;">'
          '<span class="pageNumber"></span></div>')

PRINT_CSS = """
@page { size: A4; }
html { font-size: 10.5pt; }
body { background: white !important; }
.bd-header, .bd-sidebar-primary, .bd-sidebar-secondary, .bd-header-article, .bd-footer,
.bd-footer-article, .prev-next-area, .headerlink, .skip-link, #pst-back-to-top,
.bd-article-container .header-article, .search-button-field, #jb-print-docs-body
  { display: none !important; }
.bd-main, .bd-content, .bd-article-container, .bd-page-width, .bd-container, .bd-container__inner
  { max-width: none !important; width: 100% !important; padding: 0 !important; margin: 0 !important; }
.bd-main .bd-content .bd-article h1:first-of-type { display: block !important; }
.bd-article > section:first-of-type > h1 { font-size: 2.6em; text-align: center; margin: 2em 0 1.5em; }
.book-part { break-before: page; }
.book-part > h1:first-of-type { font-size: 2em; margin-top: 0; }
h1, h2, h3, h4 { break-after: avoid; }
pre, div.highlight, div[class*="highlight-"], div.cell_input, div.cell_output
  { break-inside: auto !important; display: block !important; }
.book-keep, .book-keep div { break-inside: avoid !important; }
pre, div.highlight pre, .output pre { white-space: pre-wrap !important; overflow-wrap: anywhere;
  word-break: break-word; overflow: visible !important; max-height: none !important; }
div.cell_output img, figure img, img { max-width: 100% !important; height: auto !important;
  break-inside: avoid; }
table { break-inside: auto; }
tr, mjx-container[display="true"] { break-inside: avoid; }
div.cell_output, .cell_output .output { overflow: visible !important; max-height: none !important; }
.bd-article table { font-size: 0.92em; }
#book-toc { break-before: page; }
#book-toc h1 { font-size: 2em; }
#book-toc ol { list-style: none; padding-left: 0; margin: 0; }
#book-toc ol ol { padding-left: 1.6em; margin-bottom: 0.5em; }
#book-toc li { margin: 0.15em 0; }
#book-toc > ol > li > a { font-weight: 600; }
#book-toc a { display: flex; gap: 0.5em; color: inherit; text-decoration: none; }
#book-toc a .title { flex: 1 1 auto; }
#book-toc a .page { flex: 0 0 auto; min-width: 2.5em; text-align: right; }
"""

#: returns the table of contents as [[level, id, title]] after laying the page out as a book
PREPARE_JS = """
() => {
  const article = document.querySelector('article.bd-article');
  const start = article.querySelector(':scope > section');
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  // a short code cell or output stays on one page; a long one may run on to the next
  document.querySelectorAll('div.cell_input, div.cell_output > div.output').forEach(e => {
    if (e.getBoundingClientRect().height < 320) e.classList.add('book-keep');
  });
  const parts = [...article.querySelectorAll('span[id^="document-"]')]
      .filter(span => span.id !== 'document-index' && span.nextElementSibling
                      && span.nextElementSibling.tagName === 'SECTION');
  const entries = [];
  for (const span of parts) {
    const section = span.nextElementSibling;
    article.appendChild(span);
    article.appendChild(section);
    section.classList.add('book-part');
    const headings = [...section.querySelectorAll('h1, h2, h3, h4, h5, h6')];
    const shift = headings.length ? Number(headings[0].tagName[1]) - 1 : 0;
    for (const h of headings) {
      const level = Math.max(1, Number(h.tagName[1]) - shift);
      const renamed = document.createElement('h' + level);
      for (const a of h.attributes) renamed.setAttribute(a.name, a.value);
      while (h.firstChild) renamed.appendChild(h.firstChild);
      h.replaceWith(renamed);
    }
  }
  for (const section of article.querySelectorAll(':scope > section.book-part')) {
    const title = section.querySelector('h1');
    if (!title) continue;
    entries.push([1, section.id, title]);
    for (const sub of section.querySelectorAll(':scope > section > h2')) {
      sub.id = sub.id || 'book-section-' + entries.length;
      entries.push([2, sub.id, sub]);
    }
  }
  for (const a of document.querySelectorAll('a[href]')) {
    const url = new URL(a.getAttribute('href'), document.baseURI);
    const here = url.origin === location.origin && url.pathname === location.pathname;
    if (url.origin === location.origin && !here) a.replaceWith(...a.childNodes);
  }
  const text = h => { const c = h.cloneNode(true); c.querySelectorAll('.headerlink').forEach(e => e.remove());
                      return c.innerHTML; };
  const nav = document.createElement('nav');
  nav.id = 'book-toc';
  nav.innerHTML = '<h1 class="book-toc-title">Contents</h1>';
  const top = document.createElement('ol');
  let sub = null;
  for (const [level, id, heading] of entries) {
    const li = document.createElement('li');
    li.innerHTML = '<a href="#' + id + '"><span class="title">' + text(heading) +
                   '</span><span class="page" data-target="' + id + '"></span></a>';
    if (level === 1) { top.appendChild(li); sub = null; }
    else { if (!sub) { sub = document.createElement('ol'); top.lastElementChild.appendChild(sub); }
           sub.appendChild(li); }
  }
  nav.appendChild(top);
  start.after(nav);
  return entries.map(([level, id, h]) => [level, id, h.textContent.replace('#', '').trim()]);
}
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serve(directory: Path):
    """Serve ``directory`` on 127.0.0.1 (a free port) for as long as the block runs."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def wait_for_mathjax(page, timeout_ms: int = 120_000) -> None:
    """Wait until MathJax has typeset the whole page."""
    page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise",
                           timeout=timeout_ms)
    page.evaluate("() => MathJax.startup.promise")


def target_pages(pdf_bytes: bytes) -> dict[str, int]:
    """Page number (1-based) of every named destination in a PDF printed by Chromium."""
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)   # Chromium's trailer size is off by a few

    reader = PdfReader(io.BytesIO(pdf_bytes))
    pages = {}
    for name, dest in reader.named_destinations.items():
        number = reader.get_destination_page_number(dest)
        if number is not None and number >= 0:
            pages[name.lstrip("/")] = number + 1
    return pages


def print_book(index_html: Path, pdf_path: Path, chromium: str, chromium_args: list[str]) -> list:
    """Print the single-page edition at ``index_html`` to ``pdf_path``; return the contents
    as ``[level, id, title, page]`` rows."""
    from playwright.sync_api import sync_playwright

    index_html = Path(index_html)
    with serve(index_html.parent) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=chromium_args)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 1400})
            page.goto(base + index_html.name, wait_until="load", timeout=120_000)
            wait_for_mathjax(page)
            page.emulate_media(media="print")
            page.add_style_tag(content=PRINT_CSS)
            entries = page.evaluate(PREPARE_JS)
            # every picture and every font loaded before the layout is printed
            page.evaluate("""() => Promise.all([...document.images].map(img => {
                img.loading = 'eager';
                return img.decode().catch(() => { throw new Error('picture not loaded: ' + img.src); });
            }))""")
            page.evaluate("() => Promise.all([...document.fonts].map(f => f.load())).then(() => true)")
            pdf = page.pdf(**PAGE, print_background=True, display_header_footer=True,
                           header_template="<div></div>", footer_template=FOOTER,
                           outline=True, tagged=False)
        finally:
            browser.close()
    pages = target_pages(pdf)
    missing = [title for level, anchor, title in entries if anchor not in pages]
    if missing:
        raise RuntimeError(f"no page found in the PDF for the contents entries {missing}")
    contents = [[level, anchor, title, pages[anchor]] for level, anchor, title in entries]
    Path(pdf_path).write_bytes(finish_pdf(pdf, contents))
    return contents


def finish_pdf(pdf_bytes: bytes, contents: list) -> bytes:
    """Write, at the right end of every link of the contents, the page its target is on, and give
    the PDF an outline (bookmarks) of the same entries."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter(io.BytesIO(pdf_bytes), incremental=True)   # appends only what changes
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
        NameObject("/Encoding"): NameObject("/WinAnsiEncoding")}))
    pages = {anchor: number for _, anchor, _, number in contents}
    parent = None
    for level, _, title, number in contents:
        item = writer.add_outline_item(title=title, page_number=number - 1,
                                       parent=None if level == 1 else parent)
        if level == 1:
            parent = item
    size, digit_width = 10.0, 0.556                  # Helvetica's digits are 0.556 em wide
    for page in writer.pages:
        links = []
        for annot in page.get("/Annots", []) or []:
            annot = annot.get_object()
            dest = str(annot.get("/Dest", "")).lstrip("/")
            if annot.get("/Subtype") == "/Link" and dest in pages:
                links.append((dest, [float(v) for v in annot["/Rect"]]))
        if not links:
            continue
        line = min(y1 - y0 for _, (x0, y0, x1, y1) in links)   # the height of a one-line entry
        text = []
        for dest, (x0, y0, x1, y1) in links:
            number = str(pages[dest])
            x = x1 - digit_width * size * len(number)
            y = y0 + (line - 0.7 * size) / 2             # on the entry's last line
            text.append(f"BT /BookToc {size:g} Tf {x:.2f} {y:.2f} Td ({number}) Tj ET")
        resources = page["/Resources"].get_object()
        if "/Font" not in resources:
            resources[NameObject("/Font")] = DictionaryObject()
        resources["/Font"].get_object()[NameObject("/BookToc")] = font
        streams = []
        for data in (b"q", b"Q 0.15 g " + " ".join(text).encode("ascii")):
            stream = DecodedStreamObject()
            stream.set_data(data)
            streams.append(writer._add_object(stream))
        old = page["/Contents"].get_object()
        old = list(old) if isinstance(old, ArrayObject) else [page.raw_get("/Contents")]
        page[NameObject("/Contents")] = ArrayObject([streams[0], *old, streams[1]])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
