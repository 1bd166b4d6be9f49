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
    show.citation(aleppo2016.article_info())            # the article's citation, its address a link
    show.text(info["published_reasoning"])              # a paragraph, wrapped between words

A table too wide for a 1024-pixel screen (592 px of output) is shown
stacked: one block per record, each field a row with its name as header.
Web addresses are links, underlined so they do not rely on colour alone.
"""
from __future__ import annotations

import datetime as _dt
import html
import math
import numbers
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from .errors import check_choice

__all__ = ["Table", "table", "cell_text", "link", "Text", "text", "Citation", "citation"]

EMPTY = "—"

_STYLE = (
    "border-collapse:collapse;width:auto;max-width:100%;font-size:14px;line-height:1.4;"
    "word-break:normal;overflow-wrap:normal;hyphens:none;"
)
_CELL = "text-align:left;vertical-align:top;padding:4px 8px;border-bottom:1px solid #ccc;"
#: Underlined: a link must not differ from the text around it by colour alone (WCAG 1.4.1).
_LINK = "text-decoration:underline;"
#: Output width at a 1024-pixel-wide screen in JupyterLab; a wider table is stacked.
FIT_PX = 592
#: A column of long text (over LONG_TEXT characters) needs this many px to read as lines, not a word a line.
LONG_TEXT, LONG_TEXT_PX = 60, 160.0
#: Rough width of one character of the 14 px table font, and of a cell's padding and border.
_CHAR_PX, _BOLD_CHAR_PX, _CELL_PX = 8.0, 8.8, 17.0
# Where a long identifier may break (after _) and a web address (also after / . - ? & =); never inside a word.
_BREAK_AFTER = re.compile(r"(_)")
_URL_BREAK_AFTER = re.compile(r"([_/.?&=-])")
# An address ends before the punctuation that closes its sentence or bracket.
_URL = re.compile(r"https?://\S+?(?=[.,;:!?)\]]*(?:\s|$))")


def _breakable(text: str, where: re.Pattern[str] = _BREAK_AFTER) -> str:
    """Escaped text in which identifiers (and addresses) may wrap after _ (and / . -), words never."""
    return where.sub(r"\1<wbr>", html.escape(text))


def link(url: str, shown: str | None = None) -> str:
    """An http(s) address as an underlined link (other text escaped, never a link)."""
    text = _breakable(url, _URL_BREAK_AFTER) if shown is None else html.escape(shown)
    if not url.startswith(("https://", "http://")):
        return text
    return f'<a href="{html.escape(url, quote=True)}" target="_blank" rel="noopener" style="{_LINK}">{text}</a>'


def html_text(text: str) -> str:
    """Text as HTML: escaped, web addresses as links, long identifiers breakable (a table cell, a chart in words)."""
    out, at = [], 0
    for found in _URL.finditer(text):
        out.append(_breakable(text[at:found.start()]))
        out.append(link(found.group()))
        at = found.end()
    out.append(_breakable(text[at:]))
    return "".join(out)


def _segments(text: str) -> list[str]:
    return [part for word in text.split()
            for part in (_URL_BREAK_AFTER if _URL.match(word) else _BREAK_AFTER).sub(r"\1 ", word).split()]


def _min_width(texts: Sequence[str], bold: bool = False) -> float:
    """How narrow a column can get in px: its longest unbreakable piece, plus padding."""
    longest = max((len(seg) for t in texts for seg in _segments(t)), default=0)
    return longest * (_BOLD_CHAR_PX if bold else _CHAR_PX) + _CELL_PX


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

    def __init__(self, headers: Sequence[str], rows: Sequence[Sequence[str]], caption: str = "", *, record: bool = False,
                 header_row: bool = True):
        self.headers = list(headers)
        self.rows = [list(r) for r in rows]
        self.caption = caption
        self.record = record  # two columns read as pairs: one record field by field, or a count per kind
        # A record's fields name themselves: a header row over them ("field", its id) would say nothing.
        self.header_row = header_row

    def to_text(self) -> str:
        """Plain text: one block per row, each field on its own line (nothing wraps mid-word)."""
        blocks = []
        if self.caption:
            blocks.append(self.caption)
        if self.record:
            head = [f"{self.headers[0]}: {self.headers[1]}"] if self.header_row else []
            return "\n".join(blocks + head + [f"{field}: {value}" for field, value in self.rows])
        for row in self.rows:
            first, *rest = row
            lines = [first] + [f"   {h}: {v}" for h, v in zip(self.headers[1:], rest)]
            blocks.append("\n".join(lines))
        return "\n".join(blocks) if blocks else "(no rows)"

    def __repr__(self) -> str:
        return self.to_text()

    def min_width(self) -> float:
        """The narrowest this table can be drawn side by side and still read, in px (estimated)."""
        columns = list(zip(self.headers, *self.rows)) if self.rows else [(h,) for h in self.headers]
        return sum(max(_min_width(col, bold=(n == 0)),
                       LONG_TEXT_PX if max(len(t) for t in col) > LONG_TEXT else 0.0)
                   for n, col in enumerate(columns))

    def stacked(self) -> bool:
        """True when the side-by-side table would not fit FIT_PX: then each record is its own block.

        Long text counts at LONG_TEXT_PX, so a table never squeezes to one word a line at 1024 px.
        """
        return not self.record and len(self.headers) > 2 and self.min_width() > FIT_PX

    def _repr_html_(self) -> str:
        caption = f'<caption style="text-align:left;font-weight:600;">{html.escape(self.caption)}</caption>' if self.caption else ""
        if self.stacked():
            return self._stacked_html(caption)
        head = "".join(f'<th scope="col" style="{_CELL}">{_breakable(h)}</th>' for h in self.headers)
        thead = f"<thead><tr>{head}</tr></thead>" if self.header_row else ""
        body = "".join(
            "<tr>" + "".join(
                (f'<th scope="row" style="{_CELL}font-weight:600;">{html_text(v)}</th>' if n == 0
                 else f'<td style="{_CELL}">{html_text(v)}</td>')
                for n, v in enumerate(row)
            ) + "</tr>"
            for row in self.rows
        )
        return (f'<table class="aleppo2016-table" style="{_STYLE}">{caption}'
                f"{thead}<tbody>{body}</tbody></table>")

    def _stacked_html(self, caption: str) -> str:
        """One block per record: its first cell as the block's header, then one row per field."""
        first, *fields = self.headers
        blocks = []
        for row in self.rows:
            head = (f'<tr><th colspan="2" scope="rowgroup" style="{_CELL}font-weight:700;padding-top:12px;'
                    f'border-bottom:2px solid #555;">{html.escape(first)}: {html_text(row[0])}</th></tr>')
            lines = "".join(
                f'<tr><th scope="row" style="{_CELL}font-weight:600;width:9em;">{_breakable(h)}</th>'
                f'<td style="{_CELL}">{html_text(v)}</td></tr>'
                for h, v in zip(fields, row[1:])
            )
            blocks.append(f"<tbody>{head}{lines}</tbody>")
        return (f'<table class="aleppo2016-table aleppo2016-stacked" style="{_STYLE}">{caption}'
                + "".join(blocks) + "</table>")


