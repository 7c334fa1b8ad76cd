"""What setup leaves in the cache folder so that no kernel has to make it.

Vega's offline bundle for live charts (``dmjak.tooling.shared_chart``) and a validation marker for every
data table (``dmjak.data``). ``binder/postBuild`` (``make setup``, Binder) runs those two modules; the
rehearsal hub and ``make bench`` call ``prepare()`` to fill their own cache folders the same way.
"""

from __future__ import annotations

from dmjak import data
from dmjak.tooling.shared_chart import build_bundle, bundle_path


def prepare() -> None:
    """Build the bundle unless it is there, then validate every table not yet validated in this content version."""
    if not bundle_path().is_file():
        build_bundle()
    data.validate_all()
