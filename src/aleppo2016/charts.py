"""Charts of the article's data, one function per chart.

Every function takes the table it needs (the package's own by default), an
optional ``ax=`` to draw into, and returns the matplotlib Axes. Each chart
also stores a plain-text description of what it shows, for alt text and
screen readers: ``describe(ax)`` returns it.

All charts use the module's style (:mod:`aleppo2016.style`): Okabe–Ito
colours with hatches or marker shapes, so they read without colour too, also
on an Axes of the student's own. Text from the data is always drawn as text
(a "$" never starts mathematics).

Names: every chart is ``<what it shows>_chart``. The older names
``timeline()`` and ``claims_diagram()`` still work, with a DeprecationWarning.
"""
# No ``from __future__ import annotations`` here: help() and
# typing.get_type_hints() should show real types, not quoted strings.
import inspect
import math
import textwrap
import warnings
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from . import data, tables
from .drawing import axes_for, check_ax, describe, safe_text, store_description, wrap
from .errors import check_choice
from .style import (
    CHART_WIDTH,
    GRID,
    INK,
    MUTED,
    OKABE_ITO,
    PANEL,
    SMALL_PT,
    chart_style,
    look_for,
    smallest_font_pt,
)

__all__ = [
    "timeline_chart",
    "figures_chart",
    "claims_chart",
    "centres_chart",
    "default_figures",
    "figure_values",
    "describe",
    "show",
    "hedged_value",
    "format_date",
    "SCALES",
    "MAX_VALUE",
    "CENTRE_FIGURES",
]

#: The scales figures_chart() can use.
SCALES = ("log", "linear")
#: The largest number figures_chart() draws (a thousand million million; the article's largest is in millions).
MAX_VALUE = 1e15





# --------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------

class ChartImage:
    """A drawn chart for a cell's output: HTML with alt text and description, or the description as plain text."""

    def __init__(self, png: bytes, description: str) -> None:
        self.png = png
        self.description = description

    def _repr_html_(self) -> str:
        return figure_html(self.png, self.description)

    def __repr__(self) -> str:
        return self.description


def show(ax: Any) -> ChartImage:
    """Show a chart with a short alt text and its full description tied to it (for screen readers).

    A chart Jupyter shows by itself is a bare image that cannot carry alt
    text; end a chart cell with ``charts.show(ax)`` instead. Where no HTML is
    shown (plain text, nbconvert to text) the description stands in for the chart.
    """
    import matplotlib.pyplot as plt

    from ._fastagg import release_renderer

    description = describe(ax)
    figure = ax.figure
    png = png_bytes(figure)
    release_renderer(figure.canvas)  # measuring the description drew nothing to keep (see png_bytes)
    plt.close(figure)  # shown here, so Jupyter does not show it a second time, bare
    return ChartImage(png, description)


def png_bytes(figure: Any, dpi: float = 100) -> bytes:
    """The figure as PNG bytes carrying its dpi and its smallest text size ("Smallest-Font-Pt")."""
    import io

    from ._fastagg import TextCachingCanvas, release_renderer

    buffer = io.BytesIO()
    shown_by = figure.canvas
    canvas = TextCachingCanvas(figure)  # drawn with the lesson's shared text bitmaps: labels seen before are pasted
    try:
        # A figure with a layout engine (every chart made here) already fits its labels: drawn once.
        # Cropping to the drawn parts ("tight") costs a second drawing; it is kept for a student's own figure.
        figure.savefig(buffer, format="png", dpi=dpi, facecolor="white",
                       bbox_inches=None if figure.get_layout_engine() is not None else "tight",
                       metadata={"Smallest-Font-Pt": f"{smallest_font_pt(figure):g}"})
    finally:
        # The PNG is made: its pixel buffer (1-2 MB a chart) is let go, or the figure's labels would keep
        # it for as long as a notebook's variable holds the chart (the whole lesson).
        release_renderer(canvas)
        figure.set_canvas(shown_by)
    return buffer.getvalue()


def short_text(description: str) -> str:
    """A chart's short alt text: the first sentence of its description."""
    return description.split(". ", 1)[0].split("\n", 1)[0].rstrip(".") + "." if description else "Chart."


def figure_html(png: bytes, description: str) -> str:
    """An <img> with the description's first sentence as alt text, the whole description under it, tied by id.

    The description's web addresses are links (the map's points link to OpenStreetMap).
    """
    import base64
    import html
    import uuid

    from .show import html_text

    escape = html.escape
    alt = short_text(description)
    tag = f"aleppo2016-chart-{uuid.uuid4().hex[:12]}"
    encoded = base64.b64encode(png).decode("ascii")
    return (f'<figure class="aleppo2016-chart" style="margin:0 0 0.5em 0">'
            f'<img src="data:image/png;base64,{encoded}" alt="{escape(alt)}" aria-describedby="{tag}" '
            f'style="max-width:100%;height:auto">'
            f'<details><summary>The chart in words</summary>'
            f'<p id="{tag}" style="white-space:pre-wrap">{html_text(description)}</p></details></figure>')


def format_date(value: Any) -> str:
    """'19 Sep 2016': day, short month and year, the same on every system."""
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        stamp = pd.NaT
    if pd.isna(stamp):
        raise ValueError(f"format_date() needs a date like '2016-09-19'; got {value!r:.40}.")
    return f"{stamp.day} {stamp:%b %Y}"


def hedged_value(row: pd.Series | dict[str, Any]) -> str:
    """A figure as the article hedges it: 'at least 20', 'nearly 2,000,000'.

    Built from the qualifier and the number (with thousands separators), so
    every figure reads the same way; falls back to the article's own words
    (value_text) if the number is missing.
    """
    if not hasattr(row, "get"):
        raise TypeError(f"hedged_value() needs one row of the figures table (or a dict); got {type(row).__name__}.")
    value = row.get("value")
    qualifier = tables.text(row.get("qualifier")).strip()
    if tables.text(value) == "" or (isinstance(value, float) and not math.isfinite(value)):
        number = tables.text(row.get("value_text")).strip() or "?"
    elif float(value).is_integer():
        number = f"{int(value):,}"
    else:
        number = f"{value:,}"
    return f"{qualifier} {number}".strip()


