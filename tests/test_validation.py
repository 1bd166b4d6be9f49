"""Broken copies of the data fail with an error naming the file, the record and the problem.

Each test copies the package's data folder, corrupts one file in one way a
teacher's edit could, and checks the message `check_data()` gives.
"""
from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

import aleppo2016
from aleppo2016 import DataError, check_data, data
from aleppo2016.data import DATA_DIR, TABLES
from aleppo2016.errors import DataWarning


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    return folder


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def write_rows(path: Path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def set_cell(folder: Path, table: str, column: str, value: str, row: int = 1) -> str:
    """Set one cell of data row `row` (1 = first record); return that record's id."""
    path = folder / TABLES[table].file
    rows = read_rows(path)
    rows[row][rows[0].index(column)] = value
    write_rows(path, rows)
    return rows[row][0]


def check_fails(folder: Path) -> str:
    with pytest.raises(DataError) as info:
        check_data(folder)
    return str(info.value)


def test_the_package_data_is_valid() -> None:
    counts = check_data()
    assert set(counts) == set(TABLES)
    assert all(n > 0 for n in counts.values())


def test_missing_column(data_copy: Path) -> None:
    path = data_copy / "figures.csv"
    rows = [row[:-1] for row in read_rows(path)]  # drop the last column, 'note'
    write_rows(path, rows)
    message = check_fails(data_copy)
    assert "figures.csv, line 1" in message
    assert "no column 'note'" in message


def test_empty_required_cell(data_copy: Path) -> None:
    rid = set_cell(data_copy, "events", "title", "  ")
    message = check_fails(data_copy)
    assert f"events.csv, line 2 (record {rid!r})" in message
    assert "column 'title' is empty" in message


def test_duplicate_id(data_copy: Path) -> None:
    path = data_copy / "actors.csv"
    rows = read_rows(path)
    rows.append(list(rows[1]))
    write_rows(path, rows)
    message = check_fails(data_copy)
    assert f"actors.csv, line {len(rows)} (record {rows[1][0]!r})" in message
    assert "used twice" in message


def test_dangling_reference_suggests_the_close_id(data_copy: Path) -> None:
    rid = set_cell(data_copy, "quotes", "speaker", "churkn")
    message = check_fails(data_copy)
    assert f"quotes.csv, line 2 (record {rid!r})" in message
    assert "'churkn', which is not an id in actors.csv" in message
    assert "Did you mean 'churkin'?" in message


def test_dangling_reference_in_a_list(data_copy: Path) -> None:
    rid = set_cell(data_copy, "events", "places", "aleppo;atlantis")
    message = check_fails(data_copy)
    assert f"record {rid!r}" in message and "'atlantis'" in message and "places.csv" in message


def test_bad_date(data_copy: Path) -> None:
    rid = set_cell(data_copy, "context", "date", "19/09/2016")
    message = check_fails(data_copy)
    assert f"context.csv, line 2 (record {rid!r})" in message
    assert "not a date written YYYY-MM-DD" in message


def test_impossible_date(data_copy: Path) -> None:
    set_cell(data_copy, "context", "date", "2016-02-30")
    assert "not a date" in check_fails(data_copy)


@pytest.mark.parametrize("value", ["sixty thousand", "nan", "inf", "1e999"])
def test_wrong_type_for_a_number(data_copy: Path, value: str) -> None:
    rid = set_cell(data_copy, "figures", "value", value)
    message = check_fails(data_copy)
    assert f"figures.csv, line 2 (record {rid!r})" in message
    assert "is not a number" in message


def test_value_outside_the_allowed_choices(data_copy: Path) -> None:
    set_cell(data_copy, "figures", "qualifier", "at leest")
    message = check_fails(data_copy)
    assert "'at leest', which is not allowed" in message
    assert "Did you mean 'at least'?" in message
    assert "Allowed: 'some', 'at least'" in message


def test_bad_yes_no(data_copy: Path) -> None:
    set_cell(data_copy, "places", "in_article", "maybe")
    assert "write yes or no" in check_fails(data_copy)


def test_bad_encoding(data_copy: Path) -> None:
    path = data_copy / "quotes.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252", errors="replace"))
    message = check_fails(data_copy)
    assert message.startswith("quotes.csv")
    assert "not UTF-8" in message


