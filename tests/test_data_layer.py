"""The data layer: valid tables load; every kind of malformed file is refused with file, row and column."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from dmjak.data import DataValidationError, load_table, table_names, validate_table


def rewrite(path: Path, edit) -> None:
    """Apply ``edit`` to the rows (list of dicts) of a CSV and write it back with the same header."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = reader.fieldnames, list(reader)
    header, rows = edit(header, rows)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def set_cell(row_index: int, column: str, value: str):
    def edit(header, rows):
        rows[row_index][column] = value
        return header, rows

    return edit


def problems(folder: Path, table: str) -> str:
    with pytest.raises(DataValidationError) as caught:
        load_table(table, folder)
    return str(caught.value)


def test_every_table_loads_and_is_not_empty():
    for name in table_names():
        frame = load_table(name)
        assert isinstance(frame, pd.DataFrame) and len(frame) > 0, name


def test_patients_table_has_the_three_reported_patients():
    patients = load_table("patients").set_index("patient_id")
    assert list(patients.index) == ["P1", "P2", "P3"]
    assert set(patients["evidence"]) == {"reported"}
    assert patients.loc["P2", "autoantibody"] == "anti-NXP2"
    assert patients.loc["P3", "autoantibody"] == "anti-MDA5"
    # Not reported stays empty, never guessed.
    assert pd.isna(patients.loc["P1", "autoantibody"])
    assert pd.isna(patients.loc["P3", "baricitinib_dose_mg_per_day"])
    assert patients.loc["P1", "baricitinib_dose_mg_per_day"] == 4


def test_loaded_table_is_a_copy_the_caller_cannot_corrupt():
    first = load_table("patients")
    first.loc[0, "patient_id"] = "XX"
    assert load_table("patients").loc[0, "patient_id"] == "P1"


def test_missing_column_is_named(data_copy):
    rewrite(data_copy / "patients.csv", lambda h, r: ([c for c in h if c != "evidence"], r))
    message = problems(data_copy, "patients")
    assert "patients.csv" in message and "row 1 (header)" in message
    assert "missing column(s) ['evidence']" in message


def test_wrong_type_names_row_column_and_value(data_copy):
    rewrite(data_copy / "patients.csv", set_cell(1, "baricitinib_dose_mg_per_day", "four"))
    message = problems(data_copy, "patients")
    assert "patients.csv" in message
    assert "row 3, column 'baricitinib_dose_mg_per_day': value 'four'" in message
    assert "type number" in message


def test_out_of_range_value_names_the_allowed_range(data_copy):
    rewrite(data_copy / "patients.csv", set_cell(0, "baricitinib_dose_mg_per_day", "40"))
    message = problems(data_copy, "patients")
    assert "row 2, column 'baricitinib_dose_mg_per_day': value '40'" in message
    assert "range 1..4" in message and "unit mg/day" in message


def test_unknown_source_key_is_refused(data_copy):
    rewrite(data_copy / "patients.csv", set_cell(2, "source", "Nobody1999"))
    message = problems(data_copy, "patients")
    assert "row 4, column 'source'" in message
    assert "Nobody1999" in message and "references.csv" in message


def test_bad_evidence_flag_lists_the_valid_flags(data_copy):
    rewrite(data_copy / "patients.csv", set_cell(0, "evidence", "guessed"))
    message = problems(data_copy, "patients")
    assert "row 2, column 'evidence': value 'guessed'" in message
    assert "['reported', 'illustrative']" in message


def test_missing_required_value_is_refused(data_copy):
    rewrite(data_copy / "patients.csv", set_cell(1, "source", ""))
    assert "row 3, column 'source': value is missing" in problems(data_copy, "patients")


def test_unparseable_csv_is_refused_with_its_row(data_copy):
    path = data_copy / "patients.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = 'P2,"anti-NXP2,unclosed quote'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = problems(data_copy, "patients")
    assert "patients.csv" in message and "row 3" in message and "column '" in message


def test_unknown_table_name_lists_the_tables():
    with pytest.raises(KeyError, match="patients"):
        validate_table("no_such_table")


