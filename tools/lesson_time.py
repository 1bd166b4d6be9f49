#!/usr/bin/env python3
"""How long each notebook takes, and the core path of one 50-minute period, counted from the cells.

    python tools/lesson_time.py          # a table: each notebook's minutes, core and in full, and the core path

The count is the honest one the teacher guide promises (issue 14):

* reading: the words of every Markdown cell at 150 words a minute (a
  reading speed for 14- to 16-year-olds reading to learn);
* a code cell: a minute to read its line, run it and read the table or chart
  it shows; a quarter of a minute when it only sets something up (its last
  line assigns or imports, so nothing is shown); three minutes for an
  explorer widget, which invites trying things;
* reading outside the notebook (the article itself) as the notebook's
  metadata says: ``"aleppo2016": {"outside_reading_words": 1050}``;
* a question: one minute for a question with choices, a number or an order,
  three minutes for an open (written) question.

Which notebooks and cells belong to the core path is data in the notebooks:
the notebook metadata ``"aleppo2016": {"lesson": 1, "path": "core"}`` puts a
notebook in the first lesson's core path (``"extension"`` with lesson 2 or 3
for the later lessons), and a cell tagged ``extension`` inside a core notebook
is skipped on the core path. Each notebook states its times in its
Prerequisites ("**Time to learn**: about N minutes"; a core notebook adds
"(core path: about M minutes)"); the tests check that they match this count.
"""
from __future__ import annotations

import ast
import math
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
sys.path.insert(0, str(ROOT / "src"))

from aleppo2016 import quiz  # noqa: E402

WORDS_PER_MINUTE = 150
CODE_CELL_MINUTES = 1.0
SETUP_CELL_MINUTES = 0.25
EXPLORER_MINUTES = 3.0
QUESTION_MINUTES = 1.0
OPEN_QUESTION_MINUTES = 3.0
PERIOD_MINUTES = 50
EXTENSION_TAG = "extension"
META_KEY = "aleppo2016"

_ONE = re.compile(r"""quiz\.question\(\s*["'](\w+)["']\s*,\s*["'](\w+)["']""")
_ALL = re.compile(r"""quiz\.questions\(\s*["'](\w+)["']""")
_MARKUP = re.compile(r"<[^>]+>|\]\([^)]*\)|[#*`|>_]|-{2,}")


@dataclass(frozen=True)
class Timing:
    """A notebook's minutes: in full and on the core path (0 when it is not on the core path)."""

    notebook: str
    lesson: int
    path: str  # "core" or "extension"
    full: float
    core: float


def words(markdown: str) -> int:
    """Words a student reads in a Markdown cell (markup, link targets and HTML tags not counted)."""
    return len(_MARKUP.sub(" ", markdown).split())


def _question_types() -> dict[str, str]:
    return {q["id"]: q["type"] for qs in quiz.load_questions().values() for q in qs}


def question_ids(source: str) -> list[str]:
    """The ids of the questions a code cell shows."""
    ids = [qid for _, qid in _ONE.findall(source)]
    bank = quiz.load_questions()
    for group in _ALL.findall(source):
        ids += [q["id"] for q in bank.get(group, [])]
    return ids


def cell_minutes(cell: Mapping, types: Mapping[str, str]) -> float:
    """Minutes one cell takes a student."""
    if cell["cell_type"] == "markdown":
        return words(cell["source"]) / WORDS_PER_MINUTE
    if cell["cell_type"] != "code" or not cell["source"].strip():
        return 0.0
    ids = question_ids(cell["source"])
    if not ids:
        if re.search(r"widgets\.\w+Explorer\(|widgets\.\w+(Browser|Comparer)\(", cell["source"]):
            return EXPLORER_MINUTES
        return SETUP_CELL_MINUTES if _shows_nothing(cell["source"]) else CODE_CELL_MINUTES
    return sum(OPEN_QUESTION_MINUTES if types.get(qid) == "open" else QUESTION_MINUTES for qid in ids)


def _shows_nothing(source: str) -> bool:
    """A cell whose last statement assigns or imports shows no output to read."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return False
    return bool(body) and isinstance(body[-1], (ast.Assign, ast.AnnAssign, ast.Import, ast.ImportFrom))


def lesson_of(nb: nbformat.NotebookNode) -> tuple[int, str]:
    """(lesson number, "core" or "extension") from the notebook's metadata."""
    meta = nb.metadata.get(META_KEY, {})
    return int(meta.get("lesson", 0)), str(meta.get("path", ""))


def is_solution(cell: Mapping) -> bool:
    return "solution" in cell.get("metadata", {}).get("tags", [])


def timing(name: str, nb: nbformat.NotebookNode, types: Mapping[str, str] | None = None) -> Timing:
    """The minutes of one notebook (the teacher's model answers, tagged `solution`, are not read by students)."""
    types = _question_types() if types is None else types
    lesson, path = lesson_of(nb)
    full = core = nb.metadata.get(META_KEY, {}).get("outside_reading_words", 0) / WORDS_PER_MINUTE
    for cell in nb.cells:
        if is_solution(cell):
            continue
        minutes = cell_minutes(cell, types)
        full += minutes
        if path == "core" and EXTENSION_TAG not in cell.get("metadata", {}).get("tags", []):
            core += minutes
    return Timing(name, lesson, path, round(full, 1), round(core, 1))


def timings(folder: Path = NOTEBOOKS) -> list[Timing]:
    """Every notebook's timing, in order."""
    types = _question_types()
    return [timing(p.stem, nbformat.read(p, as_version=4), types) for p in sorted(Path(folder).glob("*.ipynb"))]


def core_path_minutes(found: list[Timing]) -> float:
    """The minutes of the whole core path (lesson 1)."""
    return round(sum(t.core for t in found), 1)


def stated_minutes(nb: nbformat.NotebookNode) -> tuple[int | None, int | None]:
    """(the full time, the core-path time) a notebook states in its Prerequisites."""
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    full = re.search(r"\*\*Time to learn\*\*:\s*about\s*(\d+)\s*minutes", text)
    core = re.search(r"core path:\s*about\s*(\d+)\s*minutes", text)
    return (int(full.group(1)) if full else None, int(core.group(1)) if core else None)


def main() -> int:
    found = timings()
    print(f"{'notebook':<28} {'lesson':>6} {'path':>9} {'full':>6} {'core':>6}")
    for t in found:
        print(f"{t.notebook:<28} {t.lesson:>6} {t.path:>9} {t.full:>6} {t.core:>6}")
    total = core_path_minutes(found)
    print(f"core path (lesson 1): {total} minutes (a period is {PERIOD_MINUTES})")
    for lesson in sorted({t.lesson for t in found if t.path == "extension"}):
        names = [t.notebook for t in found if t.path == "extension" and t.lesson == lesson]
        minutes = math.fsum(t.full for t in found if t.path == "extension" and t.lesson == lesson)
        print(f"lesson {lesson}: {', '.join(names)}: {minutes:.1f} minutes")
    return 0 if total <= PERIOD_MINUTES else 1


if __name__ == "__main__":
    sys.exit(main())
