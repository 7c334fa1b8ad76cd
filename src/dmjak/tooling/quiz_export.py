"""The course's questions (``data/quiz_items.csv``) for learning platforms, so a lecturer can collect answers.

Two formats, both imported by the platform (the lecturer's upload), never handed to students:

- Moodle XML (Moodle's own question-bank format): one ``multichoice`` question per item, single answer,
  options in the course's order (lettered A, B, C as in the guide's key), per-option feedback and the
  model answer as general feedback. Moodle shows the key only after an attempt, as the quiz settings say.
- QTI 1.2 in an IMS content package (a .zip: ``imsmanifest.xml`` and one assessment), the version Canvas
  imports for classic quizzes (Settings > Import course content > QTI .zip file), with Canvas's
  ``multiple_choice_question`` metadata.

Both are written with the standard library's ElementTree (escaping included) and read back by
``read_moodle`` / ``read_qti``, which the tests compare with the source rows. Before anything is written
every row is checked, and a malformed item is refused with its id. Maintained converters exist
(text2qti for QTI) but start from their own text format, so the course would still need a writer for it;
a direct writer of two small XML dialects is shorter. Usage: ``python -m dmjak.tooling.quiz_export OUT
[--only ID,ID]`` (``--only``: just a lecture's poll items, for the guide's Moodle poll recipe).
"""

from __future__ import annotations

import argparse
import csv
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

from dmjak.paths import build_dir, data_dir

SEPARATOR = " | "
COURSE = "Dermatomyositis and JAK inhibition"
QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
MANIFEST_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
MIN_OPTIONS, MAX_OPTIONS = 2, 6


class MalformedItem(ValueError):
    """A row of quiz_items.csv that cannot become a platform question (the message names its id)."""


@dataclass(frozen=True)
class Question:
    quiz_id: str
    notebook: str
    stem: str
    options: tuple[str, ...]
    feedback: tuple[str, ...]
    answer: int  # index into options
    explanation: str
    source: str  # empty for questions about the course itself


def question_from_row(row: dict) -> Question:
    """One CSV row as a question, or ``MalformedItem`` naming the row's id and what is wrong."""
    quiz_id = (row.get("quiz_id") or "").strip() or "(no id)"

    def refuse(problem: str):
        raise MalformedItem(f"quiz_items.csv, item {quiz_id}: {problem}")

    for column in ("quiz_id", "notebook", "question", "options", "option_feedback", "answer", "explanation"):
        if not (row.get(column) or "").strip():
            refuse(f"column {column!r} is empty")
    options = tuple(o.strip() for o in row["options"].split(SEPARATOR))
    feedback = tuple(f.strip() for f in row["option_feedback"].split(SEPARATOR))
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        refuse(f"{len(options)} options; a question needs {MIN_OPTIONS} to {MAX_OPTIONS}, separated by '{SEPARATOR}'")
    if "" in options or len(set(options)) != len(options):
        refuse("an option is empty or repeated")
    if len(feedback) != len(options) or "" in feedback:
        refuse(f"{len(options)} options but {len(feedback)} feedback entries (one per option, none empty)")
    try:
        answer = int(row["answer"])
    except ValueError:
        refuse(f"answer {row['answer']!r} is not a number")
    if not 1 <= answer <= len(options):
        refuse(f"answer {answer} is not an option number 1..{len(options)}")
    return Question(
        row["quiz_id"].strip(),
        row["notebook"].strip(),
        row["question"].strip(),
        options,
        feedback,
        answer - 1,
        row["explanation"].strip(),
        (row.get("source") or "").strip(),
    )


