"""The class report: numbers from a known folder of a dozen hand-in files (some broken), escaping, CSV safety."""
from __future__ import annotations

import csv
import html.parser
import subprocess
import sys
from pathlib import Path

import pytest

from aleppo2016 import quiz, report

from handin_samples import FRIDAY_RIGHT, FRIDAY_WRONG, FRIDAY_WRONG_2, class_folder

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return class_folder(tmp_path_factory.mktemp("class") / "handed-in")


@pytest.fixture(scope="module")
def work(folder: Path) -> report.ClassWork:
    return report.collect(folder)


@pytest.fixture(scope="module")
def bank() -> dict:
    return report._bank(None)


def stats_by_id(work: report.ClassWork, bank: dict) -> dict[str, report.QuestionStats]:
    return {s.id: s for s in report.question_stats(work, bank)}


def test_bad_files_are_named_with_their_reason_and_skipped(work: report.ClassWork) -> None:
    reasons = dict(work.skipped)
    assert sorted(reasons) == ["ivo.json", "jo.json", "kim.json", "notes.json"]
    assert "not an aleppo2016 hand-in file" in reasons["notes.json"]
    assert "version 2 of the hand-in format" in reasons["ivo.json"]
    assert "cut short" in reasons["jo.json"]
    assert "edited by hand" in reasons["kim.json"]


def test_a_duplicate_counts_once_latest_wins(work: report.ClassWork) -> None:
    assert work.duplicates == [("eli-again.json", "eli-first.json")]
    assert len(work.students) == 8
    eli = next(name for name in work.students if name.casefold() == "eli")
    assert work.students[eli][("02_timeline", "friday_date")]["correct"] is True
    assert work.files[eli] == ["eli-again.json"]
    assert "lms-download/hana.json" in work.files["Hana"]  # sub-folders are read too


def test_per_question_numbers(work: report.ClassWork, bank: dict) -> None:
    stats = stats_by_id(work, bank)
    friday = stats["friday_date"]
    assert (friday.answered, friday.judged, friday.first_try_right, friday.right_in_the_end) == (8, 8, 3, 7)
    assert (friday.first_try_share, friday.final_share) == (3 / 8, 7 / 8)
    spec = {q["id"]: q for q in quiz.load_questions()["02_timeline"]}["friday_date"]
    feedback = {c["text"]: c["feedback"] for c in spec["choices"]}
    assert [(answer, n) for answer, n, _ in friday.wrong] == [(FRIDAY_WRONG, 4), (FRIDAY_WRONG_2, 2)]
    for answer, _, seen in friday.wrong:  # the feedback students saw for that answer (with its quote, where the quiz adds one)
        assert feedback[answer] in seen

    days = stats["ceasefire_days"]
    assert (days.answered, days.first_try_right, days.right_in_the_end) == (6, 4, 5)
    numeric = {q["id"]: q for q in quiz.load_questions()["02_timeline"]}["ceasefire_days"]["feedback"]
    (low, n_low, seen_low), (high, n_high, seen_high) = sorted(days.wrong)
    assert (low, n_low, high, n_high) == ("6", 1, "8", 1)
    assert numeric["too_low"] in seen_low and numeric["too_high"] in seen_high

    opinion = stats["why_dates_matter"]  # not in the bank: still reported, by its id
    assert (opinion.answered, opinion.judged, opinion.first_try_share) == (3, 0, None)
    assert [name for name, _ in opinion.open_answers] == ["Amal", "Badr", "Dana"]

    untouched = stats["order_events"]  # in the bank, nobody answered
    assert (untouched.answered, untouched.wrong) == (0, [])


def test_per_student_progress(work: report.ClassWork, bank: dict) -> None:
    notebooks, table = report.progress(work, bank)
    assert notebooks == sorted(quiz.notebooks())
    total = len(quiz.question_ids("02_timeline"))
    assert table["Amal"]["02_timeline"] == (3, 2, total + 1)  # + the open question, not in the bank
    assert table["Badr"]["02_timeline"] == (3, 1, total + 1)
    assert table["Dana"]["02_timeline"] == (3, 1, total + 1)
    assert table["Amal"]["03_figures"] == (0, 0, len(quiz.question_ids("03_figures")))


