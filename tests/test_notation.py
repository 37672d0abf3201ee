"""One notation for the whole book: the chapters' notation tables agree with the notation page.

``notebooks/notation.md`` lists every symbol once. Two checks keep the chapters to it:

- every symbol in the first column of a chapter's notation table (the table at the top of the
  chapter, whose header starts with ``| symbol``) is on the notation page, written the same way;
- no chapter and no exercise uses a form the book has given up: a loss written as a plain
  :math:`L` (the loss is :math:`\\mathcal{L}`, :math:`L` is the last layer), a Kronecker delta
  (the book writes :math:`[i = j]`; :math:`\\delta` is the error signal), angle brackets for a dot
  product, :math:`L_{\\max}` for the largest eigenvalue, a tilde for the augmented inputs.
"""

import json
import re
from pathlib import Path

import pytest

from helpers._book import BOOK

pytestmark = pytest.mark.book

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
PAGE = (NOTEBOOKS / "notation.md").read_text(encoding="utf-8")
CHAPTERS = BOOK.stems  # the book's manifest, book.toml
SOURCES = [c.source_notebook() for c in BOOK.chapters]

#: forms the book no longer uses, each with the reason shown when one turns up
RETIRED = {
    r"\\partial L\b": "a loss written L: the loss is \\mathcal{L}",
    r"\\nabla L\b": "a loss written L: the loss is \\mathcal{L}",
    r"(?<![\\\w^_{])L\((?:\\theta|w|\\mathbf)": "a loss written L(...): the loss is \\mathcal{L}",
    r"\\delta_\{?[ijk]\s*,?\s*[ijk]": "a Kronecker delta: the book writes [i = j]",
    r"\\langle": "angle brackets for a dot product: the book writes g \\cdot p",
    r"L_\{?\\max": "L_max for the largest eigenvalue: the book writes \\lambda_{\\max}",
    r"\\tilde\s*\{?[Xx]": "a tilde on the inputs: the augmented inputs are x' and X'",
}


def _normalise(tex: str) -> str:
    return re.sub(r"\s+", " ", tex.replace(r"\operatorname", r"\mathrm")).strip()


def _table_symbols(text: str) -> list[str]:
    """The symbols in the first column of every table whose header starts with ``| symbol``: the
    chapter's table at its top and any folded table of later sections' symbols."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if re.match(r"\|\s*symbol\s*\|", line)]
    assert starts, "no notation table (a table whose header starts with '| symbol')"
    symbols = []
    for start in starts:
        for line in lines[start + 2:]:
            if not line.startswith("|"):
                break
            first = line.split("|")[1]
            for math in re.findall(r"\$([^$]+)\$", first):
                symbols.append(math)
    return symbols


def _on_page(symbol: str) -> bool:
    page = _normalise(PAGE)

    def found(tex):
        return any(f"{a}{tex}{b}" in page for a in "$ ({" for b in "$ ,)}")

    # "z^l = a^{l-1} W^l + b^l" is on the page when the whole of it, or its left-hand side, is;
    # "W^1, b^1" when each of its symbols is
    whole = _normalise(symbol)
    head = _normalise(re.split(r"\s*(?:=|\\in|\\approx)\s*", symbol, maxsplit=1)[0])
    return found(whole) or found(head) or all(found(_normalise(p)) for p in head.split(",") if p.strip())


@pytest.mark.parametrize("stem", CHAPTERS)
def test_every_symbol_of_the_chapter_table_is_on_the_notation_page(stem):
    symbols = _table_symbols((NOTEBOOKS / f"{stem}.md").read_text(encoding="utf-8"))
    assert symbols, f"{stem}: the notation table lists no symbol"
    missing = [s for s in symbols if not _on_page(s)]
    assert not missing, f"{stem}: symbols of its table not on notebooks/notation.md: {missing}"


def _retired_forms(text: str) -> list[str]:
    found = []
    for math in re.findall(r"\$\$(.+?)\$\$|\$([^$\n]+)\$", text, flags=re.S):
        tex = math[0] or math[1]
        for pattern, why in RETIRED.items():
            if re.search(pattern, tex):
                found.append(f"${tex.strip()[:80]}$: {why}")
    return found


def _markdown(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "\n\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")


@pytest.mark.parametrize("stem", BOOK.notebook_stems)
def test_the_chapter_uses_no_retired_form(stem):
    found = _retired_forms(_markdown(NOTEBOOKS / f"{stem}.ipynb"))
    assert not found, f"{stem}:\n" + "\n".join(found)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.parent.name)
def test_the_exercise_uses_no_retired_form(path):
    found = _retired_forms(_markdown(path))
    assert not found, f"{path.name}:\n" + "\n".join(found)


@pytest.mark.parametrize("text, expected", [
    (r"the gradient $\partial L / \partial z$", 1),
    (r"$$\mathcal{L}(\theta) = \sum_n r_n^2$$ and $\nabla \mathcal{L}$", 0),
    (r"$J_{ij} = p_i(\delta_{ij} - p_j)$", 1),
    (r"$\delta^L_j = p_j - y_j$ and $\delta_j$", 0),
    (r"$\langle g, p \rangle$", 1),
    (r"$z^L = a^{L-1} W^L + b^L$ and $L(\theta)$", 1),
])
def test_the_retired_forms_are_recognised(text, expected):
    assert len(_retired_forms(text)) == expected


def test_a_symbol_missing_from_the_page_is_recognised():
    assert _on_page(r"\mathcal{L}") and _on_page(r"z^l = a^{l-1} W^l + b^l")
    assert not _on_page(r"\Xi_{\text{new}}")


def test_every_symbol_table_of_a_chapter_is_read_folded_ones_too():
    text = ("| symbol | meaning |\n| --- | --- |\n| $\\theta$ | parameters |\n\nprose\n\n<details>\n\n"
            "| symbol | meaning |\n| --- | --- |\n| $\\kappa$ | condition number |\n\n</details>\n")
    assert _table_symbols(text) == ["\\theta", "\\kappa"]
