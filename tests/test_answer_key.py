"""The teacher's answer key (docs/answer_key.md) is generated and must match the questions and notebooks now."""
from __future__ import annotations

import copy
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

import aleppo2016
from aleppo2016 import quiz
from aleppo2016.delivery import read_notebook, student_edition

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tools" / "answer_key.py"
KEY = ROOT / "docs" / "answer_key.md"


def load_tool():
    """The tool as a module, to call its functions without starting Python again."""
    spec = importlib.util.spec_from_file_location("answer_key_tool", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tool():
    return load_tool()


@pytest.fixture(scope="module")
def generated(tool) -> str:
    return tool.build()


def test_committed_key_matches_the_questions_and_notebooks(generated: str) -> None:
    committed = KEY.read_text(encoding="utf-8") if KEY.is_file() else ""
    assert committed == generated, (
        "docs/answer_key.md is out of date with src/aleppo2016/data/questions.json or the notebooks' "
        "solution cells: run `python tools/answer_key.py` and commit docs/answer_key.md"
    )


def test_every_question_and_notebook_has_its_entry(generated: str) -> None:
    questions = quiz.load_questions()
    for notebook, items in questions.items():
        assert f"\n## {notebook}\n" in generated
        for q in items:
            assert f"\n### `{q['id']}`" in generated, f"question {q['id']} is missing from the key"
            assert generated.count(f"\n### `{q['id']}`") == 1
    assert generated.count("\n### `") == sum(len(items) for items in questions.values())


def test_answers_are_the_ones_the_quiz_accepts(generated: str, tool) -> None:
    """Each entry holds the lines its question type writes, and the type judges its right answer right."""
    for items in quiz.load_questions().values():
        for q in items:
            qtype = quiz.question_type(q["type"])
            start = generated.index(f"\n### `{q['id']}`")
            entry = generated[start : generated.find("\n### ", start + 1)]
            lines = [line for line in qtype.answer_key_lines(q) if line]
            assert lines and all(line in entry for line in lines), q["id"]
            assert f"*{qtype.title}." in entry
            correct, _ = qtype.judge(q, qtype.right_answer(q))
            assert correct is (True if qtype.scored else None), q["id"]
            if q["excerpt"]:
                assert tool._text(q["excerpt"]["text"]) in entry


def test_choice_entries_mark_each_choice_right_or_wrong_with_its_feedback(generated: str, tool) -> None:
    for q in (q for items in quiz.load_questions().values() for q in items if "choices" in q):
        start = generated.index(f"\n### `{q['id']}`")
        entry = generated[start : generated.find("\n### ", start + 1)]
        right = quiz.question_type(q["type"]).right_answer(q)
        assert all(tool._text(text) in entry for text in ([right] if isinstance(right, str) else right))
        for c in q["choices"]:
            assert tool._text(c["feedback"]) in entry


def test_unknown_type_is_an_error_not_an_ordering(tool) -> None:
    q = copy.deepcopy(quiz.load_questions()["02_timeline"][0])
    q["type"] = "ordring"
    with pytest.raises(LookupError, match="Did you mean 'ordering'"):
        tool.question_section(q, [])


def test_an_open_question_shows_its_model_answer_only_in_the_key(tool) -> None:
    q = {"id": "explain", "type": "open", "notebook": "07_review", "title": "", "hint": "", "excerpt": None,
         "prompt": "Explain <it>.", "model_answer": "A model answer.\nWith a <b>second</b> line."}
    section = "\n".join(tool.question_section(q, ["07_review"]))
    assert "*Open question (written answer). Shown in `07_review`.*" in section
    assert "> A model answer.\n> With a &lt;b&gt;second&lt;/b&gt; line." in section  # data text, never markup
    assert "Explain &lt;it&gt;." in section


def test_ordering_items_show_the_article_words_and_worked_out_date(generated: str) -> None:
    entry = generated[generated.index("\n### `order_events`") :]
    assert "5. Ammar al-Selmo speaks to TIME by phone (the article: “on Friday”; worked out: 23 Sep 2016)" in entry
    assert aleppo2016.event("selmo_interview")["date"].day == 23


def test_every_model_answer_is_in_the_key_and_none_in_the_student_edition(generated: str, tool) -> None:
    """A model answer lives once, in questions.json: the key shows it, no notebook cell repeats it."""
    notebooks = tool.read_notebooks(tool.NOTEBOOKS)
    assert not [name for name, nb in notebooks.items() if tool.solutions(nb)], "model answers belong in open questions"
    opens = [q for qs in quiz.load_questions().values() for q in qs if q["type"] == "open"]
    assert {q["notebook"] for q in opens} == set(notebooks), "every notebook has a place to write"
    student_text = "".join(
        cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        for path in sorted(tool.NOTEBOOKS.glob("*.ipynb"))
        for cell in student_edition(read_notebook(path))["cells"]
    )
    for q in opens:
        first_line = q["model_answer"].splitlines()[0]
        assert f"> {tool._text(first_line)}" in generated, q["id"]
        assert first_line not in student_text, q["id"]
    assert "do not hand this file to students" in generated


def test_every_open_question_has_a_levelled_rubric_in_the_key(generated: str, tool) -> None:
    for q in (q for qs in quiz.load_questions().values() for q in qs if q["type"] == "open"):
        assert q["rubric"], f"{q['id']}: an open question needs a rubric"
        entry = generated[generated.index(f"\n### `{q['id']}`"):]
        entry = entry[: entry.find("\n### ", 1)]
        assert "| Level | What the answer does | Example answer |" in entry, q["id"]
        for level in ("beginning", "emerging", "mastery"):
            row = next(line for line in entry.splitlines() if line.startswith(f"| {level.capitalize()} |"))
            assert tool._text(q["rubric"][level]["example"]) in row, (q["id"], level)


def test_exit_tickets_and_skills_show_in_the_key(generated: str) -> None:
    entry = generated[generated.index("\n### `headline_hedge`"):]
    assert "Skill: analyse. **Exit ticket.** Shown in `03_figures`." in entry.split("\n\n", 2)[1]


def test_a_spare_question_is_flagged_and_a_reused_one_lists_both_notebooks(generated: str) -> None:
    spare = generated[generated.index("\n### `nearly_meaning`") :]
    assert spare.split("\n\n", 2)[1].startswith("*Multiple choice (one answer). Skill: understand. Not shown in any notebook")
    reused = generated[generated.index("\n### `log_steps`") :]
    assert "Shown in `03_figures`, `07_review`." in reused.split("\n\n", 2)[1]


def test_editing_a_question_changes_the_key(tool) -> None:
    """So the committed-key test does fail when questions.json changes without regenerating."""
    questions = quiz.load_questions()
    notebooks = tool.read_notebooks(tool.NOTEBOOKS)
    before = tool.render(questions, notebooks)
    edited = copy.deepcopy(questions)
    q = edited["02_timeline"][1]
    assert q["type"] == "numeric"
    q["prompt"] = "A teacher's new prompt <b>with markup</b>"
    q["tolerance"] = 1
    after = tool.render(edited, notebooks)
    assert after != before
    assert "A teacher's new prompt &lt;b&gt;with markup&lt;/b&gt;" in after and "<b>" not in after
    assert f"(accepted: any number from {q['answer'] - 1} to {q['answer'] + 1})" in after


def test_check_mode_names_the_command_to_run(tmp_path: Path) -> None:
    stale = tmp_path / "answer_key.md"
    stale.write_text(KEY.read_text(encoding="utf-8").replace("Answer key", "Old answer key", 1), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--check", "--out", str(stale)], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 1
    assert "out of date" in run.stderr and "python tools/answer_key.py" in run.stderr
    fresh = tmp_path / "fresh.md"
    assert subprocess.run([sys.executable, str(SCRIPT), "--out", str(fresh)], capture_output=True, timeout=120).returncode == 0
    ok = subprocess.run([sys.executable, str(SCRIPT), "--check", "--out", str(fresh)], capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert fresh.read_text(encoding="utf-8") == KEY.read_text(encoding="utf-8")