class _Page(html.parser.HTMLParser):
    """Collects tags, the text of the page and img alt texts."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.images: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "img":
            self.images.append(dict(attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_report_escapes_everything_a_student_typed(work: report.ClassWork, bank: dict) -> None:
    page_text = report.render_html(work, bank)
    page = _Page()
    page.feed(page_text)
    assert "script" not in page.tags  # the student's <script> is text, not a tag
    text = "".join(page.text)
    assert "<script>alert('x')</script> & more" in text
    assert '=HYPERLINK("http://evil.example")' in text
    assert "&lt;script&gt;" in page_text
    # self-contained: no address outside the page (the student's typed one is only text)
    assert "http" not in page_text.replace("http://evil.example", "")
    assert len(page.images) == 2
    for image in page.images:
        assert image["src"].startswith("data:image/png;base64,")
        assert len(image["alt"]) > 40
    assert "Bar chart of 2 questions" in text
    assert "kim.json" in text and "edited by hand" in text
    assert "only the later one is counted" in text


def test_progress_chart_description_gives_the_numbers(work: report.ClassWork, bank: dict) -> None:
    notebooks, table = report.progress(work, bank)
    _, text = report.chart_progress(notebooks, table)
    assert "02_timeline: 0 finished, 8 started, 0 not started" in text
    assert "03_figures: 0 finished, 0 started, 8 not started" in text


@pytest.mark.parametrize("value, safe", [
    ("=1+1", "'=1+1"), ("+SUM(A1)", "'+SUM(A1)"), ("-2", "'-2"), ("@cmd", "'@cmd"),
    ("\t=1", "'\t=1"), ("Amal", "Amal"), (" =1", " =1"), (3, 3),
])
def test_csv_cells_never_start_a_formula(value, safe) -> None:
    assert report.csv_safe(value) == safe


def test_csv_has_one_row_per_student(work: report.ClassWork, bank: dict, tmp_path: Path) -> None:
    path = report.write_csv(work, tmp_path / "grades.csv", bank)
    rows = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 8
    by_name = {r["student"]: r for r in rows}
    assert by_name["'=HYPERLINK(\"http://evil.example\")"]["right in the end"] == "1"
    assert by_name["Chen"]["questions answered"] == "2"
    assert by_name["Chen"]["right at the first try"] == "1"
    assert by_name["Badr"]["02_timeline right"] == "1"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())


def test_command_line_writes_both_and_names_skipped_files(folder: Path, tmp_path: Path) -> None:
    out, grades = tmp_path / "report.html", tmp_path / "grades.csv"
    done = subprocess.run(
        [sys.executable, "-m", "aleppo2016", "class-report", str(folder), "--out", str(out), "--csv", str(grades)],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert "Skipped kim.json: edited by hand" in done.stdout
    assert "Duplicate: eli-first.json is an earlier copy of eli-again.json" in done.stdout
    assert "for 8 students" in done.stdout
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert grades.is_file()

    missing = subprocess.run([sys.executable, "-m", "aleppo2016", "class-report", str(tmp_path / "nope")],
                             capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert missing.returncode == 1
    assert "is not a folder" in missing.stderr and "Traceback" not in missing.stderr


def test_an_empty_folder_gives_a_report_that_says_so(tmp_path: Path) -> None:
    work = report.collect(tmp_path)
    page = report.render_html(work, {})
    assert "0 students" in page
    assert "<img" not in page


def test_a_file_with_a_recomputed_checksum_but_forged_marks_is_set_aside(tmp_path: Path, bank: dict) -> None:
    """A student who read handin.py can recompute the checksum; the questions still judge the answers."""
    pytest.importorskip("aleppo2016.qtypes", reason="judging per question type comes with aleppo2016.qtypes (issue 16)")
    from aleppo2016 import handin

    from handin_samples import record, write_handin

    forged = record("02_timeline", "friday_date", "multiple_choice", [(FRIDAY_WRONG, True)])  # a wrong answer marked right
    write_handin(tmp_path, "forged.json", "Zed", [forged])
    write_handin(tmp_path, "honest.json", "Amal", [record("02_timeline", "friday_date", "multiple_choice", [(FRIDAY_RIGHT, True)])])
    assert handin.read(tmp_path / "forged.json").name == "Zed"  # the file itself is well formed
    work = report.collect(tmp_path, bank)
    assert list(work.students) == ["Amal"]
    assert [name for name, _ in work.skipped] == ["forged.json"]
    assert "edited by hand, or made for other questions" in work.skipped[0][1]
