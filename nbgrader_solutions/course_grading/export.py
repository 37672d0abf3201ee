"""`nbgrader export` for the course: nbgrader's CSV columns plus what still needs a human.

nbgrader's own CSV writes 0 both for a task that failed and for a written answer nobody has
graded yet. This plugin adds three columns:

- `submitted`: yes or no (a missing submission also scores 0);
- `needs_human`: how many cells of the submission wait for a grader;
- `waiting_for`: which ones and why, e.g. `ch07_exercises/answer_diagonal_only (written answer,
  not graded yet)` or `ch07_exercises/test_softmax (autograde stopped: grade by hand)`.

The score columns count only what is graded so far.
"""

from __future__ import annotations

import csv

from nbgrader.api import MissingEntry
from nbgrader.plugins import ExportPlugin

COLUMNS = ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email", "raw_score",
           "late_submission_penalty", "score", "max_score", "submitted", "needs_human", "waiting_for"]


def waiting_for(submission):
    """(notebook/cell, why) for every grade of the submission that waits for a human."""
    out = []
    for notebook in submission.notebooks:
        for grade in notebook.grades:
            if not grade.needs_manual_grade or grade.manual_score is not None:
                continue
            if grade.cell.cell_type == "markdown" or grade.auto_score is None:
                why = "written answer, not graded yet"
            else:
                why = "autograde stopped: grade by hand"
            out.append((f"{notebook.name}/{grade.name}", why))
    return out


class CourseCsvExport(ExportPlugin):
    def export(self, gradebook):
        dest = self.to or "grades.csv"
        students = {str(s) for s in self.student}
        assignments = {str(a) for a in self.assignment}
        self.log.info("Exporting grades to %s", dest)
        with open(dest, "w", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=COLUMNS)
            writer.writeheader()
            for assignment in gradebook.assignments:
                if assignments and assignment.name not in assignments:
                    continue
                for student in gradebook.students:
                    if students and student.id not in students:
                        continue
                    row = {"assignment": assignment.name, "duedate": assignment.duedate or "",
                           "student_id": student.id, "last_name": student.last_name or "",
                           "first_name": student.first_name or "", "email": student.email or "",
                           "max_score": assignment.max_score}
                    try:
                        submission = gradebook.find_submission(assignment.name, student.id)
                    except MissingEntry:
                        row.update(timestamp="", raw_score=0.0, late_submission_penalty=0.0, score=0.0,
                                   submitted="no", needs_human=0, waiting_for="")
                    else:
                        pending = waiting_for(submission)
                        penalty = submission.late_submission_penalty or 0.0
                        row.update(timestamp=submission.timestamp or "", raw_score=submission.score,
                                   late_submission_penalty=penalty, score=max(0.0, submission.score - penalty),
                                   submitted="yes", needs_human=len(pending),
                                   waiting_for="; ".join(f"{cell} ({why})" for cell, why in pending))
                    writer.writerow(row)
