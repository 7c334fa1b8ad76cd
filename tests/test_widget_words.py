"""Every widget said what its numbers show, over its whole range (issue 21, item 5).

Each test drives one widget (or chart with bound controls) through worsening and improvement, every
combination of its controls and its empty state, and checks the words it shows against the numbers it
computes. Verdicts written in Vega (chart sliders) are checked by drawing the chart with vl-convert at
the chosen control values and reading the text it drew.
"""

from __future__ import annotations

import itertools
import re
from unittest import mock

import pytest
import vl_convert as vlc
from chart_spec import walk

from dmjak.charts import cases as case_charts
from dmjak.charts import measures as measure_charts
from dmjak.data import load_table
from dmjak.models import cdasi, dlqi
from dmjak.models.reconstruction import MEASURE_LABELS, PATIENTS, load_assumptions, reported_horizon, trajectory
from dmjak.models.thresholds import threshold
from dmjak.widgets.cases import STATUS_MARK, WhatIfExplorer
from dmjak.widgets.measures import DLQICalculator
from dmjak.widgets.pharmacology import DoseExplorer


@pytest.fixture
def quiet(monkeypatch):
    """Widgets build their charts as static SVG and display nothing."""
    monkeypatch.setenv("DMJAK_RENDER", "svg")
    with mock.patch("dmjak.render.display"), mock.patch("IPython.display.display"):
        for module in ("measures", "pharmacology", "dermatomyositis", "jak", "safety", "evidence"):
            patcher = mock.patch(f"dmjak.widgets.{module}.display", create=True)
            patcher.start()
        yield
        mock.patch.stopall()


def drawn_text(spec: dict, **params) -> list[str]:
    """Every piece of text vl-convert draws for ``spec`` with its bound parameters set to ``params``."""
    for node in walk(spec):
        for param in node.get("params", []) if isinstance(node.get("params"), list) else []:
            if isinstance(param, dict) and param.get("name") in params:
                param["value"] = params[param["name"]]
    svg = vlc.vegalite_to_svg(spec)
    pieces = re.findall(r"<text[^>]*>([^<]*)</text>|<tspan[^>]*>([^<]*)</tspan>", svg)
    return [(a or b).replace("&lt;", "<").replace("&gt;", ">").replace("&#39;", "'") for a, b in pieces if a or b]


# --- notebook 04: the CDASI change chart (Vega sliders) -------------------------------------------------


def expected_cdasi(before: int, after: int) -> tuple[str, str]:
    """What a student must read for a change, from the numbers alone (higher CDASI = more active skin)."""
    change = after - before
    low = threshold("cdasi_activity", "mcid_low")
    if change > 0:
        return "WORSE", "wrong way" if change >= low else "Smaller than the MCID"
    if change < 0:
        return "better", "improvement" if -change >= low else "not a meaningful improvement"
    return "no change", "Nothing to judge"


def test_cdasi_verdict_in_words_matches_the_change_for_every_slider_pair():
    """Every change the sliders can make (-50 to +50), each from both ends of the scale: direction first,
    never 'not meaningful' for a large worsening."""
    low = threshold("cdasi_activity", "mcid_low")
    pairs = {(b, b + c) for c in range(-50, 51) for b in (max(0, -c), min(50, 50 - c))}
    for before, after in sorted(pairs):
        first, second = cdasi.verdict_lines(before, after)
        way, mcid_words = expected_cdasi(before, after)
        assert way in first and f"{after - before:+d}".replace("+0", "0") in first, (before, after, first)
        assert mcid_words in second, (before, after, second)
        if after - before >= low:
            assert "not a meaningful" not in second and "WORSE" in first
        record = cdasi.interpret_change(before, after)
        assert record["direction"] == {"WORSE": "worsening", "better": "improvement", "no change": "no change"}[way]
        assert record["verdict"] == f"{first} {second}"


CDASI_PAIRS = [(20, 30), (12, 28), (28, 20), (28, 24), (28, 25), (28, 23), (20, 20), (20, 22), (20, 24), (0, 50)]


@pytest.mark.parametrize(("before", "after"), CDASI_PAIRS)
def test_cdasi_chart_draws_the_same_verdict_as_the_model_at_each_slider_setting(before, after):
    """The Vega verdict, drawn at these slider values, says exactly what ``cdasi.verdict_lines`` says."""
    spec = measure_charts.cdasi_change_chart().to_dict()
    text = drawn_text(spec, before=before, after=after)
    for line in cdasi.verdict_lines(before, after):
        assert line in text, f"{before} -> {after}: chart drew {text}"


