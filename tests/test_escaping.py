"""HTML in a teacher's edited data is shown as text everywhere, never as markup.

A copy of the data folder gets ``<script>alert(1)</script>`` and
``<b>bold</b>`` in every kind of text a student sees (titles, excerpts,
names, roles, quotations, claims, evidence, figures' measures and sources,
question prompts, choices and feedback). The copy must pass the teacher's
check, and then every HTML string the explorers and questions render (live
widgets, listings, feedback, static forms for nbconvert, chart descriptions
used as alt text) must hold only the escaped form.
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import csv
import io
import json
import shutil
from pathlib import Path
from typing import Any

import ipywidgets
import pytest

from aleppo2016 import check_data, data, quiz
from aleppo2016 import widgets as w

SCRIPT = "<script>alert(1)</script>"
BOLD = "<b>bold</b>"
INJECT = {
    "events.csv": {"title", "excerpt", "date_text", "date_reasoning"},
    "context.csv": {"title", "description", "source"},
    "figures.csv": {"measure", "attribution", "excerpt", "unit"},
    "quotes.csv": {"text", "role", "context", "medium"},
    "claims.csv": {"claim", "evidence", "excerpt", "note"},
    "actors.csv": {"name"},
}


def _poison(text: str) -> str:
    return f"{text} {SCRIPT} {BOLD}"


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("edited") / "data"
    shutil.copytree(data.DATA_DIR, folder)
    for file, columns in INJECT.items():
        path = folder / file
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        for row in rows[1:]:
            for column in columns:
                i = rows[0].index(column)
                if row[i]:
                    row[i] = _poison(row[i])
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")
    questions = json.loads((folder / "questions.json").read_text(encoding="utf-8"))
    for qs in questions.values():
        if not isinstance(qs, list):
            continue
        for q in qs:
            q["prompt"] = _poison(q["prompt"])
            for choice in q.get("choices", []):
                choice["text"] = _poison(choice["text"])
                choice["feedback"] = _poison(choice["feedback"])
            for key, value in q.get("feedback", {}).items():
                q["feedback"][key] = _poison(value)
    (folder / "questions.json").write_text(json.dumps(questions, ensure_ascii=False), encoding="utf-8")
    check_data(folder)  # the teacher's check accepts it: markup in text is allowed, just shown as text
    loaded = dict(data._load_all.__wrapped__(folder))
    loaded["questions"] = quiz.load_questions(folder)
    return loaded


def _html_of(widget: ipywidgets.Widget) -> list[str]:
    """Every HTML string a widget tree puts on screen, plus its static form."""
    found = []
    stack = [widget]
    while stack:
        wdg = stack.pop()
        if isinstance(wdg, (ipywidgets.HTML, ipywidgets.HTMLMath)):
            found.append(wdg.value)
        if getattr(wdg, "description_allow_html", False):
            found.append(wdg.description)
        stack.extend(getattr(wdg, "children", ()))
    bundle = widget._repr_mimebundle_()
    found.append(bundle["text/html"])
    return found


def _assert_only_escaped(pieces: list[str]) -> None:
    joined = "\n".join(pieces)
    assert "<script" not in joined and "<b>bold" not in joined
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in joined
    assert "&lt;b&gt;bold&lt;/b&gt;" in joined


def test_timeline_explorer(tables: dict[str, Any]) -> None:
    tl = w.TimelineExplorer(tables["events"], tables["context"], tables["actors"])
    pieces = _html_of(tl)
    assert SCRIPT in tl._pane.description  # the chart's words hold the text; the HTML holds it escaped
    _assert_only_escaped(pieces)
    tl.actor = next(iter(tl.actor_names))
    _assert_only_escaped(_html_of(tl))
    assert all(SCRIPT in name for name in tl.actor_box.options)  # suggestions are plain text
    assert SCRIPT in tl.actor_box.value
    tl.actor_box.value = "<b>bold</b> nobody"  # a typed name is shown back escaped in the message
    assert "<b>bold" not in tl._message.value and "&lt;b&gt;bold&lt;/b&gt;" in tl._message.value


def test_figures_explorer(tables: dict[str, Any]) -> None:
    fe = w.FiguresExplorer(tables["figures"], selected=list(tables["figures"].index[:6]))
    _assert_only_escaped(_html_of(fe))
    boxes = list(fe.figure_boxes.values())  # box labels are plain text, never HTML
    assert not any(b.description_allow_html for b in boxes) and any(SCRIPT in b.description for b in boxes)
    fe.scale = "linear"
    _assert_only_escaped(_html_of(fe))


def test_voices_browser(tables: dict[str, Any]) -> None:
    vb = w.VoicesBrowser(tables["quotes"], tables["actors"])
    _assert_only_escaped(_html_of(vb))


def test_claims_comparer(tables: dict[str, Any]) -> None:
    cc = w.ClaimsComparer(tables["claims"], tables["actors"])
    for _, point in cc.point_buttons.options:
        cc.point = point
        _assert_only_escaped(_html_of(cc))


def test_questions_feedback_and_static_forms(tables: dict[str, Any]) -> None:
    for notebook, specs in tables["questions"].items():
        z = quiz.Quiz(notebook, specs)
        for q in z.questions:
            if isinstance(q, (quiz.MultipleChoice, quiz.MultipleSelect)):
                q.boxes[0].value = True
                assert not any(b.description_allow_html for b in q.boxes)
            elif isinstance(q, quiz.NumericQuestion):
                q.entry.value = str(q.spec["answer"] + q.spec["tolerance"] + 1)
            elif isinstance(q, quiz.OpenQuestion):
                q.area.value = "<b>bold</b> written by a student"
            q.check_button.click()
            assert (q.correct is not None) if q.scored else bool(q.record["attempts"]), q.feedback_text
        pieces = _html_of(z) + [q.static_html() for q in z.questions]
        joined = "\n".join(pieces)
        assert "<script" not in joined and "<b>bold" not in joined, notebook
        assert "&lt;script&gt;" in joined, notebook
