"""Fixtures for the real-browser tests: one JupyterLab for the session, one fresh browser context per test.

Where Chromium or playwright is missing, the `browser` tests are skipped with a
message saying how to install them, unless ALEPPO2016_REQUIRE_BROWSER=1 (set by
.ci/run), where they fail instead: CI must never skip them silently.
"""
from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import lab  # noqa: E402  (the helper module next to this file)


def pytest_configure(config: pytest.Config) -> None:
    # Declared in pyproject.toml too; repeated so that running this folder on its own
    # with another config still knows the marker (--strict-markers).
    config.addinivalue_line("markers", "browser: drives JupyterLab in a real Chromium")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    problem = lab.browser_problem()
    if problem is None or lab.browser_required():
        return  # when required, the fixtures below fail each test with the same message
    skip = pytest.mark.skip(reason=problem)
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if "Browser tests cannot run" in str(r.longrepr)]
    if skipped:
        terminalreporter.write_sep("!", f"{len(skipped)} browser tests were SKIPPED", yellow=True)
        terminalreporter.write_line(lab.browser_problem() or "")


_require_browser = lab.require_browser


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[lab.LabServer]:
    """JupyterLab on 127.0.0.1 with a random token, serving a temporary copy of notebooks/."""
    _require_browser()
    server = lab.start_lab(lab.NOTEBOOKS, tmp_path_factory.mktemp("jupyterlab"))
    try:
        yield server
    finally:
        lab.stop_lab(server)


# The `chromium` fixture is in tests/conftest.py: one browser for the whole session, shared with the hub test.


@dataclass
class LabPage:
    """A page in a fresh browser context, with the console errors it has logged."""

    page: Any
    console: lab.ConsoleLog
    server: lab.LabServer

    def open(self, name: str) -> lab.Notebook:
        return lab.Notebook(self.page, self.server, name, self.console).open()

    def run(self, name: str, screenshot: str | None = None) -> tuple[lab.Notebook, lab.RunReport]:
        return lab.run_notebook(self.page, self.server, name, self.console, screenshot=screenshot)


@pytest.fixture
def lab_page(lab_server: lab.LabServer, chromium: Any) -> Iterator[LabPage]:
    """A fresh context (no cookies, storage or state from other tests) and one page in it."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(lab.TIMEOUT_MS)
    page = context.new_page()
    console = lab.ConsoleLog()
    console.attach(page)
    try:
        yield LabPage(page, console, lab_server)
    finally:
        context.close()
        lab_server.shutdown_kernels()  # the next test starts from a fresh kernel
