"""The question widgets and the questions file.

Widgets are driven from Python, as a student would drive them: set a value,
click Check (``button.click()``), read the feedback and the score.
"""
from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path
from typing import Any

import importlib.util
import pytest

import aleppo2016
from aleppo2016 import qtypes, quiz
from aleppo2016.data import DATA_DIR
from aleppo2016.errors import DataError, UnknownNameError
from notebook_sandbox import answer_right

ROOT = Path(__file__).resolve().parents[1]
_SPEC = importlib.util.spec_from_file_location("register_excerpts", ROOT / "tools" / "register_excerpts.py")
REG = importlib.util.module_from_spec(_SPEC)  # the excerpt register's own rules, not written twice
_SPEC.loader.exec_module(REG)
REGISTER = json.loads(REG.REGISTER.read_text(encoding="utf-8"))

REAL = json.loads((DATA_DIR / quiz.QUESTIONS_FILE).read_text(encoding="utf-8"))


# --------------------------------------------------------------------------
# Helpers: a copy of the data folder with a questions file we choose
# --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def data_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("data")
    for f in DATA_DIR.iterdir():
        if f.is_file():
            shutil.copy(f, folder / f.name)
    return folder


def write(folder: Path, content: Any) -> Path:
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False, indent=2)
    (folder / quiz.QUESTIONS_FILE).write_text(text, encoding="utf-8")
    return folder


def spec_of(folder: Path, question: dict[str, Any]) -> dict[str, Any]:
    """One question checked exactly as the real file would be."""
    write(folder, {"09_test": [question]})
    return quiz.load_questions(folder)["09_test"][0]


MC = {
    "id": "test_mc",
    "type": "multiple_choice",
    "prompt": "Which is right?",
    "choices": [
        {"text": "Right one", "correct": True, "feedback": "Because the article says so."},
        {"text": "Wrong one", "correct": False, "feedback": "The article says something else."},
    ],
    "excerpt": {"table": "figures", "id": "rescued"},
    "hint": "Read the first paragraph.",
}
MS = {
    "id": "test_ms",
    "type": "multiple_select",
    "prompt": "Tick the right ones.",
    "choices": [
        {"text": "A", "correct": True, "feedback": "A is in the text."},
        {"text": "B", "correct": True, "feedback": "B is in the text."},
        {"text": "C", "correct": False, "feedback": "C is not in the text."},
    ],
    "excerpt": "The group claims to have rescued",
}
NUM = {
    "id": "test_num",
    "type": "numeric",
    "prompt": "How many?",
    "answer": 100,
    "tolerance": 5,
    "unit": "people",
    "feedback": {"correct": "Yes, about 100.", "too_low": "More than that.", "too_high": "Fewer than that."},
    "excerpt": {"table": "figures", "id": "convoy_killed"},
}
ORD = {
    "id": "test_ord",
    "type": "ordering",
    "prompt": "Order them.",
    "items": ["ceasefire_begins", "convoy_attack", "security_council_meeting"],
    "feedback": {"correct": "That is the order.", "incorrect": "Use the dates."},
    "excerpt": {"table": "events", "id": "ceasefire_begins"},
}
TF = {
    "id": "test_tf",
    "type": "true_false",
    "prompt": "True or false? The group gives its own figure for the people it rescued.",
    "answer": True,
    "feedback": {"correct": "Yes: “The group claims”.", "incorrect": "Read who “claims” the figure."},
    "excerpt": {"table": "figures", "id": "rescued"},
}
OPEN = {
    "id": "test_open",
    "type": "open",
    "prompt": "Explain the article to a friend in three sentences.",
    "model_answer": "TIME reports that ...",
}
SPECS = {"multiple_choice": MC, "multiple_select": MS, "numeric": NUM, "ordering": ORD, "true_false": TF, "open": OPEN}


# --------------------------------------------------------------------------
# The real questions file
# --------------------------------------------------------------------------

def test_real_file_loads_with_enough_questions_per_notebook() -> None:
    counts = quiz.check_questions()
    for nb in ("01_the_article", "02_timeline", "03_figures", "04_voices", "05_diplomacy", "06_weighing_sources"):
        assert counts[nb] >= 3, nb
    assert 8 <= counts["07_review"] <= 10
    assert quiz.notebooks() == sorted(counts)
    assert counts["02_timeline"] <= 10


def test_every_question_type_has_a_test_question_and_the_file_uses_only_known_types() -> None:
    assert set(SPECS) == set(quiz.QUESTION_TYPES) == set(qtypes.TYPES)  # a new type gets a spec below
    types = {q["type"] for qs in quiz.load_questions().values() for q in qs}
    assert types <= set(quiz.QUESTION_TYPES)
    assert types == set(quiz.QUESTION_TYPES)  # every type is used by some question


def test_issue_exercises_are_there() -> None:
    questions = quiz.load_questions()
    friday = next(q for q in questions["02_timeline"] if q["id"] == "friday_date")
    right = [c["text"] for c in friday["choices"] if c["correct"]]
    assert right == ["Friday 23 September 2016"]
    assert any(q["type"] == "ordering" for q in questions["02_timeline"])
    assert any(q["type"] == "multiple_select" for q in questions["03_figures"])
    texts = json.dumps(questions["06_weighing_sources"], ensure_ascii=False)
    assert "own_number_question" in texts  # spot-the-typo gave way to a question on a source (issue 12)
    assert "Photos and video footage corroborated those witness accounts." in texts


def _all_excerpts() -> list[tuple[str, str]]:
    found = []
    for qs in quiz.load_questions().values():
        for q in qs:
            if q["excerpt"]:  # an open question may have none
                found.append((q["id"], q["excerpt"]["text"]))
            found += [(q["id"], c["excerpt"]["text"]) for c in q.get("choices", []) if c["excerpt"]]
    return found