def test_truncated_file_open_quote(data_copy: Path) -> None:
    path = data_copy / "claims.csv"
    text = path.read_text(encoding="utf-8")
    cut = text.index('"', len(text) // 2) + 5  # stop just inside a quoted field
    path.write_text(text[:cut], encoding="utf-8")
    message = check_fails(data_copy)
    assert message.startswith("claims.csv, line")
    assert "cut short" in message


def test_truncated_file_short_row(data_copy: Path) -> None:
    path = data_copy / "events.csv"
    rows = read_rows(path)
    rows[-1] = rows[-1][:3]
    write_rows(path, rows)
    message = check_fails(data_copy)
    assert f"events.csv, line {len(rows)}" in message
    assert "has 3 fields but the header has" in message


def test_missing_file(data_copy: Path) -> None:
    (data_copy / "places.csv").unlink()
    message = check_fails(data_copy)
    assert message.startswith("places.csv") and "missing" in message


def test_empty_file(data_copy: Path) -> None:
    (data_copy / "quotes.csv").write_text("", encoding="utf-8")
    assert "the file is empty" in check_fails(data_copy)


def test_header_only(data_copy: Path) -> None:
    path = data_copy / "quotes.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    assert "no records" in check_fails(data_copy)


def test_id_with_spaces(data_copy: Path) -> None:
    set_cell(data_copy, "actors", "id", "Samantha Power")
    assert "lower case with no spaces" in check_fails(data_copy)


def test_broken_article_json(data_copy: Path) -> None:
    (data_copy / "article.json").write_text('{"title": "x",', encoding="utf-8")
    message = check_fails(data_copy)
    assert message.startswith("article.json") and "not valid JSON" in message


def test_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="is not a folder"):
        check_data(tmp_path / "nowhere")


def test_command_line_check_reports_the_problem(data_copy: Path) -> None:
    set_cell(data_copy, "figures", "value", "lots")
    bad = subprocess.run(
        [sys.executable, "-m", "aleppo2016", "check", str(data_copy)], capture_output=True, text=True
    )
    assert bad.returncode == 1
    assert "Problem found: figures.csv, line 2" in bad.stderr
    assert "Traceback" not in bad.stderr
    good = subprocess.run([sys.executable, "-m", "aleppo2016", "check"], capture_output=True, text=True)
    assert good.returncode == 0, good.stderr
    assert "are fine" in good.stdout


# --------------------------------------------------------------------------
# Nothing wrong is ever called fine (issue 15): each edit below used to pass
# the check and load as something else, hang, or end in a traceback
# --------------------------------------------------------------------------

LONG_RUN = 30  # seconds: a check that hangs on a pipe or a device fails here instead of hanging the suite


@pytest.mark.parametrize("value", ["0216-09-19", "9999-12-31", "1677-09-21", "2262-04-12", "0001-01-01"])
def test_a_date_the_module_cannot_hold_is_an_error(data_copy: Path, value: str) -> None:
    rid = set_cell(data_copy, "context", "date", value)
    message = check_fails(data_copy)
    assert f"context.csv, line 2 (record {rid!r})" in message
    assert f"'{value}', a date outside the range allowed (1700-01-01 to 2199-12-31)" in message
    with pytest.raises(DataError, match="outside the range allowed"):
        aleppo2016.load_context(data_dir=data_copy)  # the same check at load, not a different date


@pytest.mark.parametrize("value", ["1700-01-01", "2199-12-31"])
def test_the_dates_at_the_ends_of_the_range_load_exactly(data_copy: Path, value: str) -> None:
    rid = set_cell(data_copy, "context", "date", value)
    assert aleppo2016.load_context(data_dir=data_copy).loc[rid, "date"] == pd.Timestamp(value)


@pytest.mark.parametrize("value", ["2016-9-19", "20160919", "2016-W38-1", "2016-09-19T00:00"])
def test_a_date_in_another_iso_form_is_refused(data_copy: Path, value: str) -> None:
    set_cell(data_copy, "context", "date", value)
    assert "not a date written YYYY-MM-DD" in check_fails(data_copy)


def test_the_articles_publication_date_is_checked(data_copy: Path) -> None:
    path = data_copy / "article.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"2016-09-25"', '"0216-09-25"'), encoding="utf-8")
    message = check_fails(data_copy)
    assert message.startswith("article.json: 'published' has '0216-09-25', a date outside the range allowed")


@pytest.mark.parametrize("value, says", [
    ("2,5", "Did you mean 2.5?"),
    ("60.000,5", "Did you mean 60000.5?"),
    ("1.234.567", "Did you mean 1234567?"),
    ("60.000", "could be 60 or 60000"),
    ("2,50", "Did you mean 2.50?"),
    ("1e5", "is not a number written with digits"),
    ("+5", "is not a number written with digits"),
])
def test_a_number_not_written_exactly_is_refused_with_how_to_write_it(data_copy: Path, value: str, says: str) -> None:
    rid = set_cell(data_copy, "figures", "value", value)
    message = check_fails(data_copy)
    assert f"figures.csv, line 2 (record {rid!r}): column 'value' has '{value}'" in message
    assert says in message


