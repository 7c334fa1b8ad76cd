"""Hostile text planted in a copy of data/: a script, an event handler and a javascript: link per cell.

``plant(folder)`` writes the payload into every free-text column of every table (string columns
without an enum or pattern that no other table looks up), except the identifiers listed in
``LOOKUP_COLUMNS``, which the course's code matches exactly and which a changed value would only
make fail loudly. The payload passes validation, so it reaches every page the course makes.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

TAG = "XSSPLANT"
PAYLOAD = (
    f" {TAG}<script>window.__planted=(window.__planted||0)+1;alert('{TAG}-script')</script>"
    f"<img src=x class={TAG} onerror=\"alert('{TAG}-img')\">[{TAG}-link](javascript:alert('{TAG}-link'))"
    f"<a href=\"javascript:alert('{TAG}-a')\" class={TAG}>{TAG}-a</a>"
)
# Values the code looks up or parses exactly (names of drugs, groups and rules), not text it shows freely.
LOOKUP_COLUMNS = {
    "jak_inhibitor_potency": {"drug"},  # the drug dropdown and DoseExplorer select rows by drug name
    "jak_inhibitor_profiles": {"drug"},
    "safety_rates": {"outcome", "group"},  # notebook 05 looks up two rates by outcome and group
    "exposure_modifiers": {"modifier"},  # the kidney dropdown starts at "normal renal function"
    # notebook 02 highlights the type I interferon pathway by name, and its cascade picture checks that the
    # row's receptor chains are the two it draws (a changed value stops it with a ValueError naming both)
    "jak_pathways": {"pathway", "receptor_chains"},
}


def free_text_columns(package: dict) -> dict[str, list[str]]:
    """Per table, the string columns a payload can be planted in without breaking validation."""
    referenced = {
        (fk["reference"]["resource"], field)
        for r in package["resources"]
        for fk in r["schema"].get("foreignKeys", [])
        for field in (
            [fk["reference"]["fields"]] if isinstance(fk["reference"]["fields"], str) else fk["reference"]["fields"]
        )
    }
    columns = {}
    for resource in package["resources"]:
        keys = {
            f
            for fk in resource["schema"].get("foreignKeys", [])
            for f in ([fk["fields"]] if isinstance(fk["fields"], str) else fk["fields"])
        }
        columns[resource["name"]] = [
            f["name"]
            for f in resource["schema"]["fields"]
            if f["type"] == "string"
            and not {"enum", "pattern"} & set(f.get("constraints", {}))
            and f["name"] not in keys
            and (resource["name"], f["name"]) not in referenced
            and f["name"] not in LOOKUP_COLUMNS.get(resource["name"], set())
        ]
    return columns


def plant(folder: Path) -> dict[str, list[str]]:
    """Append the payload to every non-empty free-text cell of every table in ``folder``; return the columns."""
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    columns = free_text_columns(package)
    for resource in package["resources"]:
        path = folder / resource["path"]
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            header, rows = reader.fieldnames, list(reader)
        for row in rows:
            for column in columns[resource["name"]]:
                if row[column]:
                    row[column] += PAYLOAD
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    return columns
