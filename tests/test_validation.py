"""Broken copies of the data fail with an error naming the file, the record and the problem.

Each test copies the package's data folder, corrupts one file in one way a
teacher's edit could, and checks the message `check_data()` gives.
"""
from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aleppo2016 import DataError, check_data
from aleppo2016.data import DATA_DIR, TABLES


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
