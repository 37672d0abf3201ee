"""nbgrader preprocessors of the course, switched on in `nbgrader_config.py`.

- `SandboxedTests` takes the place of nbgrader's `Execute` in `nbgrader autograde`. It does not
  run the notebook in a Jupyter kernel: it hands the submission's code cells and the gradebook's
  copy of the setup and test cells to `checker.py`, which runs the student's code in a sandbox and
  the tests in a fresh interpreter of its own (see there), then writes each cell's outputs. A test
  cell gets an error output exactly when its test failed, which is what nbgrader's own
  `SaveAutoGrades` reads to score it.
- `SaveAutoGradesAndReview` is `SaveAutoGrades` that also marks a test cell for manual grading
  when its grading was stopped (a hung or dead student process), so the Formgrader and the export
  show it as waiting for a human.
"""

from __future__ import annotations

import ast
import copy
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from nbformat.v4 import new_output
from traitlets import Float, Integer

from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import ClearHiddenTests, NbGraderPreprocessor, OverwriteCells, SaveAutoGrades

HERE = Path(__file__).resolve().parent
HIDDEN_NOTE = ("A hidden test of this task failed. Hidden tests call your functions on random shapes and "
               "values and on extreme inputs; their code is not shown.")


def allowed_helpers(setup_sources):
    """Names the locked setup cells import with `from helpers import ...`: graded code may use these."""
    names = []
    for source in setup_sources:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and node.module == "helpers":
                names += [alias.name for alias in node.names]
    return names


def reference_names():
    import helpers
    return sorted(set(getattr(helpers, "__all__", [])) | {n for n in dir(helpers) if not n.startswith("_")})


class SandboxedTests(NbGraderPreprocessor):
    """Grade the submission's test cells outside the student's process (replaces `Execute`)."""

    timeout = Integer(30, help="Seconds a code cell, or one part (visible, hidden) of a test cell, may run.").tag(config=True)
    memory_mb = Integer(1024, help="Address-space limit of the student's process, in MiB.").tag(config=True)
    cpu_seconds = Integer(120, help="CPU-time limit of one student process.").tag(config=True)
    output_chars = Integer(20000, help="Characters of output kept per cell; the rest is counted, not kept.").tag(config=True)
    tmp_mb = Integer(16, help="Size of the student's writable /tmp, in MiB.").tag(config=True)
    processes = Integer(64, help="Processes and threads the student's code may add (not enforced when grading as root).").tag(config=True)
    checker_margin = Float(60.0, help="Extra seconds before the checker itself is stopped.").tag(config=True)

    def preprocess(self, nb, resources):
        if shutil.which("bwrap") is None:
            raise RuntimeError("autograding runs student code in a bubblewrap sandbox: install it first "
                               "(Debian/Ubuntu: sudo apt-get install bubblewrap)")
        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gb:
            notebook = gb.find_notebook(info["notebook"], info["assignment"])
            trusted = {c.name: c.source for c in notebook.source_cells}
            tests = {c.name for c in notebook.grade_cells if c.cell_type == "code"} - {c.name for c in notebook.solution_cells}
            locked_code = {c.name for c in notebook.source_cells if c.locked and c.cell_type == "code"}
        setup, test_cells, cells = [], [], []
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if gid in tests:
                test_cells.append({"grade_id": gid, "source": trusted[gid], "index": index})
                continue
            source = cell.source
            if gid in locked_code:
                source = trusted[gid]
                setup.append(source)
            cells.append({"index": index, "source": source})
        missing = tests - {t["grade_id"] for t in test_cells}
        if missing:
            self.log.warning("Test cells missing from the submission (not graded): %s", sorted(missing))
        import helpers
        job = {
            "cells": cells, "setup": setup, "tests": test_cells,
            "allowed": allowed_helpers(setup), "reference_names": reference_names(),
            "mask": [str(Path(helpers.__file__).resolve().parent), str(Path.cwd().resolve())],
            "limits": {"timeout": self.timeout, "memory_bytes": self.memory_mb * 2**20, "cpu_seconds": self.cpu_seconds,
                       "tmp_bytes": self.tmp_mb * 2**20, "processes": self.processes, "output_chars": self.output_chars},
        }
        result = self._check(job)
        self._write_outputs(nb, cells, test_cells, result)
        review = {gid: t["error"]["review"] for gid, t in result["tests"].items()
                  if t.get("error") and t["error"].get("review")}
        resources.setdefault("course_grading", {})["review"] = review
        for gid, why in review.items():
            self.log.warning("%s needs a human: %s", gid, why)
        return nb, resources

    def _check(self, job):
        budget = (len(job["cells"]) + 2 * len(job["tests"])) * self.timeout * 2 + self.checker_margin
        with tempfile.TemporaryDirectory(prefix="course-grading-") as tmp:
            job_path, out_path = Path(tmp, "job.json"), Path(tmp, "result.json")
            job_path.write_text(json.dumps(job))
            try:
                proc = subprocess.run([sys.executable, str(HERE / "checker.py"), str(job_path), str(out_path)],
                                      capture_output=True, text=True, timeout=budget)
                failed = proc.returncode != 0 or not out_path.exists()
                detail = proc.stderr[-3000:]
            except subprocess.TimeoutExpired:
                failed, detail = True, f"the checker ran longer than {budget:.0f} s"
            if not failed:
                return json.loads(out_path.read_text())
        self.log.error("The checker failed; every test cell of this notebook needs a human:\n%s", detail)
        why = "the grader itself failed on this notebook (see the autograde log)"
        return {"cells": {}, "tests": {t["grade_id"]: {"stdout": "", "error": {"ename": "GradingStopped", "evalue": why,
                                                                                 "review": why, "part": "visible"}}
                                       for t in job["tests"]}}

    def _write_outputs(self, nb, cells, test_cells, result):
        for cell in cells:
            out = result["cells"].get(str(cell["index"]))
            target = nb.cells[cell["index"]]
            target.outputs = []
            if not out:
                continue
            io_ = out.get("io") or {}
            for name in ("stdout", "stderr"):
                if io_.get(name):
                    target.outputs.append(new_output("stream", name=name, text=io_[name]))
            if out.get("stopped"):
                target.outputs.append(new_output("error", ename="CellStopped", evalue=out["stopped"], traceback=[
                    f"This cell was stopped: {out['stopped']}.", "Grading went on without it."]))
            elif out.get("error"):
                err = out["error"]
                target.outputs.append(new_output("error", ename=err["type"], evalue=err["message"],
                                                 traceback=[err.get("traceback", ""), f"{err['type']}: {err['message']}"]))
        for test in test_cells:
            target = nb.cells[test["index"]]
            got = result["tests"].get(test["grade_id"], {"stdout": "", "error": {
                "ename": "GradingStopped", "evalue": "not graded", "review": "not graded", "part": "visible"}})
            target.outputs = []
            if got.get("stdout"):
                target.outputs.append(new_output("stream", name="stdout", text=got["stdout"]))
            err = got.get("error")
            if not err:
                continue
            if err.get("review"):
                lines = [f"Grading of this task was stopped: {err['evalue']}.",
                         "It scores 0 for now and is marked for your teacher to look at."]
            elif err["part"] == "hidden":
                lines = [HIDDEN_NOTE, f"{err['ename']}: {err['evalue']}"]
            else:
                where = test["source"].split("### BEGIN HIDDEN TESTS")[0].splitlines()
                line = err.get("line")
                lines = ([f"In the visible test, line {line}: {where[line - 1].strip()}"]
                         if line and 0 < line <= len(where) else []) + [f"{err['ename']}: {err['evalue']}"]
            if err.get("student_traceback"):
                lines.append("Where in your code:\n" + err["student_traceback"])
            target.outputs.append(new_output("error", ename=err["ename"], evalue=err["evalue"], traceback=lines))


