"""The JupyterHub route for real: a hub on 127.0.0.1, the module's own link, a student in Chromium, a class at once.

One hub for this file (tests/hub/local_hub.py): JupyterHub from PyPI,
configurable-http-proxy from npm, the shared-password authenticator, local
single-user servers, and the repository served over smart HTTP git with the
student edition published as the branch ``student``. Missing pieces skip
these tests with the reason, except under ALEPPO2016_REQUIRE_BROWSER=1 (CI),
where they fail. Timings are the benchmark's (benchmarks/bench_hub.py); here
only what a student sees is asserted.
"""
from __future__ import annotations

import json
import os
import secrets
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "hub"))

import local_hub  # noqa: E402
from local_hub import lab  # noqa: E402  (tests/browser/lab.py)
from test_editions import assert_no_answers  # noqa: E402

from aleppo2016.delivery import HUB_FOLDER, START_NOTEBOOK, is_solution, read_notebook  # noqa: E402

# `chromium` (tests/conftest.py) is the session's one browser, shared with the browser suite.

STUDENT = "amal"
CLASS = [f"student{i:02d}" for i in range(1, 6)]  # the short class of the CI load test (30 under `make bench`)
PRESTARTED = ["student06", "student07"]  # a shorter one whose servers are started before the lesson
ANSWER_FILES = {"answer_key.md", "questions.json", "teacher_guide.md"}


def _require_hub() -> None:
    problem = local_hub.hub_problem()
    if problem is None:
        return
    if lab.browser_required():
        pytest.fail(f"{lab.REQUIRE_ENV} is set, so this is a failure, not a skip. {problem}", pytrace=False)
    pytest.skip(problem)


@pytest.fixture(scope="module")
def class_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[local_hub.Hub, local_hub.ClassRepo]]:
    _require_hub()
    work = tmp_path_factory.mktemp("hub")
    git_server = local_hub.start_git_server(work / "git")
    try:
        repo = local_hub.class_repo(work, git_server)
        hub = local_hub.start_hub(work / "hub", [STUDENT, *CLASS, *PRESTARTED])
        try:
            yield hub, repo
        finally:
            local_hub.stop_hub(hub)
    finally:
        git_server.stop()
    assert not hub.processes(), "processes of the hub outlived it"


def _wait_for_lab(page: Any, user: str) -> None:
    """Wait until the link has landed in JupyterLab with the start notebook's kernel idle."""
    page.wait_for_url(f"**/user/{user}/lab/**", timeout=lab.TIMEOUT_MS)
    page.locator("#jp-main-statusbar").get_by_text(lab.KERNEL_IDLE, exact=True).wait_for(timeout=lab.TIMEOUT_MS)
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=lab.TIMEOUT_MS)


