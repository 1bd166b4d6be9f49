"""The student edition: solution cells and outputs removed, everything else intact."""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from aleppo2016.delivery import SOLUTION_TAG, read_notebook, student_edition

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tools" / "student_edition.py"
PNG_1PX = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def hand_made_notebook() -> nbformat.NotebookNode:
    """A notebook with every kind of cell the edition must treat differently."""
    nb = new_notebook(metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"},
        "language_info": {"name": "python"},
        "aleppo2016": {"lesson": 2},
    })
    intro = new_markdown_cell("# Counting\n![map](attachment:map.png)", id="intro")
    intro["attachments"] = {"map.png": {"image/png": PNG_1PX}}
    ran = new_code_cell("print(1 + 1)", id="ran", execution_count=3, metadata={"tags": ["keep-me"], "collapsed": False})
    ran["outputs"] = [
        new_output("stream", name="stdout", text="2\n"),
        new_output("display_data", data={"text/plain": "<Figure>"}, metadata={}),
    ]
    exercise = new_code_cell("# Exercise: how many days?\n", id="exercise", metadata={"tags": ["exercise"]})
    solution = new_code_cell("days = 30\ndays", id="answer", execution_count=4, metadata={"tags": ["exercise", SOLUTION_TAG]})
    solution["outputs"] = [new_output("execute_result", data={"text/plain": "30"}, execution_count=4)]
    solution_text = new_markdown_cell("**Answer:** 30 days.", id="answer-text", metadata={"tags": [SOLUTION_TAG]})
    raw = nbformat.v4.new_raw_cell("raw stays", id="raw", metadata={"format": "text/plain"})
    nb.cells = [intro, ran, exercise, solution, solution_text, raw]
    nbformat.validate(nb)
    return nb


def test_solution_cells_removed_outputs_cleared_rest_intact() -> None:
    original = json.loads(nbformat.writes(hand_made_notebook()))
    before = json.dumps(original, sort_keys=True)
    result = student_edition(original)

    assert json.dumps(original, sort_keys=True) == before, "the original must not be changed"
    nbformat.validate(nbformat.from_dict(result))
    assert [c["id"] for c in result["cells"]] == ["intro", "ran", "exercise", "raw"]
    assert result["metadata"] == original["metadata"]
    assert (result["nbformat"], result["nbformat_minor"]) == (original["nbformat"], original["nbformat_minor"])

    intro, ran, exercise, raw = result["cells"]
    assert intro == original["cells"][0]  # attachments and source untouched
    assert intro["attachments"]["map.png"]["image/png"] == PNG_1PX
    assert ran["outputs"] == [] and ran["execution_count"] is None
    assert ran["metadata"] == {"tags": ["keep-me"], "collapsed": False}
    assert ran["source"] == original["cells"][1]["source"]
    assert exercise == original["cells"][2]
    assert raw == original["cells"][5]


def test_notebook_without_solutions_only_loses_outputs() -> None:
    nb = json.loads(nbformat.writes(hand_made_notebook()))
    nb["cells"] = [c for c in nb["cells"] if SOLUTION_TAG not in c["metadata"].get("tags", [])]
    result = student_edition(nb)
    assert len(result["cells"]) == len(nb["cells"])
    assert all(not c.get("outputs") for c in result["cells"])


def load_script():
    """The script as a module, to call its functions without starting Python again."""
    spec = importlib.util.spec_from_file_location("student_edition_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_script(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True, timeout=120)


def test_script_writes_a_folder(tmp_path: Path) -> None:
    src = tmp_path / "notebooks"
    (src / "pictures").mkdir(parents=True)
    (src / ".ipynb_checkpoints").mkdir()
    nbformat.write(hand_made_notebook(), src / "01_lesson.ipynb")
    nbformat.write(hand_made_notebook(), src / ".ipynb_checkpoints" / "01_lesson-checkpoint.ipynb")
    (src / "pictures" / "map.png").write_bytes(b"\x89PNG fake")
    (src / "nbval_sanitize.cfg").write_text("[regex]\n")  # the test suite's, not the students'
    (src / ".hidden.txt").write_text("x")
    out = tmp_path / "student"

    done = run_script("--src", src, "--out", out)
    assert done.returncode == 0, done.stderr
    assert "Wrote 1 student notebooks" in done.stdout
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == [".student_edition", "01_lesson.ipynb", "pictures/map.png"]
    student = nbformat.read(out / "01_lesson.ipynb", as_version=4)
    nbformat.validate(student)
    assert [c.id for c in student.cells] == ["intro", "ran", "exercise", "raw"]
    assert student.cells[0].attachments["map.png"]["image/png"] == PNG_1PX

    # A re-run replaces its own earlier edition (a notebook deleted upstream disappears) ...
    (src / "01_lesson.ipynb").rename(src / "02_lesson.ipynb")
    assert run_script("--src", src, "--out", out).returncode == 0
    assert sorted(p.name for p in out.glob("*.ipynb")) == ["02_lesson.ipynb"]


def test_script_refuses_to_replace_other_folders(tmp_path: Path) -> None:
    src = tmp_path / "notebooks"
    src.mkdir()
    nbformat.write(hand_made_notebook(), src / "01.ipynb")
    precious = tmp_path / "homework"
    precious.mkdir()
    (precious / "essay.txt").write_text("mine")
    script = load_script()
    with pytest.raises(SystemExit, match="already holds other files"):
        script.write_student_edition(src, precious)
    assert (precious / "essay.txt").read_text() == "mine"
    with pytest.raises(SystemExit, match="separate folder"):
        script.write_student_edition(src, src / "inside")
    with pytest.raises(SystemExit, match="No notebooks folder"):
        script.write_student_edition(tmp_path / "missing", tmp_path / "out")


def test_real_notebooks_make_a_valid_student_edition(tmp_path: Path) -> None:
    sources = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert sources, "notebooks/ has no notebooks"
    done = run_script("--out", tmp_path / "edition")
    assert done.returncode == 0, done.stderr
    for source in sources:
        student = read_notebook(tmp_path / "edition" / source.name)
        nbformat.validate(nbformat.from_dict(student))
        assert not any(SOLUTION_TAG in c["metadata"].get("tags", []) for c in student["cells"])
        assert not any(c.get("outputs") or c.get("execution_count") for c in student["cells"])
        kept = [c for c in read_notebook(source)["cells"] if SOLUTION_TAG not in c["metadata"].get("tags", [])]
        assert [c["source"] for c in student["cells"]] == [c["source"] for c in kept]


def test_bad_notebook_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "broken.ipynb"
    bad.write_text(json.dumps({"cells": []}))
    with pytest.raises(ValueError, match="broken.ipynb is not a Jupyter notebook"):
        read_notebook(bad)
