"""Helpers to inspect Vega-Lite specs produced by the chart builders (no kernel, no browser)."""

from __future__ import annotations


def walk(spec):
    """Every dict nested anywhere in a spec."""
    if isinstance(spec, dict):
        yield spec
        for value in spec.values():
            yield from walk(value)
    elif isinstance(spec, list):
        for value in spec:
            yield from walk(value)


def views(spec) -> list[dict]:
    """Every unit view (a dict with a mark) in a spec."""
    return [d for d in walk(spec) if "mark" in d]


ANNOTATION_MARKS = {"rule", "text", "rect"}


def mark_type(view: dict) -> str:
    return view["mark"]["type"] if isinstance(view["mark"], dict) else view["mark"]


def assert_accessible(chart) -> dict:
    """Title, description, titled quantitative axes on data marks, categorical axes titled on purpose
    (``title=None`` where the labels speak for themselves), and tooltips."""
    spec = chart.to_dict()
    assert spec.get("title"), "chart has a title"
    assert spec.get("description"), "chart has a text description"
    for view in views(spec):
        if mark_type(view) in ANNOTATION_MARKS:
            continue  # bands, rules and labels share the axis of the data layer
        encoding = view.get("encoding", {})
        for channel in ("x", "y"):
            field = encoding.get(channel, {})
            if not (isinstance(field, dict) and "field" in field) or field.get("axis", {}) is None:
                continue  # no field, or a hidden axis used only to place marks
            if field.get("type") == "quantitative":
                assert field.get("title"), f"quantitative {channel} of a {mark_type(view)} view has a title"
            else:
                assert "title" in field, f"categorical {channel} of a {mark_type(view)} view sets its title"
    data_marks = [v for v in views(spec) if "tooltip" in v.get("encoding", {})]
    assert data_marks, "at least one layer has tooltips"
    return spec


def dash_scales(spec, field: str) -> list[dict]:
    """strokeDash encodings on ``field`` anywhere in the spec."""
    return [
        v["encoding"]["strokeDash"]
        for v in views(spec)
        if isinstance(v.get("encoding", {}).get("strokeDash"), dict)
        and v["encoding"]["strokeDash"].get("field") == field
    ]
