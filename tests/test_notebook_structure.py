"""Every notebook follows the module's anatomy (issue 4) and stays safe to commit.

These tests read the .ipynb files without running them: the sections a
teacher and a student rely on are there and in order, the exercises use the
question widgets, nothing but checked cells carries outputs (so nbval compares
only what is meant to be compared and the diff of a notebook stays readable),
and the code cells use only the package's public API, with no helper code.
"""
from __future__ import annotations

import ast
import importlib
import re
import types
from pathlib import Path

import nbformat
import pytest

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"

EXPECTED = (
    "00_start_here",
    "01_the_article",
    "02_timeline",
    "03_figures",
    "04_voices",
    "05_diplomacy",
    "06_weighing_sources",
    "07_review",
    "08_what_happened_next",
    "09_lateral_reading",
)
LAST = EXPECTED[-1]
CHECK_TAG = "nbval-check-output"  # nbval reads the tag, so no marker comment sits in student code
PACKAGE = "aleppo2016"

NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def markdown_headings(nb: nbformat.NotebookNode) -> list[tuple[int, str, int]]:
    """(level, text, cell index) for every Markdown heading, skipping fenced code."""
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        fenced = False
        for line in cell.source.splitlines():
            if line.lstrip().startswith("```"):
                fenced = not fenced
                continue
            match = re.match(r"^(#{1,6})\s+(.*?)\s*#*\s*$", line)
            if match and not fenced:
                found.append((len(match.group(1)), match.group(2), index))
    return found


def code_source(cell: nbformat.NotebookNode) -> str:
    """A code cell's Python, with IPython magics and shell lines blanked out."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in cell.source.splitlines())


def code_trees(nb: nbformat.NotebookNode) -> list[ast.Module]:
    return [ast.parse(code_source(cell)) for cell in nb.cells if cell.cell_type == "code"]


def is_checked(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "code" and CHECK_TAG in cell.metadata.get("tags", [])


def first_heading_index(headings: list[tuple[int, str, int]], pattern: str, level: int | None = None) -> int | None:
    """Position in `headings` of the first heading matching `pattern` (case-insensitive)."""
    for position, (lvl, text, _cell) in enumerate(headings):
        if re.search(pattern, text, re.IGNORECASE) and (level is None or lvl == level):
            return position
    return None


params = pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])


def test_the_nine_notebooks_exist() -> None:
    found = {p.stem for p in NOTEBOOKS}
    missing = [name for name in EXPECTED if name not in found]
    unexpected = sorted(found - set(EXPECTED))
    assert not missing, f"notebooks missing from notebooks/: {missing}"
    assert not unexpected, f"notebooks not in the planned sequence {EXPECTED}: {unexpected}"


@params
def test_is_valid_nbformat_with_python3_kernel(path: Path) -> None:
    nb = read(path)
    nbformat.validate(nb)
    spec = nb.metadata.get("kernelspec", {})
    assert spec.get("name") == "python3", f"{path.name}: kernelspec name is {spec.get('name')!r}, not 'python3'"
    assert spec.get("language") == "python"


@params
def test_one_h1_title_in_the_first_cell(path: Path) -> None:
    nb = read(path)
    assert nb.cells and nb.cells[0].cell_type == "markdown", f"{path.name}: the first cell must be Markdown"
    h1 = [(text, cell) for level, text, cell in markdown_headings(nb) if level == 1]
    assert len(h1) == 1, f"{path.name}: expected exactly one '# Title', found {[t for t, _ in h1]}"
    assert h1[0][1] == 0, f"{path.name}: the '# Title' must be in the first cell"


@params
def test_headings_do_not_skip_levels(path: Path) -> None:
    """Screen-reader users navigate by headings; a jump from ## to #### loses them."""
    previous = 1
    for level, text, _cell in markdown_headings(read(path)):
        assert level <= previous + 1, f"{path.name}: heading {text!r} jumps from level {previous} to {level}"
        previous = level


@params
def test_opening_and_closing_sections_in_order(path: Path) -> None:
    nb = read(path)
    headings = markdown_headings(nb)
    everything = "\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")
    wanted = [
        ("Overview", r"^overview$", 2),
        ("Prerequisites", r"^prerequisites$", 2),
        ("Imports", r"^imports$", 2),
        ("Summary", r"^summary$", 2),
        ("a reflection (### Reflect)", r"^reflect", 3),
        ("What's next?", r"^what.s next", 3),
        ("Resources and references", r"^resources", 2),
    ]
    positions = []
    for label, pattern, level in wanted:
        position = first_heading_index(headings, pattern, level)
        if position is None and label == "What's next?" and path.stem == LAST:
            continue  # the last notebook may end the sequence without one
        assert position is not None, f"{path.name}: no {'#' * level} {label} heading"
        positions.append((position, label))
    assert positions == sorted(positions), f"{path.name}: sections out of order: {[label for _, label in positions]}"
    assert re.search(r"\*\*Learning objectives[.:]?\*\*|^#+ Learning objectives", everything, re.I | re.M), (
        f"{path.name}: the Overview needs **Learning objectives**"
    )
    time_to_learn = re.search(r"\*\*Time to learn\*\*:\s*about\s*(\d+)\s*minutes", everything, re.I)
    assert time_to_learn, f"{path.name}: the Prerequisites need '**Time to learn**: about N minutes' (tests/test_lesson_time.py checks N)"
    assert re.search(r"\|\s*Concepts\s*\|\s*Importance\s*\|\s*Notes\s*\|", everything), (
        f"{path.name}: the Prerequisites need a table 'Concepts | Importance | Notes'"
    )


