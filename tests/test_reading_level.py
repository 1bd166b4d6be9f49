"""Student-facing text stays in plain English: Flesch–Kincaid grade 9 or lower (issue 4).

The grade is 0.39 × words per sentence + 11.8 × syllables per word − 15.59,
over each notebook's Markdown (model answers, tables, code and links left
out). Syllables are counted by vowel groups, the usual approximation; it is
a guide for writers, not a precise measure, so the test only catches text
that has clearly become harder to read.
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
MAX_GRADE = 9.0


def syllables(word: str) -> int:
    letters = re.sub(r"[^a-z]", "", word.lower())
    if not letters:
        return 0
    count = len(re.findall(r"[aeiouy]+", letters))
    if letters.endswith("e") and not letters.endswith(("le", "ee")) and count > 1:
        count -= 1  # a silent final e
    return max(count, 1)


def student_text(path: Path) -> str:
    parts = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "markdown" or "solution" in cell.metadata.get("tags", []):
            continue
        text = re.sub(r"```.*?```", " ", cell.source, flags=re.S)
        text = "\n".join(line for line in text.splitlines() if not line.strip().startswith("|"))
        text = re.sub(r"`[^`]*`", " code ", text)
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
        text = re.sub(r"https?://\S+", " ", text)
        parts.append(re.sub(r"[#*_>]", " ", text))
    return "\n\n".join(parts)


def grade(text: str) -> float:
    # Sentences end at . ! ? or a paragraph or list-item break.
    sentences = [s for s in re.split(r"[.!?]+\s+|\n\s*\n|\n\s*[-\d]+[.)]?\s", text) if re.search(r"[A-Za-z]", s)]
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", text)
    return 0.39 * len(words) / len(sentences) + 11.8 * sum(map(syllables, words)) / len(words) - 15.59


def test_the_measure_tells_easy_from_hard_text() -> None:
    easy = "The cat sat on the mat. It was warm. We ate lunch."
    hard = ("Notwithstanding considerable international diplomatic intervention, the comprehensive "
            "humanitarian ceasefire disintegrated, precipitating unprecedented, indiscriminate bombardment.")
    assert grade(easy) < 3 < MAX_GRADE < grade(hard)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_reads_at_grade_9_or_lower(path: Path) -> None:
    assert grade(student_text(path)) <= MAX_GRADE
