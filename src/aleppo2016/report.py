"""The class report: every handed-in file of a folder, as one HTML page and a gradebook CSV.

    python -m aleppo2016 class-report FOLDER [--out report.html] [--csv grades.csv]

The page is self-contained (charts are embedded PNG images, no scripts, no
web fonts), so it opens in any browser, offline, and can be mailed to a
colleague. Everything a student typed (names, answers, open answers) is
escaped: it is shown as text, never run. Files that cannot be read are
named with the reason and skipped; a student who handed in the same work
twice is counted once, from the latest file, and the report says so.
"""
from __future__ import annotations

import base64
import csv
import html
import io
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .handin import HandIn, HandInError, read

__all__ = [
    "ClassWork", "QuestionStats", "class_report", "collect", "forged", "question_stats", "progress",
    "render_html", "write_html", "write_csv", "csv_safe",
]

#: How many wrong answers per question the report lists.
TOP_WRONG = 3


@dataclass
class ClassWork:
    """What a folder of hand-in files holds, after checking."""

    folder: Path
    #: student name -> {(notebook, question id): record}, from the latest file holding each question
    students: dict[str, dict[tuple[str, str], dict[str, Any]]] = field(default_factory=dict)
    #: student name -> the files read for them
    files: dict[str, list[str]] = field(default_factory=dict)
    #: student name -> latest saved_at
    saved: dict[str, str] = field(default_factory=dict)
    #: (file, reason) for every file skipped
    skipped: list[tuple[str, str]] = field(default_factory=list)
    #: (file kept, file set aside) for each duplicate
    duplicates: list[tuple[str, str]] = field(default_factory=list)


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def collect(folder: str | Path, bank: Mapping[tuple[str, str], Mapping[str, Any]] | None = None) -> ClassWork:
    """Read every ``*.json`` file under `folder` (sub-folders too, as an LMS download has them).

    With the question `bank`, a file whose right/wrong marks disagree with the
    questions is set aside as edited by hand (see :func:`forged`).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise HandInError(f"{folder} is not a folder. Give the folder that holds the handed-in files.")
    work = ClassWork(folder)
    good: list[tuple[str, HandIn]] = []
    for path in sorted(folder.rglob("*.json")):
        rel = path.relative_to(folder).as_posix()
        try:
            handin = read(path)
            problem = forged(handin, bank) if bank else None
            if problem:
                raise HandInError(problem)
            good.append((rel, handin))
        except HandInError as err:
            work.skipped.append((rel, str(err)))
        except OSError as err:
            work.skipped.append((rel, f"could not be read ({err.strerror})."))
    # The same student and notebooks twice: the latest save wins.
    latest: dict[tuple[str, tuple[str, ...]], tuple[str, HandIn]] = {}
    for rel, handin in good:
        key = (_key(handin.name), handin.notebooks)
        if key in latest:
            other_rel, other = latest[key]
            newer, older = ((rel, handin), (other_rel, other)) if (handin.saved_at, rel) > (other.saved_at, other_rel) else ((other_rel, other), (rel, handin))
            work.duplicates.append((newer[0], older[0]))
            latest[key] = newer
        else:
            latest[key] = (rel, handin)
    names: dict[str, str] = {}
    for rel, handin in sorted(latest.values(), key=lambda item: (item[1].saved_at, item[0])):
        name = names.setdefault(_key(handin.name), handin.name)
        work.files.setdefault(name, []).append(rel)
        work.saved[name] = max(work.saved.get(name, ""), handin.saved_at)
        answers = work.students.setdefault(name, {})
        for record in handin.records:  # later files overwrite earlier ones, question by question
            answers[(record["notebook"], record["id"])] = record
    work.students = dict(sorted(work.students.items(), key=lambda item: _key(item[0])))
    return work


# --- numbers -----------------------------------------------------------------

@dataclass
class QuestionStats:
    """One question across the class."""

    notebook: str
    id: str
    title: str
    type: str
    answered: int = 0
    first_try_right: int = 0
    right_in_the_end: int = 0
    judged: int = 0
    #: (answer as text, students who gave it, feedback they saw)
    wrong: list[tuple[str, int, str]] = field(default_factory=list)
    #: (student, text) for open answers
    open_answers: list[tuple[str, str]] = field(default_factory=list)

    @property
    def first_try_share(self) -> float | None:
        return self.first_try_right / self.judged if self.judged else None

    @property
    def final_share(self) -> float | None:
        return self.right_in_the_end / self.judged if self.judged else None


def answer_text(answer: Any, spec: Mapping[str, Any] | None = None) -> str:
    """An answer as a teacher reads it: a choice's text, a list joined, an ordering by its labels."""
    if isinstance(answer, list):
        labels = {i["id"]: i["label"] for i in (spec or {}).get("items", [])}
        return "; ".join(labels.get(a, str(a)) if isinstance(a, str) else answer_text(a) for a in answer)
    if isinstance(answer, float) and answer.is_integer():
        return f"{int(answer):,}"
    if isinstance(answer, (int, float)) and not isinstance(answer, bool):
        return f"{answer:,}"
    if isinstance(answer, str):
        return answer
    return json.dumps(answer, ensure_ascii=False)


