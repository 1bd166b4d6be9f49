"""Property-based tests: random sequences of clicks and settings, checked after every step.

Hypothesis drives every explorer and the question widgets through random
sequences of states, as a student clicking around would, including values a
widget must refuse. After every step nothing has raised (other than a clear
TraitError for a refused value, which leaves the state as it was) and what
the widget shows agrees with its filters: every listed row matches them, and
no row that matches is missing; the chart has one bar or point per row; the
scale is the one chosen; the note about an empty choice appears exactly when
nothing matches; the controls show the state.

States checked (each test asserts its own count, so the total cannot shrink
unnoticed): examples × steps per example =

* TimelineExplorer 10 × 10 = 100   (a chart redraw per step, the slowest)
* FiguresExplorer  12 × 10 = 120
* VoicesBrowser    40 × 12 = 480
* ClaimsComparer   30 × 12 = 360
* question widgets 40 × 15 = 600   (a whole quiz: every question type, one shared score)

in all 1,660 states. Each explorer is built once and reused: every
example starts by setting it back to its first state, and the checks read
only its current state, so reuse cannot hide a failure.
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import html
from functools import cache
from typing import Any

import pandas as pd
import traitlets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matplotlib.collections import PathCollection
from matplotlib.patches import Rectangle

import aleppo2016 as a
from aleppo2016 import charts, quiz, tables
from aleppo2016 import widgets as w

SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
TEXTS = st.sampled_from(["", "  ", "<script>alert(1)</script>", "<b>bold</b>", "nan", "1e999", "sixty", "-5",
                         "Vitaly Churkn", "military"]) | st.text(max_size=12)


def _bars(ax: Any) -> int:
    return sum(1 for p in ax.patches if isinstance(p, Rectangle) and p.get_height() == 0.6)


def _points(ax: Any) -> int:
    return sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection))


def _try(action: Any) -> bool:
    """Run one action; a refused value must be a TraitError naming the problem. True if accepted."""
    try:
        action()
    except traitlets.TraitError as err:
        assert str(err), "a refused value must say why"
        return False
    return True


def _run(test_body: Any, examples: int, steps: int) -> int:
    """Run a Hypothesis test that draws `steps` actions per example; return how many states it checked."""
    counter = [0]

    @settings(max_examples=examples, **SETTINGS)
    @given(st.data())
    def run(data: st.DataObject) -> None:
        counter[0] += test_body(data, steps)

    run()
    return counter[0]


# --------------------------------------------------------------------------
# Timeline explorer
# --------------------------------------------------------------------------

@cache
def timeline() -> w.TimelineExplorer:
    return w.TimelineExplorer()


@cache
def _tables() -> tuple[pd.DataFrame, pd.DataFrame, tuple[pd.Series, pd.Series], tuple[pd.Series, pd.Series]]:
    events, context = a.load_events(), a.load_context()
    return events, context, tables.date_span(events), tables.date_span(context)


def _expected_timeline(tl: w.TimelineExplorer) -> tuple[set[str], set[str]]:
    """The rows the filters should keep, worked out here independently of the widget."""
    events, context, (ev_first, ev_last), (cx_first, cx_last) = _tables()
    lo, hi = (pd.Timestamp(d) for d in tl.date_range)
    whole = tuple(tl.date_range) == (tl._all_dates[0], tl._all_dates[-1])

    def in_range(first: pd.Series, last: pd.Series, rid: str) -> bool:
        return whole or (pd.notna(first[rid]) and last[rid] >= lo and first[rid] <= hi)

    with_actor = {rid for rid, acts in events["actors"].items() if tl.actor in acts}
    keep_events = {rid for rid, cat in events["category"].items()
                   if cat in tl.categories and (not tl.actor or rid in with_actor) and in_range(ev_first, ev_last, rid)}
    keep_context = {rid for rid, cat, related in zip(context.index, context["category"], context["related"])
                    if cat in tl.categories and (not tl.actor or with_actor & set(related))
                    and in_range(cx_first, cx_last, rid)}
    return keep_events, keep_context


def _check_timeline(tl: w.TimelineExplorer) -> None:
    events, context = _expected_timeline(tl)
    assert set(tl.matching.index) == events
    assert set(tl.matching_context.index) == context
    assert {c for c, box in tl.category_boxes.items() if box.value} == set(tl.categories)
    assert tuple(tl.date_slider.value) == tuple(tl.date_range)
    nothing = not events and not context
    if tl.message.startswith("No actor called"):  # a name typed in the box was not found: the filter stayed
        assert tl.actor_box.value.strip() and "The filter has not changed" in tl.message
    elif tl.message.endswith("The control is back at the choice in use."):  # a refused slider sprang back
        assert tl.message.startswith("date_range:")
    else:
        assert tl.actor_box.value == tl.actor_names.get(tl.actor, "")
        assert ("No events match" in tl.message) == nothing
    dated = int(tl.matching["date"].notna().sum()) + len(context)
    assert _points(tl.ax) == dated
    listing = tl._listing.value
    assert listing.count("<div ") == len(tl.view.entries) == len(events) + len(context)
    for title in list(tl.matching["title"]) + list(tl.matching_context["title"]):
        assert html.escape(title) in listing


def _set_together(tl: w.TimelineExplorer, state: tuple[list[str], str, tuple[int, int]]) -> None:
    categories, actor, (i, j) = state
    with tl.hold_trait_notifications():
        tl.categories = tuple(categories)
        tl.actor = actor
        tl.date_range = (tl._all_dates[min(i, j)], tl._all_dates[max(i, j)])


def _timeline_steps(data: st.DataObject, steps: int) -> int:
    tl = timeline()
    cats, dates = list(tl.category_boxes), tl._all_dates
    labels = list(tl.actor_names.values())
    typed = labels + [n.upper() for n in labels] + ["", "  ", "Power", "Churkin", "Vitaly Churkn", "nobody"]
    tl.categories, tl.actor, tl.date_range = tuple(cats), "", (dates[0], dates[-1])
    index = st.integers(0, len(dates) - 1)
    actions = st.one_of(
        st.sampled_from(cats).map(lambda c: lambda: setattr(tl.category_boxes[c], "value", not tl.category_boxes[c].value)),
        st.lists(st.sampled_from(cats), unique=True).map(lambda cs: lambda: setattr(tl, "categories", tuple(cs))),
        st.sampled_from(typed).map(lambda v: lambda: setattr(tl.actor_box, "value", v)),
        TEXTS.map(lambda t: lambda: setattr(tl.actor_box, "value", t)),  # never an error: a message at most
        st.sampled_from(labels).map(lambda name: lambda: setattr(tl, "actor", name)),
        st.tuples(index, index).map(lambda ij: lambda: setattr(tl.date_slider, "index", tuple(sorted(ij)))),
        # The slider set inverted from code: it springs back, never disagreeing with the trait or the chart.
        st.tuples(index, index).map(lambda ij: lambda: setattr(tl.date_slider, "index", ij)),
        # Three traits at once, one redraw.
        st.tuples(st.lists(st.sampled_from(cats), unique=True), st.sampled_from([""] + list(tl.actor_names)),
                  st.tuples(index, index)).map(lambda t: lambda: _set_together(tl, t)),
        st.tuples(st.dates(), st.dates()).map(lambda d: lambda: setattr(tl, "date_range", d)),  # may be refused
        TEXTS.map(lambda t: lambda: setattr(tl, "actor", t)),  # mostly refused
    )
    for _ in range(steps):
        before = (tl.categories, tl.actor, tl.date_range)
        if not _try(data.draw(actions)):
            assert (tl.categories, tl.actor, tl.date_range) == before
        _check_timeline(tl)
    return steps


def test_timeline_explorer_random_states() -> None:
    assert _run(_timeline_steps, 10, 10) >= 100


# --------------------------------------------------------------------------
# Figures explorer (with one figure set to zero, so the log scale must give way)
# --------------------------------------------------------------------------

@cache
def figures() -> w.FiguresExplorer:
    frame = a.load_figures()
    frame.loc["years_of_war_test"] = frame.iloc[0]
    frame.loc["years_of_war_test", ["value", "value_text", "measure"]] = [0, "none", "a made-up zero"]
    return w.FiguresExplorer(frame)


def _check_figures(fe: w.FiguresExplorer) -> None:
    assert list(fe.matching.index) == list(fe.selected)
    assert {rid for rid, box in fe.figure_boxes.items() if box.value} == set(fe.selected)
    assert fe.scale_buttons.value == fe.scale
    chosen = fe.figures.loc[list(fe.selected)]
    zero = bool((chosen["value"] <= 0).any())
    assert ("No figures chosen" in fe.message) == chosen.empty
    assert ("cannot show zero" in fe.message) == (fe.scale == "log" and zero)
    assert _bars(fe.ax) == len(chosen)
    shown_scale = "linear" if (zero or chosen.empty and fe.scale == "linear") else fe.scale
    if not chosen.empty:
        assert fe.ax.get_xscale() == shown_scale
    assert f"{shown_scale} scale" in fe._pane.description
    listing = fe._listing.value
    assert listing.count("<div ") == len(fe.view.entries) == len(chosen)
    for measure in chosen["measure"]:
        assert html.escape(str(measure)) in listing


def _figures_steps(data: st.DataObject, steps: int) -> int:
    fe = figures()
    ids = list(fe.figures.index)
    fe.selected, fe.scale = ("under_siege",), "log"
    actions = st.one_of(
        st.sampled_from(ids).map(lambda r: lambda: setattr(fe.figure_boxes[r], "value", not fe.figure_boxes[r].value)),
        st.lists(st.sampled_from(ids), max_size=4).map(lambda s: lambda: setattr(fe, "selected", tuple(s))),
        st.sampled_from(["log", "linear"]).map(lambda s: lambda: setattr(fe.scale_buttons, "value", s)),
        st.sampled_from(["LOG", "Linear", "lg", "", "<b>log</b>"]).map(lambda s: lambda: setattr(fe, "scale", s)),
        TEXTS.map(lambda t: lambda: setattr(fe, "selected", (t,))),  # refused unless an id
    )
    for _ in range(steps):
        before = (fe.selected, fe.scale)
        if not _try(data.draw(actions)):
            assert (fe.selected, fe.scale) == before
        _check_figures(fe)
    return steps


def test_figures_explorer_random_states() -> None:
    assert _run(_figures_steps, 12, 10) >= 120


# --------------------------------------------------------------------------
# Voices browser and claims comparer
# --------------------------------------------------------------------------

@cache
def voices() -> w.VoicesBrowser:
    return w.VoicesBrowser()


def _check_voices(vb: w.VoicesBrowser) -> None:
    quotes = a.load_quotes()
    keys = [str(s) if s else f"role:{r}" for s, r in zip(quotes["speaker"], quotes["role"])]
    expected = [rid for rid, key in zip(quotes.index, keys) if not vb.speaker or key == vb.speaker]
    assert list(vb.matching.index) == expected and expected
    assert vb.speaker_buttons.value == vb.speaker
    assert vb.message == f"{len(expected)} quotation{'s' if len(expected) != 1 else ''}."
    assert vb._listing.value.count("<blockquote") == len(vb.view.entries) == len(expected)
    for text in vb.matching["text"]:
        assert html.escape(str(text)) in vb._listing.value


def _voices_steps(data: st.DataObject, steps: int) -> int:
    vb = voices()
    vb.speaker = ""
    values = [v for _, v in vb.speaker_buttons.options]
    names = [tables.actor_name(v, vb.actors) for v in values if v and not v.startswith("role:")]
    actions = st.one_of(
        st.sampled_from(values).map(lambda v: lambda: setattr(vb.speaker_buttons, "value", v)),
        st.sampled_from(names).map(lambda n: lambda: setattr(vb, "speaker", n.upper())),
        TEXTS.map(lambda t: lambda: setattr(vb, "speaker", t)),
    )
    for _ in range(steps):
        before = vb.speaker
        if not _try(data.draw(actions)):
            assert vb.speaker == before
        _check_voices(vb)
    return steps


def test_voices_browser_random_states() -> None:
    assert _run(_voices_steps, 40, 12) >= 480


@cache
def claims() -> w.ClaimsComparer:
    return w.ClaimsComparer()


def _check_claims(cc: w.ClaimsComparer) -> None:
    table = a.load_claims()
    replies = list(table.index[table["responds_to"] == cc.point])
    assert replies, "every point offered has a reply"
    assert list(cc.matching.index) == [cc.point, *replies]
    assert cc.point_buttons.value == cc.point
    assert html.escape(table.loc[cc.point, "claim"]) in cc._left.value
    for rid in replies:
        assert html.escape(table.loc[rid, "claim"]) in cc._right.value
    assert cc._right.value.count("<div ") == len(replies)


def _claims_steps(data: st.DataObject, steps: int) -> int:
    cc = claims()
    points = [v for _, v in cc.point_buttons.options]
    actions = st.one_of(
        st.sampled_from(points).map(lambda p: lambda: setattr(cc.point_buttons, "value", p)),
        st.sampled_from(points).map(lambda p: lambda: setattr(cc, "point", p)),
        TEXTS.map(lambda t: lambda: setattr(cc, "point", t)),
    )
    for _ in range(steps):
        before = cc.point
        if not _try(data.draw(actions)):
            assert cc.point == before
        _check_claims(cc)
    return steps


def test_claims_comparer_random_states() -> None:
    assert _run(_claims_steps, 30, 12) >= 360


# --------------------------------------------------------------------------
# Question widgets: a whole quiz, clicked at random, against a model of the score
# --------------------------------------------------------------------------

def _quiz_steps(data: st.DataObject, steps: int) -> int:
    z = quiz.questions("07_review")
    model: dict[str, dict[str, Any]] = {q.id: {"attempts": 0, "solved": False, "first": False} for q in z.questions}
    for _ in range(steps):
        q = data.draw(st.sampled_from(z.questions))
        action = data.draw(st.sampled_from(["check", "retry", "answer", "answer", "answer"]))
        if action == "check" and not q.check_button.disabled:  # a front end cannot click a disabled button
            was_attempts = q.attempts
            q.check_button.click()
            m = model[q.id]
            if q.attempts == was_attempts + 1:
                m["attempts"] += 1
                m["first"] = m["first"] or (q.correct and m["attempts"] == 1)
                m["solved"] = m["solved"] or bool(q.correct)
                assert q.check_button.disabled and not q.retry_button.disabled
            else:  # nothing readable given: a note, nothing counted
                assert q.correct is None and "first" in q.feedback_text or "digits" in q.feedback_text
        elif action == "retry" and not q.retry_button.disabled:
            q.retry_button.click()
            assert q.correct is None and q.feedback_text == "" and not q.check_button.disabled
        elif action == "answer" and q.correct is None:
            _answer_at_random(q, data)
        assert model[q.id]["attempts"] == q.attempts
        assert "<script>" not in q.feedback.value and "<b>bold" not in q.feedback.value
        if isinstance(q, quiz.MultipleChoice):
            assert sum(b.value for b in q.boxes) <= 1
        score = z.score
        assert score.correct == sum(m["solved"] for m in model.values())
        assert score.first_try == sum(m["first"] for m in model.values())
        assert score.tried == sum(m["attempts"] > 0 for m in model.values())
        assert score.total == len(z.questions) and score.text in html.unescape(score.value)
    return steps


def _answer_at_random(q: Any, data: st.DataObject) -> None:
    if isinstance(q, (quiz.MultipleChoice, quiz.MultipleSelect)):
        box = data.draw(st.sampled_from(q.boxes))
        box.value = not box.value
    elif isinstance(q, quiz.NumericQuestion):
        q.entry.value = data.draw(TEXTS | st.integers(-10**12, 10**12).map(str) | st.just(str(q.spec["answer"])))
    else:
        place = data.draw(st.integers(0, len(q.rows) - 1))
        button = q.rows[place][data.draw(st.sampled_from([1, 2]))]
        if not button.disabled:
            button.click()


def test_question_widgets_random_states() -> None:
    assert _run(_quiz_steps, 40, 15) >= 600


def test_the_suite_checks_at_least_a_thousand_states() -> None:
    """The quotas asserted above, summed: the issue asks for at least 1,000."""
    import inspect
    import re

    quotas = re.findall(r"_run\(_\w+, \d+, \d+\) >= (\d+)", inspect.getsource(inspect.getmodule(_run)))
    assert len(quotas) == 5 and sum(map(int, quotas)) >= 1000
