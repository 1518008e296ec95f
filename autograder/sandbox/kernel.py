"""What a notebook's kernel gives its cells, as far as grading needs it: one namespace with
``display()`` and a ``get_ipython()`` that runs harmless magics and refuses the rest.

Imports nothing from the kit: the sandbox loads it as a plain file, the kit as a module.
"""

import builtins


class Shell:
    """The little of ``get_ipython()`` a graded notebook may use."""

    def __init__(self, namespace: dict) -> None:
        self.namespace = namespace

    def run_line_magic(self, name, line, _stack_depth=1):
        return self._magic(name, line)

    def run_cell_magic(self, name, line, cell):
        return self._magic(name, cell)

    def _magic(self, name, code):
        if name in ("time", "timeit", "capture"):
            exec(compile(code, "<magic>", "exec"), self.namespace)
            return None
        if name in ("matplotlib", "config", "load_ext", "autoreload", "aimport", "precision"):
            return None
        raise RuntimeError(f"the magic %{name} does not run while the notebook is graded")

    def system(self, *args, **kwargs):
        raise RuntimeError("shell commands (!...) do not run while the notebook is graded")

    getoutput = system


def namespace() -> dict:
    """A fresh namespace for a notebook's cells, as Jupyter's ``__main__``."""
    names = {"__name__": "__main__", "__builtins__": builtins, "display": lambda *a, **k: None}
    shell = Shell(names)
    names["get_ipython"] = lambda: shell
    return names
