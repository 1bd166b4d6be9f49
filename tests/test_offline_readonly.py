"""Every notebook runs with no network, from a read-only copy, and survives re-runs and out-of-order runs.

This is also the suite's one plain run of each notebook: the cells tagged
``nbval-check-output`` must print what the notebook stores, after the
run-dependent text listed in notebooks/nbval_sanitize.cfg is blanked (the
check ``pytest --nbval-lax notebooks/NAME.ipynb`` makes, which is how to run
one notebook on its own).

The project's notebooks and package are copied to a temporary folder, made
read-only, and run by tests/notebook_sandbox.py (top to bottom, every cell
again, every cell from the last to the first, then a check of the live
widgets). Only a separate temporary folder is writable: HOME, MPLCONFIGDIR,
IPYTHONDIR, JUPYTER_* and the caches point there, and the copy's package is
imported first (PYTHONPATH), not the checkout's.

How it is enforced, whichever the machine allows (the test reports which):

* Network: where ``unshare -rnm`` works, the runner and its kernels run in a
  new network namespace that has only the loopback interface (kernels talk to
  the runner over 127.0.0.1), so nothing can reach the internet. Otherwise a
  ``sitecustomize`` on the kernel's path makes ``socket.connect`` refuse every
  address that is not loopback. Either way, a cell in each kernel tries to
  open a connection and must fail.
* Read-only: ``chmod -R a-w`` on the copy. Root ignores file permissions, so
  where ``unshare`` works the copy is also bind-mounted read-only inside the
  namespace, which stops root too; the runner proves it by failing to write
  a probe file. In every case a hash of every file in the copy is taken
  before and after, and must not change.
"""
from __future__ import annotations

import configparser
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest

from notebook_sandbox import _text

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))

SITECUSTOMIZE = '''\
"""Test sandbox: refuse every network connection that is not to this machine."""
import ipaddress
import socket

_connect = socket.socket.connect


def _local_only(self, address):
    host = address[0] if isinstance(address, tuple) else None
    if host is not None:
        try:
            local = ipaddress.ip_address(socket.gethostbyname(host) if host != "localhost" else "127.0.0.1").is_loopback
        except (OSError, ValueError):
            local = False
        if not local:
            raise OSError(101, f"network blocked by the test sandbox: {host}")
    return _connect(self, address)


socket.socket.connect = _local_only
'''


