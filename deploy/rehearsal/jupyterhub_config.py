"""JupyterHub for a classroom rehearsal on one machine (``make classroom``, started by
dmjak.tooling.classroom.hub).

Real JupyterHub and configurable-http-proxy, loopback only. A student logs in with a short name and that
name's own password (dmjak.tooling.classroom.rehearsal_login: derived from a secret only ``make classroom``
knows, printed as a seat list; the lecturer has a separate password; for a rehearsal on loopback only, never
for a real class: see deploy/jupyterhub/). Each student's JupyterLab runs as their own unprivileged OS user
with a private home under build/classroom/homes/ (dmjak.tooling.classroom.rehearsal_users); the hub runs as
root only to switch users, and its state (database, cookie secret, log, tokens) is readable by root alone.
Every value comes from an environment variable set by ``dmjak.tooling.classroom.hub``.
"""

import os
import sys
from pathlib import Path

import yaml

from dmjak.paths import repo_root
from dmjak.tooling.classroom.sizing import HELM_VALUES

env = os.environ
state = Path(env["DMJAK_HUB_STATE"])
venv_bin = Path(sys.executable).parent

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)

# Loopback only: the public proxy port, the proxy's API and the hub's own API.
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = int(env["DMJAK_HUB_PORT"])
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env["DMJAK_HUB_API_PORT"])
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env['DMJAK_PROXY_API_PORT']}"
c.ConfigurableHTTPProxy.command = [env["DMJAK_PROXY_COMMAND"]]  # npm's configurable-http-proxy (node_modules)
c.ConfigurableHTTPProxy.should_start = True
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every student's server

# Short lower-case names log in, each with its own password (no student can log in as another);
# "lecturer" is the admin (the admin panel can be rehearsed) with a password printed only to the operator.
c.JupyterHub.authenticator_class = "dmjak.tooling.classroom.rehearsal_login.SeatAuthenticator"
c.SeatAuthenticator.secret = env["DMJAK_HUB_SEAT_SECRET"]
c.SeatAuthenticator.lecturer_password = env["DMJAK_HUB_LECTURER_PASSWORD"]
c.Authenticator.allow_all = True  # any name, but only with that name's password
c.Authenticator.admin_users = {"lecturer"}
c.Authenticator.username_pattern = r"^[a-z][a-z0-9]{0,19}$"  # becomes part of an OS user name

# Each student: a JupyterLab process in this environment as their own OS user, home in homes/<name>.
c.JupyterHub.spawner_class = "dmjak.tooling.classroom.rehearsal_users.StudentSpawner"
c.StudentSpawner.user_prefix = env["DMJAK_HUB_USER_PREFIX"]
c.StudentSpawner.homes = str(state / "homes")
c.StudentSpawner.registry = str(state / "os_users")
# The same memory limit as the Helm values: the spawner passes it as MEM_LIMIT, and the course's memory
# notice (dmjak.tooling.memory_guard) warns a student who comes near it.
singleuser = yaml.safe_load(HELM_VALUES.read_text())["singleuser"]
c.Spawner.mem_limit = singleuser["memory"]["limit"]
# No file a student writes may be larger than their whole volume on Kubernetes (1Gi: "Gi" is JupyterHub's "G").
c.StudentSpawner.file_size_limit = singleuser["storage"]["capacity"].removesuffix("i")
c.Spawner.cmd = [str(venv_bin / "jupyterhub-singleuser")]
c.Spawner.ip = "127.0.0.1"
c.Spawner.default_url = env["DMJAK_DEFAULT_URL"]
# Servers boot a few at a time (StudentSpawner.boot_slots); the others wait their turn on the spawn page,
# which shows how many are ahead. That wait comes before the start, so start_timeout times one boot alone
# (seconds on a quiet machine; over 2 minutes when 2 cores are shared with a class's kernels and other work).
c.Spawner.start_timeout = 600
c.Spawner.http_timeout = 120
c.Spawner.environment = {
    # Report activity to the hub often, so the idle culler sees who is working.
    "JUPYTERHUB_ACTIVITY_INTERVAL": env.get("DMJAK_ACTIVITY_INTERVAL", "60"),
    "DMJAK_CACHE_DIR": env["DMJAK_CACHE_DIR"],  # the Vega bundle and validated-table markers, built once
    # nbgitpuller clones this checkout, owned by another user than the student: a git configuration that
    # names it a safe directory (git ignores that setting in per-command variables for local clones).
    "GIT_CONFIG_GLOBAL": str(state / "student.gitconfig"),
    # The only repository a course link may pull (dmjak.tooling.pull_guard): this checkout.
    "DMJAK_COURSE_REPOS": str(repo_root()),
}
# Idle kernels are shut down inside each server by the environment's own Jupyter Server configuration
# (binder/jupyter_server_config.py, installed by postBuild), as in the image a real hub runs.
c.JupyterHub.concurrent_spawn_limit = 0  # none turned away: they queue for a boot slot instead (above)
c.JupyterHub.active_server_limit = 0

# Services: the load test's API token, and the idle culler (the same one Zero to JupyterHub runs).
services = [{"name": "classroom-bench", "api_token": env["DMJAK_HUB_SERVICE_TOKEN"]}]
roles = [
    {
        "name": "classroom-bench",
        "scopes": ["admin:users", "admin:servers", "tokens", "access:servers", "read:metrics"],
        "services": ["classroom-bench"],
    },
    {
        "name": "idle-culler",
        # The load test culls with a short timeout and names the one student it lets go idle
        # (DMJAK_CULL_ONLY): the culler then sees only that student, not classmates whose cells run long.
        "scopes": [
            f"{scope}!user={env['DMJAK_CULL_ONLY']}" if env.get("DMJAK_CULL_ONLY") else scope
            for scope in ["list:users", "read:users:activity", "read:servers", "delete:servers"]
        ],
        "services": ["idle-culler"],
    },
]
services.append(
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={env.get('DMJAK_CULL_TIMEOUT_S', '3600')}",
            f"--cull-every={env.get('DMJAK_CULL_EVERY_S', '300')}",
        ],
    }
)
c.JupyterHub.services = services
c.JupyterHub.load_roles = roles
