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
* question widgets 40 × 15 = 600   (the whole 07 review quiz: every type it uses, one shared score)

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

import ipywidgets
import pandas as pd
import traitlets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aleppo2016 as a
from aleppo2016 import charts, quiz, tables
from aleppo2016 import widgets as w
from chart_parts import bars
from chart_parts import points as _points

SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
TEXTS = st.sampled_from(["", "  ", "<script>alert(1)</script>", "<b>bold</b>", "nan", "1e999", "sixty", "-5",
                         "Vitaly Churkn", "military"]) | st.text(max_size=12)


def _bars(ax: Any) -> int:
    return len(bars(ax))


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
    # Each quotation is shown twice: cleaned (speech), then the article's own sentence (an excerpt).
    assert vb._listing.value.count("<blockquote") == 2 * len(vb.view.entries) == 2 * len(expected)
    assert vb._listing.value.count("From the article:") == len(expected)
    for text, excerpt in zip(vb.matching["text"], vb.matching["excerpt"]):
        assert html.escape(str(text)) in vb._listing.value and html.escape(str(excerpt)) in vb._listing.value


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
    quiz._forget_answers()  # each example is a fresh kernel
    z = quiz.questions("07_review")
    scored = [q for q in z.questions if q.scored]  # open questions are not judged (test_quiz drives them)
    model: dict[str, dict[str, Any]] = {q.id: {"attempts": 0, "solved": False, "first": False} for q in scored}
    for _ in range(steps):
        q = data.draw(st.sampled_from(scored))
        action = data.draw(st.sampled_from(["check", "retry", "answer", "answer", "answer"]))
        if action == "check":  # also when disabled: Python (or a double click) can still press it
            was_attempts, was_checked = q.attempts, q.checked
            q.check_button.click()
            m = model[q.id]
            if was_checked:  # Check again without "Try again": the same attempt, nothing counted
                assert q.attempts == was_attempts and q.checked
            elif q.attempts == was_attempts + 1:
                m["attempts"] += 1
                m["first"] = m["first"] or (q.correct and m["attempts"] == 1)
                m["solved"] = m["solved"] or bool(q.correct)
                assert q.check_button.disabled and not q.retry_button.disabled
                assert q.record["attempts"][-1]["correct"] is q.correct and q.record["correct"] is m["solved"]
            else:  # nothing readable given: a note, nothing counted
                assert q.correct is None and "first" in q.feedback_text or "digits" in q.feedback_text
        elif action == "retry" and not q.retry_button.disabled:
            q.retry_button.click()
            assert q.correct is None and q.feedback_text == "" and not q.check_button.disabled
        elif action == "answer" and not q.checked:
            _answer_at_random(q, data)
        assert model[q.id]["attempts"] == q.attempts == len(q.record["attempts"])
        assert "<script>" not in q.feedback.value and "<b>bold" not in q.feedback.value
        if isinstance(q, quiz.MultipleChoice):
            assert sum(b.value for b in q.boxes) <= 1
        score = z.score
        assert score.correct == sum(m["solved"] for m in model.values())
        assert score.first_try == sum(m["first"] for m in model.values())
        assert score.tried == sum(m["attempts"] > 0 for m in model.values())
        assert score.total == len(scored) and score.text in html.unescape(score.value)
    return steps


def _answer_at_random(q: Any, data: st.DataObject) -> None:
    """Use one control as a student would (tick, press, type), or set one of the type's sample answers."""
    if data.draw(st.booleans()):
        q.answer = data.draw(st.sampled_from(quiz.question_type(q.spec["type"]).sample_answers(q.spec)))
        return
    control = data.draw(st.sampled_from(q.inputs()))
    if control.disabled:
        return  # a front end cannot use a disabled control
    if isinstance(control, ipywidgets.Checkbox):
        control.value = not control.value
    elif isinstance(control, ipywidgets.Button):
        control.click()
    else:  # a text box
        control.value = data.draw(TEXTS | st.integers(-10**12, 10**12).map(str))


def test_question_widgets_random_states() -> None:
    assert _run(_quiz_steps, 40, 15) >= 600


# --------------------------------------------------------------------------
# Data and hub link (issue 15): random cells, numbers, dates, nesting and
# addresses. Each gives a value read exactly as written or one clear error;
# never a different value, a hang, a traceback from inside, or a link that
# goes elsewhere.
# --------------------------------------------------------------------------

import csv as _csv
import io as _io
import shutil as _shutil
import subprocess as _subprocess
import tempfile as _tempfile
import warnings as _warnings
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from aleppo2016 import data as _data
from aleppo2016 import delivery
from aleppo2016.errors import DataError, DataWarning

