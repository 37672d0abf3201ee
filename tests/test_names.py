"""Names that agree: each module of ``helpers`` has its test module, each explorer is named after its
class, and each explorer's screenshot after the explorer.

- ``helpers/<module>.py`` is tested in ``tests/test_<module>.py``;
  ``helpers/widgets/<module>.py`` in ``tests/test_widgets_<module>.py`` (the contract every
  explorer keeps, ``helpers/widgets/_base.py``, in ``tests/test_widgets_contract.py``);
- an explorer's ``name`` (its readout's ``data-widget``, its CSS class, its screenshot) is its
  class name in snake case, and the screenshots in ``notebooks/images/`` are those of the
  explorers of the book's manifest (``<name>.png``, ``<name>-2.png`` for a second one).
"""

from pathlib import Path

import pytest

from helpers._book import BOOK, explorer_classes

pytestmark = pytest.mark.book

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"


def _public_modules(folder: Path) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.py") if not p.stem.startswith("_"))


@pytest.mark.parametrize("module", _public_modules(ROOT / "helpers"))
def test_every_helpers_module_has_its_test_module(module):
    assert (TESTS / f"test_{module}.py").is_file(), f"helpers/{module}.py has no tests/test_{module}.py"


def test_every_widget_module_has_its_test_module_and_every_widget_test_its_module():
    modules = _public_modules(ROOT / "helpers" / "widgets")
    tests = sorted(p.stem.removeprefix("test_widgets_") for p in TESTS.glob("test_widgets_*.py"))
    assert tests == sorted([*modules, "contract"]), (
        f"widget modules {modules}, widget test modules {tests} (test_widgets_<module>.py, and the contract)")


def test_an_explorer_is_named_after_its_class():
    for cls_name, cls in explorer_classes().items():
        words = [w.lower() for w in cls.name.split("_")]
        assert "".join(w.capitalize() for w in words) == cls_name, f"{cls_name} is named {cls.name!r}"


def test_the_screenshots_are_those_of_the_explorers_of_the_book():
    names = {explorer_classes()[w].name for c in BOOK.chapters for w in c.widgets}
    shots = {p.stem for p in (ROOT / "notebooks" / "images").glob("*.png") if not p.stem.startswith("site_")}
    assert names <= shots, f"no screenshot of {sorted(names - shots)}"
    stray = {s for s in shots if s.rsplit("-", 1)[0] not in names}
    assert not stray, f"screenshots of no explorer of the book: {sorted(stray)}"
