"""The book's manifest, ``book.toml`` at the root of the repository, read once for everyone.

The chapters, the widgets each chapter shows and the nbgrader assignment of each are listed there
and nowhere else: the tests, the browser tests, the course checks, the site build and the widget
benchmark all read them through :data:`BOOK`. Not part of the teaching library (nothing in the
chapters imports it); it lives in the package so that every tool of the repository can import it,
with the one other fact those tools share: the Chromium they drive.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: the manifest; ``BOOK_MANIFEST`` names another one (tests/test_book_manifest.py uses it to show
#: that every test layer follows the manifest)
MANIFEST = Path(os.environ.get("BOOK_MANIFEST") or ROOT / "book.toml")

#: Debian's Chromium, driven by the browser tests, the widget benchmark and the PDF build (never a
#: browser Playwright downloads); ``BOOK_CHROMIUM`` names another
CHROMIUM = os.environ.get("BOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

_CHAPTER_KEYS = {"stem", "title", "derives", "plays", "widgets", "assignment", "notebook"}
_OPTIONAL_CHAPTER_KEYS = frozenset({"further"})
_WIDGET_KEYS = {"does"}


@dataclass(frozen=True)
class Chapter:
    """One chapter of the manifest (see the comments at the top of ``book.toml``)."""

    stem: str
    title: str
    derives: str
    plays: str
    widgets: tuple[str, ...]
    assignment: str
    notebook: str
    further: str = ""   # the stem of a notebook that continues the chapter (its second reading), if any

    @property
    def number(self) -> int:
        return int(self.stem[:2])

    @property
    def notebook_stems(self) -> list[str]:
        """The chapter's notebooks in reading order: the chapter, then the one that continues it."""
        return [self.stem, *([self.further] if self.further else [])]

    def path(self, root: Path = ROOT) -> Path:
        """The chapter notebook, ``notebooks/<stem>.ipynb``."""
        return Path(root) / "notebooks" / f"{self.stem}.ipynb"

    def twin(self, root: Path = ROOT) -> Path:
        """Its MyST twin, ``notebooks/<stem>.md``."""
        return Path(root) / "notebooks" / f"{self.stem}.md"

    def source_notebook(self, root: Path = ROOT) -> Path:
        """The assignment as the instructor keeps it, with solutions and hidden tests."""
        return Path(root) / "nbgrader_solutions" / "source" / self.assignment / self.notebook

    def student_notebook(self, root: Path = ROOT) -> Path:
        """The student version of the assignment, as ``nbgrader generate_assignment`` makes it."""
        return Path(root) / "notebooks" / "exercises" / self.assignment / self.notebook


@dataclass(frozen=True)
class Book:
    chapters: tuple[Chapter, ...]
    widgets: dict[str, str]   # explorer class name -> what it lets the reader do

    @property
    def stems(self) -> list[str]:
        return [c.stem for c in self.chapters]

    @property
    def notebook_stems(self) -> list[str]:
        """Every notebook of the book in reading order: each chapter, then the one continuing it."""
        return [stem for c in self.chapters for stem in c.notebook_stems]

    @property
    def assignments(self) -> list[str]:
        return [c.assignment for c in self.chapters]

    def chapter(self, key: int | str) -> Chapter:
        """A chapter by number (``7`` or ``"07"``), stem or assignment."""
        for c in self.chapters:
            if key in (c.stem, c.assignment) or (str(key).isdigit() and int(key) == c.number):
                return c
        raise KeyError(f"book.toml has no chapter {key!r}; its chapters are {self.stems}")


def _checked(table: dict, keys: set, where: str, optional: frozenset = frozenset()) -> dict:
    missing, unknown = keys - set(table), set(table) - keys - optional
    if missing or unknown:
        also = f" and optionally {sorted(optional)}" if optional else ""
        raise ValueError(f"{where}: missing keys {sorted(missing)}, unknown keys {sorted(unknown)}; "
                         f"expected exactly {sorted(keys)}{also}")
    return table


