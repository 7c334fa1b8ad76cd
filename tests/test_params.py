"""Parameters refuse nonsense before any work (issue 22, review section 1 and 3.136-3.142).

The acceptance tests run plain papermill, as a user would, not the course's harness (which already
checked names): papermill itself only warns about an unknown name and runs on with the default.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import numpy as np
import papermill
import pytest

from dmjak.params import ParameterError, check_choice, check_range, injected_names

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def test_a_boolean_is_not_a_number_nor_a_choice_of_numbers():
    with pytest.raises(ParameterError, match="valid range: 0 to 10"):
        check_range("isg_seed", True, 0, 10)
    with pytest.raises(ParameterError, match=r"valid values: \[1, 2, 4\]"):
        check_choice("dose_mg", True, [1, 2, 4])
    with pytest.raises(ParameterError):
        check_choice("include_press_release", 0, [True, False])


def test_a_whole_number_parameter_refuses_a_fraction_and_accepts_numpy_integers():
    with pytest.raises(ParameterError, match=r"isg_seed=3\.5 is not valid \(a whole number needed, got float\)"):
        check_range("isg_seed", 3.5, 0, 10000, integer=True)
    assert check_range("isg_seed", np.int64(5), 0, 10000, integer=True) is None
    assert check_range("x", np.float64(5), 0, 10) is None


def test_the_names_papermill_injected_are_read_from_the_kernel_history():
    history = ["import x", "# Parameters\nminutes = 45\nminutes_available = 30\n", "params.check_names('minutes')"]
    assert injected_names(history) == ["minutes", "minutes_available"]
    assert injected_names(["minutes_available = 90"]) == []


def _papermill(tmp_path: Path, notebook: str, parameters: dict) -> str:
    """Run ``notebook`` with plain papermill; return the error text (empty if it ran)."""
    try:
        papermill.execute_notebook(
            str(NOTEBOOKS / notebook),
            str(tmp_path / "out.ipynb"),
            parameters=parameters,
            cwd=str(NOTEBOOKS),
            kernel_name="python3",
            progress_bar=False,
        )
    except papermill.PapermillExecutionError as error:
        return f"{error.ename}: {error.evalue} (cell {error.exec_count})"
    return ""


@pytest.mark.parametrize(
    ("notebook", "parameters", "expected"),
    [
        (
            "00_start_here.ipynb",
            {"minutes": 45},
            "Unknown parameter(s) ['minutes']; this notebook's parameters are ['minutes_available']",
        ),
        ("00_start_here.ipynb", {"minutes_available": 700}, "valid range: 15 to 600"),  # the slider's range
        ("00_start_here.ipynb", {"minutes_available": 15.5}, "a whole number needed"),
        ("01_dermatomyositis.ipynb", {"isg_seed": 3.5}, "a whole number needed"),
        ("03_baricitinib_pharmacology.ipynb", {"dose_mg": True}, "dose_mg=True is not valid"),
        ("05_baricitinib_cases.ipynb", {"patients": "P1"}, "Unknown parameter(s) ['patients']"),
        ("05_baricitinib_cases.ipynb", {"params": 1}, "Unknown parameter(s) ['params']: the name(s) of what"),
        ("02_interferon_jak_stat.ipynb", {"load_table": 0}, "Unknown parameter(s) ['load_table']: the name(s)"),
        # review 2, F6: the check read the injected cell from the namespace's In, which the cell itself overwrote
        ("00_start_here.ipynb", {"In": 1}, "Unknown parameter(s) ['In']"),
        # review 2, F14: the page said "half-life 6.5 h" in one place and "6.55 h" in another; the slider cannot show it
        ("03_baricitinib_pharmacology.ipynb", {"half_life_h": 6.55}, "valid range: 4 to 16 in steps of 0.1"),
        ("00_start_here.ipynb", {"In": ["# Parameters\nx = 1"]}, "Unknown parameter(s) ['In']"),
    ],
    ids=[
        "unknown-name",
        "beyond-the-slider",
        "fraction-of-a-minute",
        "fractional-seed",
        "boolean-dose",
        "typo",
        "shadows-the-params-module",  # re-review R6: AttributeError/TypeError before check_names could run
        "shadows-an-imported-function",
        "overwrites-the-input-history",
        "replaces-the-input-history",
        "between-two-slider-steps",
    ],
)
def test_plain_papermill_refuses_a_wrong_name_or_value_in_the_parameter_check(tmp_path, notebook, parameters, expected):
    error = _papermill(tmp_path, notebook, parameters)
    assert error.startswith("ParameterError") and expected in error, error


def test_a_number_too_large_for_a_float_is_out_of_range_by_name():
    """Re-review R5: 10**400 raised a bare OverflowError naming neither the parameter nor its range."""
    with pytest.raises(
        ParameterError, match=r"Parameter minutes_available=10000.*characters\) is not valid; valid range: 15 to 300"
    ):
        check_range("minutes_available", 10**400, 15, 300, integer=True)
    with pytest.raises(ParameterError, match="valid range: 4 to 16"):
        check_range("half_life_h", -(10**400), 4, 16)


def test_an_injected_cell_that_shadows_an_import_becomes_a_parameter_error():
    from dmjak import params

    class Shell:
        user_ns = {"params": params, "load_table": len, "dose_mg": 4}

    injected = ["# Parameters\n", "params = 1\n", "dose_mg = 2\n"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("IPython.get_ipython", lambda: Shell())
        assert params.refuse_shadowing(["dose_mg = 2\n"]) == ["dose_mg = 2\n"]  # not injected: unchanged
        assert params.refuse_shadowing(["# Parameters\n", "dose_mg = 2\n"]) == ["# Parameters\n", "dose_mg = 2\n"]
        (replaced,) = params.refuse_shadowing(injected)
    with pytest.raises(ParameterError, match=r"Unknown parameter\(s\) \['params'\]"):
        exec(replaced, {})


def test_the_start_notebooks_slider_the_parameter_check_and_its_comment_give_one_range():
    """Review S5: the minutes slider, ``check_range`` and the parameter's comment state the same range, so
    every value the slider offers can also be set in the parameter cell, and nothing else can."""
    cells = "\n".join(c.source for c in nbformat.read(NOTEBOOKS / "00_start_here.ipynb", as_version=4).cells)
    checked = re.search(r'check_range\("minutes_available", minutes_available, (\d+), (\d+)', cells).groups()
    slider = re.search(r"IntSlider\(\s*value=minutes_available, min=(\d+), max=(\d+)", cells).groups()
    stated = re.search(r"minutes_available = \d+ .*a whole number from (\d+) to (\d+)", cells).groups()
    assert checked == slider == stated, {"check_range": checked, "slider": slider, "comment": stated}


def test_a_value_between_two_slider_steps_is_refused_and_one_on_a_step_accepted():
    """Review 2, F14: ``DoseExplorer(half_life_h=6.55)`` computed with 6.55 while its slider and title showed 6.5."""
    from dmjak.widgets.pharmacology import HALF_LIFE_STEP_H

    for value in (4, 6.5, 12.3, 16):
        assert check_range("half_life_h", value, 4, 16, step=HALF_LIFE_STEP_H) is None
    with pytest.raises(ParameterError, match="in steps of 0.1"):
        check_range("half_life_h", 6.55, 4, 16, step=HALF_LIFE_STEP_H)
