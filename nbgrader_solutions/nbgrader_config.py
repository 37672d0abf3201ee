# nbgrader configuration of the course: one assignment per chapter of the book.
# Run every nbgrader command from this directory (nbgrader_solutions/); all paths are relative to it.
c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "softmax-backprop-book"
c.CourseDirectory.source_directory = "source"        # instructor notebooks, with solutions and hidden tests
c.CourseDirectory.release_directory = "release"      # student versions made by `nbgrader generate_assignment`
c.CourseDirectory.submitted_directory = "submitted"  # submitted/<student>/<assignment>/
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"  # the gradebook, next to this file

# The notebooks are plain Python 3: grade them with the python3 kernel whatever a submission says.
c.Execute.kernel_name = "python3"
# Limit each cell to 30 s: a test cell that loops forever is interrupted, scores 0 and grading
# goes on with the next cell and the next student.
c.Execute.timeout = 30
c.Execute.interrupt_on_timeout = True

# What a student sees in place of a solution.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# On a JupyterHub, students fetch and submit through the exchange directory (see TEACHING.md):
# c.Exchange.root = "/srv/nbgrader/exchange"
