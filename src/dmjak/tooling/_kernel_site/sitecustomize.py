"""Imported by every Python process started with this folder on PYTHONPATH (the harness's kernels)."""

import os

if os.environ.get("DMJAK_BLOCK_NETWORK") == "1":
    from dmjak.tooling import netguard

    netguard.install()