@pytest.mark.parametrize("qid, text", _all_excerpts(), ids=[q for q, _ in _all_excerpts()])
def test_every_excerpt_is_verbatim_article_text(qid: str, text: str) -> None:
    # Checked against tests/excerpt_register.json (hashes of the excerpts that
    # tools/register_excerpts.py found verbatim in the article), so CI needs no
    # copy of the article: curly quotes and slips must be the article's own.
    assert len(text.split()) >= 3
    assert REG.digest(text) in REGISTER["excerpts"], (
        f"{qid}: {text!r} is not in the excerpt register; run tools/register_excerpts.py"
    )


def test_load_returns_copies() -> None:
    first = quiz.load_questions()
    first["02_timeline"][0]["prompt"] = "changed"
    first["02_timeline"].clear()
    assert quiz.load_questions()["02_timeline"][0]["prompt"] != "changed"


def test_every_real_question_builds_and_can_be_answered_right() -> None:
    for nb in quiz.notebooks():
        z = quiz.questions(nb)
        for q in z.questions:
            answer_right(quiz, q)
            q.check_button.click()
            assert q.correct is (True if q.scored else None), (nb, q.id, q.feedback_text)  # open: not judged
        assert z.score.correct == z.score.first_try == sum(q.scored for q in z.questions)


# --------------------------------------------------------------------------
# Broken copies of the file: each problem is named
# --------------------------------------------------------------------------

def _broken(mutate) -> dict[str, Any]:
    content = copy.deepcopy(REAL)
    mutate(content)
    return content


def _q(content: dict[str, Any], nb: str, qid: str) -> dict[str, Any]:
    return next(q for q in content[nb] if q["id"] == qid)


BROKEN = [
    ("unknown type", lambda c: _q(c, "02_timeline", "friday_date").update(type="multiple_choise"),
     ["friday_date", "not a question type", "Did you mean 'multiple_choice'"]),
    ("no correct answer", lambda c: [ch.update(correct=False) for ch in _q(c, "02_timeline", "friday_date")["choices"]],
     ["friday_date", "none is"]),
    ("two correct answers", lambda c: [ch.update(correct=True) for ch in _q(c, "02_timeline", "friday_date")["choices"]],
     ["friday_date", "exactly one correct choice", "multiple_select"]),
    ("select with no correct", lambda c: [ch.update(correct=False) for ch in _q(c, "03_figures", "who_gives_numbers")["choices"]],
     ["who_gives_numbers", "at least one choice"]),
    ("negative tolerance", lambda c: _q(c, "02_timeline", "ceasefire_days").update(tolerance=-1),
     ["ceasefire_days", "cannot be negative"]),
    ("tolerance as text", lambda c: _q(c, "02_timeline", "ceasefire_days").update(tolerance="1"),
     ["ceasefire_days", "'tolerance' must be a number"]),
    ("answer true", lambda c: _q(c, "02_timeline", "ceasefire_days").update(answer=True),
     ["ceasefire_days", "'answer' must be a number"]),
    ("unknown event in ordering", lambda c: _q(c, "02_timeline", "order_events")["items"].__setitem__(0, "ceasefire_begin"),
     ["order_events", "'ceasefire_begin', is not an event id", "Did you mean 'ceasefire_begins'"]),
    ("item twice", lambda c: _q(c, "02_timeline", "order_events")["items"].__setitem__(1, "ceasefire_begins"),
     ["order_events", "listed twice"]),
    ("duplicate id", lambda c: _q(c, "03_figures", "own_claim").update(id="friday_date"),
     ["friday_date", "used twice", "02_timeline", "03_figures"]),
    ("excerpt id unknown", lambda c: _q(c, "02_timeline", "friday_date").update(excerpt={"table": "events", "id": "selmo_interviw"}),
     ["friday_date", "not an id in events.csv", "Did you mean 'selmo_interview'"]),
    ("excerpt table unknown", lambda c: _q(c, "02_timeline", "friday_date").update(excerpt={"table": "actors", "id": "selmo"}),
     ["friday_date", "has no excerpts"]),
    ("excerpt too short", lambda c: _q(c, "02_timeline", "friday_date").update(excerpt="Friday"),
     ["friday_date", "too short"]),
    ("no excerpt", lambda c: _q(c, "02_timeline", "friday_date").pop("excerpt"),
     ["friday_date", "has no 'excerpt'"]),
    ("misspelt key", lambda c: _q(c, "02_timeline", "friday_date").update(hnit="x"),
     ["friday_date", "'hnit'", "Did you mean 'hint'"]),
    ("correct as text", lambda c: _q(c, "02_timeline", "friday_date")["choices"][0].update(correct="true"),
     ["friday_date", "true or false"]),
    ("empty feedback", lambda c: _q(c, "02_timeline", "friday_date")["choices"][0].update(feedback=""),
     ["friday_date", "feedback must be some text"]),
    ("numeric feedback missing", lambda c: _q(c, "02_timeline", "ceasefire_days")["feedback"].pop("too_low"),
     ["ceasefire_days", "'too_low'"]),
    ("bad notebook key", lambda c: c.update({"Timeline": c["02_timeline"]}),
     ["'Timeline' is not a notebook name"]),
    ("empty notebook", lambda c: c.update({"02_timeline": []}),
     ["'02_timeline' must be a non-empty list"]),
    ("bad id", lambda c: _q(c, "02_timeline", "friday_date").update(id="Friday Date"),
     ["needs an 'id' in lower case"]),
]


