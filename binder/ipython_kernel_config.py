"""IPython kernel settings (installed by binder/postBuild): on a hub that sets a memory limit (MEM_LIMIT),
every kernel loads the course's memory notice (dmjak.tooling.memory_guard)."""

import os

c = get_config()  # noqa: F821 (provided by IPython when it loads this file)

if os.environ.get("MEM_LIMIT"):
    c.InteractiveShellApp.extensions.append("dmjak.tooling.memory_guard")
