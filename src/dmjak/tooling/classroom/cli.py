"""The classroom command line: ``python -m dmjak.tooling.classroom link|sizing`` (see docs/classroom.md).

``link --hub https://hub.example.edu`` prints the nbgitpuller link a lecturer shares (``--presenter``: the
cases in Voilà); ``sizing`` prints the sizing table from the measured figures, ``sizing --publish`` writes it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dmjak.paths import repo_root
from dmjak.tooling.classroom.links import COURSE_FOLDER, PRESENTER_NOTEBOOK, START_NOTEBOOK, origin_url, pull_link
from dmjak.tooling.classroom.sizing import HELM_VALUES, LECTURER_PAGE, MEASURED, publish, read_figures, sizing_markdown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dmjak.tooling.classroom", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    link = commands.add_parser("link", help="print the nbgitpuller link that opens the course on a hub")
    link.add_argument("--hub", required=True, help="the hub's address, e.g. https://hub.example.edu")
    link.add_argument("--repo", help="git URL of the course (default: this checkout's origin remote)")
    link.add_argument("--branch", default="main")
    link.add_argument("--notebook", help=f"notebook to open (default {START_NOTEBOOK}; with --presenter the cases)")
    link.add_argument("--presenter", action="store_true", help="open the notebook in the code-free Voilà view")
    link.add_argument("--folder", default=COURSE_FOLDER, help="folder in each home that receives the course")
    sizing = commands.add_parser("sizing", help="print the sizing table from measured figures")
    sizing.add_argument("--figures", type=Path, default=repo_root() / "build" / "bench" / "classroom.json")
    sizing.add_argument(
        "--publish", action="store_true", help=f"write the figures to {MEASURED.name}, the Helm values and docs/"
    )
    args = parser.parse_args(argv)
    try:
        if args.command == "link":
            repo = args.repo or origin_url()
            if not repo:
                raise ValueError("this checkout has no 'origin' remote; pass the course's git URL with --repo")
            notebook = args.notebook or (PRESENTER_NOTEBOOK if args.presenter else START_NOTEBOOK)
            interface = "voila" if args.presenter else "lab"
            print(pull_link(args.hub, repo, args.branch, notebook, interface, args.folder))
        elif args.publish:
            publish(read_figures(args.figures))
            print(f"updated {MEASURED}, {HELM_VALUES} and {LECTURER_PAGE}")
        else:
            print(sizing_markdown(read_figures(args.figures)), end="")
    except (ValueError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0
