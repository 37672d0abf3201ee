"""The book's manifest (``book.toml``) agrees with the files, and every layer of the tests reads it.

- Every chapter it lists is on disk with its MyST twin, and no other chapter notebook is.
- Every widget it lists for a chapter is an explorer class of ``helpers.widgets`` that the
  chapter's code builds, in that order; no chapter builds one it does not list; every explorer
  class of ``helpers.widgets`` is listed.
- Every assignment it lists has its source notebook, its student version and its prepared
  submissions; no other assignment is in the course; the notebook names are those the course's
  ``zip_collect`` configuration accepts.
- The site's alt texts name only chapters of the manifest; TEACHING.md's table lists its assignments,
  with the test cells and points their notebooks have.
- A chapter added to the manifest reaches every layer: the static, course, site and browser tests
  collect it, the static test of a chapter not on disk fails, the site build stops, and the
  README's chapter table is then out of date.
"""

from __future__ import annotations

import json
import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import _book
from helpers._book import BOOK, code_cells, explorer_classes, names_taken, widgets_built

pytestmark = pytest.mark.book

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
COURSE = ROOT / "nbgrader_solutions"


# ------------------------------------------------------------------------- the files on disk

def test_every_chapter_is_on_disk_with_its_twin_and_no_other_chapter_is():
    for chapter in BOOK.chapters:
        assert chapter.path().is_file(), f"book.toml lists {chapter.stem}; {chapter.path()} is missing"
        assert chapter.twin().is_file(), f"{chapter.stem} has no MyST twin {chapter.twin().name}"
    listed = BOOK.notebook_stems  # the chapters and the notebooks that continue them
    assert listed == sorted(listed), f"book.toml's notebooks do not sort in reading order: {listed}"
    on_disk = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
    twins = sorted(p.stem for p in NOTEBOOKS.glob("*.md") if p.name != "notation.md")
    assert on_disk == listed, f"notebooks/ holds {on_disk}; book.toml lists {listed}"
    assert twins == listed, f"notebooks/ holds the MyST twins {twins}; book.toml lists {listed}"


CONTINUED = [c for c in BOOK.chapters if c.further]  # the chapters a second notebook continues


@pytest.mark.parametrize("chapter", CONTINUED, ids=lambda c: c.further)
def test_a_notebook_that_continues_a_chapter_runs_it_first_and_builds_no_widget(chapter):
    further = NOTEBOOKS / f"{chapter.further}.ipynb"
    assert f"%run {chapter.stem}.ipynb" in code_cells(further)[0], f"{further.name}'s first cell does not run {chapter.stem}.ipynb"
    assert widgets_built(further) == [], f"{further.name} builds widgets the manifest cannot list"


def listed_names(markdown: str) -> dict[str, str]:
    """The fold "The names this notebook takes from chapter N": each `name` of its table, mapped to
    the section its row starts with."""
    fold = re.search(r"<summary>The names this notebook takes from chapter \d+</summary>(.*?)</details>", markdown, re.S)
    assert fold, "no fold listing the names taken from the chapter"
    rows = re.findall(r"^\| ([\w.]+)[^|]* \| (.+) \|$", fold.group(1), re.M)
    return {name: section for section, names in rows for name in re.findall(r"`(\w+)`", names)}


@pytest.mark.parametrize("chapter", CONTINUED, ids=lambda c: c.further)
def test_a_notebook_that_continues_a_chapter_lists_every_name_it_takes_from_it(chapter):
    stem = chapter.further
    markdown = (NOTEBOOKS / f"{stem}.md").read_text(encoding="utf-8")
    taken = names_taken(chapter.path(), NOTEBOOKS / f"{stem}.ipynb")
    assert len(taken) > 10, f"{stem} takes only {sorted(taken)} from {chapter.stem}: is the name analysis working?"
    listed = listed_names(markdown)
    missing = {n: s for n, s in taken.items() if n not in listed}
    extra = sorted(set(listed) - set(taken))
    misplaced = {n: (listed[n], s) for n, s in taken.items() if n in listed and listed[n] != s}
    assert not (missing or extra or misplaced), (f"{stem}'s list of names taken from {chapter.stem}: missing "
                                                 f"{missing}, not taken {extra}, listed under another section {misplaced}")


def test_the_name_analysis_sees_a_name_read_before_it_is_defined(tmp_path):
    def notebook(path, *sources):
        cells = [{"cell_type": "markdown", "metadata": {}, "source": "## 9.1 A section"}]
        cells += [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": s}
                  for s in sources]
        path.write_text(json.dumps({"cells": cells}), encoding="utf-8")
        return path
    chapter = notebook(tmp_path / "a.ipynb", "import numpy as np\nx, w = np.ones(3), 2\ndef f(v):\n    return v * w")
    further = notebook(tmp_path / "b.ipynb", "%run a.ipynb", "y = f(x)\nw = 3\nprint(np.sum(y), w, len(y))")
    assert names_taken(chapter, further) == {"f": "9.1", "x": "9.1"}  # w is redefined before it is read; np imported


