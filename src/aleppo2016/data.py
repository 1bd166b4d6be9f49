"""The article as structured, attributed data.

Each table lives in a CSV file under ``aleppo2016/data/`` that a teacher can
open in a spreadsheet. This module reads those files, checks them (every
problem is reported with the file, the line, the record and what is wrong),
and hands out tidy ``pandas.DataFrame`` copies indexed by readable ids.

Conventions in the CSV files:

* the first column is ``id``: short, lower case, unique (``convoy_attack``);
* a list cell holds ids separated by ``;`` (``assad_regime;russia``);
* dates are ``YYYY-MM-DD`` between 1700 and 2199 (:data:`DATE_RANGE`);
  ``date_precision`` says how much of it is known (``day``, ``week``,
  ``month``, ``year``, or ``unknown`` with no date);
* numbers are digits with ``.`` before decimals (``2.5``), commas only
  between thousands (``60,000``), at most 15 digits: read exactly as written;
* a text cell does not start with ``=``, ``+``, ``-`` or ``@`` (a spreadsheet
  would run it as a formula; the check warns).

``load_events(data_dir=...)`` and the other loaders read a teacher's edited
copy afresh, by the same code ``python -m aleppo2016 check`` runs.
* ``excerpt`` is copied verbatim from the article, curly quotes and slips
  included, a sentence or a clause at most.
"""
from __future__ import annotations

import csv
import io
import json
import math
import os
import re
import stat
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import DataError, DataWarning, UnknownNameError, did_you_mean, normalise, quoted

__all__ = [
    "TABLES",
    "article_info",
    "load_events",
    "load_figures",
    "load_actors",
    "load_places",
    "load_quotes",
    "load_claims",
    "load_context",
    "actor",
    "place",
    "event",
    "figure",
    "check_data",
    "load_tables",
    "data_folder",
    "read_text",
    "parse_json",
    "parse_date",
    "parse_number",
    "DATE_RANGE",
]


#: Where the package's own data files are.
DATA_DIR = Path(str(resources.files(__package__).joinpath("data")))


@dataclass(frozen=True)
class Column:
    """One column of a data file and the rule its cells must follow."""

    name: str
    kind: str = "text"  # text | list | date | number | bool
    required: bool = True  # False: the cell may be empty
    choices: tuple[str, ...] = ()
    ref: str | None = None  # table whose ids this column's values must be
    limits: tuple[float, float] | None = None  # a number's smallest and largest allowed value


@dataclass(frozen=True)
class Table:
    file: str
    columns: tuple[Column, ...]
    description: str


PRECISIONS = ("day", "week", "month", "year", "unknown")
#: How an event's date was found: the excerpt's own words give it ("stated"), or count from another
#: date ("relative"), or the excerpt has no time words and the date is inferred from elsewhere
#: ("inferred", and date_reasoning says how), or there is no date ("none").
DATE_BASES = ("stated", "relative", "inferred", "none")
EVENT_CATEGORIES = ("military", "humanitarian", "diplomatic", "recognition", "media", "political")
FIGURE_CATEGORIES = (
    "casualties", "population", "rescue", "civil_defense", "aid", "infrastructure", "military", "time",
)
QUALIFIERS = ("", "some", "at least", "nearly", "estimated", "more than")
ACTOR_KINDS = ("person", "organisation", "government", "armed forces", "armed group", "institution", "media", "group")
PLACE_KINDS = ("country", "city", "city district", "neighbourhood", "rural area", "town")
CLAIM_KINDS = ("accusation", "denial", "counter-accusation", "assessment", "report", "agreement", "corroboration")