def test_cdasi_after_marker_points_the_way_the_score_moved():
    spec = measure_charts.cdasi_change_chart().to_dict()
    shapes = [v["mark"]["shape"] for v in walk(spec) if isinstance(v.get("mark"), dict) and "shape" in v["mark"]]
    after = next(s["expr"] for s in shapes if isinstance(s, dict))
    assert "after > before ? 'triangle-right'" in after and "after < before ? 'triangle-left'" in after
    assert "triangle-left" not in str([s for s in shapes if not isinstance(s, dict)]), "no fixed left arrow"


def test_cdasi_sliders_reach_every_value_a_parameter_may_hold():
    """The notebook accepts 0-100; the sliders and the axis must show a parameter of 80."""
    spec = measure_charts.cdasi_change_chart(80, 60).to_dict()
    params = {p["name"]: p for d in walk(spec) for p in d.get("params", []) if isinstance(p, dict) and "name" in p}
    assert params["before"]["bind"]["max"] >= 80 and params["after"]["bind"]["max"] >= 80
    assert measure_charts.cdasi_change_chart().to_dict()  # the default still draws


# --- notebook 04: the DLQI calculator (ipywidgets) ------------------------------------------------------


def test_dlqi_calculator_words_agree_with_totals_for_every_change(quiet):
    """Visit 2 swept from a fall of 12 to a rise of 12 around 12: the verdict names the direction and the MCID."""
    items = load_table("dlqi_items")
    start = [2, 2, 1, 1, 2, 1, 0, 1, 0, 2]  # 12
    calc = DLQICalculator(items, start, start).show()
    mcid = threshold("dlqi", "mcid")
    for target in range(0, 25):
        scores = _scores_totalling(target)
        for item, value in enumerate(scores, start=1):
            calc.choices["visit 2"][item].value = value
        words = calc.result.value
        title = calc.view.chart.to_dict()["title"]["text"]
        change = target - 12
        assert f"<b>{target}</b>" in words and f"({change:+d}" in title
        if change <= -mcid:
            assert "a meaningful improvement" in words
        elif change >= mcid:
            assert "a meaningful worsening" in words and "improvement" not in words
        elif change < 0:
            assert "not a meaningful improvement" in words
        elif change > 0:
            assert "not a meaningful worsening" in words and "improvement" not in words
        else:
            assert "no change" in words
        assert title.endswith(dlqi.verdict(12, target))


def _scores_totalling(total: int) -> list[int]:
    """Ten item scores (0-3) adding up to ``total``."""
    scores = []
    for _ in range(10):
        scores.append(min(3, total - sum(scores)))
    return scores


# --- notebook 03: the dose explorer ---------------------------------------------------------------------


MODIFIERS = load_table("exposure_modifiers")
KIDNEY = [m for m in MODIFIERS["modifier"] if "renal" in m]


def test_dose_explorer_never_contradicts_itself_for_any_combination(quiet):
    """Every dose x kidney group x OAT3 inhibitor: one labelled dose, never 'not recommended' beside a dose."""
    explorer = DoseExplorer(MODIFIERS, load_table("jak_inhibitor_potency")).show()
    for dose, kidney, oat3 in itertools.product([1, 2, 4], KIDNEY, [False, True]):
        explorer.dose.value, explorer.kidney.value, explorer.oat3.value = dose, kidney, oat3
        spec = explorer.view.chart.to_dict()
        words = " ".join([spec["title"]["text"], *spec["title"]["subtitle"], explorer.summary.value])
        advice = explorer.advice()
        assert "halve the dose" not in words, words
        if kidney.startswith("severe"):
            assert "not recommended" in words
            assert not re.search(r"\d mg once daily", words), f"a dose offered where none is recommended: {words}"
            continue
        assert "not recommended" not in words
        reference = explorer.compute()[0]["reference_nm"]
        same = (dose, kidney, oat3) == (4, "normal renal function", False)
        assert ("under it" in words) == same and "Grey dotted: free drug at 4 mg with normal kidneys" in words
        assert same or reference.max() != explorer.compute()[0]["free_nm"].max()
        labelled = set(re.findall(r"(\d) mg once daily", words))
        assert labelled == {str(advice["dose_mg"])}, f"{dose} mg, {kidney}, OAT3={oat3}: {words}"
        expected = 2 if (oat3 or kidney.startswith("moderate")) else 4
        assert advice["dose_mg"] == expected
        if dose != expected:
            assert (
                f"you chose {dose} mg, {'more' if dose > expected else 'less'} than the label's {expected} mg" in words
            )
        peak = explorer.compute()[1]["cmax_free"]
        assert f"Free peak {peak:.1f} nM" in explorer.summary.value
        if kidney.startswith("moderate") and oat3:
            assert "no separate dose for both together" in explorer.summary.value