DIGITS = st.text("0123456789", min_size=1, max_size=18)
NUMBER_TEXTS = st.one_of(
    st.text("0123456789,.-+ e", max_size=22),
    st.builds(lambda a, b: f"{a},{b}", DIGITS, DIGITS),
    st.builds(lambda a, b: f"{a}.{b}", DIGITS, DIGITS),
    st.integers(-10**17, 10**17).map(lambda n: f"{n:,}"),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-10**9, max_value=10**9).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=0, max_value=10**7)
      .map(lambda d: f"{d:,}".replace(",", " ").replace(".", ",").replace(" ", ".")),  # the European form
)


@settings(max_examples=400, **SETTINGS)
@given(NUMBER_TEXTS)
def test_a_number_is_read_exactly_as_written_or_refused(text: str) -> None:
    try:
        value = _data.parse_number(text)
    except ValueError as err:
        assert str(err).startswith(repr(text.strip())[:40].rstrip("'")), err
        return
    written = Decimal(text.strip().replace(",", ""))
    assert Decimal(repr(value)) == written, (text, value)  # not 25 for "2,5", not 60.0005 for "60.000,5"
    assert "," not in text or all(len(group) == 3 for group in text.strip().split(".")[0].split(",")[1:])


@settings(max_examples=200, **SETTINGS)
@given(st.integers(-(10**15) + 1, 10**15 - 1), st.booleans())
def test_every_whole_number_the_column_holds_is_accepted(number: int, grouped: bool) -> None:
    assert _data.parse_number(f"{number:,}" if grouped else str(number)) == number


@settings(max_examples=300, **SETTINGS)
@given(st.dates())
def test_a_date_is_held_exactly_or_refused_with_the_range(day: Any) -> None:
    low, high = _data.DATE_RANGE
    try:
        parsed = _data.parse_date(day.isoformat())
    except ValueError as err:
        assert not low <= day <= high
        assert "1700-01-01 to 2199-12-31" in str(err)
        return
    assert low <= day <= high
    # what a table holds: nanosecond timestamps, the period of an imprecise date added on top
    stamp = pd.Series([parsed], dtype="datetime64[ns]")
    assert stamp[0].date() == day and (stamp + pd.Timedelta(days=366))[0].date() > day


@cache
def _folder() -> Path:
    """One copy of the data folder; each example changes one file and puts it back."""
    folder = Path(_tempfile.mkdtemp(prefix="aleppo2016-properties-")) / "data"
    _shutil.copytree(_data.DATA_DIR, folder)
    return folder


def _cells() -> st.SearchStrategy[tuple[str, str, int]]:
    return st.sampled_from([(t, c) for t, spec in _data.TABLES.items() for c in ["id", *(col.name for col in spec.columns)]]) \
        .flatmap(lambda tc: st.integers(1, 5).map(lambda row: (*tc, row)))


CELL_TEXTS = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["=1+1", "+1", "-1", "@x", "\t=x", " =x", "2,5", "60.000,5", "0216-09-19", "9999-12-31", "1e999",
                     "10000000000000000000", '"', '""', "a;b", "\r\n", "\x00", "\u202e", "x" * 200_000]),
    NUMBER_TEXTS,
)


@settings(max_examples=120, **SETTINGS)
@given(_cells(), CELL_TEXTS)
def test_any_edited_cell_loads_or_gives_one_clear_error(where: tuple[str, str, int], text: str) -> None:
    table, column, row = where
    folder = _folder()
    path = folder / _data.TABLES[table].file
    original = path.read_bytes()
    rows = list(_csv.reader(_io.StringIO(original.decode("utf-8"), newline="")))
    rows[row][rows[0].index(column)] = text
    buffer = _io.StringIO()
    _csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    try:
        with _warnings.catch_warnings(record=True) as caught:
            _warnings.simplefilter("always", DataWarning)
            tables = _data.load_tables(folder)
    except DataError as err:
        assert len(str(err)) <= 1000, str(err)[:2000]
        return
    finally:
        path.write_bytes(original)
    kind = "text" if column == "id" else next(c for c in _data.TABLES[table].columns if c.name == column).kind
    warned = [w for w in caught if issubclass(w.category, DataWarning)]
    assert bool(warned) == (kind == "text" and text.strip().startswith(_data.FORMULA_STARTS))
    if kind in ("number", "date") and text.strip() and column != "id":
        loaded = tables[table].iloc[row - 1][column]
        expected = _data.parse_number(text) if kind == "number" else pd.Timestamp(_data.parse_date(text))
        assert loaded == expected