TABLES: dict[str, Table] = {
    "events": Table(
        "events.csv",
        (
            Column("date", "date", required=False),
            Column("date_precision", choices=PRECISIONS),
            Column("date_text"),
            Column("date_reasoning"),
            Column("date_basis", choices=DATE_BASES),
            Column("title"),
            Column("category", choices=EVENT_CATEGORIES),
            Column("actors", "list", required=False, ref="actors"),
            Column("places", "list", required=False, ref="places"),
            Column("excerpt"),
            Column("note", required=False),
        ),
        "Every event the article reports, with its date worked out.",
    ),
    "figures": Table(
        "figures.csv",
        (
            Column("value", "number"),
            Column("value_text"),
            Column("unit"),
            Column("measure"),
            Column("qualifier", required=False, choices=QUALIFIERS),
            Column("attribution", required=False),
            Column("category", choices=FIGURE_CATEGORIES),
            Column("event", required=False, ref="events"),
            Column("excerpt"),
            Column("note", required=False),
        ),
        "Every number in the article, with its hedge and who gives it.",
    ),
    "actors": Table(
        "actors.csv",
        (
            Column("name"),
            Column("kind", choices=ACTOR_KINDS),
            Column("role", required=False),
            Column("affiliation", required=False, ref="actors"),
            Column("aliases", "list", required=False),
            Column("description"),
        ),
        "Every person, organisation, government and institution named.",
    ),
    "places": Table(
        "places.csv",
        (
            Column("name"),
            Column("kind", choices=PLACE_KINDS),
            Column("aliases", "list", required=False),
            Column("part_of", required=False, ref="places"),
            Column("latitude", "number", required=False, limits=(-90, 90)),
            Column("longitude", "number", required=False, limits=(-180, 180)),
            Column("coordinate_source", required=False),
            Column("in_article", "bool"),
            Column("description"),
        ),
        "Every place named, with approximate coordinates where a public source gives them.",
    ),
    "quotes": Table(
        "quotes.csv",
        (
            Column("speaker", required=False, ref="actors"),
            Column("role"),
            Column("text"),
            Column("medium"),
            Column("date", "date", required=False),
            Column("date_text", required=False),
            Column("context"),
            Column("excerpt"),
            Column("note", required=False),
        ),
        "Every direct quotation, with who said it and how the reporter got it.",
    ),
    "claims": Table(
        "claims.csv",
        (
            Column("claimant", ref="actors"),
            Column("claim"),
            Column("target", "list", required=False, ref="actors"),
            Column("kind", choices=CLAIM_KINDS),
            Column("responds_to", required=False, ref="claims"),
            Column("contradicts", "list", required=False, ref="claims"),
            Column("evidence", required=False),
            Column("date", "date", required=False),
            Column("excerpt"),
            Column("note", required=False),
        ),
        "Claims, accusations and denials, with the evidence the article gives.",
    ),
    "context": Table(
        "context.csv",
        (
            Column("date", "date"),
            Column("date_precision", choices=PRECISIONS),
            Column("title"),
            Column("description"),
            Column("category", choices=EVENT_CATEGORIES),
            Column("source"),
            Column("source_url"),  # page-level URLs, several separated by " ; "
            Column("source_date"),  # the source's date, YYYY-MM-DD (or YYYY-MM)
            Column("related", "list", required=False, ref="events"),
        ),
        "Events outside the article, each with a named public source (no excerpts).",
    ),
}

ARTICLE_FILE = "article.json"
ARTICLE_KEYS = (
    "title", "publisher", "section", "url", "published", "published_reasoning",
    "reading_minutes", "author", "licence_note",
)


# --------------------------------------------------------------------------
# Reading and checking
# --------------------------------------------------------------------------

#: The dates a data file may hold. pandas keeps dates to the nanosecond, which
#: reaches only from 1677 to 2262; a year typed with one key wrong (0216, 9999)
#: would overflow into a different date, and an imprecise date's period (a
#: year at most) is added on top, so the range keeps well inside.
DATE_RANGE = (date(1700, 1, 1), date(2199, 12, 31))
#: Digits a number may have and still be kept exactly (a float holds 15).
NUMBER_DIGITS = 15
#: The largest data file read: the package's largest is under 100 kB, so this
#: only stops a wrong path (a disk image, a log) from filling the memory.
MAX_FILE_BYTES = 16 * 1024 * 1024
#: How deeply a JSON data file may nest: the package's files nest six levels
#: at most; a file nested thousands deep would exhaust Python's stack.
MAX_JSON_DEPTH = 20
#: First characters that make a spreadsheet run a cell as a formula
#: (``=HYPERLINK(…)``, ``+``, ``-``, ``@``; tab and carriage return hide one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_DATE_FORM = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER_FORM = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_EUROPEAN_FORM = re.compile(r"-?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?")
_THOUSANDS_DOT = re.compile(r"-?\d{1,3}\.000")  # 60.000: sixty, or sixty thousand in many languages?
_SEPARATORS = {";": "semicolons (;)", "\t": "tabs", "|": "vertical bars (|)"}
_FILE_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a disk device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_a_file(path: Path, mode: int) -> DataError:
    kind = next((what for test, what in _FILE_KINDS if test(mode)), "not an ordinary file")
    link = f" (a link to {quoted(os.readlink(path))})" if path.is_symlink() else ""
    return DataError(
        path.name,
        f"is {kind}{link}, not a data file: the data folder must hold an ordinary file called {path.name!r} "
        "(a copy of the package's own, saved as CSV UTF-8 or JSON)",
    )


