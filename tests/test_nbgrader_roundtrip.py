"""The nbgrader round trip on a temporary copy of the course, with nbgrader's real sqlite gradebook.

generate_assignment -> add students -> submit (the instructor's version, the untouched student
version, and the prepared wrong and hostile submissions of tests/nbgrader_submissions/) ->
autograde (one nbgrader call for every assignment and student) -> read the scores back with
nbgrader.api.Gradebook and compare them with what each submission deserves.

The cell timeout is lowered to 10 s in the copy so that the submission that loops forever costs
only 10 s. Everything runs once per module (a fixture); the tests then only read the gradebook.
"""

from __future__ import annotations

import importlib.util
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
from nbgrader.api import Gradebook  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "nbgrader_solutions"
FIXTURES = Path(__file__).resolve().parent / "nbgrader_submissions"
ASSIGNMENTS = sorted(p.name for p in (COURSE / "source").iterdir() if p.is_dir())
HOSTILE_KINDS = {"raises", "loops", "redefines_helpers", "deletes_function"}
TEST_TIMEOUT = 10  # seconds per cell in the copy of the course
MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")


def notebook_name(assignment: str) -> str:
    return f"{assignment[:4]}_exercises.ipynb"


def load_submissions(assignment: str) -> dict:
    path = FIXTURES / f"{assignment}.py"
    spec = importlib.util.spec_from_file_location(f"nbgrader_submissions_{assignment}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SUBMISSIONS


def strip_markers(source: str) -> str:
    """The instructor's solution as a student would type it: without the solution markers."""
    return "\n".join(line for line in source.splitlines() if not MARKER.match(line))


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def graded_test_cells(nb) -> dict:
    """grade_id -> points of the autograded test cells."""
    return {
        nbgrader_meta(c)["grade_id"]: float(nbgrader_meta(c)["points"])
        for c in nb.cells
        if c.cell_type == "code" and nbgrader_meta(c).get("grade") and not nbgrader_meta(c).get("solution")
    }


def run_nbgrader(course: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env["JUPYTER_CONFIG_DIR"] = str(course / ".jupyter_config")  # ignore the user's own nbgrader config
    env.pop("NBGRADER_EXECUTION", None)
    proc = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args], cwd=course, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert proc.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}"
    return proc


def fill(release_nb, source_nb, replacements: dict):
    """The student version with every solution cell answered: the replacement if given, else the solution."""
    solutions = {nbgrader_meta(c)["grade_id"]: c.source for c in source_nb.cells if nbgrader_meta(c).get("solution")}
    nb = nbformat.from_dict(release_nb)
    unknown = set(replacements) - set(solutions)
    assert not unknown, f"the fixture fills cells that are not solution cells: {sorted(unknown)}"
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if meta.get("solution") and cell.cell_type == "code":
            gid = meta["grade_id"]
            cell.source = replacements[gid].strip("\n") if gid in replacements else strip_markers(solutions[gid])
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Run the whole round trip once; return what the tests need to read the gradebook."""
    course = tmp_path_factory.mktemp("course")
    shutil.copytree(COURSE / "source", course / "source")
    config = (COURSE / "nbgrader_config.py").read_text()
    config += f"\n# round-trip test: short cell timeout\nc.Execute.timeout = {TEST_TIMEOUT}\n"
    (course / "nbgrader_config.py").write_text(config)

    run_nbgrader(course, "generate_assignment", "ch*", "--force")

    plan = {}  # assignment -> {student: set of failing test cells, or "all" / "none"}
    students = {"instructor", "blank"}
    for assignment in ASSIGNMENTS:
        name = notebook_name(assignment)
        source_nb = nbformat.read(course / "source" / assignment / name, as_version=4)
        release_nb = nbformat.read(course / "release" / assignment / name, as_version=4)
        submissions = {"instructor": source_nb, "blank": release_nb}
        expected = {"instructor": set(), "blank": set(graded_test_cells(source_nb))}
        for student, spec in load_submissions(assignment).items():
            submissions[student] = fill(release_nb, source_nb, spec["cells"])
            expected[student] = set(spec["fails"])
            students.add(student)
        for student, nb in submissions.items():
            folder = course / "submitted" / student / assignment
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / name)
        plan[assignment] = expected

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id="softmax-backprop-book") as gb:
        for student in sorted(students):
            gb.update_or_create_student(student, first_name=student, last_name="test")

    proc = run_nbgrader(course, "autograde", "ch*", "--force", timeout=900)
    return {"course": course, "plan": plan, "log": proc.stdout + proc.stderr}


def scores(course: Path, assignment: str, student: str) -> dict:
    """grade_id -> (auto_score, max_score) of the autograded test cells of one submission."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id="softmax-backprop-book") as gb:
        nb = gb.find_submission_notebook(notebook_name(assignment)[:-6], assignment, student)
        return {
            g.name: (g.auto_score, g.max_score)
            for g in nb.grades
            if g.cell.cell_type == "code" and g.name.startswith("test_")
        }


