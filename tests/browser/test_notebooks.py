"""Every notebook, opened and run in JupyterLab in Chromium: no errors, every widget rendered.

The notebooks are found when the tests are collected, so a new notebook is
tested without touching this file. A screenshot of each is saved to
artifacts/screenshots/<notebook>.png.
"""
from __future__ import annotations

import re

import pytest

import lab
from conftest import LabPage

pytestmark = pytest.mark.browser

NOTEBOOKS = sorted(p.name for p in lab.NOTEBOOKS.glob("*.ipynb"))

#: Code that puts a live widget on the page.
_MAKES_WIDGETS = re.compile(
    r"\b(TimelineExplorer|FiguresExplorer|VoicesBrowser|ClaimsComparer|quiz\.questions?|ipywidgets|interact)\b")


def _makes_widgets(name: str) -> bool:
    import nbformat

    nb = nbformat.read(str(lab.NOTEBOOKS / name), as_version=4)
    return any(_MAKES_WIDGETS.search(c.source) for c in nb.cells if c.cell_type == "code")


def test_browser_is_installed() -> None:
    """In CI (ALEPPO2016_REQUIRE_BROWSER=1) a missing browser is a plain test failure, not only setup errors."""
    problem = lab.browser_problem()
    assert problem is None, problem


def test_there_are_notebooks_to_test() -> None:
    """An empty parameter list would pass silently; say so loudly instead."""
    assert NOTEBOOKS, f"no notebooks found in {lab.NOTEBOOKS}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_cleanly_in_jupyterlab(lab_page: LabPage, name: str) -> None:
    _, report = lab_page.run(name, screenshot=name.removesuffix(".ipynb"))

    problems = report.problems()
    assert not problems, f"{name} ({report.seconds:.1f} s to open and run):\n  " + "\n  ".join(problems)
    if _makes_widgets(name):
        assert report.widgets >= 1, f"{name} creates widgets, but none rendered on the page"
    assert report.screenshot is not None and report.screenshot.stat().st_size > 10_000


def test_classroom_settings_apply(lab_page: LabPage) -> None:
    """The 'official Jupyter news' pop-up must not cover the page (jupyter/overrides.json turns it off)."""
    name = NOTEBOOKS[0] if NOTEBOOKS else pytest.fail("no notebooks to open")
    lab_page.open(name)
    # JupyterLab asks about news only while this setting is "none" (its default): read the value the
    # page was given, rather than waiting a while and finding no pop-up.
    plugin = lab_page.server.api("GET", "/lab/api/settings/@jupyterlab/apputils-extension:notification")
    fetch_news = plugin["settings"].get("fetchNews", plugin["schema"]["properties"]["fetchNews"]["default"])
    assert fetch_news == "false", f"fetchNews is {fetch_news!r}: the news pop-up would ask every student"
    toasts = lab_page.page.locator(".Toastify__toast").all_inner_texts()
    assert not [t for t in toasts if "news" in t.lower()], f"a news pop-up is showing: {toasts}"


_BROKEN_CELLS = [
    "import sys\nsys.stderr.write('a warning a student would see\\n')",
    "from IPython.display import display\ndisplay({'text/plain': 'IntSlider(value=0)'}, raw=True)",
    # A widget view whose model the front end never received: "Error displaying widget: model not found".
    "display({'application/vnd.jupyter.widget-view+json': {'model_id': 'f' * 32, 'version_major': 2,"
    " 'version_minor': 0}, 'text/plain': 'VBox()'}, raw=True)",
    "display({'text/html': '<div class=\"aleppo2016-static\">static form</div>'}, raw=True)",
    "1 / 0",
    "print('never reached')",
]


def test_checks_see_what_a_student_would_see(lab_page: LabPage) -> None:
    """The checks above can fail: each kind of breakage in a scratch notebook is reported."""
    path = lab.write_scratch(lab_page.server, "broken", _BROKEN_CELLS)
    _, report = lab_page.run(path)

    assert any("a warning a student would see" in s for s in report.stderr), report
    assert any("IntSlider(value=0)" in s for s in report.plain_text_widgets), report
    assert any("model not found" in s for s in report.widget_errors), report
    assert any("static form" in s for s in report.static_fallbacks), report
    assert any("ZeroDivisionError" in s for s in report.errors), report
    assert report.not_run == [6], report
    assert any("model not found" in e for e in lab.unexpected_console_errors(report.console_errors)), report
    assert len(report.problems()) >= 7
