"""The nbgrader course and the student versions committed in notebooks/exercises/.

The committed student versions must be exactly what `nbgrader generate_assignment` makes from the
source notebooks (cell types and sources, nbgrader ids and points), and must not hold any solution
code or hidden test. The source notebooks are the single source of truth, edited directly (in
JupyterLab with nbgrader's Create Assignment tools, or as JSON); these tests keep their structure
consistent: valid schema-3 metadata, locked test cells with points and unique ids, every task's
points in its heading equal to the points of its test cells, hidden tests in every test cell.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.course

pytest.importorskip("nbgrader")
from nbgrader.nbgraderformat import MetadataValidator  # noqa: E402

from helpers._book import BOOK  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "nbgrader_solutions"
ASSIGNMENTS = BOOK.assignments  # one per chapter, in the book's manifest (book.toml)
TASK = re.compile(r"## Task (\d+): .*\((\d+) points?\)")
REGION = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)### END \1", re.S)


def meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def read(path: Path):
    return nbformat.read(path, as_version=4)


def summary(nb):
    """What must agree between a generated and a committed student version."""
    return [
        (c.cell_type, c.source, meta(c).get("grade_id"), meta(c).get("points"), meta(c).get("locked", False))
        for c in nb.cells
    ]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    shutil.copytree(COURSE / "source", course / "source")
    shutil.copy(COURSE / "nbgrader_config.py", course / "nbgrader_config.py")
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(course / ".jupyter_config"))
    proc = subprocess.run(
        [sys.executable, "-m", "nbgrader", "generate_assignment", "*", "--force"],
        cwd=course, env=env, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return course / "release"



@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_notebook_structure_is_consistent(assignment):
    nb = read(BOOK.chapter(assignment).source_notebook())
    ids = [meta(c)["grade_id"] for c in nb.cells if meta(c)]
    assert len(ids) == len(set(ids)), f"duplicate grade ids in {assignment}"
    assert meta(nb.cells[1]) == {"grade": False, "grade_id": "setup", "locked": True, "schema_version": 3,
                                 "solution": False}, "the second cell is the locked setup cell"
    assert "Write the functions yourself" in nb.cells[0].source, "the introduction warns that helpers does not count"
    task_points, current, seen_solution = {}, None, False
    for cell in nb.cells:
        m = meta(cell)
        heading = TASK.match(cell.source) if cell.cell_type == "markdown" else None
        if heading:
            current = heading.group(1)
            task_points[current] = [int(heading.group(2)), 0]
            seen_solution = False
            continue
        if not m:
            continue
        assert m["schema_version"] == 3 and set(m) >= {"grade", "grade_id", "locked", "solution"}
        if m["solution"] and cell.cell_type == "code":
            assert not m["locked"] and not m["grade"], f"{m['grade_id']}: a code answer is unlocked and ungraded"
            seen_solution = True
        elif m["grade"] and cell.cell_type == "code":
            gid = m["grade_id"]
            assert m["locked"] and gid.startswith("test_"), f"{gid}: a test cell is locked and named test_*"
            assert isinstance(m["points"], int) and m["points"] > 0
            assert current is not None and seen_solution, f"{gid} follows no answer cell of its task"
            task_points[current][1] += m["points"]
        elif m["grade"]:  # written answer
            assert m["solution"] and not m["locked"] and m["grade_id"].startswith("answer_")
            task_points[current][1] += m["points"]
        else:
            assert m["locked"], f"{m['grade_id']}: a cell without points is locked (setup)"
    wrong = {task: pts for task, pts in task_points.items() if pts[0] != pts[1]}
    assert not wrong, f"task headings disagree with their cells' points (heading, cells): {wrong}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_notebook_has_valid_nbgrader_metadata_and_a_python3_kernel(assignment):
    nb = read(BOOK.chapter(assignment).source_notebook())
    assert nb.metadata["kernelspec"]["name"] == "python3"
    MetadataValidator().validate_nb(nb)  # raises on invalid schema-3 metadata or duplicate ids
    for cell in nb.cells:
        m = meta(cell)
        if not m:
            continue
        assert m["schema_version"] == 3
        assert {"grade", "grade_id", "locked", "solution"} <= set(m)
        if m["grade"]:
            assert m["points"] > 0
    tests = [c for c in nb.cells if meta(c).get("grade") and c.cell_type == "code"]
    answers = [c for c in nb.cells if meta(c).get("grade") and c.cell_type == "markdown"]
    tasks = [c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## Task")]
    assert 3 <= len(tasks) <= 13, f"{assignment} has {len(tasks)} graded tasks"  # one class session or two
    assert 1 <= len(answers) <= 2, "one or two written answers graded by hand"
    for cell in tests:
        assert "### BEGIN HIDDEN TESTS" in cell.source, f"{meta(cell)['grade_id']} has no hidden tests"
        assert "default_rng(" in cell.source.split("### BEGIN HIDDEN TESTS")[1], "hidden tests draw seeded random inputs"
    for cell in nb.cells:
        if meta(cell).get("solution") and cell.cell_type == "code":
            assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source


def test_the_course_has_at_least_30_autograded_test_cells():
    count = 0
    for assignment in ASSIGNMENTS:
        nb = read(BOOK.chapter(assignment).source_notebook())
        count += sum(1 for c in nb.cells if c.cell_type == "code" and meta(c).get("grade") and not meta(c).get("solution"))
    assert count >= 30, f"only {count} autograded test cells"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_committed_student_version_is_what_generate_assignment_produces(generated, assignment):
    fresh = read(generated / assignment / BOOK.chapter(assignment).notebook)
    committed = read(BOOK.chapter(assignment).student_notebook())
    assert summary(committed) == summary(fresh), (
        f"notebooks/exercises/{assignment} drifted from its source: regenerate it (see nbgrader_solutions/TEACHING.md)"
    )
    assert committed.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_student_version_holds_no_solution_code_and_no_hidden_tests(assignment):
    source = read(BOOK.chapter(assignment).source_notebook())
    student = read(BOOK.chapter(assignment).student_notebook())
    by_id = {meta(c)["grade_id"]: c for c in student.cells if meta(c).get("grade_id")}
    text = "\n".join(c.source for c in student.cells)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "_il.reload"):
        assert marker not in text, f"the student version contains {marker!r}"
    for cell in source.cells:
        m = meta(cell)
        if not m.get("grade_id"):
            continue
        released = by_id[m["grade_id"]]
        for _, region in REGION.findall(cell.source):
            for line in region.splitlines():
                line = line.strip()
                if len(line) >= 12 and not line.startswith("#"):
                    assert line not in released.source, f"{m['grade_id']}: the student version still contains {line!r}"
        if m.get("solution"):
            stub = "raise NotImplementedError()" if cell.cell_type == "code" else "YOUR ANSWER HERE"
            assert stub in released.source, f"{m['grade_id']} has no stub for the student"
    for cell in student.cells:
        assert not cell.get("outputs"), "the student version is saved without outputs"