def _empty(ax: Axes, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color=MUTED, fontsize=11)
    ax.set_xticks([])
    ax.set_yticks([])


# --------------------------------------------------------------------------
# Timeline
# --------------------------------------------------------------------------

_EVENT_COLUMNS = ("date", "date_precision", "title", "category")
_CONTEXT_COLUMNS = ("date", "title", "category")


def timeline_chart(
    events: pd.DataFrame | None = None,
    context: pd.DataFrame | None = None,
    *,
    start: Any = None,
    end: Any = None,
    published: Any = None,
    ax: Axes | None = None,
) -> Axes:
    """Events by category over time: the article's (filled) and outside context (hollow).

    Each category has its own row, colour and marker shape. A thin line after
    a marker shows a date known only to the week, month or year (the marker
    is the period's first day). The dashed line is the day the article was
    published. Events with no known date cannot be placed and are left out;
    the x-axis label says how many. ``start`` and ``end`` (dates or text like
    "2016-09-01") zoom in. Points are numbered in date order; ``describe(ax)``
    lists them.
    """
    events = data.load_events() if events is None else events
    context = data.load_context() if context is None else context
    name = "timeline_chart"
    tables.check_frame(events, name, "load_events", _EVENT_COLUMNS)
    tables.check_frame(context, name, "load_context", _CONTEXT_COLUMNS)
    start_ts = _as_timestamp(start, "start")
    end_ts = _as_timestamp(end, "end")
    if start_ts is not None and end_ts is not None and start_ts > end_ts:
        raise ValueError(
            f"{name}(): start ({format_date(start_ts)}) is after end ({format_date(end_ts)}); "
            "swap them so that start comes first."
        )
    check_ax(ax, name)
    published_ts = _as_timestamp(published if published is not None else data.article_info()["published"], "published")

    items = tables.timeline_items(events, context, name)
    undated = int(tables.dates(events["date"], name).isna().sum()) if len(events) else 0
    if start_ts is not None:
        items = items[items["end"] >= start_ts]
    if end_ts is not None:
        items = items[items["date"] <= end_ts]

    ax = axes_for(ax, (CHART_WIDTH, 4.4))
    with chart_style():
        _draw_timeline(ax, items, published_ts, start_ts, end_ts, undated)
    store_description(ax, _describe_timeline(items, published_ts, undated))
    return ax


def _as_timestamp(value: Any, name: str) -> pd.Timestamp | None:
    if value is None:
        return None
    if not isinstance(value, (str, date, datetime, pd.Timestamp)):
        raise TypeError(f"timeline_chart(): {name} must be a date or text like '2016-09-19'; "
                        f"got {type(value).__name__}.")
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError):
        raise ValueError(f"timeline_chart(): {name} {value!r:.40} is not a date; write it like '2016-09-19'.") from None
    if pd.isna(stamp):
        raise ValueError(f"timeline_chart(): {name} is empty; give a date like '2016-09-19' or leave it out.")
    if not tables.FIRST_YEAR <= stamp.year <= tables.LAST_YEAR:
        raise ValueError(f"timeline_chart(): {name} {value!r:.40} is outside the years "
                         f"{tables.FIRST_YEAR}–{tables.LAST_YEAR} the chart can place.")
    if stamp.tzinfo is not None:
        stamp = stamp.tz_localize(None)
    return stamp


_STACK_STEP = 0.2  # vertical offset between markers on the same day in one row


