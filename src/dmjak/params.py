"""Checks for papermill parameters, so a wrong name or value fails with the valid ones before any work.

papermill only warns about a parameter the notebook does not declare and runs on with the default;
``check_names`` makes that an error. ``check_range`` refuses booleans (``True`` is not the number 1)
and, for whole-number parameters, anything that is not an integer; ``check_choice`` does not let
``True`` stand for ``1`` or ``0`` for ``False``. Each check returns nothing, so a check on a notebook's
last line prints nothing under it. Imported in a kernel, the module also refuses an injected name that
would overwrite something the notebook imported (``refuse_shadowing``), since ``check_names`` could not.
"""

from __future__ import annotations

import ast
import math
import numbers
import types
from collections.abc import Iterable

from dmjak.models.inputs import finite, shown

# papermill's injected cell starts with this line (papermill.translators.Translator.codify).
_INJECTED_HEADER = "# Parameters"


class ParameterError(ValueError):
    """A notebook parameter has a name or value the notebook cannot use."""


def _same(value, option) -> bool:
    """Equal and of the same kind: a boolean matches only a boolean."""
    return isinstance(value, bool) == isinstance(option, bool) and value == option


def check_choice(name: str, value, valid: Iterable) -> None:
    """Raise, naming all valid values, unless ``value`` is one of ``valid``."""
    options = list(valid)
    if not any(_same(value, option) for option in options):
        raise ParameterError(f"Parameter {name}={value!r} is not valid; valid values: {options}")


def check_range(name: str, value, low: float, high: float, *, integer: bool = False, step: float | None = None) -> None:
    """Raise, naming the range, unless ``value`` is a number (whole if ``integer``) from ``low`` to ``high``,
    and, with ``step``, one the slider that shows it can show (``low`` plus a whole number of steps)."""
    kind = "a whole number" if integer else "a number"
    wanted = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, wanted):
        got = type(value).__name__
        raise ParameterError(
            f"Parameter {name}={shown(value)} is not valid ({kind} needed, got {got}); valid range: {low} to {high}"
        )
    if not (finite(value) and low <= value <= high):
        raise ParameterError(f"Parameter {name}={shown(value)} is not valid; valid range: {low} to {high}")
    if step is not None and not math.isclose((value - low) / step, round((value - low) / step), abs_tol=1e-6):
        raise ParameterError(
            f"Parameter {name}={shown(value)} is not valid; valid range: {low} to {high} in steps of {step}"
        )


def injected_names(history: Iterable[str]) -> list[str]:
    """Names assigned by the last papermill-injected cell in ``history`` (cell sources, oldest first)."""
    for source in reversed(list(history)):
        if source.lstrip().startswith(_INJECTED_HEADER):
            tree = ast.parse(source)
            return [
                t.id
                for node in tree.body
                if isinstance(node, ast.Assign)
                for t in node.targets
                if isinstance(t, ast.Name)
            ]
    return []


def _shadows(value) -> bool:
    """True for what a notebook imports or defines (a module, function or class), never a parameter value."""
    return isinstance(value, types.ModuleType) or callable(value)


def refuse_shadowing(lines: list[str]) -> list[str]:
    """IPython input transformer: a papermill-injected cell that would overwrite a module, function or class
    the notebook imported (``-p params 1``, ``-p load_table 0``) is replaced by a ``ParameterError`` naming
    it, because after it runs ``params.check_names`` itself would be gone (re-review R6)."""
    source = "".join(lines)
    if not source.lstrip().startswith(_INJECTED_HEADER):
        return lines
    try:
        names = injected_names([source])
    except SyntaxError:  # papermill wrote something that is not Python: let Python say so
        return lines
    from IPython import get_ipython

    shell = get_ipython()
    shadowed = [n for n in names if shell is not None and _shadows(shell.user_ns.get(n))]
    if not shadowed:
        return lines
    message = (
        f"Unknown parameter(s) {shadowed}: the name(s) of what the notebook imported, not of its parameters "
        "(the notebook's parameters are in its cell tagged 'parameters')"
    )
    return [f"raise __import__('dmjak.params').params.ParameterError({message!r})\n"]


def _install_transformer() -> None:
    """Register ``refuse_shadowing`` in the running IPython kernel (once), when a notebook imports this module."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of every kernel
        return
    shell = get_ipython()
    if shell is not None and all(t.__name__ != "refuse_shadowing" for t in shell.input_transformers_post):
        shell.input_transformers_post.append(refuse_shadowing)


def check_names(*declared: str) -> None:
    """Raise, naming the notebook's parameters, if papermill injected a name the notebook does not declare.

    Reads the kernel's input history from IPython's history manager, not the namespace's ``In``, which
    the injected cell can itself overwrite (``-p In 1``). Outside IPython, or when nothing was injected
    (JupyterLab, nbconvert), there is nothing to check.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of every kernel
        return
    shell = get_ipython()
    if shell is None:
        return
    unknown = sorted(set(injected_names(shell.history_manager.input_hist_raw)) - set(declared))
    if unknown:
        raise ParameterError(f"Unknown parameter(s) {unknown}; this notebook's parameters are {list(declared)}")


_install_transformer()