def quiz_calls(nb: nbformat.NotebookNode) -> list[ast.Call]:
    """Calls of quiz.question(...) / quiz.questions(...), however quiz was imported."""
    calls = []
    for tree in code_trees(nb):
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr in ("question", "questions"):
                    owner = node.func.value
                    name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
                    if name == "quiz":
                        calls.append(node)
    return calls


@params
def test_has_at_least_two_exercises(path: Path) -> None:
    calls = quiz_calls(read(path))
    assert len(calls) >= 2, f"{path.name}: has {len(calls)} calls to quiz.question/quiz.questions; needs at least 2"


@params
def test_exercises_use_this_notebooks_questions(path: Path) -> None:
    """quiz.question("02_timeline", ...) in 02_timeline: a copied cell must not show another notebook's set."""
    for call in quiz_calls(read(path)):
        if call.args and isinstance(call.args[0], ast.Constant) and path.stem != "07_review":
            assert call.args[0].value == path.stem, (
                f"{path.name}: quiz.{call.func.attr}({call.args[0].value!r}, ...) uses another notebook's questions"
            )


@params
def test_questions_share_a_running_score_that_is_shown(path: Path) -> None:
    """Every single question counts towards one score, and a '## Your score' section shows it."""
    nb = read(path)
    singles = [c for c in quiz_calls(nb) if c.func.attr == "question"]
    for call in singles:
        assert any(k.arg == "score" for k in call.keywords), (
            f"{path.name}: quiz.question({', '.join(ast.unparse(a) for a in call.args)}) does not pass score="
        )
    at = next((i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.startswith("## Your score")), None)
    assert at is not None, f"{path.name}: no '## Your score' section"
    shown = nb.cells[at + 1]
    assert shown.cell_type == "code" and shown.source.strip().endswith("score"), f"{path.name}: the score is not shown"


@params
def test_only_checked_cells_carry_outputs(path: Path) -> None:
    nb = read(path)
    checked = [cell for cell in nb.cells if is_checked(cell)]
    assert checked, f"{path.name}: needs at least one code cell tagged {CHECK_TAG!r}"
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        if is_checked(cell):
            assert cell.outputs, f"{path.name}, cell {index}: a checked cell must store the output nbval compares"
            assert cell.execution_count is not None, f"{path.name}, cell {index}: a checked cell must have been run"
            for output in cell.outputs:
                assert output.output_type != "error", f"{path.name}, cell {index}: the stored output is an error"
        else:
            assert not cell.outputs, f"{path.name}, cell {index}: clear its outputs before committing"
            assert cell.execution_count is None, f"{path.name}, cell {index}: clear its execution count"


@params
def test_solution_cells_are_markdown(path: Path) -> None:
    """A student edition drops the cells tagged `solution`; they must hold prose, not code that later cells need."""
    nb = read(path)
    for index, cell in enumerate(nb.cells):
        if "solution" in cell.metadata.get("tags", []):
            assert cell.cell_type == "markdown", f"{path.name}, cell {index}: a solution cell must be Markdown"


@params
def test_no_helper_code_in_notebooks(path: Path) -> None:
    for tree in code_trees(read(path)):
        for node in ast.walk(tree):
            assert not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)), (
                f"{path.name}: defines {node.name!r}; helper code belongs in the package, not in a notebook"
            )


