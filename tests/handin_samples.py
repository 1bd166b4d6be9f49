"""Literal question records (the quiz/classroom interface) and hand-in files made from them, for the tests.

The records are written out by hand, as ``quiz.answered()`` returns them,
so the hand-in format and the class report are tested without the quiz.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from aleppo2016 import handin


def record(notebook: str, qid: str, qtype: str, attempts: list[tuple[Any, bool | None]], *,
           text: str | None = None, hour: int = 9) -> dict[str, Any]:
    """One question's record: `attempts` are (answer, correct) pairs, a minute apart from hour:00."""
    verdicts = [c for _, c in attempts]
    rec: dict[str, Any] = {
        "notebook": notebook,
        "id": qid,
        "type": qtype,
        "attempts": [{"answer": a, "correct": c, "at": f"2026-11-29T{hour:02d}:{n:02d}:00Z"} for n, (a, c) in enumerate(attempts)],
        "first_try_correct": verdicts[0] if verdicts else None,
        "correct": None if not verdicts or all(v is None for v in verdicts) else any(v is True for v in verdicts),
    }
    if text is not None:
        rec["text"] = text
    return rec


def write_handin(folder: Path, filename: str, name: str, records: list[dict[str, Any]], *,
                 saved_at: str = "2026-11-29T10:00:00Z", notebooks: tuple[str, ...] = ()) -> Path:
    """A hand-in file exactly as the module writes it."""
    path = folder / filename
    path.write_text(handin.dumps(handin.make(name, records, notebooks, saved_at=saved_at)), encoding="utf-8")
    return path


FRIDAY_RIGHT = "Friday 23 September 2016"
FRIDAY_WRONG = "Friday 16 September 2016"
FRIDAY_WRONG_2 = "Thursday 22 September 2016"
ORDER_RIGHT = ["ceasefire_begins", "documentary_release", "convoy_attack", "right_livelihood_award",
               "selmo_interview", "security_council_meeting"]


def class_folder(folder: Path) -> Path:
    """A dozen files as a teacher collects them: nine good ones (one handed in twice) and four broken ones.

    Students and 02_timeline answers (friday_date, ceasefire_days; one open question):

    ======  =================================  ==============  ==========
    who     friday_date                        ceasefire_days  open
    ======  =================================  ==============  ==========
    Amal    right                              7 right         text
    Badr    16 wrong, then right               6 wrong         text
    Chen    16 wrong, 22 wrong, then right     7 right         –
    Dana    16 wrong                           8 wrong, 7      <script>
    Eli     right (second file, later)         –               –
    Farah   22 wrong, then right               7 right         –
    =Gus    right                              –               –
    Hana    16 wrong, then right               7 right         –
    ======  =================================  ==============  ==========

    Eli's first file (wrong, earlier) is a duplicate: the later one wins.
    Broken: not JSON of ours, another version, cut short, edited by hand.
    """
    folder.mkdir(parents=True, exist_ok=True)
    nb = "02_timeline"

    def friday(*answers: str) -> dict[str, Any]:
        return record(nb, "friday_date", "multiple_choice", [(a, a == FRIDAY_RIGHT) for a in answers])

    def days(*answers: float) -> dict[str, Any]:
        return record(nb, "ceasefire_days", "numeric", [(a, a == 7) for a in answers], hour=9)

    def opinion(text: str) -> dict[str, Any]:
        return record(nb, "why_dates_matter", "open", [(text, None)], text=text)

    write_handin(folder, "amal.json", "Amal", [friday(FRIDAY_RIGHT), days(7), opinion("Dates let us check claims.")])
    write_handin(folder, "badr.json", "Badr", [friday(FRIDAY_WRONG, FRIDAY_RIGHT), days(6), opinion("So we know the order.")])
    write_handin(folder, "chen.json", "Chen", [friday(FRIDAY_WRONG, FRIDAY_WRONG_2, FRIDAY_RIGHT), days(7)])
    write_handin(folder, "dana.json", "Dana", [friday(FRIDAY_WRONG), days(8, 7), opinion("<script>alert('x')</script> & more")])
    write_handin(folder, "eli-first.json", "Eli", [friday(FRIDAY_WRONG)], saved_at="2026-11-29T09:30:00Z", notebooks=(nb,))
    write_handin(folder, "eli-again.json", "eli ", [friday(FRIDAY_RIGHT)], saved_at="2026-11-29T11:00:00Z", notebooks=(nb,))
    write_handin(folder, "farah.json", "Farah", [friday(FRIDAY_WRONG_2, FRIDAY_RIGHT), days(7)])
    write_handin(folder, "gus.json", "=HYPERLINK(\"http://evil.example\")", [friday(FRIDAY_RIGHT)])
    sub = folder / "lms-download"
    sub.mkdir()
    write_handin(sub, "hana.json", "Hana", [friday(FRIDAY_WRONG, FRIDAY_RIGHT), days(7)])

    (folder / "notes.json").write_text('{"shopping": ["milk"]}', encoding="utf-8")
    future = handin.make("Ivo", [friday(FRIDAY_RIGHT)])
    future["version"] = 2
    (folder / "ivo.json").write_text(handin.dumps(future), encoding="utf-8")
    whole = handin.dumps(handin.make("Jo", [friday(FRIDAY_RIGHT)]))
    (folder / "jo.json").write_text(whole[: len(whole) // 2], encoding="utf-8")
    edited = handin.dumps(handin.make("Kim", [friday(FRIDAY_WRONG)]))
    (folder / "kim.json").write_text(edited.replace('"correct": false', '"correct": true'), encoding="utf-8")
    return folder
