"""Jupyter Server settings for a student's server on a JupyterHub (installed by binder/postBuild).

Applied only when a hub started the server (JUPYTERHUB_API_TOKEN is set): on a laptop (`make lab`) a
kernel is never shut down behind the student's back.

Idle kernels are shut down, because JupyterLab keeps one kernel per notebook ever opened, and the guide's
2-hour practical opens five (instructors/guide.md): each kernel holds about 140 MB until it is shut down.
The practical gives each notebook 10 to 35 minutes, and its longest stretch without running anything is
the 10-minute plenary or a pair discussion; a kernel idle for 20 minutes therefore belongs to a notebook
the student has moved on from. With a check every minute, a student holds at most the notebook in use and
the one before it (the Helm guarantee counts two kernels). ``cull_connected``: JupyterLab keeps every open
notebook's kernel connected, so without it no kernel in an open tab would ever be shut down. A student who
returns to a notebook whose kernel was shut down sees "No Kernel" and runs it again (Run -> Run All Cells).

A server with no kernels and no activity for 30 minutes stops itself, as the hub's idle culler would
(cull.timeout in deploy/jupyterhub/config.yaml); the student's files stay, and the link starts a new one.

Voila's /voila/render on the hub uses the course's presenter template (voila.json at the repository root
does the same for `make present` and Binder), so setup cells stay hidden on the projector.

On a hub, a kernel's channels are encrypted and authenticated with CurveZMQ: kernels listen on TCP ports of
the machine, and on one machine shared by a class (the rehearsal, The Littlest JupyterHub) any student
could otherwise subscribe to another's output port and read everything their notebooks run and print.
The keys are in the connection file, readable by the student alone.

Always, on every route: an nbgitpuller link may only pull one of the course's repositories
(``DMJAK_COURSE_REPOS``, set by the hub's administrator) into one plain folder of the home (such as
``dmjak-course``), and never with ``backup``; anything else is refused before git runs, so a crafted link
cannot plant a kernel in ``.local/share/jupyter/kernels``, run its author's notebook in Voila, or swap the
course folder for another repository (dmjak.tooling.pull_guard).
"""

import os

c = get_config()  # noqa: F821 (provided by Jupyter Server when it loads this file)

c.VoilaConfiguration.template = "dmjak-presenter"
c.ServerApp.jpserver_extensions.update({"dmjak.tooling.pull_guard": True})

if os.environ.get("JUPYTERHUB_API_TOKEN"):
    c.KernelManager.transport_encryption = "required"  # a kernel that cannot encrypt does not start
    c.MappingKernelManager.cull_idle_timeout = 20 * 60
    c.MappingKernelManager.cull_interval = 60
    c.MappingKernelManager.cull_connected = True
    c.MappingKernelManager.cull_busy = False  # a long computation is not idleness
    c.ServerApp.shutdown_no_activity_timeout = 30 * 60
