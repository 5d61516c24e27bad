"""JupyterHub for a coopkit workshop: each trainee logs in and lands on the start page, served by Voila.

Run from the repository (see ``deploy/jupyterhub/README.md``)::

    COOPKIT_HUB_PASSWORD='a workshop password' .venv/bin/jupyterhub -f deploy/jupyterhub/jupyterhub_config.py

Everything a trainer may change comes from the environment, so that the file itself stays as the
tests ran it (``tests/hub/test_jupyterhub.py`` starts a hub with this file):

=============================  ===================================================================
``COOPKIT_HUB_PASSWORD``       the workshop password every trainee types (8 characters or more);
                               required
``COOPKIT_HUB_USERS``          a text file of the trainees' names, one a line: only they may log
                               in (without it, any name with the password)
``COOPKIT_HUB_TRAINER``        the trainer's user name, an admin of the hub (default ``trainer``)
``COOPKIT_HUB_ADMIN_PASSWORD`` the trainer's own password (32 characters or more): without it the
                               trainer cannot log in as admin
``COOPKIT_HUB_IP``, ``_PORT``  where trainees connect (default 127.0.0.1:8000; a room: 0.0.0.0)
``COOPKIT_HUB_API_PORT``       the hub's internal port (default 8081), 127.0.0.1 only
``COOPKIT_HUB_PROXY_API_PORT`` the proxy's internal API port (default 8001), 127.0.0.1 only
``COOPKIT_HUB_STATE``          folder for the hub's database and cookie secret, the trainees' homes
                               (``simple`` spawner) and the shared answers (default: the current folder)
``COOPKIT_HUB_SPAWNER``        ``simple`` (default; every trainee's server runs as the OS user that
                               started the hub: for a trial on one machine only) or ``local`` (one
                               existing Unix account per trainee, hub run as root); The Littlest
                               JupyterHub and Kubernetes bring their own (see the README)
``COOPKIT_HUB_MEM_LIMIT``      memory per trainee (default ``1G``); enforced by systemdspawner
                               (TLJH) and KubeSpawner only, not by ``simple`` or ``local``
``COOPKIT_HUB_CULL_TIMEOUT``   seconds without activity before a trainee's server is stopped
                               (default 1800; ``0`` turns the idle culler off)
``COOPKIT_ANSWER_DIR``         the room's exercise answers: one folder shared by every trainee, so
                               that the trainer page sees the room (default ``<state>/answers``)
``COOPKIT_SCENARIO_DIR``       saved scenarios: one shared folder when set, otherwise each trainee's
                               own ``~/coopkit-scenarios``
``COOPKIT_TRAINER_KEY``        the key of the trainer page, given to the trainer's server only
                               (otherwise kept in the answers folder, ``trainer-key.txt``)
=============================  ===================================================================

A trainee's server is a Jupyter server with the Voila extension (``/voila/render/…``), set up by
``singleuser/jupyter_server_config.py`` beside this file: no JupyterLab, no terminals, no files or
contents API, and a page's kernel takes only its widgets' messages (no code). It is still the
trainee's own server process: isolation between trainees comes from the spawner (one Unix account,
or one container, each).
"""

import os
import shutil
import sys
from pathlib import Path

c = get_config()  # noqa: F821  (provided by traitlets when it loads this file)

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
NOTEBOOKS = REPO_ROOT / "notebooks"
#: The page a trainee lands on after logging in: coopkit.workbooks.PAGES["start"].
START_PAGE = "00_start.ipynb"


def _env(name, default=""):
    return os.environ.get(name, "").strip() or default


STATE = Path(_env("COOPKIT_HUB_STATE", os.getcwd())).expanduser().resolve()
STATE.mkdir(parents=True, exist_ok=True)

