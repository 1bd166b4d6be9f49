"""The hand-in file: round trip, versions, bad files, the "Save my work" box and loading work back."""
from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

import aleppo2016
from aleppo2016 import handin, quiz
from aleppo2016.handin import HandInError

from handin_samples import FRIDAY_RIGHT, FRIDAY_WRONG, record

RECORDS = [
    record("02_timeline", "friday_date", "multiple_choice", [(FRIDAY_WRONG, False), (FRIDAY_RIGHT, True)]),
    record("02_timeline", "ceasefire_days", "numeric", [(7.0, True)]),
    record("02_timeline", "order_events", "ordering", [(["a", "b"], False)]),
    record("03_figures", "who_gives_numbers", "multiple_select", []),
    record("02_timeline", "why_dates_matter", "open", [("Dates “matter” — ünïcode", None)], text="Dates “matter” — ünïcode"),
]


def test_round_trip_keeps_every_field_and_nothing_else() -> None:
    content = handin.make("  Amal   H. ", RECORDS, ["02_timeline"], saved_at="2026-11-29T10:00:00Z")
    text = handin.dumps(content)
    assert list(json.loads(text)) == list(handin.KEYS)
    back = handin.loads(text)
    assert back.name == "Amal H."  # spaces folded, nothing else changed
    assert back.notebooks == ("02_timeline", "03_figures")  # the given one and those in the records
    assert back.saved_at == "2026-11-29T10:00:00Z"
    assert back.module_version == aleppo2016.__version__
    assert [dict(r) for r in back.records] == RECORDS
    assert json.loads(text)["format"] == handin.FORMAT and json.loads(text)["version"] == handin.FORMAT_VERSION
    assert "Dates “matter” — ünïcode" in text  # written as UTF-8, readable


def test_write_then_read(tmp_path: Path) -> None:
    content = handin.make("Amal", RECORDS, saved_at="2026-11-29T10:00:00Z")
    path = handin.write(content, tmp_path / "work.json")
    assert handin.read(path).records == tuple(RECORDS)
    content["name"] = "Badr"  # changed after make(): the checksum no longer matches, so nothing is written
    with pytest.raises(HandInError, match="edited by hand"):
        handin.write(content, tmp_path / "other.json")
    assert not (tmp_path / "other.json").exists()


def test_a_name_is_required_and_kept_short() -> None:
    for bad in ("", "   ", None):
        with pytest.raises(HandInError, match="Type the name"):
            handin.make(bad, RECORDS)
    with pytest.raises(HandInError, match="keep it to 80"):
        handin.make("x" * 81, RECORDS)


def good_text(**changes) -> str:
    content = handin.make("Amal", RECORDS, saved_at="2026-11-29T10:00:00Z")
    content.update(changes)
    return handin.dumps({**{k: None for k in handin.KEYS}, **content}) if changes else handin.dumps(content)


@pytest.mark.parametrize("text, reason", [
    ('{"shopping": ["milk"]}', "not an aleppo2016 hand-in file"),
    ("[1, 2, 3]", "not an aleppo2016 hand-in file"),
    ("", "not complete JSON"),
    ("[" * 100_000, "not"),
])
def test_files_that_are_not_ours_are_named_as_such(text: str, reason: str) -> None:
    with pytest.raises(HandInError, match=reason):
        handin.loads(text)


def test_another_version_says_which_and_what_to_do() -> None:
    content = json.loads(good_text())
    content["version"] = 2
    with pytest.raises(HandInError, match=r"version 2 of the hand-in format; .* reads version 1"):
        handin.validate(content)


