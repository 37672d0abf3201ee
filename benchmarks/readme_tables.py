"""Copy the benchmark results into the README, so that its speed tables are never copied by hand.

In README.md a block

    <!-- results benchmarks/results_mlp.md -->
    ...
    <!-- end results -->

holds the text of that results file, as the benchmark wrote it; with ``table`` after the file name
(``<!-- results benchmarks/results_widgets.md table -->``) only its Markdown table. The test
``tests/test_readme_speed_tables.py`` fails when a block and its file disagree.

Run:  python benchmarks/readme_tables.py            # rewrite the blocks of README.md
      python benchmarks/readme_tables.py --check    # list the blocks that are out of date
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- results (?P<file>\S+)(?P<table> table)? -->\n)(?P<body>.*?)(<!-- end results -->)", re.S)


def results_text(file, table_only=False):
    """The text a README block must hold for ``file`` (a path relative to the repository)."""
    text = (ROOT / file).read_text(encoding="utf-8").strip("\n")
    if table_only:
        text = "\n".join(line for line in text.splitlines() if line.startswith("|"))
    return text + "\n"


def blocks(readme_text):
    """(file, table_only, current body, expected body) for every results block of the README."""
    return [(m["file"], bool(m["table"]), m["body"], results_text(m["file"], bool(m["table"])))
            for m in BLOCK.finditer(readme_text)]


def updated(readme_text):
    """The README with every results block holding its file's current text."""
    return BLOCK.sub(lambda m: m[1] + results_text(m["file"], bool(m["table"])) + m[5], readme_text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only list the blocks that are out of date")
    args = parser.parse_args()
    text = README.read_text(encoding="utf-8")
    stale = [file for file, _, body, expected in blocks(text) if body != expected]
    if args.check:
        for file in stale:
            print(f"README.md is out of date with {file}")
        sys.exit(1 if stale else 0)
    README.write_text(updated(text), encoding="utf-8")
    print(f"README.md: {len(blocks(text))} results blocks, {len(stale)} rewritten")


if __name__ == "__main__":
    main()