# ----------------------------------------------------------------------------- addresses
c.JupyterHub.ip = _env("COOPKIT_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(_env("COOPKIT_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(_env("COOPKIT_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{int(_env('COOPKIT_HUB_PROXY_API_PORT', '8001'))}"
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
# Stop every trainee's server and the proxy when the hub stops (the default, said here on purpose).
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

# configurable-http-proxy: the copy `make hub-proxy` installs, else one on the PATH.
_proxy = HERE / ".proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
if _proxy.exists():
    c.ConfigurableHTTPProxy.command = [str(_proxy)]
elif not shutil.which("configurable-http-proxy"):
    sys.exit("coopkit: configurable-http-proxy is missing: run `make hub-proxy` (or `npm install -g configurable-http-proxy`).")

# ----------------------------------------------------------------------------- logging in
c.JupyterHub.authenticator_class = "shared-password"
_password = _env("COOPKIT_HUB_PASSWORD")
if len(_password) < 8:
    sys.exit("coopkit: set COOPKIT_HUB_PASSWORD to the workshop password (8 characters or more).")
c.SharedPasswordAuthenticator.user_password = _password

TRAINER = _env("COOPKIT_HUB_TRAINER", "trainer")
c.Authenticator.admin_users = {TRAINER}
_admin_password = _env("COOPKIT_HUB_ADMIN_PASSWORD")
if _admin_password:
    c.SharedPasswordAuthenticator.admin_password = _admin_password  # 32 characters or more (JupyterHub checks)

_names_file = _env("COOPKIT_HUB_USERS")
if _names_file:
    names = Path(_names_file).expanduser().read_text(encoding="utf-8").split("\n")
    c.Authenticator.allowed_users = {n.strip().lower() for n in names if n.strip() and not n.startswith("#")}
else:
    c.Authenticator.allow_all = True  # any name, with the workshop password

# ----------------------------------------------------------------------------- the trainees' servers
_spawner = _env("COOPKIT_HUB_SPAWNER", "simple")
if _spawner == "simple":
    # Testing and trials only: every server runs as this OS user; homes are folders under the state.
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "home" / "{username}")
    if os.geteuid() == 0:
        c.Spawner.args = ["--allow-root"]  # a container or CI machine where everything runs as root
elif _spawner == "local":
    c.JupyterHub.spawner_class = "localprocess"
else:
    sys.exit(f"coopkit: COOPKIT_HUB_SPAWNER={_spawner!r}: use simple or local.")

# The same Python as the hub (the repository's .venv, where coopkit and voila are installed).
c.Spawner.cmd = [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]
c.Spawner.notebook_dir = str(NOTEBOOKS)
c.Spawner.default_url = f"/voila/render/{START_PAGE}"
c.Spawner.mem_limit = _env("COOPKIT_HUB_MEM_LIMIT", "1G")
c.Spawner.start_timeout = 120
# A trainee whose server was stopped (idle, or by the trainer) and who comes back sees "server not
# running" for 3 s, then it starts again by itself and the page they asked for opens.
c.JupyterHub.implicit_spawn_seconds = 3
c.Spawner.http_timeout = 120

ANSWERS = Path(_env("COOPKIT_ANSWER_DIR", str(STATE / "answers"))).expanduser().resolve()
ANSWERS.mkdir(parents=True, exist_ok=True)
SHARE = REPO_ROOT / "share" / "jupyter"
environment = {
    # the coopkit template (share/jupyter/voila/templates/coopkit)
    "JUPYTER_PATH": str(SHARE),
    # the trainees' server settings, Voila's code (share/jupyter/config/voila.py) and voila.json
    "JUPYTER_CONFIG_PATH": os.pathsep.join([str(HERE / "singleuser"), str(SHARE / "config"), str(REPO_ROOT)]),
    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    "COOPKIT_ANSWER_DIR": str(ANSWERS),
}
if _env("COOPKIT_SCENARIO_DIR"):
    environment["COOPKIT_SCENARIO_DIR"] = str(Path(_env("COOPKIT_SCENARIO_DIR")).expanduser().resolve())
_trainer_key = _env("COOPKIT_TRAINER_KEY")
if _trainer_key:
    # Only the trainer's server holds the key (a trainee's server and kernels do not need it).
    environment["COOPKIT_TRAINER_KEY"] = lambda spawner: _trainer_key if spawner.user.admin else ""
c.Spawner.environment = environment

# ----------------------------------------------------------------------------- idle servers stop
_cull_timeout = int(_env("COOPKIT_HUB_CULL_TIMEOUT", "1800"))
if _cull_timeout > 0:
    c.JupyterHub.load_roles = [
        {
            "name": "coopkit-idle-culler",
            "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
            "services": ["idle-culler"],
        }
    ]
    c.JupyterHub.services = [
        {
            "name": "idle-culler",
            "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={_cull_timeout}",
                        f"--cull-every={max(5, min(300, _cull_timeout // 4))}"],
        }
    ]