def read_rows(path: Path | None = None) -> list[dict]:
    """The raw rows of quiz_items.csv (``data/`` unless ``path`` is given)."""
    with open(path or data_dir() / "quiz_items.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def questions(path: Path | None = None) -> list[Question]:
    """Every item as a question; the first malformed item stops the export with its id."""
    found = [question_from_row(row) for row in read_rows(path)]
    ids = [q.quiz_id for q in found]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise MalformedItem(f"quiz_items.csv, item {repeated[0]}: the id is used more than once")
    return found


def _general_feedback(q: Question) -> str:
    return q.explanation + (f" [{q.source}]" if q.source else "")


# --- Moodle XML ------------------------------------------------------------------------------------


def _text(parent: ET.Element, tag: str, value: str, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    ET.SubElement(element, "text").text = value
    return element


def moodle_xml(items: list[Question]) -> bytes:
    """A Moodle question-bank file: one category per notebook, one single-answer question per item, in the
    source's order (a category applies to the questions after it)."""
    quiz = ET.Element("quiz")
    notebook = None
    for q in items:
        if q.notebook != notebook:
            notebook = q.notebook
            _text(ET.SubElement(quiz, "question", type="category"), "category", f"$course$/{COURSE}/{notebook}")
        question = ET.SubElement(quiz, "question", type="multichoice")
        _text(question, "name", q.quiz_id)
        _text(question, "questiontext", q.stem, format="plain_text")
        _text(question, "generalfeedback", _general_feedback(q), format="plain_text")
        ET.SubElement(question, "defaultgrade").text = "1"
        ET.SubElement(question, "penalty").text = "0"
        ET.SubElement(question, "hidden").text = "0"
        ET.SubElement(question, "idnumber").text = q.quiz_id
        ET.SubElement(question, "single").text = "true"
        ET.SubElement(question, "shuffleanswers").text = "false"  # the guide's key names letters
        ET.SubElement(question, "answernumbering").text = "ABCD"
        for index, (option, feedback) in enumerate(zip(q.options, q.feedback, strict=True)):
            answer = _text(
                question, "answer", option, fraction="100" if index == q.answer else "0", format="plain_text"
            )
            _text(answer, "feedback", feedback, format="plain_text")
    ET.indent(quiz)
    return ET.tostring(quiz, encoding="utf-8", xml_declaration=True)


def read_moodle(data: bytes) -> list[Question]:
    """Questions read back from a Moodle XML file (for checking an export against its source)."""
    found, notebook = [], ""
    for question in ET.fromstring(data).iter("question"):
        if question.get("type") == "category":
            notebook = question.findtext("category/text").rsplit("/", 1)[-1]
            continue
        answers = question.findall("answer")
        found.append(
            Question(
                question.findtext("idnumber"),
                notebook,
                question.findtext("questiontext/text"),
                tuple(a.findtext("text") for a in answers),
                tuple(a.findtext("feedback/text") for a in answers),
                [a.get("fraction") for a in answers].index("100"),
                *_split_source(question.findtext("generalfeedback/text")),
            )
        )
    return found


def _split_source(general: str) -> tuple[str, str]:
    if general.endswith("]") and " [" in general:
        text, source = general[:-1].rsplit(" [", 1)
        return text, source
    return general, ""


# --- QTI 1.2 for Canvas ----------------------------------------------------------------------------


def _metadata(parent: ET.Element, fields: dict[str, str]) -> None:
    meta = ET.SubElement(parent, "qtimetadata")
    for label, entry in fields.items():
        field = ET.SubElement(meta, "qtimetadatafield")
        ET.SubElement(field, "fieldlabel").text = label
        ET.SubElement(field, "fieldentry").text = entry


def _material(parent: ET.Element, text: str) -> None:
    ET.SubElement(ET.SubElement(parent, "material"), "mattext", texttype="text/plain").text = text


def qti_assessment(items: list[Question], ident: str = "dmjak-quiz") -> bytes:
    """One QTI 1.2 assessment holding every item as a Canvas multiple-choice question."""
    root = ET.Element("questestinterop", xmlns=QTI_NS)
    assessment = ET.SubElement(root, "assessment", ident=ident, title=f"{COURSE}: check your understanding")
    section = ET.SubElement(assessment, "section", ident="root_section")
    for q in items:
        item = ET.SubElement(section, "item", ident=q.quiz_id, title=q.quiz_id)
        _metadata(
            ET.SubElement(item, "itemmetadata"),
            {
                "question_type": "multiple_choice_question",
                "points_possible": "1.0",
                "notebook": q.notebook,
                "source": q.source,
            },
        )
        presentation = ET.SubElement(item, "presentation")
        _material(presentation, q.stem)
        choice = ET.SubElement(
            ET.SubElement(presentation, "response_lid", ident="response1", rcardinality="Single"), "render_choice"
        )
        labels = [f"{q.quiz_id}-{chr(65 + i)}" for i in range(len(q.options))]
        for label, option in zip(labels, q.options, strict=True):
            _material(ET.SubElement(choice, "response_label", ident=label), option)
        processing = ET.SubElement(item, "resprocessing")
        ET.SubElement(
            ET.SubElement(processing, "outcomes"),
            "decvar",
            maxvalue="100",
            minvalue="0",
            varname="SCORE",
            vartype="Decimal",
        )
        general = ET.SubElement(processing, "respcondition", **{"continue": "Yes"})
        ET.SubElement(general, "conditionvar").append(ET.Element("other"))
        ET.SubElement(general, "displayfeedback", feedbacktype="Response", linkrefid="general_fb")
        for label in labels:
            condition = ET.SubElement(processing, "respcondition", **{"continue": "Yes"})
            ET.SubElement(ET.SubElement(condition, "conditionvar"), "varequal", respident="response1").text = label
            ET.SubElement(condition, "displayfeedback", feedbacktype="Response", linkrefid=f"{label}_fb")
        correct = ET.SubElement(processing, "respcondition", **{"continue": "No"})
        ET.SubElement(ET.SubElement(correct, "conditionvar"), "varequal", respident="response1").text = labels[q.answer]
        ET.SubElement(correct, "setvar", action="Set", varname="SCORE").text = "100"
        for ident, text in [("general_fb", q.explanation)] + [
            (f"{label}_fb", feedback) for label, feedback in zip(labels, q.feedback, strict=True)
        ]:
            _material(ET.SubElement(ET.SubElement(item, "itemfeedback", ident=ident), "flow_mat"), text)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def qti_package(items: list[Question], target: Path, ident: str = "dmjak-quiz") -> Path:
    """An IMS content package (.zip) with the manifest and the assessment, as Canvas imports it."""
    manifest = ET.Element("manifest", identifier=f"{ident}-manifest", xmlns=MANIFEST_NS)
    ET.SubElement(manifest, "organizations")
    resources = ET.SubElement(manifest, "resources")
    resource = ET.SubElement(
        resources, "resource", identifier=ident, type="imsqti_xmlv1p2", href=f"{ident}/{ident}.xml"
    )
    ET.SubElement(resource, "file", href=f"{ident}/{ident}.xml")
    ET.indent(manifest)
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("imsmanifest.xml", ET.tostring(manifest, encoding="utf-8", xml_declaration=True))
        package.writestr(f"{ident}/{ident}.xml", qti_assessment(items, ident))
    return target


def read_qti(package: Path) -> list[Question]:
    """Questions read back from a QTI package (the assessment the manifest names)."""
    ns = {"q": QTI_NS, "m": MANIFEST_NS}
    with zipfile.ZipFile(package) as archive:
        manifest = ET.fromstring(archive.read("imsmanifest.xml"))
        href = manifest.find("m:resources/m:resource", ns).get("href")
        root = ET.fromstring(archive.read(href))
    found = []
    for item in root.iterfind(".//q:item", ns):
        meta = {
            f.findtext("q:fieldlabel", namespaces=ns): f.findtext("q:fieldentry", namespaces=ns) or ""
            for f in item.iterfind("q:itemmetadata/q:qtimetadata/q:qtimetadatafield", ns)
        }
        labels = [label.get("ident") for label in item.iterfind(".//q:response_label", ns)]
        feedback = {
            fb.get("ident"): fb.findtext(".//q:mattext", namespaces=ns) for fb in item.iterfind("q:itemfeedback", ns)
        }
        correct = [
            c.findtext("q:conditionvar/q:varequal", namespaces=ns)
            for c in item.iterfind("q:resprocessing/q:respcondition", ns)
            if c.find("q:setvar", ns) is not None and c.findtext("q:setvar", namespaces=ns) == "100"
        ]
        found.append(
            Question(
                item.get("ident"),
                meta["notebook"],
                item.findtext("q:presentation/q:material/q:mattext", namespaces=ns),
                tuple(
                    label.findtext(".//q:mattext", namespaces=ns) for label in item.iterfind(".//q:response_label", ns)
                ),
                tuple(feedback[f"{label}_fb"] for label in labels),
                labels.index(correct[0]),
                feedback["general_fb"],
                meta["source"],
            )
        )
    return found


def chosen(items: list[Question], only: list[str]) -> list[Question]:
    """The items named in ``only`` (the polls of one lecture), in the source's order; an unknown id is
    refused with the ids that exist."""
    unknown = [quiz_id for quiz_id in only if quiz_id not in {q.quiz_id for q in items}]
    if unknown:
        raise MalformedItem(
            f"no item {unknown[0]!r} in quiz_items.csv; the ids are: {', '.join(q.quiz_id for q in items)}"
        )
    return [q for q in items if q.quiz_id in only]


def export(out: Path | None = None, source: Path | None = None, only: list[str] | None = None) -> dict[str, Path]:
    """Write the Moodle XML file and the QTI package for every item (or only the ids in ``only``); return
    their paths."""
    out = out or build_dir() / "lecturer" / "quiz"
    items = questions(source)
    if only:
        items = chosen(items, only)
    out.mkdir(parents=True, exist_ok=True)
    moodle = out / "dmjak-quiz.moodle.xml"
    moodle.write_bytes(moodle_xml(items))
    return {"moodle": moodle, "qti": qti_package(items, out / "dmjak-quiz.qti.zip")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dmjak.tooling.quiz_export", description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, help="folder (default build/lecturer/quiz)")
    parser.add_argument("--source", type=Path, help="a quiz_items.csv other than data/'s")
    parser.add_argument("--only", default="", help="comma-separated item ids: export just these (a lecture's polls)")
    args = parser.parse_args(argv)
    try:
        written = export(args.out, args.source, [i.strip() for i in args.only.split(",") if i.strip()])
    except MalformedItem as error:
        print(f"refused: {error}", file=sys.stderr)
        return 2
    for kind, path in written.items():
        print(f"{kind}: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
