"""Bad input catalogue: what students and teachers might type.

Every public function and widget of the module gets wrong types, unknown
names, misspellings, empty and inverted date ranges, NaN, huge numbers, empty
strings and text containing HTML or ``<script>``. Each must answer with an
error (or, in a widget, a message) that names the problem and what is
allowed, with a "Did you mean" where a close match exists, and the error must
be raised by our own code (src/aleppo2016), never from deep inside pandas or
matplotlib. Two kinds of error come from the widget library, and are
accepted because the messages are clear and name the trait: traitlets' own
type check of a trait ("expected a unicode string, not the NoneType None"),
and ipywidgets' check of a control's options (a student cannot pick a value
that is not in a list, only code can try); for those the explorer's state
must be unchanged.

Broken data files are in tests/test_validation.py, broken questions files in
tests/test_quiz.py; this catalogue feeds the functions only, including a
few edited data folders given as ``data_dir``.
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import csv
import io
import math
import re
import shutil
import tempfile
import traceback
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import traitlets

import aleppo2016 as a
from aleppo2016 import DataError, UnknownNameError, charts, delivery, quiz
from aleppo2016 import widgets as w
from aleppo2016.data import DATA_DIR, TABLES
from aleppo2016.errors import DataWarning
from widget_state import restored

PACKAGE = Path(a.__file__).resolve().parent
SCRIPT = "<script>alert(1)</script>"
BOLD = "<b>bold</b>"
NAN = math.nan
HUGE = 1e308

# Each explorer is built once; the bad values below are rejected, so they leave it as it was.
timeline = cache(lambda: w.TimelineExplorer())
figures = cache(lambda: w.FiguresExplorer())
voices = cache(lambda: w.VoicesBrowser())
claims = cache(lambda: w.ClaimsComparer())


@pytest.fixture(autouse=True)
def _shared_widgets_put_back() -> Iterator[None]:
    """No test sees another's changes to the shared explorers, even after a failure."""
    with restored(timeline()), restored(figures()), restored(voices()), restored(claims()):
        yield


def with_value(fid: str, value: Any) -> pd.DataFrame:
    """The figures table with one value replaced, as a teacher's hand-made frame."""
    frame = a.load_figures()
    frame["value"] = frame["value"].astype(object)
    frame.loc[fid, "value"] = value
    return frame


# Teachers' edited data folders, each made on first use and removed when the tests end.
_EDITS = tempfile.TemporaryDirectory(prefix="aleppo2016-bad-input-")


def edited(name: str, change: Callable[[Path], None]) -> Path:
    """A copy of the package's data folder with one change made by `change`."""
    folder = Path(_EDITS.name) / name
    if not folder.exists():
        shutil.copytree(DATA_DIR, folder)
        change(folder)
    return folder


def cell(table: str, column: str, value: str) -> Callable[[Path], None]:
    """A change: set `column` of the table's first record to `value`."""
    def change(folder: Path) -> None:
        path = folder / TABLES[table].file
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
        rows[1][rows[0].index(column)] = value
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        path.write_text(buffer.getvalue(), encoding="utf-8")
    return change


def with_semicolons(folder: Path) -> None:
    path = folder / "events.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")


def events_a_folder(folder: Path) -> None:
    (folder / "events.csv").unlink()
    (folder / "events.csv").mkdir()


def nested(file: str, prefix: str = "", suffix: str = "") -> Callable[[Path], None]:
    return lambda folder: (folder / file).write_text(prefix + "[" * 100_000 + "]" * 100_000 + suffix, encoding="utf-8")


def warnings_as_errors(load: Callable[[], Any]) -> Callable[[], Any]:
    """Run `load` with DataWarning raised, so the catalogue can check the warning's words."""
    def run() -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("error", DataWarning)
            return load()
    return run


def link(hub: str = "https://hub.example.org", repo: str = "https://github.com/x/y", branch: str = "main") -> Callable[[], str]:
    return lambda: delivery.hub_link(hub, repo=repo, branch=branch)


def numeric_question() -> quiz.NumericQuestion:
    return quiz.question("02_timeline", "ceasefire_days")


