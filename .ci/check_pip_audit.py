"""Fail unless pip-audit's JSON report audited every package and found no vulnerability.

Usage: python3 .ci/check_pip_audit.py REPORT.json (written by ``pip-audit -f json -o REPORT.json``).
"""

from __future__ import annotations

import json
import sys


def problems(report: dict) -> list[str]:
    """One line per package that was skipped (not audited) or has a known vulnerability."""
    dependencies = report.get("dependencies", [])
    if not dependencies:
        return ["the report lists no packages: nothing was audited"]
    lines = []
    for dep in dependencies:
        name = f"{dep.get('name')} {dep.get('version', '')}".strip()
        if "skip_reason" in dep:
            lines.append(f"{name}: NOT AUDITED ({dep['skip_reason']})")
        for vuln in dep.get("vulns", []):
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
            lines.append(f"{name}: {vuln.get('id')} (fixed in: {fixes})")
    return lines


def main(argv: list[str]) -> int:
    with open(argv[1], encoding="utf-8") as handle:
        found = problems(json.load(handle))
    audited = argv[1]
    if found:
        print(f"{audited}: {len(found)} problem(s):\n" + "\n".join(f"  - {line}" for line in found), file=sys.stderr)
        return 1
    print(f"{audited}: every package audited, no known vulnerabilities")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
