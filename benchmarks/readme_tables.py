"""Write the generated blocks of README.md and the site's pages, so that no table there is copied by hand.

In README.md, site/index.md and site/exercises.md a block

    <!-- results SOURCE [PART] -->
    ...
    <!-- end results -->

holds text made from SOURCE:

- a benchmark's results file (``<!-- results benchmarks/results_mlp.md -->``): its text as the
  benchmark wrote it; with ``table`` after the file name only its Markdown table;
- the book's manifest (``<!-- results book.toml chapters -->``): ``chapters``, the table of
  chapters; ``toctree``, the site's table of contents; ``exercises``, the table of exercises.

The test ``tests/test_readme_tables.py`` fails when a block and its source disagree.

Run:  python benchmarks/readme_tables.py            # rewrite the blocks
      python benchmarks/readme_tables.py --check    # list the blocks that are out of date
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
#: the files with generated blocks
PAGES = [README, ROOT / "site" / "index.md", ROOT / "site" / "exercises.md"]
BLOCK = re.compile(r"(<!-- results (?P<file>\S+)(?: (?P<part>\w+))? -->\n)(?P<body>.*?)(<!-- end results -->)", re.S)


def _book():
    sys.path.insert(0, str(ROOT))
    from helpers._book import BOOK

    return BOOK


def chapter_table(book) -> str:
    rows = [f"| {c.number} | [{c.title}](notebooks/{c.stem}.ipynb) | {c.derives}"
            + (f"; a second reading, [side experiments](notebooks/{c.further}.ipynb)" if c.further else "")
            + f" | {c.plays} |" for c in book.chapters]
    return "\n".join(["| # | chapter | what it derives and builds | to play with |", "| --- | --- | --- | --- |", *rows])


def toctree(book) -> str:
    return "\n".join(["```{toctree}", ":hidden:", ":caption: The book", "", "notebooks/notation",
                      *[f"notebooks/{stem}" for stem in book.notebook_stems], "```"])


def exercises_table(book) -> str:
    rows = [f"| {c.number}. {c.title} | [chapter {c.number} exercises]"
            f"(notebooks/exercises/{c.assignment}/{c.notebook}) |" for c in book.chapters]
    pages = [f"notebooks/exercises/{c.assignment}/{Path(c.notebook).stem}" for c in book.chapters]
    return "\n".join(["| chapter | exercises |", "| --- | --- |", *rows, "",
                      "```{toctree}", ":hidden:", "", *pages, "```"])


MANIFEST_PARTS = {"chapters": chapter_table, "toctree": toctree, "exercises": exercises_table}


def results_text(file, part=None):
    """The text a block must hold for ``file`` (a path relative to the repository) and ``part``."""
    if file == "book.toml":
        if part not in MANIFEST_PARTS:
            raise ValueError(f"a book.toml block makes one of {sorted(MANIFEST_PARTS)}, not {part!r}")
        return MANIFEST_PARTS[part](_book()) + "\n"
    if part not in (None, "table"):
        raise ValueError(f"a block of {file} holds the whole file or its 'table', not {part!r}")
    text = (ROOT / file).read_text(encoding="utf-8").strip("\n")
    if part == "table":
        text = "\n".join(line for line in text.splitlines() if line.startswith("|"))
    return text + "\n"


def blocks(text):
    """(source file, part, current body, expected body) for every generated block of a page's text."""
    return [(m["file"], m["part"], m["body"], results_text(m["file"], m["part"])) for m in BLOCK.finditer(text)]


def updated(text):
    """The page's text with every generated block holding its source's current text."""
    return BLOCK.sub(lambda m: m[1] + results_text(m["file"], m["part"]) + m[5], text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only list the blocks that are out of date")
    args = parser.parse_args()
    stale_pages = 0
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        stale = [(file, part) for file, part, body, expected in blocks(text) if body != expected]
        name = page.relative_to(ROOT)
        if args.check:
            for file, part in stale:
                print(f"{name} is out of date with {file}" + (f" ({part})" if part else ""))
        else:
            page.write_text(updated(text), encoding="utf-8")
            print(f"{name}: {len(blocks(text))} generated blocks, {len(stale)} rewritten")
        stale_pages += bool(stale)
    if args.check:
        sys.exit(1 if stale_pages else 0)


if __name__ == "__main__":
    main()
