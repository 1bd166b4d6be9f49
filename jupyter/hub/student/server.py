"""A student's single-user server on the class hub: jupyterhub-singleuser, without what a student never uses.

    python jupyter/hub/student/server.py [jupyterhub-singleuser options]

jupyter/hub/jupyterhub_config.py starts every student's server with it. The
differences from `jupyterhub-singleuser`, measured in docs/hub_admin.md:

- jsonschema (through jupyter_events) imports `rfc3987_syntax` whenever it is
  installed, and that module builds about 35 parsers at import: about 2 s of
  CPU and 16 MB for every student's server. No Jupyter event schema checks
  the formats it serves ("iri"), so the import is blocked here.
- IPython (about 10 MB per server) is a kernel's library; the server imports
  it only because notebook_shim looks for IPython's old nbextensions folder,
  and nbconvert for two optional extras. Both already carry on without it
  (the folder is skipped; an exported notebook's code is highlighted as
  Python), so the import is blocked here. Kernels are separate processes
  and keep IPython.
- The kernels folder next to this file comes first on JUPYTER_PATH, so the
  notebooks' "python3" kernel is the student kernel (kernels/python3/kernel.py).
- Its start-up imports run at a lower CPU priority (lowpriority_imports.py), so students
  already at work are served first while the class arrives.
- Opening JupyterLab asks the server for less (about 0.3 s of CPU a student):
  - no build check (config/labconfig/page_config.json): a student cannot
    rebuild the hub's JupyterLab, and each check cost about 0.25 s;
  - no update check: JupyterLab's default asks pypi.org for a newer release at
    every page load, which a student cannot install either;
  - the "Save and Export As" menu lists nbconvert's formats by name
    (NBCONVERT_DISABLE_CONFIG_EXPORTERS) instead of building each exporter to
    ask whether the configuration disabled it (none is disabled here: the list
    is the same), about 0.14 s a page load.
- Notebooks are validated with jsonschema (NBFORMAT_VALIDATOR), which the
  server has loaded anyway, not with fastjsonschema, whose validator, compiled
  when JupyterLab first opens a notebook, kept about 10 MB in every server.
  Reading a notebook then takes about 10 ms instead of 1 ms.
- JupyterHub's own database layer (its SQLAlchemy models, Alembic migrations
  and the hub's web pages, about 25 MB) is imported only if used. The
  single-user server imports it through jupyterhub.log and jupyterhub.scopes,
  but uses only functions that do not touch it.
"""
import importlib
import importlib.util
import os
import sys
import types
from pathlib import Path
from typing import Any

# `import NAME` now fails at once, and the code that tries it carries on without it
sys.modules["rfc3987_syntax"] = None
sys.modules["IPython"] = None


class ImportedWhenUsed(types.ModuleType):
    """A module that is imported for real the first time code looks inside it."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.__spec__ = importlib.util.find_spec(name)

    def __getattr__(self, attr: str) -> Any:  # only for what this stand-in does not have
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        real = importlib.import_module(self.__name__)
        self.__dict__.update(real.__dict__)  # for modules that kept a reference to the stand-in
        return getattr(real, attr)


for _name in ("jupyterhub.orm", "jupyterhub.roles"):
    sys.modules[_name] = ImportedWhenUsed(_name)

# jupyterhub.log asks whether a request was the hub's own health check (to log it quietly); that
# class lives with the hub's web pages, and no such request ever reaches a student's server.
_pages = sys.modules["jupyterhub.handlers.pages"] = types.ModuleType("jupyterhub.handlers.pages")
_pages.HealthCheckHandler = type("HealthCheckHandler", (), {"__doc__": "The hub's own; never in this server."})
sys.modules["jupyterhub.handlers"] = types.ModuleType("jupyterhub.handlers")
sys.modules["jupyterhub.handlers"].pages = _pages

HERE = str(Path(__file__).resolve().parent)


def _first_on(variable: str, folder: str) -> None:
    os.environ[variable] = os.pathsep.join(p for p in (folder, os.environ.get(variable)) if p)


_first_on("JUPYTER_PATH", HERE)  # kernels/python3
_first_on("JUPYTER_CONFIG_PATH", str(Path(HERE) / "config"))  # labconfig/page_config.json
os.environ.setdefault("NBCONVERT_DISABLE_CONFIG_EXPORTERS", "1")
os.environ.setdefault("NBFORMAT_VALIDATOR", "jsonschema")  # already loaded; fastjsonschema's compiled schema: 10 MB
sys.argv[1:1] = ["--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]  # the hub's own options follow

if HERE not in sys.path:
    sys.path.insert(0, HERE)  # run as a script it is there already; not through runpy
from lowpriority_imports import import_in_background  # noqa: E402

# What the server imports before it answers: itself, and the extensions it loads
import_in_background("jupyterhub.singleuser", "jupyterhub.singleuser.extension", "jupyter_server.serverapp",
                     "jupyterlab.labapp", "jupyter_lsp.serverextension", "nbgitpuller",
                     "notebook_shim.shim", "nbconvert.exporters")

from jupyterhub.singleuser import main  # noqa: E402  (after the import is blocked)

if __name__ == "__main__":
    sys.exit(main())