def test_the_name_analysis_lists_a_name_under_the_section_that_last_defines_it(tmp_path):
    cells = [{"cell_type": "markdown", "metadata": {}, "source": "## 9.1 A section"},
             {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": "x = 1"},
             {"cell_type": "markdown", "metadata": {}, "source": "## 9.2 Another"},
             {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": "x = 2\ny = x"}]
    chapter, further = tmp_path / "a.ipynb", tmp_path / "b.ipynb"
    chapter.write_text(json.dumps({"cells": cells}), encoding="utf-8")
    further.write_text(json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [],
                                              "execution_count": None, "source": "print(x, y)"}]}), encoding="utf-8")
    assert names_taken(chapter, further) == {"x": "9.2", "y": "9.2"}  # x's value is the one 9.2 gave it


@pytest.mark.parametrize("stem", BOOK.stems)
def test_the_chapter_builds_exactly_the_widgets_listed(stem):
    classes = explorer_classes()
    listed = list(BOOK.chapter(stem).widgets)
    unknown = [name for name in listed if name not in classes]
    assert not unknown, f"book.toml lists {unknown} for {stem}; helpers.widgets defines {sorted(classes)}"
    built = widgets_built(BOOK.chapter(stem).path())
    assert built == listed, f"{stem}: the code builds {built}, book.toml lists {listed}"


def test_every_explorer_class_is_listed_for_a_chapter():
    listed = {name for chapter in BOOK.chapters for name in chapter.widgets}
    assert set(explorer_classes()) == listed == set(BOOK.widgets)


def test_every_assignment_has_its_source_student_version_and_submissions_and_no_other_exists():
    for chapter in BOOK.chapters:
        assert chapter.source_notebook().is_file(), f"{chapter.source_notebook()} is missing"
        assert chapter.student_notebook().is_file(), f"the student version {chapter.student_notebook()} is not committed"
        fixtures = ROOT / "tests" / "nbgrader_submissions" / f"{chapter.assignment}.py"
        assert fixtures.is_file(), f"{chapter.assignment} has no prepared submissions {fixtures}"
        assert [p.name for p in chapter.source_notebook().parent.glob("*.ipynb")] == [chapter.notebook]
    for folder in (COURSE / "source", NOTEBOOKS / "exercises"):
        present = sorted(p.name for p in folder.iterdir() if p.is_dir())
        assert present == BOOK.assignments, f"{folder} holds {present}; book.toml lists {BOOK.assignments}"
    fixtures = sorted(p.stem for p in (ROOT / "tests" / "nbgrader_submissions").glob("*.py"))
    assert fixtures == BOOK.assignments


def test_assignment_notebooks_are_named_as_zip_collect_expects():
    config = (COURSE / "nbgrader_config.py").read_text(encoding="utf-8")
    pattern = re.search(r'named_regexp = r"(.+)"', config)[1]
    for chapter in BOOK.chapters:
        path = f"downloaded/{chapter.assignment}/extracted/alice_1_{chapter.notebook}"
        match = re.match(pattern, path)
        assert match and match["file_id"] == chapter.notebook, f"zip_collect would not file {chapter.notebook}"


def test_teaching_md_lists_every_assignment_with_its_test_cells_and_points():
    """TEACHING.md's table of assignments: those of the manifest, in order, each with the number of
    its autograded test cells and its points (autograded + written) as its source notebook has them."""
    text = (COURSE / "TEACHING.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(\w+)` \| .*\((\d+)\) \| .* \| (\d+) \+ (\d+) \|$", text, re.M)
    assert [r[0] for r in rows] == BOOK.assignments, f"TEACHING.md lists {[r[0] for r in rows]}"
    for (assignment, n_tests, auto, written), chapter in zip(rows, BOOK.chapters):
        cells = json.loads(chapter.source_notebook().read_text(encoding="utf-8"))["cells"]
        graded = [(c["cell_type"], c["metadata"]["nbgrader"]) for c in cells if c["metadata"].get("nbgrader", {}).get("grade")]
        tests = [m["points"] for kind, m in graded if kind == "code" and not m.get("solution")]
        answers = [m["points"] for kind, m in graded if kind == "markdown"]
        assert (int(n_tests), int(auto), int(written)) == (len(tests), sum(tests), sum(answers)), (
            f"TEACHING.md says {assignment} has {n_tests} test cells and {auto} + {written} points; "
            f"its notebook has {len(tests)} and {sum(tests)} + {sum(answers)}")


def test_the_site_describes_pictures_of_listed_chapters_only():
    alt_text = runpy.run_path(str(ROOT / "site" / "book_figures.py"))["ALT_TEXT"]
    assert set(alt_text) <= set(BOOK.stems), sorted(set(alt_text) - set(BOOK.stems))