@pytest.mark.parametrize("value, expected", [("60,000", 60000), ("2.5", 2.5), ("1,234,567.25", 1234567.25),
                                             ("-3", -3), ("0.1", 0.1), ("999,999,999,999,999", 999_999_999_999_999)])
def test_a_number_written_exactly_loads_as_written(data_copy: Path, value: str, expected: float) -> None:
    rid = set_cell(data_copy, "figures", "value", value)
    assert aleppo2016.load_figures(data_dir=data_copy).loc[rid, "value"] == expected


@pytest.mark.parametrize("value", ["10000000000000000000", "1" * 400, "0.1234567890123456"])
def test_a_number_beyond_what_the_column_holds_is_a_clear_error(data_copy: Path, value: str) -> None:
    set_cell(data_copy, "figures", "value", value)
    done = run_check(data_copy)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "has more digits than can be kept exactly; numbers here have at most 15 digits" in done.stderr


@pytest.mark.parametrize("column, value, allowed", [("latitude", "95", "-90 to 90"), ("longitude", "-180.5", "-180 to 180")])
def test_coordinates_outside_the_globe(data_copy: Path, column: str, value: str, allowed: str) -> None:
    set_cell(data_copy, "places", column, value)
    assert f"column {column!r} has '{value}', outside the range allowed ({allowed})" in check_fails(data_copy)


@pytest.mark.parametrize("delimiter, name", [(";", "semicolons (;)"), ("\t", "tabs")])
def test_another_separator_is_named(data_copy: Path, delimiter: str, name: str) -> None:
    path = data_copy / "events.csv"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(read_rows(path))
    path.write_text(buffer.getvalue(), encoding="utf-8")
    message = check_fails(data_copy)
    assert message.startswith(f"events.csv, line 1: the columns are separated by {name}, but this file needs commas")
    assert "no column" not in message


def _special(folder: Path, kind: str, file: str) -> None:
    path = folder / file
    path.unlink()
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")


@pytest.mark.parametrize("file", ["events.csv", "article.json", "questions.json"])
@pytest.mark.parametrize("kind, says", [("folder", "is a folder, not a data file"),
                                        ("fifo", "is a named pipe (FIFO), not a data file"),
                                        ("device", "is a device (a link to '/dev/zero'), not a data file")])
def test_a_special_file_is_refused_at_once(data_copy: Path, kind: str, says: str, file: str) -> None:
    _special(data_copy, kind, file)
    done = subprocess.run([sys.executable, "-m", "aleppo2016", "check", str(data_copy)],
                          capture_output=True, text=True, timeout=LONG_RUN)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"Problem found: {file}: {says}" in done.stderr


