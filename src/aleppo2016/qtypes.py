"""The question types: one class per type, each holding everything about it.

A type declares the keys it adds to ``questions.json``, checks its own part
of a question there, builds its controls, reads the student's answer as a
JSON value, judges an answer, writes its lines of the teacher's answer key
and puts a saved answer back in its controls. The list of types is the
registry :data:`TYPES`, filled by the classes themselves: adding a type is
adding one class (with a ``type_name``) and questions that use it.

The answer of each type, as it is recorded and restored:

===================  =================================================
multiple_choice      the chosen choice's text
multiple_select      the ticked choices' texts, in the question's order
numeric              the number read (an int when it is whole)
ordering             the item ids, in the student's order
true_false           "True" or "False"
open                 the text written
===================  =================================================

Loading the questions file, the per-kernel record of answers and the
notebook-facing functions live in :mod:`aleppo2016.quiz`.
"""
from __future__ import annotations

import copy
import html
import math
import random
import re
import weakref
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, ClassVar

import ipywidgets as widgets
import traitlets

from .errors import check_choice, did_you_mean
from . import text as _text

if TYPE_CHECKING:
    from .quiz import _Checker

__all__ = [
    "TYPES",
    "question_type",
    "Question",
    "Score",
    "MultipleChoice",
    "MultipleSelect",
    "NumericQuestion",
    "OrderingQuestion",
    "TrueFalseQuestion",
    "OpenQuestion",
    "parse_number",
]

#: Every question type by its name in questions.json, filled by the classes below.
TYPES: dict[str, type[Question]] = {}

_TYPE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_ID = re.compile(r"^[a-z0-9_]+$")


def question_type(name: object) -> type[Question]:
    """The class of a question type, by its name in questions.json (an unknown name is an error)."""
    return TYPES[check_choice(name, TYPES, "The question type")]


def now_utc() -> str:
    """The time of an attempt: UTC, to the second, e.g. '2026-11-29T20:31:05Z'."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --------------------------------------------------------------------------
# Reading a typed number safely (never eval)
# --------------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")
_SCALE = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}


def parse_number(text: object, unit: str = "") -> float | None:
    """Read what a student typed as a number, or return None if it is not one.

    Accepts "60000", " 60,000 ", "60 000", "2 million", "2.5", a day written
    as an ordinal ("23rd"), and the question's unit after the number
    ("20 people", "40%"). Words like
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
    cleaned = re.sub(r"^(\d+)(?:st|nd|rd|th)$", r"\1", cleaned)  # "23rd" -> "23"
    if not _NUMBER.fullmatch(cleaned):
        return None
    value = float(cleaned.replace(",", "")) * scale
    return value if math.isfinite(value) else None


def _json_number(value: float) -> int | float:
    """A number as it is recorded: 60000, not 60000.0."""
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else float(value)


# --------------------------------------------------------------------------
# Feedback as plain text and as escaped HTML; answer-key text as Markdown
# --------------------------------------------------------------------------

#: Right, wrong and note boxes: colour, an icon and words together, never colour alone.
#: Colours are set with their text colour, so they read the same in light and dark themes
#: (text contrast at least 7:1 on each background); a disabled answer keeps its ticks readable.
QUESTION_CSS = (
    ".aleppo2016-question .aleppo2016-question-heading{font-size:var(--jp-content-font-size2,1.2em);"
    "font-weight:bold;margin:0.6em 0 0.3em}"
    ".aleppo2016-feedback{border-left:0.35em solid #5c6670;background:#f2f4f6;color:#1b1f23;"
    "padding:0.2em 0.8em;margin:0.4em 0;border-radius:2px}"
    ".aleppo2016-feedback.aleppo2016-right{border-left-color:#1a7f37;background:#e6f4ea}"
    ".aleppo2016-feedback.aleppo2016-wrong{border-left-color:#b3261e;background:#fcebea}"
    ".aleppo2016-feedback .aleppo2016-verdict{font-size:1.05em}"
    ".aleppo2016-feedback .aleppo2016-icon{display:inline-block;width:1.3em;font-weight:bold}"
    ".aleppo2016-right .aleppo2016-icon{color:#1a7f37}.aleppo2016-wrong .aleppo2016-icon{color:#b3261e}"
    ".aleppo2016-feedback blockquote{color:#1b1f23;border-left-color:#8c959f}"
    # A long choice wraps onto a second line instead of being cut with "…" on a narrow screen.
    ".aleppo2016-question .widget-checkbox{height:auto;min-height:var(--jp-widgets-inline-height)}"
    ".aleppo2016-question .widget-checkbox .widget-label-basic{white-space:normal;overflow:visible;"
    "text-overflow:clip;line-height:1.4;padding:0.25em 0}"
    # Checked: the answer is read-only, not faded (ipywidgets fades disabled controls to 0.6 or less).
    ".aleppo2016-question .widget-checkbox.mod-disabled,.aleppo2016-question .mod-disabled .widget-label-basic,"
    ".aleppo2016-question .widget-checkbox input:disabled,.aleppo2016-question .widget-text.mod-disabled,"
    ".aleppo2016-question .widget-text input:disabled{opacity:1;color:var(--jp-ui-font-color1);cursor:default}"
    # Chromium greys out a disabled check box whatever its colour: draw the box, so a tick stays clear.
    ".aleppo2016-question .widget-checkbox input[type=checkbox]:disabled{-webkit-appearance:none;appearance:none;"
    "box-sizing:border-box;width:16px;height:16px;margin:0 6px 0 0;border:2px solid #44505c;border-radius:3px;"
    "background:#fff;display:inline-flex;align-items:center;justify-content:center;flex:none}"
    ".aleppo2016-question .widget-checkbox input[type=checkbox]:disabled:checked{background:#1b4f8a;border-color:#1b4f8a}"
    ".aleppo2016-question .widget-checkbox input[type=checkbox]:disabled:checked::after{content:'\\2714';color:#fff;"
    "font-size:11px;line-height:1;font-weight:bold}"
    ".aleppo2016-question .widget-checkbox input:disabled:checked+span{font-weight:bold}"
    # Paragraphs at a reading line height (ipywidgets sets its 28 px control height as the line height).
    ".aleppo2016-question .widget-html-content,.aleppo2016-score .widget-html-content{line-height:1.5}"
)

