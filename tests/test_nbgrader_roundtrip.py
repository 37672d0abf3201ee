"""The nbgrader round trip on a temporary copy of the course, with nbgrader's real sqlite gradebook.

The commands of nbgrader_solutions/TEACHING.md, in its order: generate_assignment -> import the
sample students.csv -> submit (the instructor's version, the untouched student version, the
prepared wrong, broken and hostile submissions of tests/nbgrader_submissions/, and one file
collected by zip_collect from an LMS-style download), each with a timestamp.txt, and one that
goes through the exchange (release_assignment, a student's fetch_assignment and submit with
the student-side config, collect) -> autograde (one nbgrader call for every assignment and
student) -> generate_feedback -> release_feedback and fetch_feedback for the exchange
submission -> export. The tests then read the gradebook (nbgrader.api.Gradebook), the feedback files and
the exported CSV, and compare them with what each submission deserves.

The sandbox's time limit is lowered to 10 s in the copy (30 s in the course) so that the submissions
that hang cost only that; chapter 8's test that trains four networks on the digits takes about 3 s.
Everything runs once per module (a fixture).
"""

from __future__ import annotations

import csv
import html
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

from helpers._book import BOOK  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "nbgrader_solutions"
FIXTURES = Path(__file__).resolve().parent / "nbgrader_submissions"
ASSIGNMENTS = BOOK.assignments  # one per chapter, in the book's manifest (book.toml)
HOSTILE_KINDS = {"raises", "loops", "redefines_helpers", "deletes_function", "patches_comparisons", "patches_reload",
                 "patches_import_system", "reads_course_files", "calls_reference", "kills_process", "out_of_memory",
                 "hangs", "stray_output", "output_flood", "silences_errors", "lying_objects", "tampers_with_tests", "shadows_names"}
TEST_TIMEOUT = 10  # seconds per cell in the copy of the course
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)
TIMESTAMP = "2026-11-30 09:00:00.000000 UTC"
STAMP_MISSING = ('for d in submitted/*/*/; do [ -f "$d/timestamp.txt" ] || '
                 'date -u +"%Y-%m-%d %H:%M:%S.%6N UTC" > "$d/timestamp.txt"; done')  # as in TEACHING.md
MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")


def notebook_name(assignment: str) -> str:
    return BOOK.chapter(assignment).notebook


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


