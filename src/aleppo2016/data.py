"""The article as structured, attributed data.

Each table lives in a CSV file under ``aleppo2016/data/`` that a teacher can
open in a spreadsheet. This module reads those files, checks them (every
problem is reported with the file, the line, the record and what is wrong),
and hands out tidy ``pandas.DataFrame`` copies indexed by readable ids.

Conventions in the CSV files:

* the first column is ``id``: short, lower case, unique (``convoy_attack``);
* a list cell holds ids separated by ``;`` (``assad_regime;russia``);
* dates are ``YYYY-MM-DD``; ``date_precision`` says how much of it is known
  (``day``, ``week``, ``month``, ``year``, or ``unknown`` with no date);
* ``excerpt`` is copied verbatim from the article, curly quotes and slips
  included, a sentence or a clause at most.
"""
from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import DataError, UnknownNameError, did_you_mean, normalise

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
            Column("latitude", "number", required=False),
            Column("longitude", "number", required=False),
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

def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(path.name, f"the file is missing (looked in {path.parent})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DataError(
            path.name,
            f"is not UTF-8 text (bad byte at position {err.start}); save it from your editor as 'CSV UTF-8'",
        ) from None


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
            f"column {col.name!r} has {value!r}, which is not allowed.{did_you_mean(value, col.choices)} Allowed: {allowed}",
            line=line, record=rid,
        )
    if col.kind == "text":
        return value
    if col.kind == "list":
        return tuple(v.strip() for v in value.split(";") if v.strip())
    if col.kind == "date":
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise DataError(
                file, f"column {col.name!r} has {value!r}, which is not a date written YYYY-MM-DD (e.g. 2016-09-19)",
                line=line, record=rid,
            ) from None
    if col.kind == "number":
        try:
            number = float(value.replace(",", ""))
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise DataError(
                file, f"column {col.name!r} has {value!r}, which is not a number (write digits, e.g. 60000)",
                line=line, record=rid,
            )
        return int(number) if number.is_integer() else number
    if col.kind == "bool":
        lowered = value.lower()
        if lowered in ("yes", "true"):
            return True
        if lowered in ("no", "false"):
            return False
        raise DataError(file, f"column {col.name!r} has {value!r}; write yes or no", line=line, record=rid)
    raise AssertionError(f"unknown column kind {col.kind}")  # a programming error, not a data error


def _read_table(name: str, data_dir: Path) -> dict[str, dict[str, Any]]:
    """Read one CSV file into {id: {column: value}}, checking each cell."""
    spec = TABLES[name]
    file = spec.file
    text = _read_text(data_dir / file)
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
        raise DataError(
            file,
            f"the header has no column {', '.join(repr(m) for m in missing)}; the columns must be: {', '.join(expected)}",
            line=1,
        )
    dupes = {h for h in header if header.count(h) > 1}
    if dupes:
        raise DataError(file, f"the header names column {sorted(dupes)[0]!r} twice", line=1)
    rows: dict[str, dict[str, Any]] = {}
    position = {h: i for i, h in enumerate(header)}
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            raise DataError(
                file,
                f"cannot be read as CSV ({err}); is a quote mark left open, or the file cut short?",
                line=reader.line_num,
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
            raise DataError(file, f"the id {rid!r} is used twice (ids must be unique)", line=line, record=rid)
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
                            f"column {col.name!r} refers to {value!r}, which is not an id in "
                            f"{TABLES[col.ref].file}.{hint}",
                            line=record["_line"], record=rid,
                        )


def _read_article(data_dir: Path) -> dict[str, Any]:
    text = _read_text(data_dir / ARTICLE_FILE)
    try:
        info = json.loads(text)
    except json.JSONDecodeError as err:
        raise DataError(ARTICLE_FILE, f"is not valid JSON ({err.msg})", line=err.lineno) from None
    if not isinstance(info, dict):
        raise DataError(ARTICLE_FILE, "must hold one JSON object of article details")
    missing = [k for k in ARTICLE_KEYS if k not in info]
    if missing:
        raise DataError(ARTICLE_FILE, f"is missing {', '.join(missing)}")
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