@pytest.mark.parametrize("name, mutate, expected", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_file_names_file_question_and_problem(data_copy: Path, name: str, mutate, expected: list[str]) -> None:
    write(data_copy, _broken(mutate))
    with pytest.raises(DataError) as info:
        quiz.check_questions(data_copy)
    message = str(info.value)
    assert message.startswith("questions.json")
    for part in expected:
        assert part in message, (part, message)


def test_broken_json_gives_line(data_copy: Path) -> None:
    text = json.dumps(REAL, ensure_ascii=False, indent=2).replace('"tolerance": 0,', '"tolerance": 0', 1)
    write(data_copy, text)
    with pytest.raises(DataError, match=r"questions.json, line \d+: is not valid JSON"):
        quiz.check_questions(data_copy)


def test_question_error_points_at_its_line(data_copy: Path) -> None:
    write(data_copy, _broken(lambda c: _q(c, "02_timeline", "ceasefire_days").update(tolerance=-1)))
    with pytest.raises(DataError) as info:
        quiz.check_questions(data_copy)
    lines = (data_copy / quiz.QUESTIONS_FILE).read_text(encoding="utf-8").splitlines()
    assert '"ceasefire_days"' in lines[info.value.line - 1]


@pytest.mark.parametrize("content, expected", [
    ("[]", "must hold one JSON object"),
    ("{}", "holds no questions"),
    ('{"_about": "notes only"}', "holds no questions"),
])
def test_broken_top_level(data_copy: Path, content: str, expected: str) -> None:
    write(data_copy, content)
    with pytest.raises(DataError, match=expected):
        quiz.check_questions(data_copy)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="is not a folder"):
        quiz.check_questions(tmp_path / "nowhere")
    with pytest.raises(TypeError, match="folder path"):
        quiz.load_questions(3)  # type: ignore[arg-type]


def test_notes_keys_are_ignored(data_copy: Path) -> None:
    content = copy.deepcopy(REAL)
    _q(content, "02_timeline", "friday_date")["_note"] = "a teacher's note"
    write(data_copy, content)
    assert quiz.check_questions(data_copy) == quiz.check_questions()


# --------------------------------------------------------------------------
# Multiple choice
# --------------------------------------------------------------------------

def test_multiple_choice_wrong_then_retry_then_right(data_copy: Path) -> None:
    q = quiz.MultipleChoice(spec_of(data_copy, MC))
    q.check_button.click()
    assert q.correct is None and q.attempts == 0
    assert "Tick one answer first" in q.feedback_text

    q.choose("Wrong one")
    q.check_button.click()
    assert q.correct is False and q.attempts == 1
    assert "Not quite." in q.feedback_text
    assert "The article says something else." in q.feedback_text
    # The question's excerpt holds the answer: never shown after a wrong try (issue 12), only once it is found.
    assert "60,000" not in q.feedback_text
    assert "Hint: Read the first paragraph." in q.feedback_text
    assert all(b.disabled for b in q.boxes) and q.check_button.disabled and not q.retry_button.disabled
    assert q.score.correct == 0 and q.score.tried == 1

    q.retry_button.click()
    assert q.correct is None and q.feedback_text == "" and q.selected is None
    assert not any(b.disabled for b in q.boxes) and not q.check_button.disabled and q.retry_button.disabled

    q.choose("right one")  # any case
    q.check_button.click()
    assert q.correct is True and q.attempts == 2
    assert "That's right." in q.feedback_text and "Because the article says so." in q.feedback_text
    assert "From the article: “The group claims to have rescued some 60,000 people since 2013.”" in q.feedback_text
    assert "Hint" not in q.feedback_text
    assert (q.score.correct, q.score.first_try) == (1, 0)


def test_multiple_choice_ticks_only_one(data_copy: Path) -> None:
    q = quiz.MultipleChoice(spec_of(data_copy, MC))
    q.boxes[0].value = True
    q.boxes[1].value = True
    assert [b.value for b in q.boxes] == [False, True] and q.selected == "Wrong one"
    q.boxes[1].value = False
    assert q.selected is None


def test_choose_unknown_choice_says_what_is_allowed(data_copy: Path) -> None:
    q = quiz.MultipleChoice(spec_of(data_copy, MC))
    with pytest.raises(UnknownNameError, match="Did you mean 'Right one'"):
        q.choose("Rihgt one")


def test_feedback_is_announced_to_screen_readers(data_copy: Path) -> None:
    """One live region, there from the start, written into (tests/browser/test_accessibility.py checks the DOM)."""
    q = quiz.MultipleChoice(spec_of(data_copy, MC))
    region = q.feedback
    assert "'role','status'" in region.value and "'aria-live','polite'" in region.value  # before any Check
    q.choose("Right one")
    q.check_button.click()
    assert q.feedback is region and region in q.children
    assert "'role','status'" in region.value and q.feedback_text.startswith("That's right.") and "aleppo2016-right" in region.value


# --------------------------------------------------------------------------
# Multiple select
# --------------------------------------------------------------------------

def test_multiple_select(data_copy: Path) -> None:
    q = quiz.MultipleSelect(spec_of(data_copy, MS))
    q.check_button.click()
    assert q.correct is None and "Tick at least one" in q.feedback_text

    q.choose("A", "C")
    q.check_button.click()
    assert q.correct is False
    assert "You ticked “C”: C is not in the text." in q.feedback_text
    assert "1 of your ticks is right, and 1 right answer was not ticked." in q.feedback_text

    q.retry_button.click()
    assert q.selected == ["A", "C"]  # kept, to change only what was wrong
    q.boxes[2].value = False
    q.boxes[1].value = True
    q.check_button.click()
    assert q.correct is True and q.attempts == 2
    assert "A is in the text." in q.feedback_text and "B is in the text." in q.feedback_text


# --------------------------------------------------------------------------
# Numeric
# --------------------------------------------------------------------------