def test_every_clinical_table_is_sourced_and_every_patient_table_flagged():
    """Schema-level guarantee: clinical tables have a required source with a foreign key into references."""
    descriptor = json.loads((Path(__file__).parents[1] / "data" / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        fields = {f["name"]: f for f in resource["schema"]["fields"]}
        if resource["name"] == "references":
            continue
        assert "source" in fields, resource["name"]
        fks = resource["schema"].get("foreignKeys", [])
        assert {"fields": ["source"], "reference": {"resource": "references", "fields": ["key"]}} in fks
        if "patient_id" in fields:
            evidence = fields["evidence"]["constraints"]
            assert evidence["required"] is True
            assert evidence["enum"] and set(evidence["enum"]) <= {"reported", "illustrative"}
        for field in fields.values():
            assert field.get("description") or field["name"] in {"question", "options"}, field["name"]


def test_every_reference_has_a_doi_or_url():
    refs = load_table("references")
    assert (refs["doi"].notna() | refs["url"].notna()).all(), refs[refs["doi"].isna() & refs["url"].isna()]


def test_a_table_is_validated_once_per_content_version(data_copy, tmp_path, monkeypatch):
    """The marker skips frictionless next time; any change to the file misses it and is validated again."""
    from dmjak import data

    monkeypatch.setenv("DMJAK_CACHE_DIR", str(tmp_path / "cache"))
    calls = []
    real = data.validate_table
    monkeypatch.setattr(data, "validate_table", lambda *a: calls.append(a) or real(*a))
    data.ensure_valid("patients", data_copy)
    data.ensure_valid("patients", data_copy)
    assert len(calls) == 1, "the second check of unchanged content must not validate again"

    rewrite(data_copy / "patients.csv", set_cell(1, "baricitinib_dose_mg_per_day", "four"))
    with pytest.raises(DataValidationError) as cached_route:
        data.ensure_valid("patients", data_copy)
    with pytest.raises(DataValidationError) as direct:
        real("patients", data_copy)
    assert str(cached_route.value) == str(direct.value), "a malformed file is refused with the same message"
    assert "row 3, column 'baricitinib_dose_mg_per_day': value 'four'" in str(cached_route.value)


def test_a_changed_schema_or_referenced_table_means_validating_again(data_copy):
    from dmjak.data import content_hash

    before = content_hash("patients", data_copy)
    refs = data_copy / "references.csv"
    refs.write_text(refs.read_text(encoding="utf-8").replace("Fischer2022", "Fischer2021", 1), encoding="utf-8")
    after_refs = content_hash("patients", data_copy)
    descriptor = data_copy / "datapackage.json"
    descriptor.write_text(descriptor.read_text(encoding="utf-8").replace("range", "range ", 1), encoding="utf-8")
    assert len({before, after_refs, content_hash("patients", data_copy)}) == 3


def test_a_kernel_with_validated_tables_never_imports_frictionless():
    code = (
        "import sys; from dmjak.data import load_table, table_names\n"
        "[load_table(n) for n in table_names()]\nprint('frictionless' in sys.modules)"
    )
    run = [sys.executable, "-c", code]
    subprocess.run(run, check=True, capture_output=True)  # first: validates (or finds markers) and records them
    assert subprocess.run(run, check=True, capture_output=True, text=True).stdout.strip() == "False"


def test_setup_validates_every_table_once_and_a_malformed_one_is_named(data_copy, tmp_path):
    env = {**os.environ, "DMJAK_CACHE_DIR": str(tmp_path / "cache")}
    run = [sys.executable, "-m", "dmjak.data", str(data_copy)]
    done = subprocess.run(run, capture_output=True, text=True, env=env)
    tables = len(json.loads((data_copy / "datapackage.json").read_text())["resources"])
    assert done.returncode == 0 and done.stdout.startswith(f"{tables} tables valid"), done.stderr
    assert len(list((tmp_path / "cache" / "validated").glob("*.ok"))) == tables

    rewrite(data_copy / "patients.csv", set_cell(1, "baricitinib_dose_mg_per_day", "four"))
    refused = subprocess.run(run, capture_output=True, text=True, env=env)
    assert refused.returncode == 1
    assert "patients.csv" in refused.stderr and "row 3, column 'baricitinib_dose_mg_per_day'" in refused.stderr


# --- Issue 22: the reader reads exactly what validation accepted ------------------------------------


def _corrupt_bytes(path: Path, edit) -> None:
    path.write_bytes(edit(path.read_bytes()))


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            lambda b: b.replace(b"violaceous", b"viol\xff\xfeaceous", 1),
            "row 2, column 'skin_features': not valid UTF-8",
        ),
        (lambda b: b"\xef\xbb\xbf" + b, "byte-order mark"),
        (
            lambda b: b.replace(b"violaceous", b"viol\x00aceous", 1),
            "row 2, column 'skin_features': contains a NUL byte",
        ),
        (lambda b: b.replace(b",", b";"), "columns separated by ','"),
        (lambda b: b.split(b"\n", 1)[0] + b"\n", "header but no rows"),
        # review 2, F9 and F10: 13 "NUL byte (binary or corrupt)" lines; "0 cell(s) ... check quoting and commas"
        (lambda b: b.decode("utf-8").encode("utf-16-be"), "row 1 (header): the file is saved as UTF-16"),
        (lambda b: b.decode("utf-8").encode("utf-16"), "row 1 (header): the file is saved as UTF-16"),
        (lambda b: b.replace(b"\nP2,", b"\n\nP2,", 1), "row 3: the line is empty"),
    ],
    ids=["invalid-utf8", "bom", "nul", "semicolons", "header-only", "utf16-no-bom", "utf16-bom", "blank-line"],
)
def test_a_file_the_reader_would_misread_is_refused_by_validation_and_loading(
    data_copy, tmp_path, monkeypatch, edit, expected
):
    """Validation and loading share one reader, so neither accepts what the other cannot read (review 2.12-2.31)."""
    monkeypatch.setenv("DMJAK_CACHE_DIR", str(tmp_path / "cache"))
    _corrupt_bytes(data_copy / "patients.csv", edit)
    with pytest.raises(DataValidationError) as validated:
        validate_table("patients", data_copy)
    assert "patients.csv" in str(validated.value) and expected in str(validated.value)
    assert expected in problems(data_copy, "patients")


