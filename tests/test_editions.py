"""The student edition: what students get on every route, and that no answer leaks through it.

The complete edition (notebooks, Binder set-up, the module's wheel) is built
once from the real notebooks for this file; the leak tests use small
hand-made notebooks, one per way an answer could slip through.
"""
from __future__ import annotations

import importlib.util
import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from aleppo2016 import quiz
from aleppo2016.delivery import (
    SOLUTION_TAG,
    STUDENT_NOTEBOOK_METADATA,
    is_solution,
    read_notebook,
    solution_reason,
    student_edition,
)

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tools" / "student_edition.py"
PNG_1PX = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


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


def as_dict(nb: nbformat.NotebookNode) -> dict:
    return json.loads(nbformat.writes(nb))


def test_solution_cells_removed_outputs_cleared_rest_intact() -> None:
    original = as_dict(hand_made_notebook())
    before = json.dumps(original, sort_keys=True)
    result = student_edition(original)

    assert json.dumps(original, sort_keys=True) == before, "the original must not be changed"
    nbformat.validate(nbformat.from_dict(result))
    assert [c["id"] for c in result["cells"]] == ["intro", "ran", "exercise", "raw"]
    assert result["metadata"] == {k: original["metadata"][k] for k in STUDENT_NOTEBOOK_METADATA}
    assert (result["nbformat"], result["nbformat_minor"]) == (original["nbformat"], original["nbformat_minor"])

    intro, ran, exercise, raw = result["cells"]
    assert intro == original["cells"][0]  # its attachment is shown by its text, so kept
    assert ran["outputs"] == [] and ran["execution_count"] is None
    assert ran["metadata"] == {"tags": ["keep-me"], "collapsed": False}
    assert ran["source"] == original["cells"][1]["source"]
    assert exercise == original["cells"][2]
    assert raw == original["cells"][5]


# --- one test per way an answer could leak -----------------------------------

def with_cells(*cells: dict, **metadata) -> dict:
    nb = as_dict(new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}, **metadata}))
    nb["cells"] = [json.loads(json.dumps(c)) for c in cells]
    return nb


def test_saved_widget_state_is_dropped() -> None:
    """A teacher who tried the quiz saves its widgets' state, feedback text included, in the notebook."""
    state = {"application/vnd.jupyter.widget-state+json": {"state": {"m1": {"state": {"value": "<p>Right! The answer is 30.</p>"}}}}}
    result = student_edition(with_cells(new_code_cell("quiz.questions('02_timeline')", id="q"), widgets=state))
    assert "widgets" not in result["metadata"]
    assert "The answer is 30" not in json.dumps(result)


@pytest.mark.parametrize("tags", [["Solution"], ["SOLUTION"], ["solutions"], [" Solutions "], "solution", ["x", 3, "solution"]])
def test_solution_tags_in_any_case_or_shape(tags) -> None:
    cell = new_code_cell("answer = 30", id="a")
    cell["metadata"]["tags"] = tags
    assert solution_reason(cell) == "tagged solution"
    assert student_edition(with_cells(cell))["cells"] == []


@pytest.mark.parametrize("metadata", [{"tags": None}, {"tags": 3}, {"tags": [None]}, {"tags": {}}])
def test_odd_tags_do_not_crash_and_are_not_solutions(metadata) -> None:
    cell = new_code_cell("x = 1", id="a")
    cell["metadata"] = metadata
    result = student_edition(with_cells(cell))
    assert [c["source"] for c in result["cells"]] == ["x = 1"]
    tags = result["cells"][0]["metadata"].get("tags", [])
    assert isinstance(tags, list) and all(isinstance(t, str) for t in tags)


def test_cell_without_metadata_does_not_crash() -> None:
    cell = new_code_cell("x = 1", id="a")
    del cell["metadata"]
    assert not is_solution(cell)
    assert student_edition(with_cells(cell))["cells"][0]["metadata"] == {}