@pytest.mark.parametrize("typed, correct, message", [
    ("100", True, "Yes, about 100."),
    ("95", True, "Yes, about 100."),
    ("105", True, "Yes, about 100."),
    ("105.0", True, "Yes, about 100."),
    (" 100 people ", True, "Yes, about 100."),
    ("94.9", False, "More than that."),
    ("105.1", False, "Fewer than that."),
    ("-100", False, "More than that."),
    ("100,000", False, "Fewer than that."),
    ("1 million", False, "Fewer than that."),
])
def test_numeric_tolerance_edges(data_copy: Path, typed: str, correct: bool, message: str) -> None:
    q = quiz.NumericQuestion(spec_of(data_copy, NUM))
    q.entry.value = typed
    q.check_button.click()
    assert q.correct is correct and q.attempts == 1
    assert message in q.feedback_text


@pytest.mark.parametrize("typed", [
    "sixty", "", "   ", "1e5", "nan", "inf", "1,00", "10 0", "__import__('os').system('echo hi')",
    "2+2", "9" * 400, "<script>alert(1)</script>",
])
def test_numeric_not_a_number_asks_for_digits_and_counts_nothing(data_copy: Path, typed: str) -> None:
    q = quiz.NumericQuestion(spec_of(data_copy, NUM))
    q.entry.value = typed
    q.check_button.click()
    assert q.correct is None and q.attempts == 0 and q.score.tried == 0
    assert "number" in q.feedback_text
    assert not q.entry.disabled  # the student can just fix it


def test_numeric_exact_answer_with_zero_tolerance(data_copy: Path) -> None:
    q = quiz.NumericQuestion(spec_of(data_copy, {**NUM, "tolerance": 0}))
    q.entry.value = "100.001"
    q.check_button.click()
    assert q.correct is False
    q.retry_button.click()
    assert q.entry.value == "100.001"  # kept, to correct it
    q.entry.value = "100"
    q.check_button.click()
    assert q.correct is True


@pytest.mark.parametrize("typed, value", [
    ("60000", 60000), ("60,000", 60000), (" 60000 ", 60000), ("60 000", 60000), ("60\u00a0000", 60000),
    ("2 million", 2_000_000), ("2.5 thousand", 2500), ("0.5", 0.5), (".5", 0.5), ("\u22123", -3),
    ("1,234,567.5", 1234567.5), ("23rd", 23), ("1st", 1), ("22nd", 22), ("19th", 19),
])
def test_parse_number_reads_ways_of_writing_numbers(typed: str, value: float) -> None:
    assert quiz.parse_number(typed) == value


@pytest.mark.parametrize("typed", ["sixty", "6,00", "60,00,0", "1e400", "0x10", "1_000", "--1", "1..2", None, 60000,
                                   "rd", "23rdx", "2.5th", "23 rd"])
def test_parse_number_rejects_the_rest(typed: object) -> None:
    assert quiz.parse_number(typed) is None


def test_parse_number_strips_only_the_questions_unit() -> None:
    assert quiz.parse_number("23 September 2016", "September 2016") == 23
    assert quiz.parse_number("23 days", "people") is None


# --------------------------------------------------------------------------
# Ordering
# --------------------------------------------------------------------------

def _labels(q: quiz.OrderingQuestion) -> list[str]:
    return [label.value for label, _, _ in q.rows]


def test_ordering_starts_wrong_moves_and_checks(data_copy: Path) -> None:
    q = quiz.OrderingQuestion(spec_of(data_copy, ORD))
    right = ORD["items"]
    assert sorted(q.order) == sorted(right) and q.order != right
    assert _labels(q)[0].startswith("1. ") and len(q.rows) == len(right)

    q.check_button.click()
    assert q.correct is False and q.attempts == 1
    assert "are in the right place" in q.feedback_text and "Use the dates." in q.feedback_text
    assert "Look again at" in q.feedback_text
    assert all(button.disabled for _, up, down in q.rows for button in (up, down))

    q.retry_button.click()
    # Put it right with the Up buttons only, as a keyboard user would.
    for target, item in enumerate(right):
        while q.order.index(item) > target:
            q.rows[q.order.index(item)][1].click()
    assert q.order == right
    assert _labels(q) == [f"{n}. {label}" for n, label in enumerate(["A partial ceasefire takes effect",
                          "An aid convoy of the Red Crescent is attacked west of Aleppo",
                          "Emergency meeting of the U.N. Security Council on Syria"], 1)]
    q.check_button.click()
    assert q.correct is True
    assert "a week earlier" in q.feedback_text and "on Sunday" in q.feedback_text


def test_ordering_buttons_at_the_ends_are_disabled_and_say_what_they_move(data_copy: Path) -> None:
    q = quiz.OrderingQuestion(spec_of(data_copy, ORD))
    (_, top_up, top_down), (_, bottom_up, bottom_down) = q.rows[0], q.rows[-1]
    assert top_up.disabled and bottom_down.disabled and not top_down.disabled and not bottom_up.disabled
    first = q.order[0]
    q.move(first, -1)  # from Python, moving past the end stays put
    assert q.order[0] == first
    top_down.click()
    assert q.order[1] == first
    assert q.rows[1][1].tooltip.startswith("Move “") and q.rows[1][1].tooltip.endswith("one place earlier")
    q.check_button.click()
    q.retry_button.click()
    assert q.rows[0][1].disabled and not q.rows[1][1].disabled  # ends stay disabled after a retry


def test_ordering_rejects_bad_orders(data_copy: Path) -> None:
    q = quiz.OrderingQuestion(spec_of(data_copy, ORD))
    with pytest.raises(TypeError, match="list of item ids"):
        q.order = "convoy_attack"
    with pytest.raises(ValueError, match="each of these ids once"):
        q.order = ["convoy_attack", "convoy_attack", "ceasefire_begins"]
    with pytest.raises(UnknownNameError, match="Did you mean 'convoy_attack'"):
        q.move("convoy_atack", 1)


