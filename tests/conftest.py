"""Shared test set-up: every test starts like a fresh kernel.

``aleppo2016.quiz`` keeps one record per question for the whole kernel (so a
re-run cell keeps a student's attempts); in a test process that would carry
answers from one test into the next, so the records are cleared before each
test. Nothing is imported here: a test that never imports the quiz pays nothing.
"""
from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _fresh_quiz_records() -> Iterator[None]:
    quiz = sys.modules.get("aleppo2016.quiz")
    if quiz is not None:
        quiz._forget_answers()
    yield


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's headless Chromium, driven by playwright (no `playwright install` needed): one per session.

    One for every test that needs it (the browser suite, the hub test): a second
    sync playwright in the same thread fails ("Sync API inside the asyncio loop").
    """
    sys.path.insert(0, str(Path(__file__).parent / "browser"))
    import lab  # tests/browser/lab.py

    lab.require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(lab.CHROMIUM), args=lab.CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