@lru_cache(maxsize=4)
def _load_all(data_dir: Path = DATA_DIR) -> dict[str, Any]:
    raw = {name: _read_table(name, data_dir) for name in TABLES}
    _check_references(raw)
    tables: dict[str, Any] = {name: _frame(name, rows) for name, rows in raw.items()}
    tables["article"] = _read_article(data_dir)
    return tables


def data_folder(data_dir: object) -> Path:
    """A teacher's data folder as a Path, or a clear error if it is not one."""
    if not isinstance(data_dir, (str, Path)):
        raise TypeError(f"data_dir must be a folder path (text), got {type(data_dir).__name__}.")
    if isinstance(data_dir, str) and not data_dir.strip():
        raise DataError("data_dir", "is empty; give the folder that holds the data files, e.g. 'my_data'")
    path = Path(data_dir)
    if not path.is_dir():
        raise DataError(str(path), "is not a folder of aleppo2016 data files")
    return path


def check_data(data_dir: str | Path | None = None) -> dict[str, int]:
    """Check a folder of data files (the package's own by default).

    Returns the number of records in each table, or raises DataError naming
    the file, the record and the problem. A teacher who edited a copy of the
    data runs ``python -m aleppo2016 check FOLDER`` before class.
    """
    tables = _load_all.__wrapped__(data_folder(data_dir) if data_dir is not None else DATA_DIR)
    return {name: len(tables[name]) for name in TABLES}


# --------------------------------------------------------------------------
# Public loaders: one obvious call per table, each returning a fresh copy
# --------------------------------------------------------------------------

def _table(name: str) -> pd.DataFrame:
    return _load_all()[name].copy()


def article_info() -> dict[str, Any]:
    """Title, publisher, section, URL, date, author and a ready-to-paste citation.

    ``published`` is reasoned from the text (our copy carries no dateline):
    ``published_reasoning`` says how.
    """
    info = dict(_load_all()["article"])
    published = date.fromisoformat(info["published"])
    info["citation"] = (
        f"“{info['title']}.” {info['publisher']}, {published.day} {published:%B %Y} "
        f"(date inferred from the text). {info['url']}"
    )
    return info


def load_events() -> pd.DataFrame:
    """Every event the article reports, one row each, indexed by id.

    Columns: date (datetime; NaT when the article gives no date), date_precision,
    date_text (the article's own words for when), date_reasoning (how the date
    was worked out), title, category, actors and places (tuples of ids),
    excerpt (verbatim), note.
    """
    return _table("events")


def load_figures() -> pd.DataFrame:
    """Every number in the article, indexed by id.

    Columns: value (a number), value_text (as the article writes it), unit,
    measure (what is counted), qualifier (the hedge as written: "some",
    "at least", "nearly", "estimated", "more than", or ""), attribution (who
    says so, in the article's words; "" when the article itself asserts it),
    category, event (id of the event it belongs to, or ""), excerpt, note.
    """
    return _table("figures")


def load_actors() -> pd.DataFrame:
    """Every person, organisation, government and institution the article names.

    Columns: name, kind, role (as the article gives it), affiliation (an actor
    id or ""), aliases (a tuple of other spellings), description (one neutral line).
    """
    return _table("actors")


def load_places() -> pd.DataFrame:
    """Every place the article names, and the context's places, indexed by id.

    Columns: name, kind, aliases, part_of (a place id or ""), latitude and
    longitude (approximate, NaN where no public source gives them),
    coordinate_source, in_article (False for places only the context names),
    description.
    """
    return _table("places")


def load_quotes() -> pd.DataFrame:
    """Every direct quotation in the article.

    Columns: speaker (an actor id, "" when the article names nobody), role,
    text (the words inside the quotation marks, verbatim), medium (how the
    reporter got them), date, date_text, context (one line), excerpt, note.
    """
    return _table("quotes")


def load_claims() -> pd.DataFrame:
    """Claims, accusations and denials, indexed by id.

    Columns: claimant (an actor id), claim, target (a tuple of actor ids), kind,
    responds_to (another claim id or ""), evidence (what the article offers in
    support, or "" when it offers nothing), date, excerpt, note.
    """
    return _table("claims")


def load_context() -> pd.DataFrame:
    """Events outside the article that help to place it, each with a named source.

    Columns: date, date_precision, title, description, category, source,
    source_url, related (tuple of event ids). There is no excerpt: these facts
    are not from the article.
    """
    return _table("context")


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
