# nbgrader configuration of the course: one assignment per chapter of the book.
# Run every nbgrader command from this directory (nbgrader_solutions/); all paths are relative to it.
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # makes course_grading/ importable

from nbgrader.preprocessors import (  # noqa: E402
    AssignLatePenalties, CheckCellMetadata, ClearHiddenTests, ClearOutput, DeduplicateIds, GetGrades, IgnorePattern,
    LimitOutput, OverwriteKernelspec,
)
from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor  # noqa: E402

from course_grading.preprocessors import (  # noqa: E402
    OverwriteCellsKnowingHiddenTests, SandboxedTests, SaveAutoGradesAndReview,
)

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "softmax-backprop-book"
c.CourseDirectory.source_directory = "source"        # instructor notebooks, with solutions and hidden tests
c.CourseDirectory.release_directory = "release"      # student versions made by `nbgrader generate_assignment`
c.CourseDirectory.submitted_directory = "submitted"  # submitted/<student>/<assignment>/
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"  # the gradebook, next to this file

# Autograde: the student's code runs in a bubblewrap sandbox (no course directory, no gradebook,
# no `helpers`; memory, CPU-time and output limits), and the tests run in a fresh interpreter
# that calls the student's functions across the sandbox wall and compares there. This replaces
# nbgrader's Execute; everything else is nbgrader's own pipeline. See TEACHING.md.
c.Autograde.sanitize_preprocessors = [
    ClearOutput,
    DeduplicateIds,
    OverwriteKernelspec,
    OverwriteCellsKnowingHiddenTests,  # nbgrader's OverwriteCells, without a false "checksum changed" per test cell
    CheckCellMetadata,
]
c.Autograde.autograde_preprocessors = [
    SandboxedTests,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGradesAndReview,  # nbgrader's SaveAutoGrades + "needs a human" when grading was stopped
    AssignLatePenalties,
    CheckCellMetadata,
]
c.SandboxedTests.timeout = 30        # s per code cell and per part (visible, hidden) of a test cell
c.SandboxedTests.memory_mb = 1024    # address space of the student's process
c.SandboxedTests.cpu_seconds = 120   # CPU time of one student process
c.SandboxedTests.output_chars = 20000  # output kept per cell; a flood is counted, not kept
# A test cell deleted from a submission comes back from the gradebook (and fails if its function is missing).
c.OverwriteCells.add_missing_cells = True

# Feedback never shows hidden tests: they are cut from the test cells before the HTML is written
# (the failing hidden check's message is in the cell's output).
c.GenerateFeedback.preprocessors = [ClearHiddenTests, GetGrades, CSSHTMLHeaderPreprocessor]

# `nbgrader export` adds which cells wait for a human (written answers, stopped autogrades).
c.ExportApp.plugin_class = "course_grading.export.CourseCsvExport"

# `nbgrader zip_collect <assignment>`: files downloaded from an LMS, named
# <student id>_<anything>_<notebook>.ipynb, e.g. alice_12345_ch07_exercises.ipynb, in
# downloaded/<assignment>/archive/ (zip archives of such files are unpacked first).
c.ZipCollectApp.collector_plugin = "nbgrader.plugins.zipcollect.FileNameCollectorPlugin"
# The expression is matched against the whole path; student ids must not contain "_".
c.FileNameCollectorPlugin.named_regexp = r".*/(?P<student_id>[A-Za-z0-9.-]+)_(?:[^/]*_)?(?P<file_id>ch\d\d_exercises\.ipynb)$"

# What a student sees in place of a solution.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# On a JupyterHub, students fetch and submit through the exchange directory (see TEACHING.md):
# c.Exchange.root = "/srv/nbgrader/exchange"
