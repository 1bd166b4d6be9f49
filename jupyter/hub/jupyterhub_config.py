"""A JupyterHub for one class on one machine: the configuration the hub test and benchmark run.

    ALEPPO2016_HUB_WORK=/srv/hub ALEPPO2016_HUB_USERS=amal,omar ALEPPO2016_HUB_PASSWORD=... \
        jupyterhub -f jupyter/hub/jupyterhub_config.py

tests/hub/local_hub.py starts it on 127.0.0.1 with the settings below from
environment variables; a school can start from it (it is what was measured in
the README's "Hub sizing"), but a real hub needs HTTPS, real accounts (an
authenticator of the school's) and, for more than one machine, Zero to
JupyterHub on Kubernetes.

Students' single-user servers run `jupyterhub-singleuser` from the environment
the module is installed in, through jupyter/hub/student/server.py (the same
server with less to load and less to do when JupyterLab opens, its start-up
imports at a lower CPU priority, and a kernel without its debugger; see
docs/hub_admin.md), each in a home folder of its own, as the hub's user
(SimpleLocalProcessSpawner: no system accounts needed).
"""
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821  (JupyterHub's config loader provides get_config)
env = os.environ
work = Path(env.get("ALEPPO2016_HUB_WORK", "/srv/aleppo2016-hub"))
host = env.get("ALEPPO2016_HUB_IP", "127.0.0.1")
bin_dir = Path(env.get("ALEPPO2016_HUB_BIN", Path(sys.executable).parent))

c.JupyterHub.bind_url = f"http://{host}:{env.get('ALEPPO2016_HUB_PORT', '8000')}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env.get("ALEPPO2016_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env.get('ALEPPO2016_HUB_PROXY_API_PORT', '8001')}"
if env.get("ALEPPO2016_HUB_PROXY"):
    c.ConfigurableHTTPProxy.command = [env["ALEPPO2016_HUB_PROXY"]]
c.ConfigurableHTTPProxy.pid_file = str(work / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{work / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(work / "cookie_secret")

# One password the teacher hands out for the lesson; only the class list may log in.
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = env.get("ALEPPO2016_HUB_PASSWORD", "")
c.Authenticator.allowed_users = {u for u in env.get("ALEPPO2016_HUB_USERS", "").split(",") if u}

c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = str(work / "homes" / "{username}")
c.Spawner.cmd = [str(bin_dir / "python"), str(Path(__file__).resolve().parent / "student" / "server.py")]
c.Spawner.default_url = "/lab"
# Terminals are a server extension a student never uses (a class needs notebooks, not a
# shell): left out. jupyter_lsp stays although no language server is installed: JupyterLab
# asks it for its status, and without it every student's console shows a 404.
c.Spawner.args = [
    "--ServerApp.jpserver_extensions=" + repr({"jupyter_server_terminals": False}),
    "--ServerApp.terminals_enabled=False",
]
if hasattr(os, "geteuid") and os.geteuid() == 0:
    c.Spawner.args.append("--allow-root")  # a container or CI runner: everything runs as root
# A whole class starting at once on a small machine takes its time.
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
c.Spawner.environment = {k: v for k, v in env.items() if k.startswith("ALEPPO2016_HUB_RUN")}

# A service that drives the class through the REST API (the load test; a teacher's script).
if env.get("ALEPPO2016_HUB_API_TOKEN"):
    c.JupyterHub.services = [{"name": "class-driver", "api_token": env["ALEPPO2016_HUB_API_TOKEN"]}]
    c.JupyterHub.load_roles = [{
        "name": "class-driver",
        "scopes": ["admin:servers", "access:servers", "read:users", "admin:server_state"],
        "services": ["class-driver"],
    }]
