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

One reader (``_parse_csv``) serves both: validation runs it before frictionless, and both read one snapshot
of the bytes (frictionless a temporary copy of it), so loading returns exactly what was validated, with the
encoding and dialect ``datapackage.json`` declares and one limit on a cell's length (``CELL_LIMIT``). So a file
frictionless would sniff differently (another delimiter, encoding, a BOM, NUL bytes) is refused with
the file, row and column, as are non-finite numbers and a table without rows. The parsed descriptor
and each read table are cached on their bytes, never on a modification time.
Setup (``binder/postBuild``, run by ``make setup`` and Binder) validates every table once
(``python -m dmjak.data``), so kernels start with the markers in place.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import math
import os
import re
import tempfile
from functools import lru_cache
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


def _describe(error, resource, lines: dict[int, int] | None = None) -> str:
    """One line per frictionless error: where it is (the line in the file), what was found, what is allowed."""
    row = getattr(error, "row_number", None)
    row = (lines or {}).get(row, row)
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


def _header_summary(header: list[str], expected: list[str], delimiter: str) -> list[str]:
    """Name missing, unexpected or reordered columns outright (frictionless reports them by position)."""
    if len(header) == 1 and len(expected) > 1:
        return [
            f"row 1 (header): one column {header} where {len(expected)} were expected; the data package "
            f"declares columns separated by {delimiter!r} and encoding utf-8: expected {expected}"
        ]
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    lines = []
    if missing:
        lines.append(f"row 1 (header): missing column(s) {missing}; expected columns in order: {expected}")
    if extra:
        lines.append(f"row 1 (header): unexpected column(s) {extra}; expected columns in order: {expected}")
    if not lines:
        lines.append(f"row 1 (header): columns {header} are not in the expected order {expected}")
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


def _descriptor(folder: Path) -> dict:
    """The data package descriptor as plain JSON (enough to read a validated table)."""
    path = _descriptor_path(folder)
    return _read_descriptor(path.read_bytes(), path)


@lru_cache(maxsize=8)
def _read_descriptor(raw: bytes, path: Path) -> dict:
    """The descriptor parsed, cached on its bytes (not its mtime, which can be restored); a truncated or
    malformed file is refused with the line and column where it stops being JSON."""
    try:
        return json.loads(raw)
    except ValueError as error:  # JSONDecodeError, or bytes that are not UTF-8
        where = f"line {error.lineno}, column {error.colno}: " if isinstance(error, json.JSONDecodeError) else ""
        raise DataValidationError(path, [f"{where}not valid JSON ({error}); is the file complete?"]) from None


def _resource(name: str, folder: Path, descriptor: bytes | None = None) -> dict:
    """Table ``name``'s resource in the descriptor (``descriptor``: its bytes as read in a snapshot)."""
    parsed = _descriptor(folder) if descriptor is None else _read_descriptor(descriptor, folder / "datapackage.json")
    resources = {r["name"]: r for r in parsed["resources"]}
    if name not in resources:
        raise KeyError(f"No table named {name!r}; the data package has {list(resources)}")
    return resources[name]


def table_names(folder: Path | None = None) -> list[str]:
    """Names of every table described in the data package."""
    return [r["name"] for r in _descriptor(folder or data_dir())["resources"]]


def content_hash(name: str, folder: Path) -> str:
    """Hash of everything table ``name``'s validity depends on (see the module docstring)."""
    return _snapshot(name, folder)[0]


def _snapshot(name: str, folder: Path) -> tuple[str, dict[str, bytes]]:
    """(content hash, {path in the folder: bytes}) of the descriptor, the table and the tables it refers to,
    each read once: what is hashed is what gets validated and parsed, even if a file changes meanwhile."""
    descriptor = _descriptor_path(folder).read_bytes()
    resources = {r["name"]: r for r in _read_descriptor(descriptor, folder / "datapackage.json")["resources"]}
    if name not in resources:
        raise KeyError(f"No table named {name!r}; the data package has {list(resources)}")
    foreign_keys = resources[name].get("schema", {}).get("foreignKeys", [])
    referred = {fk["reference"].get("resource") or name for fk in foreign_keys} - {name}
    files = {"datapackage.json": descriptor, resources[name]["path"]: (folder / resources[name]["path"]).read_bytes()}
    digest = hashlib.sha256(f"frictionless {version('frictionless')}\n".encode())
    digest.update(descriptor)
    digest.update(files[resources[name]["path"]])
    for other in sorted(referred):
        files[resources[other]["path"]] = (folder / resources[other]["path"]).read_bytes()
        digest.update(other.encode() + files[resources[other]["path"]])
    return digest.hexdigest()[:32], files