def test_a_file_cut_short_is_reported() -> None:
    text = good_text()
    for cut in (len(text) // 3, len(text) - 5):
        with pytest.raises(HandInError, match="not complete JSON: it may be cut short"):
            handin.loads(text[:cut])


@pytest.mark.parametrize("edit", [
    lambda c: c["records"][0]["attempts"][0].update(correct=True),       # a wrong answer made right
    lambda c: c["records"][0].update(first_try_correct=True),
    lambda c: c.update(name="Someone else"),
    lambda c: c.update(saved_at="2026-12-01T10:00:00Z"),
    lambda c: c["records"].pop(),
    lambda c: c.update(teacher_said="A+"),
    lambda c: c.pop("checksum"),
])
def test_hand_edits_are_caught(edit) -> None:
    content = json.loads(good_text())
    edit(content)
    with pytest.raises(HandInError, match="edited by hand"):
        handin.validate(content)


@pytest.mark.parametrize("edit, reason", [
    (lambda r: r.update(first_try_correct=True), "do not match the attempts"),
    (lambda r: r.update(correct=False), "do not match the attempts"),
    (lambda r: r["attempts"].reverse(), "not in time order|do not match"),
    (lambda r: r["attempts"][0].update(at="yesterday"), "time is not written like"),
    (lambda r: r.update(id="Friday Date"), "lower case"),
    (lambda r: r.update(notebook="../etc"), "not a notebook name"),
    (lambda r: r.update(secret="x"), "keys the module never writes"),
    (lambda r: r["attempts"][0].update(extra=1), "exactly answer, correct and at"),
])
def test_records_that_the_module_could_not_have_written_are_refused(edit, reason) -> None:
    """Even with a recomputed checksum (a student who read this code), inconsistent records are refused."""
    records = json.loads(json.dumps(RECORDS))
    edit(records[0])
    content = json.loads(good_text())
    content["records"] = records
    content["checksum"] = handin._checksum(content)
    with pytest.raises(HandInError, match=reason):
        handin.validate(content)


def test_an_attempt_after_saving_is_refused() -> None:
    content = json.loads(good_text())
    content["saved_at"] = "2026-11-29T08:00:00Z"  # before the 09:00 attempts
    content["checksum"] = handin._checksum(content)
    with pytest.raises(HandInError, match="after the file was saved"):
        handin.validate(content)


def test_read_names_unreadable_files(tmp_path: Path) -> None:
    (tmp_path / "latin1.json").write_bytes("{\"name\": \"Jos\xe9\"}".encode("latin-1"))
    with pytest.raises(HandInError, match="not UTF-8"):
        handin.read(tmp_path / "latin1.json")
    with pytest.raises(HandInError, match="is not a file"):
        handin.read(tmp_path)
    bom = tmp_path / "bom.json"
    bom.write_bytes(b"\xef\xbb\xbf" + good_text().encode("utf-8"))  # Windows Notepad adds one
    assert handin.read(bom).name == "Amal"


def test_file_names_are_safe_whatever_the_student_types() -> None:
    assert handin.file_name("Amal H.", ["03_figures"]) == "aleppo2016-03_figures-Amal_H.json"
    assert handin.file_name("../../etc/passwd", ["03_figures"]) == "aleppo2016-03_figures-etc_passwd.json"
    assert handin.file_name("<b>", ["03_figures", "05_diplomacy"]) == "aleppo2016-work-b.json"
    assert handin.file_name("ü", ["03_figures"]) == "aleppo2016-03_figures-work.json"


def test_save_box_writes_the_file_next_to_the_notebook_and_offers_a_download(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(quiz, "answered", lambda notebook=None: [dict(r) for r in RECORDS], raising=False)
    box = handin.save_button("02_timeline", folder=tmp_path)
    box.button.click()
    assert 'role="alert"' in box.result.value and "Type the name" in box.result.value
    assert not list(tmp_path.iterdir())

    box.name_box.value = "<img src=x onerror=alert(1)>"
    box.button.click()
    saved = sorted(tmp_path.iterdir())
    assert [p.name for p in saved] == ["aleppo2016-02_timeline-img_src_x_onerror_alert_1.json"]
    back = handin.read(saved[0])
    assert back.name == "<img src=x onerror=alert(1)>"  # kept as typed in the file ...
    assert "<img" not in box.result.value  # ... and shown only escaped
    assert "4 questions answered, 2 right" in box.result.value  # the unanswered one is not counted
    link = re.search(r'<a download="([^"]+)" href="data:application/json;base64,([^"]+)"', box.result.value)
    assert link and link.group(1) == saved[0].name
    assert base64.b64decode(link.group(2)).decode("utf-8") == saved[0].read_text(encoding="utf-8")

    # Pressing again (after more work) keeps one file with everything so far.
    monkeypatch.setattr(quiz, "answered", lambda notebook=None: [dict(r) for r in RECORDS[:1]], raising=False)
    box.button.click()
    assert len(list(tmp_path.iterdir())) == 1
    assert len(handin.read(saved[0]).records) == 1


def test_save_box_still_offers_the_download_when_the_folder_cannot_be_written(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(quiz, "answered", lambda notebook=None: [], raising=False)
    box = handin.save_button("02_timeline", folder=tmp_path / "missing")
    box.name_box.value = "Amal"
    assert box.save() is None
    assert "Could not write the file next to this notebook" in box.result.value
    link = re.search(r'href="data:application/json;base64,([^"]+)"', box.result.value)
    assert link, "the download is still offered"
    assert handin.loads(base64.b64decode(link.group(1)).decode("utf-8")).name == "Amal"


def test_save_box_has_a_readable_static_form() -> None:
    bundle = handin.save_button("02_timeline")._repr_mimebundle_()
    assert "Save my work" in bundle["text/plain"]


def test_restore_gives_the_records_to_the_quiz(tmp_path: Path, monkeypatch) -> None:
    path, _ = handin.save("Amal", "02_timeline", folder=tmp_path, records=RECORDS)
    received = []
    monkeypatch.setattr(quiz, "restore", received.extend, raising=False)
    work = handin.restore(path)
    assert work.name == "Amal"
    assert received == RECORDS
    path.write_text(path.read_text(encoding="utf-8").replace("Amal", "Badr"), encoding="utf-8")
    with pytest.raises(HandInError, match="edited by hand"):
        handin.restore(path)


def test_records_from_the_quiz_are_written_in_the_documented_form_only() -> None:
    """Extra keys, other ISO time forms, tuples: the file holds the documented record and nothing else."""
    from_quiz = {
        "notebook": "02_timeline", "id": "order_events", "type": "ordering", "widget_id": "abc123",
        "attempts": [{"answer": ("b", "a"), "correct": False, "at": "2026-11-29T10:31:05.123456+01:00", "feedback": "x"},
                     {"answer": ("a", "b"), "correct": True, "at": "2026-11-29T09:32:00+00:00"}],
        "first_try_correct": False, "correct": True,
    }
    content = handin.make("Amal", [from_quiz], saved_at="2026-11-29T10:00:00Z")
    (written,) = handin.loads(handin.dumps(content)).records
    assert written == {
        "notebook": "02_timeline", "id": "order_events", "type": "ordering",
        "attempts": [{"answer": ["b", "a"], "correct": False, "at": "2026-11-29T09:31:05Z"},
                     {"answer": ["a", "b"], "correct": True, "at": "2026-11-29T09:32:00Z"}],
        "first_try_correct": False, "correct": True,
    }


def test_real_questions_saved_then_restored_in_a_fresh_kernel(tmp_path: Path) -> None:
    """The whole loop with the real quiz: answer (wrong, then right), save, start afresh, load the file back."""
    from notebook_sandbox import answer_right

    q = quiz.question("02_timeline", "friday_date")
    wrong = next(c["text"] for c in q.spec["choices"] if not c["correct"])
    q.answer = wrong
    q.check_button.click()
    q.retry_button.click()
    answer_right(quiz, q)
    q.check_button.click()
    box = handin.save_button("02_timeline", folder=tmp_path)
    box.name_box.value = "Amal"
    path = box.save()
    assert path is not None and "1 question answered, 1 right" in box.result.value

    saved = handin.read(path)
    (rec,) = saved.records
    assert [a["answer"] for a in rec["attempts"]] == [wrong, quiz.question_type("multiple_choice").right_answer(q.spec)]
    assert (rec["first_try_correct"], rec["correct"]) == (False, True)

    quiz._forget_answers()  # as a new kernel tomorrow
    assert quiz.answered("02_timeline") == []
    handin.restore(path)
    assert quiz.answered("02_timeline") == [rec]
    again = quiz.question("02_timeline", "friday_date")  # the cell run again shows the restored work
    assert again.record["correct"] is True