#: _judge's answer for an answer that the question could never have been given.
IMPOSSIBLE = "impossible"


def _judge(spec: Mapping[str, Any], answer: Any) -> tuple[bool | None, str] | str | None:
    """(right?, feedback as plain text) from the question's own type, as the student's widget judged it.

    Returns :data:`IMPOSSIBLE` for an answer the question cannot take, and
    None where this version of the module has no per-type judge.
    """
    try:
        from .qtypes import question_type, render_parts  # type: ignore[attr-defined]
    except ImportError:
        return None
    try:
        qtype = question_type(spec["type"])
        correct, parts = qtype.judge(spec, qtype.check_answer(spec, answer))
    except (TypeError, ValueError, LookupError):
        return IMPOSSIBLE
    return correct, render_parts(parts)[0]


def forged(handin: HandIn, bank: Mapping[tuple[str, str], Mapping[str, Any]]) -> str | None:
    """Why a file's answers cannot be what the questions judged (a hand edit), or None.

    The checksum catches careless edits; this catches a file whose checksum
    was recomputed but whose right/wrong marks disagree with the questions.
    """
    for record in handin.records:
        spec = bank.get((record["notebook"], record["id"]))
        if spec is None:
            continue
        for attempt in record["attempts"]:
            judged = _judge(spec, attempt["answer"])
            if judged is None:
                return None
            if judged == IMPOSSIBLE or judged[0] is not attempt["correct"]:
                shown = answer_text(attempt["answer"], spec)[:60]
                return (f"edited by hand, or made for other questions: question {record['notebook']}/{record['id']} "
                        f"has the answer {shown!r} marked {json.dumps(attempt['correct'])}, which the question does not give.")
    return None


def feedback_for(answer: Any, spec: Mapping[str, Any] | None) -> str:
    """The feedback the question gives for this (wrong) answer: what the student saw."""
    if not spec:
        return ""
    judged = _judge(spec, answer)
    if isinstance(judged, tuple):
        return judged[1]
    # A module without per-type judges: the feedback the question bank holds for the answer.
    kind = spec.get("type")
    choices = spec.get("choices", [])
    if kind == "multiple_choice" and isinstance(answer, str):
        return next((c["feedback"] for c in choices if c["text"] == answer), "")
    if kind == "multiple_select" and isinstance(answer, list):
        return " ".join(f"“{c['text']}”: {c['feedback']}" for c in choices if c["text"] in answer and not c["correct"])
    if kind == "numeric" and isinstance(answer, (int, float)) and not isinstance(answer, bool):
        return spec["feedback"]["too_low" if answer < spec["answer"] else "too_high"]
    if kind == "ordering":
        return spec["feedback"]["incorrect"]
    return ""


def _bank(data_dir: str | Path | None) -> dict[tuple[str, str], dict[str, Any]]:
    from .quiz import load_questions

    return {(nb, q["id"]): q for nb, qs in load_questions(data_dir).items() for q in qs}