def _draw_timeline(
    ax: Axes,
    items: pd.DataFrame,
    published: pd.Timestamp,
    start: pd.Timestamp | None,
    end: pd.Timestamp | None,
    undated: int,
) -> None:
    import matplotlib.dates as mdates
    from matplotlib.lines import Line2D

    ax.set_title("Events by category: in the article and outside it", pad=16)
    left_out = f"\n{undated} event{'s' if undated != 1 else ''} with no known date {'are' if undated != 1 else 'is'} not shown." if undated else ""
    ax.set_xlabel("Date" + left_out)
    if items.empty:
        _empty(ax, "No dated events to show.\nTry more categories or a wider date range.")
        return

    rows = tables.category_order(items["category"])
    row_of = {c: len(rows) - 1 - i for i, c in enumerate(rows)}  # first category at the top
    y = items["category"].map(row_of).astype(float).to_numpy()
    # Stack markers that share a row and a day so none hides another.
    groups = items.groupby([items["category"], items["date"]]).cumcount().to_numpy()
    sizes = items.groupby([items["category"], items["date"]])["number"].transform("size").to_numpy()
    # A tall stack is closed up so that it stays within its own row.
    y = y + (groups - (sizes - 1) / 2) * np.minimum(_STACK_STEP, 0.7 / np.maximum(sizes - 1, 1))

    # Plain arrays, and markers as lines without a line: a redraw of the explorer is
    # a student's click, and pandas indexing and scatter's colour handling were most of it.
    category_of = items["category"].to_numpy()
    is_article = (items["source"] == "article").to_numpy()
    starts = items["date"].to_numpy()
    ends = items["end"].to_numpy()
    for category in rows:
        look = look_for(category)
        colour = look.colour
        in_row = category_of == category
        for filled in (True, False):
            mask = in_row & (is_article if filled else ~is_article)
            if not mask.any():
                continue
            spread = mask & (ends > starts)
            if spread.any():
                ax.hlines(y[spread], starts[spread], ends[spread], colors=colour, linewidth=2.5, alpha=0.8, zorder=2)
            ax.plot(starts[mask], y[mask], linestyle="none", marker=look.marker, markersize=8, zorder=3,
                    markerfacecolor=colour if filled else "white", markeredgecolor=INK if filled else colour,
                    markeredgewidth=0.8 if filled else 2.0)
    ax.set_yticks(range(len(rows)), [safe_text(rows[len(rows) - 1 - i].capitalize()) for i in range(len(rows))])
    ax.set_ylim(-0.6, len(rows) - 0.4)
    lo = min(items["date"].min(), published) if start is None else start
    hi = max(items["end"].max(), published) if end is None else end
    pad = max((hi - lo) * 0.04, pd.Timedelta(days=1))
    ax.set_xlim(lo - pad, hi + pad * 2)

    # Each marker's number 6 points to its right; markers too close for their numbers to fit share one
    # label ("9–15"), so no two numbers are drawn over each other. (Plain text moved by a fixed offset
    # costs far less than annotate.)
    from matplotlib.transforms import ScaledTranslation

    after = ax.transData + ScaledTranslation(6 / 72, 0, ax.figure.dpi_scale_trans)
    before = ax.transData + ScaledTranslation(-6 / 72, 0, ax.figure.dpi_scale_trans)
    axis_inches = ax.get_position().width * ax.figure.get_figwidth()
    inches_per_day = axis_inches / (((hi + pad * 2) - (lo - pad)).total_seconds() / 86400)
    right_edge = np.datetime64(hi + pad * 2)
    # The axes' height, at most the figure's less the title, date label and legend (about 2.1 in): a
    # figure with a layout engine has not yet shrunk its axes to make room for them.
    axes_inches = min(ax.get_position().height * ax.figure.get_figheight(), ax.figure.get_figheight() - 2.1)
    row_points = max(axes_inches, 0.5) * 72 / len(rows)
    max_lines = max(1, int(row_points // (SMALL_PT * 1.05)))  # a row holds this many lines of its numbers
    numbers = items["number"].to_numpy()
    for category in rows:
        in_row = np.flatnonzero(category_of == category)
        for cluster in _label_clusters(starts[in_row], numbers[in_row], inches_per_day, max_lines):
            members = in_row[cluster]
            label = _number_label(numbers[members], max_lines)
            last = starts[members].max()
            width = _label_inches(label)
            if (right_edge - last) / np.timedelta64(1, "D") * inches_per_day < width:  # no room: left of the group
                ax.text(starts[members].min(), y[members].mean(), label, transform=before, va="center",
                        ha="right", fontsize=SMALL_PT, color=INK)
            else:
                ax.text(last, y[members].mean(), label, transform=after, va="center", fontsize=SMALL_PT, color=INK)

    ax.axvline(published, color=INK, linestyle="--", linewidth=1, zorder=1)
    if lo - pad <= published <= hi + pad * 2:  # its label drawn far outside a narrow range would squash the chart
        # Near the right edge the label ends at the line, so it is not cut off.
        right = (published - (lo - pad)) / ((hi + pad * 2) - (lo - pad)) > 0.65
        ax.annotate(
            f"Article published, {format_date(published)}", (published, 1.0), xycoords=("data", "axes fraction"),
            xytext=(0, 3), textcoords="offset points", ha="right" if right else "center", va="bottom",
            fontsize=SMALL_PT, color=INK, annotation_clip=False,
        )
    locator = mdates.AutoDateLocator(minticks=4, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)

    handles = [
        Line2D([], [], marker="o", linestyle="", markerfacecolor=MUTED, markeredgecolor=INK, markersize=7,
               label="In the article (filled)"),
        Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor=MUTED,
               markeredgewidth=2, markersize=7, label="Outside context (hollow)"),
        Line2D([], [], color=MUTED, linewidth=2.5, label="Date known only to the\nweek, month or year"),
        Line2D([], [], color=INK, linestyle="--", linewidth=1, label="Article published"),
    ]
    # Below the date label whatever the chart's height: a fixed distance in points under the Axes.
    from matplotlib.transforms import ScaledTranslation

    below = ScaledTranslation(0, -(46 if undated else 32) / 72, ax.figure.dpi_scale_trans)
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0), bbox_transform=ax.transAxes + below,
              ncol=2, fontsize=SMALL_PT)


def _number_runs(numbers: Sequence[int]) -> str:
    """Numbers as short runs: 9, 10, 11, 14 -> "9–11, 14"."""
    ordered = sorted(int(n) for n in numbers)
    runs: list[list[int]] = []
    for n in ordered:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def _number_label(numbers: Sequence[int], max_lines: int) -> str:
    """A group's numbers as short runs, a few to a line: 9, 10, 11, 14, 15 -> "9–11, 14–15".

    More lines than a row holds would run into the next row: the label then counts the
    events ("12 events"), which the list under the chart gives one by one.
    """
    lines = textwrap.wrap(_number_runs(numbers), 12, break_on_hyphens=False)
    return "\n".join(lines) if len(lines) <= max_lines else f"{len(numbers)} events"


def _label_inches(label: str) -> float:
    """About how wide a number label is drawn, with its 6 pt gap and half a marker (0.6 em a character)."""
    return (6 + 4 + 0.6 * SMALL_PT * max(len(line) for line in label.split("\n"))) / 72


def _label_clusters(when: np.ndarray, numbers: np.ndarray, inches_per_day: float,
                    max_lines: int) -> list[list[int]]:
    """Markers of one row, grouped (as positions into `when`) so that each group's label ends before the next group."""
    order = np.argsort(when, kind="stable")
    clusters: list[list[int]] = []
    last_day = None
    for position in order:
        day = when[position]
        if clusters and (day - last_day) / np.timedelta64(1, "D") * inches_per_day < _label_inches(
                _number_label(numbers[clusters[-1]], max_lines)):
            clusters[-1].append(int(position))
        else:
            clusters.append([int(position)])
        last_day = day
    return clusters


def _describe_timeline(items: pd.DataFrame, published: pd.Timestamp, undated: int) -> str:
    lines = ["Timeline chart: events by category (one row each) against date."]
    if items.empty:
        lines.append("No dated events are shown.")
    else:
        n_article = int((items["source"] == "article").sum())
        lines.append(
            f"It shows {n_article} event(s) from the article (filled markers) and "
            f"{len(items) - n_article} from outside context (hollow markers), "
            f"from {format_date(items['date'].min())} to {format_date(items['date'].max())}, "
            f"in the categories: {', '.join(tables.category_order(items['category']))}."
        )
    lines.append(f"A dashed line marks the article's publication, {format_date(published)}.")
    if undated:
        lines.append(f"{undated} event(s) with no known date are left out.")
    for row in items.itertuples(index=False):
        known = "" if row.date_precision == "day" else f" (date known to the {row.date_precision})"
        where = "article" if row.source == "article" else "outside context"
        lines.append(f"{row.number}. {format_date(row.date)}{known}, {row.category}, {where}: {row.title}")
    return "\n".join(lines)


