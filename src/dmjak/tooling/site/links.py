"""Every link and anchor inside a built folder of HTML pages, checked offline.

A link to another host is not followed (the site must work offline; those are the sources' own pages);
every local ``href``/``src`` must name a file of the folder, and every ``#fragment`` an ``id`` (or
``name``) of its target page, as written or percent-decoded (a browser tries both). Sphinx's ``linkcheck``
builder checks remote links of the pages Sphinx writes; this also covers the slide decks and exported
pages that Sphinx did not write, so it reads the built files.
Usage: ``python -m dmjak.tooling.site.links FOLDER``.
"""

from __future__ import annotations

import sys
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

REMOTE_SCHEMES = {"http", "https", "mailto", "data", "javascript", "tel"}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("id", "name") if tag in ("a", "map") else ("id",):
            if attributes.get(name):
                self.ids.add(attributes[name])
        for name in ("href", "src"):
            value = attributes.get(name)
            if value is not None and not (tag == "link" and "preconnect" in (attributes.get("rel") or "")):
                self.links.append(value.strip())


@cache
def _read(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8", errors="replace"))
    return page


def broken_links(folder: Path) -> list[str]:
    """``page: link (problem)`` for every local link or anchor in ``folder``'s HTML that leads nowhere."""
    _read.cache_clear()
    folder = folder.resolve()
    problems = []
    for page_path in sorted(folder.rglob("*.html")):
        page = _read(page_path)
        where = page_path.relative_to(folder).as_posix()
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme in REMOTE_SCHEMES or parts.netloc or not link:
                continue
            target = page_path if not parts.path else (page_path.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_relative_to(folder):
                problems.append(f"{where}: {link} (outside the site)")
            elif not target.is_file():
                problems.append(f"{where}: {link} (no such file)")
            elif (
                parts.fragment
                and target.suffix == ".html"
                and not {parts.fragment, unquote(parts.fragment)} & _read(target).ids
            ):
                problems.append(f"{where}: {link} (no anchor #{parts.fragment})")
    return problems


def link_count(folder: Path) -> int:
    """How many links and sources the folder's pages hold (local and remote)."""
    return sum(len(_read(p).links) for p in folder.resolve().rglob("*.html"))


def main(argv: list[str] | None = None) -> int:
    folders = [Path(a) for a in (argv if argv is not None else sys.argv[1:])] or [Path("build/site")]
    failures = 0
    for folder in folders:
        problems = broken_links(folder)
        failures += len(problems)
        print("\n".join(problems) if problems else f"{folder}: every link and anchor resolves ({link_count(folder)})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
