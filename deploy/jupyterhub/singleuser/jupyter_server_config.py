"""A trainee's Jupyter server under the coopkit hub: the workbooks through Voila, and little else.

``jupyterhub_config.py`` puts this folder on the trainees' ``$JUPYTER_CONFIG_PATH``. The server
keeps the Voila extension (``/voila/render/<notebook>``, configured by ``voila.json`` and
``share/jupyter/config/voila.py``) and drops what a trainee does not need:

- JupyterLab and the classic notebook pages are not loaded (``/lab``, ``/tree`` answer 404);
- no terminals, no sessions, and no contents or files API: nothing can be listed, downloaded,
  uploaded, saved, renamed or deleted through the server (Voila reads the notebooks itself);
- no kernels started, restarted or deleted through the kernels API: a trainee's kernels are the
  ones Voila starts for the pages they open (and ends when a page is closed or idle).

What stays: the kernel websocket, through which Voila's page talks to its kernel. As standalone
Voila does, the server passes on only the messages a page's widgets need (``allowed_message_types``):
an ``execute_request`` a trainee sends through it is dropped, not run. The server is still the
trainee's own: isolation between trainees is the spawner's job (a Unix account or a container each,
with a memory limit), not this file's.
"""

from jupyterhub.singleuser.extension import JupyterHubAuthorizer

c = get_config()  # noqa: F821  (provided by traitlets when it loads this file)

c.ServerApp.jpserver_extensions = {
    "voila": True,
    "jupyterlab": False,
    "notebook": False,
    "jupyter_lsp": False,
    "jupyter_server_terminals": False,
    "notebook_shim": False,
}
c.ServerApp.terminals_enabled = False

#: What a page may send its kernel: standalone Voila's own list (voila/app.py), widgets' messages only.
c.MappingKernelManager.allowed_message_types = [
    "comm_open",
    "comm_close",
    "comm_msg",
    "comm_info_request",
    "kernel_info_request",
    "shutdown_request",
]


#: What a trainee may not do, by Jupyter server resource: every action, or the ones named.
DENIED = {
    "contents": {"read", "write", "execute"},
    "terminals": {"read", "write", "execute"},
    "sessions": {"read", "write", "execute"},
    "kernels": {"write"},
}


class TraineeAuthorizer(JupyterHubAuthorizer):
    """The hub's check (the visitor is this server's user), less what `DENIED` takes away."""

    def is_authorized(self, handler, user, action, resource):
        if action in DENIED.get(resource, ()):
            return False
        return super().is_authorized(handler, user, action, resource)


c.ServerApp.authorizer_class = TraineeAuthorizer