def _marker(name: str, folder: Path, digest: str | None = None) -> Path:
    return cache_dir() / "validated" / f"{name}-{digest or content_hash(name, folder)}.ok"


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


def ensure_valid(name: str, folder: Path | None = None, snapshot: tuple[str, dict[str, bytes]] | None = None) -> None:
    """Validate table ``name`` unless this exact content already passed (same errors as ``validate_table``).

    ``snapshot`` is the content hash and bytes the caller read (``_snapshot``): those very bytes are
    validated and marked valid, whatever happens to the files meanwhile.
    """
    folder = Path(folder or data_dir())
    try:
        snapshot = snapshot or _snapshot(name, folder)
    except OSError:  # a file is missing or unreadable: validation says which, in its own words
        validate_table(name, folder)
        return
    marker = _marker(name, folder, snapshot[0])
    if not marker.is_file():
        validate_table(name, folder, snapshot)
        _remember_valid(marker)


def validate_table(name: str, folder: Path | None = None, snapshot: tuple[str, dict[str, bytes]] | None = None) -> None:
    """Raise ``DataValidationError`` unless table ``name`` satisfies its schema and foreign keys.

    The course's own reader checks the bytes first (encoding, dialect, header, finite numbers, at
    least one row), so frictionless never accepts a file the reader would read differently. Both check
    one snapshot of the files (copied to a temporary folder for frictionless), never a later version.
    """
    folder = Path(folder or data_dir())
    files = (snapshot or _snapshot(name, folder))[1]
    resource_json = _resource(name, folder, files["datapackage.json"])
    path = folder / resource_json["path"]
    rows = _parse_csv(path, files[resource_json["path"]], resource_json)
    with tempfile.TemporaryDirectory(prefix="dmjak-validate-") as copy:
        for relative, raw in files.items():
            (Path(copy) / relative).parent.mkdir(parents=True, exist_ok=True)
            (Path(copy) / relative).write_bytes(raw)
        from frictionless import Package  # only when a table must be validated (see the module docstring)

        descriptor = json.loads(files["datapackage.json"])
        paths = set(files)  # the table and the tables it refers to: a package of just these builds fast
        descriptor["resources"] = [r for r in descriptor["resources"] if r["path"] in paths]
        resource = Package(descriptor, basepath=copy).get_resource(name)
        report = resource.validate()
    if not report.valid:
        lines = rows.lines
        problems = [_describe(e, resource, lines) for task in report.tasks for e in task.errors]
        problems += [f"{e.type}: {e.note or e.message}" for e in report.errors]
        raise DataValidationError(path, problems)


# The longest cell a table may hold (characters; the course's longest is under 1,000). The one limit of the
# course's reader, which runs before frictionless, so validation and loading refuse the same cells.
CELL_LIMIT = 100_000
# The csv module's own limit (frictionless raises it process-wide on import) is set above it while reading.
_CSV_FIELD_LIMIT = 2**31 - 1

# Table Schema's default spellings of booleans (a field may override them with trueValues/falseValues).
_TRUE_VALUES = ["true", "True", "TRUE", "1"]
_FALSE_VALUES = ["false", "False", "FALSE", "0"]


class _Rows(list):
    """The records of a CSV (header excluded), with ``lines``: record number (header = 1) -> first line."""

    lines: dict[int, int]


