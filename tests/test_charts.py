"""The charts: what they draw, what they say in words, and their errors."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import inspect
import typing
import warnings

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

import aleppo2016 as a
from aleppo2016 import charts, drawing, style, tables
from aleppo2016.errors import UnknownNameError
from chart_parts import bars, hollow, marker_groups, points


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def new_ax():
    """An Axes on a bare Figure, as a widget uses."""
    return Figure(figsize=(9, 5)).add_subplot()


def one_event(**changes):
    row = dict(date=pd.Timestamp("2016-09-19"), date_precision="day", date_text="That night", date_reasoning="r",
               title="A convoy is attacked", category="humanitarian", actors=("red_crescent",), places=(),
               excerpt="an attack", note="")
    row.update(changes)
    return pd.DataFrame([row], index=pd.Index(["e1"], name="id"))


def no_context():
    return a.load_context().iloc[0:0]


# --------------------------------------------------------------------------
# Style
# --------------------------------------------------------------------------

def test_one_look_per_category_distinct_within_each_list():
    for vocabulary in (a.data.EVENT_CATEGORIES, a.data.FIGURE_CATEGORIES, a.data.CLAIM_KINDS):
        looks = [style.look_for(c) for c in vocabulary]
        # Greyscale cues: a distinct hatch and marker in every list; colours distinct as far as they go.
        assert len({look.hatch for look in looks}) == len(vocabulary)
        assert len({look.marker for look in looks}) == len(vocabulary)
        assert len({look.colour for look in looks}) == min(len(vocabulary), 7)
        # Okabe–Ito fills only, never the black of the ink (a black bar hides its hatch), every hatch visible.
        assert {look.colour for look in looks} <= set(style.OKABE_ITO.values()) - {style.OKABE_ITO["black"]}
        assert all(look.hatch for look in looks)
    # Yellow (hard to see on white) goes only where a list is longer than six.
    yellow = style.OKABE_ITO["yellow"]
    assert yellow not in {style.colour_for(c) for c in a.data.EVENT_CATEGORIES}
    assert [c for c in a.data.FIGURE_CATEGORIES if style.colour_for(c) == yellow] == ["infrastructure"]
    # A teacher's own category gets a stable look.
    assert style.look_for("floods") == style.look_for("floods")


def test_military_looks_the_same_on_the_timeline_and_the_figures_chart():
    military = style.look_for("military")
    ax = charts.timeline_chart(ax=new_ax())
    row = [t.get_text() for t in ax.get_yticklabels()].index("Military")
    points = [line for line in marker_groups(ax) if round(float(line.get_ydata()[0])) == row]
    assert points and all(matplotlib.colors.to_hex(line.get_markerfacecolor()) == military.colour.lower()
                          for line in points if not hollow(line))
    figures = a.load_figures().query("category == 'military'")
    (bar,) = bars(charts.figures_chart(figures, scale="linear", ax=new_ax()))
    assert matplotlib.colors.to_hex(bar.get_facecolor()) == military.colour.lower()
    assert bar.get_hatch() == military.hatch != ""


def test_no_colour_is_hard_coded_in_charts_or_widgets():
    import re
    from pathlib import Path

    for name in ("charts.py", "widgets.py"):
        source = (Path(charts.__file__).parent / name).read_text(encoding="utf-8")
        assert re.findall(r"#[0-9a-fA-F]{6}\b", source) == [], name


def test_style_does_not_leak_into_the_students_settings():
    before = matplotlib.rcParams["axes.spines.top"]
    charts.figures_chart(ax=new_ax())
    assert matplotlib.rcParams["axes.spines.top"] == before


@pytest.mark.parametrize("name", ["timeline_chart", "figures_chart", "claims_chart", "centres_chart"])
def test_a_students_own_axes_gets_the_same_look(name):
    draw = getattr(charts, name)
    own = draw().figure.axes[0]
    _, theirs = plt.subplots()
    assert theirs.spines["top"].get_visible()  # matplotlib's default, before the chart
    draw(ax=theirs)
    for ax in (own, theirs):
        assert not ax.spines["top"].get_visible() and not ax.spines["right"].get_visible()
    assert theirs.spines["left"].get_edgecolor() == own.spines["left"].get_edgecolor()
    assert theirs.xaxis.label.get_color() == own.xaxis.label.get_color()
    titles = [[t for t in ax.texts + [ax.title, ax._left_title] if t.get_text() == ax.get_title("left")]
              for ax in (own, theirs)]
    assert titles[0][0].get_fontweight() == titles[1][0].get_fontweight() == "bold"


# --------------------------------------------------------------------------
# Public names
# --------------------------------------------------------------------------

@pytest.mark.parametrize("name", charts.__all__)
def test_help_shows_real_types_not_quoted_strings(name):
    obj = getattr(charts, name)
    if not callable(obj):
        return
    signature = inspect.signature(obj)
    annotations = [p.annotation for p in signature.parameters.values()] + [signature.return_annotation]
    assert not any(isinstance(x, str) for x in annotations), signature
    assert "'Axes" not in str(signature) and "\"" not in str(signature)
    typing.get_type_hints(obj)  # every annotation resolves


def test_chart_names_follow_one_scheme_and_old_names_still_work():
    drawers = [n for n in charts.__all__ if n.endswith("_chart")]
    assert drawers == ["timeline_chart", "figures_chart", "claims_chart", "centres_chart"]
    with pytest.warns(DeprecationWarning, match="timeline_chart"):
        ax = charts.timeline(ax=new_ax())
    assert charts.describe(ax).startswith("Timeline chart")
    with pytest.warns(DeprecationWarning, match="claims_chart"):
        charts.claims_diagram(ax=new_ax())
    for moved in ("date_span", "timeline_items", "actor_name"):
        with pytest.warns(DeprecationWarning, match="aleppo2016.tables"):
            assert getattr(charts, moved) is getattr(tables, moved)
    with pytest.raises(AttributeError):
        charts.no_such_chart  # noqa: B018
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        charts.timeline_chart(ax=new_ax())  # the new name is quiet


# --------------------------------------------------------------------------
# Timeline
# --------------------------------------------------------------------------

def test_timeline_real_data_marks_article_context_and_publication():
    ax = charts.timeline_chart()
    assert ax.figure in map(plt.figure, plt.get_fignums())  # shown inline by Jupyter
    events, context = a.load_events(), a.load_context()
    assert points(ax) == events["date"].notna().sum() + context["date"].notna().sum()
    assert sum(len(line.get_xdata()) for line in marker_groups(ax) if hollow(line)) == len(context)
    published = pd.Timestamp(a.article_info()["published"])
    assert any(pd.Timestamp(line.get_xdata()[0]) == published for line in ax.lines)
    undated = events["date"].isna().sum()
    assert f"{undated} events with no known date" in ax.get_xlabel()
    text = charts.describe(ax)
    assert text.startswith("Timeline chart")
    assert f"{undated} event(s) with no known date are left out" in text
    assert "Netflix releases" in text
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "Military" in labels and "Diplomatic" in labels
    assert [t.get_text() for t in ax.get_legend().get_texts()][:2] == ["In the article (filled)",
                                                                       "Outside context (hollow)"]


def test_timeline_zoom_keeps_only_the_dates_asked_for():
    ax = charts.timeline_chart(start="2016-09-19", end="2016-09-19", ax=new_ax())
    text = charts.describe(ax)
    assert "convoy" in text.lower()
    assert "Oscar" not in text and "uprising" not in text


def test_timeline_one_event_and_none():
    ax = charts.timeline_chart(one_event(), no_context(), ax=new_ax())
    assert "1. 19 Sep 2016, humanitarian, article: A convoy is attacked" in charts.describe(ax)
    ax = charts.timeline_chart(one_event(date=pd.NaT, date_precision="unknown"), no_context(), ax=new_ax())
    assert "No dated events" in charts.describe(ax)
    assert "1 event with no known date is not shown" in ax.get_xlabel()
    ax = charts.timeline_chart(one_event().iloc[0:0], no_context(), ax=new_ax())
    assert "No dated events" in charts.describe(ax)


def test_timeline_bad_arguments():
    with pytest.raises(TypeError, match="load_events"):
        charts.timeline_chart([1, 2, 3])
    with pytest.raises(ValueError, match="'category'"):
        charts.timeline_chart(one_event().drop(columns="category"), no_context())
    with pytest.raises(ValueError, match="swap them"):
        charts.timeline_chart(start="2016-10-01", end="2016-09-01")
    with pytest.raises(ValueError, match="not a date"):
        charts.timeline_chart(start="next tuesday")


# --------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------

def test_figures_chart_log_default_people_with_hedges_and_sources():
    ax = charts.figures_chart()
    people = a.load_figures().query("unit == 'people'")
    assert len(bars(ax)) == len(people)
    assert ax.get_xscale() == "log"
    texts = [t.get_text() for t in ax.texts]
    assert "at least 20" in texts and "nearly 2,000,000" in texts and "some 60,000" in texts
    ticks = " ".join(t.get_text() for t in ax.get_yticklabels())
    assert "according to the United Nations" in ticks
    assert "no source named in the article" in ticks
    assert "Source: TIME" in ax.get_xlabel()
    assert "log scale" in charts.describe(ax) and "nearly 2,000,000 people" in charts.describe(ax)


def test_figures_chart_linear_and_units_named_when_mixed():
    figures = a.load_figures().loc[["convoy_killed", "ops_centres_total", "war_span_years"]]
    ax = charts.figures_chart(figures, scale="linear", ax=new_ax())
    assert ax.get_xscale() == "linear"
    assert len(bars(ax)) == 3
    texts = [t.get_text() for t in ax.texts]
    assert "at least 20\npeople" in texts and "5 years" in texts  # a long one's unit under its number, inside the chart


def test_figures_chart_one_and_none():
    figures = a.load_figures()
    ax = charts.figures_chart(figures.loc[["without_water"]], ax=new_ax())
    assert len(bars(ax)) == 1
    ax = charts.figures_chart(figures.iloc[0:0], ax=new_ax())
    assert bars(ax) == [] and "No figures are shown" in charts.describe(ax)


def test_figures_chart_bad_arguments():
    with pytest.raises(UnknownNameError, match="Did you mean 'log'"):
        charts.figures_chart(scale="logg")
    with pytest.raises(TypeError, match="needs a table"):
        charts.figures_chart("under_siege")
    with pytest.raises(ValueError, match="'qualifier'"):
        charts.figures_chart(a.load_figures().drop(columns="qualifier"))
    zero = a.load_figures().loc[["convoy_killed"]].assign(value=0)
    with pytest.raises(ValueError, match="scale='linear'"):
        charts.figures_chart(zero)
    ax = charts.figures_chart(zero, scale="linear", ax=new_ax())
    assert ax.get_xscale() == "linear" and [bar.get_width() for bar in bars(ax)] == [0]
    assert [t.get_text() for t in ax.texts] == ["at least 0"]


def test_hedged_value():
    assert charts.hedged_value({"value": 2000000, "qualifier": "nearly"}) == "nearly 2,000,000"
    assert charts.hedged_value({"value": 4, "qualifier": ""}) == "4"
    assert charts.hedged_value({"value": None, "qualifier": "some", "value_text": "many"}) == "some many"


# --------------------------------------------------------------------------
# Claims
# --------------------------------------------------------------------------

def test_claims_chart_real_data_two_columns_and_kinds():
    ax = charts.claims_chart()
    text = charts.describe(ax)
    assert "Vitaly Churkin → Samantha Power: denial." in text
    assert "Vitaly Churkin → Armed opposition groups: counter-accusation." in text
    assert "Samantha Power → Russia: accusation (2 claims)." in text
    names = [t.get_text() for t in ax.texts]
    assert names.count("Vitaly Churkin") == 1 and "Who it is about" in names
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "denial" in legend and "accusation" in legend
    # Claims about no one are counted, not drawn.
    assert "Not drawn" in ax.get_xlabel()


def test_claims_chart_one_claim_and_none():
    claims = a.load_claims()
    ax = charts.claims_chart(claims.loc[["us_excoriates"]], ax=new_ax())
    assert charts.describe(ax).splitlines()[1] == "- United States → Russia: accusation."
    ax = charts.claims_chart(claims.iloc[0:0], ax=new_ax())
    assert "No claims about anyone" in charts.describe(ax)


def test_claims_chart_bad_table():
    with pytest.raises(ValueError, match="'kind'"):
        charts.claims_chart(a.load_claims().drop(columns="kind"))


# --------------------------------------------------------------------------
# Centres
# --------------------------------------------------------------------------

def test_centres_chart_four_squares_with_honest_lower_bound():
    ax = charts.centres_chart()
    squares = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_width() == 1]
    assert len(squares) == 4
    text = charts.describe(ax)
    assert "2 damaged and out of operation" in text
    assert "1 damaged, not said to be out of operation" in text
    assert "lower bound" in text and "not particular centres" in text
    assert "?" in [t.get_text() for t in ax.texts]


def test_centres_chart_needs_its_figures():
    with pytest.raises(ValueError, match="ops_centres_total"):
        charts.centres_chart(a.load_figures().drop(index="ops_centres_total"))
    exact = a.load_figures()
    exact.loc["ops_centres_damaged", "qualifier"] = ""
    ax = charts.centres_chart(exact, ax=new_ax())
    assert "not reported damaged" in charts.describe(ax)


def test_describe_needs_a_chart_from_this_module():
    with pytest.raises(ValueError, match="describe\\(\\) needs"):
        charts.describe(new_ax())


def test_every_chart_draws_to_png(tmp_path):
    for draw in (charts.timeline_chart, charts.figures_chart, charts.claims_chart, charts.centres_chart):
        ax = draw()
        ax.figure.savefig(tmp_path / f"{draw.__name__}.png", dpi=60)
        assert (tmp_path / f"{draw.__name__}.png").stat().st_size > 5000


# --------------------------------------------------------------------------
# Student-edited tables and odd axes (issue 15)
# --------------------------------------------------------------------------

def drawn_texts(ax):
    """Every string the figure would draw, after drawing it (so tick labels exist)."""
    ax.figure.canvas.draw()
    return [t.get_text() for t in ax.figure.findobj(matplotlib.text.Text)]


def test_a_row_without_a_category_is_filed_under_no_category():
    events = pd.concat([one_event(), one_event(category=None, title="Added by a student").rename(index={"e1": "e2"})])
    ax = charts.timeline_chart(events, no_context(), ax=new_ax())
    assert "No category" in [t.get_text() for t in ax.get_yticklabels()]
    assert "no category, article: Added by a student" in charts.describe(ax)
    figures = a.load_figures().loc[["convoy_killed", "under_siege"]]
    figures.loc["under_siege", "category"] = float("nan")
    ax = charts.figures_chart(figures, ax=new_ax())
    assert "no category" in [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(bars(ax)) == 2


def test_empty_text_cells_are_never_shown_as_nan():
    figures = a.load_figures().loc[["convoy_killed", "under_siege"]]
    figures.loc["convoy_killed", ["qualifier", "attribution", "measure"]] = float("nan")
    ax = charts.figures_chart(figures, ax=new_ax())
    texts = drawn_texts(ax) + [charts.describe(ax)]
    assert not any("nan" in t.lower().split() for t in texts), [t for t in texts if "nan" in t.lower()]
    assert "20" in [t.get_text() for t in ax.texts]  # the number, with no hedge
    events = one_event(title=None)
    ax = charts.timeline_chart(events, no_context(), ax=new_ax())
    assert "nan" not in charts.describe(ax).lower()
    assert charts.hedged_value({"value": float("nan"), "qualifier": float("nan"), "value_text": float("nan")}) == "?"


def test_timezone_aware_dates_draw_on_their_day():
    events = one_event(date=pd.Timestamp("2016-09-19 23:30", tz="Asia/Damascus"))
    ax = charts.timeline_chart(events, no_context(), ax=new_ax())
    assert "1. 19 Sep 2016" in charts.describe(ax)
    mixed = pd.concat([one_event(date=pd.Timestamp("2016-09-19", tz="UTC")),
                       one_event(date="2016-09-20").rename(index={"e1": "e2"})])
    assert "2. 20 Sep 2016" in charts.describe(charts.timeline_chart(mixed, no_context(), ax=new_ax()))
    ax = charts.timeline_chart(start=pd.Timestamp("2016-09-19", tz="UTC"), ax=new_ax())
    assert "19 Sep 2016" in charts.describe(ax)


@pytest.mark.parametrize("bad", [10**19, "0216-09-19", "9999-01-01", True, 5])
def test_a_date_the_chart_cannot_place_is_one_clear_sentence(bad):
    events = one_event(date=bad)
    with pytest.raises(ValueError, match=r"column 'date', row 'e1'.*write a date like '2016-09-19'"):
        charts.timeline_chart(events, no_context(), ax=new_ax())


def test_huge_numbers_are_one_clear_sentence():
    figures = a.load_figures().loc[["convoy_killed"]].astype({"value": object})
    figures.loc["convoy_killed", "value"] = 10**19
    with pytest.raises(ValueError, match="convoy_killed.*too large.*'value'"):
        charts.figures_chart(figures, ax=new_ax())
    figures.loc["convoy_killed", "value"] = "lots"
    with pytest.raises(ValueError, match="no usable number in 'value'.*plain number"):
        charts.figures_chart(figures, ax=new_ax())


def test_dollar_signs_are_drawn_as_text_never_as_mathematics():
    figures = a.load_figures().loc[["convoy_killed", "under_siege"]]
    figures.loc["convoy_killed", "measure"] = "costs $5 and $6"
    figures.loc["under_siege", "attribution"] = r"a stray $\sqrt{$"
    matplotlib.rcParams["text.usetex"] = False
    ax = charts.figures_chart(figures, ax=new_ax())
    drawn = [t for t in ax.figure.findobj(matplotlib.text.Text) if "$" in t.get_text()]
    ax.figure.canvas.draw()  # a stray "$\sqrt{$" would raise here if parsed as mathematics
    assert drawn and all(not t._preprocess_math(t.get_text())[1] for t in drawn)
    assert any("costs $5 and $6" in t._preprocess_math(t.get_text())[0] for t in drawn)
    events = one_event(category="$x$", title="$\\sqrt{$")
    ax = charts.timeline_chart(events, no_context(), ax=new_ax())
    ax.figure.canvas.draw()
    claims = a.load_claims().loc[["us_excoriates"]].assign(kind="$a$")
    charts.claims_chart(claims, ax=new_ax()).figure.canvas.draw()


@pytest.mark.parametrize("projection", ["polar", "3d"])
@pytest.mark.parametrize("name", ["timeline_chart", "figures_chart", "claims_chart", "centres_chart"])
def test_a_polar_or_3d_axes_is_one_clear_sentence(name, projection):
    ax = Figure().add_subplot(projection=projection)
    with pytest.raises(ValueError, match=rf"{name}\(\): ax must be an ordinary flat Axes.*'{projection}'"):
        getattr(charts, name)(ax=ax)


def test_an_old_name_reports_errors_under_the_name_the_student_typed():
    with pytest.warns(DeprecationWarning), pytest.raises(TypeError, match=r"^timeline\(\) needs a table"):
        charts.timeline([1, 2])
    with pytest.warns(DeprecationWarning), pytest.raises(TypeError, match=r"^claims_diagram\(\) needs a table"):
        charts.claims_diagram("claims")


def test_show_gives_alt_text_a_tied_description_and_the_font_size(monkeypatch):
    """charts.show(ax): an <img> with a short, escaped alt text pointing to the whole description, no bare figure."""
    import base64
    import io
    import re

    import matplotlib.pyplot as plt
    from PIL import Image

    ax = charts.timeline_chart(start="2016-09-08", end="2016-09-27")
    drawing.store_description(ax, 'Timeline chart: "<b>" & more. The rest of it.')
    shown = charts.show(ax)
    assert not plt.fignum_exists(ax.figure.number)  # Jupyter will not show it a second time, bare
    page = shown._repr_html_()
    assert 'alt="Timeline chart: &quot;&lt;b&gt;&quot; &amp; more."' in page and "<b>" not in page
    [tag] = re.findall(r'aria-describedby="([^"]+)"', page)
    assert f'<p id="{tag}"' in page and "The rest of it." in page
    assert repr(shown) == charts.describe(ax)  # the plain-text form (nbconvert, a terminal)
    png = Image.open(io.BytesIO(base64.b64decode(re.search(r"base64,([^\"]+)", page).group(1))))
    assert float(png.text["Smallest-Font-Pt"]) == a.style.smallest_font_pt(ax.figure) >= a.style.SMALL_PT
    # Readable where a 1024 px window scales it to a cell about 590 px wide: at least 11 px.
    assert float(png.text["Smallest-Font-Pt"]) * png.info["dpi"][0] / 72 * min(1, 590 / png.width) >= 11


# --------------------------------------------------------------------------
# Labels readable at display size (issue 12)
# --------------------------------------------------------------------------

#: A chart's cell at a 1024 px window is about 590 px wide: a wider PNG is shown scaled down.
CELL_PX_AT_1024 = 590
MIN_TEXT_PX = 11


def shown_text_px(png: bytes, shown_at: float = CELL_PX_AT_1024) -> float:
    """The chart's smallest text on screen in px, where it is shown at most `shown_at` px wide."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png))
    return float(image.text["Smallest-Font-Pt"]) * image.info["dpi"][0] / 72 * min(1.0, shown_at / image.width)


