"""nbgrader configuration: the repository root is the course directory."""

c = get_config()  # noqa: F821 (nbgrader injects get_config)

c.CourseDirectory.course_id = "keras-course"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "assignments"

# What a student sees in place of a reference solution.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# nbgrader's Execute runs a notebook in a kernel for `nbgrader validate` (the Validate button):
# a notebook that loops forever stops there after 300 s. Autograde does not run Execute (the
# kit's sandbox grades, under its own limits: c.SandboxedAutograde below).
c.Execute.timeout = 300
c.Execute.interrupt_on_timeout = True

# Plain `nbgrader autograde` (and formgrader's Autograde button) grades through the kit's
# sandboxed engine: nbgrader's own steps, with the kit's in place of Execute, so student code
# never runs in a kernel beside the hidden tests. Settings: c.SandboxedAutograde.sandbox
# ("auto": the strongest isolation this machine allows, or refuse; see the README),
# .timeout, .cell_timeout, .memory_mb.
c.Autograde.autograde_preprocessors = [
    "autograder.commands.nbgrader_autograde.SandboxedAutograde",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# nbgrader writes the notebook after its first steps too: a lone surrogate in it (which JSON
# allows and UTF-8 does not) is replaced first, so the notebook is graded, not dropped.
c.Autograde.sanitize_preprocessors = [
    "autograder.commands.nbgrader_autograde.WritableText",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Caches that must never travel into a release or a feedback folder.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".hypothesis"]