class Text:
    """A paragraph to show: plain text, or HTML in the notebook's own font (printed, it would be
    monospace and break words anywhere at the cell's edge); web addresses are underlined links."""

    css_class = "aleppo2016-text"

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        return f'<p class="{self.css_class}" style="line-height:1.5;margin:0.3em 0">{html_text(self.text)}</p>'


class Citation(Text):
    """A citation to show: plain text, or HTML with its web address as an underlined link."""

    css_class = "aleppo2016-citation"


def text(value: Any) -> Text:
    """A piece of text (a reasoning, an excerpt) as a paragraph that wraps between words, never inside one."""
    return Text(cell_text(value))


def citation(info: Mapping[str, Any]) -> Citation:
    """The citation of `info` (``aleppo2016.article_info()``), ready to copy, its address a link that looks like one."""
    return Citation(str(info["citation"]))


def table(data: pd.DataFrame | pd.Series | Mapping[str, Any], columns: Sequence[str] | None = None, *,
          caption: str = "", blank: str = EMPTY) -> Table:
    """A DataFrame (one row per record, its id first) or a Series (one field per row) as a readable table.

    A Series with a named index (``value_counts()``, a ``groupby``) is a
    value for each kind, headed by the index's and the Series' names
    ("kind | count"); one without (a record, ``table.loc["id"]``) shows its
    fields by name under its id, with no header row; so does a dict
    (``aleppo2016.article_info()``), without an id.

    `columns` picks and orders the columns (a wrong name gets a "did you
    mean"); `blank` is what an empty cell says (e.g. "the article itself" for
    a number with no attribution).
    """
    named = not isinstance(data, Mapping)  # a dict has no id to show
    if not named:
        data = pd.Series(dict(data), dtype=object)
    if isinstance(data, pd.Series):
        fields = list(data.index) if columns is None else [check_choice(c, list(data.index), "The field") for c in columns]
        name = cell_text(data.name, "") or "value"
        rows = [[cell_text(f), cell_text(data[f], blank)] for f in fields]
        if data.index.name is not None:  # a value for each kind (value_counts, groupby): "kind | count"
            return Table([str(data.index.name), name], rows, caption, record=True)
        # One record (a row of a table): its fields by name, under "id: ..." as a stacked table's records are.
        return Table(["field", name], rows, caption or (f"id: {name}" if named else ""), record=True, header_row=False)
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