# --------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------

_FIGURE_COLUMNS = ("value", "value_text", "unit", "measure", "qualifier", "attribution")


def default_figures(figures: pd.DataFrame | None = None) -> pd.DataFrame:
    """The figures worth comparing on one axis: the counts of people.

    Years, days and civil defence centres are left out because bars in
    different units cannot be compared; pass your own selection to include them.
    """
    figures = data.load_figures() if figures is None else figures
    people = figures[figures["unit"].map(tables.text).str.casefold() == "people"]
    return people if len(people) else figures


def figures_chart(
    figures: pd.DataFrame | None = None,
    *,
    scale: str = "log",
    sources: bool = True,
    legend: bool = True,
    ax: Axes | None = None,
) -> Axes:
    """The article's numbers as horizontal bars, each labelled with its hedge.

    ``scale="log"`` (each grid step is ten times the last, so 20 and 2,000,000
    both show) or ``"linear"`` (honest lengths, so the small numbers almost
    vanish). Each bar's label says who gives the number (``sources=False``
    leaves that to the caption, for a lighter chart beside a list that
    says it). ``legend=False`` names each bar's category in its label instead
    of a colour key (quicker to draw, and nothing hangs on colour). By default,
    the counts of people (see :func:`default_figures`).
    """
    figures = default_figures() if figures is None else figures
    tables.check_frame(figures, "figures_chart", "load_figures", _FIGURE_COLUMNS)
    return _figures_chart_of_rows(_figure_rows(figures), scale=scale, sources=sources, legend=legend, ax=ax)


def _figure_rows(figures: pd.DataFrame) -> list[dict[str, Any]]:
    """The figures as plain dicts, with their id (``_id``), number (``_value``, NaN if none) and category.

    pandas' row access costs more than drawing the chart, so a chart drawn
    again and again (the figures explorer) makes these once and draws from
    them (:func:`_figures_chart_of_rows`).
    """
    values = pd.to_numeric(figures["value"], errors="coerce").astype(float)
    has_category = "category" in figures.columns
    rows = figures.to_dict("records")
    for rid, value, row in zip(figures.index, values, rows):
        row["_id"], row["_value"] = rid, float(value)
        row["_category"] = tables.category(row["category"]) if has_category else None
    return rows


def _figures_chart_of_rows(rows: Sequence[dict[str, Any]], *, scale: str = "log", sources: bool = True,
                          legend: bool = True, ax: Axes | None = None) -> Axes:
    """:func:`figures_chart` of rows from :func:`_figure_rows`, in any order (the chart sorts them)."""
    scale = check_choice(scale, SCALES, "scale")
    _check_rows(rows, "figures_chart")
    check_ax(ax, "figures_chart")
    zero = next((r for r in rows if r["_value"] <= 0), None)
    if scale == "log" and zero is not None:
        raise ValueError(
            f"figures_chart(): figure {zero['_id']!r} is {zero['_value']:g}, which a log scale cannot show "
            "(it has no zero); use scale='linear'."
        )
    height = _rows_height(rows, sources, legend) if ax is None else 0.0  # only a new figure needs it
    ax = axes_for(ax, (CHART_WIDTH, height))
    ordered = sorted(rows, key=lambda r: r["_value"])
    with chart_style():
        _draw_figures(ax, ordered, scale, sources, legend)
    store_description(ax, _describe_figures(ordered, scale))
    return ax


def figures_chart_height(figures: pd.DataFrame, *, sources: bool = True, legend: bool = True) -> float:
    """Inches a figures chart needs so that no two bar labels overlap (each bar has room for its longest label)."""
    return _rows_height(_figure_rows(figures), sources, legend)


def _rows_height(rows: Sequence[dict[str, Any]], sources: bool, legend: bool) -> float:
    """figures_chart_height() of rows from _figure_rows()."""
    lines = max((label.count("\n") + 1 for label in _bar_labels(rows, sources, legend)), default=1)
    # A line of SMALL_PT text is about 1.2 × its size high; the rest holds the title, axis and caption.
    return 1.6 + max(0.55, lines * SMALL_PT * 1.25 / 72 + 0.15) * max(len(rows), 2)


def _bar_labels(rows: Sequence[dict[str, Any]], sources: bool, legend: bool) -> list[str]:
    """Each bar's label: what it counts, who gives it (``sources``), its category when there is no legend."""
    return [
        wrap(row["measure"], 34)
        + (f"\n({wrap(tables.source_line(row['attribution']), 40)})" if sources else "")
        + ("" if legend or row["_category"] is None else f"\n[{safe_text(row['_category'].replace('_', ' '))}]")
        for row in rows
    ]


def figure_values(figures: pd.DataFrame, function: str) -> pd.Series:
    """The figures' numbers as floats, or one clear error naming the figure and what is allowed."""
    tables.check_frame(figures, function, "load_figures", _FIGURE_COLUMNS)
    rows = _figure_rows(figures)
    _check_rows(rows, function)
    return pd.Series([row["_value"] for row in rows], index=figures.index, name="value", dtype=float)


def _check_rows(rows: Sequence[dict[str, Any]], function: str) -> None:
    """Every row's number (from :func:`_figure_rows`) finite and at most MAX_VALUE either way, or an
    error naming the first that is not."""
    for row in rows:
        if not math.isfinite(row["_value"]):
            raise ValueError(f"{function}(): figure {row['_id']!r} has no usable number in 'value' "
                             f"(got {row['value']!r:.40}); write a plain number such as 60000.")
    for row in rows:
        if abs(row["_value"]) > MAX_VALUE:
            raise ValueError(
                f"{function}(): figure {row['_id']!r} is {row['_value']:g}, too large to draw; "
                f"values in 'value' must be at most {MAX_VALUE:,.0f} either way."
            )