def test_ordering_with_labelled_items(data_copy: Path) -> None:
    spec = {**ORD, "items": [{"id": "first", "label": "First thing"}, {"id": "second", "label": "Second thing"}]}
    q = quiz.OrderingQuestion(spec_of(data_copy, spec))
    assert q.order == ["second", "first"]
    q.move("first", -1)
    q.check_button.click()
    assert q.correct is True


# --------------------------------------------------------------------------
# Escaping: text from the data or from a student is never HTML
# --------------------------------------------------------------------------

EVIL = "<script>alert('x')</script><b>bold</b>"


def test_html_in_the_questions_file_is_shown_as_text(data_copy: Path) -> None:
    spec = copy.deepcopy(MC)
    spec["prompt"] = f"Prompt {EVIL}"
    spec["hint"] = f"Hint {EVIL}"
    spec["choices"][1]["feedback"] = f"Feedback {EVIL}"
    spec["choices"][1]["text"] = f"Choice {EVIL}"
    q = quiz.MultipleChoice(spec_of(data_copy, spec))
    q.boxes[1].value = True
    q.check_button.click()
    shown = q._prompt.value + q.feedback.value + q._repr_mimebundle_()["text/html"]
    assert "<script>" not in shown and "<b>bold</b>" not in shown
    assert "&lt;script&gt;" in q._prompt.value and "&lt;script&gt;" in q.feedback.value
    assert EVIL in q.feedback_text  # the plain text keeps the characters, as text


def test_html_typed_by_a_student_is_shown_as_text(data_copy: Path) -> None:
    q = quiz.NumericQuestion(spec_of(data_copy, NUM))
    q.entry.value = "<img src=x onerror=alert(1)>"
    q.check_button.click()
    assert "<img" not in q.feedback.value and "&lt;img" in q.feedback.value


# --------------------------------------------------------------------------
# Static form (nbconvert, GitHub): the question, never the answer
# --------------------------------------------------------------------------

def test_static_form_shows_question_not_answer() -> None:
    z = quiz.questions("02_timeline")
    bundle = z._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    for q in z.questions:
        assert q.spec["prompt"] in bundle["text/plain"]
        if q.spec["excerpt"] and q.spec["excerpt"]["text"] not in q.spec["prompt"]:
            assert q.spec["excerpt"]["text"] not in bundle["text/plain"]
        for choice in q.spec.get("choices", []):
            assert choice["text"] in bundle["text/plain"]
            assert choice["feedback"] not in bundle["text/plain"]
            assert f"<li>{choice['text']}" not in bundle["text/html"] or "&" not in choice["text"]
        for text in q.spec.get("feedback", {}).values():
            assert text not in bundle["text/plain"]
    assert "Run the notebook to answer" in bundle["text/html"]


def test_static_form_of_ordering_is_not_the_answer() -> None:
    q = quiz.question("02_timeline", "order_events")
    lines = [ln.split(". ", 1)[1] for ln in q._repr_mimebundle_()["text/plain"].splitlines() if re.match(r"\s+\d\. ", ln)]
    labels = [i["label"] for i in q.spec["items"]]
    assert sorted(lines) == sorted(labels) and lines != labels


def test_static_html_is_escaped(data_copy: Path) -> None:
    q = quiz.MultipleSelect(spec_of(data_copy, {**MS, "prompt": EVIL}))
    html_form = q._repr_mimebundle_()["text/html"]
    assert "<script>" not in html_form and "&lt;script&gt;" in html_form


# --------------------------------------------------------------------------
# Score, re-running cells, public entry points
# --------------------------------------------------------------------------

def test_score_line_counts_first_try_and_eventually() -> None:
    z = quiz.questions("02_timeline")
    assert z.score.text == "Score: 0 of 4 answered correctly (0 on the first try). 4 not tried yet."
    first = z.question("friday_date")
    first.choose("Friday 23 September 2016")
    first.check_button.click()
    second = z.question("ceasefire_days")
    second.entry.value = "6"
    second.check_button.click()
    second.retry_button.click()
    second.entry.value = "7"
    second.check_button.click()
    assert z.score.text == "Score: 2 of 4 answered correctly (1 on the first try). 2 not tried yet."
    assert z.score.text in z.score.value
    # A retry after a right answer does not take the credit away or count it twice.
    first.retry_button.click()
    first.choose("Friday 16 September 2016")
    first.check_button.click()
    assert (z.score.correct, z.score.first_try, z.score.tried) == (2, 1, 2)
    assert z.children[-1] is z.score


def test_running_a_cell_again_keeps_the_attempts_and_shows_them() -> None:
    one = quiz.questions("02_timeline")
    q = one.question("friday_date")
    q.choose("Friday 16 September 2016")
    q.check_button.click()
    two = quiz.questions("02_timeline")  # the cell run again
    again = two.question("friday_date")
    assert again.record is q.record and again.attempts == 1 and again.checked and again.correct is False
    assert again.selected == "Friday 16 September 2016" and again.check_button.disabled and not again.retry_button.disabled
    assert "Not quite." in again.feedback_text and "your answer from earlier (1 attempt so far)" in again.feedback_text
    assert two.score.tried == 1 and two.score.correct == 0
    again.retry_button.click()
    again.choose("Friday 23 September 2016")
    again.check_button.click()
    assert (two.score.correct, two.score.first_try) == (1, 0)
    assert one.score.correct == 1  # the older copy's score counts the same record
    assert [a["correct"] for a in quiz.answered("02_timeline")[0]["attempts"]] == [False, True]
    # One handler per button, however often the cell is run.
    assert len(again.check_button._click_handlers.callbacks) == 1
    assert two.question("ceasefire_days").attempts == 0 and not two.question("ceasefire_days").checked


