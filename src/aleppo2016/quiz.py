"""Question widgets for the exercises, with the questions kept as data.

The questions live in ``aleppo2016/data/questions.json``, grouped by notebook,
so a teacher can change or add one without touching any code. The file is
checked when it is first read: every problem is reported with the file, the
question id and what is wrong (:class:`~aleppo2016.errors.DataError`).

In a notebook::

    from aleppo2016 import quiz
    quiz.questions("02_timeline")             # every question of a notebook, with a score line
    quiz.question("02_timeline", "friday_date")  # just one

Each question has a **Check** button, feedback that explains why and quotes
the article, and a **Try again** button. Nothing a student types is run as
code, and all text (from the data or from the student) is shown as text.

How the score counts retries
----------------------------
Questions are practice, so retries are welcome and the score is honest about
them. A question counts as *answered correctly* once any attempt is right, and
stays counted after "Try again". The score line also says how many were right
*on the first try*, and how many have not been tried yet:
``Score: 2 of 3 answered correctly (1 on the first try).`` Only a real answer
is an attempt: pressing Check with nothing chosen, or with text that is not a
number, shows a message and counts nothing.

Every call builds fresh widgets and a fresh score, so running a cell again
starts a new, independent quiz (no handlers are stacked, nothing is counted
twice) and the module keeps no state between calls.
"""
from __future__ import annotations

import copy
import html
import json
import math
import random
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import traitlets

from . import data as _data
from .errors import DataError, check_choice, did_you_mean

__all__ = [
    "QUESTION_TYPES",
    "QUESTIONS_FILE",
    "load_questions",
    "check_questions",
    "notebooks",
    "question_ids",
    "questions",
    "question",
    "Quiz",
    "Score",
    "MultipleChoice",
    "MultipleSelect",
    "NumericQuestion",
    "OrderingQuestion",
    "parse_number",
]

QUESTIONS_FILE = "questions.json"
QUESTION_TYPES = ("multiple_choice", "multiple_select", "numeric", "ordering")

_COMMON_KEYS = {"id": True, "type": True, "prompt": True, "excerpt": True, "hint": False, "title": False}
_TYPE_KEYS: dict[str, dict[str, bool]] = {
    "multiple_choice": {"choices": True},
    "multiple_select": {"choices": True},
    "numeric": {"answer": True, "tolerance": True, "unit": False, "feedback": True},
    "ordering": {"items": True, "feedback": True},
}
_CHOICE_KEYS = {"text": True, "correct": True, "feedback": True, "excerpt": False}
_FEEDBACK_KEYS = {
    "numeric": ("correct", "too_low", "too_high"),
    "ordering": ("correct", "incorrect"),
}
_NOTEBOOK_KEY = re.compile(r"^\d\d_[a-z0-9_]+$")
_ID = re.compile(r"^[a-z0-9_]+$")


# --------------------------------------------------------------------------
# Reading and checking the questions file
# --------------------------------------------------------------------------