def package_names(tree: ast.Module) -> dict[str, str]:
    """Local names bound to the package or its modules/attributes: {local name: dotted path}."""
    bound: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == PACKAGE or alias.name.startswith(PACKAGE + "."):
                    if alias.asname:
                        bound[alias.asname] = alias.name
                    else:
                        bound[PACKAGE] = PACKAGE
        elif isinstance(node, ast.ImportFrom) and node.module and (node.module + ".").startswith(PACKAGE + "."):
            for alias in node.names:
                bound[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return bound


def resolve(dotted: str) -> object:
    """Import 'aleppo2016.quiz.question' step by step, failing on private or missing names."""
    parts = dotted.split(".")
    obj: object = importlib.import_module(parts[0])
    for n, part in enumerate(parts[1:], 1):
        assert not part.startswith("_"), f"{dotted}: {part!r} is private; notebooks use only the public API"
        if not hasattr(obj, part) and isinstance(obj, types.ModuleType):
            try:  # a submodule that `from aleppo2016 import show` imports
                importlib.import_module(".".join(parts[: n + 1]))
            except ModuleNotFoundError:
                pass
        assert hasattr(obj, part), f"{dotted}: {part!r} does not exist in the package"
        obj = getattr(obj, part)
    return obj


def attribute_chain(node: ast.Attribute) -> tuple[str, list[str]] | None:
    names = []
    current: ast.expr = node
    while isinstance(current, ast.Attribute):
        names.append(current.attr)
        current = current.value
    if isinstance(current, ast.Name):
        return current.id, list(reversed(names))
    return None


@params
def test_uses_only_the_public_api(path: Path) -> None:
    nb = read(path)
    bound: dict[str, str] = {}
    for tree in code_trees(nb):
        bound.update(package_names(tree))
    for target in sorted(set(bound.values())):
        resolve(target)
    for tree in code_trees(nb):
        for node in ast.walk(tree):
            if not isinstance(node, ast.Attribute) or not isinstance(node.ctx, ast.Load):
                continue
            chain = attribute_chain(node)
            if chain is None or chain[0] not in bound:
                continue
            obj = resolve(bound[chain[0]])
            for part in chain[1]:
                # Follow modules and classes; what a call returns is no longer the package's namespace.
                if not isinstance(obj, (types.ModuleType, type)):
                    break
                assert not part.startswith("_"), f"{path.name}: uses private {chain[0]}.{'.'.join(chain[1])}"
                assert hasattr(obj, part), f"{path.name}: {chain[0]}.{'.'.join(chain[1])} does not exist"
                obj = getattr(obj, part)


@params
def test_no_nbval_comments_in_student_code(path: Path) -> None:
    """Students read every line of a code cell: test markers go in cell tags, which nbval also reads."""
    for index, cell in enumerate(read(path).cells):
        if cell.cell_type == "code":
            assert "NBVAL" not in cell.source, f"{path.name}, cell {index}: use the tag {CHECK_TAG!r}, not a comment"


@params
def test_hand_in_heading_before_the_summary(path: Path) -> None:
    """The classroom's "Save my work" cell goes under this heading, just before the Summary."""
    headings = [text for level, text, _ in markdown_headings(read(path)) if level == 2]
    assert "Hand in your work" in headings, f"{path.name}: no '## Hand in your work' heading"
    assert headings[headings.index("Hand in your work") + 1] == "Summary", f"{path.name}: 'Hand in your work' must come just before the Summary"


@params
def test_every_code_cell_is_one_readable_idea(path: Path) -> None:
    """No loop, lambda or format code a beginner cannot read; `&` and `isin` only when the Markdown above explains them."""
    nb = read(path)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        tree = ast.parse(code_source(cell))
        above = next((c.source for c in reversed(nb.cells[:index]) if c.cell_type == "markdown"), "")
        for node in ast.walk(tree):
            assert not isinstance(node, (ast.For, ast.While, ast.Lambda, ast.ListComp, ast.DictComp)), (
                f"{path.name}, cell {index}: a loop or comprehension; use one package call instead"
            )
            assert not (isinstance(node, ast.FormattedValue) and node.format_spec), (
                f"{path.name}, cell {index}: format codes such as :<24 are not explained to students"
            )
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitAnd):
                assert "`&`" in above, f"{path.name}, cell {index}: explain `&` in the Markdown above"
            if isinstance(node, ast.Attribute) and node.attr == "isin":
                assert "`isin`" in above, f"{path.name}, cell {index}: explain `isin` in the Markdown above"


@params
def test_no_chart_description_is_printed(path: Path) -> None:
    """charts.show(ax) puts the chart's description under it ("The chart in words"); printed, it wraps mid-word."""
    for index, cell in enumerate(read(path).cells):
        if cell.cell_type == "code":
            assert not re.search(r"\bprint\(\s*(charts|maps)\.describe\(", cell.source), (
                f"{path.name}, cell {index}: show the chart with charts.show(ax) (or maps.show), which ties its "
                "description under it, instead of printing the description"
            )


@params
def test_save_my_work_cell_names_its_notebook(path: Path) -> None:
    """Under "Hand in your work" and before the Summary, one cell makes the Save my work box for this very notebook."""
    nb = read(path)
    heading = {text: cell for level, text, cell in markdown_headings(nb) if level == 2}
    assert "Hand in your work" in heading and "Summary" in heading, f"{path.name}: needs both headings"
    saves = [
        index for index, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and "save_button(" in cell.source
    ]
    assert len(saves) == 1, f"{path.name}: needs exactly one Save my work cell, found {len(saves)}"
    index = saves[0]
    assert heading["Hand in your work"] < index < heading["Summary"], (
        f"{path.name}: the Save my work cell must sit under 'Hand in your work', before the Summary"
    )
    tree = ast.parse(code_source(nb.cells[index]))
    calls = [
        node for node in ast.walk(tree)
        if isinstance(node, ast.Call) and attribute_chain(node.func) == ("handin", ["save_button"])
    ]
    assert len(calls) == 1 and package_names(tree).get("handin") == f"{PACKAGE}.handin", (
        f"{path.name}: the cell should import handin from {PACKAGE} and call handin.save_button(...)"
    )
    named = [arg.value for arg in calls[0].args if isinstance(arg, ast.Constant)]
    assert named == [path.stem], f"{path.name}: save_button() should name this notebook, {path.stem!r}; it names {named}"