def _manifest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _unshare_works() -> bool:
    if not shutil.which("unshare") or not shutil.which("ip"):
        return False
    probe = subprocess.run(["unshare", "-rnm", "sh", "-c", "ip link set lo up && mount --bind / / 2>/dev/null; true"],
                           capture_output=True)
    return probe.returncode == 0


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("offline")
    project, writable = base / "project", base / "writable"
    shutil.copytree(ROOT / "notebooks", project / "notebooks")
    shutil.copytree(ROOT / "src" / "aleppo2016", project / "src" / "aleppo2016",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("home", "mpl", "ipython", "jupyter-config", "jupyter-data", "jupyter-runtime", "cache", "guard"):
        (writable / name).mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "IPYTHON", "MPL", "PYTHON"))}
    env.update(
        HOME=str(writable / "home"), MPLCONFIGDIR=str(writable / "mpl"), IPYTHONDIR=str(writable / "ipython"),
        JUPYTER_CONFIG_DIR=str(writable / "jupyter-config"), JUPYTER_DATA_DIR=str(writable / "jupyter-data"),
        JUPYTER_RUNTIME_DIR=str(writable / "jupyter-runtime"), XDG_CACHE_HOME=str(writable / "cache"),
        PYTHONDONTWRITEBYTECODE="1", PYTHONPATH=str(project / "src"), TMPDIR=str(writable),
    )
    results = writable / "results.json"
    runner = [sys.executable, str(ROOT / "tests" / "notebook_sandbox.py"), str(project), str(results)]
    for path in sorted(project.rglob("*"), reverse=True):  # chmod -R a-w
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    project.chmod(project.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    before = _manifest(project)
    if _unshare_works():
        how = "network namespace (unshare -rnm) and a read-only bind mount"
        script = (f'ip link set lo up && mount --bind "{project}" "{project}" '
                  f'&& mount -o remount,bind,ro "{project}" && exec "$@"')
        command = ["unshare", "-rnm", "sh", "-c", script, "sandbox", *runner]
    else:
        how = "sitecustomize refusing non-loopback connections, and chmod -R a-w"
        (writable / "guard" / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
        env["PYTHONPATH"] = os.pathsep.join([str(writable / "guard"), str(project / "src")])
        command = runner
    done = subprocess.run(command, env=env, cwd=writable, capture_output=True, text=True, timeout=1500)
    after = _manifest(project)
    for path in [project, *project.rglob("*")]:  # let pytest clean up
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(results.read_text(encoding="utf-8"))
    print(f"\nOffline, read-only sandbox: {how}; read-only enforced: {report['read_only_enforced']}")
    return {"report": report, "before": before, "after": after, "how": how, "root": os.geteuid() == 0,
            "project": project}


def test_the_copy_was_not_written_to(sandbox: dict[str, Any]) -> None:
    assert sandbox["after"] == sandbox["before"]
    assert any(name.endswith(".ipynb") for name in sandbox["before"])
    assert any(name.endswith("events.csv") for name in sandbox["before"])


def test_read_only_and_offline_are_enforced(sandbox: dict[str, Any]) -> None:
    report = sandbox["report"]
    # Root ignores chmod: there only the read-only mount enforces it (and the manifest check above).
    if not sandbox["root"] or "bind mount" in sandbox["how"]:
        assert report["read_only_enforced"], sandbox["how"]
    if "namespace" in sandbox["how"]:
        assert report["runner_network_blocked"]
    assert set(report["notebooks"]) == set(NOTEBOOKS)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_offline_read_only_twice_and_out_of_order(sandbox: dict[str, Any], name: str) -> None:
    result = sandbox["report"]["notebooks"][name]
    assert result["errors"] == [], result["errors"]
    assert result["changed_on_rerun"] == [], json.dumps(result["changed_on_rerun"], indent=1)[:3000]
    check = result["check"]
    assert check["problems"] == []
    assert check["network_blocked"], "a cell could open a connection to the internet"
    assert Path(check["package"]).is_relative_to(sandbox["project"]), "the kernel imported the checkout, not the copy"
    if "quiz.question" in (ROOT / "notebooks" / name).read_text(encoding="utf-8"):
        assert check["questions_double_checked"] > 0, "no re-run question was checked for double counting"


def _sanitizer() -> list[tuple[re.Pattern[str], str]]:
    """The replacements of notebooks/nbval_sanitize.cfg, the file nbval reads."""
    config = configparser.ConfigParser(interpolation=None)
    config.read(ROOT / "notebooks" / "nbval_sanitize.cfg", encoding="utf-8")
    return [(re.compile(config[s]["regex"]), config[s]["replace"]) for s in config.sections()]


def _sanitized(texts: list[str]) -> list[str]:
    for pattern, replacement in _sanitizer():
        texts = [pattern.sub(replacement, t) for t in texts]
    return texts


def _checked(cell: Any) -> bool:
    """nbval compares a cell's output when it carries this tag (the notebooks use no marker comments)."""
    return "nbval-check-output" in (cell.metadata.get("tags") or [])


def test_some_cells_are_checked() -> None:
    """The comparison below is not empty: the notebooks keep stored outputs to compare with."""
    cells = [c for name in NOTEBOOKS for c in nbformat.read(ROOT / "notebooks" / name, as_version=4).cells]
    assert sum(c.cell_type == "code" and _checked(c) for c in cells) >= 5


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_checked_cells_print_what_the_notebook_stores(sandbox: dict[str, Any], name: str) -> None:
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    marked = {str(i): c for i, c in enumerate(nb.cells) if c.cell_type == "code" and _checked(c)}
    got = sandbox["report"]["notebooks"][name].get("checked", {})
    assert set(got) == set(marked), "the sandbox did not report every marked cell"
    for index, cell in marked.items():
        assert _sanitized(got[index]) == _sanitized(_text(cell.outputs)), f"{name}, cell {index}"
