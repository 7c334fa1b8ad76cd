"""What Helm and the Zero to JupyterHub hub do with values files, without a cluster.

``merged(*files)``: the chart's defaults with the given files on top, merged as Helm merges ``--values``
(maps merge key by key, lists are replaced, ``null`` removes a key). ``schema_errors``: validation against
the pinned chart's own ``values.schema.yaml`` (vendored in deploy/jupyterhub/chart/), as ``helm`` does
before rendering. ``hub_refusal``: what the hub pod prints when it loads the values, by loading
``hub.config`` into a traitlets Config and running every ``hub.extraConfig`` snippet the way the chart's
``jupyterhub_config.py`` does (``c`` and ``get_config`` in scope); ``None`` when the hub would start.
"""

from __future__ import annotations

import contextlib
import copy
import io
import re
from pathlib import Path

import jsonschema
import yaml
from traitlets.config import Config

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy" / "jupyterhub"
CHART = DEPLOY / "chart"
VALUES = DEPLOY / "config.yaml"
LOGINS = sorted((DEPLOY / "examples").glob("login-*.yaml"))
EXAMPLES = sorted((DEPLOY / "examples").glob("*.yaml"))


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text()) or {}


def helm_merge(base: dict, overlay: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in overlay.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = helm_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def merged(*files: Path, extra: dict | None = None) -> dict:
    values = load(CHART / "values.yaml")
    for path in files:
        values = helm_merge(values, load(path))
    return helm_merge(values, extra or {})


def schema_errors(values: dict) -> list[str]:
    validator = jsonschema.Draft7Validator(load(CHART / "values.schema.yaml"))
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(values)]


def _lookup(values: dict, dotted: str, default=None):
    node = values
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return default
        node = node[part]
    return node


def hub_config(values: dict) -> Config:
    c = Config()
    for section, cfg in copy.deepcopy(values["hub"].get("config") or {}).items():
        c[section].update(cfg)
    return c


def hub_refusal(values: dict) -> str | None:
    """The hub's FATAL message for these values, or None if every extraConfig snippet lets it start."""
    c = hub_config(values)
    scope = {"c": c, "get_config": lambda key, default=None: copy.deepcopy(_lookup(values, key, default))}
    stderr = io.StringIO()
    for _, snippet in sorted((values["hub"].get("extraConfig") or {}).items()):
        try:
            with contextlib.redirect_stderr(stderr):
                exec(snippet, scope)
        except SystemExit:
            return stderr.getvalue()
    return None


def filled_in(values: dict) -> dict:
    """The values as a deployer leaves them: every CHANGE-ME placeholder replaced by a plausible value."""

    def fill(value):
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        if isinstance(value, list):
            return [fill(v) for v in value]
        if isinstance(value, str) and "CHANGE-ME" in value:
            if "authenticator_class" in value or "choose-a-login" in value:
                return value  # a login is chosen by adding an example, never by filling in a name
            return re.sub(r"CHANGE-ME[-.]?", "", value) or "filled"
        return value

    return fill(values)