class _Checker:
    """Checks one questions file; every error names the file and the question."""

    def __init__(self, path: Path, text: str, tables: Mapping[str, Any]):
        self.file = path.name
        self.text = text
        self.tables = tables

    def fail(self, problem: str, qid: str | None = None) -> DataError:
        line = None
        if qid:
            found = self.text.find(json.dumps(qid))
            line = self.text.count("\n", 0, found) + 1 if found >= 0 else None
        return DataError(self.file, problem, line=line, record=qid)

    def keys(self, obj: Mapping[str, Any], allowed: Mapping[str, bool], what: str, qid: str) -> None:
        for key in obj:
            if key not in allowed and not key.startswith("_"):
                raise self.fail(
                    f"{what} has a key {key!r} that is not used.{did_you_mean(key, allowed)} "
                    f"Allowed: {', '.join(allowed)} (keys starting with _ are notes and are ignored)",
                    qid,
                )
        missing = [k for k, required in allowed.items() if required and k not in obj]
        if missing:
            raise self.fail(f"{what} has no {', '.join(repr(m) for m in missing)}", qid)

    def text_field(self, value: object, what: str, qid: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{what} must be some text in double quotes, not {json.dumps(value)[:40]}", qid)
        return value.strip()

    def number(self, value: object, what: str, qid: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise self.fail(f"{what} must be a number written with digits (e.g. 60000), not {json.dumps(value)[:40]}", qid)
        return value

    def excerpt(self, value: object, what: str, qid: str) -> dict[str, Any]:
        """An excerpt is verbatim article text, or a reference to a data record that holds one."""
        if isinstance(value, str):
            text = self.text_field(value, what, qid)
            if len(text.split()) < 3:
                raise self.fail(f"{what} {text!r} is too short to find in the article (use three words or more)", qid)
            return {"text": text, "table": None, "id": None}
        if isinstance(value, Mapping):
            self.keys(value, {"table": True, "id": True}, what, qid)
            tables_with_excerpts = [n for n, t in _data.TABLES.items() if any(c.name == "excerpt" for c in t.columns)]
            table = value["table"]
            if table not in tables_with_excerpts:
                raise self.fail(
                    f"{what} refers to table {table!r}, which has no excerpts.{did_you_mean(str(table), tables_with_excerpts)} "
                    f"Allowed: {', '.join(tables_with_excerpts)}",
                    qid,
                )
            frame = self.tables[table]
            rid = value["id"]
            if rid not in frame.index:
                raise self.fail(
                    f"{what} refers to {rid!r}, which is not an id in {_data.TABLES[table].file}."
                    f"{did_you_mean(str(rid), frame.index)}",
                    qid,
                )
            return {"text": str(frame.loc[rid, "excerpt"]), "table": table, "id": rid}
        raise self.fail(
            f"{what} must be the article's words in double quotes, or a reference like "
            '{"table": "figures", "id": "under_siege"}',
            qid,
        )

    def question(self, notebook: str, raw: object, index: int) -> dict[str, Any]:
        if not isinstance(raw, Mapping):
            raise self.fail(f"question {index + 1} of {notebook!r} must be a JSON object {{...}}")
        qid = raw.get("id")
        if not isinstance(qid, str) or not _ID.match(qid):
            raise self.fail(
                f"question {index + 1} of {notebook!r} needs an 'id' in lower case with no spaces "
                f"(use _ between words), not {json.dumps(qid)[:40]}"
            )
        qtype = raw.get("type")
        if qtype not in QUESTION_TYPES:
            raise self.fail(
                f"the type {json.dumps(qtype)[:40]} is not a question type.{did_you_mean(str(qtype), QUESTION_TYPES)} "
                f"Allowed: {', '.join(QUESTION_TYPES)}",
                qid,
            )
        self.keys(raw, {**_COMMON_KEYS, **_TYPE_KEYS[qtype]}, "the question", qid)
        q: dict[str, Any] = {"id": qid, "type": qtype, "notebook": notebook}
        q["prompt"] = self.text_field(raw["prompt"], "the prompt", qid)
        q["title"] = self.text_field(raw["title"], "the title", qid) if "title" in raw else ""
        q["hint"] = self.text_field(raw["hint"], "the hint", qid) if "hint" in raw else ""
        q["excerpt"] = self.excerpt(raw["excerpt"], "the excerpt", qid)
        getattr(self, qtype)(raw, q, qid)
        return q

    def _choices(self, raw: Mapping[str, Any], q: dict[str, Any], qid: str) -> None:
        choices = raw["choices"]
        if not isinstance(choices, list) or len(choices) < 2:
            raise self.fail("'choices' must be a list [...] of at least two choices", qid)
        q["choices"] = []
        for n, choice in enumerate(choices, 1):
            what = f"choice {n}"
            if not isinstance(choice, Mapping):
                raise self.fail(f"{what} must be a JSON object with text, correct and feedback", qid)
            self.keys(choice, _CHOICE_KEYS, what, qid)
            if not isinstance(choice["correct"], bool):
                raise self.fail(f"{what}: 'correct' must be true or false (no quotes)", qid)
            q["choices"].append({
                "text": self.text_field(choice["text"], f"{what}'s text", qid),
                "correct": choice["correct"],
                "feedback": self.text_field(choice["feedback"], f"{what}'s feedback", qid),
                "excerpt": self.excerpt(choice["excerpt"], f"{what}'s excerpt", qid) if "excerpt" in choice else None,
            })
        texts = [c["text"] for c in q["choices"]]
        dupes = sorted({t for t in texts if texts.count(t) > 1})
        if dupes:
            raise self.fail(f"the choice {dupes[0]!r} is listed twice", qid)

    def multiple_choice(self, raw: Mapping[str, Any], q: dict[str, Any], qid: str) -> None:
        self._choices(raw, q, qid)
        right = sum(c["correct"] for c in q["choices"])
        if right != 1:
            raise self.fail(
                f"a multiple_choice question needs exactly one correct choice, but {right} are marked "
                '"correct": true (use multiple_select when several are right)' if right else
                'a multiple_choice question needs one choice marked "correct": true, and none is',
                qid,
            )

    def multiple_select(self, raw: Mapping[str, Any], q: dict[str, Any], qid: str) -> None:
        self._choices(raw, q, qid)
        if not any(c["correct"] for c in q["choices"]):
            raise self.fail('a multiple_select question needs at least one choice marked "correct": true, and none is', qid)

    def _feedback(self, raw: Mapping[str, Any], q: dict[str, Any], qid: str) -> None:
        wanted = _FEEDBACK_KEYS[q["type"]]
        feedback = raw["feedback"]
        if not isinstance(feedback, Mapping):
            raise self.fail(f"'feedback' must be a JSON object with {', '.join(wanted)}", qid)
        self.keys(feedback, dict.fromkeys(wanted, True), "the feedback", qid)
        q["feedback"] = {k: self.text_field(feedback[k], f"the {k!r} feedback", qid) for k in wanted}

    def numeric(self, raw: Mapping[str, Any], q: dict[str, Any], qid: str) -> None:
        q["answer"] = self.number(raw["answer"], "'answer'", qid)
        q["tolerance"] = self.number(raw["tolerance"], "'tolerance'", qid)
        if q["tolerance"] < 0:
            raise self.fail(f"'tolerance' is {q['tolerance']}, but it cannot be negative (use 0 for an exact answer)", qid)
        q["unit"] = self.text_field(raw["unit"], "the unit", qid) if "unit" in raw else ""
        self._feedback(raw, q, qid)

    def ordering(self, raw: Mapping[str, Any], q: dict[str, Any], qid: str) -> None:
        items = raw["items"]
        if not isinstance(items, list) or len(items) < 2:
            raise self.fail("'items' must be a list [...] of at least two items, in the correct order", qid)
        events = self.tables["events"]
        q["items"] = []
        for n, item in enumerate(items, 1):
            if isinstance(item, str):
                if item not in events.index:
                    raise self.fail(
                        f"item {n}, {item!r}, is not an event id in {_data.TABLES['events'].file}."
                        f"{did_you_mean(item, events.index)} Write an event id, or "
                        '{"id": "...", "label": "..."} for an item that is not an event',
                        qid,
                    )
                row = events.loc[item]
                q["items"].append({"id": item, "label": str(row["title"]), "when": str(row["date_text"])})
            elif isinstance(item, Mapping):
                self.keys(item, {"id": True, "label": True}, f"item {n}", qid)
                iid = item["id"]
                if not isinstance(iid, str) or not _ID.match(iid):
                    raise self.fail(f"item {n}'s id must be lower case with no spaces, not {json.dumps(iid)[:40]}", qid)
                q["items"].append({"id": iid, "label": self.text_field(item["label"], f"item {n}'s label", qid), "when": ""})
            else:
                raise self.fail(f"item {n} must be an event id in double quotes, or {{\"id\": ..., \"label\": ...}}", qid)
        ids = [i["id"] for i in q["items"]]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise self.fail(f"the item {dupes[0]!r} is listed twice", qid)
        self._feedback(raw, q, qid)

    def run(self) -> dict[str, list[dict[str, Any]]]:
        raw = _data.parse_json(self.text, self.file)
        if not isinstance(raw, Mapping):
            raise self.fail('must hold one JSON object, {"02_timeline": [questions...], ...}')
        result: dict[str, list[dict[str, Any]]] = {}
        seen: dict[str, str] = {}
        for notebook, items in raw.items():
            if notebook.startswith("_"):
                continue  # a note for teachers
            if not _NOTEBOOK_KEY.match(notebook):
                raise self.fail(f"the key {notebook!r} is not a notebook name like \"02_timeline\" (two digits, _, lower case)")
            if not isinstance(items, list) or not items:
                raise self.fail(f"{notebook!r} must be a non-empty list [...] of questions")
            result[notebook] = []
            for index, item in enumerate(items):
                q = self.question(notebook, item, index)
                if q["id"] in seen:
                    raise self.fail(
                        f"the id {q['id']!r} is used twice (in {seen[q['id']]!r} and {notebook!r}); ids must be unique",
                        q["id"],
                    )
                seen[q["id"]] = notebook
                result[notebook].append(q)
        if not result:
            raise self.fail("holds no questions")
        return dict(sorted(result.items()))


def _read(folder: Path) -> dict[str, list[dict[str, Any]]]:
    path = folder / QUESTIONS_FILE
    text = _data.read_text(path)
    tables = _data.load_tables(None if folder == _data.DATA_DIR else folder)
    return _Checker(path, text, tables).run()


@lru_cache(maxsize=1)
def _package_questions() -> dict[str, list[dict[str, Any]]]:
    return _read(_data.DATA_DIR)


def load_questions(data_dir: str | Path | None = None) -> dict[str, list[dict[str, Any]]]:
    """All questions, checked, as ``{notebook: [question, ...]}`` (a fresh copy each call).

    `data_dir` reads a teacher's edited copy of the data folder instead of
    the package's own (it is read afresh each time, so edits show at once).
    Each question's ``excerpt`` comes back as ``{"text", "table", "id"}``,
    with the text looked up when the file refers to a data record.
    """
    if data_dir is None:
        return copy.deepcopy(_package_questions())
    return _read(_data.data_folder(data_dir))


def check_questions(folder: str | Path | None = None) -> dict[str, int]:
    """Check the questions file in a folder of data files (the package's own by default).

    Returns the number of questions per notebook, or raises DataError naming
    the file, the question id and the problem. The folder must also hold the
    data tables, because questions refer to events and records in them.
    """
    questions = load_questions(folder) if folder is not None else _package_questions()
    return {nb: len(qs) for nb, qs in questions.items()}


def notebooks() -> list[str]:
    """The notebooks that have questions, e.g. ``['01_the_article', '02_timeline', ...]``."""
    return list(_package_questions())


def question_ids(notebook: str) -> list[str]:
    """The ids of one notebook's questions, in order."""
    nb = check_choice(notebook, notebooks(), "The notebook")
    return [q["id"] for q in _package_questions()[nb]]


# --------------------------------------------------------------------------
# Reading a typed number safely (never eval)
# --------------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")
_SCALE = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


def parse_number(text: object, unit: str = "") -> float | None:
    """Read what a student typed as a number, or return None if it is not one.

    Accepts "60000", " 60,000 ", "60 000", "2 million", "2.5", and the
    question's unit after the number ("20 people", "40%"). Words like
    "sixty" are not read: the student is asked to type digits. Nothing is
    evaluated as code.
    """
    if not isinstance(text, str) or len(text) > 40:
        return None
    cleaned = " ".join(text.replace("\u2212", "-").lower().split())  # folds every kind of space
    if unit and cleaned.endswith(unit.lower()):
        cleaned = cleaned[: -len(unit)].strip()
    scale = 1
    word = re.fullmatch(r"(.*\d)\s*(thousand|million|billion)", cleaned)
    if word:
        cleaned, scale = word.group(1), _SCALE[word.group(2)]
    cleaned = re.sub(r"(?<=\d) (?=\d{3}(?:\D|$))", "", cleaned)  # "60 000" -> "60000"
    if not _NUMBER.fullmatch(cleaned):
        return None
    value = float(cleaned.replace(",", "")) * scale
    return value if math.isfinite(value) else None


# --------------------------------------------------------------------------
# Feedback as plain text and as escaped HTML
# --------------------------------------------------------------------------

def _render(parts: Sequence[tuple[str, str]]) -> tuple[str, str]:
    """Turn (kind, text) parts into plain text and escaped HTML.

    kind: "verdict" (bold), "text", "quote" (the article's words), "hint", "note".
    """
    plain, markup = [], []
    for kind, text in parts:
        safe = html.escape(text)
        if kind == "verdict":
            plain.append(text)
            markup.append(f"<p><strong>{safe}</strong></p>")
        elif kind == "quote":
            plain.append(f"From the article: “{text}”")
            markup.append(f"<p>From the article:</p><blockquote>“{safe}”</blockquote>")
        elif kind == "hint":
            plain.append(f"Hint: {text}")
            markup.append(f"<p><em>Hint:</em> {safe}</p>")
        else:
            plain.append(text)
            markup.append(f"<p>{safe}</p>")
    body = "".join(markup)
    return "\n".join(plain), f'<div role="status" aria-live="polite">{body}</div>' if body else ""


_TRY_AGAIN = "Press “Try again” to have another go."


# --------------------------------------------------------------------------
# The score shared by the questions of one notebook
# --------------------------------------------------------------------------

class Score(widgets.HTML):
    """A live score line shared by the questions of one quiz.

    ``correct`` counts questions answered correctly at some attempt,
    ``first_try`` those right on the first attempt, ``tried`` those with at
    least one attempt; ``total`` is the number of questions: the number given,
    or, if more, the number of different questions that joined this score.
    So a notebook can make ``score = quiz.Score()`` once and pass
    ``score=score`` to each ``quiz.question(...)``: running a question's cell
    again joins the same question again and counts nothing twice.
    """

    total = traitlets.Int(0)
    correct = traitlets.Int(0)
    first_try = traitlets.Int(0)
    tried = traitlets.Int(0)

    def __init__(self, total: int = 0, **kwargs: Any):
        super().__init__(**kwargs)
        self._attempts: dict[str, int] = {}
        self._solved: set[str] = set()
        self._first: set[str] = set()
        self._members: set[str] = set()
        self._given_total = total
        self.total = total
        self._show()

    def join(self, qid: str) -> None:
        """Count question `qid` among this score's questions (once, however often it joins)."""
        self._members.add(qid)
        self.total = max(self._given_total, len(self._members))
        self._show()

    def record(self, qid: str, correct: bool) -> None:
        """Count one real attempt at question `qid`."""
        self._attempts[qid] = self._attempts.get(qid, 0) + 1
        if correct:
            self._solved.add(qid)
            if self._attempts[qid] == 1:
                self._first.add(qid)
        self.correct, self.first_try, self.tried = len(self._solved), len(self._first), len(self._attempts)
        self._show()

    @property
    def text(self) -> str:
        """The score line as plain text."""
        line = f"Score: {self.correct} of {self.total} answered correctly ({self.first_try} on the first try)."
        untried = self.total - self.tried
        if untried:
            line += f" {untried} not tried yet."
        return line

    def _show(self) -> None:
        self.value = f'<p role="status" aria-live="polite"><strong>{html.escape(self.text)}</strong></p>'


# --------------------------------------------------------------------------
# The question widgets
# --------------------------------------------------------------------------

class _NotAnswered(Exception):
    """The student pressed Check without giving an answer we can read."""


class _Question(widgets.VBox):
    """What all question types share: prompt, Check, feedback, Try again, score.

    Public state for teachers and tests: ``correct`` (None before a check,
    then True or False), ``attempts`` (real answers checked), ``feedback_text``
    (the feedback as plain text), ``score`` (the shared :class:`Score`).
    """

    kind = "question"

    def __init__(self, spec: Mapping[str, Any], *, score: Score | None = None, number: int | None = None):
        super().__init__()
        self.spec = copy.deepcopy(dict(spec))
        self.id: str = self.spec["id"]
        self.score = score if score is not None else Score(1)
        self.score.join(self.id)
        self.number = number
        self.correct: bool | None = None
        self.attempts = 0
        self.feedback_text = ""
        heading = f"Question {number}" if number else "Question"
        if self.spec.get("title"):
            heading += f": {self.spec['title']}"
        self._prompt = widgets.HTML(
            f"<h4>{html.escape(heading)}</h4><p>{html.escape(self.spec['prompt'])}</p>"
        )
        self.check_button = widgets.Button(description="Check", tooltip="Check my answer", button_style="primary", icon="check")
        self.retry_button = widgets.Button(description="Try again", tooltip="Clear the feedback and answer again", disabled=True, icon="redo")
        self.feedback = widgets.HTML("")
        self.check_button.on_click(self._on_check)
        self.retry_button.on_click(self._on_retry)
        self._controls = self._build_controls()
        self.children = [
            self._prompt,
            *self._controls,
            widgets.HBox([self.check_button, self.retry_button]),
            self.feedback,
        ]
        self.add_class("aleppo2016-question")

    # -- for subclasses ---------------------------------------------------
    def _build_controls(self) -> list[widgets.Widget]:
        raise NotImplementedError

    def _answer(self) -> Any:
        """The student's answer, or raise _NotAnswered with a friendly message."""
        raise NotImplementedError

    def _judge(self, answer: Any) -> tuple[bool, list[tuple[str, str]]]:
        """(correct?, feedback parts explaining why)."""
        raise NotImplementedError

    def _set_enabled(self, enabled: bool) -> None:
        for control in self._inputs():
            control.disabled = not enabled

    def _inputs(self) -> list[widgets.Widget]:
        return list(self._controls)

    def _static_lines(self) -> list[str]:
        raise NotImplementedError

    # -- behaviour ----------------------------------------------------------
    def _show(self, parts: list[tuple[str, str]]) -> None:
        self.feedback_text, self.feedback.value = _render(parts)

    def _on_check(self, _button: widgets.Button | None = None) -> None:
        try:
            answer = self._answer()
        except _NotAnswered as note:
            self._show([("note", str(note))])
            return
        self.attempts += 1
        self.correct, parts = self._judge(answer)
        verdict = "That's right." if self.correct else "Not quite."
        parts = [("verdict", verdict), *parts]
        if ("quote", self.spec["excerpt"]["text"]) not in parts:
            parts.append(("quote", self.spec["excerpt"]["text"]))
        if not self.correct:
            if self.spec.get("hint"):
                parts.append(("hint", self.spec["hint"]))
            parts.append(("note", _TRY_AGAIN))
        self._show(parts)
        self.score.record(self.id, self.correct)
        self._set_enabled(False)
        self.check_button.disabled = True
        self.retry_button.disabled = False

    def _on_retry(self, _button: widgets.Button | None = None) -> None:
        self.correct = None
        self._show([])
        self._reset()
        self._set_enabled(True)
        self.check_button.disabled = False
        self.retry_button.disabled = True

    def _reset(self) -> None:
        """Clear the answer for a fresh try (subclasses may keep it, to edit)."""

    # -- static form (nbconvert, GitHub) -----------------------------------
    def static_text(self) -> str:
        """The question and its options as plain text, without the answer."""
        heading = f"Question {self.number}" if self.number else "Question"
        if self.spec.get("title"):
            heading += f": {self.spec['title']}"
        lines = [f"{heading} ({self.kind})", self.spec["prompt"], *self._static_lines()]
        return "\n".join(lines)

    def static_html(self) -> str:
        """The same as escaped HTML."""
        first, prompt, *rest = self.static_text().split("\n")
        items = "".join(f"<li>{html.escape(line.strip())}</li>" for line in rest if line.strip())
        listing = f"<ul>{items}</ul>" if items else ""
        return (
            f'<div class="aleppo2016-question-static"><h4>{html.escape(first)}</h4>'
            f"<p>{html.escape(prompt)}</p>{listing}"
            "<p><em>Run the notebook to answer and get feedback.</em></p></div>"
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = self.static_text() + "\n(Run the notebook to answer and get feedback.)"
        bundle["text/html"] = self.static_html()
        return bundle


def _choice_parts(choice: Mapping[str, Any]) -> list[tuple[str, str]]:
    parts = [("text", choice["feedback"])]
    if choice.get("excerpt"):
        parts.append(("quote", choice["excerpt"]["text"]))
    return parts


class MultipleChoice(_Question):
    """Pick one answer.

    Each choice is a checkbox, and ticking one unticks the others. Radio
    buttons would need the arrow keys, which JupyterLab takes for moving
    between cells; a checkbox is reached with Tab and ticked with Space.
    """

    kind = "choose one answer"

    def _build_controls(self) -> list[widgets.Widget]:
        self.boxes = [
            widgets.Checkbox(value=False, description=c["text"], indent=False, layout=widgets.Layout(width="100%"))
            for c in self.spec["choices"]
        ]
        for box in self.boxes:
            box.observe(self._only_one, names="value")
        return [widgets.HTML("<p>Your answer (tick one):</p>"), widgets.VBox(self.boxes)]

    def _inputs(self) -> list[widgets.Widget]:
        return list(self.boxes)

    def _only_one(self, change: Mapping[str, Any]) -> None:
        if change["new"]:
            for box in self.boxes:
                if box is not change["owner"]:
                    box.value = False

    @property
    def selected(self) -> str | None:
        """The text of the ticked choice, or None."""
        return next((b.description for b in self.boxes if b.value), None)

    def choose(self, text: str) -> None:
        """Tick the choice with this text (for teachers' scripts and tests)."""
        texts = [c["text"] for c in self.spec["choices"]]
        self.boxes[texts.index(check_choice(text, texts, "The choice"))].value = True

    def _answer(self) -> int:
        ticked = [i for i, b in enumerate(self.boxes) if b.value]
        if not ticked:
            raise _NotAnswered("Tick one answer first, then press Check.")
        return ticked[0]

    def _judge(self, answer: int) -> tuple[bool, list[tuple[str, str]]]:
        choice = self.spec["choices"][answer]
        return choice["correct"], _choice_parts(choice)

    def _reset(self) -> None:
        for box in self.boxes:
            box.value = False

    def _static_lines(self) -> list[str]:
        return [f"  ( ) {c['text']}" for c in self.spec["choices"]]


class MultipleSelect(_Question):
    """Tick every answer that fits (a checkbox for each, reachable with Tab)."""

    kind = "tick all that apply"

    def _build_controls(self) -> list[widgets.Widget]:
        self.boxes = [
            widgets.Checkbox(value=False, description=c["text"], indent=False, layout=widgets.Layout(width="100%"))
            for c in self.spec["choices"]
        ]
        return [widgets.VBox(self.boxes)]

    def _inputs(self) -> list[widgets.Widget]:
        return list(self.boxes)

    def choose(self, *texts: str) -> None:
        """Tick exactly these choices (for teachers' scripts and tests)."""
        all_texts = [c["text"] for c in self.spec["choices"]]
        wanted = {check_choice(t, all_texts, "The choice") for t in texts}
        for box in self.boxes:
            box.value = box.description in wanted

    @property
    def selected(self) -> list[str]:
        """The texts of the ticked choices."""
        return [b.description for b in self.boxes if b.value]

    def _answer(self) -> list[int]:
        ticked = [i for i, b in enumerate(self.boxes) if b.value]
        if not ticked:
            raise _NotAnswered("Tick at least one answer first, then press Check.")
        return ticked

    def _judge(self, answer: list[int]) -> tuple[bool, list[tuple[str, str]]]:
        choices = self.spec["choices"]
        right = {i for i, c in enumerate(choices) if c["correct"]}
        ticked = set(answer)
        parts: list[tuple[str, str]] = []
        wrong = sorted(ticked - right)
        missed = sorted(right - ticked)
        if not wrong and not missed:
            for i in sorted(right):
                parts += [("text", f"“{choices[i]['text']}”: {choices[i]['feedback']}")]
            return True, parts
        for i in wrong:
            parts.append(("text", f"You ticked “{choices[i]['text']}”: {choices[i]['feedback']}"))
            if choices[i].get("excerpt"):
                parts.append(("quote", choices[i]["excerpt"]["text"]))
        good = len(ticked & right)
        parts.append(("text", f"{good} of your ticks {'is' if good == 1 else 'are'} right, and "
                              f"{len(missed)} right {'answer was' if len(missed) == 1 else 'answers were'} not ticked."))
        return False, parts

    def _reset(self) -> None:
        pass  # keep the ticks so the student can change just the wrong ones

    def _static_lines(self) -> list[str]:
        return [f"  [ ] {c['text']}" for c in self.spec["choices"]]


class NumericQuestion(_Question):
    """Type a number; it counts as right within the question's tolerance."""

    kind = "type a number"

    def _build_controls(self) -> list[widgets.Widget]:
        unit = self.spec.get("unit", "")
        self.entry = widgets.Text(
            value="",
            placeholder="type a number, e.g. 1500",
            description="Your answer:",
            style={"description_width": "initial"},
        )
        self.unit_label = widgets.Label(unit)
        return [widgets.HBox([self.entry, self.unit_label])]

    def _inputs(self) -> list[widgets.Widget]:
        return [self.entry]

    def _answer(self) -> float:
        typed = self.entry.value
        if not isinstance(typed, str) or not typed.strip():
            raise _NotAnswered("Type a number in the box first, then press Check.")
        value = parse_number(typed, self.spec.get("unit", ""))
        if value is None:
            raise _NotAnswered(
                f"Please type a number using digits, like 60000 or 60,000. “{typed.strip()[:40]}” is not one we can read."
            )
        return value

    def _judge(self, answer: float) -> tuple[bool, list[tuple[str, str]]]:
        target, tolerance = self.spec["answer"], self.spec["tolerance"]
        feedback = self.spec["feedback"]
        if abs(answer - target) <= tolerance + 1e-9 * max(1.0, abs(target)):
            return True, [("text", feedback["correct"])]
        key = "too_low" if answer < target else "too_high"
        return False, [("text", feedback[key])]

    def _reset(self) -> None:
        pass  # keep the typed text so the student can correct it

    def _static_lines(self) -> list[str]:
        unit = self.spec.get("unit", "")
        return [f"  Answer: ______ {unit}".rstrip()]


class OrderingQuestion(_Question):
    """Put items (usually events) in order, earliest first.

    Each place in the list has its own "Up" and "Down" buttons, reached with
    Tab and pressed with Enter or Space; after a move the keyboard focus
    follows the item. (A list box would need the arrow keys, which
    JupyterLab takes for moving between cells.)
    """

    kind = "put in order"

    def _build_controls(self) -> list[widgets.Widget]:
        items = self.spec["items"]
        self._labels = {i["id"]: i["label"] for i in items}
        self._correct_order = [i["id"] for i in items]
        start = list(self._correct_order)
        rng = random.Random(self.id)  # the same starting order every run, never the answer
        while start == self._correct_order:
            rng.shuffle(start)
        self._start = start
        self._order = list(start)
        self.rows: list[tuple[widgets.Label, widgets.Button, widgets.Button]] = []
        boxes = []
        for place in range(len(items)):
            label = widgets.Label(layout=widgets.Layout(flex="1 1 auto"))
            up = widgets.Button(description="Up", icon="arrow-up", layout=widgets.Layout(width="6em"))
            down = widgets.Button(description="Down", icon="arrow-down", layout=widgets.Layout(width="6em"))
            up.on_click(lambda _b, place=place: self._move_place(place, -1))
            down.on_click(lambda _b, place=place: self._move_place(place, +1))
            self.rows.append((label, up, down))
            boxes.append(widgets.HBox([up, down, label]))
        self._refresh()
        note = widgets.HTML("<p><em>Earliest at the top. Use Up and Down to move an item.</em></p>")
        return [note, widgets.VBox(boxes)]

    def _inputs(self) -> list[widgets.Widget]:
        return [button for _, up, down in self.rows for button in (up, down)]

    def _refresh(self) -> None:
        last = len(self._order)
        for place, (label, up, down) in enumerate(self.rows):
            text = self._labels[self._order[place]]
            label.value = f"{place + 1}. {text}"
            up.tooltip = f"Move “{text}” one place earlier"
            down.tooltip = f"Move “{text}” one place later"
            if self.correct is None:  # while checked, every button stays disabled
                up.disabled = place == 0
                down.disabled = place == last - 1

    def _set_enabled(self, enabled: bool) -> None:
        super()._set_enabled(enabled)
        if enabled:
            self._refresh()

    def _move_place(self, place: int, step: int) -> None:
        to = min(max(place + step, 0), len(self._order) - 1)
        self.move(self._order[place], step)
        button = self.rows[to][1 if step < 0 else 2]
        if button.disabled:  # at the top or bottom: keep focus on the row's other button
            button = self.rows[to][2 if step < 0 else 1]
        button.focus()

    @property
    def order(self) -> list[str]:
        """The item ids in the order the student has put them."""
        return list(self._order)

    @order.setter
    def order(self, ids: Sequence[str]) -> None:
        if isinstance(ids, str) or not isinstance(ids, Sequence):
            raise TypeError(f"order must be a list of item ids; got {type(ids).__name__}.")
        if sorted(ids) != sorted(self._order):
            raise ValueError(f"order must list each of these ids once: {', '.join(sorted(self._order))}.")
        self._order = list(ids)
        self._refresh()

    def move(self, item: str, step: int) -> None:
        """Move one item up (step -1) or down (+1) by its id."""
        item = check_choice(item, self._order, "The item")
        at = self._order.index(item)
        to = min(max(at + step, 0), len(self._order) - 1)
        self._order.insert(to, self._order.pop(at))
        self._refresh()

    def _answer(self) -> list[str]:
        return list(self._order)

    def _judge(self, answer: list[str]) -> tuple[bool, list[tuple[str, str]]]:
        feedback = self.spec["feedback"]
        items = {i["id"]: i for i in self.spec["items"]}
        if answer == self._correct_order:
            parts = [("text", feedback["correct"])]
            dated = [f"{n}. {items[i]['label']} ({items[i]['when']})" for n, i in enumerate(answer, 1) if items[i]["when"]]
            if dated:
                parts.append(("text", "The order, with the article's words for when: " + "; ".join(dated) + "."))
            return True, parts
        in_place = sum(a == b for a, b in zip(answer, self._correct_order))
        parts = [
            ("text", f"{in_place} of {len(answer)} are in the right place."),
            ("text", feedback["incorrect"]),
        ]
        # Point at the first pair that is the wrong way round, with the article's own time words.
        rank = {i: n for n, i in enumerate(self._correct_order)}
        for a, b in zip(answer, answer[1:]):
            if rank[a] > rank[b]:
                clue = f"Look again at “{items[a]['label']}” and “{items[b]['label']}”"
                if items[a]["when"] and items[b]["when"]:
                    clue += f": the article places them “{items[a]['when']}” and “{items[b]['when']}”"
                parts.append(("text", clue + "."))
                break
        return False, parts

    def _reset(self) -> None:
        pass  # keep the order so the student can fix it

    def _static_lines(self) -> list[str]:
        return ["  (starting order; put them in order, earliest first)"] + [
            f"  {n}. {self._labels[i]}" for n, i in enumerate(self._start, 1)
        ]


_WIDGETS: dict[str, type[_Question]] = {
    "multiple_choice": MultipleChoice,
    "multiple_select": MultipleSelect,
    "numeric": NumericQuestion,
    "ordering": OrderingQuestion,
}


class Quiz(widgets.VBox):
    """All the questions of one notebook, sharing one live score line."""

    def __init__(self, notebook: str, specs: Sequence[Mapping[str, Any]]):
        super().__init__()
        self.notebook = notebook
        self.score = Score(len(specs))
        self.questions = [
            _WIDGETS[s["type"]](s, score=self.score, number=n) for n, s in enumerate(specs, 1)
        ]
        self.children = [*self.questions, self.score]
        self.add_class("aleppo2016-quiz")

    def question(self, qid: str) -> _Question:
        """One of this quiz's questions by id."""
        ids = [q.id for q in self.questions]
        return self.questions[ids.index(check_choice(qid, ids, "The question id"))]

    def static_text(self) -> str:
        return "\n\n".join(q.static_text() for q in self.questions)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = self.static_text() + "\n\n(Run the notebook to answer and get feedback.)"
        bundle["text/html"] = "".join(q.static_html() for q in self.questions)
        return bundle


def questions(notebook: str) -> Quiz:
    """A fresh quiz with every question of one notebook and a live score line."""
    nb = check_choice(notebook, notebooks(), "The notebook")
    return Quiz(nb, load_questions()[nb])


def question(notebook: str, qid: str, *, score: Score | None = None) -> _Question:
    """A fresh widget for one question; pass `score=` to count it with others."""
    nb = check_choice(notebook, notebooks(), "The notebook")
    if score is not None and not isinstance(score, Score):
        raise TypeError(f"score must be an aleppo2016.quiz.Score, got {type(score).__name__}.")
    specs = load_questions()[nb]
    ids = [s["id"] for s in specs]
    spec = specs[ids.index(check_choice(qid, ids, f"The question id in {nb}"))]
    return _WIDGETS[spec["type"]](spec, score=score)
