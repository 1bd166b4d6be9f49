"""`make lab`, the README's first command, from a fresh clone: it serves the start notebook, even as root.

As root (containers, cloud VMs, school images, CI) JupyterLab refuses to start
without --allow-root; the Makefile adds it and says so in one line. The clone
reuses this environment (VENV=...), so nothing is installed: the test is about
the Makefile's command line, not pip.
"""
from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "hub"))

from local_hub import fresh_clone, lab  # noqa: E402  (tests/browser/lab.py: a server's REST API, its start and stop)

START = "notebooks/00_start_here.ipynb"
ROOT_NOTICE = "Note: running as root (user id 0), so JupyterLab is started with --allow-root."


def test_make_lab_serves_the_start_notebook_from_a_fresh_clone(tmp_path: Path) -> None:
    venv = Path(sys.prefix)
    stamp = venv / ".aleppo2016-installed-lab"
    if not stamp.exists():
        pytest.fail(f"{venv} was not made by the Makefile (no {stamp.name}); run the tests with `make test`.")
    clone = fresh_clone(tmp_path / "aleppo2016")
    port, token = lab._free_port(), secrets.token_hex(16)
    lab_args = (f"--no-browser --ServerApp.ip=127.0.0.1 --port {port} --ServerApp.port_retries=0 "
                f"--IdentityProvider.token={token}")
    env = lab.isolated_env(tmp_path / "home")
    for key in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL"):  # when the suite itself runs under `make test`
        env.pop(key, None)
    log = tmp_path / "make-lab.log"
    # -o: the clone's pyproject.toml is newer than the environment's install stamp; do not reinstall.
    cmd = ["make", "-o", str(stamp), "lab", f"VENV={venv}", f"LAB_ARGS={lab_args}"]
    with log.open("wb") as out:
        process = subprocess.Popen(cmd, cwd=clone, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    server = lab.LabServer(root=clone / "student_edition", port=port, token=token, process=process, log=log)
    try:
        lab.wait_until_answering(server, timeout=180)
        model = server.api("GET", f"/api/contents/{START}?content=1")
        assert model["type"] == "notebook" and model["path"] == START
        assert model["content"]["cells"], "the start notebook came back empty"
        # the page a student's browser opens
        request = urllib.request.Request(f"{server.base}/lab/tree/{START}?token={token}")
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200
            assert b"jupyter-config-data" in response.read()
        output = log.read_text(errors="replace")
        assert "pip install" not in output, f"make lab reinstalled the module:\n{output[-2000:]}"
        as_root = os.geteuid() == 0
        assert (ROOT_NOTICE in output) is as_root, output[-2000:]
        served = json.loads((clone / "student_edition" / START).read_text(encoding="utf-8"))
        text = lambda source: "".join(source)  # noqa: E731  (a list of lines on disk, one string in the API)
        assert [text(c["source"]) for c in served["cells"]] == [text(c["source"]) for c in model["content"]["cells"]]
    finally:
        lab.stop_lab(server)
