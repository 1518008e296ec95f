"""What a notebook's kernel gives its cells, as far as grading needs it: one namespace with
``display()`` and a ``get_ipython()`` that runs harmless magics and refuses the rest, and the
namespace as it stood at a graded cell.

Imports nothing from the kit: the sandbox loads it as a plain file, the kit as a module.
"""

import builtins
import copy
import types

#: Immutable values a kept container may hold and still be copied.
_ATOMS = (type(None), bool, int, float, complex, str, bytes, range, slice)
#: Containers of plain data, copied when the namespace is kept (a later cell that changes one
#: in place, or a list a tuple holds, changes the live namespace, not what an earlier graded
#: cell saw; a tuple of atoms copies as itself).
_CONTAINERS = (list, dict, set, bytearray, tuple, frozenset)
#: How many items (an array's elements counted) a kept namespace copies in all; beyond that,
#: and for any other kind of value (a model, a generator, a module), the value is shared.
COPY_BUDGET = 1_000_000
#: How deeply nested a container may be and still be copied (deeper, or a cycle: shared).
COPY_DEPTH = 32


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


def snapshot(names: dict, sources: tuple[str, ...] = ()) -> dict:
    """The namespace as it stands now, kept from what later cells do: a copy in which the
    functions defined in ``names`` see the copy, so a helper a later cell redefines (or
    defines only then) is, for them, what it was at this point, as when nbgrader runs a test
    cell here. Containers of plain data (lists, dicts, sets, tuples, NumPy arrays of numbers)
    are copied, as they stood; other values are shared. ``sources`` run in the copy first (say,
    the reference version of a helper, in place of the student's)."""
    kept, memo, left = dict(names), {}, COPY_BUDGET
    for key, value in names.items():
        budget = [left]
        if _mutable(value) and _plain(value, budget, 0):
            kept[key], left = copy.deepcopy(value, memo), budget[0]
    for source in sources:
        exec(compile(source, "<reference>", "exec"), kept)
    for key, value in names.items():
        if isinstance(value, types.FunctionType) and value.__globals__ is names and kept[key] is value:
            kept[key] = _rebound(value, kept)
    return kept


def _mutable(value) -> bool:
    return type(value) in _CONTAINERS or _is_array(value)


def _is_array(value) -> bool:
    kind = type(value)
    return kind.__module__ == "numpy" and kind.__name__ == "ndarray" and not value.dtype.hasobject


def _plain(value, budget: list[int], depth: int) -> bool:
    """Whether ``value`` is plain data worth copying, charging its items to ``budget``."""
    budget[0] -= value.size if _is_array(value) else 1
    if budget[0] < 0 or depth > COPY_DEPTH:
        return False
    kind = type(value)
    if kind in _ATOMS or _is_array(value):
        return True
    if kind is dict:
        return all(_plain(k, budget, depth + 1) and _plain(v, budget, depth + 1) for k, v in value.items())
    if kind in (list, tuple, set, frozenset):
        return all(_plain(v, budget, depth + 1) for v in value)
    return kind is bytearray


def _rebound(func: types.FunctionType, names: dict) -> types.FunctionType:
    """``func`` with ``names`` as its globals, otherwise the same function."""
    new = types.FunctionType(func.__code__, names, func.__name__, func.__defaults__, func.__closure__)
    new.__kwdefaults__ = func.__kwdefaults__
    new.__qualname__, new.__doc__, new.__module__ = func.__qualname__, func.__doc__, func.__module__
    new.__dict__.update(func.__dict__)
    return new