def fill(release_nb, source_nb, spec: dict):
    """The student version with every solution cell answered: the fixture's code if given, else the
    instructor's solution (or the untouched stub for a fixture that answers nothing); then the
    fixture's tampering with test cells (replaced, deleted, or stripped of their nbgrader metadata)."""
    replacements = spec.get("cells", {})
    solutions = {nbgrader_meta(c)["grade_id"]: c.source for c in source_nb.cells if nbgrader_meta(c).get("solution")}
    nb = nbformat.from_dict(release_nb)
    unknown = set(replacements) - set(solutions)
    assert not unknown, f"the fixture fills cells that are not solution cells: {sorted(unknown)}"
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        gid = meta.get("grade_id")
        if meta.get("solution") and cell.cell_type == "code":
            if gid in replacements:
                cell.source = replacements[gid].strip("\n")
            elif not spec.get("answers_nothing"):
                cell.source = strip_markers(solutions[gid])
        if gid in spec.get("replace_tests", {}):
            cell.source = spec["replace_tests"][gid]
        if gid in spec.get("ungrade_cells", []):
            del cell.metadata["nbgrader"]
    nb.cells = [c for c in nb.cells if nbgrader_meta(c).get("grade_id") not in spec.get("delete_cells", [])]
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Run the whole round trip once; return what the tests need to read the gradebook."""
    course = tmp_path_factory.mktemp("course")
    shutil.copytree(COURSE / "source", course / "source")
    config = (COURSE / "nbgrader_config.py").read_text()
    config += (f"\n# round-trip test: short time limit, a private exchange\n"
               f"c.SandboxedTests.timeout = {TEST_TIMEOUT}\nc.Exchange.root = {str(course / 'exchange')!r}\n")
    (course / "nbgrader_config.py").write_text(config)
    shutil.copytree(COURSE / "course_grading", course / "course_grading", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(COURSE / "students.csv", course / "students.csv")
    (course / "exchange").mkdir()

    run_nbgrader(course, "generate_assignment", "*", "--force")
    run_nbgrader(course, "db", "student", "import", "students.csv")

    plan = {}  # assignment -> {student: set of failing test cells, or "all" / "none"}
    students = {"instructor", "blank"}
    for assignment in ASSIGNMENTS:
        name = notebook_name(assignment)
        source_nb = nbformat.read(course / "source" / assignment / name, as_version=4)
        release_nb = nbformat.read(course / "release" / assignment / name, as_version=4)
        submissions = {"instructor": source_nb, "blank": release_nb}
        expected = {"instructor": set(), "blank": set(graded_test_cells(source_nb))}
        for student, spec in load_submissions(assignment).items():
            submissions[student] = fill(release_nb, source_nb, spec)
            expected[student] = set(spec["fails"])
            students.add(student)
        for student, nb in submissions.items():
            folder = course / "submitted" / student / assignment
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / name)
            (folder / "timestamp.txt").write_text(TIMESTAMP)
        plan[assignment] = expected

    # a submission downloaded from an LMS: zip_collect files it under the student's id
    first = ASSIGNMENTS[0]
    archive = course / "downloaded" / first / "archive"
    archive.mkdir(parents=True)
    shutil.copy(course / "source" / first / notebook_name(first), archive / f"zipped_1234_{notebook_name(first)}")
    run_nbgrader(course, "zip_collect", first)
    # TEACHING.md: give every submission put in place by hand or by zip_collect a timestamp
    subprocess.run(["bash", "-c", STAMP_MISSING], cwd=course, check=True)
    plan[first]["zipped"] = set()
    students.add("zipped")

    # the exchange cycle: alice (from students.csv) fetches and submits with the student-side
    # configuration of TEACHING.md; the cache line stands in for her own home directory
    run_nbgrader(course, "release_assignment", first)
    home = tmp_path_factory.mktemp("alice_home")
    (home / "nbgrader_config.py").write_text(
        'c = get_config()\nc.CourseDirectory.course_id = "softmax-backprop-book"\n'
        f"c.Exchange.root = {str(course / 'exchange')!r}\nc.Exchange.cache = {str(home / 'cache')!r}\n")
    run_nbgrader(home, "fetch_assignment", first, "--student", "alice")
    fetched = home / first / notebook_name(first)
    nbformat.write(fill(nbformat.read(fetched, as_version=4), nbformat.read(course / "source" / first / notebook_name(first),
                                                                             as_version=4), {}), fetched)
    run_nbgrader(home, "submit", first, "--student", "alice")
    collected = run_nbgrader(course, "collect", first)
    plan[first]["alice"] = set()

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id="softmax-backprop-book") as gb:
        imported = {s.id for s in gb.students}
        for student in sorted(students):
            gb.update_or_create_student(student, first_name=student, last_name="test")

    protected = {p: p.read_bytes() for p in [course / "nbgrader_config.py", *sorted((course / "source").rglob("*.ipynb"))]}
    proc = run_nbgrader(course, "autograde", "*", "--force", timeout=1800)
    feedback = run_nbgrader(course, "generate_feedback", "*", "--force", timeout=900)
    run_nbgrader(course, "release_feedback", first, "--student", "alice")  # only exchange submissions
    run_nbgrader(home, "fetch_feedback", first, "--student", "alice")
    run_nbgrader(course, "export", "--to", "grades.csv")
    return {"course": course, "plan": plan, "log": proc.stdout + proc.stderr, "imported": imported,
            "protected": protected, "feedback_log": feedback.stdout + feedback.stderr,
            "alice_home": home, "collect_log": collected.stdout + collected.stderr}


def scores(course: Path, assignment: str, student: str) -> dict:
    """grade_id -> (auto_score, max_score) of the autograded test cells of one submission."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id="softmax-backprop-book") as gb:
        nb = gb.find_submission_notebook(notebook_name(assignment)[:-6], assignment, student)
        return {
            g.name: (g.auto_score, g.max_score)
            for g in nb.grades
            if g.cell.cell_type == "code" and g.name.startswith("test_")
        }