@pytest.mark.parametrize("value", ["INF", "-inf", "NaN"])
def test_a_non_finite_number_is_refused_with_row_and_column(data_copy, value):
    rewrite(data_copy / "dm_epidemiology.csv", set_cell(0, "value", value))
    message = problems(data_copy, "dm_epidemiology")
    assert f"row 2, column 'value': value '{value}' is not a finite number" in message


def test_the_row_named_is_the_line_in_the_file_after_a_multi_line_cell(data_copy):
    """Review 2.27: a quoted cell spanning two lines moves every later record down a line."""

    def edit(header, rows):
        rows[0]["skin_features"] += "\nsecond line"
        rows[2]["baricitinib_dose_mg_per_day"] = "four"
        return header, rows

    rewrite(data_copy / "patients.csv", edit)
    assert "row 5, column 'baricitinib_dose_mg_per_day': value 'four'" in problems(data_copy, "patients")


def test_a_table_changed_in_the_same_process_is_read_and_validated_again(data_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("DMJAK_CACHE_DIR", str(tmp_path / "cache"))
    assert load_table("patients", data_copy)["patient_id"].tolist() == ["P1", "P2", "P3"]
    path = data_copy / "patients.csv"
    stat = path.stat()
    rewrite(path, set_cell(1, "baricitinib_dose_mg_per_day", "40"))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the mtime restored
    assert "row 3, column 'baricitinib_dose_mg_per_day'" in problems(data_copy, "patients")


def test_a_tightened_schema_with_its_mtime_restored_is_not_marked_valid(data_copy, tmp_path, monkeypatch):
    """Review 2.33: the parsed package was cached on the descriptor's mtime, so a marker was written wrongly."""
    from dmjak import data

    monkeypatch.setenv("DMJAK_CACHE_DIR", str(tmp_path / "cache"))
    validate_table("patients", data_copy)
    descriptor = data_copy / "datapackage.json"
    stat = descriptor.stat()
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    patients = next(r for r in package["resources"] if r["name"] == "patients")
    dose = next(f for f in patients["schema"]["fields"] if f["name"] == "baricitinib_dose_mg_per_day")
    dose["constraints"]["maximum"] = 2
    descriptor.write_text(json.dumps(package, indent=2), encoding="utf-8")
    os.utime(descriptor, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with pytest.raises(DataValidationError, match="maximum"):
        data.ensure_valid("patients", data_copy)
    assert not list((tmp_path / "cache" / "validated").glob("patients-*.ok"))


def test_the_data_package_declares_one_dialect_and_encoding_for_every_table():
    package = json.loads((Path(__file__).parents[1] / "data" / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        assert resource["encoding"] == "utf-8", resource["name"]
        assert resource["dialect"]["delimiter"] == ",", resource["name"]


# --- Issue 22 re-review (R4, R13-R16) ---------------------------------------------------------------


def test_a_cell_over_the_limit_is_refused_alike_by_validation_and_loading(data_copy, tmp_path, monkeypatch):
    """R4: a 5 MB cell passed validation (frictionless had raised the csv module's limit) and then crashed
    the loader in a fresh kernel with a message blaming quoting; one limit now refuses it in both."""
    from dmjak import data

    monkeypatch.setenv("DMJAK_CACHE_DIR", str(tmp_path / "cache"))
    rewrite(data_copy / "patients.csv", set_cell(0, "skin_features", "x" * 5_000_000))
    expected = f"row 2, column 'skin_features': the cell has 5,000,000 characters; the limit is {data.CELL_LIMIT:,}"
    with pytest.raises(DataValidationError, match="patients.csv") as validated:
        validate_table("patients", data_copy)
    assert expected in str(validated.value)
    fresh = subprocess.run(  # a kernel that has not imported frictionless (its own csv limit)
        [sys.executable, "-c", f"from dmjak.data import load_table; load_table('patients', {str(data_copy)!r})"],
        capture_output=True,
        text=True,
        env={**os.environ, "DMJAK_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert fresh.returncode == 1 and expected in fresh.stderr, fresh.stderr[-2000:]


def test_a_truncated_data_package_is_named_without_a_traceback(data_copy, tmp_path):
    """R13: a truncated datapackage.json ended `python -m dmjak.data` in a JSONDecodeError traceback."""
    descriptor = data_copy / "datapackage.json"
    descriptor.write_bytes(descriptor.read_bytes()[:5000])
    env = {**os.environ, "DMJAK_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-m", "dmjak.data", str(data_copy)], capture_output=True, text=True, env=env)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert "datapackage.json" in done.stderr and "not valid JSON" in done.stderr and "line " in done.stderr
    with pytest.raises(DataValidationError, match="is the file complete"):
        load_table("patients", data_copy)


def test_a_row_with_an_extra_cell_is_reported_as_such(data_copy):
    """R14: one cell too many was reported as 5-6 misplaced values, never as the extra cell it is."""
    path = data_copy / "patients.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        width = len(next(csv.reader(handle)))
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[2] = lines[2].rstrip("\r") + ",extra"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert f"row 3: {width + 1} cell(s) where the header has {width}" in problems(data_copy, "patients")


def test_a_number_in_fullwidth_digits_is_refused(data_copy):
    """R15: '４' (FULLWIDTH DIGIT FOUR) validated and loaded as 4; numbers are ASCII only."""
    rewrite(data_copy / "patients.csv", set_cell(0, "baricitinib_dose_mg_per_day", "４"))
    assert "row 2, column 'baricitinib_dose_mg_per_day': value '４' is not written in ASCII digits" in problems(
        data_copy, "patients"
    )


def test_the_loader_returns_the_bytes_that_were_validated(data_copy, tmp_path, monkeypatch):
    """R16: a file fixed between the loader's read and validation passed validation (on the new bytes)
    while the loader returned the old, never-validated ones."""
    from dmjak import data

    monkeypatch.setenv("DMJAK_CACHE_DIR", str(tmp_path / "cache"))
    path = data_copy / "patients.csv"
    good = path.read_bytes()
    rewrite(path, set_cell(1, "baricitinib_dose_mg_per_day", "40"))  # out of range: never to be returned
    real = data.validate_table

    def validate_after_the_file_changed(*args):
        path.write_bytes(good)
        return real(*args)

    monkeypatch.setattr(data, "validate_table", validate_after_the_file_changed)
    with pytest.raises(DataValidationError, match="row 3, column 'baricitinib_dose_mg_per_day'"):
        load_table("patients", data_copy)
    assert load_table("patients", data_copy)["baricitinib_dose_mg_per_day"].max() <= 4


def test_a_number_only_python_reads_is_refused_and_negative_zero_is_zero(data_copy):
    """Review 2, F7 and F8: '4_7' (Python's digit grouping) validated and loaded as 47; '-0' as -0.0 on the page."""
    rewrite(data_copy / "cdasi_effects.csv", set_cell(0, "n", "4_7"))
    assert "row 2, column 'n': value '4_7' is not a number as the course writes one" in problems(
        data_copy, "cdasi_effects"
    )
    rewrite(data_copy / "cdasi_effects.csv", set_cell(0, "n", "+47"))
    rewrite(data_copy / "dm_epidemiology.csv", set_cell(0, "value", "-0"))
    assert load_table("cdasi_effects", data_copy)["n"].iloc[0] == 47
    assert str(load_table("dm_epidemiology", data_copy)["value"].iloc[0]) == "0.0"


def test_setup_says_so_when_the_validation_markers_cannot_be_written(tmp_path, monkeypatch, capsys):
    """Review 2, F15: in a read-only checkout ``python -m dmjak.data`` printed "markers in build/cache/validated",
    where none could be written (so every kernel validates again, unannounced)."""
    from dmjak import data

    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("DMJAK_CACHE_DIR", str(tmp_path / "file" / "cache"))
    monkeypatch.setattr(data, "validate_all", lambda folder: ["patients"])
    assert data.main([]) == 0
    assert "the markers could not be written" in capsys.readouterr().out
