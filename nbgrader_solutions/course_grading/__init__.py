"""Grading machinery of the course, switched on in `nbgrader_config.py`.

`preprocessors.SandboxedTests` (in place of nbgrader's Execute) and `checker.py` grade a
submission outside the student's process; `sandbox_runner.py` is what runs inside the sandbox;
`wire.py` is the plain-data protocol between the two; `export.CourseCsvExport` is the export.
"""