def _draw_figures(ax: Axes, rows: Sequence[dict[str, Any]], scale: str, sources: bool = True,
                  legend: bool = True) -> None:
    # y=1.0 is where Matplotlib puts it here anyway (its x axis is at the bottom, and bar labels have no
    # offset text); a fixed y spares it measuring every tick label again on each draw to check that.
    ax.set_title(f"Numbers in the article ({scale} scale)", y=1.0)
    if not rows:
        _empty(ax, "No figures chosen.\nPick one or more to compare.")
        return
    units = {tables.text(row["unit"]) for row in rows}
    show_unit = len(units) > 1
    y = range(len(rows))
    values = np.array([row["_value"] for row in rows], dtype=float)
    categories = [row["_category"] or "" for row in rows]
    looks = [look_for(c) for c in categories]
    bars = ax.barh(y, values, height=0.6, color=[look.colour for look in looks], edgecolor=INK, linewidth=0.8)
    for bar, look in zip(bars, looks):
        bar.set_hatch(look.hatch)
    ax.set_yticks(list(y), _bar_labels(rows, sources, legend), fontsize=SMALL_PT)
    biggest = float(values.max())
    ax.set_xscale(scale)
    # The right 40% of the axis is left for the longest bar's value ("nearly 2,000,000"), and a few
    # ticks only: long numbers at readable sizes would run into each other.
    if scale == "log":
        low = 10 ** math.floor(math.log10(float(values.min())))
        low = low / 2 if low > 1 else low / 10
        span = math.log10(max(biggest, low * 10) / low)
        ax.set_xlim(low, max(biggest, low * 10) * 10 ** (span * 0.67))
        ax.xaxis.set_major_locator(_log_locator(low, biggest))
        ax.xaxis.set_major_formatter(_log_formatter(low, biggest))
    else:
        ax.set_xlim(min(0.0, float(values.min()) * 1.67), biggest * 1.67 if biggest > 0 else 1)
        ax.xaxis.set_major_locator(_linear_locator())
        ax.xaxis.set_major_formatter(_thousands_formatter())
    # No minor ticks: they add nothing a student reads, and on a log axis
    # their dozens of tick objects cost more to draw than the bars.
    ax.xaxis.set_minor_locator(_no_ticks_locator())
    for bar, row in zip(bars, rows):
        text = hedged_value(row)
        if show_unit:  # a long one under the number: "nearly 2,000,000 people" on one line would run past the edge
            unit = tables.text(row["unit"])
            text += f" {unit}" if len(text) + len(unit) < 16 else f"\n{unit}"
        end = bar.get_width()
        x = end * 1.25 if scale == "log" else end + biggest * 0.015
        # Left out of the layout: the axis keeps room for it, and a long one must not squash the bars.
        ax.text(x, bar.get_y() + bar.get_height() / 2, safe_text(text), va="center", ha="left", fontsize=9,
                fontweight="bold", color=INK, in_layout=False)
    if scale == "log":
        axis = "log scale: each grid step is 10 times the one before"
    else:
        axis = "linear scale: bar lengths are in proportion"
    unit_note = "" if show_unit else f" of {safe_text(next(iter(units)))}"
    where = "in brackets" if sources else "listed with each number"
    ax.set_xlabel(wrap(f"Number{unit_note} ({axis})", 48) + f"\nSource: TIME, September 2016;\nwho gives each number is {where}.",
                  fontsize=SMALL_PT)
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    if legend and rows[0]["_category"] is not None:
        from matplotlib.patches import Patch

        used = list(dict.fromkeys(categories))
        ax.legend(handles=[Patch(facecolor=look_for(c).colour, hatch=look_for(c).hatch, edgecolor=INK,
                                 label=safe_text(c.replace("_", " "))) for c in used],
                  loc="lower right", fontsize=SMALL_PT, title="What is counted", title_fontsize=SMALL_PT)


def _thousands_formatter() -> Any:
    """Tick labels as plain numbers with separators (1,000,000), not 10⁶ or 1e6."""
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _pos: f"{x:,.0f}" if x >= 1 or x == 0 else f"{x:g}")


def _decades(low: float, high: float) -> tuple[int, int, int]:
    """The first and last power of ten on a log axis (none past the biggest bar: the room beyond is for its
    value), and the step between labelled ones (at most four labels: long numbers would run into each other)."""
    first, last = math.ceil(math.log10(low)), max(math.floor(math.log10(high)), math.ceil(math.log10(low)))
    return first, last, max(1, math.ceil((last - first + 1) / 4))


def _log_locator(low: float, high: float) -> Any:
    """A grid line at every power of ten, as the axis title says ("each grid step is 10 times the one before")."""
    from matplotlib.ticker import FixedLocator

    first, last, _step = _decades(low, high)
    return FixedLocator([10.0 ** k for k in range(first, last + 1)])


def _log_formatter(low: float, high: float) -> Any:
    """Numbers under every `step`-th grid line only (10, 1,000, 100,000), so that they stay apart."""
    from matplotlib.ticker import FuncFormatter

    first, _last, step = _decades(low, high)
    plain = _thousands_formatter()

    def label(x: float, pos: Any) -> str:
        return plain(x, pos) if x > 0 and round(math.log10(x) - first) % step == 0 else ""

    return FuncFormatter(label)


def _linear_locator() -> Any:
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(nbins=3)


def _no_ticks_locator() -> Any:
    from matplotlib.ticker import NullLocator

    return NullLocator()


def _describe_figures(rows: Sequence[dict[str, Any]], scale: str) -> str:
    lines = [f"Horizontal bar chart of numbers in the article, on a {scale} scale."]
    if not rows:
        lines.append("No figures are shown.")
        return "\n".join(lines)
    lines.append(
        f"{len(rows)} bar(s), from {hedged_value(rows[0])} to {hedged_value(rows[-1])}, largest at the top."
    )
    for row in reversed(rows):
        lines.append(f"- {tables.text(row['measure'])}: {hedged_value(row)} {tables.text(row['unit'])} "
                     f"({tables.source_line(row['attribution'])}).")
    return "\n".join(lines)