def _parse_csv(path: Path, raw: bytes, resource: dict) -> _Rows:
    """Parse a table's bytes exactly as declared in ``datapackage.json`` (encoding, dialect), or refuse.

    The one reader of the course: validation runs it before frictionless and loading parses with it.
    Refused with file, row (line) and column: a UTF-16/32 file, a byte-order mark, invalid UTF-8, NUL bytes, a
    header that is not the schema's (another delimiter shows here), a blank line, a row with more or fewer cells
    than the header, a cell longer than ``CELL_LIMIT``, a number that is not finite, not in ASCII digits or in a
    spelling only Python reads (``4_7``), a table with no rows.
    """
    if resource.get("encoding", "utf-8").lower() != "utf-8":
        raise DataValidationError(path, [f"the data package declares encoding {resource['encoding']!r}; use utf-8"])
    if _wide_encoding(raw):
        raise DataValidationError(
            path,
            ["row 1 (header): the file is saved as UTF-16 or UTF-32; save it as UTF-8"],
        )
    problems: list[str] = []
    if raw.startswith(codecs.BOM_UTF8):
        problems.append("row 1 (header): the file starts with a byte-order mark (BOM); save it as UTF-8 without BOM")
        raw = raw[len(codecs.BOM_UTF8) :]
    dialect = resource.get("dialect", {})
    text = raw.decode("utf-8", errors="surrogateescape")  # invalid bytes become findable, located below
    reader = csv.reader(
        io.StringIO(text, newline=""),
        delimiter=dialect.get("delimiter", ","),
        quotechar=dialect.get("quoteChar", '"'),
        doublequote=dialect.get("doubleQuote", True),
    )
    fields = resource["schema"]["fields"]
    expected = [f["name"] for f in fields]
    numbers = {i for i, f in enumerate(fields) if f.get("type") in ("number", "integer")}
    rows, lines, line = _Rows(), {}, 1
    previous_limit = csv.field_size_limit(_CSV_FIELD_LIMIT)
    try:
        for record, cells in enumerate(reader, start=1):
            lines[record] = line
            if record > 1 and not cells:
                problems.append(f"row {line}: the line is empty; remove blank lines between rows")
            elif record > 1 and len(cells) != len(expected):
                problems.append(
                    f"row {line}: {len(cells)} cell(s) where the header has {len(expected)} ({expected}); "
                    "check quoting and commas on that line"
                )
            for i, cell in enumerate(cells):
                column = expected[i] if record > 1 and i < len(expected) else f"{i + 1}"
                where = f"row {line}, column '{column}'"
                if len(cell) > CELL_LIMIT:
                    problems.append(
                        f"{where}: the cell has {len(cell):,} characters; the limit is {CELL_LIMIT:,} "
                        "(a quote left open runs on to the end of the file)"
                    )
                    continue
                if "\x00" in cell:
                    problems.append(f"{where}: contains a NUL byte (the file is binary or corrupt)")
                if any("\udc80" <= c <= "\udcff" for c in cell):
                    bad = cell.encode("utf-8", errors="surrogateescape")
                    problems.append(f"{where}: not valid UTF-8 ({bad!r}); save the file as UTF-8")
                elif record > 1 and i in numbers and not cell.isascii():
                    problems.append(f"{where}: value {cell!r} is not written in ASCII digits (0-9, '.', '-', 'e')")
                elif record > 1 and i in numbers and cell.strip() and not _finite(cell):
                    problems.append(
                        f"{where}: value {cell!r} is not a finite number; allowed: {_allowed_json(fields[i])}"
                    )
                elif record > 1 and i in numbers and not _plain_number(cell):
                    problems.append(
                        f"{where}: value {cell!r} is not a number as the course writes one (digits 0-9, one '.', "
                        "a sign, an exponent such as e-3); Python's '_' digit groups are not allowed"
                    )
            if record == 1 and cells != expected:  # every later cell would be misnamed: stop here
                raise DataValidationError(
                    path, problems + _header_summary(cells, expected, dialect.get("delimiter", ","))
                )
            if record > 1:
                rows.append(cells)
            line = reader.line_num + 1
    except csv.Error as error:
        problems.append(f"row {reader.line_num}: cannot be parsed as CSV ({error}); check quoting on that line")
    finally:
        csv.field_size_limit(previous_limit)
    if not lines:
        problems.append("row 1 (header): the file is empty; expected columns " + str(expected))
    elif not rows and not problems:
        problems.append("row 2: the table has a header but no rows; the course needs at least one")
    if problems:
        raise DataValidationError(path, problems)
    rows.lines = lines
    return rows