@pytest.mark.parametrize("draw", [charts.timeline_chart, charts.figures_chart, charts.claims_chart,
                                  charts.centres_chart], ids=lambda f: f.__name__)
def test_every_chart_is_readable_in_a_1024_px_window_and_cuts_no_label(draw):
    from chart_parts import labels_outside

    ax = draw()
    assert not labels_outside(ax.figure)
    png = charts.show(ax).png
    assert shown_text_px(png) >= MIN_TEXT_PX


@pytest.mark.parametrize("draw", [charts.figures_chart, charts.claims_chart, charts.centres_chart,
                                  charts.timeline_chart,
                                  lambda: charts.timeline_chart(start="2016-09-08", end="2016-09-27")],
                         ids=["figures_chart", "claims_chart", "centres_chart", "timeline_chart", "timeline_weeks"])
def test_no_two_labels_overlap(draw):
    from chart_parts import overlapping_labels

    assert overlapping_labels(draw().figure) == []


def test_claims_chart_text_is_as_large_as_every_other_charts():
    ax = charts.claims_chart()
    assert style.smallest_font_pt(ax.figure) >= style.SMALL_PT
    assert ax.figure.get_figwidth() <= style.CHART_WIDTH


@pytest.mark.parametrize("scale", charts.SCALES)
def test_the_figures_explorer_grows_so_that_every_figure_ticked_keeps_its_label_apart(scale):
    """All boxes ticked: the chart grows taller (never wider, never smaller text) and no label overlaps or is cut."""
    from chart_parts import labels_outside, overlapping_labels

    from aleppo2016 import widgets

    two = tuple(a.load_figures().index[:2])
    explorer = widgets.FiguresExplorer(selected=two, scale=scale)
    few_size, few_png = tuple(explorer.figure.get_size_inches()), explorer._pane.png
    explorer.selected = tuple(a.load_figures().index)
    figure = explorer.figure
    assert overlapping_labels(figure) == [] and labels_outside(figure) == []
    assert figure.get_figwidth() == few_size[0] and figure.get_figheight() > few_size[1]
    # The explorer's image is at most its natural width (576 px), so its text is this size on screen at both widths.
    assert shown_text_px(explorer._pane.png) == shown_text_px(few_png) >= MIN_TEXT_PX
    explorer.selected = two
    assert tuple(explorer.ax.figure.get_size_inches()) == few_size  # back to its usual size with few figures
    explorer.close()