# --------------------------------------------------------------------------
# Claims
# --------------------------------------------------------------------------

_CLAIM_COLUMNS = ("claimant", "target", "kind", "claim")
_LINESTYLES = {"accusation": "-", "denial": "--", "counter-accusation": "-.", "assessment": ":"}


def _claim_arrows(claims: pd.DataFrame) -> tuple[list[tuple[str, str, str, int]], pd.DataFrame]:
    """The diagram's arrows, (claimant, about, kind, how many claims), and the claims left out.

    A claim points at its targets. A reply that names no target points at
    the speaker it answers (Churkin's denial answers Samantha Power). Claims
    that name no one and answer no one are left out of the drawing. Claims
    with the same speaker, target and kind share one arrow ("assessment ×3").
    """
    claimant_of = {str(i): tables.text(c) for i, c in zip(claims.index, claims["claimant"])}
    responds = claims["responds_to"] if "responds_to" in claims.columns else pd.Series("", index=claims.index)
    counts: dict[tuple[str, str, str], int] = {}
    left_out = []
    for rid, row in claims.iterrows():
        targets = tables.names(row["target"])
        answered = tables.text(responds.get(rid))
        if not targets and answered in claimant_of:
            targets = (claimant_of[answered],)
        if not targets:
            left_out.append(rid)
            continue
        for target in targets:
            key = (tables.text(row["claimant"]), target, tables.text(row["kind"]))
            counts[key] = counts.get(key, 0) + 1
    return [(*key, n) for key, n in counts.items()], claims.loc[left_out]


def _order_columns(arrows: Sequence[tuple[str, str, str, int]]) -> tuple[list[str], list[str]]:
    """Speakers and targets in an order that keeps arrows short and uncrossed.

    Targets sit at the average height of their speakers, then speakers at the
    average height of their targets: one round of the usual barycentre method.
    """
    left = list(dict.fromkeys(a[0] for a in arrows))
    right = list(dict.fromkeys(a[1] for a in arrows))

    def mean_position(node: str, col: int, other: list[str]) -> float:
        links = [other.index(a[1 - col]) for a in arrows if a[col] == node]
        return sum(links) / len(links)

    right.sort(key=lambda n: mean_position(n, 1, left))
    left.sort(key=lambda n: mean_position(n, 0, right))
    return left, right


def claims_chart(
    claims: pd.DataFrame | None = None,
    actors: pd.DataFrame | None = None,
    *,
    ax: Axes | None = None,
) -> Axes:
    """Who claims what about whom: speakers on the left, the people they speak about on the right.

    Each arrow is a kind of claim (accusation, denial, ...), coloured, dashed
    and labelled by its kind; claims with the same speaker, target and kind
    share an arrow ("assessment ×3"). A reply that names no one points at the
    speaker it answers. Two columns keep the arrows from tangling. Claims that
    are about no one in particular are counted under the chart, not drawn.
    """
    claims = data.load_claims() if claims is None else claims
    tables.check_frame(claims, "claims_chart", "load_claims", _CLAIM_COLUMNS)
    actors = data.load_actors() if actors is None else tables.check_frame(actors, "claims_chart", "load_actors", ("name",))
    check_ax(ax, "claims_chart")
    arrows, left_out = _claim_arrows(claims)
    left, right = _order_columns(arrows)
    ax = axes_for(ax, (CHART_WIDTH, 2.6 + 0.75 * max(len(left), len(right), 2)))
    with chart_style():
        _draw_claims(ax, arrows, left, right, actors, len(left_out))
    store_description(ax, _describe_claims(claims, actors, arrows, left_out))
    return ax


def _draw_claims(ax: Axes, arrows: Sequence[tuple[str, str, str, int]], left: list[str], right: list[str],
                 actors: pd.DataFrame, n_left_out: int) -> None:
    from matplotlib.lines import Line2D

    ax.set_title("Who claims what about whom")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    if n_left_out:
        ax.set_xlabel(wrap(f"Not drawn: {n_left_out} claim(s) about no one in particular (reports and "
                           "assessments); see describe() or the claims table.", 70),
                      fontsize=SMALL_PT, color=MUTED)
    if not arrows:
        _empty(ax, "No claims about anyone to show.")
        return
    rows = max(len(left), len(right))

    def ys(n: int) -> list[float]:
        # Spread a column over the same height as the longer one, top first.
        return [rows - 1 - i * ((rows - 1) / (n - 1)) if n > 1 else (rows - 1) / 2 for i in range(n)]

    left_y = dict(zip(left, ys(len(left))))
    right_y = dict(zip(right, ys(len(right))))
    box = dict(boxstyle="round,pad=0.35", facecolor=PANEL, edgecolor=MUTED, linewidth=0.8)
    x0, x1 = 0.27, 0.73
    for name, y in left_y.items():
        ax.text(x0, y, wrap(tables.actor_name(name, actors), 18), ha="right", va="center", fontsize=SMALL_PT, bbox=box)
    for name, y in right_y.items():
        ax.text(x1, y, wrap(tables.actor_name(name, actors), 18), ha="left", va="center", fontsize=SMALL_PT, bbox=box)
    ax.text(x0, rows - 0.35, "Who makes the claim", ha="right", va="bottom", fontsize=10, fontweight="bold")
    ax.text(x1, rows - 0.35, "Who it is about", ha="left", va="bottom", fontsize=10, fontweight="bold")

    kinds = list(dict.fromkeys(a[2] for a in arrows))
    # Arrows between the same two people run side by side, a little apart.
    pairs: dict[tuple[str, str], list[int]] = {}
    for i, (claimant, target, _kind, _n) in enumerate(arrows):
        pairs.setdefault((claimant, target), []).append(i)
    shift = {}
    for members in pairs.values():
        for j, i in enumerate(members):
            shift[i] = (j - (len(members) - 1) / 2) * 0.16
    # One label per pair of people, naming every kind of claim between them;
    # each speaker's labels spread out along the arrows, top target nearest the speaker.
    label_t: dict[tuple[str, str], float] = {}
    for claimant in left:
        mine = sorted((p for p in pairs if p[0] == claimant), key=lambda p: -right_y[p[1]])
        for j, pair in enumerate(mine):
            label_t[pair] = 0.3 + 0.4 * j / (len(mine) - 1) if len(mine) > 1 else 0.3
    for i, (claimant, target, kind, count) in enumerate(arrows):
        y0, y1 = left_y[claimant] + shift[i], right_y[target] + shift[i]
        ax.annotate(
            "", xy=(x1 - 0.01, y1), xytext=(x0 + 0.01, y0),
            arrowprops=dict(arrowstyle="-|>", color=look_for(kind).colour, linewidth=1.8,
                            linestyle=_LINESTYLES.get(kind, "-"), shrinkA=2, shrinkB=2, mutation_scale=14),
        )
    placed: list[tuple[float, float, float]] = []  # centre x, centre y, lines of each label drawn so far
    for (claimant, target), members in pairs.items():
        y0, y1 = left_y[claimant], right_y[target]
        label = safe_text("\n".join(arrows[i][2] + ("" if arrows[i][3] == 1 else f" ×{arrows[i][3]}") for i in members))
        x, y = _free_spot(x0, y0, x1, y1, label_t[(claimant, target)], len(members), placed)
        placed.append((x, y, len(members)))
        edge = look_for(arrows[members[0]][2]).colour if len(members) == 1 else MUTED
        ax.text(x, y, label, ha="center", va="center", fontsize=SMALL_PT, color=INK, linespacing=1.1,
                bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor=edge, linewidth=0.8))
    ax.set_xlim(0, 1)
    ax.set_ylim(-1.3, rows + 0.1)
    handles = [Line2D([], [], color=look_for(k).colour, linewidth=2, linestyle=_LINESTYLES.get(k, "-"), label=safe_text(k))
               for k in kinds]
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.0), ncol=min(len(kinds), 4),
              fontsize=SMALL_PT, handlelength=2.5)