# --- notebook 05: the case explorer (Vega controls), the curves and the what-if explorer -----------------

TREATMENTS = load_table("treatments")
CURVES, STATEMENTS = load_table("trajectories"), load_table("outcome_statements")


def _svg_height(spec: dict, **params) -> float:
    drawn_text(spec, **params)
    return float(re.search(r'<svg[^>]*height="([\d.]+)"', vlc.vegalite_to_svg(spec)).group(1))


@pytest.mark.parametrize("patient", ["all", *PATIENTS])
def test_case_explorer_words_fit_every_patient_measure_and_illustrative_setting(patient):
    """Title, axis and empty-state message agree with what is drawn, for every control combination."""
    for measure, show in itertools.product(MEASURE_LABELS, [True, False]):
        spec = case_charts.explorer_chart(TREATMENTS, CURVES).to_dict()
        text = drawn_text(spec, patient=patient, measure=measure, show_illustrative=show)
        title = next(t for t in text if " as a % of its week-0 value, " in t)
        name = case_charts.MEASURE_NAMES[measure]
        assert title.startswith(name) and "points" not in title, title
        assert ("all three patients" if patient == "all" else patient) in title
        assert "Illustrative value (% of its week-0 value)" in text
        empty = "No measured values were reported for any patient:" in text
        assert empty == (not show), f"{patient}, {measure}, show={show}: empty-state message {empty}"
        assert title.endswith("no measured values to draw" if not show else "illustrative reconstruction")
    labels = [p["bind"].get("labels") for d in walk(spec) for p in d.get("params", []) if p.get("name") == "measure"]
    assert labels and not any("points" in label for label in labels[0]), labels


def test_case_explorer_keeps_its_height_when_one_patient_is_picked():
    """No blank gap: the chart is as tall with one patient as with all three."""
    spec = case_charts.explorer_chart(TREATMENTS, CURVES).to_dict()
    heights = {p: _svg_height(spec, patient=p) for p in ["all", *PATIENTS]}
    assert len(set(heights.values())) == 1, heights


def test_no_curve_runs_past_what_was_reported_for_its_patient():
    """Patient 2's only reported outcome is the panniculitis: its skin curves must not fall to 'resolved'."""
    resolved = threshold("cdasi_activity", "quality_of_life_floor")
    for (patient, measure), curve in CURVES.groupby(["patient_id", "measure"]):
        assert curve["week"].max() <= reported_horizon(patient, measure, STATEMENTS), (patient, measure)
    skin = CURVES[CURVES["measure"] == "cdasi_activity"]
    for patient in ("P2", "P3"):  # P2: skin outcome not reported; P3: resolution reported without a time
        assert skin.loc[skin["patient_id"] == patient, "value"].min() > resolved, patient
    assert skin.loc[skin["patient_id"] == "P1", "value"].min() <= resolved  # P1's resolution was reported


@pytest.mark.parametrize("patient", PATIENTS)
def test_trajectory_chart_says_where_its_curves_stop(patient):
    fast = CURVES[CURVES["assumption_set"].str.endswith("-fast")]
    for measure in MEASURE_LABELS:
        spec = case_charts.trajectory_chart(fast, STATEMENTS, measure, patient).to_dict()
        subtitle = " ".join(spec["title"]["subtitle"])
        end = int(fast.loc[(fast["patient_id"] == patient) & (fast["measure"] == measure), "week"].max())
        assert f"week {end}" in subtitle, subtitle
        hidden = case_charts.trajectory_chart(fast, STATEMENTS, measure, patient, show_illustrative=False)
        assert "none were reported" in hidden.to_dict()["description"]


