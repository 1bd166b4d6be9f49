"""Question widgets for the exercises, with the questions kept as data.

The questions live in ``aleppo2016/data/questions.json``, grouped by notebook,
so a teacher can change or add one without touching any code. The file is
checked when it is first read: every problem is reported with the file, the
question id and what is wrong (:class:`~aleppo2016.errors.DataError`). Each
question type is one class in :mod:`aleppo2016.qtypes`.

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
number, shows a message and counts nothing; pressing Check again before "Try
again" counts nothing more.

What the student did is kept
----------------------------
This kernel keeps one record per question (:func:`answered`): every attempt
with its answer, whether it was right and when. Running a question's cell
again makes a new widget on the same record, showing the last answer and its
feedback; a record saved to a file can be loaded back with :func:`restore`.
"""
from __future__ import annotations

import copy
import json
import math
import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from . import data as _data
from .errors import DataError, check_choice, did_you_mean
from .qtypes import (
    _LIVE,
    TYPES,
    Question,
    Score,
    parse_number,
    question_type,
    render_parts as _render,  # noqa: F401  (its old name here)
)

__all__ = [
    "QUESTION_TYPES",
    "QUESTIONS_FILE",
    "SKILLS",
    "load_questions",
    "check_questions",
    "notebooks",
    "question_ids",
    "questions",
    "question",
    "answered",
    "restore",
    "question_type",
    "Quiz",
    "Score",
    "Question",
    "parse_number",
    *(cls.__name__ for cls in TYPES.values()),  # quiz.MultipleChoice, quiz.NumericQuestion, ...
]

QUESTIONS_FILE = "questions.json"

_COMMON_KEYS = {"id": True, "type": True, "prompt": True, "excerpt": True, "hint": False, "title": False,
                "skill": False, "exit_ticket": False}
#: The skill a question practises (a teacher's view of the bank: recall is kept to a quarter).
SKILLS = ("recall", "understand", "apply", "analyse", "evaluate")
_NOTEBOOK_KEY = re.compile(r"^\d\d_[a-z0-9_]+$")
_ID = re.compile(r"^[a-z0-9_]+$")


def __getattr__(name: str) -> Any:
    """QUESTION_TYPES and the type classes (quiz.MultipleChoice ...) come from the registry, never listed by hand."""
    if name == "QUESTION_TYPES":
        return tuple(TYPES)
    for cls in TYPES.values():
        if cls.__name__ == name:
            return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --------------------------------------------------------------------------
# Reading and checking the questions file
# --------------------------------------------------------------------------

class _Checker:
    """Checks one questions file; every error names the file and the question.

    It checks what all questions share; each type's ``check_spec`` checks the
    rest with the helpers here (fail, keys, text_field, number, excerpt).
    """

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
        name = raw.get("type")
        if not isinstance(name, str) or name not in TYPES:
            raise self.fail(
                f"the type {json.dumps(name)[:40]} is not a question type.{did_you_mean(str(name), TYPES)} "
                f"Allowed: {', '.join(TYPES)}",
                qid,
            )
        qtype = TYPES[name]
        self.keys(raw, {**_COMMON_KEYS, **qtype.spec_keys}, "the question", qid)
        q: dict[str, Any] = {"id": qid, "type": name, "notebook": notebook}
        q["prompt"] = self.text_field(raw["prompt"], "the prompt", qid)
        q["title"] = self.text_field(raw["title"], "the title", qid) if "title" in raw else ""
        q["hint"] = self.text_field(raw["hint"], "the hint", qid) if "hint" in raw else ""
        q["excerpt"] = self.excerpt(raw["excerpt"], "the excerpt", qid) if "excerpt" in raw else None
        q["skill"] = raw.get("skill", "")
        if "skill" in raw and q["skill"] not in SKILLS:
            raise self.fail(f"the skill {json.dumps(q['skill'])[:40]} is not one of the skills."
                            f"{did_you_mean(str(q['skill']), SKILLS)} Allowed: {', '.join(SKILLS)}", qid)
        q["exit_ticket"] = raw.get("exit_ticket", False)
        if not isinstance(q["exit_ticket"], bool):
            raise self.fail(f"exit_ticket must be true or false, not {json.dumps(q['exit_ticket'])[:40]}", qid)
        qtype.check_spec(raw, q, self)
        return q

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


def check_questions(data_dir: str | Path | None = None, *, folder: str | Path | None = None) -> dict[str, int]:
    """Check the questions file in a folder of data files (the package's own by default).

    Returns the number of questions per notebook, or raises DataError naming
    the file, the question id and the problem. The folder must also hold the
    data tables, because questions refer to events and records in them.
    ``data_dir`` is the name every loader uses; ``folder=`` still works.
    """
    if folder is not None:
        import warnings

        warnings.warn("check_questions(folder=...) is now check_questions(data_dir=...)", DeprecationWarning,
                      stacklevel=2)
        data_dir = folder if data_dir is None else data_dir
    questions = load_questions(data_dir) if data_dir is not None else _package_questions()
    return {nb: len(qs) for nb, qs in questions.items()}


