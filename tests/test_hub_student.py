"""The class hub's student server and kernel (jupyter/hub/student/): the same Jupyter, less to load.

They leave out imports a student never uses (measured in
docs/hub_admin.md); here: that the imports really are left out and that
everything a lesson needs still works. tests/test_hub.py runs them on a real
hub.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STUDENT = ROOT / "jupyter" / "hub" / "student"
sys.path.insert(0, str(ROOT / "tests" / "hub"))

import local_hub  # noqa: E402  (tests/hub/local_hub.py: reads a process's threads)


def _imported(stderr: str) -> set[str]:
    """Module names from `python -X importtime`'s report."""
    return {line.rsplit("|", 1)[1].strip() for line in stderr.splitlines() if line.startswith("import time:")}


def test_the_student_server_starts_without_the_iri_parsers() -> None:
    done = subprocess.run([sys.executable, "-X", "importtime", str(STUDENT / "server.py"), "--help"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "--help-all" in done.stdout  # the server's own help: its application really ran
    imported = _imported(done.stderr)
    assert {"jupyterhub.singleuser.extension", "jupyter_server.serverapp", "jsonschema._format"} <= imported
    # jsonschema was loaded, ...
    # ... without the parsers rfc3987_syntax builds at import (the blocked import is still
    # listed, failing at once, so look for the module that builds them)
    assert "rfc3987_syntax.syntax_helpers" not in imported


def test_what_the_student_server_leaves_out_is_not_missed() -> None:
    """IPython is blocked in the server: the two places that try it carry on (JupyterLab's notebook
    shim skips IPython's nbextensions folder; nbconvert's HTML export highlights code as Python)."""
    code = f"""
import json, runpy, sys, warnings
runpy.run_path({str(STUDENT / "server.py")!r}, run_name="student_server")  # its imports blocked, main not run
from notebook_shim.traits import NotebookAppTraits
from nbconvert import HTMLExporter
paths = NotebookAppTraits().nbextensions_path
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    html, _ = HTMLExporter().from_filename({str(ROOT / "notebooks" / "03_figures.ipynb")!r})
print(json.dumps({{"ipython": sys.modules.get("IPython") is not None, "paths": len(paths),
                  "highlighted": html.count('class="highlight'), "figures_explorer": "FiguresExplorer" in html}}))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["ipython"] is False  # still blocked after both ran
    assert seen["paths"] > 0 and seen["highlighted"] > 5 and seen["figures_explorer"], seen


def test_the_student_server_leaves_jupyterhubs_database_layer_until_used() -> None:
    """JupyterHub's models and migrations are not loaded by a student's server (about 25 MB each),
    yet whatever looks inside them gets the real modules."""
    code = f"""
import json, runpy, sys
runpy.run_path({str(STUDENT / "server.py")!r}, run_name="student_server")
import jupyterhub.singleuser.extension  # what the server runs, with jupyterhub.log and jupyterhub.scopes
from jupyterhub.log import log_request
from jupyterhub.scopes import _intersect_expanded_scopes
unloaded = [m for m in ("sqlalchemy.orm", "alembic", "jupyterhub.handlers.base") if m not in sys.modules]
stand_in = type(sys.modules["jupyterhub.orm"]).__name__
scopes = sorted(_intersect_expanded_scopes({{"read:users", "access:servers!user=amal"}}, {{"read:users"}}))
from jupyterhub import orm, roles
print(json.dumps({{"unloaded": unloaded, "stand_in": stand_in, "scopes": scopes, "table": orm.User.__tablename__,
                  "roles": callable(roles.get_default_roles), "real": type(sys.modules["jupyterhub.orm"]).__name__}}))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {
        "unloaded": ["sqlalchemy.orm", "alembic", "jupyterhub.handlers.base"], "stand_in": "ImportedWhenUsed",
        "scopes": ["read:users"], "table": "users", "roles": True, "real": "module"}


def test_the_student_server_validates_notebooks_with_the_jsonschema_it_has_loaded() -> None:
    code = f"""
import json, runpy, sys
runpy.run_path({str(STUDENT / "server.py")!r}, run_name="student_server")  # its settings made, main not run
import nbformat
from nbformat.json_compat import get_current_validator
good = nbformat.read({str(ROOT / "notebooks" / "03_figures.ipynb")!r}, as_version=4)
try:
    nbformat.validate({{"nbformat": 4, "nbformat_minor": 5, "metadata": {{}}, "cells": [{{"cell_type": "poem"}}]}})
    refused = False
except nbformat.ValidationError:
    refused = True
print(json.dumps({{"validator": get_current_validator().name, "cells": len(good.cells), "refused": refused}}))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"validator": "jsonschema", "cells": len(json.loads((ROOT / "notebooks" / "03_figures.ipynb").read_text())["cells"]),
                                                               "refused": True}


def test_the_student_server_offers_the_student_kernel_as_python3() -> None:
    env = {**os.environ, "JUPYTER_PATH": str(STUDENT)}  # what server.py sets for its kernels
    code = ("from jupyter_client.kernelspec import KernelSpecManager; "
            "print(KernelSpecManager().get_kernel_spec('python3').resource_dir)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert Path(done.stdout.strip()) == STUDENT / "kernels" / "python3", done.stderr


@pytest.fixture
def student_kernel(tmp_path: Path):  # noqa: ANN201
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import KernelManager

    manager = KernelManager(kernel_name="python3")
    manager._kernel_spec = KernelSpec.from_resource_dir(str(STUDENT / "kernels" / "python3"))
    manager.start_kernel(cwd=str(tmp_path), env={**os.environ, "HOME": str(tmp_path)})
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
        yield client
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def _run(client, code: str) -> str:  # noqa: ANN001
    out: list[str] = []
    errors: list[str] = []

    def hook(msg: dict) -> None:
        if msg["msg_type"] == "stream":
            out.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            errors.append("\n".join(msg["content"]["traceback"]))

    reply = client.execute_interactive(code, timeout=120, output_hook=hook)
    assert reply["content"]["status"] == "ok", errors
    return "".join(out)


def test_the_student_kernel_runs_a_lesson_without_debugger_or_history(student_kernel) -> None:  # noqa: ANN001
    reply = student_kernel.kernel_info(reply=True, timeout=60)
    assert not reply["content"].get("debugger")  # JupyterLab offers no debugger for it
    shown = _run(student_kernel, "import sys\n"
                 "from aleppo2016 import widgets\n"
                 "explorer = widgets.FiguresExplorer()\n"
                 "next(iter(explorer.figure_boxes.values())).value = True\n"
                 "print('debugpy' in sys.modules and sys.modules['debugpy'] is not None,\n"
                 "      get_ipython().history_manager.enabled, len(explorer._pane.png) > 1000)")
    assert shown.split() == ["False", "False", "True"]


def test_start_up_imports_run_at_lower_priority_and_the_main_thread_keeps_its_own(tmp_path: Path) -> None:
    """lowpriority_imports: the imported modules run in a thread 10 nice steps lower; the thread that
    later answers students keeps its priority; a module that fails to import is left to its later import."""
    (tmp_path / "probe.py").write_text("import os, threading\n"
                                       "nice = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())\n"
                                       "thread = threading.current_thread().name\n")
    code = f"""
import json, os, sys, threading
sys.path[:0] = [{str(STUDENT)!r}, {str(tmp_path)!r}]
from lowpriority_imports import import_in_background
import_in_background("no_such_module_here", "probe")
import probe
main = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
print(json.dumps({{"probe": probe.nice, "thread": probe.thread, "main": main, "threads": threading.active_count()}}))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout)
    assert seen == {"probe": seen["main"] + 10, "thread": "low-priority imports", "main": seen["main"],
                    "threads": 1}, seen


def test_the_student_kernel_has_the_lesson_imported_and_answers_at_full_priority(student_kernel) -> None:  # noqa: ANN001
    """Before its first cell the kernel has imported what the lesson needs (at lower priority); once
    started, every one of its threads is back at the priority it was started with."""
    shown = _run(student_kernel, "import os, sys\n"
                 "print(all(m in sys.modules for m in ('pandas', 'matplotlib', 'aleppo2016.widgets')),\n"
                 "      'matplotlib.pyplot' in sys.modules, os.getpid(), os.getpriority(os.PRIO_PROCESS, 0))")
    preloaded, pyplot, pid, nice = shown.split()
    assert (preloaded, pyplot) == ("True", "False")  # pyplot, and with it the inline backend, is left to the lesson
    assert set(local_hub.thread_nice_values(int(pid)).values()) == {int(nice)}
