"""Load the course's tables, each validated against ``data/datapackage.json`` first.

Validation uses frictionless (Table Schema: types, ranges, enums, required cells, unique keys, and the
foreign key from every ``source`` column into ``references``). A table that fails is never returned:
``DataValidationError`` names the file, the row (the line number in the CSV, header = 1), the column,
the bad value and what the schema allows.

Validating costs about a second per kernel and frictionless alone adds tens of MB, so a table is
validated once per content version: a passed validation leaves a marker in the cache folder
(``dmjak.paths.cache_dir``) named by a hash of the table's file, the data package descriptor (all
schemas), every table it refers to by foreign key and the frictionless version. Any change to one of
them misses the cache and validates again, so a malformed file is still refused with the same message.
Reading a table whose marker exists needs only pandas; frictionless is imported only to validate.
Setup (``binder/postBuild``, run by ``make setup`` and Binder) validates every table once
(``python -m dmjak.data``), so kernels start with the markers in place.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import tempfile
from functools import cache, lru_cache
from importlib.metadata import version
from pathlib import Path

import pandas as pd

from dmjak.paths import cache_dir, data_dir

# Table Schema types -> pandas dtypes that keep "not reported" (empty) as a missing value.
_PANDAS_TYPES = {
    "string": "string",
    "integer": "Int64",
    "number": "Float64",
    "boolean": "boolean",
}


class DataValidationError(ValueError):
    """A data file breaks its schema; the message lists each problem with file, row and column."""

    def __init__(self, path: Path, problems: list[str]):
        self.path = path
        self.problems = problems
        listing = "\n".join(f"  - {p}" for p in problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{path} failed validation ({len(problems)} problem(s)):\n{listing}{more}")


def _describe(error, resource) -> str:
    """One line per frictionless error: where it is, what was found, what is allowed."""
    row = getattr(error, "row_number", None)
    fields = [error.field_name] if getattr(error, "field_name", None) else getattr(error, "field_names", [])
    where = f"row {row}" if row else "row 1 (header)"
    column = f"column '{', '.join(fields)}'" if fields else "column ?"
    cell = getattr(error, "cell", None)
    if error.type == "foreign-key":
        value = ", ".join(str(c) for c in getattr(error, "cells", []))
        return (
            f"{where}, {column}: {error.note}; every source key must be a 'key' in references.csv (row values: {value})"
        )
    if error.type in ("missing-label", "incorrect-label", "extra-label", "blank-label", "duplicate-label"):
        expected = [f.name for f in resource.schema.fields]
        return f"{where}, {column}: header problem ({error.type}); expected columns in order: {expected}"
    if error.type == "constraint-error" and "required" in error.note:
        return f"{where}, {column}: value is missing but the column requires one"
    if error.type in ("type-error", "constraint-error"):
        field = resource.schema.get_field(fields[0]) if fields else None
        allowed = _allowed(field) if field else ""
        return f"{where}, {column}: value {cell!r} is not allowed ({error.note}){allowed}"
    if error.type == "missing-cell":
        return f"{where}, {column}: the row has too few cells (check quoting and commas on that line)"
    if error.type == "extra-cell":
        return f"{where}: the row has more cells than the header (check quoting and commas on that line)"
    return f"{where}, {column}: {error.type}: {error.note or error.message}"


def _header_summary(path: Path, resource) -> list[str]:
    """Name missing or unexpected columns outright (frictionless reports them by position)."""
    with open(path, encoding="utf-8", errors="replace", newline="") as handle:
        header = next(csv.reader(handle), [])
    expected = [f.name for f in resource.schema.fields]
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    lines = []
    if missing:
        lines.append(f"row 1 (header): missing column(s) {missing}; expected columns in order: {expected}")
    if extra:
        lines.append(f"row 1 (header): unexpected column(s) {extra}; expected columns in order: {expected}")
    return lines


def _allowed(field) -> str:
    parts = [f"type {field.type}"]
    constraints = field.constraints or {}
    if "enum" in constraints:
        parts.append(f"one of {constraints['enum']}")
    if "minimum" in constraints or "maximum" in constraints:
        parts.append(f"range {constraints.get('minimum', '-inf')}..{constraints.get('maximum', 'inf')}")
    if "pattern" in constraints:
        parts.append(f"pattern {constraints['pattern']}")
    unit = (field.custom or {}).get("unit")
    if unit:
        parts.append(f"unit {unit}")
    return "; allowed: " + ", ".join(parts)


def _descriptor_path(folder: Path) -> Path:
    descriptor = folder / "datapackage.json"
    if not descriptor.is_file():
        raise FileNotFoundError(f"No data package descriptor at {descriptor}")
    return descriptor


def _package(folder: Path):
    """The parsed frictionless package; parsed once per descriptor version (~0.1 s per table)."""
    descriptor = _descriptor_path(folder)
    return _parse(str(descriptor), str(folder), descriptor.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _parse(descriptor: str, folder: str, _mtime_ns: int):
    from frictionless import Package  # only when a table must be validated (see the module docstring)

    return Package(descriptor, basepath=folder)


def _descriptor(folder: Path) -> dict:
    """The data package descriptor as plain JSON (enough to read a validated table)."""
    descriptor = _descriptor_path(folder)
    return _read_descriptor(str(descriptor), descriptor.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _read_descriptor(descriptor: str, _mtime_ns: int) -> dict:
    return json.loads(Path(descriptor).read_text(encoding="utf-8"))


def _resource(name: str, folder: Path) -> dict:
    resources = {r["name"]: r for r in _descriptor(folder)["resources"]}
    if name not in resources:
        raise KeyError(f"No table named {name!r}; the data package has {list(resources)}")
    return resources[name]


def table_names(folder: Path | None = None) -> list[str]:
    """Names of every table described in the data package."""
    return [r["name"] for r in _descriptor(folder or data_dir())["resources"]]


def content_hash(name: str, folder: Path) -> str:
    """Hash of everything table ``name``'s validity depends on (see the module docstring)."""
    resource = _resource(name, folder)
    referred = {fk["reference"].get("resource") or name for fk in resource.get("schema", {}).get("foreignKeys", [])}
    digest = hashlib.sha256(f"frictionless {version('frictionless')}\n".encode())
    for path in [folder / "datapackage.json", folder / resource["path"]]:
        digest.update(path.read_bytes())
    for other in sorted(referred - {name}):
        digest.update(other.encode() + (folder / _resource(other, folder)["path"]).read_bytes())
    return digest.hexdigest()[:32]