@dataclass
class Case:
    """One bad input: `call` must raise `error` whose message contains every part of `says`.

    origin: "ours" (raised in src/aleppo2016), "traitlets" (a trait's type
    check) or "ipywidgets" (a control's list of options).
    """

    name: str
    call: Callable[[], Any]
    error: type[BaseException] | tuple[type[BaseException], ...]
    says: list[str]
    origin: str = "ours"
    unchanged: Callable[[], Any] | None = None  # for widgets: state that must not change
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Shown:
    """One bad input a widget answers with a message on screen rather than an error."""

    name: str
    run: Callable[[], tuple[str, str]]  # returns (plain message, the HTML shown)
    says: list[str]


def set_(obj_factory: Callable[[], Any], trait: str, value: Any) -> Callable[[], None]:
    return lambda: setattr(obj_factory(), trait, value)


CASES: list[Case] = [
    # --- lookups: actor / place / event / figure --------------------------------
    Case("actor None", lambda: a.actor(None), TypeError, ["actor() takes a name or id as text", "got NoneType"]),
    Case("actor NaN", lambda: a.actor(NAN), TypeError, ["as text", "got float"]),
    Case("actor number", lambda: a.actor(42), TypeError, ["as text", "got int"]),
    Case("actor list", lambda: a.actor(["churkin"]), TypeError, ["as text", "got list"]),
    Case("actor empty", lambda: a.actor(""), UnknownNameError, ["No actor called ''", "load_actors()"]),
    Case("actor spaces", lambda: a.actor("   "), UnknownNameError, ["No actor called", "load_actors()"]),
    Case("actor misspelt", lambda: a.actor("churkn"), UnknownNameError, ["No actor called 'churkn'", "Did you mean", "'churkin'"]),
    Case("actor misspelt name", lambda: a.actor("Samanta Power"), UnknownNameError, ["Did you mean 'Samantha Power'"]),
    Case("actor script", lambda: a.actor(SCRIPT), UnknownNameError, ["No actor called '<script>", "load_actors()"]),
    Case("actor very long", lambda: a.actor("x" * 100_000), UnknownNameError, ["No actor called 'xxx", "load_actors()"],
         extra={"max_len": 300}),
    Case("place misspelt", lambda: a.place("al-sukary"), UnknownNameError, ["No place called", "Did you mean 'al-Sukari'"]),
    Case("place number", lambda: a.place(3.5), TypeError, ["place() takes a name or id as text"]),
    Case("place HTML", lambda: a.place(BOLD), UnknownNameError, ["No place called '<b>bold</b>'", "load_places()"]),
    Case("event misspelt", lambda: a.event("convoy atack"), UnknownNameError, ["Did you mean 'convoy_attack'"]),
    Case("event None", lambda: a.event(None), TypeError, ["event() takes a name or id", "event('convoy_attack')"]),
    Case("event empty", lambda: a.event(""), UnknownNameError, ["No event called ''", "load_events()"]),
    Case("figure huge number", lambda: a.figure(HUGE), TypeError, ["figure() takes a name or id", "figure('under_siege')"]),
    Case("figure misspelt", lambda: a.figure("under_seige"), UnknownNameError, ["Did you mean 'under_siege'"]),
    Case("figure script", lambda: a.figure(SCRIPT), UnknownNameError, ["No figure called", "load_figures()"]),
    # --- loaders, check_data, article_info ----------------------------------------
    Case("load_events with an argument", lambda: a.load_events("events.csv"), TypeError, ["takes 0 positional arguments"],
         origin="python"),
    Case("article_info with an argument", lambda: a.article_info(1), TypeError, ["takes 0 positional arguments"],
         origin="python"),
    Case("check_data number", lambda: a.check_data(3), TypeError, ["data_dir must be a folder path", "got int"]),
    Case("check_data NaN", lambda: a.check_data(NAN), TypeError, ["data_dir must be a folder path", "got float"]),
    Case("check_data empty text", lambda: a.check_data(""), DataError, ["data_dir", "is empty", "give the folder"]),
    Case("check_data a file", lambda: a.check_data(__file__), DataError, ["is not a folder of aleppo2016 data files"]),
    Case("check_data missing folder", lambda: a.check_data("/no/such/folder"), DataError, ["/no/such/folder", "not a folder"]),
    Case("check_data folder without data", lambda: a.check_data(PACKAGE), DataError, ["events.csv", "the file is missing"]),
    # --- charts ---------------------------------------------------------------------
    Case("timeline inverted dates", lambda: charts.timeline(start="2016-09-25", end="2016-09-01"), ValueError,
         ["start (25 Sep 2016) is after end (1 Sep 2016)", "swap them"]),
    Case("timeline start NaN", lambda: charts.timeline(start=NAN), TypeError, ["start must be a date", "'2016-09-19'"]),
    Case("timeline start number", lambda: charts.timeline(start=20160919), TypeError, ["start must be a date"]),
    Case("timeline start words", lambda: charts.timeline(start="next tuesday"), ValueError,
         ["start 'next tuesday' is not a date", "write it like '2016-09-19'"]),
    Case("timeline start empty", lambda: charts.timeline(start=""), ValueError, ["start is empty", "leave it out"]),
    Case("timeline end huge year", lambda: charts.timeline(end="99999-01-01"), ValueError, ["end '99999-01-01' is not a date"]),
    Case("timeline end script", lambda: charts.timeline(end=SCRIPT), ValueError, ["end '<script>", "is not a date"]),
    Case("timeline published words", lambda: charts.timeline(published="soon"), ValueError, ["published 'soon' is not a date"]),
    Case("timeline events not a table", lambda: charts.timeline([1, 2]), TypeError,
         ["timeline() needs a table", "load_events()", "got list"]),
    Case("timeline table without columns", lambda: charts.timeline(pd.DataFrame()), ValueError,
         ["needs a table with the column(s) 'date'", "no columns"]),
    Case("timeline ax text", lambda: charts.timeline(ax="ax"), TypeError, ["ax must be a matplotlib Axes", "got str"]),
    Case("figures_chart misspelt scale", lambda: charts.figures_chart(scale="lineer"), UnknownNameError,
         ["scale 'lineer' is not known", "Did you mean 'linear'", "Allowed: 'log', 'linear'"]),
    Case("figures_chart scale None", lambda: charts.figures_chart(scale=None), TypeError,
         ["scale must be text, one of 'log', 'linear'", "NoneType"]),
    Case("figures_chart scale number", lambda: charts.figures_chart(scale=10), TypeError, ["scale must be text"]),
    Case("figures_chart NaN value", lambda: charts.figures_chart(with_value("under_siege", NAN)), ValueError,
         ["figure 'under_siege' has no usable number in 'value'"]),
    Case("figures_chart text value", lambda: charts.figures_chart(with_value("under_siege", "lots")), ValueError,
         ["'under_siege' has no usable number"]),
    Case("figures_chart huge value", lambda: charts.figures_chart(with_value("under_siege", HUGE)), ValueError,
         ["'under_siege' is 1e+308, too large to draw", "at most"]),
    Case("figures_chart huge value, linear", lambda: charts.figures_chart(with_value("under_siege", -HUGE), scale="linear"),
         ValueError, ["too large to draw"]),
    Case("figures_chart zero on log", lambda: charts.figures_chart(with_value("under_siege", 0)), ValueError,
         ["'under_siege' is 0, which a log scale cannot show", "scale='linear'"]),
    Case("figures_chart ax number", lambda: charts.figures_chart(ax=3), TypeError, ["figures_chart(): ax must be a matplotlib Axes"]),
    Case("figures_chart table of text", lambda: charts.figures_chart("figures"), TypeError, ["needs a table", "load_figures()"]),
    Case("claims_diagram not a table", lambda: charts.claims_diagram("claims"), TypeError, ["claims_diagram() needs a table"]),
    Case("claims_diagram actors not a table", lambda: charts.claims_diagram(actors=5), TypeError, ["load_actors()", "got int"]),
    Case("claims_diagram ax", lambda: charts.claims_diagram(ax=[]), TypeError, ["ax must be a matplotlib Axes"]),
    Case("centres_chart figure missing", lambda: charts.centres_chart(a.load_figures().drop("ops_centres_total")),
         ValueError, ["needs the figures", "no 'ops_centres_total'"]),
    Case("centres_chart NaN", lambda: charts.centres_chart(with_value("ops_centres_total", NAN)), ValueError,
         ["'ops_centres_total' must be a whole number of centres"]),
    Case("centres_chart huge", lambda: charts.centres_chart(with_value("ops_centres_total", 10**9)), ValueError,
         ["the counts do not fit together", "≤ total ≤ 50"]),
    Case("centres_chart half a centre", lambda: charts.centres_chart(with_value("ops_centres_damaged", 2.5)), ValueError,
         ["whole number of centres"]),
    Case("describe something else", lambda: charts.describe(5), ValueError, ["describe() needs the Axes", "got int"]),
    Case("format_date words", lambda: charts.format_date("nonsense"), ValueError, ["format_date() needs a date like"]),
    Case("format_date NaN", lambda: charts.format_date(NAN), ValueError, ["format_date() needs a date"]),
    Case("hedged_value number", lambda: charts.hedged_value(5), TypeError, ["hedged_value() needs one row"]),
    # --- explorers: constructors -----------------------------------------------------
    Case("TimelineExplorer events text", lambda: w.TimelineExplorer(events="events"), TypeError,
         ["TimelineExplorer() needs a table", "load_events()"]),
    Case("TimelineExplorer actors text", lambda: w.TimelineExplorer(actors="actors"), TypeError,
         ["TimelineExplorer() needs a table", "load_actors()"]),
    Case("FiguresExplorer unknown figure", lambda: w.FiguresExplorer(selected=["under_seige"]), traitlets.TraitError,
         ["'under_seige' is not a figure id", "Did you mean 'under_siege'"]),
    Case("FiguresExplorer not a table", lambda: w.FiguresExplorer([1]), TypeError, ["FiguresExplorer() needs a table"]),
    Case("VoicesBrowser not a table", lambda: w.VoicesBrowser(quotes=3), TypeError, ["VoicesBrowser() needs a table"]),
    Case("ClaimsComparer wrong columns", lambda: w.ClaimsComparer(pd.DataFrame({"x": [1]})), ValueError,
         ["ClaimsComparer() needs a table with the column(s) 'claimant'", "this table has: x"]),
    # --- explorers: traits ---------------------------------------------------------------
    Case("timeline category misspelt", set_(timeline, "categories", ("militery",)), traitlets.TraitError,
         ["'militery' is not a category here", "Did you mean 'military'", "Allowed: 'military'"],
         unchanged=lambda: timeline().categories),
    Case("timeline category number", set_(timeline, "categories", (5,)), traitlets.TraitError, ["5 is not a category", "Allowed"],
         unchanged=lambda: timeline().categories),
    Case("timeline categories number", set_(timeline, "categories", 5), traitlets.TraitError,
         ["'categories' trait", "expected a tuple of names (or one name as text)"], origin="traitlets",
         unchanged=lambda: timeline().categories),
    Case("timeline actor misspelt", set_(timeline, "actor", "Vitaly Churkn"), traitlets.TraitError,
         ["is not an actor in these events", "Did you mean 'Vitaly Churkin'", 'Use "" for all actors'],
         unchanged=lambda: timeline().actor),
    Case("timeline actor script", set_(timeline, "actor", SCRIPT), traitlets.TraitError, ["'<script>", "not an actor"],
         unchanged=lambda: timeline().actor),
    Case("timeline actor None", set_(timeline, "actor", None), traitlets.TraitError, ["'actor' trait", "NoneType"],
         origin="traitlets", unchanged=lambda: timeline().actor),
    Case("timeline dates inverted", set_(timeline, "date_range", ("2016-09-25", "2016-09-01")), traitlets.TraitError,
         ["first day (25 Sep 2016) is after the last (1 Sep 2016)", "swap them"], unchanged=lambda: timeline().date_range),
    Case("timeline dates empty", set_(timeline, "date_range", ()), traitlets.TraitError,
         ["needs two dates", "('2016-09-12', '2016-09-25')"], unchanged=lambda: timeline().date_range),
    Case("timeline dates NaN", set_(timeline, "date_range", (NAN, NAN)), traitlets.TraitError,
         ["are not dates", "'2016-09-19'"], unchanged=lambda: timeline().date_range),
    Case("timeline dates empty text", set_(timeline, "date_range", ("", "")), traitlets.TraitError, ["are not dates"],
         unchanged=lambda: timeline().date_range),
    Case("timeline dates huge", set_(timeline, "date_range", (10**30, 10**31)), traitlets.TraitError, ["are not dates"],
         unchanged=lambda: timeline().date_range),
    Case("timeline dates outside", set_(timeline, "date_range", ("2030-01-01", "2031-01-01")), traitlets.TraitError,
         ["nothing happens between 1 Jan 2030 and 1 Jan 2031", "the dates run from"], unchanged=lambda: timeline().date_range),
    Case("timeline dates words", set_(timeline, "date_range", ("soon", "later")), traitlets.TraitError, ["are not dates"],
         unchanged=lambda: timeline().date_range),
    Case("timeline actor box None", set_(lambda: timeline().actor_box, "value", None), traitlets.TraitError,
         ["'value' trait", "NoneType"], origin="traitlets", unchanged=lambda: timeline().actor),
    Case("timeline date control", set_(lambda: timeline().date_slider, "value", ("a", "b")), traitlets.TraitError,
         ["Invalid selection"], origin="ipywidgets", unchanged=lambda: timeline().date_range),
    Case("figures selected misspelt", set_(figures, "selected", ("under_seige",)), traitlets.TraitError,
         ["'under_seige' is not a figure id", "Did you mean 'under_siege'", "load_figures().index"],
         unchanged=lambda: figures().selected),
    Case("figures selected NaN", set_(figures, "selected", (NAN,)), traitlets.TraitError, ["nan is not a figure id"],
         unchanged=lambda: figures().selected),
    Case("figures selected None", set_(figures, "selected", None), traitlets.TraitError,
         ["expected a tuple of names (or one name as text)"], origin="traitlets", unchanged=lambda: figures().selected),
    Case("figures scale misspelt", set_(figures, "scale", "lg"), traitlets.TraitError,
         ["scale 'lg' is not known", "Did you mean 'log'", "Allowed: 'log', 'linear'"], unchanged=lambda: figures().scale),
    Case("figures scale HTML", set_(figures, "scale", BOLD), traitlets.TraitError, ["'<b>bold</b>' is not known", "Allowed"],
         unchanged=lambda: figures().scale),
    Case("figures scale control", set_(lambda: figures().scale_buttons, "value", "cubic"), traitlets.TraitError,
         ["Invalid selection"], origin="ipywidgets", unchanged=lambda: figures().scale),
    Case("figures box control", set_(lambda: figures().figure_boxes["under_siege"], "value", "zzz"),
         traitlets.TraitError, ["expected a boolean"], origin="traitlets", unchanged=lambda: figures().selected),
    Case("voices speaker control", set_(lambda: voices().speaker_buttons, "value", "nobody"), traitlets.TraitError,
         ["Invalid selection"], origin="ipywidgets", unchanged=lambda: voices().speaker),
    Case("claims point control", set_(lambda: claims().point_buttons, "value", "nobody"), traitlets.TraitError,
         ["Invalid selection"], origin="ipywidgets", unchanged=lambda: claims().point),
    Case("voices speaker misspelt", set_(voices, "speaker", "samanta power"), traitlets.TraitError,
         ["is not one of the voices", "Did you mean", "Samantha Power", 'Use "" for every voice'],
         unchanged=lambda: voices().speaker),
    Case("voices speaker script", set_(voices, "speaker", SCRIPT), traitlets.TraitError, ["is not one of the voices"],
         unchanged=lambda: voices().speaker),
    Case("claims point misspelt", set_(claims, "point", "power_acuses"), traitlets.TraitError,
         ["'power_acuses' is not a disputed point", "Did you mean 'power_accuses'", "Allowed:"],
         unchanged=lambda: claims().point),
    Case("claims point empty", set_(claims, "point", ""), traitlets.TraitError, ["'' is not a disputed point", "Allowed:"],
         unchanged=lambda: claims().point),
    # --- quiz -----------------------------------------------------------------------------
    Case("question notebook misspelt", lambda: quiz.question("02_timelin", "friday_date"), UnknownNameError,
         ["The notebook '02_timelin' is not known", "Did you mean '02_timeline'", "Allowed: '00_start_here'"]),
    Case("question id misspelt", lambda: quiz.question("02_timeline", "fryday_date"), UnknownNameError,
         ["'fryday_date' is not known", "Did you mean 'friday_date'"]),
    Case("question id None", lambda: quiz.question("02_timeline", None), TypeError, ["must be text, one of 'friday_date'"]),
    Case("question score number", lambda: quiz.question("02_timeline", "friday_date", score=3), TypeError,
         ["score must be an aleppo2016.quiz.Score"]),
    Case("questions number", lambda: quiz.questions(2), TypeError, ["The notebook must be text", "got int 2"]),
    Case("questions empty", lambda: quiz.questions(""), UnknownNameError, ["The notebook '' is not known", "Allowed"]),
    Case("questions short name", lambda: quiz.questions("timeline"), UnknownNameError, ["Did you mean '02_timeline'"]),
    Case("load_questions number", lambda: quiz.load_questions(5), TypeError, ["data_dir must be a folder path"]),
    Case("load_questions empty", lambda: quiz.load_questions(""), DataError, ["is empty"]),
    Case("load_questions missing", lambda: quiz.load_questions("/no/such/folder"), DataError, ["not a folder"]),
    Case("choose unknown answer", lambda: quiz.question("02_timeline", "friday_date").choose(SCRIPT), UnknownNameError,
         ["The choice '<script>", "is not known", "Allowed"]),
    Case("ordering unknown item", lambda: quiz.question("02_timeline", "order_events").move("convoy_atack", 1),
         UnknownNameError, ["Did you mean 'convoy_attack'"]),
    Case("ordering order text", lambda: setattr(quiz.question("02_timeline", "order_events"), "order", "abc"), TypeError,
         ["order must be a list of item ids"]),
    # --- hub link ---------------------------------------------------------------------------
    Case("hub no https", lambda: delivery.hub_link("hub.example.org", repo="https://github.com/x/y"), delivery.LinkError,
         ["has no 'https://' at the start", "'https://hub.example.org'"]),
    Case("hub None", lambda: delivery.hub_link(None, repo="https://github.com/x/y"), delivery.LinkError, ["is empty"]),
    Case("hub script", lambda: delivery.hub_link("https://" + SCRIPT, repo="https://github.com/x/y"), delivery.LinkError,
         ["hub address"]),
    Case("hub branch empty", lambda: delivery.hub_link("https://hub.example.org", repo="https://github.com/x/y", branch=""),
         delivery.LinkError, ["is not a git branch name", "'main'"]),
    Case("hub repo ftp", lambda: delivery.hub_link("https://hub.example.org", repo="ftp://example.org/x"), delivery.LinkError,
         ["only 'https://'"]),
    # --- an edited data folder (issue 15: nothing wrong is ever called fine) ----------------
    Case("load_events data_dir number", lambda: a.load_events(data_dir=3), TypeError, ["data_dir must be a folder path", "got int"]),
    Case("load_events year 0216", lambda: a.load_events(data_dir=edited("y0216", cell("events", "date", "0216-09-19"))),
         DataError, ["events.csv, line 2", "'0216-09-19', a date outside the range allowed (1700-01-01 to 2199-12-31)"]),
    Case("check_data year 9999", lambda: a.check_data(edited("y9999", cell("context", "date", "9999-01-01"))), DataError,
         ["context.csv, line 2", "'9999-01-01'", "range allowed"]),
    Case("load_figures 2,5", lambda: a.load_figures(data_dir=edited("comma", cell("figures", "value", "2,5"))), DataError,
         ["column 'value' has '2,5'", "write '.' before decimals", "Did you mean 2.5?"]),
    Case("load_figures 60.000,5", lambda: a.load_figures(data_dir=edited("european", cell("figures", "value", "60.000,5"))),
         DataError, ["'60.000,5'", "Did you mean 60000.5?"]),
    Case("load_figures 60.000", lambda: a.load_figures(data_dir=edited("dot", cell("figures", "value", "60.000"))),
         DataError, ["'60.000', which could be 60 or 60000", "write 60 or 60000"]),
    Case("load_figures 10**20", lambda: a.load_figures(data_dir=edited("huge", cell("figures", "value", str(10**20)))),
         DataError, ["has more digits than can be kept exactly", "at most 15 digits"]),
    Case("load_places latitude 95", lambda: a.load_places(data_dir=edited("lat", cell("places", "latitude", "95"))),
         DataError, ["column 'latitude' has '95', outside the range allowed (-90 to 90)"]),
    Case("check_data semicolons", lambda: a.check_data(edited("semicolons", with_semicolons)), DataError,
         ["events.csv, line 1: the columns are separated by semicolons (;), but this file needs commas"]),
    Case("check_data file is a folder", lambda: a.check_data(edited("dir", events_a_folder)), DataError,
         ["events.csv: is a folder, not a data file"]),
    Case("article_info nested JSON", lambda: a.article_info(data_dir=edited("deep", nested("article.json"))), DataError,
         ["article.json: nests lists or objects more than 20 levels deep"]),
    Case("load_questions nested JSON", lambda: quiz.load_questions(edited("deepq", nested("questions.json", '{"01_x": ', "}"))),
         DataError, ["questions.json: nests lists or objects more than 20 levels deep"]),
    Case("load_events long category", lambda: a.load_events(data_dir=edited("long", cell("events", "category", "m" * 100_000))),
         DataError, ["column 'category' has 'mmm", "(100,000 characters)"], extra={"max_len": 400}),
    Case("load_events long id", lambda: a.load_events(data_dir=edited("longid", cell("events", "id", "Q" * 100_000))),
         DataError, ["(100,000 characters)", "must be lower case"], extra={"max_len": 400}),
    Case("load_quotes long reference", lambda: a.load_quotes(data_dir=edited("longref", cell("quotes", "speaker", "z" * 100_000))),
         DataError, ["refers to 'zzz", "(100,000 characters)"], extra={"max_len": 400}),
    Case("load_events formula title", warnings_as_errors(
        lambda: a.load_events(data_dir=edited("formula", cell("events", "title", '=HYPERLINK("http://x.example")')))),
         DataWarning, ["column 'title' starts with '='", "may run it as a formula"]),
    # --- hub link: hostile forms (issue 15) ------------------------------------------------------
    Case("hub user-info", link("https://hub.example.org@evil.example"), delivery.LinkError,
         ["the link would open 'evil.example', not 'hub.example.org'"]),
    Case("hub credentials", link("https://amira:pw@hub.example.org"), delivery.LinkError, ["user name or password"]),
    Case("repo credentials", link(repo="https://amira:token@github.com/x/y"), delivery.LinkError,
         ["every student would see"]),
    Case("hub non-ASCII", link("https://hüb.example.org"), delivery.LinkError,
         ["outside plain ASCII", "'xn--hb-xka.example.org'"]),
    Case("hub mixed script", link("https://xn--pple-43d.com"), delivery.LinkError, ["mixes alphabets"]),
    Case("hub look-alike script", link("https://xn--80ak6aa92e.com"), delivery.LinkError, ["all look like Latin ones"]),
    Case("hub bidi override", link("https://hub.example.org\u202e/gro.live"), delivery.LinkError,
         ["U+202E (RIGHT-TO-LEFT OVERRIDE)"]),
    Case("hub backslash", link("https://hub.example.org\\@evil.example"), delivery.LinkError, ["backslash"]),
    Case("repo ssh form", link(repo="git@github.com:x/y.git"), delivery.LinkError,
         ["SSH or git address", "Write it as 'https://github.com/x/y.git'"]),
    Case("repo local path", link(repo="/home/teacher/aleppo2016"), delivery.LinkError,
         ["is a folder on this computer, not a web address"]),
    Case("branch with ..", link(branch="lesson..2"), delivery.LinkError, ["not a git branch name", "contains '..'"]),
    Case("branch starting with -", link(branch="--upload-pack=x"), delivery.LinkError, ["starts with '-'"]),
    Case("branch ending .lock", link(branch="main.lock"), delivery.LinkError, ["ending with '.lock'"]),
]