def needs_human(course: Path, assignment: str, student: str) -> set:
    """Autograded test cells the gradebook marks for manual grading."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", course_id="softmax-backprop-book") as gb:
        nb = gb.find_submission_notebook(notebook_name(assignment)[:-6], assignment, student)
        return {g.name for g in nb.grades if g.cell.cell_type == "code" and g.needs_manual_grade}


def feedback_text(course: Path, assignment: str, student: str) -> str:
    page = (course / "feedback" / student / assignment / notebook_name(assignment).replace(".ipynb", ".html")).read_text()
    return html.unescape(re.sub(r"<[^>]+>", "", page))


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


def test_every_submission_was_graded_and_only_stopped_tasks_wait_for_a_human(graded):
    course = graded["course"]
    assert "needs a human" in graded["log"], "no grading was ever stopped"
    for assignment, expected in graded["plan"].items():
        subs = load_submissions(assignment)
        for student in expected:
            assert scores(course, assignment, student), f"{student} was not graded for {assignment}"
            review = set(subs.get(student, {}).get("review", []))
            assert needs_human(course, assignment, student) == review, f"{student}: tasks marked for a human"


def test_a_submission_that_answers_nothing_scores_zero_whatever_it_tries(graded):
    count = 0
    for assignment in ASSIGNMENTS:
        for student, spec in load_submissions(assignment).items():
            if spec.get("answers_nothing"):
                got = scores(graded["course"], assignment, student)
                assert sum(s[0] for s in got.values()) == 0, f"{student} scores {got}"
                count += 1
    assert count >= 5


def test_student_code_could_not_touch_the_course_or_the_reference(graded):
    for path, content in graded["protected"].items():
        assert path.read_bytes() == content, f"{path.name} changed during autograde"
    import helpers
    assert not (Path(helpers.__file__).parent / "tampered.txt").exists()
    assert not (graded["course"] / "gradebook.db").read_bytes().endswith(b"# tampered\n")


def test_no_feedback_file_contains_hidden_test_code(graded):
    course = graded["course"]
    hidden_lines = set()
    for assignment in ASSIGNMENTS:
        nb = nbformat.read(COURSE / "source" / assignment / notebook_name(assignment), as_version=4)
        for cell in nb.cells:
            for region in HIDDEN.findall(cell.source):
                hidden_lines |= {line.strip() for line in region.splitlines() if len(line.strip()) >= 12}
    assert any("default_rng(" in line for line in hidden_lines)
    pages = sorted((course / "feedback").rglob("*.html"))
    graded_count = sum(len(expected) for expected in graded["plan"].values())
    assert len(pages) == graded_count, "every submission gets its feedback, including those whose process died"
    for page in pages:
        text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))
        leaked = [line for line in hidden_lines if line in text]
        assert not leaked, f"{page.relative_to(course)} shows hidden test code: {leaked[:3]}"
        assert "BEGIN HIDDEN TESTS" not in text and "default_rng(7" not in text


def test_feedback_names_the_failed_hidden_check_and_the_reference_rule(graded):
    course = graded["course"]
    text = feedback_text(course, "ch07_softmax_cross_entropy", "ch07_naive_softmax")
    assert "A hidden test of this task failed" in text and "RuntimeWarning: invalid value encountered" in text
    for assignment in ASSIGNMENTS:
        for student, spec in load_submissions(assignment).items():
            if "feedback_says" in spec:
                assert spec["feedback_says"] in feedback_text(course, assignment, student), student


def test_floods_and_stray_warnings_cost_nothing_and_stay_small(graded):
    course = graded["course"]
    for path in (course / "autograded").rglob("*.ipynb"):
        assert path.stat().st_size < 1_000_000, f"{path} is {path.stat().st_size} bytes"
    text = feedback_text(course, "ch07_softmax_cross_entropy", "ch07_stray_warning")
    assert "softmax called" in text and "costs no points" in text


def test_sample_students_were_imported_and_zip_collect_filed_the_download(graded):
    assert {"alice", "bob", "carol"} <= graded["imported"]
    got = scores(graded["course"], ASSIGNMENTS[0], "zipped")
    assert got and all(s[0] == s[1] for s in got.values())


def test_export_tells_ungraded_written_answers_from_stopped_autogrades(graded):
    with open(graded["course"] / "grades.csv", newline="") as fh:
        rows = {(r["assignment"], r["student_id"]): r for r in csv.DictReader(fh)}
    instructor = rows[("ch07_softmax_cross_entropy", "instructor")]
    assert instructor["waiting_for"] == "ch07_exercises/answer_diagonal_only (written answer, not graded yet)"
    assert float(instructor["score"]) == 13.0 and instructor["needs_human"] == "1"
    hung = rows[("ch07_softmax_cross_entropy", "ch07_ignores_interrupt")]
    assert "test_cross_entropy_grad (autograde stopped: grade by hand)" in hung["waiting_for"]
    blank = rows[("ch07_softmax_cross_entropy", "blank")]
    assert blank["needs_human"] == "0" and float(blank["score"]) == 0.0
    absent = rows[("ch07_softmax_cross_entropy", "alice")]
    assert absent["submitted"] == "no"


def test_only_edited_test_cells_raise_the_checksum_warning(graded):
    # the released test cells lack their hidden tests; that alone must not look like tampering
    warnings_ = re.findall(r"Attribute 'checksum' for cell (\w+) has changed", graded["log"])
    edited = [gid for a in ASSIGNMENTS for spec in load_submissions(a).values() for gid in spec.get("replace_tests", {})]
    assert sorted(warnings_) == sorted(edited)


def test_exchange_cycle_delivers_grades_and_feedback_to_the_student(graded):
    first = ASSIGNMENTS[0]
    alice = scores(graded["course"], first, "alice")
    assert alice and all(s[0] == s[1] for s in alice.values())
    pages = list((graded["alice_home"] / first / "feedback").rglob("*.html"))
    assert len(pages) == 1, f"alice fetched {pages}"
    # the submission belongs to the operating-system user who ran the test, not to alice:
    # collect warns (TEACHING.md, "Student identity")
    assert "claims to be submitted by alice but is owned by" in graded["collect_log"]