def test_nbgrader_solutions_are_solutions() -> None:
    cell = new_code_cell("answer = 30", id="a", metadata={"nbgrader": {"solution": True, "grade": False}})
    assert solution_reason(cell) == "an nbgrader solution"
    assert not is_solution(new_code_cell("x", metadata={"nbgrader": {"solution": False}}))


def test_hidden_cells_are_left_out_and_nothing_stays_hidden() -> None:
    hidden = new_markdown_cell("The answer is 30.", id="h", metadata={"jupyter": {"source_hidden": True}})
    folded = new_code_cell("print(30)", id="f", metadata={"jupyter": {"outputs_hidden": True}})
    folded["outputs"] = [new_output("stream", name="stdout", text="30\n")]
    assert solution_reason(hidden) == "source hidden"
    result = student_edition(with_cells(hidden, folded))
    assert [c["id"] for c in result["cells"]] == ["f"]
    assert result["cells"][0]["metadata"] == {} and result["cells"][0]["outputs"] == []
    assert "30\\n" not in json.dumps(result)


def test_attachments_nothing_shows_are_dropped() -> None:
    cell = new_markdown_cell("A map: ![map](attachment:map.png)", id="m")
    cell["attachments"] = {"map.png": {"image/png": PNG_1PX}, "answer.png": {"image/png": PNG_1PX + "X"}}
    bare = new_markdown_cell("No picture here.", id="b")
    bare["attachments"] = {"answer.png": {"image/png": PNG_1PX}}
    result = student_edition(with_cells(cell, bare))
    assert list(result["cells"][0]["attachments"]) == ["map.png"]
    assert "attachments" not in result["cells"][1]
    nbformat.validate(nbformat.from_dict(result))


# --- the script and the complete folder -----------------------------------------

