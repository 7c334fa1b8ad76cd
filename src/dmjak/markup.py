"""Free text from the data tables, made inert for Markdown: shown literally, never run or linked.

Markdown renderers (nbconvert's mistune, Voilà, JupyterLab once a notebook is trusted) pass raw HTML
through and turn ``[text](javascript:...)`` into a live link. Escaping HTML's special characters and
Markdown's link and emphasis punctuation makes a table's text render as the same text, whatever it
contains; only URLs the course builds itself (http and https, percent-quoted) become links. A
sanitising renderer (nh3, bleach) would instead have to run at every place a page is rendered,
several of which (JupyterLab, Voilà, nbconvert) are not the course's code.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]|~])")
_URL_SAFE = ":/?#@!$&'()*+,;=%~.-_"


def markdown_text(text: str) -> str:
    """``text`` as Markdown that renders to exactly that text (one line; HTML and link syntax escaped)."""
    # "&" and "<" are all HTML needs to stay text (">" alone opens nothing, and stays readable in a cell).
    escaped = " ".join(str(text).split()).replace("&", "&amp;").replace("<", "&lt;")
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", escaped)


def safe_url(url: str) -> str | None:
    """``url`` percent-quoted if it is an http(s) address with a host or a ``../`` path in the course, else None."""
    parts = urlsplit(str(url).strip())
    relative = str(url).startswith("../") and not parts.scheme and not parts.netloc
    if not relative and (parts.scheme not in ("http", "https") or not parts.netloc):
        return None
    return quote(str(url).strip(), safe=_URL_SAFE.replace("'", "").replace("(", "").replace(")", ""))
