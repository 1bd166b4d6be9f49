"""The classroom settings keep every notebook command key away from widgets (issue 12).

JupyterLab runs its notebook commands (arrows move between cells, A/B add a
cell, D D deletes one ...) on any focused element that is not a text box,
check boxes and buttons in widgets included. ``jupyter/overrides.json``
switches off each of those key bindings and binds the same command again
with a selector that leaves out everything inside an output. This test reads
the key bindings of the JupyterLab installed here, so a JupyterLab release
that adds one fails until overrides.json covers it (the browser test
tests/browser/test_keyboard.py checks the behaviour itself).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OVERRIDES = ROOT / "jupyter" / "overrides.json"
SCHEMAS = Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas"
#: JupyterLab's selector for notebook command keys (JupyterLab 4.1 and later).
COMMAND_MODE = ".jp-Notebook.jp-mod-commandMode:not(.jp-mod-readWrite) :focus"
OUTSIDE_OUTPUTS = COMMAND_MODE + ":not(.jp-OutputArea-output *)"


def _shortcuts() -> list[dict]:
    return json.loads(OVERRIDES.read_text())["@jupyterlab/shortcuts-extension:shortcuts"]["shortcuts"]


def _jupyterlab_bindings() -> list[tuple[str, tuple[str, ...]]]:
    found = []
    for path in sorted(SCHEMAS.rglob("*.json")):
        for s in json.loads(path.read_text()).get("jupyter.lab.shortcuts", []):
            if s["selector"] == COMMAND_MODE and any(k.strip() for k in s["keys"]):
                found.append((s["command"], tuple(s["keys"])))
    return found


@pytest.mark.skipif(not SCHEMAS.is_dir(), reason="JupyterLab is not installed here (pip install -e '.[lab]')")
def test_every_notebook_command_key_is_moved_off_widgets() -> None:
    bindings = _jupyterlab_bindings()
    assert len(bindings) > 20, f"found only {len(bindings)} notebook command keys in {SCHEMAS}: has the selector changed?"
    shortcuts = _shortcuts()
    disabled = {(s["command"], tuple(s["keys"])) for s in shortcuts if s.get("disabled") and s["selector"] == COMMAND_MODE}
    rebound = {(s["command"], tuple(s["keys"])) for s in shortcuts if not s.get("disabled") and s["selector"] == OUTSIDE_OUTPUTS}
    missing = [b for b in bindings if b not in disabled or b not in rebound]
    assert not missing, f"jupyter/overrides.json does not move these notebook keys off widgets: {missing}"