@settings(max_examples=40, **SETTINGS)
@given(st.binary(max_size=3000) | st.text(max_size=3000).map(lambda t: t.encode("utf-8")))
def test_any_bytes_in_a_data_file_load_or_give_one_clear_error(raw: bytes) -> None:
    folder = _folder()
    path = folder / "events.csv"
    original = path.read_bytes()
    path.write_bytes(raw)
    try:
        _data.load_tables(folder)
    except DataError as err:
        assert len(str(err)) <= 1000
    finally:
        path.write_bytes(original)


@settings(max_examples=60, **SETTINGS)
@given(st.integers(0, 5000), st.sampled_from(["[", '{"a": ', "[1, "]), st.booleans())
def test_json_of_any_depth_parses_or_is_refused(depth: int, opener: str, closed: bool) -> None:
    closer = {"[": "]", '{"a": ': "}", "[1, ": "]"}[opener]
    text = opener * depth + "0" + (closer * depth if closed else "")
    try:
        value = _data.parse_json(text, "x.json")
    except DataError as err:
        assert str(err).startswith("x.json") and len(str(err)) < 300
        too_deep = "more than 20 levels" in str(err)
        assert too_deep <= (depth > _data.MAX_JSON_DEPTH) and (closed and depth > _data.MAX_JSON_DEPTH) <= too_deep
        return
    assert (closed or depth == 0) and depth <= _data.MAX_JSON_DEPTH and value is not None


SCHEMES = st.sampled_from(["https://"] * 5 + ["http://", "HTTPS://", "", "//", "https:\\\\", "ftp://", "https:/"])
USERINFO = st.sampled_from([""] * 8 + ["amira@", "amira:pw@", "hub.example.org@", "hub.example.org:443@",
                            "hub.example.org%2F@", "hub.example.org\\@"])
HOSTS = st.sampled_from(["hub.example.org"] * 6 + ["evil.example", "HUB.Example.org", "hüb.example.org", "ｈｕｂ.example.org",
                         "xn--pple-43d.com", "xn--80ak6aa92e.com", "xn--mller-kva.example", "hub.example.org\u202e",
                         "localhost:8000", "[::1]:8000", "hub.example.org:99999", "hub_x.example.org",
                         "hub.example.org.", "-hub.example.org", "hub..example.org"])
PATHS = st.sampled_from(["", "/", "/hub/home", "/jupyter/", "/user/x/lab", "?next=/x", "#f", "/\\evil.example",
                         "/@evil.example", "/%2e%2e/", "\u2066/x", "/é/", '/"><script>', "/jupyter/hub/x"]) \
    | st.text(max_size=8)


@settings(max_examples=400, **SETTINGS)
@given(SCHEMES, USERINFO, HOSTS, PATHS, st.sampled_from(["https://github.com/x/y"] * 4 + ["git@github.com:x/y.git",
                                                         "https://t:pw@github.com/x/y", "https://github.com\\@evil/x"]))
def test_a_hub_link_goes_only_to_the_hub_typed(scheme: str, userinfo: str, host: str, path: str, repo: str) -> None:
    hub = scheme + userinfo + host + path
    try:
        link = delivery.hub_link(hub, repo=repo)
    except delivery.LinkError as err:
        assert 0 < len(str(err)) <= 1000 and "\u202e" not in str(err) and "\u2066" not in str(err)
        return
    parts = urlsplit(link)
    # accepted only when nothing in the address could lead elsewhere
    assert userinfo == "" and scheme.lower() in ("https://", "http://") and repo == "https://github.com/x/y"
    assert link.isascii() and not set('\\"<>') & set(link) and "@" not in parts.netloc
    typed_host = urlsplit("https://" + host).hostname
    assert parts.hostname == typed_host and typed_host.isascii()
    assert parts.path.endswith("/hub/user-redirect/git-pull")
    assert parse_qs(parts.query)["repo"] == [repo]


GIT_PIECES = st.lists(st.sampled_from(list("ab./-@{}~^:?*[\\ \x01\x7f") + ["\u202e", "é", "HEAD", ".lock", "\u00a0"]),
                      min_size=1, max_size=8).map("".join)


@settings(max_examples=150, **SETTINGS)
@given(GIT_PIECES)
def test_branch_rules_agree_with_git_itself(branch: str) -> None:
    ours = delivery.branch_problem(branch) is None
    git = _subprocess.run(["git", "check-ref-format", "--branch", branch], capture_output=True).returncode == 0
    if git and not ours:  # stricter only where git would take a name that hides or reads as something else
        assert branch == "@" or any(not ch.isprintable() or ch.isspace() for ch in branch), branch
    else:
        assert ours == git, branch