#: Makes the HTML widget's own element a live region once it is drawn, so that later
#: feedback is written INTO a region that already exists (screen readers announce a
#: change inside an existing region reliably, a newly inserted region often not).
#: ipywidgets has no way to set ARIA attributes on a widget's element, and its HTML
#: view keeps one content element whose inner HTML each new value replaces; a style
#: element's load handler reaches that element. The handler is constant text: nothing
#: from the data or from a student is ever put into it.
_LIVE_HOOK = (
    '<style onload="var c=this.parentNode;if(c&&!c.hasAttribute(\'role\')){c.setAttribute(\'role\',\'status\');'
    'c.setAttribute(\'aria-live\',\'polite\');c.setAttribute(\'aria-atomic\',\'true\')}">'
)


def live_html(body: str, css: str = "") -> str:
    """The value for a live-region HTML widget: the hook (with `css`), then `body`."""
    return f"{_LIVE_HOOK}{css}</style>{body}"


#: Feedback parts to plain text and HTML: one renderer for questions and explorers (aleppo2016.text).
render_parts = _text.render


def md_text(value: object) -> str:
    """Data text on one line for the Markdown key, with < and > shown as characters (never markup)."""
    return " ".join(str(value).split()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def md_number(value: float) -> str:
    """60000 -> '60,000'; 2.5 -> '2.5'."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def _excerpt_line(excerpt: Mapping[str, Any] | None) -> str | None:
    return f"  - *Quotes the article:* “{md_text(excerpt['text'])}”" if excerpt else None


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
    again joins the same question again and counts nothing twice. The counts
    are read from the questions' records, so attempts kept from an earlier
    run of a cell (or restored from a saved file) count too.
    """

    total = traitlets.Int(0)
    correct = traitlets.Int(0)
    first_try = traitlets.Int(0)
    tried = traitlets.Int(0)

    def __init__(self, total: int = 0, **kwargs: Any):
        super().__init__(**kwargs)
        self.add_class("aleppo2016-score")
        self._records: dict[str, Mapping[str, Any]] = {}
        self._members: set[str] = set()
        self._given_total = total
        self.total = total
        self.refresh()

    def join(self, qid: str, record: Mapping[str, Any] | None = None) -> None:
        """Count question `qid` among this score's questions (once, however often it joins)."""
        self._members.add(qid)
        if record is not None:
            self._records[qid] = record
        else:
            self._records.setdefault(qid, {"attempts": []})
        self.refresh()

    def record(self, qid: str, correct: bool) -> None:
        """Count one real attempt at question `qid` (the question widgets record their own)."""
        rec = self._records.setdefault(qid, {"attempts": []})
        rec["attempts"].append({"answer": None, "correct": bool(correct), "at": now_utc()})
        self.refresh()

    def counts(self, record: Mapping[str, Any]) -> bool:
        """Whether this score counts this record (a question's record is shared by its copies)."""
        return any(r is record for r in self._records.values())

    def refresh(self) -> None:
        """Recount from the records and redraw the line (one redraw for the four counts)."""
        judged = [[a["correct"] for a in r["attempts"]] for r in self._records.values()]
        with self.hold_trait_notifications():
            self.total = max(self._given_total, len(self._members))
            self.correct = sum(True in flags for flags in judged)
            self.first_try = sum(bool(flags) and flags[0] is True for flags in judged)
            self.tried = sum(bool(flags) for flags in judged)
        self.value = live_html(f"<p><strong>{html.escape(self.text)}</strong></p>")

    @property
    def text(self) -> str:
        """The score line as plain text."""
        line = f"Score: {self.correct} of {self.total} answered correctly ({self.first_try} on the first try)."
        untried = self.total - self.tried
        if untried:
            line += f" {untried} not tried yet."
        return line


# --------------------------------------------------------------------------
# What every question type shares
# --------------------------------------------------------------------------

class NotAnswered(Exception):
    """The student pressed Check without giving an answer we can read."""


# Every live question widget, so that a record changed in one place (another copy of
# the question, or quiz.restore) shows in each widget and score that holds it.
_LIVE: weakref.WeakSet[Question] = weakref.WeakSet()


class Question(widgets.VBox):
    """A question: prompt, controls, Check, feedback in one live region, Try again, score.

    A subclass with a ``type_name`` is a question type (it registers itself in
    :data:`TYPES`). It declares ``spec_keys`` (its own keys in questions.json: True
    when required) and implements the class methods ``check_spec``, ``judge``,
    ``right_answer``, ``check_answer`` and ``answer_key_lines`` (no widget
    needed) and the widget methods ``_build_controls``, ``_read_answer``,
    ``_show_answer`` and ``_static_lines``.

    Public state: ``correct`` (None until checked, then True or False; None
    again after Try again), ``attempts`` (real answers checked), ``answer``
    (what the controls hold, as a JSON value, or None), ``record`` (every
    attempt, see :func:`aleppo2016.quiz.answered`), ``feedback_text``,
    ``score``.
    """

    type_name: ClassVar[str] = ""
    title: ClassVar[str] = "Question"  # for the answer key
    kind: ClassVar[str] = "question"  # shown to students in the static form
    spec_keys: ClassVar[Mapping[str, bool]] = {}
    scored: ClassVar[bool] = True  # False: no right or wrong, not counted in a score
    check_label: ClassVar[str] = "Check"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        name = cls.__dict__.get("type_name")
        if not name:
            return  # a shared base, not a type
        if not _TYPE_NAME.match(name):
            raise TypeError(f"type_name {name!r} must be lower case letters, digits and _.")
        if name in TYPES and TYPES[name].__qualname__ != cls.__qualname__:
            raise TypeError(f"two question types are named {name!r}: {TYPES[name].__qualname__} and {cls.__qualname__}.")
        TYPES[name] = cls

    # -- the type, without widgets ----------------------------------------
    @classmethod
    def check_spec(cls, raw: Mapping[str, Any], q: dict[str, Any], checker: _Checker) -> None:
        """Check this type's keys of `raw` (a question from the file) and copy them, cleaned, into `q`."""
        raise NotImplementedError

    @classmethod
    def judge(cls, spec: Mapping[str, Any], answer: Any) -> tuple[bool | None, list[tuple[str, str]]]:
        """(right?, feedback parts saying why) for a valid answer; None when there is no right or wrong."""
        raise NotImplementedError

    @classmethod
    def right_answer(cls, spec: Mapping[str, Any]) -> Any:
        """An answer the type judges right (for an open question, the model answer)."""
        raise NotImplementedError

    @classmethod
    def sample_answers(cls, spec: Mapping[str, Any]) -> list[Any]:
        """A few possible answers, right and wrong (for tests and benchmarks that play a student)."""
        raise NotImplementedError

    @classmethod
    def check_answer(cls, spec: Mapping[str, Any], answer: object) -> Any:
        """`answer` if it is a possible answer to this question (as recorded), else a clear ValueError."""
        raise NotImplementedError

    @classmethod
    def answer_key_lines(cls, spec: Mapping[str, Any]) -> list[str]:
        """The answer key's Markdown lines for this question's answer and feedback."""
        raise NotImplementedError

    @classmethod
    def new_record(cls, spec: Mapping[str, Any]) -> dict[str, Any]:
        """An empty record for this question (the format quiz.answered() returns)."""
        return {"notebook": spec.get("notebook", ""), "id": spec["id"], "type": cls.type_name,
                "attempts": [], "first_try_correct": None, "correct": None}

    @staticmethod
    def settle(record: dict[str, Any]) -> None:
        """Set a record's first_try_correct and correct from its attempts (right at some attempt)."""
        flags = [a["correct"] for a in record["attempts"]]
        record["first_try_correct"] = flags[0] if flags else None
        judged = [f for f in flags if f is not None]
        record["correct"] = (True in judged) if judged else None

    # -- the widget -------------------------------------------------------
    def __init__(
        self,
        spec: Mapping[str, Any],
        *,
        score: Score | None = None,
        number: int | None = None,
        record: dict[str, Any] | None = None,
        heading_level: int = 3,
    ):
        super().__init__()
        if isinstance(heading_level, bool) or heading_level not in range(1, 7):
            raise ValueError(f"heading_level must be a whole number from 1 to 6 (the heading level of the question's "
                             f"title for screen readers); got {heading_level!r:.40}.")
        self.spec = copy.deepcopy(dict(spec))
        self.id: str = self.spec["id"]
        self.number = number
        self.record = record if record is not None else self.new_record(self.spec)
        self.correct: bool | None = None
        self.checked = False  # True from a Check until Try again
        self.feedback_text = ""
        self.score = score if score is not None else Score(1 if self.scored else 0)
        heading = f"Question {number}" if number else "Question"
        if self.spec.get("title"):
            heading += f": {self.spec['title']}"
        # A heading for screen readers at the level that fits where the question sits (3 by default:
        # the notebooks put questions under ## and ### sections, so 3 never skips a level), drawn
        # the same whatever the level. The page's one style block for questions comes with it.
        self.heading_level = heading_level
        self._prompt = widgets.HTML(
            f"<style>{QUESTION_CSS}</style>"
            f'<div class="aleppo2016-question-heading" role="heading" aria-level="{heading_level}">'
            f"{html.escape(heading)}</div><p>{html.escape(self.spec['prompt'])}</p>")
        self.check_button = widgets.Button(description=self.check_label, tooltip="Check my answer",
                                           button_style="primary", icon="check")
        self.retry_button = widgets.Button(description="Try again", tooltip="Clear the feedback and answer again",
                                           disabled=True, icon="redo")
        self.feedback = widgets.HTML(live_html(""))  # the question's one live region, there from the start
        self.feedback.add_class("aleppo2016-live")
        self.check_button.on_click(self._on_check)
        self.retry_button.on_click(self._on_retry)
        self._controls = self._build_controls()
        buttons = [self.check_button, self.retry_button] if self.scored else [self.check_button]
        self.children = [self._prompt, *self._controls, widgets.HBox(buttons), self.feedback]
        self.add_class("aleppo2016-question")
        if self.scored:
            self.score.join(self.id, self.record)
        _LIVE.add(self)
        self.show_record()

    # -- for subclasses ---------------------------------------------------
    def _build_controls(self) -> list[widgets.Widget]:
        raise NotImplementedError

    def _read_answer(self) -> Any:
        """The answer in the controls as a JSON value, or raise NotAnswered with a friendly message."""
        raise NotImplementedError

    def _show_answer(self, answer: Any) -> None:
        """Put a valid answer in the controls."""
        raise NotImplementedError

    def inputs(self) -> list[widgets.Widget]:
        """The controls a student answers with (disabled while checked)."""
        return list(self._controls)

    def _static_lines(self) -> list[str]:
        raise NotImplementedError

    def _reset(self) -> None:
        """Clear the answer for a fresh try (subclasses may keep it, to edit)."""

    def _set_enabled(self, enabled: bool) -> None:
        for control in self.inputs():
            control.disabled = not enabled

    # -- behaviour ----------------------------------------------------------
    @property
    def attempts(self) -> int:
        """Real answers checked (kept when the cell is run again)."""
        return len(self.record["attempts"])

    @property
    def answer(self) -> Any:
        """The answer the controls hold, as it would be recorded (None if there is none yet)."""
        try:
            return self._read_answer()
        except NotAnswered:
            return None

    @answer.setter
    def answer(self, value: Any) -> None:
        if self.checked:
            raise RuntimeError("This question has been checked: press Try again (retry_button) before changing the answer.")
        self._show_answer(self.check_answer(self.spec, value))

    def _show(self, parts: list[tuple[str, str]]) -> None:
        self.feedback_text, body = render_parts(parts)
        self.feedback.value = live_html(body)  # new words in the same live region, never a new region

    def _verdict_parts(self, correct: bool | None, parts: list[tuple[str, str]]) -> list[tuple[str, str]]:
        parts = [("right", "That's right.") if correct else ("wrong", "Not quite."), *parts]
        # The question's excerpt is the article's sentence that holds the answer: shown once it is
        # found, never after a wrong try (it would give the answer away; the hint says where to look).
        excerpt = self.spec.get("excerpt")
        if correct is not False and excerpt and ("quote", excerpt["text"]) not in parts:
            parts.append(("quote", excerpt["text"]))
        if not correct:
            if self.spec.get("hint"):
                parts.append(("hint", self.spec["hint"]))
            parts.append(("note", _TRY_AGAIN))
        return parts

    def _enter_checked(self, correct: bool | None, parts: list[tuple[str, str]]) -> None:
        self.correct = correct
        self.checked = True
        self._show(self._verdict_parts(correct, parts))
        self._set_enabled(False)
        self.check_button.disabled = True
        self.retry_button.disabled = False

    def _on_check(self, _button: widgets.Button | None = None) -> None:
        if self.checked:
            return  # Check pressed again without "Try again": the same attempt, counted once
        try:
            answer = self._read_answer()
        except NotAnswered as note:
            self._show([("note", str(note))])
            return
        correct, parts = self.judge(self.spec, answer)
        self.record["attempts"].append({"answer": copy.deepcopy(answer), "correct": correct, "at": now_utc()})
        self.settle(self.record)
        self._enter_checked(correct, parts)
        self._refresh_scores()
        if _button is not None:
            self._focus_after_check()

    def _focus_after_check(self) -> None:
        """Keep the keyboard in the question: Check is now disabled, so focus would fall to the page."""
        self.retry_button.focus()

    def _focus_after_retry(self) -> None:
        """Back to the answer: the first control that can take focus."""
        for control in self.inputs():
            if not getattr(control, "disabled", False):
                control.focus()
                return
        self.check_button.focus()

    def _refresh_scores(self) -> None:
        for q in list(_LIVE):
            if q.record is self.record and q.score is not self.score and q.score.counts(self.record):
                q.score.refresh()
        if self.score.counts(self.record):
            self.score.refresh()

    def _on_retry(self, _button: widgets.Button | None = None) -> None:
        self.correct = None
        self.checked = False
        self._show([])
        self._reset()
        self._set_enabled(True)
        self.check_button.disabled = False
        self.retry_button.disabled = True
        if _button is not None:
            self._focus_after_retry()

    def show_record(self) -> None:
        """Show what the record holds: the last attempt back in the controls, with its feedback.

        Used when a question is made again (a cell run again) and after
        quiz.restore(); nothing is counted again.
        """
        if self.checked:
            self._on_retry()
        attempts = self.record["attempts"]
        if not attempts:
            return
        last = attempts[-1]
        try:
            answer = self.check_answer(self.spec, last["answer"])
        except (TypeError, ValueError, LookupError):
            return  # recorded by a score without an answer: nothing to show
        self._show_answer(answer)
        correct, parts = self.judge(self.spec, answer)
        self._enter_checked(correct, parts)
        self._show(self._verdict_parts(correct, parts) + [
            ("note", f"This is your answer from earlier ({_count(len(attempts), 'attempt')} so far).")
        ])

    # -- static form (nbconvert, GitHub) -----------------------------------
    def static_text(self) -> str:
        """The question and its options as plain text, without the answer."""
        heading = f"Question {self.number}" if self.number else "Question"
        if self.spec.get("title"):
            heading += f": {self.spec['title']}"
        return "\n".join([f"{heading} ({self.kind})", self.spec["prompt"], *self._static_lines()])

    def static_html(self) -> str:
        """The same as escaped HTML."""
        first, prompt, *rest = self.static_text().split("\n")
        items = "".join(f"<li>{html.escape(line.strip())}</li>" for line in rest if line.strip())
        listing = f"<ul>{items}</ul>" if items else ""
        return (
            f'<div class="aleppo2016-question-static"><div role="heading" aria-level="{self.heading_level}">'
            f"<strong>{html.escape(first)}</strong></div>"
            f"<p>{html.escape(prompt)}</p>{listing}"
            "<p><em>Run the notebook to answer and get feedback.</em></p></div>"
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = self.static_text() + "\n(Run the notebook to answer and get feedback.)"
        bundle["text/html"] = self.static_html()
        return bundle


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _feedback(raw: Mapping[str, Any], q: dict[str, Any], qid: str, checker: _Checker, wanted: Sequence[str]) -> None:
    """A 'feedback' object with exactly these keys, each some text."""
    feedback = raw["feedback"]
    if not isinstance(feedback, Mapping):
        raise checker.fail(f"'feedback' must be a JSON object with {', '.join(wanted)}", qid)
    checker.keys(feedback, dict.fromkeys(wanted, True), "the feedback", qid)
    q["feedback"] = {k: checker.text_field(feedback[k], f"the {k!r} feedback", qid) for k in wanted}


def _list_of_text(answer: object, what: str) -> list[str]:
    if isinstance(answer, str) or not isinstance(answer, Sequence) or not all(isinstance(a, str) for a in answer):
        raise TypeError(f"{what} must be a list of texts; got {type(answer).__name__} {answer!r:.60}.")
    return list(answer)


# --------------------------------------------------------------------------
# Choices: one answer, several answers, true or false
# --------------------------------------------------------------------------

class _Choices(Question):
    """What the choice types share: a checkbox for each choice (reached with Tab, ticked with Space)."""

    spec_keys = {"choices": True}
    _CHOICE_KEYS = {"text": True, "correct": True, "feedback": True, "excerpt": False}
    #: True where exactly one choice may be right; otherwise one or more.
    one_right = False

    @classmethod
    def check_spec(cls, raw: Mapping[str, Any], q: dict[str, Any], checker: _Checker) -> None:
        qid = q["id"]
        choices = raw["choices"]
        if not isinstance(choices, list) or len(choices) < 2:
            raise checker.fail("'choices' must be a list [...] of at least two choices", qid)
        q["choices"] = []
        for n, choice in enumerate(choices, 1):
            what = f"choice {n}"
            if not isinstance(choice, Mapping):
                raise checker.fail(f"{what} must be a JSON object with text, correct and feedback", qid)
            checker.keys(choice, cls._CHOICE_KEYS, what, qid)
            if not isinstance(choice["correct"], bool):
                raise checker.fail(f"{what}: 'correct' must be true or false (no quotes)", qid)
            q["choices"].append({
                "text": checker.text_field(choice["text"], f"{what}'s text", qid),
                "correct": choice["correct"],
                "feedback": checker.text_field(choice["feedback"], f"{what}'s feedback", qid),
                "excerpt": checker.excerpt(choice["excerpt"], f"{what}'s excerpt", qid) if "excerpt" in choice else None,
            })
        texts = [c["text"] for c in q["choices"]]
        dupes = sorted({t for t in texts if texts.count(t) > 1})
        if dupes:
            raise checker.fail(f"the choice {dupes[0]!r} is listed twice", qid)
        right = sum(c["correct"] for c in q["choices"])
        if not right:
            raise checker.fail(f'a {cls.type_name} question needs at least one choice marked "correct": true, and none is', qid)
        if cls.one_right and right > 1:
            raise checker.fail(f"a {cls.type_name} question needs exactly one correct choice, but {right} are marked "
                               '"correct": true (use multiple_select when several are right)', qid)

    @staticmethod
    def _texts(spec: Mapping[str, Any]) -> list[str]:
        return [c["text"] for c in spec["choices"]]

    @classmethod
    def answer_key_lines(cls, spec: Mapping[str, Any]) -> list[str]:
        right = [c for c in spec["choices"] if c["correct"]]
        answer = "; ".join(f"**{md_text(c['text'])}**" for c in right)
        lines = [f"**Answer{'s' if len(right) > 1 else ''}:** {answer}", "", "Every choice and its feedback:", ""]
        for c in spec["choices"]:
            lines += [f"- {'Right' if c['correct'] else 'Wrong'}: {md_text(c['text'])}", f"  - *Feedback:* {md_text(c['feedback'])}"]
            quoted = _excerpt_line(c.get("excerpt"))
            if quoted:
                lines.append(quoted)
        return lines + [""]

    def _build_controls(self) -> list[widgets.Widget]:
        self.boxes = [
            widgets.Checkbox(value=False, description=c["text"], indent=False,
                             layout=widgets.Layout(width="auto", max_width="100%"))
            for c in self.spec["choices"]
        ]
        return [widgets.VBox(self.boxes)]

    def inputs(self) -> list[widgets.Widget]:
        return list(self.boxes)

    def _ticked(self) -> list[str]:
        return [c["text"] for c, box in zip(self.spec["choices"], self.boxes) if box.value]


class MultipleChoice(_Choices):
    """Pick one answer.

    Each choice is a checkbox, and ticking one unticks the others. Radio
    buttons would need the arrow keys, which JupyterLab takes for moving
    between cells; a checkbox is reached with Tab and ticked with Space.
    """

    type_name = "multiple_choice"
    title = "Multiple choice (one answer)"
    one_right = True
    kind = "choose one answer"

    @classmethod
    def check_answer(cls, spec: Mapping[str, Any], answer: object) -> str:
        return check_choice(answer, cls._texts(spec), "The answer")

    @classmethod
    def right_answer(cls, spec: Mapping[str, Any]) -> str:
        return next(c["text"] for c in spec["choices"] if c["correct"])

    @classmethod
    def sample_answers(cls, spec: Mapping[str, Any]) -> list[str]:
        return cls._texts(spec)

    @classmethod
    def judge(cls, spec: Mapping[str, Any], answer: str) -> tuple[bool, list[tuple[str, str]]]:
        choice = spec["choices"][cls._texts(spec).index(answer)]
        parts = [("text", choice["feedback"])]
        if choice.get("excerpt"):
            parts.append(("quote", choice["excerpt"]["text"]))
        return choice["correct"], parts

    def _build_controls(self) -> list[widgets.Widget]:
        controls = super()._build_controls()
        for box in self.boxes:
            box.observe(self._only_one, names="value")
        return [widgets.HTML("<p>Your answer (tick one):</p>"), *controls]

    def _only_one(self, change: Mapping[str, Any]) -> None:
        if change["new"]:
            for box in self.boxes:
                if box is not change["owner"]:
                    box.value = False

    @property
    def selected(self) -> str | None:
        """The text of the ticked choice, or None."""
        return next(iter(self._ticked()), None)

    def choose(self, text: str) -> None:
        """Tick the choice with this text (for teachers' scripts and tests)."""
        self._show_answer(check_choice(text, self._texts(self.spec), "The choice"))

    def _show_answer(self, answer: str) -> None:
        self.boxes[self._texts(self.spec).index(answer)].value = True

    def _read_answer(self) -> str:
        ticked = self._ticked()
        if not ticked:
            raise NotAnswered("Tick one answer first, then press Check.")
        return ticked[0]

    def _reset(self) -> None:
        for box in self.boxes:
            box.value = False

    def _static_lines(self) -> list[str]:
        return [f"  ( ) {text}" for text in self._texts(self.spec)]


class MultipleSelect(_Choices):
    """Tick every answer that fits (a checkbox for each, reachable with Tab)."""

    type_name = "multiple_select"
    title = "Multiple select (tick every right answer)"
    kind = "tick all that apply"

    @classmethod
    def check_answer(cls, spec: Mapping[str, Any], answer: object) -> list[str]:
        texts = cls._texts(spec)
        given = [check_choice(a, texts, "The choice") for a in _list_of_text(answer, "The answer")]
        if not given or len(set(given)) != len(given):
            raise ValueError(f"The answer must list one or more of the choices, each once; got {answer!r:.80}.")
        return [t for t in texts if t in given]

    @classmethod
    def right_answer(cls, spec: Mapping[str, Any]) -> list[str]:
        return [c["text"] for c in spec["choices"] if c["correct"]]

    @classmethod
    def sample_answers(cls, spec: Mapping[str, Any]) -> list[list[str]]:
        texts = cls._texts(spec)
        return [cls.right_answer(spec), texts, *([t] for t in texts)]

    @classmethod
    def judge(cls, spec: Mapping[str, Any], answer: list[str]) -> tuple[bool, list[tuple[str, str]]]:
        choices = spec["choices"]
        texts = cls._texts(spec)
        right = {i for i, c in enumerate(choices) if c["correct"]}
        ticked = {texts.index(a) for a in answer}
        parts: list[tuple[str, str]] = []
        wrong, missed = sorted(ticked - right), sorted(right - ticked)
        if not wrong and not missed:
            return True, [("text", f"“{choices[i]['text']}”: {choices[i]['feedback']}") for i in sorted(right)]
        for i in wrong:
            parts.append(("text", f"You ticked “{choices[i]['text']}”: {choices[i]['feedback']}"))
            if choices[i].get("excerpt"):
                parts.append(("quote", choices[i]["excerpt"]["text"]))
        good = len(ticked & right)
        parts.append(("text", f"{good} of your ticks {'is' if good == 1 else 'are'} right, and "
                              f"{len(missed)} right {'answer was' if len(missed) == 1 else 'answers were'} not ticked."))
        return False, parts

    def choose(self, *texts: str) -> None:
        """Tick exactly these choices (for teachers' scripts and tests)."""
        all_texts = self._texts(self.spec)
        self._show_answer([check_choice(t, all_texts, "The choice") for t in texts])

    def _show_answer(self, answer: list[str]) -> None:
        for box, text in zip(self.boxes, self._texts(self.spec)):
            box.value = text in answer

    @property
    def selected(self) -> list[str]:
        """The texts of the ticked choices."""
        return self._ticked()

    def _read_answer(self) -> list[str]:
        ticked = self._ticked()
        if not ticked:
            raise NotAnswered("Tick at least one answer first, then press Check.")
        return ticked

    def _reset(self) -> None:
        pass  # keep the ticks so the student can change just the wrong ones

    def _static_lines(self) -> list[str]:
        return [f"  [ ] {text}" for text in self._texts(self.spec)]


class TrueFalseQuestion(MultipleChoice):
    """Is a statement about the article true or false? Two choices, "True" and "False".

    In questions.json: ``"answer": true`` or ``false`` and ``"feedback":
    {"correct": ..., "incorrect": ...}``; the two choices are made from them.
    """

    type_name = "true_false"
    title = "True or false"
    kind = "true or false"
    spec_keys = {"answer": True, "feedback": True}

    @classmethod
    def check_spec(cls, raw: Mapping[str, Any], q: dict[str, Any], checker: _Checker) -> None:
        if not isinstance(raw["answer"], bool):
            raise checker.fail("'answer' must be true or false (no quotes)", q["id"])
        q["answer"] = raw["answer"]
        _feedback(raw, q, q["id"], checker, ("correct", "incorrect"))
        fb = q["feedback"]
        q["choices"] = [
            {"text": text, "correct": value is q["answer"], "excerpt": None,
             "feedback": fb["correct"] if value is q["answer"] else fb["incorrect"]}
            for text, value in (("True", True), ("False", False))
        ]

    @classmethod
    def answer_key_lines(cls, spec: Mapping[str, Any]) -> list[str]:
        fb = spec["feedback"]
        return [f"**Answer:** **{spec['answer']}**", "",
                f"- *Feedback when right:* {md_text(fb['correct'])}",
                f"- *When wrong:* {md_text(fb['incorrect'])}", ""]


# --------------------------------------------------------------------------
# A number
# --------------------------------------------------------------------------

class NumericQuestion(Question):
    """Type a number; it counts as right within the question's tolerance."""

    type_name = "numeric"
    title = "Type a number"
    kind = "type a number"
    spec_keys = {"answer": True, "tolerance": True, "unit": False, "feedback": True}

    @classmethod
    def check_spec(cls, raw: Mapping[str, Any], q: dict[str, Any], checker: _Checker) -> None:
        qid = q["id"]
        q["answer"] = checker.number(raw["answer"], "'answer'", qid)
        q["tolerance"] = checker.number(raw["tolerance"], "'tolerance'", qid)
        if q["tolerance"] < 0:
            raise checker.fail(f"'tolerance' is {q['tolerance']}, but it cannot be negative (use 0 for an exact answer)", qid)
        q["unit"] = checker.text_field(raw["unit"], "the unit", qid) if "unit" in raw else ""
        _feedback(raw, q, qid, checker, ("correct", "too_low", "too_high"))

    @classmethod
    def check_answer(cls, spec: Mapping[str, Any], answer: object) -> int | float:
        if isinstance(answer, bool) or not isinstance(answer, (int, float)) or not math.isfinite(answer):
            raise TypeError(f"The answer must be a number, like 60000; got {type(answer).__name__} {answer!r:.60}.")
        return _json_number(answer)

    @classmethod
    def right_answer(cls, spec: Mapping[str, Any]) -> int | float:
        return _json_number(spec["answer"])

    @classmethod
    def sample_answers(cls, spec: Mapping[str, Any]) -> list[int | float]:
        target, step = spec["answer"], spec["tolerance"] + max(1, abs(spec["answer"]) / 2)
        return [_json_number(v) for v in (target, target - step, target + step, target * 2)]

    @classmethod
    def judge(cls, spec: Mapping[str, Any], answer: float) -> tuple[bool, list[tuple[str, str]]]:
        target, tolerance, feedback = spec["answer"], spec["tolerance"], spec["feedback"]
        if abs(answer - target) <= tolerance + 1e-9 * max(1.0, abs(target)):
            return True, [("text", feedback["correct"])]
        return False, [("text", feedback["too_low" if answer < target else "too_high"])]

    @classmethod
    def answer_key_lines(cls, spec: Mapping[str, Any]) -> list[str]:
        unit = f" {md_text(spec['unit'])}" if spec["unit"] else ""
        low, high = spec["answer"] - spec["tolerance"], spec["answer"] + spec["tolerance"]
        accepted = "exactly this number" if not spec["tolerance"] else f"any number from {md_number(low)} to {md_number(high)}"
        fb = spec["feedback"]
        return [
            f"**Answer:** **{md_number(spec['answer'])}**{unit} (accepted: {accepted})",
            "",
            f"- *Feedback when right:* {md_text(fb['correct'])}",
            f"- *When too low:* {md_text(fb['too_low'])}",
            f"- *When too high:* {md_text(fb['too_high'])}",
            "",
        ]

    def _build_controls(self) -> list[widgets.Widget]:
        self.entry = widgets.Text(value="", placeholder="type a number, e.g. 1500", description="Your answer:",
                                  style={"description_width": "initial"})
        self.unit_label = widgets.Label(self.spec.get("unit", ""))
        return [widgets.HBox([self.entry, self.unit_label])]

    def inputs(self) -> list[widgets.Widget]:
        return [self.entry]

    def _read_answer(self) -> int | float:
        typed = self.entry.value
        if not isinstance(typed, str) or not typed.strip():
            raise NotAnswered("Type a number in the box first, then press Check.")
        value = parse_number(typed, self.spec.get("unit", ""))
        if value is None:
            raise NotAnswered(
                f"Please type a number using digits, like 60000 or 60,000. “{typed.strip()[:40]}” is not one we can read."
            )
        return _json_number(value)

    def _show_answer(self, answer: float) -> None:
        self.entry.value = f"{answer:g}" if float(answer).is_integer() and abs(answer) < 1e15 else repr(answer)

    def _reset(self) -> None:
        pass  # keep the typed text so the student can correct it

    def _static_lines(self) -> list[str]:
        return [f"  Answer: ______ {self.spec.get('unit', '')}".rstrip()]


# --------------------------------------------------------------------------
# An order
# --------------------------------------------------------------------------

class OrderingQuestion(Question):
    """Put items (usually events) in order, earliest first.

    Each place in the list has its own "Up" and "Down" buttons, reached with
    Tab and pressed with Enter or Space; after a move the keyboard focus
    follows the item. (A list box would need the arrow keys, which
    JupyterLab takes for moving between cells.)
    """

    type_name = "ordering"
    title = "Put in order"
    kind = "put in order"
    spec_keys = {"items": True, "feedback": True}

    @classmethod
    def check_spec(cls, raw: Mapping[str, Any], q: dict[str, Any], checker: _Checker) -> None:
        from . import data as _data

        qid = q["id"]
        items = raw["items"]
        if not isinstance(items, list) or len(items) < 2:
            raise checker.fail("'items' must be a list [...] of at least two items, in the correct order", qid)
        events = checker.tables["events"]
        q["items"] = []
        for n, item in enumerate(items, 1):
            if isinstance(item, str):
                if item not in events.index:
                    raise checker.fail(
                        f"item {n}, {item!r}, is not an event id in {_data.TABLES['events'].file}."
                        f"{did_you_mean(item, events.index)} Write an event id, or "
                        '{"id": "...", "label": "..."} for an item that is not an event',
                        qid,
                    )
                row = events.loc[item]
                date = row["date"]
                q["items"].append({
                    "id": item, "label": str(row["title"]), "when": str(row["date_text"]),
                    # for the answer key's "worked out" date, as precise as the data says
                    "date": None if date != date or date is None else date.strftime("%Y-%m-%d"),
                    "precision": str(row["date_precision"]),
                })
            elif isinstance(item, Mapping):
                checker.keys(item, {"id": True, "label": True}, f"item {n}", qid)
                iid = item["id"]
                if not isinstance(iid, str) or not _ID.match(iid):
                    raise checker.fail(f"item {n}'s id must be lower case with no spaces, not {str(iid)[:40]!r}", qid)
                q["items"].append({"id": iid, "label": checker.text_field(item["label"], f"item {n}'s label", qid),
                                   "when": "", "date": None, "precision": ""})
            else:
                raise checker.fail(f"item {n} must be an event id in double quotes, or {{\"id\": ..., \"label\": ...}}", qid)
        ids = [i["id"] for i in q["items"]]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise checker.fail(f"the item {dupes[0]!r} is listed twice", qid)
        _feedback(raw, q, qid, checker, ("correct", "incorrect"))

    @classmethod
    def check_answer(cls, spec: Mapping[str, Any], answer: object) -> list[str]:
        ids = [i["id"] for i in spec["items"]]
        given = _list_of_text(answer, "The order")
        if sorted(given) != sorted(ids):
            raise ValueError(f"The order must list each of these ids once: {', '.join(sorted(ids))}; got {given!r:.120}.")
        return given

    @classmethod
    def right_answer(cls, spec: Mapping[str, Any]) -> list[str]:
        return [i["id"] for i in spec["items"]]

    @classmethod
    def sample_answers(cls, spec: Mapping[str, Any]) -> list[list[str]]:
        right = cls.right_answer(spec)
        return [right, cls.start_order(spec), right[::-1]]

    @classmethod
    def start_order(cls, spec: Mapping[str, Any]) -> list[str]:
        """The shuffled order the widget starts in: the same every run, never the answer."""
        right = cls.right_answer(spec)
        start = list(right)
        rng = random.Random(spec["id"])
        while start == right:
            rng.shuffle(start)
        return start

    @classmethod
    def judge(cls, spec: Mapping[str, Any], answer: list[str]) -> tuple[bool, list[tuple[str, str]]]:
        feedback = spec["feedback"]
        items = {i["id"]: i for i in spec["items"]}
        right = cls.right_answer(spec)
        if answer == right:
            parts = [("text", feedback["correct"])]
            dated = [f"{n}. {items[i]['label']} ({items[i]['when']})" for n, i in enumerate(answer, 1) if items[i]["when"]]
            if dated:
                parts.append(("text", "The order, with the article's words for when: " + "; ".join(dated) + "."))
            return True, parts
        in_place = sum(a == b for a, b in zip(answer, right))
        parts = [("text", f"{in_place} of {len(answer)} are in the right place."), ("text", feedback["incorrect"])]
        # Point at the first pair that is the wrong way round, with the article's own time words.
        rank = {i: n for n, i in enumerate(right)}
        for a, b in zip(answer, answer[1:]):
            if rank[a] > rank[b]:
                clue = f"Look again at “{items[a]['label']}” and “{items[b]['label']}”"
                if items[a]["when"] and items[b]["when"]:
                    clue += f": the article places them “{items[a]['when']}” and “{items[b]['when']}”"
                parts.append(("text", clue + "."))
                break
        return False, parts

    @classmethod
    def answer_key_lines(cls, spec: Mapping[str, Any]) -> list[str]:
        lines = ["**Correct order** (earliest first):", ""]
        for n, item in enumerate(spec["items"], 1):
            detail = ""
            if item["when"] and item.get("precision"):
                detail = f" (the article: “{md_text(item['when'])}”; worked out: {_worked_out(item)})"
            lines.append(f"{n}. {md_text(item['label'])}{detail}")
        fb = spec["feedback"]
        return lines + ["", f"- *Feedback when right:* {md_text(fb['correct'])}",
                        f"- *When not yet right:* {md_text(fb['incorrect'])}", ""]

    def _build_controls(self) -> list[widgets.Widget]:
        items = self.spec["items"]
        self._labels = {i["id"]: i["label"] for i in items}
        self._correct_order = self.right_answer(self.spec)
        self._start = self.start_order(self.spec)
        self._order = list(self._start)
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

    def inputs(self) -> list[widgets.Widget]:
        return [button for _, up, down in self.rows for button in (up, down)]

    def _refresh(self) -> None:
        last = len(self._order)
        for place, (label, up, down) in enumerate(self.rows):
            text = self._labels[self._order[place]]
            label.value = f"{place + 1}. {text}"
            up.tooltip = f"Move “{text}” one place earlier"
            down.tooltip = f"Move “{text}” one place later"
            if not getattr(self, "checked", False):  # while checked, every button stays disabled
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
        """Move one item up (step -1) or down (+1) by its id; a wrong argument changes nothing."""
        item = check_choice(item, self._order, "The item")
        if isinstance(step, bool) or not isinstance(step, int):
            raise TypeError(f"step must be a whole number: -1 moves an item up, +1 down; got {type(step).__name__} {step!r:.40}.")
        at = self._order.index(item)
        to = min(max(at + step, 0), len(self._order) - 1)
        order = list(self._order)
        order.insert(to, order.pop(at))
        self._order = order  # only a finished move replaces the order
        self._refresh()

    def _read_answer(self) -> list[str]:
        return list(self._order)

    def _show_answer(self, answer: list[str]) -> None:
        self.order = answer

    def _static_lines(self) -> list[str]:
        return ["  (starting order; put them in order, earliest first)"] + [
            f"  {n}. {self._labels[i]}" for n, i in enumerate(self._start, 1)
        ]


def _worked_out(item: Mapping[str, Any]) -> str:
    """The date the module works out for an event, as precise as the data says it is."""
    from .charts import format_date  # only the answer key needs it; charts imports matplotlib

    date, precision = item.get("date"), item.get("precision")
    if not date or precision == "unknown":
        return "not dated"
    stamp = datetime.strptime(date, "%Y-%m-%d")
    if precision == "year":
        return f"{stamp:%Y}"
    if precision == "month":
        return f"{stamp:%B %Y}"
    return ("week of " if precision == "week" else "") + format_date(date)


# --------------------------------------------------------------------------
# An open question: the student writes; no right or wrong
# --------------------------------------------------------------------------

class OpenQuestion(Question):
    """Write an answer in your own words; it is kept with your work, not judged.

    In questions.json: ``"model_answer"`` (for the teacher's answer key only;
    students never see it), an optional excerpt and hint, and a ``"rubric"``
    with the levels ``beginning``, ``emerging`` and ``mastery``, each
    ``{"description": ..., "example": ...}`` (in the answer key, for marking). The text area is
    reached with Tab; "Save answer" keeps what is written as an attempt.
    """

    type_name = "open"
    title = "Open question (written answer)"
    kind = "write your answer"
    spec_keys = {"model_answer": True, "excerpt": False, "rubric": False}
    RUBRIC_LEVELS = ("beginning", "emerging", "mastery")
    scored = False
    check_label = "Save answer"

    @classmethod
    def check_spec(cls, raw: Mapping[str, Any], q: dict[str, Any], checker: _Checker) -> None:
        q["model_answer"] = checker.text_field(raw["model_answer"], "the model answer", q["id"])
        q["rubric"] = None
        if "rubric" in raw:
            rubric = raw["rubric"]
            if not isinstance(rubric, Mapping):
                raise checker.fail('the rubric must be {"beginning": {...}, "emerging": {...}, "mastery": {...}}', q["id"])
            checker.keys(rubric, dict.fromkeys(cls.RUBRIC_LEVELS, True), "the rubric", q["id"])
            q["rubric"] = {}
            for level in cls.RUBRIC_LEVELS:
                entry = rubric[level]
                if not isinstance(entry, Mapping):
                    raise checker.fail(f'the rubric\'s {level!r} must be {{"description": ..., "example": ...}}', q["id"])
                checker.keys(entry, {"description": True, "example": True}, f"the rubric's {level!r}", q["id"])
                q["rubric"][level] = {k: checker.text_field(entry[k], f"the rubric's {level} {k}", q["id"])
                                      for k in ("description", "example")}

    @classmethod
    def new_record(cls, spec: Mapping[str, Any]) -> dict[str, Any]:
        return {**super().new_record(spec), "text": ""}

    @classmethod
    def check_answer(cls, spec: Mapping[str, Any], answer: object) -> str:
        if not isinstance(answer, str):
            raise TypeError(f"The answer to an open question must be text; got {type(answer).__name__} {answer!r:.60}.")
        return answer

    @classmethod
    def right_answer(cls, spec: Mapping[str, Any]) -> str:
        return spec["model_answer"]

    @classmethod
    def sample_answers(cls, spec: Mapping[str, Any]) -> list[str]:
        return [spec["model_answer"], "I think <b>this</b> & that.", "Two\nlines."]

    @classmethod
    def judge(cls, spec: Mapping[str, Any], answer: str) -> tuple[None, list[tuple[str, str]]]:
        words = len(answer.split())
        return None, [("verdict", "Saved."),
                      ("text", f"Your answer ({_count(words, 'word')}) is kept with your work. "
                               "You can change it and save again; there is no right or wrong here.")]

    @classmethod
    def answer_key_lines(cls, spec: Mapping[str, Any]) -> list[str]:
        lines = ["**Model answer** (an example, not the only good answer; students do not see it):", "",
                 *[f"> {md_text(line)}" if line.strip() else ">" for line in spec["model_answer"].splitlines()], ""]
        if spec.get("rubric"):
            lines += ["**Rubric** (what an answer at each level does, with an example):", "",
                      "| Level | What the answer does | Example answer |", "| --- | --- | --- |"]
            for level in cls.RUBRIC_LEVELS:
                entry = spec["rubric"][level]
                lines.append(f"| {level.capitalize()} | {md_text(entry['description']).replace('|', '&#124;')} "
                             f"| {md_text(entry['example']).replace('|', '&#124;')} |")
            lines.append("")
        return lines

    def _build_controls(self) -> list[widgets.Widget]:
        self.area = widgets.Textarea(value="", placeholder="Write your answer here.", description="Your answer:",
                                     style={"description_width": "initial"},
                                     layout=widgets.Layout(width="98%", height="8em"))
        self.area.observe(self._keep_text, names="value")
        return [self.area]

    def _keep_text(self, change: Mapping[str, Any]) -> None:
        self.record["text"] = change["new"]  # kept as it is typed, saved or not

    def inputs(self) -> list[widgets.Widget]:
        return [self.area]

    def _read_answer(self) -> str:
        if not self.area.value.strip():
            raise NotAnswered("Write your answer in the box first, then press Save answer.")
        return self.area.value

    def _show_answer(self, answer: str) -> None:
        self.area.value = answer

    def _on_check(self, _button: widgets.Button | None = None) -> None:
        attempts = self.record["attempts"]
        if attempts and attempts[-1]["answer"] == self.area.value:
            self._show([("note", "Already saved: nothing has changed since you last saved.")])
            return  # pressing Save again keeps one attempt
        super()._on_check(None)
        self.checked = False  # an open answer stays editable
        self._set_enabled(True)
        self.check_button.disabled = False
        self.retry_button.disabled = True
        if _button is not None:
            self.check_button.focus()  # it was disabled for a moment, which drops the focus

    def _verdict_parts(self, correct: bool | None, parts: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return list(parts)  # no "That's right" or "Not quite", no excerpt repeated

    def show_record(self) -> None:
        if self.record.get("text") or self.record["attempts"]:
            text = self.record.get("text") or self.record["attempts"][-1]["answer"]
            self.area.value = text
            self._show([("note", "This is your answer from earlier. You can change it and save again.")])

    def _static_lines(self) -> list[str]:
        lines = []
        if self.spec.get("excerpt"):
            lines.append(f"  From the article: “{self.spec['excerpt']['text']}”")
        return lines + ["  Your answer: ________________________________"]
