"""The charts: what they draw, what they say in words, and their errors."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

import aleppo2016 as a
from aleppo2016 import charts, style
from aleppo2016.errors import UnknownNameError
from chart_parts import bars


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

def test_category_colours_are_stable_okabe_ito_and_distinct():
    colours = [style.colour_for(c) for c in a.data.EVENT_CATEGORIES]
    assert len(set(colours)) == len(colours)
    assert set(colours) <= set(style.OKABE_ITO.values())
    # Stable: a category's colour does not depend on which categories were asked for before it.
    assert [style.colour_for(c) for c in reversed(a.data.EVENT_CATEGORIES)] == colours[::-1]
    # Greyscale cues: a distinct marker and hatch per category.
    assert len({style.marker_for(c) for c in a.data.EVENT_CATEGORIES}) == len(a.data.EVENT_CATEGORIES)
    figure_categories = a.data.FIGURE_CATEGORIES
    assert len({style.hatch_for(c, figure_categories) for c in figure_categories}) == len(figure_categories)
    assert len({style.colour_for(c, figure_categories) for c in figure_categories}) == len(figure_categories)


def test_style_does_not_leak_into_the_students_settings():
    before = matplotlib.rcParams["axes.spines.top"]
    charts.figures_chart(ax=new_ax())
    assert matplotlib.rcParams["axes.spines.top"] == before


# --------------------------------------------------------------------------
# Timeline
# --------------------------------------------------------------------------

def test_timeline_real_data_marks_article_context_and_publication():
    ax = charts.timeline()
    assert ax.figure in map(plt.figure, plt.get_fignums())  # shown inline by Jupyter
    events, context = a.load_events(), a.load_context()
    points = sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection))
    assert points == events["date"].notna().sum() + context["date"].notna().sum()
    hollow = [c for c in ax.collections if isinstance(c, PathCollection) and (c.get_facecolors()[:, :3] == 1).all()]
    assert sum(len(c.get_offsets()) for c in hollow) == len(context)
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
    ax = charts.timeline(start="2016-09-19", end="2016-09-19", ax=new_ax())
    text = charts.describe(ax)
    assert "convoy" in text.lower()
    assert "Oscar" not in text and "uprising" not in text


def test_timeline_one_event_and_none():
    ax = charts.timeline(one_event(), no_context(), ax=new_ax())
    assert "1. 19 Sep 2016, humanitarian, article: A convoy is attacked" in charts.describe(ax)
    ax = charts.timeline(one_event(date=pd.NaT, date_precision="unknown"), no_context(), ax=new_ax())
    assert "No dated events" in charts.describe(ax)
    assert "1 event with no known date is not shown" in ax.get_xlabel()
    ax = charts.timeline(one_event().iloc[0:0], no_context(), ax=new_ax())
    assert "No dated events" in charts.describe(ax)


def test_timeline_bad_arguments():
    with pytest.raises(TypeError, match="load_events"):
        charts.timeline([1, 2, 3])
    with pytest.raises(ValueError, match="'category'"):
        charts.timeline(one_event().drop(columns="category"), no_context())
    with pytest.raises(ValueError, match="swap them"):
        charts.timeline(start="2016-10-01", end="2016-09-01")
    with pytest.raises(ValueError, match="not a date"):
        charts.timeline(start="next tuesday")


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
    assert "at least 20 people" in texts and "5 years" in texts


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

def test_claims_diagram_real_data_two_columns_and_kinds():
    ax = charts.claims_diagram()
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


def test_claims_diagram_one_claim_and_none():
    claims = a.load_claims()
    ax = charts.claims_diagram(claims.loc[["us_excoriates"]], ax=new_ax())
    assert charts.describe(ax).splitlines()[1] == "- United States → Russia: accusation."
    ax = charts.claims_diagram(claims.iloc[0:0], ax=new_ax())
    assert "No claims about anyone" in charts.describe(ax)


def test_claims_diagram_bad_table():
    with pytest.raises(ValueError, match="'kind'"):
        charts.claims_diagram(a.load_claims().drop(columns="kind"))


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
    for draw in (charts.timeline, charts.figures_chart, charts.claims_diagram, charts.centres_chart):
        ax = draw()
        ax.figure.savefig(tmp_path / f"{draw.__name__}.png", dpi=60)
        assert (tmp_path / f"{draw.__name__}.png").stat().st_size > 5000