def _wide_encoding(raw: bytes) -> bool:
    """A UTF-16 or UTF-32 file: a byte-order mark for one, or NUL in every other byte of its start (ASCII text)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)):
        return True
    head = raw[:200]
    return len(head) >= 8 and max(head[0::2].count(0), head[1::2].count(0)) >= len(head) // 2 - 1


# A number as the data files write one (what Python's float() also reads, but without its '_' digit groups).
_PLAIN_NUMBER = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*")


def _plain_number(cell: str) -> bool:
    """True for a plain decimal number, an empty cell, or text that is no number at all (the schema names it)."""
    try:
        float(cell)
    except ValueError:
        return True
    return bool(_PLAIN_NUMBER.fullmatch(cell))


def _finite(cell: str) -> bool:
    try:
        return math.isfinite(float(cell))
    except ValueError:
        return True  # not a number at all: the schema's type check names it


def _allowed_json(field: dict) -> str:
    constraints = field.get("constraints", {})
    low, high = constraints.get("minimum", "-inf"), constraints.get("maximum", "inf")
    return f"type {field.get('type', 'number')}, finite, range {low}..{high}"


def _frame(name: str, folder: Path, files: dict[str, bytes]) -> pd.DataFrame:
    """The DataFrame of a table's validated snapshot (``_snapshot``), typed by that snapshot's schema."""
    resource = _resource(name, folder, files["datapackage.json"])
    fields = resource["schema"]["fields"]
    rows = _parse_csv(folder / resource["path"], files[resource["path"]], resource)
    frame = pd.DataFrame(rows, columns=[f["name"] for f in fields], dtype="string")
    frame = frame.replace("", pd.NA)
    for field in fields:
        if field.get("type") == "boolean":  # Table Schema spellings ("true", "false", ...) -> booleans
            truth = {
                **dict.fromkeys(field.get("trueValues", _TRUE_VALUES), True),
                **dict.fromkeys(field.get("falseValues", _FALSE_VALUES), False),
            }
            frame[field["name"]] = frame[field["name"]].map(truth, na_action="ignore").astype("boolean")
    dtypes = {f["name"]: _PANDAS_TYPES.get(f.get("type", "string"), "string") for f in fields}
    frame = frame.astype(dtypes)
    for field in fields:
        if field.get("type") == "number":  # "-0" is zero: shown as 0, not -0.0
            frame[field["name"]] = frame[field["name"]] + 0.0
    return frame


_FRAMES: dict[tuple[str, Path], tuple[str, pd.DataFrame]] = {}


def load_table(name: str, folder: Path | None = None) -> pd.DataFrame:
    """The validated table ``name`` as a DataFrame (empty cells = not reported = <NA>).

    Each call hashes the table's files (a few ms): validation runs once per content version (see the
    module docstring), parsing once per process and version, and the frame is parsed from the very
    bytes that were hashed. Callers get a copy, so they cannot alter the cache.
    """
    folder = Path(folder or data_dir())
    snapshot = _snapshot(name, folder)
    cached = _FRAMES.get((name, folder))
    if cached is None or cached[0] != snapshot[0]:
        ensure_valid(name, folder, snapshot)
        cached = _FRAMES[(name, folder)] = (snapshot[0], _frame(name, folder, snapshot[1]))
    return cached[1].copy()


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
    except (DataValidationError, OSError, KeyError) as error:
        print(f"invalid data: {error}", file=sys.stderr)
        return 1
    folder = Path(args.folder or data_dir())
    where = cache_dir() / "validated"
    if all(_marker(name, folder).is_file() for name in names):
        print(f"{len(names)} tables valid (markers in {where})")
    else:
        print(f"{len(names)} tables valid; the markers could not be written in {where}, so each kernel validates again")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