def _numeric_typed(text: str) -> tuple[str, str]:
    q = numeric_question()
    q.entry.value = text
    q.check_button.click()
    assert q.attempts == 0 and q.score.tried == 0  # unreadable input is not an attempt
    return q.feedback_text, q.feedback.value


def _figures_state(**state: Any) -> tuple[str, str]:
    explorer = w.FiguresExplorer(**state)
    return explorer.message, explorer._message.value


def _timeline_none() -> tuple[str, str]:
    explorer = timeline()
    before = explorer.categories
    explorer.categories = ()
    try:
        return explorer.message, explorer._message.value
    finally:
        explorer.categories = before


def _actor_typed(text: str) -> tuple[str, str]:
    """Type `text` into the timeline's Actor box; the filter must stay as it was."""
    explorer = timeline()
    before = explorer.actor
    try:
        explorer.actor_box.value = text
        assert explorer.actor == before
        return explorer.message, explorer._message.value
    finally:
        explorer.actor_box.value = ""


SHOWN: list[Shown] = [
    Shown("numeric answer script", lambda: _numeric_typed(SCRIPT), ["Please type a number using digits", "is not one we can read"]),
    Shown("numeric answer words", lambda: _numeric_typed("sixty"), ["Please type a number using digits", "“sixty”"]),
    Shown("numeric answer empty", lambda: _numeric_typed("   "), ["Type a number in the box first"]),
    Shown("numeric answer huge", lambda: _numeric_typed("1e999"), ["Please type a number using digits"]),
    Shown("numeric answer NaN", lambda: _numeric_typed("nan"), ["Please type a number using digits"]),
    Shown("figures nothing chosen", lambda: _figures_state(selected=()), ["No figures chosen", "tick one or more"]),
    Shown("figures one name as text", lambda: _figures_state(selected="under_siege"), [""]),
    Shown("timeline nothing ticked", _timeline_none, ["No events match these filters", "try adding a category"]),
    Shown("timeline actor typed misspelt", lambda: _actor_typed("Vitaly Churkn"),
          ["No actor called “Vitaly Churkn”", "Did you mean 'Vitaly Churkin'?", "The filter has not changed"]),
    Shown("timeline actor typed script", lambda: _actor_typed(SCRIPT), ["No actor called “<script>", "empty the box"]),
    Shown("timeline actor typed number", lambda: _actor_typed("42"), ["No actor called “42”", "all actors"]),
]


