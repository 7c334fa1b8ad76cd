"""JupyterHub for a classroom rehearsal on one machine (``make classroom``; started by dmjak.tooling.hub).

Real JupyterHub and configurable-http-proxy, loopback only; any user name logs in (DummyAuthenticator)
and gets a single-user JupyterLab as a local process (SimpleLocalProcessSpawner) with its own home under
build/classroom/homes/. Not for production: no isolation between users (see deploy/jupyterhub/ for a
real deployment). Every value comes from an environment variable set by ``dmjak.tooling.hub``.
"""

import os
import sys
from pathlib import Path

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

# Any name logs in; a password, if set, is shared by all (DummyAuthenticator is for rehearsals only).
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
if env.get("DMJAK_HUB_PASSWORD"):
    c.DummyAuthenticator.password = env["DMJAK_HUB_PASSWORD"]

# Each student: a JupyterLab process in this environment, home in build/classroom/homes/<name>.
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(state / "homes" / "{username}")
c.Spawner.cmd = [str(venv_bin / "jupyterhub-singleuser")]
c.Spawner.ip = "127.0.0.1"
c.Spawner.default_url = env["DMJAK_DEFAULT_URL"]
c.Spawner.start_timeout = 120  # 30 students starting on 2 cores
c.Spawner.http_timeout = 120
c.Spawner.environment = {
    # Report activity to the hub often, so the idle culler sees who is working.
    "JUPYTERHUB_ACTIVITY_INTERVAL": env.get("DMJAK_ACTIVITY_INTERVAL", "60"),
    "DMJAK_CACHE_DIR": env["DMJAK_CACHE_DIR"],  # the Vega bundle and validated-table markers, built once
}
c.Spawner.args = [
    # Idle kernels are shut down inside each server (a student who left a notebook open).
    f"--MappingKernelManager.cull_idle_timeout={env.get('DMJAK_KERNEL_CULL_S', '1200')}",
    "--MappingKernelManager.cull_interval=60",
]
if os.geteuid() == 0:  # containers and CI often run as root; Jupyter Server refuses that unless told
    c.Spawner.args.append("--allow-root")
c.JupyterHub.concurrent_spawn_limit = 0  # no cap; the load test staggers its own logins
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
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
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
