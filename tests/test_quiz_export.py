"""The course's questions exported for Moodle (XML) and Canvas (QTI 1.2), read back and compared with
the source rows; a malformed item is refused with its id."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest
from conftest import REPO

from dmjak.quiz import quiz_items
from dmjak.tooling import quiz_export


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    return quiz_export.export(tmp_path_factory.mktemp("quiz"))


def source_rows():
    with open(REPO / "data" / "quiz_items.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def as_rows(questions):
    """Back to the CSV's columns, so an export is compared with the file itself, not with its parser."""
    return [
        {
            "quiz_id": q.quiz_id,
            "notebook": q.notebook,
            "question": q.stem,
            "options": quiz_export.SEPARATOR.join(q.options),
            "option_feedback": quiz_export.SEPARATOR.join(q.feedback),
            "answer": str(q.answer + 1),
            "explanation": q.explanation,
            "source": q.source,
        }
        for q in questions
    ]


def test_moodle_xml_reads_back_as_the_source_rows(exported):
    back = quiz_export.read_moodle(exported["moodle"].read_bytes())
    assert as_rows(back) == source_rows()
    assert len(back) == len(quiz_items()) >= 39


def test_qti_package_reads_back_as_the_source_rows(exported):
    back = quiz_export.read_qti(exported["qti"])
    assert as_rows(back) == source_rows()


def test_the_key_agrees_with_the_course_parser():
    """The exported key is the key the notebooks' widgets check against."""
    items = quiz_items()
    for q in quiz_export.questions():
        assert items[q.quiz_id].answer == q.answer and list(q.options) == items[q.quiz_id].options


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda r: r.update(answer="4"), "answer 4 is not an option number 1..3"),
        (lambda r: r.update(option_feedback=r["option_feedback"].rsplit(" | ", 1)[0]), "3 options but 2 feedback"),
        (lambda r: r.update(options="Only one option", option_feedback="one"), "1 options"),
        (lambda r: r.update(question="  "), "column 'question' is empty"),
        (lambda r: r.update(answer="B"), "answer 'B' is not a number"),
        (lambda r: r.update(options="Same | Same | Other"), "an option is empty or repeated"),
    ],
)
def test_a_malformed_item_is_refused_with_its_id(tmp_path, change, problem):
    rows = source_rows()
    change(rows[5])
    bad = tmp_path / "quiz_items.csv"
    with open(bad, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(quiz_export.MalformedItem, match=f"item {rows[5]['quiz_id']}: .*{problem}"):
        quiz_export.export(tmp_path / "out", bad)
    assert not (tmp_path / "out").exists(), "nothing is written when an item is refused"
    run = subprocess.run(
        [sys.executable, "-m", "dmjak.tooling.quiz_export", str(tmp_path / "out"), "--source", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2 and rows[5]["quiz_id"] in run.stderr and "Traceback" not in run.stderr


def test_a_repeated_id_is_refused(tmp_path):
    rows = source_rows()
    rows[3]["quiz_id"] = rows[2]["quiz_id"]
    bad = tmp_path / "quiz_items.csv"
    with open(bad, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(quiz_export.MalformedItem, match=f"item {rows[2]['quiz_id']}: the id is used more than once"):
        quiz_export.questions(bad)


def test_hostile_text_stays_text(tmp_path):
    rows = source_rows()[:1]
    rows[0]["question"] = "<script>alert(1)</script> & ]]> <![CDATA[x]]>"
    path = tmp_path / "q.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = quiz_export.export(tmp_path / "out", path)
    assert b"<script>" not in out["moodle"].read_bytes()
    assert quiz_export.read_moodle(out["moodle"].read_bytes())[0].stem == rows[0]["question"]
    assert quiz_export.read_qti(out["qti"])[0].stem == rows[0]["question"]
