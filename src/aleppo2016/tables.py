"""Reading the tables a student passes to a chart or an explorer: checks, text, dates, names.

Students edit the DataFrames that ``load_events()`` and the others return
and pass them back, so a row may lack a category, a text cell may be empty
(NaN), a date may carry a time zone. Charts (:mod:`aleppo2016.charts`) and
explorers (:mod:`aleppo2016.widgets`, :mod:`aleppo2016.views`) read every
table through these helpers: an empty cell is never shown as "nan", and a
value that cannot be drawn gets one sentence naming the column, the row and
what is allowed.
"""

import datetime as _dt
import math
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from . import data
from .errors import normalise

__all__ = [
    "NO_CATEGORY",
    "check_frame",
    "text",
    "category",
    "names",
    "category_order",
    "source_line",
    "actor_name",
    "find_name",
    "dates",
    "date_span",
    "timeline_items",
]

#: What a row with an empty category is filed under.
NO_CATEGORY = "no category"
#: The years a date may have: what pandas can hold to the nanosecond.
FIRST_YEAR, LAST_YEAR = 1678, 2261

# How long an imprecise date may stretch: "the date shows its first day".
PERIOD_DAYS = {"day": 0, "week": 7, "month": 30, "year": 365}


def check_frame(frame: object, function: str, loader: str, columns: Iterable[str]) -> pd.DataFrame:
    """The table itself, or a clear error if it is not a table with these columns."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(
            f"{function}() needs a table (a pandas DataFrame) like the one aleppo2016.{loader}() "
            f"returns; got {type(frame).__name__}."
        )
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{function}() needs a table with the column(s) {', '.join(map(repr, missing))}, "
            f"like the one aleppo2016.{loader}() returns; this table has: "
            f"{', '.join(map(str, frame.columns)) or 'no columns'}."
        )
    return frame


def _missing(value: Any) -> bool:
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def text(value: Any) -> str:
    """A cell as text: an empty cell (None, NaN, NA) is "", never "nan"."""
    return "" if _missing(value) else str(value)


def category(value: Any) -> str:
    """A row's category, or NO_CATEGORY when the cell is empty."""
    return text(value).strip() or NO_CATEGORY


def names(value: Any) -> tuple[str, ...]:
    """The ids in a cell that lists several: a tuple, or text separated by ";"."""
    if isinstance(value, str):
        return tuple(v.strip() for v in value.split(";") if v.strip())
    if isinstance(value, Iterable):
        return tuple(text(v) for v in value if text(v))
    return ()


def category_order(categories: Iterable[str], known: Iterable[str] = data.EVENT_CATEGORIES) -> list[str]:
    """The categories present, in the package's order, then any others alphabetically."""
    present = list(dict.fromkeys(categories))
    ordered = [c for c in known if c in present]
    return ordered + sorted(c for c in present if c not in ordered)


def source_line(attribution: Any) -> str:
    """Who gives a number, in the article's words, or a plain note that nobody is named."""
    return text(attribution).strip() or "no source named in the article"


def actor_name(actor_id: str, actors: pd.DataFrame | None) -> str:
    """An actor's name from the actors table, or the id itself if it is not there."""
    if actors is not None and "name" in actors.columns and actor_id in actors.index:
        return text(actors.at[actor_id, "name"]) or str(actor_id)
    return str(actor_id)


def find_name(value: str, shown: Mapping[str, str], table: str = "actors") -> str | None:
    """The id among `shown` (id -> name shown) that `value` means, or None.

    `value` may be an id, a shown name in any case and with or without
    accents, or any spelling the package's own lookup knows (an alias such
    as "Power"): the index behind ``aleppo2016.actor()`` is asked last.
    """
    if value in shown:
        return value
    key = normalise(value)
    for rid, name in shown.items():
        if key in (normalise(rid), normalise(name)):
            return rid
    # The package's lookup (data's one name index). A public name for it is
    # on its way in data.py; until then this reads the private one.
    rid = data._name_index(table).get(key)
    return rid if rid in shown else None