def _free_spot(x0: float, y0: float, x1: float, y1: float, t: float, lines: int,
               placed: Sequence[tuple[float, float, float]]) -> tuple[float, float]:
    """A point on the arrow near fraction `t` where a label does not cover one already placed.

    Label sizes are estimates (about a tenth of the width, a fifth of a row per line):
    good enough to keep the few labels of this diagram apart.
    """
    candidates = [t] + [t + d * sign for d in (0.08, 0.16, 0.24, 0.32) for sign in (-1, 1)]
    for c in candidates:
        if not 0.15 <= c <= 0.85:
            continue
        x, y = x0 + (x1 - x0) * c, y0 + (y1 - y0) * c
        if all(abs(x - px) > 0.11 or abs(y - py) > 0.1 * (lines + plines) for px, py, plines in placed):
            return x, y
    return x0 + (x1 - x0) * t, y0 + (y1 - y0) * t


def _describe_claims(claims: pd.DataFrame, actors: pd.DataFrame,
                     arrows: Sequence[tuple[str, str, str, int]], left_out: pd.DataFrame) -> str:
    lines = ["Diagram of claims: who makes each claim (left column) and who it is about (right column), "
             "with one arrow for each kind of claim between them."]
    if not arrows:
        lines.append("No claims about anyone are shown.")
    for claimant, target, kind, count in arrows:
        times = "" if count == 1 else f" ({count} claims)"
        lines.append(f"- {tables.actor_name(claimant, actors)} → {tables.actor_name(target, actors)}: {kind}{times}.")
    if len(left_out):
        lines.append(f"Not drawn: {len(left_out)} claim(s) about no one in particular:")
        lines.extend(f"- {tables.actor_name(tables.text(r.claimant), actors)}: {tables.text(r.kind)}. "
                     f"{tables.text(r.claim)}" for r in left_out.itertuples())
    return "\n".join(lines)


# --------------------------------------------------------------------------
# Civil Defense centres
# --------------------------------------------------------------------------

CENTRE_FIGURES = ("ops_centres_total", "ops_centres_damaged", "centres_out_of_operation")


def centres_chart(figures: pd.DataFrame | None = None, *, ax: Axes | None = None) -> Axes:
    """The Civil Defense centres: four in all, at least three damaged in one night, two out of operation.

    Each square stands for one centre, but the article does not say which
    centre is which, so the squares show counts, not places. "At least three"
    is a lower bound: the last damaged-or-not square is marked "not known".
    Uses the figures ops_centres_total, ops_centres_damaged and
    centres_out_of_operation.
    """
    figures = data.load_figures() if figures is None else figures
    tables.check_frame(figures, "centres_chart", "load_figures", ("value", "qualifier", "attribution"))
    missing = [f for f in CENTRE_FIGURES if f not in figures.index]
    if missing:
        raise ValueError(
            f"centres_chart() needs the figures {', '.join(map(repr, CENTRE_FIGURES))}; "
            f"this table has no {', '.join(map(repr, missing))}."
        )
    check_ax(ax, "centres_chart")
    counts = {}
    for fid in CENTRE_FIGURES:
        value = pd.to_numeric(pd.Series([figures.at[fid, "value"]]), errors="coerce").iloc[0]
        if pd.isna(value) or not math.isfinite(value) or not float(value).is_integer():
            raise ValueError(f"centres_chart(): figure {fid!r} must be a whole number of centres; "
                             f"got {figures.at[fid, 'value']!r:.40}.")
        counts[fid] = int(value)
    total, damaged, out = (counts[fid] for fid in CENTRE_FIGURES)
    lower_bound = tables.text(figures.at["ops_centres_damaged", "qualifier"]).strip() in ("at least", "more than")
    if not 0 <= out <= damaged <= total <= 50:
        raise ValueError(
            f"centres_chart(): the counts do not fit together (total {total}, damaged {damaged}, "
            f"out of operation {out}); they must satisfy 0 ≤ out of operation ≤ damaged ≤ total ≤ 50."
        )
    states = (
        ["out"] * out
        + ["damaged"] * (damaged - out)
        + (["maybe"] if lower_bound else ["intact"]) * (total - damaged)
    )
    ax = axes_for(ax, (CHART_WIDTH, 4.4))
    with chart_style():
        _draw_centres(ax, states, figures, lower_bound)
    store_description(ax, _describe_centres(states, figures, lower_bound))
    return ax