def load(path: Path = MANIFEST) -> Book:
    """Read and check a manifest: every chapter has exactly the keys it should, chapters are
    numbered 01, 02, ... in order, and every widget a chapter names has a ``[widget.*]`` entry
    and the other way round."""
    with open(path, "rb") as f:
        data = tomllib.load(f)
    if set(data) != {"chapter", "widget"}:
        raise ValueError(f"{path}: expected the tables 'chapter' and 'widget', got {sorted(data)}")
    chapters = []
    for i, table in enumerate(data["chapter"], start=1):
        table = _checked(table, _CHAPTER_KEYS, f"{path}: chapter {i}", _OPTIONAL_CHAPTER_KEYS)
        chapter = Chapter(**{**table, "widgets": tuple(table["widgets"])})
        if not chapter.stem.startswith(f"{i:02d}_"):
            raise ValueError(f"{path}: chapter {i} has the stem {chapter.stem!r}; expected one starting {i:02d}_")
        if chapter.further and not (chapter.further.startswith(f"{i:02d}") and chapter.further > chapter.stem):
            raise ValueError(f"{path}: chapter {i} is continued by {chapter.further!r}; expected a stem starting "
                             f"{i:02d} that sorts after {chapter.stem!r} (for example {i:02d}b_...)")
        chapters.append(chapter)
    widgets = {name: _checked(table, _WIDGET_KEYS, f"{path}: widget {name}")["does"]
               for name, table in data["widget"].items()}
    named = [w for c in chapters for w in c.widgets]
    if sorted(named) != sorted(widgets):
        raise ValueError(f"{path}: the chapters name the widgets {sorted(named)} (each once), "
                         f"the [widget.*] tables describe {sorted(widgets)}")
    return Book(tuple(chapters), widgets)


BOOK = load()


def explorer_classes() -> dict[str, type]:
    """Every explorer class defined in ``helpers.widgets``: {class name: class}."""
    import helpers.widgets as package
    from helpers.widgets import Explorer

    found = {}
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"helpers.widgets.{info.name}")
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, Explorer) and obj.__module__ == module.__name__:
                found[obj.__name__] = obj
    return found


def code_cells(notebook: Path) -> list[str]:
    """The sources of a notebook's code cells."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in nb["cells"] if c["cell_type"] == "code"]


def widgets_built(notebook: Path) -> list[str]:
    """The explorer classes a notebook's code builds (calls), in order of first call."""
    classes = explorer_classes()
    built = []
    for source in code_cells(notebook):
        calls = sorted((m.start(), name) for name in classes for m in re.finditer(rf"\b{name}\s*\(", source))
        built += [name for _, name in calls if name not in built]
    return built


def widget_class(name: str) -> type:
    """The explorer class a manifest entry names."""
    classes = explorer_classes()
    if name not in classes:
        raise KeyError(f"book.toml names the widget {name!r}, which helpers.widgets does not define; "
                       f"it defines {sorted(classes)}")
    return classes[name]


def _cell_names(source: str) -> tuple[set[str], set[str], set[str]]:
    """A code cell's top-level names: assigned (defined or imported), imported, and used (read at
    the top level, or as a global inside a function or class it defines). Lines of IPython magic
    are left out."""
    import symtable

    source = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
    top = symtable.symtable(source, "cell", "exec")
    assigned = {s.get_name() for s in top.get_symbols() if s.is_assigned() or s.is_imported()}
    imported = {s.get_name() for s in top.get_symbols() if s.is_imported()}
    used: set[str] = set()
    tables = [top]
    while tables:
        table = tables.pop()
        used |= {s.get_name() for s in table.get_symbols()
                 if (table is top and s.is_referenced()) or (table is not top and s.is_global())}
        tables += table.get_children()
    return assigned, imported, used


def names_taken(chapter: Path, further: Path) -> dict[str, str]:
    """The names a notebook that continues a chapter reads from it: each name the chapter's code
    defines (imports aside) that a code cell of ``further`` uses before any of its cells defines it,
    mapped to the chapter's section that last defines it before the continuation starts, whose value
    it reads (its "## 8.5 ..." number, or the heading's first word)."""
    import builtins

    defined: dict[str, str] = {}
    section = "opening"
    for cell in json.loads(Path(chapter).read_text(encoding="utf-8"))["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "markdown":
            section = (re.findall(r"^## (\d+\.\d+|\w+)", source, re.M) or [section])[-1]
        elif cell["cell_type"] == "code":
            assigned, imported, _ = _cell_names(source)
            for name in sorted(assigned - imported):
                defined[name] = section  # a later definition replaces an earlier one
    taken: dict[str, str] = {}
    own: set[str] = set()
    for source in code_cells(further):
        assigned, _, used = _cell_names(source)
        for name in sorted(used - own - assigned - set(dir(builtins))):
            if name in defined:
                taken.setdefault(name, defined[name])
        own |= assigned
    return taken