def _origin(err: BaseException) -> str:
    return traceback.extract_tb(err.__traceback__)[-1].filename


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_gets_a_clear_error(case: Case) -> None:
    before = case.unchanged() if case.unchanged else None
    with pytest.raises(case.error) as info:
        case.call()
    message = str(info.value)
    for part in case.says:
        assert part in message, (part, message)
    assert len(message) <= case.extra.get("max_len", 1000), message
    where = Path(_origin(info.value)).resolve()
    if case.origin == "ours":
        assert where.is_relative_to(PACKAGE), f"raised in {where}, not in the module: {message}"
    elif case.origin == "python":  # the interpreter's own argument check: the call itself is wrong
        assert where == Path(__file__).resolve()
    else:
        assert case.origin in str(where), where
        assert "pandas" not in str(where) and "matplotlib" not in str(where)
    if case.unchanged:
        assert case.unchanged() == before


@pytest.mark.parametrize("shown", SHOWN, ids=[s.name for s in SHOWN])
def test_bad_input_in_a_widget_shows_a_message(shown: Shown) -> None:
    plain, markup = shown.run()
    for part in shown.says:
        assert part in plain, (part, plain)
    assert "<script>" not in markup


def test_one_name_as_text_counts_as_a_tuple_of_one() -> None:
    explorer = w.FiguresExplorer(selected="under_siege")
    assert explorer.selected == ("under_siege",) and list(explorer.matching.index) == ["under_siege"]
    tl = timeline()
    before = tl.categories
    tl.categories = "diplomatic"
    assert tl.categories == ("diplomatic",) and set(tl.matching["category"]) == {"diplomatic"}
    tl.categories = before


def test_the_readme_quotes_the_real_messages() -> None:
    """The README's "What happens when…" section quotes these messages; they must stay true."""
    readme = " ".join((Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8").split())
    section = readme[readme.index("## What happens when…"):readme.index("## Project layout")]
    with pytest.raises(UnknownNameError) as info:
        a.actor("churkn")
    assert f'"{info.value}'.split(" See all")[0] in section
    typed, _ = _numeric_typed("sixty")
    assert typed.split(" “")[0] in section
    assert _timeline_none()[0] in section
    assert _figures_state(selected=())[0] in section
    # test_validation.py checks check_data gives this message for this edit
    assert ("Problem found: quotes.csv, line 2 (record 'selmo_rubble'): column 'speaker' refers to 'churkn', "
            "which is not an id in actors.csv. Did you mean 'churkin'?") in section
