"""The lesson fits the period (issue 14): the core path is at most 50 minutes, counted from the cells.

tools/lesson_time.py counts reading at 150 words a minute, plus time for each
code cell and question; these tests hold the notebooks to that count: the
core path fits one period, each notebook states the time its content takes,
and what is core or extension is marked where a teacher and a student see it.
"""
from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import nbformat
import pytest

from aleppo2016 import quiz

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("lesson_time", ROOT / "tools" / "lesson_time.py")
lt = importlib.util.module_from_spec(_spec)
sys.modules["lesson_time"] = lt  # its dataclass looks its module up
_spec.loader.exec_module(lt)

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
params = pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def close_enough(stated: int, measured: float) -> bool:
    """A stated 'about N minutes' may be off by 2 minutes or a tenth, whichever is more."""
    return abs(stated - measured) <= max(2.0, measured / 10)


def test_the_core_path_fits_one_period() -> None:
    found = lt.timings()
    core = [t.notebook for t in found if t.path == "core"]
    assert core, "no notebook is on the core path"
    assert {t.lesson for t in found if t.path == "core"} == {1}, "the core path is lesson 1"
    assert 0 < lt.core_path_minutes(found) <= lt.PERIOD_MINUTES, (
        f"the core path ({', '.join(core)}) takes {lt.core_path_minutes(found)} minutes; a period is {lt.PERIOD_MINUTES}"
    )


def test_lessons_two_and_three_have_extensions() -> None:
    lessons = {t.lesson for t in lt.timings() if t.path == "extension"}
    assert {2, 3} <= lessons


@params
def test_notebook_says_where_it_belongs(path: Path) -> None:
    nb = read(path)
    lesson, where = lt.lesson_of(nb)
    assert where in ("core", "extension") and lesson >= 1, f"{path.name}: metadata aleppo2016 needs lesson and path"
    banner = nb.cells[0].source
    wanted = "> **Core path**" if where == "core" else "> **Extension**"
    assert wanted in banner, f"{path.name}: the first cell needs the banner {wanted!r}"


@params
def test_stated_time_matches_the_counted_time(path: Path) -> None:
    nb = read(path)
    t = lt.timing(path.stem, nb)
    full, core = lt.stated_minutes(nb)
    assert full is not None, f"{path.name}: states no '**Time to learn**: about N minutes'"
    assert close_enough(full, t.full), f"{path.name}: states about {full} minutes, but its cells take {t.full}"
    if t.path == "core":
        assert core is not None, f"{path.name}: a core notebook states its core-path time"
        assert close_enough(core, t.core), f"{path.name}: states {core} core minutes, but its core cells take {t.core}"
    else:
        assert core is None, f"{path.name}: is not on the core path but states a core-path time"


@params
def test_extension_parts_are_marked_for_students(path: Path) -> None:
    """A tagged run of cells starts with a visible '**Extension**' line; only core notebooks have them."""
    nb = read(path)
    _, where = lt.lesson_of(nb)
    tagged = [lt.EXTENSION_TAG in c.metadata.get("tags", []) for c in nb.cells]
    if where != "core":
        assert not any(tagged), f"{path.name}: a whole extension notebook needs no extension cells"
        return
    for index, flag in enumerate(tagged):
        if flag and (index == 0 or not tagged[index - 1]):
            cell = nb.cells[index]
            assert cell.cell_type == "markdown" and "> **Extension**" in cell.source, (
                f"{path.name}, cell {index}: an extension part starts with a Markdown cell saying '> **Extension**'"
            )


@params
def test_core_notebooks_end_with_an_exit_ticket(path: Path) -> None:
    nb = read(path)
    if lt.lesson_of(nb)[1] != "core":
        return
    core_cells = [c for c in nb.cells if c.cell_type == "code" and lt.EXTENSION_TAG not in c.metadata.get("tags", [])]
    asked = [qid for c in core_cells for qid in lt.question_ids(c.source)]
    bank = {q["id"]: q for qs in quiz.load_questions().values() for q in qs}
    assert asked and bank[asked[-1]]["exit_ticket"], f"{path.name}: the last question on the core path is not an exit ticket"
    heading = [c for c in nb.cells if c.cell_type == "markdown" and re.search(r"^#+ .*exit ticket", c.source, re.I | re.M)]
    assert heading, f"{path.name}: the exit ticket needs a heading that names it"


def test_the_count_itself() -> None:
    """Markup is not read; a question and an open question take their minutes; a set-up cell is quick."""
    assert lt.words("## Hedges\n\nThe `at least` [link](https://example.org) <b>x</b>") == 6
    types = {"a": "multiple_choice", "b": "open"}
    code = {"cell_type": "code", "metadata": {}}
    assert lt.cell_minutes({**code, "source": 'quiz.question("00_start_here", "a", score=score)'}, types) == 1
    assert lt.cell_minutes({**code, "source": 'quiz.question("00_start_here", "b", score=score)'}, types) == 3
    assert lt.cell_minutes({**code, "source": "x = 1"}, types) == lt.SETUP_CELL_MINUTES
    assert lt.cell_minutes({**code, "source": "x"}, types) == lt.CODE_CELL_MINUTES
    assert lt.cell_minutes({**code, "source": "widgets.FiguresExplorer()"}, types) == lt.EXPLORER_MINUTES
    assert lt.cell_minutes({"cell_type": "markdown", "metadata": {}, "source": "word " * 150}, types) == 1