def question_stats(work: ClassWork, bank: Mapping[tuple[str, str], Mapping[str, Any]] | None = None) -> list[QuestionStats]:
    """Per question: how many answered, right at the first try, right in the end, common wrong answers, open answers."""
    bank = bank or {}
    keys = list(bank) + sorted({k for answers in work.students.values() for k in answers} - set(bank))
    result = []
    for key in keys:
        spec = bank.get(key)
        records = [(name, answers[key]) for name, answers in work.students.items() if key in answers]
        if not records and spec is None:
            continue
        stats = QuestionStats(key[0], key[1], (spec or {}).get("title") or (spec or {}).get("prompt", "") or key[1],
                              (spec or {}).get("type") or (records[0][1]["type"] if records else ""))
        wrong: Counter[str] = Counter()
        shown: dict[str, tuple[str, str]] = {}
        for name, record in records:
            if record.get("attempts") or record.get("text"):
                stats.answered += 1
            if record.get("text"):
                stats.open_answers.append((name, record["text"]))
            if record["correct"] is not None:
                stats.judged += 1
                stats.first_try_right += record["first_try_correct"] is True
                stats.right_in_the_end += record["correct"] is True
            given = set()
            for attempt in record["attempts"]:
                if attempt["correct"] is False:
                    canonical = json.dumps(attempt["answer"], sort_keys=True, ensure_ascii=False)
                    if canonical not in given:
                        given.add(canonical)
                        wrong[canonical] += 1
                        shown[canonical] = (answer_text(attempt["answer"], spec), feedback_for(attempt["answer"], spec))
        stats.wrong = [(shown[c][0], n, shown[c][1]) for c, n in sorted(wrong.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_WRONG]]
        result.append(stats)
    return result


def progress(work: ClassWork, bank: Mapping[tuple[str, str], Mapping[str, Any]] | None = None) -> tuple[list[str], dict[str, dict[str, tuple[int, int, int]]]]:
    """(notebooks, {student: {notebook: (answered, right, questions)}})."""
    bank = bank or {}
    questions: dict[str, set[str]] = {}
    for nb, qid in [*bank, *(k for answers in work.students.values() for k in answers)]:
        questions.setdefault(nb, set()).add(qid)  # the bank's, and any a student answered that it lacks
    notebooks = sorted(questions)
    table = {}
    for name, answers in work.students.items():
        row = {}
        for nb in notebooks:
            mine = [r for (n, _), r in answers.items() if n == nb]
            answered = sum(bool(r.get("attempts") or r.get("text")) for r in mine)
            right = sum(r.get("correct") is True for r in mine)
            row[nb] = (answered, right, len(questions[nb]))
        table[name] = row
    return notebooks, table