def test_what_if_words_agree_with_its_checks_for_every_patient_measure_and_shape(quiet):
    """Every patient x measure x shape, a fast and a slow speed: the title counts the held statements,
    the list marks each one, and a curve past the reports is called an assumption."""
    explorer = WhatIfExplorer(CURVES, STATEMENTS, load_assumptions()).show()
    for patient, measure, shape, speed in itertools.product(
        PATIENTS, MEASURE_LABELS, ["exponential", "linear", "delayed"], [1, 20]
    ):
        explorer.patient.value, explorer.measure.value = patient, measure
        explorer.shape.value, explorer.speed.value = shape, speed
        _, _, checks = explorer.compute()
        held = int((checks["status"] == "held").sum())
        decided = int((checks["status"] != "open").sum())
        spec = explorer.view.chart.to_dict()
        assert (
            spec["title"]["text"]
            == f"{patient}: your reconstruction satisfies {held} of {decided} time-bound reported statements"
        )
        for row in checks.itertuples():
            assert f"{STATUS_MARK[row.status]}</b> {row.statement_id} (" in explorer.status.value
        beyond = "your curve is assumption" in " ".join(spec["title"]["subtitle"])
        assert beyond == (26 > reported_horizon(patient, measure, STATEMENTS))
        curve = trajectory(explorer.current())
        fall = curve["value"].iloc[0] - curve.loc[curve["week"] == 4, "value"].iloc[0]
        if measure == "cdasi_activity":
            s1 = checks.set_index("statement_id").loc["S1", "status"]
            assert (s1 == "held") == (fall >= threshold("cdasi_activity", "mcid_high")), (patient, shape, speed, fall)


# --- notebook 01: the EULAR/ACR slider and the interferon lab -------------------------------------------


def test_classification_slider_says_probable_or_definite_as_the_thresholds_do():
    from dmjak.charts.dermatomyositis import classification_chart
    from dmjak.models.classification import classify_score

    thresholds = load_table("classification_thresholds")
    cuts = sorted(set(thresholds["min_score"]))
    scores = sorted({0.0, 12.0, *cuts, *(round(c - 0.1, 1) for c in cuts)})
    for score in scores:
        text = drawn_text(classification_chart(thresholds).to_dict(), score=score)
        words = [t for t in text if t in ("definite", "probable", "below probable")]
        for legend_label in ("probable", "definite"):  # the threshold legend draws each name once
            words.remove(legend_label)
        expected = sorted(classify_score(score, biopsy, thresholds) for biopsy in (False, True))
        assert sorted(words) == expected, f"score {score}: drawn {words}, thresholds say {expected}"


def test_interferon_lab_says_edited_only_after_an_edit_and_its_verdict_follows_the_cutoff(quiet):
    from dmjak.models.isg_score import GENES, simulate_qpcr
    from dmjak.widgets.dermatomyositis import IsgLab

    lab = IsgLab(simulate_qpcr(seed=17)).show()
    for patient in lab.patient.options[:2]:
        lab.patient.value = patient
        assert "(edited)" not in lab.view.chart.to_dict()["title"]["text"] and "(edited)" not in lab.verdict.value
        lab.genes[GENES[0]].value = lab.genes[GENES[0]].value + 1
        assert "(edited)" in lab.view.chart.to_dict()["title"]["text"] and "(edited)" in lab.verdict.value
        for cutoff in (1, 2, 3, 5, 8, 10):
            lab.cutoff.value = float(cutoff)
            score = lab.edited()["score"]
            verdict = "positive" if score > cutoff else "negative"
            assert f"= <b>{score:.2f}</b> → <b>{verdict}</b>" in lab.verdict.value
            assert f"scores {score:.2f}, {verdict}" in lab.view.chart.to_dict()["title"]["text"]


# --- notebook 02: the pathway explorer ------------------------------------------------------------------