_CENTRE_STYLE = {
    # state: (label, face colour, hatch, mark)
    "out": ("Damaged and out of operation", OKABE_ITO["vermillion"], "xx", "✕"),
    "damaged": ("Damaged, not said to be out of operation", OKABE_ITO["orange"], "///", "!"),
    "maybe": ("Not known: “at least three” leaves it open", "white", "", "?"),
    "intact": ("Not reported damaged", "white", "", ""),
}


def _draw_centres(ax: Axes, states: list[str], figures: pd.DataFrame, lower_bound: bool) -> None:
    from matplotlib.patches import Patch, Rectangle

    ax.set_title("The White Helmets' four operations centres\nafter one night of airstrikes")
    ax.set_axis_off()
    ax.set_aspect("equal")
    for i, state in enumerate(states):
        label, face, hatch, mark = _CENTRE_STYLE[state]
        ax.add_patch(Rectangle((i * 1.3, 0), 1, 1, facecolor=face, hatch=hatch, edgecolor=INK,
                               linewidth=1.5, linestyle="--" if state == "maybe" else "-"))
        if mark:
            ax.text(i * 1.3 + 0.5, 0.5, mark, ha="center", va="center", fontsize=20, fontweight="bold",
                    color=INK, bbox=dict(boxstyle="circle,pad=0.2", facecolor="white", edgecolor="none"))
        ax.text(i * 1.3 + 0.5, -0.12, f"Centre {i + 1}", ha="center", va="top", fontsize=SMALL_PT, color=MUTED)
    ax.set_xlim(-0.2, len(states) * 1.3)
    ax.set_ylim(-0.4, 1.15)
    used = list(dict.fromkeys(states))
    # Legend and caption under the squares (a chart no wider than a cell has no room beside them).
    ax.legend(handles=[Patch(facecolor=_CENTRE_STYLE[s][1], hatch=_CENTRE_STYLE[s][2], edgecolor=INK,
                             linestyle="--" if s == "maybe" else "-", label=_CENTRE_STYLE[s][0]) for s in used],
              loc="upper left", bbox_to_anchor=(0.0, 0.0), fontsize=SMALL_PT)
    damaged = figures.loc["ops_centres_damaged"]
    out = figures.loc["centres_out_of_operation"]
    caption = (
        f"{hedged_value(damaged).capitalize()} of {len(states)} damaged ({tables.source_line(damaged['attribution'])}); "
        f"{hedged_value(out)} out of operation ({tables.source_line(out['attribution'])}).\n"
        "The article does not say which centres these are, so the numbers 1–4 are not real centres."
    )
    from matplotlib.transforms import ScaledTranslation

    below_legend = ScaledTranslation(0, -(len(used) * 17 + 12) / 72, ax.figure.dpi_scale_trans)
    ax.text(0, 0, "\n".join(wrap(part, 76) for part in caption.split("\n")), ha="left", va="top",
            fontsize=SMALL_PT, color=INK, transform=ax.transAxes + below_legend)


def _describe_centres(states: list[str], figures: pd.DataFrame, lower_bound: bool) -> str:
    counts = {s: states.count(s) for s in _CENTRE_STYLE if states.count(s)}
    parts = [f"{n} {_CENTRE_STYLE[s][0].lower()}" for s, n in counts.items()]
    text = (
        f"Diagram of {len(states)} squares, one for each operations centre: " + "; ".join(parts) + ". "
        "The article does not say which centres were hit, so the squares stand for counts, not particular centres."
    )
    if lower_bound:
        text += (f" The number damaged is a lower bound ({hedged_value(figures.loc['ops_centres_damaged'])}), "
                 "so one more centre may also have been damaged.")
    return text


# --------------------------------------------------------------------------
# Older names, kept working
# --------------------------------------------------------------------------

def _deprecated(old: str, new: Callable[..., Any], where: str) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        warnings.warn(f"aleppo2016.charts.{old}() is now {where}; the old name will go in a later version.",
                      DeprecationWarning, stacklevel=2)
        try:
            return new(*args, **kwargs)
        except (TypeError, ValueError) as err:
            # Name the function the student called, not the one it now calls.
            if type(err) in (TypeError, ValueError) and f"{new.__name__}()" in str(err):
                raise type(err)(str(err).replace(f"{new.__name__}()", f"{old}()")) from None
            raise

    call.__name__ = call.__qualname__ = old
    call.__signature__ = inspect.signature(new)  # type: ignore[attr-defined]  # help() shows the real arguments
    call.__doc__ = f"Deprecated: use {where}.\n\n{new.__doc__}"
    return call


timeline = _deprecated("timeline", timeline_chart, "timeline_chart()")
claims_diagram = _deprecated("claims_diagram", claims_chart, "claims_chart()")

# Helpers that were public here by accident; their homes are in aleppo2016.tables.
_MOVED = {
    "date_span": (tables.date_span, "aleppo2016.tables.date_span()"),
    "timeline_items": (tables.timeline_items, "aleppo2016.tables.timeline_items()"),
    "actor_name": (tables.actor_name, "aleppo2016.tables.actor_name()"),
    "claim_arrows": (_claim_arrows, "private (the claims chart's own arrows)"),
}


def __getattr__(name: str) -> Any:
    """The moved helpers still answer, with a DeprecationWarning saying where they went."""
    if name in _MOVED:
        target, where = _MOVED[name]
        warnings.warn(f"aleppo2016.charts.{name} is now {where}.", DeprecationWarning, stacklevel=2)
        return target
    raise AttributeError(f"module 'aleppo2016.charts' has no attribute {name!r}")
