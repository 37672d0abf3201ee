"""The book's JupyterLab server extension: the custom stylesheet is looked up on the Jupyter config path.

JupyterLab loads ``custom/custom.css`` when ``LabApp.custom_css`` is on, but looks for it only in
the user's own config folder (``~/.jupyter/custom``). The book's configuration, ``.jupyter/``, is
added for one session through ``JUPYTER_CONFIG_PATH`` and must not write into the user's folder.
This extension, switched on by ``.jupyter/jupyter_server_config.json``, makes the server search
every folder of the config path, the user's first, so ``.jupyter/custom/custom.css`` is served
unless the user has a stylesheet of their own.
"""

from __future__ import annotations

import os

from jupyter_core.paths import jupyter_config_path


def _jupyter_server_extension_points():
    return [{"module": "helpers._jupyterlab"}]


def _load_jupyter_server_extension(serverapp):
    search = serverapp.web_app.settings["static_custom_path"]  # the list the /custom/ handler reads
    folders = [os.path.join(d, "custom") for d in jupyter_config_path()]
    for folder in reversed([f for f in folders if os.path.isdir(f) and f not in search]):
        search.insert(1, folder)  # after the user's own folder, before Jupyter's built-in one
    serverapp.log.info("custom CSS searched in %s", search)
