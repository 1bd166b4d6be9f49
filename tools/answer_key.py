#!/usr/bin/env python3
"""Write the teacher's answer key, docs/answer_key.md, from the questions and the notebooks.

    python tools/answer_key.py            # (re)write docs/answer_key.md
    python tools/answer_key.py --check    # exit 1 if docs/answer_key.md is out of date

The key is generated, never edited by hand, so that it cannot drift from
``questions.json`` (read through :func:`aleppo2016.quiz.load_questions`, the
same checked loader the notebooks use) or from the model answers in the
notebooks' cells tagged ``solution`` (read with nbformat). For every question
it gives the prompt, the answer lines its question type writes (the right
answer(s), the accepted numeric range or the correct order, every choice's
feedback; an open question's model answer and levelled rubric), the skill it
practises, whether it is an exit ticket, the hint and the excerpt; it also
says which notebooks show the question, so a spare question is easy to spot.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import nbformat

from aleppo2016 import quiz
from aleppo2016.delivery import SOLUTION_TAG
from aleppo2016.qtypes import md_text as _text

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
OUT = ROOT / "docs" / "answer_key.md"
COMMAND = "python tools/answer_key.py"

# quiz.question("02_timeline", "friday_date", ...) and quiz.questions("07_review")
_ONE = re.compile(r"""quiz\.question\(\s*["'](\w+)["']\s*,\s*["'](\w+)["']""")
_ALL = re.compile(r"""quiz\.questions\(\s*["'](\w+)["']""")
_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
_NB_LINK = re.compile(r"\]\((?!https?:|#|/|\.\./)([\w-]+\.ipynb)\)")


# --------------------------------------------------------------------------
# Reading the notebooks
# --------------------------------------------------------------------------

def read_notebooks(folder: Path) -> dict[str, nbformat.NotebookNode]:
    """Every notebook in `folder`, by name without .ipynb, in order."""
    return {p.stem: nbformat.read(p, as_version=4) for p in sorted(Path(folder).glob("*.ipynb"))}


def _tags(cell: Mapping[str, Any]) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def title_of(notebook: nbformat.NotebookNode) -> str:
    """The notebook's H1 title (its first '# ' line), or '' if it has none."""
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def where_shown(notebooks: Mapping[str, nbformat.NotebookNode], questions: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, list[str]]:
    """For each question id, the notebooks whose code cells show it (a question can be reused elsewhere)."""
    shown: dict[str, list[str]] = {}
    for name, nb in notebooks.items():
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            ids = [qid for _, qid in _ONE.findall(cell.source)]
            for group in _ALL.findall(cell.source):
                ids += [q["id"] for q in questions.get(group, [])]
            for qid in ids:
                if name not in shown.setdefault(qid, []):
                    shown[qid].append(name)
    return shown


def _for_docs(markdown: str) -> str:
    """Notebook Markdown fit to sit inside the key: headings made bold, links to notebooks pointed at ../notebooks/."""
    lines = []
    for line in markdown.strip().splitlines():
        heading = _HEADING.match(line)
        lines.append(f"**{heading.group(1).strip()}**" if heading else line)
    return _NB_LINK.sub(r"](../notebooks/\1)", "\n".join(lines))


def _task_for(cells: Sequence[nbformat.NotebookNode], index: int) -> str:
    """The exercise a solution cell answers: the nearest Markdown cell above it with a heading or 'Open question'.

    Only the part from its last heading on is kept (e.g. '### Exercise 2: ...'
    and its text, not the '## Exercises' above it).
    """
    for cell in reversed(cells[:index]):
        if cell.cell_type != "markdown" or SOLUTION_TAG in _tags(cell):
            continue
        lines = cell.source.strip().splitlines()
        starts = [n for n, line in enumerate(lines) if _HEADING.match(line)]
        if starts:
            return "\n".join(lines[starts[-1]:])
        if "Open question" in cell.source:
            return cell.source.strip()
    return ""


def solutions(notebook: nbformat.NotebookNode) -> list[tuple[str, str]]:
    """(exercise, model answer) for each cell tagged `solution`, in notebook order."""
    return [
        (_task_for(notebook.cells, n), cell.source.strip())
        for n, cell in enumerate(notebook.cells)
        if SOLUTION_TAG in _tags(cell)
    ]


# --------------------------------------------------------------------------
# Writing one question: the question's type writes its answer lines
# --------------------------------------------------------------------------

def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _excerpt(excerpt: Mapping[str, Any] | None, label: str = "Excerpt") -> list[str]:
    if not excerpt:
        return []
    source = f" (from the `{excerpt['table']}` record `{excerpt['id']}`)" if excerpt.get("table") else ""
    return [f"{label}{source}:", "", f"> “{_text(excerpt['text'])}”", ""]


def question_section(q: Mapping[str, Any], shown: Sequence[str]) -> list[str]:
    """The key's entry for one question (an unknown type is an error, never guessed)."""
    qtype = quiz.question_type(q["type"])
    title = f": {_text(q['title'])}" if q["title"] else ""
    if shown:
        where = "Shown in " + ", ".join(f"`{name}`" for name in shown)
    else:
        where = (
            "Not shown in any notebook (a spare question: add "
            f"`quiz.question(\"{q['notebook']}\", \"{q['id']}\")` to a cell to use it)"
        )
    skill = f" Skill: {q['skill']}." if q.get("skill") else ""
    ticket = " **Exit ticket.**" if q.get("exit_ticket") else ""
    lines = [f"### `{q['id']}`{title}", "", f"*{qtype.title}.{skill}{ticket} {where}.*", "", f"**Prompt:** {_text(q['prompt'])}", ""]
    lines += qtype.answer_key_lines(q)
    if q["hint"]:
        lines += [f"**Hint shown to students:** {_text(q['hint'])}", ""]
    return lines + _excerpt(q["excerpt"])


# --------------------------------------------------------------------------
# The whole key
# --------------------------------------------------------------------------

HEADER = f"""# Answer key

<!-- Generated by tools/answer_key.py from src/aleppo2016/data/questions.json and the
     notebooks' cells tagged "solution". Do not edit by hand: edit those, then run
     `{COMMAND}`. tests/test_answer_key.py fails while this file is out of date. -->

**For teachers only: do not hand this file to students.** It holds the answer to
every question in the notebooks, and for each open question a model answer and
a rubric with three levels (beginning, emerging, mastery), each with an example
answer. Students never see a model answer: the notebooks give them an empty box
to write in, and this key lives in `docs/`, not in `notebooks/`. Each question
also names the skill it practises; an exit ticket is marked as such.
How to use it with a class: see the [teacher guide](teacher_guide.md).

The widgets already give this feedback to students after each attempt; the key
lets you see it all at once, before the lesson. The model answers are examples,
not the only good answers.
"""


def render(
    questions: Mapping[str, Sequence[Mapping[str, Any]]],
    notebooks: Mapping[str, nbformat.NotebookNode],
) -> str:
    """The answer key as Markdown: one section per notebook, questions then model answers."""
    shown = where_shown(notebooks, questions)
    names = sorted(set(questions) | set(notebooks))
    out = [HEADER, "## Contents", ""]
    for name in names:
        counts = [_count(len(questions.get(name, [])), "question")]
        if name in notebooks:
            # Model answers live in the open questions (model_answer); solution cells, if a notebook has any, add to them.
            written = sum(1 for q in questions.get(name, []) if q.get("model_answer"))
            counts.append(_count(written + len(solutions(notebooks[name])), "model answer"))
        out.append(f"- [{name}](#{name}) ({', '.join(counts)})")
    out.append("")
    for name in names:
        nb = notebooks.get(name)
        title = title_of(nb) if nb is not None else ""
        # A heading of just the name keeps the contents' anchors simple and stable.
        out += [f"## {name}", ""]
        if nb is not None:
            out += [f"[`notebooks/{name}.ipynb`](../notebooks/{name}.ipynb)" + (f": *{_text(title)}*" if title else ""), ""]
        if questions.get(name):
            for q in questions[name]:
                out += question_section(q, shown.get(q["id"], []))
        if nb is not None:
            model = solutions(nb)
            if model:
                out += ["### Model answers to the open questions", ""]
                for n, (task, answer) in enumerate(model, 1):
                    out += [f"#### Open question {n}", ""]
                    if task:
                        out += ["> " + line if line else ">" for line in _for_docs(task).splitlines()]
                        out.append("")
                    out += [_for_docs(answer), ""]
    return "\n".join(out).rstrip() + "\n"


def build(notebooks_dir: Path = NOTEBOOKS) -> str:
    """The key for the package's questions and a folder of notebooks."""
    return render(quiz.load_questions(), read_notebooks(notebooks_dir))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="do not write; exit 1 if the key is out of date")
    parser.add_argument("--out", type=Path, default=OUT, help="the file to write or check (default: docs/answer_key.md)")
    parser.add_argument("--notebooks", type=Path, default=NOTEBOOKS, help="the notebooks folder (default: notebooks/)")
    args = parser.parse_args(argv)
    key = build(args.notebooks)
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.is_file() else None
        if current != key:
            print(
                f"{args.out} is out of date with the questions or the notebooks' model answers. "
                f"Run `{COMMAND}` and commit the file.",
                file=sys.stderr,
            )
            return 1
        print(f"{args.out} is up to date.")
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(key, encoding="utf-8")
    print(f"Wrote {args.out}: {key.count(chr(10) + '### `')} questions.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