def test_a_manifest_with_a_mistake_is_refused(tmp_path):
    text = _book.MANIFEST.read_text(encoding="utf-8")
    cases = {
        "an unknown key": text.replace('plays = "step through', 'play = "step through', 1),
        "a widget without its description": text.replace('widgets = ["ShapeExplorer"]',
                                                         'widgets = ["ShapeExplorer", "Slider"]', 1),
        "chapters out of order": text.replace('stem = "02_training', 'stem = "03_training', 1),
        "a continuation that sorts before its chapter": text.replace('further = "08b_', 'further = "07b_', 1),
    }
    for what, broken in cases.items():
        assert broken != text, what
        (tmp_path / "book.toml").write_text(broken, encoding="utf-8")
        with pytest.raises(ValueError):
            _book.load(tmp_path / "book.toml")
    with pytest.raises(KeyError, match="no chapter"):
        BOOK.chapter(len(BOOK.chapters) + 1)


# ---------------------------------------------------------------- every layer reads the manifest

EXTRA = """
[[chapter]]
stem = "{n:02d}_a_chapter_not_written"
title = "A chapter not written"
derives = "nothing yet"
plays = "nothing yet"
widgets = []
assignment = "ch{n:02d}_a_chapter_not_written"
notebook = "ch{n:02d}_exercises.ipynb"
"""


@pytest.fixture(scope="module")
def longer_manifest(tmp_path_factory):
    """book.toml with one chapter more, which is nowhere on disk."""
    n = len(BOOK.chapters) + 1
    path = tmp_path_factory.mktemp("manifest") / "book.toml"
    text = _book.MANIFEST.read_text(encoding="utf-8")
    head, widgets = text.split("\n[widget.", 1)
    path.write_text(head + EXTRA.format(n=n) + "\n[widget." + widgets, encoding="utf-8")
    return path, f"{n:02d}_a_chapter_not_written", f"ch{n:02d}_a_chapter_not_written"


def _pytest(manifest, *args):
    env = dict(os.environ, BOOK_MANIFEST=str(manifest), PYTHONPATH=os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]))
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:nbval",
                           "-o", "addopts=", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)


def test_every_test_layer_collects_a_chapter_added_to_the_manifest(longer_manifest):
    manifest, stem, assignment = longer_manifest
    modules = {  # module -> the name of the new chapter in its test ids
        "tests/test_notebooks_static.py": stem, "tests/test_site.py": stem, "tests/test_book_manifest.py": stem,
        "tests/browser/test_chapters.py": stem, "tests/browser/test_widgets.py": stem,
        "tests/test_exercises_student_versions.py": assignment,
    }
    proc = _pytest(manifest, "--collect-only", "-q", *modules)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    ids = proc.stdout.splitlines()
    missing = [m for m, name in modules.items() if not any(i.startswith(m) and name in i for i in ids)]
    assert not missing, f"these modules did not collect {stem} from BOOK_MANIFEST: {missing}"
    # the round trip collects one test per prepared submission: it goes looking for the new one's
    proc = _pytest(manifest, "--collect-only", "-q", "tests/test_nbgrader_roundtrip.py")
    assert proc.returncode != 0 and f"nbgrader_submissions/{assignment}.py" in proc.stdout, proc.stdout[-3000:]


def test_a_chapter_in_the_manifest_but_not_on_disk_fails_the_static_tests(longer_manifest):
    manifest, stem, _ = longer_manifest
    proc = _pytest(manifest, "-q", "tests/test_notebooks_static.py", "-k", stem)
    assert proc.returncode == 1 and re.search(r"\b\d+ failed", proc.stdout), proc.stdout[-3000:]
    proc = _pytest(manifest, "-q", "tests/test_book_manifest.py", "-k", "on_disk_with_its_twin")
    assert proc.returncode == 1 and f"book.toml lists {stem}" in proc.stdout, proc.stdout[-3000:]


def test_the_site_build_and_the_readme_follow_the_manifest(longer_manifest, tmp_path):
    manifest, stem, _ = longer_manifest
    code = ("import sys; sys.path[:0] = ['site', 'benchmarks']\n"
            "import build, readme_tables\n"
            "print(sorted(p.name for p in readme_tables.PAGES if any(b[2] != b[3] for b in readme_tables.blocks(p.read_text()))))\n"
            f"build.stage_sources(__import__('pathlib').Path({str(tmp_path)!r}))\n")
    env = dict(os.environ, BOOK_MANIFEST=str(manifest), PYTHONPATH=os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]))
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.stdout.splitlines()[:1] == ["['README.md', 'exercises.md', 'index.md']"], proc.stdout + proc.stderr
    assert proc.returncode == 1 and f"notebooks/{stem}.ipynb is missing" in proc.stderr, proc.stderr[-2000:]