def read_text(path: str | Path) -> str:
    """A data file's text, or a DataError that says what is wrong with the file.

    The file type is checked before reading, so a folder, a named pipe or a
    device (a link to /dev/zero) is refused at once instead of hanging, and
    at most :data:`MAX_FILE_BYTES` are read. A byte-order mark is dropped.
    """
    path = Path(path)
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise _not_a_file(path, os.stat(path).st_mode)
        # O_NONBLOCK: a file swapped for a pipe after the check still cannot make us wait.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except (FileNotFoundError, NotADirectoryError):
        raise DataError(path.name, f"the file is missing (looked in {path.parent})") from None
    except OSError as err:
        raise DataError(path.name, f"cannot be opened ({err.strerror}); check the file's permissions") from None
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise _not_a_file(path, mode)
        raw = handle.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise DataError(
            path.name,
            f"is larger than {MAX_FILE_BYTES:,} bytes; a data file of this module is a few kB, so this is "
            "probably not the right file",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DataError(
            path.name,
            f"is not UTF-8 text (bad byte at position {err.start}); save it from your editor as 'CSV UTF-8'",
        ) from None


_read_text = read_text  # the name other modules used before it was public


def _depth(value: Any) -> int:
    """How deeply a parsed JSON value nests (without recursion, so any depth is safe)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            stack.extend((v, level + 1) for v in (item.values() if isinstance(item, dict) else item))
    return deepest


def parse_json(text: str, file: str) -> Any:
    """Parse a JSON data file's text, or raise a DataError naming the line and the problem.

    A file nested deeper than :data:`MAX_JSON_DEPTH` levels is refused with a
    clear message rather than a RecursionError.
    """
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        raise DataError(file, f"is not valid JSON ({err.msg}, column {err.colno})", line=err.lineno) from None
    except RecursionError:
        value = None
        deep = True
    else:
        deep = _depth(value) > MAX_JSON_DEPTH
    if deep:
        raise DataError(
            file,
            f"nests lists or objects more than {MAX_JSON_DEPTH} levels deep (the module's own files nest six "
            "at most); is a bracket [ or { repeated by mistake?",
        )
    return value


def parse_date(text: str) -> date:
    """A date written YYYY-MM-DD inside :data:`DATE_RANGE`, or a ValueError saying what to write."""
    text = text.strip()
    if not _DATE_FORM.fullmatch(text):
        raise ValueError(f"{quoted(text)}, which is not a date written YYYY-MM-DD (e.g. 2016-09-19)")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"{quoted(text)}, which is not a date written YYYY-MM-DD (e.g. 2016-09-19): "
            "that day does not exist in the calendar"
        ) from None
    low, high = DATE_RANGE
    if not low <= day <= high:
        raise ValueError(
            f"{quoted(text)}, a date outside the range allowed ({low.isoformat()} to {high.isoformat()}); "
            f"is the year {text[:4]} a typing slip?"
        )
    return day


def parse_number(text: str) -> int | float:
    """A number read exactly as written, or a ValueError saying how to write it.

    Digits with an optional '-' and a '.' before decimals; commas only
    between groups of three (60,000). "2,5" or "60.000,5" (a spreadsheet
    set to a European language) is refused, not read as 25 or 60.0005.
    """
    text = text.strip()
    if not _NUMBER_FORM.fullmatch(text):
        if _EUROPEAN_FORM.fullmatch(text) and ("," in text or text.count(".") > 1):
            meant = text.replace(".", "").replace(",", ".")
            raise ValueError(
                f"{quoted(text)}, which cannot be read exactly as a number here: write '.' before decimals "
                f"and no other separator (commas only between groups of three, as in 60,000). "
                f"Did you mean {meant}? A spreadsheet set to a European language writes '2,5' for 2.5"
            )
        raise ValueError(
            f"{quoted(text)}, which is not a number written with digits (e.g. 60000, 60,000 or 2.5)"
        )
    if _THOUSANDS_DOT.fullmatch(text):
        whole = text.partition(".")[0]
        raise ValueError(
            f"{quoted(text)}, which could be {whole} or {whole}000 ('.' separates thousands in many languages); "
            f"write {whole} or {whole}000 (or {whole},000)"
        )
    plain = text.replace(",", "")
    whole, _, decimals = plain.lstrip("-").partition(".")
    whole = whole.lstrip("0")
    if len(whole) > NUMBER_DIGITS or len((whole + decimals).strip("0")) > NUMBER_DIGITS:
        raise ValueError(
            f"{quoted(text)}, which has more digits than can be kept exactly; numbers here have at most "
            f"{NUMBER_DIGITS} digits (up to {10**NUMBER_DIGITS - 1:,})"
        )
    number = float(plain)
    return int(plain.partition(".")[0]) if number.is_integer() else number


def _convert(value: str, col: Column, file: str, line: int, rid: str) -> Any:
    """Turn one cell's text into its typed value, or raise a DataError."""
    value = value.strip()
    if not value:
        if col.required:
            raise DataError(file, f"column {col.name!r} is empty but must be filled in", line=line, record=rid)
        return () if col.kind == "list" else None
    if col.choices and value not in col.choices:
        allowed = ", ".join(repr(c) for c in col.choices if c)
        raise DataError(
            file,
            f"column {col.name!r} has {quoted(value)}, which is not allowed.{did_you_mean(value, col.choices)} "
            f"Allowed: {allowed}",
            line=line, record=rid,
        )
    if col.kind == "text":
        _warn_formula(value, col.name, file, line, rid)
        return value
    if col.kind == "list":
        return tuple(v.strip() for v in value.split(";") if v.strip())
    if col.kind in ("date", "number"):
        try:
            result = parse_date(value) if col.kind == "date" else parse_number(value)
        except ValueError as err:
            raise DataError(file, f"column {col.name!r} has {err}", line=line, record=rid) from None
        if col.limits and not col.limits[0] <= result <= col.limits[1]:
            low, high = col.limits
            raise DataError(
                file, f"column {col.name!r} has {quoted(value)}, outside the range allowed ({low:g} to {high:g})",
                line=line, record=rid,
            )
        return result
    if col.kind == "bool":
        lowered = value.lower()
        if lowered in ("yes", "true"):
            return True
        if lowered in ("no", "false"):
            return False
        raise DataError(file, f"column {col.name!r} has {quoted(value)}; write yes or no", line=line, record=rid)
    raise AssertionError(f"unknown column kind {col.kind}")  # a programming error, not a data error


def _warn_formula(value: str, column: str, file: str, line: int, rid: str) -> None:
    """Warn about a cell a spreadsheet would run as a formula when the file is opened there."""
    if value.startswith(FORMULA_STARTS):
        warnings.warn(
            DataWarning(
                file,
                f"column {column!r} starts with {value[0]!r} ({quoted(value, 40)}), so a spreadsheet that opens "
                "this file may run it as a formula. Begin the text with a letter, a digit or a quotation mark",
                line=line, record=rid,
            ),
            stacklevel=2,
        )


def _separator_problem(header_line: str, expected: list[str]) -> str | None:
    """If the header is split by another separator (Excel in many languages saves ';'), say so."""
    for sep, name in _SEPARATORS.items():
        names = [h.strip().strip('"') for h in header_line.split(sep)]
        if sep in header_line and len(set(names) & set(expected)) >= 2:
            return (
                f"the columns are separated by {name}, but this file needs commas. Save it again as "
                "'CSV UTF-8 (Comma delimited)' (in LibreOffice: tick 'Edit filter settings' and choose ',' "
                "as the field delimiter)"
            )
    return None


def _read_table(name: str, data_dir: Path) -> dict[str, dict[str, Any]]:
    """Read one CSV file into {id: {column: value}}, checking each cell."""
    spec = TABLES[name]
    file = spec.file
    text = read_text(data_dir / file)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise DataError(file, "the file is empty (it should start with a header line of column names)") from None
    except csv.Error as err:
        raise DataError(file, f"the header line cannot be read as CSV ({err})", line=1) from None
    expected = ["id"] + [c.name for c in spec.columns]
    missing = [c for c in expected if c not in header]
    if missing:
        problem = _separator_problem(text.split("\n", 1)[0], expected) if len(header) < len(expected) else None
        raise DataError(
            file,
            problem or f"the header has no column {', '.join(repr(m) for m in missing)}; "
            f"the columns must be: {', '.join(expected)}",
            line=1,
        )
    dupes = {h for h in header if header.count(h) > 1}
    if dupes:
        raise DataError(file, f"the header names column {quoted(sorted(dupes)[0])} twice", line=1)
    rows: dict[str, dict[str, Any]] = {}
    position = {h: i for i, h in enumerate(header)}
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            problem = (
                f"has a cell longer than {csv.field_size_limit():,} characters" if "field limit" in str(err)
                else f"cannot be read as CSV ({err})"
            )
            raise DataError(
                file, f"{problem}; is a quote mark left open, or the file cut short?", line=reader.line_num,
            ) from None
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue  # blank line
        rid = cells[0].strip()
        if len(cells) != len(header):
            raise DataError(
                file,
                f"has {len(cells)} fields but the header has {len(header)}; a comma may be missing or "
                "extra (put text with commas in double quotes), or the file was cut short",
                line=line, record=rid or None,
            )
        if not rid:
            raise DataError(file, "the 'id' column is empty", line=line)
        if rid != rid.lower() or any(ch.isspace() for ch in rid):
            raise DataError(file, "an id must be lower case with no spaces (use _ between words)", line=line, record=rid)
        if rid in rows:
            raise DataError(file, f"the id {quoted(rid)} is used twice (ids must be unique)", line=line, record=rid)
        _warn_formula(rid, "id", file, line, rid)
        record = {"_line": line}
        for col in spec.columns:
            record[col.name] = _convert(cells[position[col.name]], col, file, line, rid)
        rows[rid] = record
    if not rows:
        raise DataError(file, "has a header but no records")
    return rows


def _check_references(raw: Mapping[str, dict[str, dict[str, Any]]]) -> None:
    """Every id a record points to must exist in the table it names."""
    for name, spec in TABLES.items():
        for col in spec.columns:
            if not col.ref:
                continue
            known = raw[col.ref]
            for rid, record in raw[name].items():
                values = record[col.name]
                values = values if isinstance(values, tuple) else (values,) if values else ()
                for value in values:
                    if value not in known:
                        hint = did_you_mean(value, known)
                        raise DataError(
                            spec.file,
                            f"column {col.name!r} refers to {quoted(value)}, which is not an id in "
                            f"{TABLES[col.ref].file}.{hint}",
                            line=record["_line"], record=rid,
                        )


def _read_article(data_dir: Path) -> dict[str, Any]:
    info = parse_json(read_text(data_dir / ARTICLE_FILE), ARTICLE_FILE)
    if not isinstance(info, dict):
        raise DataError(ARTICLE_FILE, "must hold one JSON object of article details")
    missing = [k for k in ARTICLE_KEYS if k not in info]
    if missing:
        raise DataError(ARTICLE_FILE, f"is missing {', '.join(missing)}")
    try:
        parse_date(info["published"] if isinstance(info["published"], str) else repr(info["published"]))
    except ValueError as err:
        raise DataError(ARTICLE_FILE, f"'published' has {err}") from None
    return info


def _frame(name: str, rows: Mapping[str, dict[str, Any]]) -> pd.DataFrame:
    """Build the table's DataFrame in one go, each column already in its final type."""
    columns: dict[str, Any] = {}
    for col in TABLES[name].columns:
        values = [r[col.name] for r in rows.values()]
        if col.kind == "date":
            columns[col.name] = np.array(
                [np.datetime64(v, "ns") if v else np.datetime64("NaT", "ns") for v in values]
            )
        elif col.kind == "number":
            has_gaps = any(v is None for v in values)
            columns[col.name] = np.array(
                [math.nan if v is None else v for v in values],
                dtype=float if has_gaps or any(isinstance(v, float) for v in values) else np.int64,
            )
        elif col.kind == "bool":
            columns[col.name] = np.array(values, dtype=bool)
        elif col.kind == "list":
            columns[col.name] = pd.Series(values, dtype=object).to_numpy()
        else:
            columns[col.name] = ["" if v is None else v for v in values]
    return pd.DataFrame(columns, index=pd.Index(list(rows), name="id"))


def _read_folder(data_dir: Path) -> dict[str, Any]:
    """Read and check every file of a data folder, afresh (the one path both loading and checking take)."""
    raw = {name: _read_table(name, data_dir) for name in TABLES}
    _check_references(raw)
    tables: dict[str, Any] = {name: _frame(name, rows) for name, rows in raw.items()}
    tables["article"] = _read_article(data_dir)
    return tables


@lru_cache(maxsize=4)
def _load_all(data_dir: Path = DATA_DIR) -> dict[str, Any]:
    """The package's own data, read once per session (its files do not change)."""
    return _read_folder(data_dir)


def data_folder(data_dir: object) -> Path:
    """A teacher's data folder as a Path, or a clear error if it is not one."""
    if not isinstance(data_dir, (str, os.PathLike)):
        raise TypeError(f"data_dir must be a folder path (text), got {type(data_dir).__name__}.")
    if isinstance(data_dir, str) and not data_dir.strip():
        raise DataError("data_dir", "is empty; give the folder that holds the data files, e.g. 'my_data'")
    path = Path(data_dir)
    if not path.is_dir():
        raise DataError(str(path), "is not a folder of aleppo2016 data files")
    return path


def load_tables(data_dir: str | Path | None = None) -> dict[str, Any]:
    """Every table of a data folder, checked together, as ``{name: DataFrame, "article": dict}``.

    Without `data_dir` this is the package's own data (read once, then
    copied). With it, a teacher's edited copy is read afresh on every call,
    by the same code that ``python -m aleppo2016 check FOLDER`` runs, so
    what loads is what was checked. Tables refer to each other, so a folder
    is always read whole.
    """
    if data_dir is None:
        tables = _load_all()
        return {name: value.copy() for name, value in tables.items()}
    return _read_folder(data_folder(data_dir))


def check_data(data_dir: str | Path | None = None) -> dict[str, int]:
    """Check a folder of data files (the package's own by default).

    Returns the number of records in each table, or raises DataError naming
    the file, the record and the problem; a cell that loads but deserves a
    look (one a spreadsheet would run as a formula) gives a DataWarning.
    A teacher who edited a copy of the data runs ``python -m aleppo2016
    check FOLDER`` before class.
    """
    tables = _read_folder(data_folder(data_dir) if data_dir is not None else DATA_DIR)
    return {name: len(tables[name]) for name in TABLES}


# --------------------------------------------------------------------------
# Public loaders: one obvious call per table, each returning a fresh copy
# --------------------------------------------------------------------------

def _table(name: str, data_dir: str | Path | None) -> pd.DataFrame:
    if data_dir is None:
        return _load_all()[name].copy()
    return _read_folder(data_folder(data_dir))[name]


def article_info(*, data_dir: str | Path | None = None) -> dict[str, Any]:
    """Title, publisher, section, URL, date, author and a ready-to-paste citation.

    ``published`` is reasoned from the text (our copy carries no dateline):
    ``published_reasoning`` says how. `data_dir` reads an edited copy of the
    data folder, as every loader does.
    """
    info = dict(_load_all()["article"] if data_dir is None else _read_folder(data_folder(data_dir))["article"])
    published = date.fromisoformat(info["published"])
    info["citation"] = (
        f"“{info['title']}.” {info['publisher']}, {published.day} {published:%B %Y} "
        f"(date inferred from the text). {info['url']}"
    )
    return info


def load_events(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Every event the article reports, one row each, indexed by id.

    Columns: date (datetime; NaT when the article gives no date), date_precision,
    date_text (the article's own words for when), date_reasoning (how the date
    was worked out), title, category, actors and places (tuples of ids),
    excerpt (verbatim), note.

    Every loader takes ``data_dir=``: a teacher's edited copy of the data
    folder, read afresh and checked as ``python -m aleppo2016 check`` does.
    """
    return _table("events", data_dir)


def load_figures(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Every number in the article, indexed by id.

    Columns: value (a number), value_text (as the article writes it), unit,
    measure (what is counted), qualifier (the hedge as written: "some",
    "at least", "nearly", "estimated", "more than", or ""), attribution (who
    says so, in the article's words; "" when the article itself asserts it),
    category, event (id of the event it belongs to, or ""), excerpt, note.
    """
    return _table("figures", data_dir)


def load_actors(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Every person, organisation, government and institution the article names.

    Columns: name, kind, role (as the article gives it), affiliation (an actor
    id or ""), aliases (a tuple of other spellings), description (one neutral line).
    """
    return _table("actors", data_dir)


def load_places(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Every place the article names, and the context's places, indexed by id.

    Columns: name, kind, aliases, part_of (a place id or ""), latitude and
    longitude (approximate, NaN where no public source gives them),
    coordinate_source, in_article (False for places only the context names),
    description.
    """
    return _table("places", data_dir)


def load_quotes(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Every direct quotation in the article.

    Columns: speaker (an actor id, "" when the article names nobody), role,
    text (the words inside the quotation marks, verbatim), medium (how the
    reporter got them), date, date_text, context (one line), excerpt, note.
    """
    return _table("quotes", data_dir)


def load_claims(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Claims, accusations and denials, indexed by id.

    Columns: claimant (an actor id), claim, target (a tuple of actor ids), kind,
    responds_to (another claim id or ""), evidence (what the article offers in
    support, or "" when it offers nothing), date, excerpt, note.
    """
    return _table("claims", data_dir)


def load_context(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Events outside the article that help to place it, each with a named source.

    Columns: date, date_precision, title, description, category, source,
    source_url, related (tuple of event ids). There is no excerpt: these facts
    are not from the article.
    """
    return _table("context", data_dir)


# --------------------------------------------------------------------------
# Lookups by name: any case, with or without accents, ids and aliases
# --------------------------------------------------------------------------

@lru_cache(maxsize=8)
def _name_index(name: str) -> dict[str, str]:
    frame = _load_all()[name]
    index: dict[str, str] = {}
    for rid, row in frame.iterrows():
        keys = [rid, row.get("name", ""), row.get("title", ""), *row.get("aliases", ())]
        for key in keys:
            if isinstance(key, str) and key:
                index.setdefault(normalise(key), rid)
    return index


def _lookup(table: str, what: str, name: object) -> pd.Series:
    if not isinstance(name, str):
        raise TypeError(
            f"{what}() takes a name or id as text, for example {what}({_example(table)!r}); "
            f"got {type(name).__name__}."
        )
    index = _name_index(table)
    rid = index.get(normalise(name))
    if rid is None:
        frame = _load_all()[table]
        labels = list(frame.get("name", frame.get("title", frame.index)))
        hint = did_you_mean(name, labels + list(frame.index)) if name.strip() else ""
        raise UnknownNameError(
            f"No {what} called {name!r:.60}.{hint} "
            f"See all {len(frame)} with aleppo2016.load_{table}()."
        )
    return _load_all()[table].loc[rid].copy()


def _example(table: str) -> str:
    return {"actors": "churkin", "places": "al-Sukari", "events": "convoy_attack", "figures": "under_siege"}.get(table, "")


def actor(name: str) -> pd.Series:
    """One actor by id, name or alias: ``actor("churkin")``, ``actor("White Helmets")``."""
    return _lookup("actors", "actor", name)


def place(name: str) -> pd.Series:
    """One place by id, name or alias: ``place("as-Sukkari")``."""
    return _lookup("places", "place", name)


def event(name: str) -> pd.Series:
    """One event by id or title: ``event("convoy_attack")``."""
    return _lookup("events", "event", name)


def figure(name: str) -> pd.Series:
    """One figure by id: ``figure("under_siege")``."""
    return _lookup("figures", "figure", name)