def test_single_question_has_its_own_score_or_a_shared_one() -> None:
    alone = quiz.question("02_timeline", "friday_date")
    assert alone.score.total == 1
    shared = quiz.Score(2)
    a = quiz.question("02_timeline", "friday_date", score=shared)
    b = quiz.question("03_figures", "own_claim", score=shared)
    a.choose("Friday 23 September 2016")
    a.check_button.click()
    b.choose("some 60,000 people rescued since 2013")
    b.check_button.click()
    assert shared.text == "Score: 2 of 2 answered correctly (2 on the first try)."


def test_a_score_counts_the_questions_that_join_it_once_each() -> None:
    # How the notebooks use it: one Score, passed to each question; a cell run twice joins twice.
    score = quiz.Score()
    assert score.text == "Score: 0 of 0 answered correctly (0 on the first try)."
    first = quiz.question("02_timeline", "friday_date", score=score)
    quiz.question("02_timeline", "ceasefire_days", score=score)
    again = quiz.question("02_timeline", "friday_date", score=score)  # the cell run again
    assert score.total == 2
    first.choose("Friday 23 September 2016")
    first.check_button.click()
    again.choose("Friday 23 September 2016")
    again.check_button.click()
    assert (score.correct, score.tried) == (1, 1)
    assert score.text == "Score: 1 of 2 answered correctly (1 on the first try). 1 not tried yet."


def test_unknown_names_get_did_you_mean() -> None:
    with pytest.raises(UnknownNameError, match="Did you mean '02_timeline'"):
        quiz.questions("02_timelin")
    with pytest.raises(UnknownNameError, match="Did you mean 'friday_date'"):
        quiz.question("02_timeline", "fridays_date")
    with pytest.raises(UnknownNameError, match="Allowed: "):
        quiz.question("02_timeline", "xyz")
    assert quiz.questions("02 Timeline").notebook == "02_timeline"  # forgiving spelling


def test_wrong_types_get_clear_errors() -> None:
    with pytest.raises(TypeError, match="must be text"):
        quiz.questions(2)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be text"):
        quiz.question("02_timeline", None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="Score"):
        quiz.question("02_timeline", "friday_date", score="mine")  # type: ignore[arg-type]


def test_question_ids_and_lazy_import() -> None:
    assert quiz.question_ids("02_timeline")[0] == "friday_date"
    assert aleppo2016.quiz is quiz


