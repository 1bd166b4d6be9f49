"""Show a table the way a good textbook prints one (issue 12, "Tables").

``show.table(df, columns=[...])`` turns a DataFrame, or one row (a Series),
into a table a student can read at a school laptop's width: words are never
broken in the middle, a list such as ``("russia",)`` reads "russia", an empty
cell reads "—", a date reads "19 September 2016" and a big number "60,000".
In JupyterLab it is an HTML table (every cell escaped: data text is never
markup); elsewhere (nbconvert, nbval, a terminal) it is plain text with one
block per row, so nothing wraps mid-word either.

    from aleppo2016 import show
    show.table(figures, columns=["value_text", "measure", "attribution"])
    show.table(aleppo2016.actor("Ammar al-Salmo"))      # one record, field by field
"""
from __future__ import annotations

import datetime as _dt
import html
import math
import numbers
from collections.abc import Sequence
from typing import Any

import pandas as pd

from .errors import check_choice

__all__ = ["Table", "table", "cell_text"]

EMPTY = "—"

_STYLE = (
    "border-collapse:collapse;width:auto;max-width:100%;font-size:14px;line-height:1.4;"
    "word-break:normal;overflow-wrap:normal;hyphens:none;"
)
_CELL = "text-align:left;vertical-align:top;padding:4px 10px;border-bottom:1px solid #ccc;"


def cell_text(value: Any, blank: str = EMPTY) -> str:
    """One cell as a reader wants it: no Python syntax, dates and numbers written out."""
    if value is None:
        return blank
    if isinstance(value, (list, tuple, set, frozenset)):
        parts = [cell_text(v, "") for v in value]
        parts = [p for p in parts if p]
        return ", ".join(parts) if parts else blank
    if isinstance(value, (pd.Timestamp, _dt.datetime, _dt.date)):
        if pd.isna(value):
            return blank
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, numbers.Integral):
        return f"{int(value):,}"
    if isinstance(value, numbers.Real):
        if math.isnan(value):
            return blank
        return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"
    try:
        if pd.isna(value):
            return blank
    except (TypeError, ValueError):
        pass
    text = " ".join(str(value).split())
    return text if text else blank


class Table:
    """A table ready to show: headers and rows of text (``.headers``, ``.rows``, ``.caption``)."""

    def __init__(self, headers: Sequence[str], rows: Sequence[Sequence[str]], caption: str = "", *, record: bool = False):
        self.headers = list(headers)
        self.rows = [list(r) for r in rows]
        self.caption = caption
        self.record = record  # one record shown field by field

    def to_text(self) -> str:
        """Plain text: one block per row, each field on its own line (nothing wraps mid-word)."""
        blocks = []
        if self.caption:
            blocks.append(self.caption)
        if self.record:
            return "\n".join(blocks + [f"{field}: {value}" for field, value in self.rows])
        for row in self.rows:
            first, *rest = row
            lines = [first] + [f"   {h}: {v}" for h, v in zip(self.headers[1:], rest)]
            blocks.append("\n".join(lines))
        return "\n".join(blocks) if blocks else "(no rows)"

    def __repr__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        head = "".join(f'<th scope="col" style="{_CELL}">{html.escape(h)}</th>' for h in self.headers)
        body = "".join(
            "<tr>" + "".join(
                (f'<th scope="row" style="{_CELL}font-weight:600;">{html.escape(v)}</th>' if n == 0
                 else f'<td style="{_CELL}">{html.escape(v)}</td>')
                for n, v in enumerate(row)
            ) + "</tr>"
            for row in self.rows
        )
        caption = f'<caption style="text-align:left;font-weight:600;">{html.escape(self.caption)}</caption>' if self.caption else ""
        return (f'<table class="aleppo2016-table" style="{_STYLE}">{caption}'
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def table(data: pd.DataFrame | pd.Series, columns: Sequence[str] | None = None, *,
          caption: str = "", blank: str = EMPTY) -> Table:
    """A DataFrame (one row per record, its id first) or a Series (one field per row) as a readable table.

    `columns` picks and orders the columns (a wrong name gets a "did you
    mean"); `blank` is what an empty cell says (e.g. "the article itself" for
    a number with no attribution).
    """
    if isinstance(data, pd.Series):
        fields = list(data.index) if columns is None else [check_choice(c, list(data.index), "The field") for c in columns]
        name = cell_text(data.name, "") or "value"
        return Table(["field", name], [[str(f), cell_text(data[f], blank)] for f in fields], caption or name, record=True)
    if not isinstance(data, pd.DataFrame):
        raise TypeError(f"show.table() needs a table (a pandas DataFrame) or one record (a Series); got {type(data).__name__}.")
    names = list(data.columns) if columns is None else [check_choice(c, list(data.columns), "The column") for c in columns]
    index_name = data.index.name or "id"
    plain_index = isinstance(data.index, pd.RangeIndex)
    headers = ([] if plain_index else [str(index_name)]) + [str(c) for c in names]
    rows = []
    for label, record in data.iterrows():
        cells = [cell_text(record[c], blank) for c in names]
        rows.append(cells if plain_index else [cell_text(label), *cells])
    return Table(headers, rows, caption)