def test_the_chart_in_words_links_its_web_addresses():
    """The map's points link to OpenStreetMap in the description under it (no printed copy to click)."""
    from aleppo2016 import maps

    page = charts.show(maps.aleppo_map())._repr_html_()
    words = page.split("<details>", 1)[1]
    assert '<a href="https://www.openstreetmap.org/' in words and 'rel="noopener"' in words


def test_timeline_numbers_too_close_to_fit_share_one_label():
    """Markers whose numbers would overlap get one label listing them as runs; every number is still there."""
    ax = charts.timeline_chart(start="2016-09-08", end="2016-09-27", ax=new_ax())
    items = tables.timeline_items(a.load_events(), a.load_context())
    shown = items[(items["end"] >= "2016-09-08") & (items["date"] <= "2016-09-27")]
    labels = [t.get_text() for t in ax.texts if t.get_text()[:1].isdigit()]
    assert any("–" in label or "," in label for label in labels)  # some were too close, and share a label
    listed = set()
    for label in labels:
        for part in label.replace("\n", " ").split(", "):
            if part.endswith("events"):
                continue
            first, _, last = part.strip().partition("–")
            listed.update(range(int(first), int(last or first) + 1))
    assert listed == set(shown["number"])
    assert charts._number_runs([14, 9, 10, 11, 3]) == "3, 9–11, 14"
