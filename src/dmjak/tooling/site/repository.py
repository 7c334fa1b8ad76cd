"""Where the course is published, configured once, and the launch links made from it.

The repository URL comes from ``DMJAK_REPO_URL`` (``make site REPO_URL=...``), else from the ``origin``
remote when that is a public https git URL. Binder links follow mybinder.org's URL scheme (``gh`` for
GitHub, ``gl`` for GitLab, ``git`` for any other public git host); hub links are nbgitpuller links from
``dmjak.tooling.classroom.links``. ``python -m dmjak.tooling.site.repository readme`` rewrites the README's
launch block.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from urllib.parse import quote, urlsplit

from dmjak.paths import repo_root
from dmjak.tooling.classroom import links as classroom

REPO_ENV_VAR = "DMJAK_REPO_URL"
BRANCH_ENV_VAR = "DMJAK_REPO_BRANCH"
HUB_ENV_VAR = "DMJAK_HUB_URL"
BINDER = "https://mybinder.org"
BINDER_BADGE = "https://mybinder.org/badge_logo.svg"
README_START = "<!-- launch links: python -m dmjak.tooling.site.repository readme -->"
README_END = "<!-- end of launch links -->"
_SSH = re.compile(r"^git@(?P<host>[\w.-]+):(?P<path>[\w./-]+?)(?:\.git)?$")


def public_url(url: str | None) -> str | None:
    """``url`` as ``https://host/owner/repo`` if it names a public git repository, else None.

    SSH remotes (``git@github.com:owner/repo.git``) are turned into their https form; local paths,
    ``file:`` URLs, URLs with credentials and URLs without an owner and a name are not public.
    """
    if not url:
        return None
    url = url.strip()
    ssh = _SSH.match(url)
    if ssh:
        url = f"https://{ssh['host']}/{ssh['path']}"
    parts = urlsplit(url)
    path = parts.path.strip("/").removesuffix(".git")
    if parts.scheme != "https" or not parts.hostname or "@" in parts.netloc or parts.query or parts.fragment:
        return None
    if len(path.split("/")) < 2 or any(c.isspace() for c in url):
        return None
    return f"https://{parts.hostname}/{path}"


def repository_url() -> str | None:
    """The configured repository (``DMJAK_REPO_URL``), else the public ``origin`` remote, else None."""
    configured = os.environ.get(REPO_ENV_VAR, "").strip()
    if configured:
        url = public_url(configured)
        if url is None:
            raise ValueError(
                f"{REPO_ENV_VAR}={configured!r} is not a public https git URL such as https://github.com/owner/repo"
            )
        return url
    return public_url(classroom.origin_url())


def branch() -> str:
    return os.environ.get(BRANCH_ENV_VAR, "").strip() or "main"


def binder_url(repo: str, notebook: str, ref: str = "main", interface: str = "lab") -> str:
    """mybinder.org link that opens ``notebooks/<notebook>`` of ``repo`` at ``ref`` (JupyterLab or Voilà)."""
    view = "lab/tree" if interface == "lab" else "voila/render"
    target = quote(f"{view}/notebooks/{notebook}", safe="/")
    parts = urlsplit(repo)
    path = parts.path.strip("/")
    if parts.hostname == "github.com":
        spec = f"gh/{path}/{quote(ref, safe='')}"
    elif parts.hostname == "gitlab.com":
        spec = f"gl/{quote(path, safe='')}/{quote(ref, safe='')}"
    else:
        spec = f"git/{quote(repo + '.git', safe='')}/{quote(ref, safe='')}"
    return f"{BINDER}/v2/{spec}?urlpath={target}"


def hub_url() -> str | None:
    """The lecturer's JupyterHub (``DMJAK_HUB_URL``), if one is configured."""
    return os.environ.get(HUB_ENV_VAR, "").strip() or None


def launch_links(notebook: str) -> dict[str, str]:
    """The links a page offers for ``notebook``: Binder and a hub when configured; download always."""
    links = {}
    repo = repository_url()
    if repo:
        links["binder"] = binder_url(repo, notebook, branch())
        hub = hub_url()
        if hub:
            links["hub"] = classroom.pull_link(hub, repo + ".git", branch(), notebook)
    links["download"] = f"notebooks/{notebook}"
    return links


def readme_block(repo: str | None) -> str:
    """The README's launch block for ``repo`` (the badge and the two links), or how to configure one."""
    if repo is None:
        body = (
            "This copy has no public repository URL yet (no `origin` remote on a public https host). Publish "
            "the repository, then run `make launch-links REPO_URL=https://github.com/you/your-copy` to write "
            "the Binder badge and links here; `make site` puts the same links on every notebook page."
        )
    else:
        start = binder_url(repo, classroom.START_NOTEBOOK, branch())
        cases = binder_url(repo, classroom.PRESENTER_NOTEBOOK, branch(), interface="voila")
        body = (
            f"[![Binder]({BINDER_BADGE})]({start})\n\n"
            f"JupyterLab on the start notebook: <{start}> · presenter view of the cases: <{cases}>"
        )
    return f"{README_START}\n{body}\n{README_END}"


def rewrite_readme(text: str, repo: str | None) -> str:
    """``text`` with its launch block replaced by the one for ``repo``; the block must be there once."""
    pattern = re.compile(re.escape(README_START) + r".*?" + re.escape(README_END), re.S)
    if len(pattern.findall(text)) != 1:
        raise ValueError(f"README.md must hold exactly one launch block starting with {README_START!r}")
    return pattern.sub(lambda _: readme_block(repo), text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dmjak.tooling.site.repository", description=__doc__.splitlines()[0]
    )
    parser.add_argument("what", choices=["url", "readme"], help="print the URL, or rewrite README.md's launch block")
    args = parser.parse_args(argv)
    try:
        repo = repository_url()
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    if args.what == "url":
        print(repo or "(none: set REPO_URL, or add a public https origin remote)")
        return 0
    readme = repo_root() / "README.md"
    readme.write_text(rewrite_readme(readme.read_text(encoding="utf-8"), repo), encoding="utf-8")
    print(f"README.md launch links -> {repo or 'how to configure them'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