def notebooks() -> list[str]:
    """The notebooks that have questions, e.g. ``['01_the_article', '02_timeline', ...]``."""
    return list(_package_questions())


def question_ids(notebook: str) -> list[str]:
    """The ids of one notebook's questions, in order."""
    nb = check_choice(notebook, notebooks(), "The notebook")
    return [q["id"] for q in _package_questions()[nb]]


# --------------------------------------------------------------------------
# The quiz of one notebook
# --------------------------------------------------------------------------

class Quiz(widgets.VBox):
    """All the questions of one notebook, sharing one live score line."""

    def __init__(self, notebook: str, specs: Sequence[Mapping[str, Any]],
                 records: Mapping[str, dict[str, Any]] | None = None, heading_level: int = 3):
        super().__init__()
        self.notebook = notebook
        self.score = Score(sum(question_type(s["type"]).scored for s in specs))
        records = records or {}
        self.questions = [
            question_type(s["type"])(s, score=self.score, number=n, record=records.get(s["id"]),
                                     heading_level=heading_level)
            for n, s in enumerate(specs, 1)
        ]
        self.children = [*self.questions, self.score]
        self.add_class("aleppo2016-quiz")

    def question(self, qid: str) -> Question:
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


# --------------------------------------------------------------------------
# This kernel's record of what the student did
# --------------------------------------------------------------------------

# One record per question id, made when the question is first shown (or restored).
# The widgets hold the same dict objects, so a new widget for an id continues its record.
_RECORDS: dict[str, dict[str, Any]] = {}


def _record_for(spec: Mapping[str, Any]) -> dict[str, Any]:
    record = _RECORDS.get(spec["id"])
    if record is None or record["type"] != spec["type"]:
        record = _RECORDS[spec["id"]] = question_type(spec["type"]).new_record(spec)
    return record


def _forget_answers() -> None:
    """Start this kernel's records afresh (for tests: each starts as a new kernel would)."""
    _RECORDS.clear()


def _bank_order() -> dict[str, int]:
    return {q["id"]: n for n, q in enumerate(q for qs in _package_questions().values() for q in qs)}


def answered(notebook: str | None = None) -> list[dict[str, Any]]:
    """What the student did in this kernel: one record per question shown or restored.

    With `notebook`, only that notebook's questions (as grouped in
    questions.json). Each record is a copy, safe to save as JSON::

        {"notebook": "03_figures", "id": "at_least_meaning", "type": "multiple_choice",
         "attempts": [{"answer": "...", "correct": true, "at": "2026-11-29T20:31:05Z"}],
         "first_try_correct": true, "correct": true}

    ``correct`` is true once any attempt is right; both are null until an
    attempt is judged, and always null for open questions, whose records also
    hold ``"text"`` (what the box holds now, saved or not).
    """
    nb = None if notebook is None else check_choice(notebook, notebooks(), "The notebook")
    order = _bank_order()
    records = [r for r in _RECORDS.values() if nb is None or r["notebook"] == nb]
    return copy.deepcopy(sorted(records, key=lambda r: order.get(r["id"], len(order))))


_RECORD_KEYS = ("notebook", "id", "type", "attempts", "first_try_correct", "correct")
_ATTEMPT_KEYS = ("answer", "correct", "at")