def _no_answers_after_work(folder: Path) -> None:
    """No answer key or question bank, no solution cell in any notebook (outputs allowed: the student ran it)."""
    assert not {p.name for p in folder.rglob("*")} & ANSWER_FILES
    notebooks = [p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts]
    assert notebooks
    for path in notebooks:
        assert not any(is_solution(c) for c in read_notebook(path)["cells"]), path


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _wait_for_text(path: Path, text: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not (path.exists() and text in _text(path)):
        assert time.monotonic() < deadline, f"{text!r} never reached {path}"
        time.sleep(0.3)


@pytest.mark.browser
def test_a_student_follows_the_link_works_and_gets_the_teachers_update(
        class_hub: tuple[local_hub.Hub, local_hub.ClassRepo], chromium: Any) -> None:
    hub, repo = class_hub
    link = local_hub.hub_link(hub, repo)
    assert "branch=student" in link  # the module's default: the student edition
    home = hub.home(STUDENT) / HUB_FOLDER
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(lab.TIMEOUT_MS)
    page = context.new_page()
    console = lab.ConsoleLog()
    console.attach(page)
    failed: list[str] = []  # the addresses behind "Failed to load resource" console errors
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    try:
        # Not logged in: the link leads to the hub's login page, then on to the notebook.
        page.goto(link)
        local_hub.log_in(page, hub, STUDENT, goto=False)
        _wait_for_lab(page, STUDENT)
        assert page.url.split("?")[0].endswith(f"/lab/tree/{HUB_FOLDER}/{START_NOTEBOOK}")
        assert_no_answers(home)  # the student's copy, as pulled: the student edition, nothing more

        nb = lab.Notebook(page, local_hub.StudentPages(hub, STUDENT), f"{HUB_FOLDER}/{START_NOTEBOOK}", console)
        nb.run_all()
        report = nb.report()
        assert not report.problems(), "\n".join(report.problems() + failed)
        assert report.widgets > 0
        # What the student server leaves out of opening JupyterLab (jupyter/hub/student/server.py) ...
        assert [u for u in asked if "/api/nbconvert" in u] and not [u for u in asked if "/lab/api/build" in u]
        # ... and what it keeps: "Save and Export Notebook As" offers every format nbconvert has
        from nbconvert.exporters import get_export_names
        assert set(hub.request("GET", f"/user/{STUDENT}/api/nbconvert")) == set(get_export_names())

        # The student adds a note of their own and saves.
        note = f"My note {secrets.token_hex(4)}"
        page.locator(".jp-Notebook .jp-Cell").last.click()
        page.keyboard.press("Escape")
        page.keyboard.press("b")
        page.keyboard.press("Enter")
        page.keyboard.type(f"# {note}")
        page.keyboard.press("Escape")
        page.keyboard.press("Control+s")
        _wait_for_text(home / START_NOTEBOOK, note)

        # The teacher changes another lesson, commits, publishes the student edition again.
        update = f"Teacher's update {secrets.token_hex(4)}"
        lesson = repo.teacher / "notebooks" / "01_the_article.ipynb"
        data = json.loads(_text(lesson))
        data["cells"].append({"cell_type": "markdown", "id": "teacher-update", "metadata": {}, "source": [update]})
        lesson.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        local_hub.git(repo.teacher, "commit", "-qam", "A teacher's update to lesson 01")
        published = repo.publish()

        # The same link again: the update is merged in, the student's work kept.
        page.goto(link)
        _wait_for_lab(page, STUDENT)
        assert note in _text(home / START_NOTEBOOK)
        assert update in _text(home / "notebooks" / "01_the_article.ipynb")
        assert published in local_hub.git(home, "log", "--format=%H").split()
        _no_answers_after_work(home)
        assert not lab.unexpected_console_errors(console.errors), console.errors
    finally:
        context.close()


@pytest.mark.parametrize("prestart", [False, True], ids=["servers-started-on-arrival", "servers-started-before"])
def test_a_class_at_once_through_the_api(class_hub: tuple[local_hub.Hub, local_hub.ClassRepo], prestart: bool
                                         ) -> None:
    """The short load test (benchmarks/bench_hub.py runs 30): every student's lesson without an error."""
    hub, repo = class_hub
    students = PRESTARTED if prestart else CLASS

    results = local_hub.class_lessons(hub, students, repo.url, arrival=0, lesson_changes=2, lesson_pause=(0.1, 0.3),
                                      working_changes=2, pause=(0.1, 0.3), prestart=prestart)
    failures = [f"{user}: {r!r}" for user, r in zip(students, results) if isinstance(r, BaseException)]
    assert not failures, "\n".join(failures) + "\n" + hub.log_tail(30)
    for r in results:
        assert r["errors"] == [], (r["user"], r["errors"])
        assert r["answered"] == 1, r  # the Check press reached the question and counted one attempt
        assert [len(r[k]) for k in ("lesson_seconds", "working_seconds", "explorer_seconds")] == [2, 2, 6], r
        assert r["explorer_followed"], r  # every widget message changed the kernel's check box
        assert r["explorer_shows"] == r["explorer_ticked"] > 0, r  # the chart shows the ticked figures
        home = hub.home(r["user"]) / HUB_FOLDER
        _no_answers_after_work(home)
        assert r["server_start"] > 0 and r["to_kernel"] > 0, r
        assert r["lab_bytes"] > 100_000, r  # JupyterLab's page and main bundle, as a browser opens them
    running = hub.processes()
    for user in students:
        kinds = sorted(local_hub.process_name(pid) for pid in running.get(user, []))
        assert kinds == ["kernel", "server"], (user, kinds)
        # started by jupyter/hub/student/: the server without the IRI parsers, the kernel without debugpy
        commands = sorted(local_hub.command_line(pid) for pid in running[user])
        assert "student/kernels/python3/kernel.py" in commands[0] and "student/server.py" in commands[1], commands
        # their start-up imports ran at lower priority (lowpriority_imports.py); no thread kept it
        for pid in running[user]:
            nice = set(local_hub.thread_nice_values(pid).values())
            assert nice == {os.getpriority(os.PRIO_PROCESS, 0)}, (user, local_hub.command_line(pid), nice)