def test_a_file_too_large_is_not_read_whole(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(data, "MAX_FILE_BYTES", 1000)
    message = check_fails(data_copy)
    assert message.startswith("events.csv: is larger than 1,000 bytes")


@pytest.mark.parametrize("depth", [21, 100_000])
def test_deeply_nested_json_is_refused(data_copy: Path, depth: int) -> None:
    (data_copy / "article.json").write_text("[" * depth + "]" * depth, encoding="utf-8")
    assert check_fails(data_copy).startswith("article.json: nests lists or objects more than 20 levels deep")
    (data_copy / "article.json").write_bytes((DATA_DIR / "article.json").read_bytes())
    (data_copy / "questions.json").write_text('{"01_x": ' + "[" * depth + "]" * depth + "}", encoding="utf-8")
    done = run_check(data_copy)
    assert done.returncode == 1 and "Traceback" not in done.stderr and "RecursionError" not in done.stderr
    assert "Problem found: questions.json: nests lists or objects more than 20 levels deep" in done.stderr


@pytest.mark.parametrize("table, column", [("figures", "value"), ("events", "category"), ("events", "date"),
                                           ("quotes", "speaker"), ("places", "in_article"), ("actors", "id")])
def test_an_error_never_repeats_a_long_cell(data_copy: Path, table: str, column: str) -> None:
    set_cell(data_copy, table, column, "X" * 100_000)
    message = check_fails(data_copy)
    assert len(message) < 600, message[:2000]
    assert "'… (100,000 characters)" in message


def test_a_megabyte_cell_is_named_not_repeated(data_copy: Path) -> None:
    set_cell(data_copy, "events", "title", "x" * 1_000_000)
    message = check_fails(data_copy)
    assert "has a cell longer than 131,072 characters" in message and len(message) < 300


@pytest.mark.parametrize("value", ['=HYPERLINK("http://example.org","click")', "+1+2", "-2+3", "@SUM(A1)", "\t=1+1"])
def test_a_formula_cell_gets_a_warning(data_copy: Path, value: str) -> None:
    rid = set_cell(data_copy, "events", "title", value)
    with pytest.warns(DataWarning) as caught:
        check_data(data_copy)
    message = str(caught[0].message)
    assert message.startswith(f"events.csv, line 2 (record {rid!r}): column 'title' starts with {value.strip()[0]!r}")
    assert "may run it as a formula" in message


def test_the_check_prints_a_formula_warning_and_still_passes(data_copy: Path) -> None:
    rid = set_cell(data_copy, "events", "title", "=1+1")
    done = run_check(data_copy)
    assert done.returncode == 0, done.stderr
    assert f"Warning: events.csv, line 2 (record {rid!r}): column 'title' starts with '='" in done.stdout
    assert "look at the 1 warning above" in done.stdout and "are fine" not in done.stdout


def test_the_package_data_has_no_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        check_data()


# --------------------------------------------------------------------------
# A teacher's edited folder is loaded by a public, uncached call (issue 16),
# the same code the check runs
# --------------------------------------------------------------------------

LOADERS = {name: getattr(aleppo2016, f"load_{name}") for name in TABLES}


@pytest.mark.parametrize("name", list(TABLES))
def test_every_loader_reads_an_edited_folder_afresh(data_copy: Path, name: str) -> None:
    load = LOADERS[name]
    pd.testing.assert_frame_equal(load(data_dir=data_copy), load())
    path = data_copy / TABLES[name].file
    rows = read_rows(path)
    write_rows(path, [*rows, ["teachers_own", *rows[-1][1:]]])  # a record added: the next call must see it
    assert "teachers_own" in load(data_dir=str(data_copy)).index
    assert "teachers_own" not in load().index  # the package's own data is untouched


def test_loading_an_edited_folder_fails_as_the_check_does(data_copy: Path) -> None:
    set_cell(data_copy, "quotes", "speaker", "churkn")
    with pytest.raises(DataError) as loaded:
        aleppo2016.load_events(data_dir=data_copy)
    assert str(loaded.value) == check_fails(data_copy)


def test_article_info_and_load_tables_read_an_edited_folder(data_copy: Path) -> None:
    path = data_copy / "article.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"TIME"', '"TIME magazine"'), encoding="utf-8")
    assert aleppo2016.article_info(data_dir=data_copy)["publisher"] == "TIME magazine"
    assert aleppo2016.article_info()["publisher"] == "TIME"
    tables = data.load_tables(data_copy)
    assert set(tables) == {*TABLES, "article"} and tables["article"]["publisher"] == "TIME magazine"


def test_data_dir_is_a_keyword() -> None:
    with pytest.raises(TypeError, match="takes 0 positional arguments"):
        aleppo2016.load_events(DATA_DIR)  # type: ignore[misc]


# --------------------------------------------------------------------------
# questions.json: the same kinds of corruption (the rest are in test_quiz.py);
# and the one command a teacher runs on an edited copy before class
# --------------------------------------------------------------------------

def run_check(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "aleppo2016", "check", str(folder)], capture_output=True, text=True)


def test_questions_file_bad_encoding(data_copy: Path) -> None:
    path = data_copy / "questions.json"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252", errors="replace"))
    done = run_check(data_copy)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "Problem found: questions.json: is not UTF-8 text" in done.stderr


def test_questions_file_truncated(data_copy: Path) -> None:
    path = data_copy / "questions.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    done = run_check(data_copy)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "Problem found: questions.json, line" in done.stderr and "is not valid JSON" in done.stderr


def test_questions_file_dangling_reference_via_the_command(data_copy: Path) -> None:
    path = data_copy / "questions.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"convoy_attack"', '"convoy_atack"', 1), encoding="utf-8")
    done = run_check(data_copy)
    assert done.returncode == 1
    assert "questions.json" in done.stderr and "'convoy_atack'" in done.stderr
    assert "Did you mean 'convoy_attack'?" in done.stderr


def test_a_teachers_good_edit_passes_the_check(data_copy: Path) -> None:
    path = data_copy / "events.csv"
    rows = read_rows(path)
    extra = list(rows[1])
    extra[0] = "teachers_own_event"
    extra[rows[0].index("title")] = "An event a teacher added"
    rows.append(extra)
    write_rows(path, rows)
    done = run_check(data_copy)
    assert done.returncode == 0, done.stderr
    assert f"All data files in {data_copy} are fine" in done.stdout
    assert f"{len(rows) - 1} events" in done.stdout and "questions" in done.stdout