def dates(values: pd.Series, function: str, column: str = "date") -> pd.Series:
    """A date column as plain days (no time zone); empty cells become NaT.

    A time zone is dropped, keeping the day as written (a date in the
    article is a day, not an instant). A value that is not a date, or whose
    year is outside what the module can place, is an error naming the column and row.
    """
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        if getattr(values.dt, "tz", None) is not None:
            values = values.dt.tz_localize(None)
        return values.astype("datetime64[ns]") if values.dtype != "datetime64[ns]" else values
    out = []
    for rid, value in values.items():
        if _missing(value) or (isinstance(value, str) and not value.strip()):
            out.append(pd.NaT)
            continue
        stamp = None
        if isinstance(value, (str, _dt.date, pd.Timestamp)):
            try:
                stamp = pd.Timestamp(value)
            except (ValueError, TypeError, OverflowError):
                stamp = None
        if stamp is None or _missing(stamp) or not FIRST_YEAR <= stamp.year <= LAST_YEAR:
            raise ValueError(
                f"{function}(): column {column!r}, row {rid!r}: {value!r:.40} is not a date it can place; "
                f"write a date like '2016-09-19' (years {FIRST_YEAR}–{LAST_YEAR}), or leave the cell empty "
                "for an unknown date."
            )
        if stamp.tzinfo is not None:
            stamp = stamp.tz_localize(None)
        out.append(stamp.as_unit("ns") if hasattr(stamp, "as_unit") else stamp)
    return pd.Series(pd.to_datetime(out), index=values.index, dtype="datetime64[ns]")


def date_span(frame: pd.DataFrame, function: str = "date_span") -> tuple[pd.Series, pd.Series]:
    """Each row's first and last possible day: an imprecise date covers its whole week, month or year.

    The data gives an imprecise date as the period's first day, so a date
    known to the month covers that day and the 30 after it.
    """
    first = dates(frame["date"], function)
    precision = frame["date_precision"] if "date_precision" in frame.columns else pd.Series("day", index=frame.index)
    last = first + pd.to_timedelta(precision.map(PERIOD_DAYS).fillna(0), unit="D")
    return first, last


def timeline_items(events: pd.DataFrame, context: pd.DataFrame, function: str = "timeline_items") -> pd.DataFrame:
    """The dated rows of both tables, in date order, numbered as the timeline numbers them.

    Columns: number, id, date, end (the end of an imprecise date's period),
    title, category, date_precision, source ("article" or "context"). The
    TimelineExplorer lists events with the same numbers.
    """
    # Built row by row in plain Python: the tables are small, and this runs on every click in the explorer.
    records = []
    for frame, source in ((events, "article"), (context, "context")):
        if len(frame) == 0:
            continue
        precisions = frame["date_precision"] if "date_precision" in frame.columns else ["day"] * len(frame)
        for rid, when, title, cat, precision in zip(frame.index, dates(frame["date"], function), frame["title"],
                                                     frame["category"], precisions):
            if pd.isna(when):
                continue
            precision = text(precision)
            records.append((when, source, str(rid), text(title), category(cat), precision,
                            when + pd.Timedelta(days=PERIOD_DAYS.get(precision, 0))))
    records.sort(key=lambda r: r[:3])  # date, then the article before context, then id
    columns = ["date", "source", "id", "title", "category", "date_precision", "end"]
    items = pd.DataFrame.from_records(records, columns=columns) if records else pd.DataFrame(columns=columns)
    items.insert(0, "number", range(1, len(items) + 1))
    if records:
        items["date"] = items["date"].astype("datetime64[ns]")
        items["end"] = items["end"].astype("datetime64[ns]")
    return items[["number", "id", "date", "title", "category", "date_precision", "source", "end"]]