class SaveAutoGradesAndReview(SaveAutoGrades):
    """nbgrader's SaveAutoGrades, plus: a test cell whose grading was stopped waits for a human."""

    def preprocess(self, nb, resources):
        self._review = resources.get("course_grading", {}).get("review", {})
        return super().preprocess(nb, resources)

    def _add_score(self, cell, resources):
        super()._add_score(cell, resources)
        gid = cell.metadata["nbgrader"]["grade_id"]
        if gid in self._review and utils.is_grade(cell):
            grade = self.gradebook.find_grade(gid, self.notebook_id, self.assignment_id, self.student_id)
            grade.needs_manual_grade = True
            self.gradebook.db.commit()


class OverwriteCellsKnowingHiddenTests(OverwriteCells):
    """nbgrader's OverwriteCells without a false alarm for every test cell with hidden tests.

    A released test cell lacks its hidden tests, so its checksum never matches the gradebook's,
    and nbgrader warns "checksum has changed" for every such cell of every student, which hides
    real tampering. Here a locked cell that is exactly the released form of the gradebook's cell
    is recognised as untouched; a cell that differs still gets nbgrader's warning. Either way the
    gradebook's source replaces it, as in nbgrader.
    """

    def preprocess_cell(self, cell, resources, cell_index):
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid and utils.is_locked(cell):
            try:
                source_cell = self.gradebook.find_source_cell(gid, self.notebook_id, self.assignment_id)
            except MissingEntry:
                source_cell = None
            if source_cell is not None and "### BEGIN HIDDEN TESTS" in source_cell.source:
                released = copy.deepcopy(cell)
                released.source = source_cell.source
                ClearHiddenTests()._remove_hidden_test_region(released)
                if released.source == cell.source:
                    cell.source = source_cell.source
        return super().preprocess_cell(cell, resources, cell_index)