def load_script():
    """The script as a module, to call its functions without starting Python again."""
    spec = importlib.util.spec_from_file_location("student_edition_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_script(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real student edition, built by the command the README gives (wheel included)."""
    out = tmp_path_factory.mktemp("edition") / "student_edition"
    done = run_script("--out", out)
    assert done.returncode == 0, done.stderr
    assert f"{len(NOTEBOOKS)} notebooks" in done.stdout and "solution cells left out" in done.stdout
    return out


@pytest.fixture(scope="module")
def wheel(edition: Path) -> Path:
    (found,) = (edition / "binder").glob("aleppo2016-*.whl")
    return found


def test_edition_holds_only_what_students_need(edition: Path) -> None:
    files = sorted(p.relative_to(edition).as_posix() for p in edition.rglob("*") if p.is_file())
    wheel_name = next(f for f in files if f.endswith(".whl"))
    assert files == sorted([
        ".gitignore", ".student_edition", "README.md",
        "binder/environment.yml", "binder/overrides.json", "binder/postBuild", wheel_name,
        *(f"notebooks/{p.name}" for p in NOTEBOOKS),
    ])
    assert (edition / "binder" / "environment.yml").read_bytes() == (ROOT / "binder" / "environment.yml").read_bytes()
    assert (edition / "binder" / "postBuild").stat().st_mode & stat.S_IXUSR
    readme = (edition / "README.md").read_text(encoding="utf-8")
    assert "notebooks/00_start_here.ipynb" in readme and "Save my work" in readme


def solution_sources() -> list[str]:
    """Every answer text of the teacher's copy: solution cells in the notebooks and the open questions' model answers.

    Model answers live once, in questions.json; none of these texts may appear in what students get.
    """
    found = []
    for path in NOTEBOOKS:
        for cell in read_notebook(path)["cells"]:
            if is_solution(cell):
                source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
                found.append(source.strip())
    found += [q["model_answer"].strip() for qs in quiz.load_questions().values() for q in qs if q.get("model_answer")]
    assert found, "the notebooks and questions hold no answers, so this test would prove nothing"
    return found


def assert_no_answers(folder: Path) -> None:
    """No solution cell, answer key, question bank or plain-text correct flag in any file under `folder`."""
    names = {p.name for p in folder.rglob("*")}
    assert not names & {"answer_key.md", "questions.json", "teacher_guide.md", "tests", "src", "docs"}
    texts = {}
    for path in folder.rglob("*"):
        if path.is_file():
            texts[path] = path.read_bytes().decode("utf-8", errors="replace")
    for path, text in texts.items():
        assert '"correct": true' not in text and '"correct":true' not in text, path
        assert "Answer key" not in text, path
    notebooks = {p: t for p, t in texts.items() if p.suffix == ".ipynb"}
    assert notebooks
    for path, text in notebooks.items():
        nb = json.loads(text)
        assert not any(is_solution(c) for c in nb["cells"]), path
        assert not any(c.get("outputs") for c in nb["cells"]), path
        assert set(nb["metadata"]) <= set(STUDENT_NOTEBOOK_METADATA), path
    for source in solution_sources():
        assert not any(source in json.dumps(json.loads(t)) or source in t for t in notebooks.values()), source[:60]


def test_edition_has_no_answers_in_plain_view(edition: Path, wheel: Path) -> None:
    assert_no_answers(edition)
    # The wheel holds the question bank, compressed (a student cannot read it in JupyterLab); on Binder
    # postBuild removes it after installing (test below).
    with zipfile.ZipFile(wheel) as whl:
        assert whl.getinfo("aleppo2016/data/questions.json").compress_type == zipfile.ZIP_DEFLATED


def test_every_real_notebook_keeps_all_but_its_solutions(edition: Path) -> None:
    for source in NOTEBOOKS:
        student = read_notebook(edition / "notebooks" / source.name)
        nbformat.validate(nbformat.from_dict(student))
        kept = [c for c in read_notebook(source)["cells"] if not is_solution(c)]
        assert [c["source"] for c in student["cells"]] == [c["source"] for c in kept]
        assert [c.get("id") for c in student["cells"]] == [c.get("id") for c in kept]


def test_binder_postbuild_installs_the_wheel_then_removes_it(edition: Path, tmp_path: Path) -> None:
    """What Binder delivers: the edition after postBuild, run for real with a stand-in `python`."""
    home = tmp_path / "home"
    subprocess.run(["cp", "-a", str(edition), str(home)], check=True)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.txt"
    (bin_dir / "python").write_text(f'#!/bin/sh\necho "$@" >> "{log}"\n', encoding="utf-8")
    (bin_dir / "python").chmod(0o755)
    prefix = tmp_path / "prefix"
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "NB_PYTHON_PREFIX": str(prefix)}
    subprocess.run(["bash", "binder/postBuild"], cwd=home, env=env, check=True)
    (call,) = log.read_text(encoding="utf-8").splitlines()
    assert call.startswith("-m pip install --no-deps binder/aleppo2016-") and call.endswith(".whl")
    assert not list(home.rglob("*.whl")), "the wheel must not stay in the student's home"
    assert (prefix / "share/jupyter/lab/settings/overrides.json").read_bytes() == (ROOT / "jupyter/overrides.json").read_bytes()
    assert_no_answers(home)


