"""Case tables: every row sourced, every patient value flagged, unknowns left empty."""

from __future__ import annotations

from dmjak.data import load_table

CASE_TABLES = ["patients", "treatments", "events", "outcome_statements"]


def test_case_tables_are_reported_and_sourced():
    refs = set(load_table("references")["key"])
    for name in CASE_TABLES:
        table = load_table(name)
        assert table["source"].isin(refs).all(), name
        if "evidence" in table:
            assert set(table["evidence"]) == {"reported"}, name


def test_treatment_timing_is_never_guessed():
    treatments = load_table("treatments")
    started = treatments[treatments["role"] == "started"]
    assert list(started["drug"].unique()) == ["baricitinib"] and (started["start_week"] == 0).all()
    # No drug has a reported end, and no drug other than baricitinib has a reported start.
    assert treatments["end_week"].isna().all()
    assert treatments.loc[treatments["role"] != "started", "start_week"].isna().all()
    assert treatments["timing_note"].str.contains("not reported|Started at|before baricitinib").all()


def test_patient_2_cotreatment_and_patient_3_dose_are_as_reported():
    treatments = load_table("treatments").set_index(["patient_id", "drug"])
    assert treatments.loc[("P2", "IVIG"), "role"] == "continued"
    assert treatments.loc[("P2", "prednisolone"), "role"] == "continued"
    assert treatments.loc[("P3", "baricitinib"), "dose"] is not None
    assert str(treatments.loc[("P3", "baricitinib"), "dose"]) == "<NA>"


def test_adverse_event_is_recorded_at_series_level():
    events = load_table("events")
    adverse = events[events["event"] == "adverse event"]
    assert list(adverse["patient_id"]) == ["series"] and adverse["week"].isna().all()
    assert "labial herpes" in adverse["description"].iloc[0]


def test_statements_cover_every_reported_outcome():
    statements = load_table("outcome_statements").set_index("statement_id")
    assert set(statements["patient_id"]) == {"series", "P1", "P2", "P3"}
    assert statements.loc["S6", "bound"] == "time not reported"
    assert statements["bound_weeks"].dropna().isin([4, 21.7]).all()