def test_pathway_explorer_titles_state_the_numbers_it_draws_for_every_control(quiet):
    from dmjak.models.inhibition import RULES
    from dmjak.widgets.jak import CONCENTRATIONS_NM, PathwayExplorer

    explorer = PathwayExplorer(load_table("jak_inhibitor_potency"), load_table("jak_pathways")).show()
    for drug, rule, concentration in itertools.product(
        explorer.drug.options, RULES, CONCENTRATIONS_NM[::5] + (CONCENTRATIONS_NM[-1],)
    ):
        explorer.drug.value, explorer.rule.value, explorer.concentration.value = drug, rule, concentration
        kinases, signal = explorer.compute()
        ifn = 100 * float(signal.loc[signal["pathway"] == "type I interferon", "signal_remaining"].iloc[0])
        ktitle, stitle = (view.chart.to_dict()["title"]["text"] for view in explorer.views)
        assert ktitle.startswith(f"{drug} at {concentration:,g} nM")
        assert f"({rule}): type I IFN keeps {ifn:.1f}%" in stitle


# --- notebook 00: the session planner -------------------------------------------------------------------


def test_session_planner_counts_the_notebooks_whose_core_path_fits_for_every_slider_value():
    from dmjak import course
    from dmjak.charts import course as course_charts

    plan = course.course_map()
    for minutes in range(15, 601, 15):
        title = course_charts.session_chart(plan, minutes).to_dict()["title"]["text"]
        fitting = int((plan["core_minutes"].cumsum() <= minutes).sum())
        assert f"core path of {fitting} notebook" in title, (minutes, title)


# --- notebooks 06 and 07: appraisal, design exercise, screening checklist --------------------------------


def _shown(function, *args):
    """The widget box a notebook function displays (rendered live)."""
    from dmjak.widgets import evidence, safety

    shown = []
    with (
        mock.patch.object(evidence, "display", shown.append),
        mock.patch.object(safety, "display", shown.append),
        mock.patch.dict("os.environ", {"DMJAK_RENDER": "live"}),
    ):
        function(*args)
    return shown[0]


def _controls(box, kind):
    found = []
    for child in box.children:
        if isinstance(child, kind):
            found.append(child)
        elif hasattr(child, "children"):
            found += _controls(child, kind)
    return found


def test_appraisal_feedback_counts_agreement_as_the_model_does_from_empty_to_every_answer():
    import ipywidgets as widgets

    from dmjak.models import appraisal
    from dmjak.widgets.evidence import appraisal_checklist

    box = _shown(appraisal_checklist)
    boxes = _controls(box, widgets.Dropdown)
    button = _controls(box, widgets.Button)[0]
    result = box.children[-1]
    button.click()  # the empty state: nothing answered
    assert "You agree with the model on 0 of 8 items" in result.value and result.value.count("Not answered yet") == 8
    for answer in appraisal.ANSWERS:
        for item, dropdown in enumerate(boxes, start=1):
            dropdown.value = answer
            button.click()
            answers = {i: answer for i in range(1, item + 1)}
            agree = int(appraisal.compare(answers)["agree"].sum())
            assert f"You agree with the model on {agree} of 8 items" in result.value
        for dropdown in boxes:
            dropdown.value = "(choose)"


def test_design_exercise_asks_for_every_part_first_then_counts_matches_with_bird():
    import ipywidgets as widgets

    from dmjak.models import study_design
    from dmjak.widgets.evidence import design_exercise

    box = _shown(design_exercise)
    boxes = _controls(box, widgets.Dropdown)
    button, result = _controls(box, widgets.Button)[0], box.children[-1]
    button.click()
    assert "Choose an option for every part first" in result.value
    bird, offered = study_design.bird_design(), study_design.options()
    for dimension, dropdown in zip(offered, boxes, strict=True):
        dropdown.value = bird[dimension]
    button.click()
    assert f"{len(offered)} of {len(offered)} choices match the BIRD trial" in result.value
    first = next(iter(offered))
    other = next(o for o in offered[first] if o != bird[first])
    boxes[0].value = other
    button.click()
    assert f"{len(offered) - 1} of {len(offered)} choices match" in result.value


def test_screening_checklist_counts_what_is_ticked_from_none_to_all():
    import ipywidgets as widgets

    from dmjak.models import checklist
    from dmjak.widgets.safety import screening_checklist

    checks = load_table("jak_safety_checklist")
    box = _shown(screening_checklist, checks)
    ticks, status = _controls(box, widgets.Checkbox), box.children[-1]
    assert f"0 of {len(checks)} checks done" in status.value
    for done, tick in enumerate(ticks, start=1):
        tick.value = True
        expected = checklist.progress(checks, list(checks["step"])[:done])
        assert expected.split(".")[0] in status.value
    assert "All" in status.value and "still rests with the treating team" in status.value