def test_repo2docker_picks_the_editions_binder_setup(edition: Path) -> None:
    pytest.importorskip("repo2docker", reason="jupyter-repo2docker is in the test extra")
    done = subprocess.run([sys.executable, "-m", "repo2docker", "--no-build", "--debug", str(edition)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert 'env update -p ${NB_PYTHON_PREFIX} --file "binder/environment.yml"' in done.stdout
    assert "RUN ./binder/postBuild" in done.stdout


def test_a_failure_half_way_leaves_no_half_written_folder(tmp_path: Path, wheel: Path) -> None:
    src = tmp_path / "notebooks"
    src.mkdir()
    nbformat.write(hand_made_notebook(), src / "01_good.ipynb")
    (src / "02_broken.ipynb").write_text('{"cells": []}', encoding="utf-8")  # not a notebook
    script = load_script()
    out = tmp_path / "student"
    with pytest.raises(ValueError, match="02_broken.ipynb is not a Jupyter notebook"):
        script.write_student_edition(src, out, wheel=wheel)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notebooks"], "no temporary folder left behind"

    (src / "02_broken.ipynb").unlink()
    script.write_student_edition(src, out, wheel=wheel)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    (src / "03_broken.ipynb").write_text("{", encoding="utf-8")
    with pytest.raises(ValueError):
        script.write_student_edition(src, out, wheel=wheel)
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before, "the earlier edition stays whole"


def test_an_edition_with_student_work_is_not_replaced_without_force(tmp_path: Path, wheel: Path) -> None:
    src = tmp_path / "notebooks"
    src.mkdir()
    nbformat.write(hand_made_notebook(), src / "01_lesson.ipynb")
    script = load_script()
    out = tmp_path / "student"
    script.write_student_edition(src, out, wheel=wheel)
    script.write_student_edition(src, out, wheel=wheel)  # unchanged: replaced quietly
    (out / "notebooks" / "aleppo2016-01_lesson-Amal.json").write_text("{}", encoding="utf-8")
    (src / "01_lesson.ipynb").rename(src / "02_lesson.ipynb")
    with pytest.raises(SystemExit, match=r"holds work added or changed since it was written \(notebooks/aleppo2016-01_lesson-Amal.json\)"):
        script.write_student_edition(src, out, wheel=wheel)
    assert (out / "notebooks" / "aleppo2016-01_lesson-Amal.json").exists()
    script.write_student_edition(src, out, wheel=wheel, force=True)
    assert sorted(p.name for p in (out / "notebooks").iterdir()) == ["02_lesson.ipynb"]


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


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True).stdout.strip()


def test_publish_commits_the_edition_as_a_branch_without_touching_the_checkout(tmp_path: Path, edition: Path, monkeypatch) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "teacher.txt").write_text("answers\n")
    git(repo, "add", "teacher.txt")
    git(repo, "commit", "-qm", "teacher")
    (repo / "draft.txt").write_text("uncommitted\n")
    head, status = git(repo, "rev-parse", "HEAD"), git(repo, "status", "--porcelain")
    for key, value in {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
                       "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}.items():
        monkeypatch.setenv(key, value)
    script = load_script()

    commit = script.publish(edition, "student", repo=repo)
    assert commit and git(repo, "rev-parse", "student") == commit
    tracked = sorted(git(repo, "ls-tree", "-r", "--name-only", "student").splitlines())
    assert tracked == sorted(p.relative_to(edition).as_posix() for p in edition.rglob("*") if p.is_file())
    assert "teacher.txt" not in tracked
    assert git(repo, "rev-parse", "HEAD") == head and git(repo, "status", "--porcelain") == status
    assert git(repo, "branch", "--show-current") == "main"
    assert script.publish(edition, "student", repo=repo) is None  # nothing new: no empty commit

    # What the hub link delivers: nbgitpuller's shallow clone of that branch into the student's home.
    home = tmp_path / "hub-home" / "aleppo2016"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "student", repo.as_uri(), str(home)], check=True)
    assert (home / "notebooks" / "00_start_here.ipynb").is_file()
    assert not (home / "teacher.txt").exists()
    assert_no_answers(home)


def test_jupyterlite_site_is_the_student_edition_unless_a_teacher_asks(tmp_path: Path, monkeypatch) -> None:
    """`make lite` builds for students; --teacher-edition is the opt-in (the build itself: tests/test_lite.py)."""
    spec = importlib.util.spec_from_file_location("build_lite_script", ROOT / "tools" / "build_lite.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    asked = []
    monkeypatch.setattr(module, "build_site", lambda out, **options: asked.append(options["student"]) or tmp_path)
    for args, student in (([], True), (["--student-edition"], True), (["--teacher-edition"], False)):
        assert module.main(["--out", str(tmp_path), *args]) == 0
        assert asked.pop() is student
    with pytest.raises(SystemExit):
        module.main(["--student-edition", "--teacher-edition"])