def written(course: Path, assignment: str, student: str) -> dict:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id="softmax-backprop-book") as gb:
        nb = gb.find_submission_notebook(notebook_name(assignment)[:-6], assignment, student)
        return {g.name: (g.auto_score, g.needs_manual_grade) for g in nb.grades if g.cell.cell_type == "markdown"}


# ----------------------------------------------------------------------------------- the tests
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_instructor_solution_gets_full_autograded_marks(graded, assignment):
    got = scores(graded["course"], assignment, "instructor")
    assert got, "no autograded cells found in the gradebook"
    lost = {gid: s for gid, s in got.items() if s[0] != s[1]}
    assert not lost, f"the solution loses points in {lost}"
    answers = written(graded["course"], assignment, "instructor")
    assert answers and all(needs for _, needs in answers.values()), "written answers must wait for a human grader"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_blank_student_version_scores_zero(graded, assignment):
    got = scores(graded["course"], assignment, "blank")
    assert got and all(s[0] == 0 for s in got.values()), f"the untouched student version scores {got}"
    answers = written(graded["course"], assignment, "blank")
    assert all(score == 0 and not needs for score, needs in answers.values()), "an unanswered written question scores 0"


def _cases():
    for assignment in ASSIGNMENTS:
        for student in load_submissions(assignment):
            yield pytest.param(assignment, student, id=student)


@pytest.mark.parametrize("assignment, student", list(_cases()))
def test_prepared_submission_loses_exactly_the_points_of_its_wrong_tasks(graded, assignment, student):
    got = scores(graded["course"], assignment, student)
    fails = graded["plan"][assignment][student]
    assert fails <= set(got), f"the fixture names unknown test cells: {sorted(fails - set(got))}"
    wrong = {gid: s for gid, s in got.items() if (s[0] == 0) != (gid in fails) or (gid not in fails and s[0] != s[1])}
    assert not wrong, f"{student}: scores {got}, expected to lose exactly {sorted(fails)}"
    total = sum(s[0] for s in got.values())
    assert total == sum(s[1] for s in got.values()) - sum(got[gid][1] for gid in fails)


def test_every_assignment_has_a_wrong_submission_and_all_hostile_kinds_are_covered():
    kinds = set()
    for assignment in ASSIGNMENTS:
        subs = load_submissions(assignment)
        assert any(s["kind"] == "wrong" for s in subs.values()), f"{assignment} has no typical wrong submission"
        kinds |= {s["kind"] for s in subs.values()}
    assert HOSTILE_KINDS <= kinds, f"missing hostile submissions: {sorted(HOSTILE_KINDS - kinds)}"


def test_looping_submission_was_interrupted_and_grading_went_on(graded):
    log = graded["log"]
    assert "Timeout" in log or "timeout" in log.lower(), "the cell timeout never fired"
    # every submission of every assignment was graded (autograde completed for everyone)
    for assignment, expected in graded["plan"].items():
        for student in expected:
            assert scores(graded["course"], assignment, student), f"{student} was not graded for {assignment}"
