"""Notebook 07's safety teaching: checklist data and logic, the clot-risk chart, the treatment ladder."""

from __future__ import annotations

import pytest
from chart_spec import assert_accessible

from dmjak.charts.safety import vte_estimates_chart
from dmjak.data import load_table
from dmjak.models import checklist

EU_START_LIMITS = {  # the Hong Kong label as reproduced by MIMS (MIMSOlumiant2024)
    "Absolute lymphocyte count (ALC)": "at least 0.5 × 10⁹ cells/L",
    "Absolute neutrophil count (ANC)": "at least 1 × 10⁹ cells/L",
    "Haemoglobin (Hb)": "at least 8 g/dL",
}


@pytest.fixture(scope="module")
def checks():
    return load_table("jak_safety_checklist")


def test_blood_count_limits_are_the_eu_label_ones(checks):
    counts = checks[(checks["topic"] == "blood counts") & (checks["stage"] == "before")]
    assert dict(zip(counts["check"], counts["threshold"], strict=True)) == EU_START_LIMITS
    assert set(counts["source"]) == {"MIMSOlumiant2024"}


def test_every_check_names_where_in_its_source_it_stands(checks):
    assert checks["source_detail"].str.len().gt(3).all()


def test_contraception_lasts_at_least_a_week_after_treatment(checks):
    pregnancy = checks[checks["topic"] == "pregnancy"]
    contraception = pregnancy[pregnancy["action"].str.contains("contraception")]
    assert len(contraception) == 1 and "a week or more after the last dose" in contraception["action"].iloc[0]


def test_stage_filter_keeps_order_and_refuses_unknown_stages(checks):
    before = checklist.for_stage(checks, "before")
    assert set(before["stage"]) == {"before"} and list(before["step"]) == sorted(before["step"])
    assert len(checklist.for_stage(checks, "all")) == len(checks)
    with pytest.raises(ValueError, match="before"):
        checklist.for_stage(checks, "after")


def test_progress_names_open_topics_and_refuses_unknown_steps(checks):
    before = checklist.for_stage(checks, "before")
    assert checklist.progress(before, []).startswith(f"0 of {len(before)} checks done. Still open: pregnancy")
    everything = checklist.progress(before, before["step"])
    assert everything.startswith(f"All {len(before)} checks done")
    all_but_pregnancy = before.loc[before["topic"] != "pregnancy", "step"]
    assert checklist.progress(before, all_but_pregnancy).endswith("Still open: pregnancy.")
    with pytest.raises(ValueError, match="valid steps"):
        checklist.open_checks(before, [999])


def test_vte_estimates_lie_inside_their_intervals():
    estimates = load_table("dm_vte_estimates")
    assert (estimates["ci_low"] <= estimates["estimate"]).all()
    assert (estimates["estimate"] <= estimates["ci_high"]).all()
    assert (estimates["ci_low"] > 1).all(), "every published interval excludes no difference"


def test_vte_chart_is_accessible_and_describes_every_estimate():
    estimates = load_table("dm_vte_estimates")
    spec = assert_accessible(vte_estimates_chart(estimates))
    for row in estimates.itertuples():
        assert f"{row.estimate:g}" in spec["description"]


def test_ladder_ends_with_the_off_label_jak_inhibitor_and_sources_every_caveat():
    ladder = load_table("dm_skin_treatment_ladder")
    top = ladder[ladder["rung"] == ladder["rung"].max()]
    assert list(top["treatment"]) == ["JAK inhibitor such as baricitinib (off-label)"]
    with_caveat = ladder[ladder["caveat"].notna() & ~ladder["caveat"].str.contains("course", na=False)]
    assert with_caveat["caveat_source"].notna().all()


def test_tables_show_full_text_and_no_missing_value_markers():
    from dmjak.tables import table_html

    ladder = load_table("dm_skin_treatment_ladder")
    markup = table_html(ladder)
    assert "&lt;NA&gt;" not in markup and "NaN" not in markup
    longest = max(ladder["caveat"].dropna(), key=len)
    assert longest in markup.replace("&#39;", "'")
