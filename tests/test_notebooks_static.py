"""Static checks of the chapter notebooks (nothing is executed here; nbval re-executes them).

A chapter fails when its MyST twin disagrees with it on inputs, when it has no python3 kernelspec,
when it stores a code cell that was never executed, an error or stderr output, or warning text,
when a display-math block contains a blank line (MathJax in JupyterLab does not render it) or
touches a line of text (the website's MyST parser then leaves it as raw TeX), when
a LaTeX command lost its backslash to a Python escape (a tab before "frac"), when a list
item is run into the line before it (a list re-wrapped as one paragraph), or when it links to an
exercise notebook, another chapter or a page that does not exist.
"""

import json
import pathlib
import re

import jupytext
import pytest

from helpers._book import BOOK

pytestmark = pytest.mark.book

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
STEMS = BOOK.notebook_stems  # the book's manifest: the chapters and the notebooks continuing them (all on disk, no other)


def load(stem):
    return json.loads((NOTEBOOKS / f"{stem}.ipynb").read_text(encoding="utf-8"))


def markdown_cells(stem):
    """(index, text) of each markdown cell of a notebook, as stored."""
    return [(i, "".join(cell["source"])) for i, cell in enumerate(load(stem)["cells"]) if cell["cell_type"] == "markdown"]


def inputs(nb):
    return [(c.cell_type, c.source.strip()) for c in nb.cells if c.source.strip()]


@pytest.mark.parametrize("stem", STEMS)
def test_notebook_and_myst_twin_agree_on_inputs(stem):
    twin = NOTEBOOKS / f"{stem}.md"
    assert twin.exists(), f"{stem}.ipynb has no MyST twin {twin.name}"
    from_ipynb = inputs(jupytext.read(NOTEBOOKS / f"{stem}.ipynb"))
    from_md = inputs(jupytext.read(twin))
    assert len(from_ipynb) == len(from_md), f"{stem}: {len(from_ipynb)} cells in .ipynb, {len(from_md)} in .md"
    for i, (a, b) in enumerate(zip(from_ipynb, from_md)):
        assert a == b, f"{stem}: cell {i} differs between .ipynb and .md (run jupytext --sync)"


def unfolded_hidden_code(nb):
    """Indices of the code cells tagged hide-input or hide-cell (the website folds their code away) whose
    source JupyterLab still shows in full (no jupyter.source_hidden in their metadata)."""
    return [i for i, cell in enumerate(nb["cells"])
            if cell["cell_type"] == "code"
            and {"hide-input", "hide-cell"} & set(cell.get("metadata", {}).get("tags", []))
            and not cell.get("metadata", {}).get("jupyter", {}).get("source_hidden")]


@pytest.mark.parametrize("stem", STEMS)
def test_code_the_website_hides_is_folded_in_jupyterlab_too(stem):
    unfolded = unfolded_hidden_code(load(stem))
    assert not unfolded, f"{stem}: code cells {unfolded} are hidden on the website but shown in JupyterLab"


def test_the_folding_check_catches_an_unfolded_cell():
    def code(metadata):
        return {"cell_type": "code", "metadata": metadata, "source": "x = 1"}

    nb = {"cells": [code({"tags": ["hide-input"], "jupyter": {"source_hidden": True}}),
                    code({"tags": ["hide-input"]}),
                    code({"tags": ["hide-cell"], "jupyter": {"outputs_hidden": True}}),
                    code({})]}
    assert unfolded_hidden_code(nb) == [1, 2]


@pytest.mark.parametrize("stem", STEMS)
def test_notebook_has_python3_kernelspec(stem):
    spec = load(stem)["metadata"].get("kernelspec", {})
    assert spec.get("name") == "python3", f"{stem}: kernelspec is {spec!r}"


@pytest.mark.parametrize("stem", STEMS)
def test_notebook_stores_executed_cells_without_errors_or_stderr(stem):
    nb = load(stem)
    counts = []
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code" or not "".join(cell["source"]).strip():
            continue
        assert cell.get("execution_count") is not None, f"{stem}: code cell {i} was never executed"
        counts.append(cell["execution_count"])
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", f"{stem}: cell {i} stores an error ({out.get('ename')})"
            if out["output_type"] == "stream":
                assert out["name"] == "stdout", f"{stem}: cell {i} stores stderr: {''.join(out['text'])[:200]!r}"
            text = "".join(out.get("text", "")) + "".join(out.get("data", {}).get("text/plain", ""))
            stray = re.search(r"\.py:\d+: \w*Warning", text)  # the format of warnings.showwarning
            assert not stray, f"{stem}: cell {i} stores stray warning text: {text[:200]!r}"
            assert not re.search(r" at 0x[0-9a-f]+>", text), f"{stem}: cell {i} stores an object repr with a memory address"
    assert counts == list(range(1, len(counts) + 1)), f"{stem}: not run top to bottom in one kernel: {counts}"