def _check_record(raw: object, n: int, specs: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """One record from a saved file, checked against the questions; a clean copy or a clear error."""
    where = f"record {n}"
    if not isinstance(raw, Mapping):
        raise TypeError(f"{where} must be a dict like quiz.answered() gives; got {type(raw).__name__} {raw!r:.60}.")
    qid = raw.get("id")
    if not isinstance(qid, str):
        raise TypeError(f"{where} needs an 'id', the question id as text; got {qid!r:.60}.")
    spec = specs[check_choice(qid, specs, f"The question id in {where}")]
    where = f"record {n} ({spec['id']!r})"
    qtype = question_type(spec["type"])
    allowed = [*_RECORD_KEYS, *(["text"] if "text" in qtype.new_record(spec) else [])]
    for key in raw:
        if key not in allowed:
            raise ValueError(f"{where} has a key {key!r} that a record does not have.{did_you_mean(str(key), allowed)} "
                             f"Allowed: {', '.join(allowed)}.")
    missing = [k for k in allowed if k not in raw]
    if missing:
        raise ValueError(f"{where} has no {', '.join(repr(k) for k in missing)}.")
    if raw["notebook"] != spec["notebook"] or raw["type"] != spec["type"]:
        raise ValueError(f"{where} is for {raw['notebook']!r:.40}, type {raw['type']!r:.40}, but that question is "
                         f"in {spec['notebook']!r}, type {spec['type']!r}: is the file from another version of the module?")
    attempts = raw["attempts"]
    if isinstance(attempts, (str, bytes, Mapping)) or not isinstance(attempts, Sequence):
        raise TypeError(f"{where}: 'attempts' must be a list; got {type(attempts).__name__}.")
    record = qtype.new_record(spec)
    for k, attempt in enumerate(attempts, 1):
        what = f"{where}, attempt {k}"
        if not isinstance(attempt, Mapping) or sorted(attempt) != sorted(_ATTEMPT_KEYS):
            raise ValueError(f"{what} must be a dict with exactly {', '.join(_ATTEMPT_KEYS)}; got {attempt!r:.80}.")
        try:
            answer = qtype.check_answer(spec, attempt["answer"])
        except (TypeError, ValueError, LookupError) as err:
            raise ValueError(f"{what}: {err}") from None
        at = attempt["at"]
        try:
            if not isinstance(at, str) or not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", at):
                raise ValueError
            datetime.strptime(at, "%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            raise ValueError(f"{what}: 'at' must be a UTC time like '2026-11-29T20:31:05Z'; got {at!r:.40}.") from None
        correct, _ = qtype.judge(spec, answer)
        if attempt["correct"] is not correct:
            raise ValueError(f"{what} says 'correct': {json.dumps(attempt['correct'])[:20]}, but its answer "
                             f"{json.dumps(answer, ensure_ascii=False)[:60]} is judged {json.dumps(correct)}: "
                             "was the file edited, or made for other questions?")
        record["attempts"].append({"answer": answer, "correct": correct, "at": at})
    qtype.settle(record)
    for key in ("first_try_correct", "correct"):
        if raw[key] != record[key]:
            raise ValueError(f"{where} says {key!r}: {json.dumps(raw[key])[:20]}, but its attempts make it "
                             f"{json.dumps(record[key])}: was the file edited?")
    if "text" in record:
        if not isinstance(raw["text"], str):
            raise TypeError(f"{where}: 'text' must be the written answer as text; got {type(raw['text']).__name__}.")
        record["text"] = raw["text"]
    return record


def restore(records: Sequence[Mapping[str, Any]]) -> int:
    """Load records saved from :func:`answered` back into this kernel (a student continues tomorrow).

    Every record is checked first, and nothing is loaded unless all are fine
    (a clear error names the record and what is wrong). A restored record
    replaces this kernel's record of that question; questions already on
    screen show it at once, and questions made later start from it.
    Returns the number of records loaded.
    """
    if isinstance(records, (str, bytes, Mapping)) or not isinstance(records, Sequence):
        raise TypeError(f"restore() needs a list of records as quiz.answered() gives; got {type(records).__name__}.")
    specs = {q["id"]: q for qs in _package_questions().values() for q in qs}
    checked = [_check_record(raw, n, specs) for n, raw in enumerate(records, 1)]
    ids = [r["id"] for r in checked]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise ValueError(f"restore() got two records for {twice[0]!r}; give one record per question.")
    for record in checked:
        kept = _RECORDS.get(record["id"])
        if kept is not None and kept["type"] == record["type"]:
            kept.clear()
            kept.update(record)  # the same dict: widgets and scores holding it see the change
        else:
            _RECORDS[record["id"]] = record
    for q in list(_LIVE):
        if q.id in ids and q.record is _RECORDS[q.id]:
            q.show_record()
            if q.scored:
                q.score.refresh()
    return len(checked)


# --------------------------------------------------------------------------
# The notebooks' entry points
# --------------------------------------------------------------------------

def questions(notebook: str, *, heading_level: int = 3) -> Quiz:
    """Every question of one notebook, with a live score line (earlier attempts in this kernel kept).

    `heading_level` (1 to 6) is the level screen readers give each question's
    title: one below the notebook heading the quiz sits under (3 under a ``##``).
    """
    nb = check_choice(notebook, notebooks(), "The notebook")
    specs = load_questions()[nb]
    return Quiz(nb, specs, records={s["id"]: _record_for(s) for s in specs}, heading_level=heading_level)


def question(notebook: str, qid: str, *, score: Score | None = None, heading_level: int = 3) -> Question:
    """A widget for one question; pass `score=` to count it with others (earlier attempts kept).

    `heading_level` (1 to 6): the level screen readers give its title (see :func:`questions`).
    """
    nb = check_choice(notebook, notebooks(), "The notebook")
    if score is not None and not isinstance(score, Score):
        raise TypeError(f"score must be an aleppo2016.quiz.Score, got {type(score).__name__}.")
    specs = load_questions()[nb]
    ids = [s["id"] for s in specs]
    spec = specs[ids.index(check_choice(qid, ids, f"The question id in {nb}"))]
    return question_type(spec["type"])(spec, score=score, record=_record_for(spec), heading_level=heading_level)