# --- CSV ---------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_safe(value: object) -> object:
    """A cell a spreadsheet shows as text: a leading ' before =, +, -, @ (or a tab or line break) stops a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_csv(work: ClassWork, path: str | Path, bank: Mapping[tuple[str, str], Mapping[str, Any]] | None = None) -> Path:
    """One row per student, for a gradebook import (Canvas, Moodle, Google Classroom read CSV)."""
    notebooks, table = progress(work, bank)
    header = ["student", "last saved (UTC)", "questions answered", "right in the end", "right at the first try"]
    for nb in notebooks:
        header += [f"{nb} answered", f"{nb} right"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for name, row in table.items():
        answers = work.students[name].values()
        first = sum(r.get("first_try_correct") is True for r in answers)
        cells: list[object] = [name, work.saved[name], sum(a for a, _, _ in row.values()), sum(r for _, r, _ in row.values()), first]
        for nb in notebooks:
            cells += [row[nb][0], row[nb][1]]
        writer.writerow([csv_safe(c) for c in cells])
    path = Path(path)
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")  # the BOM makes Excel read UTF-8 names right
    return path


# --- charts --------------------------------------------------------------------

def _png(fig: Any) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{round(100 * share)}%"


def chart_questions(stats: Sequence[QuestionStats]) -> tuple[str, str] | None:
    """(PNG as base64, text description) of the share right at the first try and in the end, per judged question."""
    judged = [s for s in stats if s.judged]
    if not judged:
        return None
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from .style import OKABE_ITO, chart_style

    labels = [f"{s.notebook[:2]} {s.id}" for s in judged]
    with chart_style():
        fig, ax = plt.subplots(figsize=(7.5, 0.9 + 0.38 * len(judged)))
        ys = range(len(judged))
        ax.barh([y - 0.2 for y in ys], [100 * s.first_try_share for s in judged], height=0.38,
                color=OKABE_ITO["orange"], hatch="///", edgecolor="white", label="right at the first try")
        ax.barh([y + 0.2 for y in ys], [100 * s.final_share for s in judged], height=0.38,
                color=OKABE_ITO["blue"], label="right in the end")
        ax.set_yticks(list(ys), labels)
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("students who answered (%)")
        ax.set_title("Each question: right at the first try and in the end")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.6 / len(judged)), ncol=2)
        png = _png(fig)
    hardest = min(judged, key=lambda s: (s.first_try_share, s.final_share))
    text = (f"Bar chart of {len(judged)} questions. For each, the share of students right at the first try and "
            f"right in the end. Hardest at the first try: {hardest.notebook} {hardest.id}, "
            f"{_percent(hardest.first_try_share)} at the first try and {_percent(hardest.final_share)} in the end.")
    return png, text


def chart_progress(notebooks: Sequence[str], table: Mapping[str, Mapping[str, tuple[int, int, int]]]) -> tuple[str, str] | None:
    """(PNG, description) of how many students finished, started or did not start each notebook."""
    if not table or not notebooks:
        return None
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from .style import MUTED, OKABE_ITO, chart_style

    done = [sum(row[nb][0] >= row[nb][2] > 0 for row in table.values()) for nb in notebooks]
    started = [sum(0 < row[nb][0] < row[nb][2] for row in table.values()) for nb in notebooks]
    none = [len(table) - d - s for d, s in zip(done, started)]
    with chart_style():
        fig, ax = plt.subplots(figsize=(7.5, 0.9 + 0.38 * len(notebooks)))
        ax.barh(notebooks, done, color=OKABE_ITO["bluish green"], label="every question answered")
        ax.barh(notebooks, started, left=done, color=OKABE_ITO["sky blue"], hatch="...", edgecolor="white", label="some answered")
        ax.barh(notebooks, none, left=[d + s for d, s in zip(done, started)], color="white", edgecolor=MUTED, label="none answered")
        ax.invert_yaxis()
        ax.set_xlabel("students")
        ax.set_title("Progress through the notebooks")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 - 0.6 / len(notebooks)), ncol=3)
        png = _png(fig)
    parts = [f"{nb}: {d} finished, {s} started, {n} not started" for nb, d, s, n in zip(notebooks, done, started, none)]
    return png, f"Stacked bar chart of {len(table)} students per notebook. " + "; ".join(parts) + "."


# --- HTML ----------------------------------------------------------------------

_CSS = """
body { font-family: system-ui, sans-serif; color: #222; max-width: 60em; margin: 2em auto; padding: 0 1em; line-height: 1.45; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td.num { text-align: right; }
.problem { color: #8a3b00; }
figure { margin: 1em 0; } figcaption { color: #555; font-size: 0.9em; }
.open { display: grid; grid-template-columns: repeat(auto-fill, minmax(16em, 1fr)); gap: 0.6em; }
.open div { border: 1px solid #ccc; padding: 0.5em; white-space: pre-wrap; }
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _figure(chart: tuple[str, str] | None) -> str:
    if chart is None:
        return ""
    png, text = chart
    return f'<figure><img src="data:image/png;base64,{png}" alt="{_e(text)}"><figcaption>{_e(text)}</figcaption></figure>'


def render_html(work: ClassWork, bank: Mapping[tuple[str, str], Mapping[str, Any]] | None = None, *, charts: bool = True) -> str:
    """The report as one self-contained HTML page."""
    # Only the notebooks someone handed work in for; the others are named in one line.
    worked = {nb for answers in work.students.values() for (nb, _), r in answers.items() if r.get("attempts") or r.get("text")}
    stats = [s for s in question_stats(work, bank) if s.notebook in worked]
    all_notebooks, table = progress(work, bank)
    notebooks = [nb for nb in all_notebooks if nb in worked]
    out = ['<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>Class report: {_e(work.folder.name)}</title><style>{_CSS}</style></head><body>",
           f"<h1>Class report</h1><p>{len(work.students)} students, from the hand-in files in <code>{_e(work.folder)}</code>.</p>"]
    if work.skipped or work.duplicates:
        out.append("<h2>Files set aside</h2><ul>")
        for rel, reason in work.skipped:
            out.append(f'<li class="problem"><code>{_e(rel)}</code> was skipped: {_e(reason)}</li>')
        for kept, older in work.duplicates:
            out.append(f"<li><code>{_e(older)}</code> is an earlier copy of the same work as <code>{_e(kept)}</code>: "
                       "only the later one is counted.</li>")
        out.append("</ul>")
    out.append("<h2>Questions</h2>")
    untouched = [nb for nb in all_notebooks if nb not in worked]
    if untouched:
        out.append(f"<p>No answers handed in for {_e(', '.join(untouched))}.</p>")
    if charts:
        out.append(_figure(chart_questions(stats)))
    out.append('<table><thead><tr><th scope="col">Question</th><th scope="col">Answered</th>'
               '<th scope="col">Right at the first try</th><th scope="col">Right in the end</th></tr></thead><tbody>')
    for s in stats:
        if s.judged:
            first = f"{_percent(s.first_try_share)} ({s.first_try_right} of {s.judged})"
            final = f"{_percent(s.final_share)} ({s.right_in_the_end} of {s.judged})"
        else:
            first = final = "open answer, not marked" if s.open_answers else "–"
        out.append(f"<tr><td>{_e(s.notebook)} · {_e(s.title)} <small>({_e(s.id)})</small></td><td class=\"num\">{s.answered}</td>"
                   f'<td class="num">{first}</td><td class="num">{final}</td></tr>')
    out.append("</tbody></table>")
    wrongs = [s for s in stats if s.wrong]
    if wrongs:
        out.append("<h2>Most common wrong answers</h2>")
        for s in wrongs:
            out.append(f"<h3>{_e(s.notebook)} · {_e(s.title)}</h3><table><thead><tr><th scope=\"col\">Wrong answer</th>"
                       '<th scope="col">Students</th><th scope="col">Feedback they saw</th></tr></thead><tbody>')
            for answer, count, feedback in s.wrong:
                out.append(f'<tr><td>{_e(answer)}</td><td class="num">{count}</td><td>{_e(feedback)}</td></tr>')
            out.append("</tbody></table>")
    opens = [s for s in stats if s.open_answers]
    if opens:
        out.append("<h2>Open answers, side by side</h2>")
        for s in opens:
            out.append(f"<h3>{_e(s.notebook)} · {_e(s.title)}</h3><div class=\"open\">")
            for name, text in s.open_answers:
                out.append(f"<div><strong>{_e(name)}</strong>\n{_e(text)}</div>")
            out.append("</div>")
    out.append("<h2>Students</h2>")
    if charts:
        out.append(_figure(chart_progress(notebooks, table)))
    out.append('<table><thead><tr><th scope="col">Student</th>' + "".join(f'<th scope="col">{_e(nb)}</th>' for nb in notebooks)
               + '<th scope="col">Last saved (UTC)</th></tr></thead><tbody>')
    for name, row in table.items():
        cells = "".join(f'<td class="num">{a}/{t} answered, {r} right</td>' for a, r, t in (row[nb] for nb in notebooks))
        out.append(f'<tr><th scope="row">{_e(name)}</th>{cells}<td>{_e(work.saved[name])}</td></tr>')
    out.append("</tbody></table>")
    out.append("<p><small>Answers are checked on each student's own computer; a student who reads Python could "
               "change what a file says. Files the module did not write, or that were edited, are listed above.</small></p>")
    out.append("</body></html>\n")
    return "\n".join(out)


def write_html(work: ClassWork, path: str | Path, bank: Mapping[tuple[str, str], Mapping[str, Any]] | None = None) -> Path:
    path = Path(path)
    path.write_text(render_html(work, bank), encoding="utf-8")
    return path


def class_report(folder: str | Path, out: str | Path | None = None, csv_path: str | Path | None = None,
                 data_dir: str | Path | None = None) -> tuple[ClassWork, Path]:
    """Read `folder` and write the HTML report (default ``FOLDER/class-report.html``) and, if asked, the CSV."""
    bank = _bank(data_dir)
    work = collect(folder, bank)
    html_path = write_html(work, Path(out) if out else Path(folder) / "class-report.html", bank)
    if csv_path:
        write_csv(work, csv_path, bank)
    return work, html_path
