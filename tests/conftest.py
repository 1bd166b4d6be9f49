"""Shared test set-up: every test starts like a fresh kernel.

``aleppo2016.quiz`` keeps one record per question for the whole kernel (so a
re-run cell keeps a student's attempts); in a test process that would carry
answers from one test into the next, so the records are cleared before each
test. Nothing is imported here: a test that never imports the quiz pays nothing.
"""
from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _fresh_quiz_records() -> Iterator[None]:
    quiz = sys.modules.get("aleppo2016.quiz")
    if quiz is not None:
        quiz._forget_answers()
    yield