@pytest.mark.parametrize("stem", STEMS)
def test_display_math_has_no_blank_lines(stem):
    for i, cell in enumerate(load(stem)["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        for block in re.findall(r"\$\$(.*?)\$\$", "".join(cell["source"]), flags=re.S):
            assert not re.search(r"\n\s*\n", block), f"{stem}: markdown cell {i} has a blank line inside $$...$$"


def display_math_touching_text(text):
    """The lines of ``text`` where a ``$$`` fence that stands on its own line opens right after a
    line of text or closes right before one."""
    lines, inside, found = text.split("\n"), False, []
    for i, line in enumerate(lines):
        if line.strip() != "$$":
            continue
        neighbour = lines[i - 1] if not inside else (lines[i + 1] if i + 1 < len(lines) else "")
        if (i > 0 or inside) and neighbour.strip():
            found.append(f"line {i + 1}: {'opens after' if not inside else 'closes before'} {neighbour[:60]!r}")
        inside = not inside
    return found


@pytest.mark.parametrize("stem", STEMS)
def test_display_math_is_set_apart_by_blank_lines(stem):
    for i, text in markdown_cells(stem):
        found = display_math_touching_text(text)
        assert not found, f"{stem}: markdown cell {i}: $$ block not set apart by blank lines: {found}"


def test_the_display_math_check_catches_both_sides():
    assert display_math_touching_text("Text.\n\n$$\nx\n$$\n\nMore.") == []
    assert display_math_touching_text("$$\nx\n$$") == []
    assert len(display_math_touching_text("Text:\n$$\nx\n$$\n\nMore.")) == 1
    assert len(display_math_touching_text("Text.\n\n$$\nx\n$$\nmore.")) == 1


#: a LaTeX command whose backslash Python read as an escape: "\\nabla" written "\nabla" in a normal
#: string becomes a newline and "abla", "\\tfrac" a tab and "frac"
CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f]")
EATEN_NEWLINE = re.compile(r"^(?:abla|ewline)\b", re.M)


def check_text_has_no_eaten_backslash(name, text):
    """Raise if ``text`` holds a control character (other than a newline) or a line starting with
    a LaTeX command that lost its backslash to a newline."""
    for pattern in (CONTROL, EATEN_NEWLINE):
        m = pattern.search(text)
        assert m is None, f"{name}: {text[max(0, m.start() - 40):m.end() + 20]!r} (a backslash read as an escape?)"


@pytest.mark.parametrize("stem", STEMS)
def test_markdown_has_no_backslash_eaten_by_an_escape(stem):
    for i, text in markdown_cells(stem):
        check_text_has_no_eaten_backslash(f"{stem} cell {i}", text)


def test_the_eaten_backslash_check_catches_both_kinds():
    for broken in ("$D_u \\mathcal{L} = \nabla \\mathcal{L}$", "$0.3^2 + \tfrac43$"):
        with pytest.raises(AssertionError, match="escape"):
            check_text_has_no_eaten_backslash("example", broken)
    check_text_has_no_eaten_backslash("example", "$\\nabla \\mathcal{L}$ and $\\tfrac43$")


#: a list item run into the line before it, as re-wrapping a list as one paragraph leaves it: the
#: book's list items open with a bold lead ("- **Weight decay** ...") or a capital after a full stop
RUN_IN_ITEM = re.compile(r"(?:\S - \*\*|[.:;] - [A-Z])")


def run_in_list_items(text):
    """The lines of ``text`` (outside code spans) where a list item's marker sits mid-line."""
    return [line for line in text.split("\n") if RUN_IN_ITEM.search(re.sub(r"`[^`]*`", "", line))]


@pytest.mark.parametrize("stem", STEMS)
def test_markdown_lists_keep_one_item_per_marker(stem):
    for i, text in markdown_cells(stem):
        found = run_in_list_items(text)
        assert not found, f"{stem}: markdown cell {i}: a list marker in the middle of a line: {found[:2]}"


def test_the_run_in_list_check_catches_a_wrapped_list():
    assert run_in_list_items("- **One** item.\n- **Two** items, $a - b$, `x) - Y`.") == []
    assert len(run_in_list_items("- **One** item, wrapped. - **Two** items.")) == 1
    assert len(run_in_list_items("- One item; wrapped\nto here. - Two items.")) == 1


@pytest.mark.parametrize("stem", BOOK.stems)
def test_chapter_links_to_its_exercises_and_the_link_resolves(stem):
    text = "".join("".join(c["source"]) for c in load(stem)["cells"] if c["cell_type"] == "markdown")
    links = re.findall(r"\]\((exercises/[^)]+\.ipynb)\)", text)
    own = BOOK.chapter(stem).student_notebook(ROOT).relative_to(NOTEBOOKS).as_posix()
    assert own in links, f"{stem}: no link to its exercises, {own} (book.toml); it links to {links}"
    for link in links:
        assert (NOTEBOOKS / link).exists(), f"{stem}: link {link} does not resolve"


@pytest.mark.parametrize("stem", STEMS)
def test_every_link_to_a_notebook_or_page_of_the_book_resolves(stem):
    text = "".join("".join(c["source"]) for c in load(stem)["cells"] if c["cell_type"] == "markdown")
    links = re.findall(r"\]\(([\w./-]+\.(?:ipynb|md))(?:#[\w-]+)?\)", text)
    assert links, f"{stem}: no link to another notebook of the book"
    missing = sorted({link for link in links if not (NOTEBOOKS / link).exists()})
    assert not missing, f"{stem}: links that resolve to nothing: {missing}"
