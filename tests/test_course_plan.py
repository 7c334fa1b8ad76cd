"""The start notebook's session planner: which notebooks fit the minutes a reader has."""

from __future__ import annotations

import pandas as pd

from dmjak.course import plan_session


def test_notebooks_fit_while_the_running_total_stays_within_the_time():
    course = pd.DataFrame({"title": ["a", "b", "c", "d"], "minutes": [30, 40, None, 50], "status": ["available"] * 4})
    plan = plan_session(course, 70)
    assert plan["title"].tolist() == ["a", "b", "d"]  # a notebook without minutes is left out
    assert plan["cumulative_minutes"].tolist() == [30.0, 70.0, 120.0]
    assert plan["fits"].tolist() == ["fits", "fits", "later"]  # exactly on the budget still fits
