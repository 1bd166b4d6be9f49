"""The classroom loop in a real browser: "Save my work" in JupyterLab, and the class report in Chromium.

The save test answers a real question in a scratch notebook, types a name
(with HTML in it), presses the one button and checks both ways the work
leaves the notebook: the file next to it on the server, and the download
link in the browser (what counts in JupyterLite, where the kernel's files
are not the browser's). The report test opens a report made from a dozen
hand-in files, broken ones included, straight from disk, as a teacher would.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

import lab
from conftest import LabPage

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the shared hand-in samples

from handin_samples import class_folder  # noqa: E402

from aleppo2016 import handin, quiz, report  # noqa: E402

pytestmark = pytest.mark.browser

try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixtures skip (or fail in CI) with the install hint
    expect = None  # type: ignore[assignment]
else:
    expect.set_options(timeout=60_000)

SAVE_CELLS = [
    'from aleppo2016 import handin, quiz\nq = quiz.question("02_timeline", "friday_date")\nq',
    'handin.save_button("02_timeline")',
]


def test_save_my_work_writes_the_file_and_offers_it_as_a_download(lab_page: LabPage) -> None:
    path = lab.write_scratch(lab_page.server, "save_work", SAVE_CELLS)
    folder = lab_page.server.root / lab.SCRATCH
    for old in folder.glob("aleppo2016-*.json"):
        old.unlink()
    nb, run = lab_page.run(path)
    assert not run.problems(), "\n".join(run.problems())
    page = nb.page

    spec = {q["id"]: q for q in quiz.load_questions()["02_timeline"]}["friday_date"]
    right = next(c["text"] for c in spec["choices"] if c["correct"])
    question = nb.output_of(1).locator(".aleppo2016-question").first
    question.get_by_role("checkbox", name=right).check()
    question.get_by_role("button", name="Check").click()
    expect(question.locator('[role="status"]').first).to_be_visible()  # the feedback is back
    nb.wait_idle()

    box = nb.output_of(2).locator(".aleppo2016-save").first
    expect(box).to_be_visible()
    box.get_by_role("button", name="Save my work").click()
    expect(box.locator('[role="alert"]')).to_contain_text("Type the name")  # no name yet: nothing written
    assert not list(folder.glob("aleppo2016-*.json"))

    box.get_by_role("textbox").fill("Amal <b>H</b>")
    box.get_by_role("button", name="Save my work").click()
    status = box.locator('[role="status"]')
    expect(status).to_contain_text("next to this notebook")
    assert box.locator("b").count() == 0, "the typed name must be shown as text, never as HTML"
    saved = sorted(folder.glob("aleppo2016-*.json"))
    assert [p.name for p in saved] == ["aleppo2016-02_timeline-Amal_b_H_b.json"]
    work = handin.read(saved[0])
    assert work.name == "Amal <b>H</b>" and work.notebooks == ("02_timeline",)
    if hasattr(quiz, "answered"):  # the question records (from the quiz) reach the file
        records = {r["id"]: r for r in work.records}
        assert records["friday_date"]["correct"] is True and records["friday_date"]["attempts"][0]["answer"] == right

    link = status.locator("a[download]")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == saved[0].name
    assert Path(download.path()).read_bytes() == saved[0].read_bytes()
    nb.screenshot("classroom_save_my_work")
    assert not lab.unexpected_console_errors(lab_page.console.errors), lab_page.console.errors


def test_class_report_opens_in_chromium_without_console_errors(chromium: Any, tmp_path: Path) -> None:
    folder = class_folder(tmp_path / "handed-in")
    work, path = report.class_report(folder, tmp_path / "report.html", tmp_path / "grades.csv")
    assert len(work.students) == 8 and len(work.skipped) == 4
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, offline=True)
    page = context.new_page()
    console = lab.ConsoleLog()
    console.attach(page)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        assert page.title() == "Class report: handed-in"
        images = page.evaluate("() => [...document.images].map(i => [i.naturalWidth, i.alt])")
        assert len(images) == 2 and all(width > 100 and len(alt) > 40 for width, alt in images)
        body = page.locator("body").inner_text()
        assert "<script>alert('x')</script> & more" in body  # the student's text, shown as text
        assert page.evaluate("() => document.querySelectorAll('script').length") == 0
        assert "kim.json was skipped: edited by hand" in body
        assert not [u for u in requests if not u.startswith(("file:", "data:"))], requests
        lab.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(lab.SCREENSHOTS / "classroom_report.png"), full_page=True)
        assert console.errors == []
    finally:
        context.close()


def test_make_labs_student_edition_shows_no_answers_in_jupyterlab(chromium: Any, tmp_path: Path) -> None:
    """The local route (`make lab`): JupyterLab rooted at the student edition serves no file with an answer in it.

    Walks JupyterLab's own contents API (what its file browser lists and opens),
    then opens the file browser in Chromium and looks at what a student sees.
    """
    import subprocess

    edition = tmp_path / "student_edition"
    done = subprocess.run([sys.executable, str(lab.REPO / "tools" / "student_edition.py"), "--out", str(edition), "--no-wheel"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    server = lab.start_lab(edition, tmp_path / "lab")
    try:
        seen, folders = [], [""]
        while folders:
            folder = folders.pop()
            for item in server.api("GET", f"/api/contents/{folder}")["content"]:
                if item["type"] == "directory":
                    folders.append(item["path"])
                    continue
                seen.append(item["path"])
                body = server.api("GET", f"/api/contents/{item['path']}?content=1")
                text = body["content"] if isinstance(body["content"], str) else json.dumps(body["content"])
                assert '"correct": true' not in text and '\\"correct\\": true' not in text, item["path"]
                if item["type"] == "notebook":
                    assert not any("solution" in [t.casefold() for t in c["metadata"].get("tags", [])]
                                   for c in body["content"]["cells"]), item["path"]
        assert "notebooks/00_start_here.ipynb" in seen
        assert not [p for p in seen if Path(p).name in ("questions.json", "answer_key.md", "teacher_guide.md")], seen
        assert not [p for p in seen if p.startswith(("src/", "docs/", "tests/"))], seen

        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        console = lab.ConsoleLog()
        console.attach(page)
        try:
            page.goto(f"{server.base}/lab/workspaces/files/tree/?token={server.token}")
            listing = page.locator(".jp-DirListing-content")
            expect(listing.get_by_text("notebooks", exact=True)).to_be_visible()
            names = sorted(listing.locator(".jp-DirListing-itemText").all_inner_texts())
            assert names == ["README.md", "binder", "notebooks"], names  # all a student can open
            assert not lab.unexpected_console_errors(console.errors), console.errors
        finally:
            context.close()
    finally:
        lab.stop_lab(server)