def test_teachers_check_command_covers_the_questions(data_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from aleppo2016.__main__ import main

    write(data_copy, REAL)
    assert main(["check", str(data_copy)]) == 0
    total = sum(len(v) for k, v in REAL.items() if not k.startswith("_"))
    assert f"{total} questions" in capsys.readouterr().out
    write(data_copy, _broken(lambda c: _q(c, "02_timeline", "ceasefire_days").update(tolerance=-2)))
    assert main(["check", str(data_copy)]) == 1
    err = capsys.readouterr().err
    assert "questions.json" in err and "ceasefire_days" in err and "cannot be negative" in err


# --------------------------------------------------------------------------
# Every type, asked through its class: right answer, samples, one attempt per Check
# --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def specs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Every fixture spec, checked together as the real file would be."""
    folder = tmp_path_factory.mktemp("specs")
    for f in DATA_DIR.iterdir():
        if f.is_file():
            shutil.copy(f, folder / f.name)
    write(folder, {"09_test": list(SPECS.values())})
    return {q["type"]: q for q in quiz.load_questions(folder)["09_test"]}


@pytest.mark.parametrize("name", list(SPECS))
def test_each_type_judges_its_right_answer_right_and_records_it(specs: dict[str, Any], name: str) -> None:
    spec = specs[name]
    qtype = quiz.question_type(name)
    q = qtype(spec)
    q.answer = qtype.right_answer(spec)
    assert q.answer == qtype.right_answer(spec)
    for _ in range(5):  # pressed again and again without "Try again": one attempt
        q.check_button.click()
    assert q.attempts == 1 and q.correct is (True if qtype.scored else None)
    attempt = q.record["attempts"][0]
    assert attempt["answer"] == qtype.right_answer(spec) and attempt["correct"] is q.correct
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", attempt["at"])
    assert json.loads(json.dumps(q.record)) == q.record
    assert q.record["first_try_correct"] is q.record["correct"] is q.correct
    assert q.score.correct == (1 if qtype.scored else 0)


@pytest.mark.parametrize("name", list(SPECS))
def test_each_types_sample_answers_go_into_the_controls_and_back(specs: dict[str, Any], name: str) -> None:
    spec = specs[name]
    qtype = quiz.question_type(name)
    q = qtype(spec)
    for n, sample in enumerate(qtype.sample_answers(spec), 1):
        q.answer = sample
        assert q.answer == qtype.check_answer(spec, sample)
        q.check_button.click()
        assert q.attempts == n
        assert q.record["attempts"][-1]["correct"] is qtype.judge(spec, q.answer)[0]
        if q.retry_button.disabled is False:
            q.retry_button.click()
    with pytest.raises((TypeError, ValueError, LookupError)):
        q.answer = {"not": "an answer"}


@pytest.mark.parametrize("name", list(SPECS))
def test_each_types_static_form_is_readable_and_escaped(data_copy: Path, name: str) -> None:
    spec = spec_of(data_copy, {**SPECS[name], "prompt": f"Prompt {EVIL}"})
    q = quiz.question_type(name)(spec)
    bundle = q._repr_mimebundle_()
    assert f"Prompt {EVIL}" in bundle["text/plain"] and q.kind in bundle["text/plain"]
    assert "<script>" not in bundle["text/html"] and "&lt;script&gt;" in bundle["text/html"]
    assert "Run the notebook to answer" in bundle["text/html"]
    assert q.spec.get("model_answer", "no model answer") not in bundle["text/plain"]


def test_a_new_type_is_one_class(data_copy: Path) -> None:
    """A type made here, as a teacher's extension would be: the file, widgets, records and key take it as it is."""
    try:
        class YesNo(quiz.MultipleChoice):
            type_name = "yes_no"
            title = "Yes or no"
            spec_keys = {"yes": True}

            @classmethod
            def check_spec(cls, raw, q, checker):
                if not isinstance(raw["yes"], bool):
                    raise checker.fail("'yes' must be true or false", q["id"])
                q["choices"] = [{"text": t, "correct": (t == "Yes") is raw["yes"], "feedback": f"{t}.", "excerpt": None}
                                for t in ("Yes", "No")]

        assert "yes_no" in quiz.QUESTION_TYPES and quiz.YesNo is YesNo
        spec = spec_of(data_copy, {"id": "t_yes", "type": "yes_no", "prompt": "Yes?", "yes": True,
                                   "excerpt": "The group claims to have rescued"})
        q = quiz.question_type("yes_no")(spec)
        q.answer = YesNo.right_answer(spec)
        q.check_button.click()
        assert q.correct is True and q.record["type"] == "yes_no"
        tool = importlib.util.module_from_spec(spec_ := importlib.util.spec_from_file_location("k", ROOT / "tools" / "answer_key.py"))
        spec_.loader.exec_module(tool)
        assert "*Yes or no. " in "\n".join(tool.question_section(spec, []))
        with pytest.raises(DataError, match="'yes' must be true or false"):
            spec_of(data_copy, {"id": "t_yes", "type": "yes_no", "prompt": "Yes?", "yes": "y",
                                "excerpt": "The group claims to have rescued"})
    finally:
        qtypes.TYPES.pop("yes_no", None)
    assert "yes_no" not in quiz.QUESTION_TYPES


def test_two_types_cannot_share_a_name() -> None:
    with pytest.raises(TypeError, match="two question types are named 'numeric'"):
        class Other(quiz.Question):
            type_name = "numeric"
    assert quiz.question_type("numeric") is quiz.NumericQuestion


def test_unknown_type_names_are_errors_with_did_you_mean() -> None:
    with pytest.raises(UnknownNameError, match="Did you mean 'ordering'"):
        quiz.question_type("ordring")
    with pytest.raises(TypeError):
        quiz.question_type(["ordering"])


# --------------------------------------------------------------------------
# Widgets keep their state consistent (issue 15)
# --------------------------------------------------------------------------

@pytest.mark.parametrize("step", [0.5, "up", None, True, [1], float("nan")])
def test_a_wrong_move_leaves_the_order_intact(data_copy: Path, step: object) -> None:
    q = quiz.OrderingQuestion(spec_of(data_copy, ORD))
    before = q.order
    with pytest.raises(TypeError, match="step must be a whole number: -1 moves an item up, \\+1 down"):
        q.move(before[1], step)  # type: ignore[arg-type]
    assert q.order == before and [label.value for label, _, _ in q.rows][1].endswith(q._labels[before[1]])
    q.answer = ORD["items"]
    q.check_button.click()
    assert q.correct is True  # still answerable


def test_check_pressed_a_thousand_times_is_one_attempt() -> None:
    z = quiz.questions("02_timeline")
    q = z.question("ceasefire_days")
    q.entry.value = "3"
    for _ in range(1000):
        q.check_button.click()
    assert q.attempts == 1 and z.score.tried == 1 and len(quiz.answered("02_timeline")[1]["attempts"]) == 1
    q.retry_button.click()
    q.check_button.click()
    assert q.attempts == 2


# --------------------------------------------------------------------------
# The kernel's records: quiz.answered() and quiz.restore()
# --------------------------------------------------------------------------

def _answer(nb: str, qid: str, *answers: Any) -> quiz.Question:
    q = quiz.question(nb, qid)
    for n, answer in enumerate(answers):
        if n:
            q.retry_button.click()
        q.answer = answer
        q.check_button.click()
    return q


def test_answered_gives_one_record_per_question_in_the_documented_format() -> None:
    assert quiz.answered() == []
    _answer("02_timeline", "friday_date", "Friday 16 September 2016", "Friday 23 September 2016")
    quiz.question("02_timeline", "order_events")  # shown, not tried
    _answer("03_figures", "own_claim", "some 60,000 people rescued since 2013")
    records = quiz.answered("02_timeline")
    assert [r["id"] for r in records] == ["friday_date", "order_events"]  # in the notebook's order
    friday, order = records
    assert set(friday) == {"notebook", "id", "type", "attempts", "first_try_correct", "correct"}
    assert (friday["notebook"], friday["type"]) == ("02_timeline", "multiple_choice")
    assert [(a["answer"], a["correct"]) for a in friday["attempts"]] == [
        ("Friday 16 September 2016", False), ("Friday 23 September 2016", True)]
    assert friday["first_try_correct"] is False and friday["correct"] is True
    assert order["attempts"] == [] and order["first_try_correct"] is None and order["correct"] is None
    assert [r["id"] for r in quiz.answered()] == ["friday_date", "order_events", "own_claim"]
    json.dumps(quiz.answered())
    quiz.answered()[0]["attempts"].clear()  # a copy: the kernel's record is untouched
    assert len(quiz.answered()[0]["attempts"]) == 2
    with pytest.raises(UnknownNameError, match="Did you mean '02_timeline'"):
        quiz.answered("02_timelin")


def test_restore_brings_work_back_in_a_fresh_kernel() -> None:
    _answer("02_timeline", "ceasefire_days", 5, 7)
    _answer("02_timeline", "order_events", quiz.OrderingQuestion.right_answer(quiz.load_questions()["02_timeline"][3]))
    saved = json.loads(json.dumps(quiz.answered()))
    quiz._forget_answers()  # tomorrow, on another computer
    assert quiz.answered() == []
    assert quiz.restore(saved) == 2
    assert quiz.answered() == saved
    z = quiz.questions("02_timeline")
    days = z.question("ceasefire_days")
    assert days.attempts == 2 and days.correct is True and days.entry.value == "7" and days.checked
    assert "That's right." in days.feedback_text
    assert z.score.text == "Score: 2 of 4 answered correctly (1 on the first try). 2 not tried yet."


def test_restore_updates_questions_already_on_screen() -> None:
    z = quiz.questions("02_timeline")
    record = {"notebook": "02_timeline", "id": "friday_date", "type": "multiple_choice",
              "attempts": [{"answer": "Friday 23 September 2016", "correct": True, "at": "2026-11-28T09:00:00Z"}],
              "first_try_correct": True, "correct": True}
    quiz.restore([record])
    q = z.question("friday_date")
    assert q.selected == "Friday 23 September 2016" and q.correct is True and q.check_button.disabled
    assert z.score.correct == z.score.first_try == 1
    assert quiz.answered()[0] == record and len(quiz.answered()) == len(z.questions)


GOOD = {"notebook": "02_timeline", "id": "ceasefire_days", "type": "numeric",
        "attempts": [{"answer": 7, "correct": True, "at": "2026-11-28T09:00:00Z"}],
        "first_try_correct": True, "correct": True}


def _bad(**changes: Any) -> list[dict[str, Any]]:
    record = copy.deepcopy(GOOD)
    for key, value in changes.items():
        if key.startswith("attempt_"):
            record["attempts"][0][key.removeprefix("attempt_")] = value
        elif value is KeyError:
            record.pop(key)
        else:
            record[key] = value
    return [record]


@pytest.mark.parametrize("records, error, says", [
    (GOOD, TypeError, "restore() needs a list of records as quiz.answered() gives; got dict"),
    ("[]", TypeError, "restore() needs a list of records"),
    ([3], TypeError, "record 1 must be a dict like quiz.answered() gives"),
    (_bad(id="ceasefire_day"), UnknownNameError, "Did you mean 'ceasefire_days'"),
    (_bad(id=None), TypeError, "record 1 needs an 'id'"),
    (_bad(score=3), ValueError, "has a key 'score' that a record does not have"),
    (_bad(correct=KeyError), ValueError, "has no 'correct'"),
    (_bad(type="ordering"), ValueError, "another version of the module"),
    (_bad(attempts="7"), TypeError, "'attempts' must be a list"),
    (_bad(attempt_answer="seven"), ValueError, "attempt 1: The answer must be a number"),
    (_bad(attempt_at="yesterday"), ValueError, "'at' must be a UTC time like '2026-11-29T20:31:05Z'"),
    (_bad(attempt_at="2026-02-30T09:00:00Z"), ValueError, "'at' must be a UTC time"),
    (_bad(attempt_answer=3), ValueError, "says 'correct': true, but its answer 3 is judged false"),
    (_bad(correct=False), ValueError, "says 'correct': false, but its attempts make it true"),
    ([GOOD, GOOD], ValueError, "two records for 'ceasefire_days'"),
])
def test_restore_checks_everything_first_and_says_what_is_wrong(records: Any, error: type, says: str) -> None:
    quiz.question("02_timeline", "ceasefire_days")
    with pytest.raises(error) as info:
        quiz.restore(records)
    assert says in str(info.value)
    assert quiz.answered()[0]["attempts"] == []  # nothing half-loaded


# --------------------------------------------------------------------------
# Open questions: a place to write, kept, never judged
# --------------------------------------------------------------------------

def test_open_question_keeps_what_is_written(data_copy: Path) -> None:
    q = quiz.OpenQuestion(spec_of(data_copy, OPEN), score=(score := quiz.Score()))
    assert isinstance(q.area, __import__("ipywidgets").Textarea) and q.check_button.description == "Save answer"
    assert q.retry_button not in q.children[-2].children and score.total == 0  # nothing to score
    q.check_button.click()
    assert q.attempts == 0 and "Write your answer in the box first" in q.feedback_text
    q.area.value = f"My view {EVIL}"
    assert q.record["text"] == f"My view {EVIL}" and q.attempts == 0  # kept as typed, before any save
    q.check_button.click()
    q.check_button.click()  # the same text saved twice: one attempt
    assert q.attempts == 1 and "Already saved" in q.feedback_text and not q.area.disabled
    assert q.record["attempts"][0]["answer"] == f"My view {EVIL}" and q.record["correct"] is None
    q.area.value += " More."
    q.check_button.click()
    assert q.attempts == 2 and "Saved." in q.feedback_text and "(4 words)" in q.feedback_text
    assert EVIL not in q.feedback.value and "<script" not in q._repr_mimebundle_()["text/html"]
    assert OPEN["model_answer"] not in q.feedback_text


def test_true_false_needs_a_true_or_false_answer(data_copy: Path) -> None:
    with pytest.raises(DataError, match="'answer' must be true or false"):
        spec_of(data_copy, {**TF, "answer": "true"})
    with pytest.raises(DataError, match="has no 'feedback'"):
        spec_of(data_copy, {k: v for k, v in TF.items() if k != "feedback"})
    q = quiz.TrueFalseQuestion(spec_of(data_copy, {**TF, "answer": False}))
    q.choose("true")
    q.check_button.click()
    assert q.correct is False and "Read who “claims” the figure." in q.feedback_text


def test_check_questions_takes_data_dir_and_the_old_folder_name() -> None:
    assert quiz.check_questions(data_dir=None) == quiz.check_questions()
    from aleppo2016.data import DATA_DIR

    assert quiz.check_questions(data_dir=DATA_DIR) == quiz.check_questions()
    with pytest.warns(DeprecationWarning, match="data_dir"):
        assert quiz.check_questions(folder=DATA_DIR) == quiz.check_questions()