def _marker(name: str, folder: Path) -> Path:
    return cache_dir() / "validated" / f"{name}-{content_hash(name, folder)}.ok"


def _remember_valid(marker: Path) -> None:
    """Write the marker atomically; a read-only cache folder just means validating next time too."""
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=marker.parent, prefix=".tmp-")
        os.close(handle)
        os.chmod(temporary, 0o644)
        os.replace(temporary, marker)
    except OSError:
        pass


def ensure_valid(name: str, folder: Path | None = None) -> None:
    """Validate table ``name`` unless this exact content already passed (same errors as ``validate_table``)."""
    folder = Path(folder or data_dir())
    try:
        marker = _marker(name, folder)
    except OSError:  # a file is missing or unreadable: validation says which, in its own words
        marker = None
    if marker is None or not marker.is_file():
        validate_table(name, folder)
        if marker is not None:
            _remember_valid(marker)


def validate_table(name: str, folder: Path | None = None) -> None:
    """Raise ``DataValidationError`` unless table ``name`` satisfies its schema and foreign keys."""
    folder = folder or data_dir()
    package = _package(folder)
    if name not in [r.name for r in package.resources]:
        raise KeyError(f"No table named {name!r}; the data package has {table_names(folder)}")
    resource = package.get_resource(name)
    report = resource.validate()
    if not report.valid:
        problems = _header_summary(folder / resource.path, resource)
        problems += [_describe(e, resource) for task in report.tasks for e in task.errors]
        problems += [f"{e.type}: {e.note or e.message}" for e in report.errors]
        raise DataValidationError(folder / resource.path, problems)


# Table Schema's default spellings of booleans (a field may override them with trueValues/falseValues).
_TRUE_VALUES = ["true", "True", "TRUE", "1"]
_FALSE_VALUES = ["false", "False", "FALSE", "0"]


def _read(name: str, folder: Path) -> pd.DataFrame:
    resource = _resource(name, folder)
    fields = resource["schema"]["fields"]
    frame = pd.read_csv(folder / resource["path"], dtype="string", keep_default_na=False, na_values=[""])
    for field in fields:
        if field.get("type") == "boolean":  # Table Schema spellings ("true", "false", ...) -> booleans
            truth = {
                **dict.fromkeys(field.get("trueValues", _TRUE_VALUES), True),
                **dict.fromkeys(field.get("falseValues", _FALSE_VALUES), False),
            }
            frame[field["name"]] = frame[field["name"]].map(truth, na_action="ignore").astype("boolean")
    dtypes = {f["name"]: _PANDAS_TYPES.get(f.get("type", "string"), "string") for f in fields}
    return frame.astype(dtypes)


@cache
def _load_cached(name: str, folder: Path) -> pd.DataFrame:
    ensure_valid(name, folder)
    return _read(name, folder)


def load_table(name: str, folder: Path | None = None) -> pd.DataFrame:
    """The validated table ``name`` as a DataFrame (empty cells = not reported = <NA>).

    Each table is validated once per content version (see the module docstring) and read once per
    process; callers get a copy, so they cannot alter the cache.
    """
    return _load_cached(name, Path(folder or data_dir())).copy()


def table_schema(name: str, folder: Path | None = None) -> dict:
    """The Table Schema of ``name`` (columns, types, units, descriptions) as a plain dict."""
    return _package(folder or data_dir()).get_resource(name).schema.to_dict()


def validate_all(folder: Path | None = None) -> list[str]:
    """Validate every table not yet validated in this content version; return their names (setup runs this)."""
    folder = Path(folder or data_dir())
    names = table_names(folder)
    for name in names:
        ensure_valid(name, folder)
    return names


def main(argv: list[str] | None = None) -> int:
    """``python -m dmjak.data [FOLDER]``: validate every table once, so no kernel has to (exit 1 names the fault)."""
    import argparse
    import sys

    parser = argparse.ArgumentParser(prog="python -m dmjak.data", description=main.__doc__)
    parser.add_argument("folder", nargs="?", type=Path, help="data folder (default: the course's data/)")
    args = parser.parse_args(argv)
    try:
        names = validate_all(args.folder)
    except (DataValidationError, FileNotFoundError, KeyError) as error:
        print(f"invalid data: {error}", file=sys.stderr)
        return 1
    print(f"{len(names)} tables valid (markers in {cache_dir() / 'validated'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
