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
    lab_page.page.wait_for_timeout(3000)  # the pop-up, when enabled, appears a moment after start-up
    toasts = lab_page.page.locator(".Toastify__toast").all_inner_texts()
    assert not [t for t in toasts if "news" in t.lower()], f"a news pop-up is showing: {toasts}"
