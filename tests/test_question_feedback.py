"""What a wrong try is told: never a right answer (issue 12), over the whole question bank.

A wrong try's feedback (verdict, the chosen choice's feedback, its excerpt,
the hint) must help the student look again, not give the answer away: it
must not quote the text of a right choice, nor write the right number.
Ordering and true/false questions are left out: naming two events in the
wrong order, or "True"/"False", is the help itself, not the answer.
"""
from __future__ import annotations

import re
from typing import Any

import pytest

from aleppo2016 import quiz
from aleppo2016.qtypes import md_number

SPECS = [spec for specs in quiz.load_questions().values() for spec in specs]
CHOICE_TYPES = ("multiple_choice", "multiple_select")


def _wrong_feedback(spec: dict[str, Any], answer: Any) -> str:
    """All the words a student sees after this wrong answer, as the widget shows them."""
    q = quiz.question(spec["notebook"], spec["id"])
    correct, parts = q.judge(spec, answer)
    assert correct is False
    return "\n".join(text for _, text in q._verdict_parts(correct, parts))


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[“”\"'‘’.,;:!?()]", " ", text.lower()).split())


def _wrong_answers(spec: dict[str, Any]) -> list[Any]:
    qtype = quiz.question_type(spec["type"])
    return [a for a in qtype.sample_answers(spec) if qtype.judge(spec, a)[0] is False]


@pytest.mark.parametrize("spec", [s for s in SPECS if s["type"] in CHOICE_TYPES], ids=lambda s: s["id"])
def test_wrong_choice_feedback_never_quotes_a_right_choice(spec: dict[str, Any]) -> None:
    rights = [c["text"] for c in spec["choices"] if c["correct"]]
    wrongs = _wrong_answers(spec)
    assert wrongs, f"{spec['id']}: no wrong answer to try"
    for answer in wrongs:
        shown = _norm(_wrong_feedback(spec, answer))
        for right in rights:
            # The student's own ticks are named back to them ("You ticked ..."); a right choice they did not tick is not.
            if right in (answer if isinstance(answer, list) else [answer]):
                continue
            assert _norm(right) not in shown, (
                f"{spec['id']}: after the wrong answer {answer!r}, the feedback quotes the right choice {right!r}:\n{shown}")


@pytest.mark.parametrize("spec", [s for s in SPECS if s["type"] == "numeric"], ids=lambda s: s["id"])
def test_wrong_number_feedback_never_gives_the_number(spec: dict[str, Any]) -> None:
    forms = {md_number(spec["answer"]), f"{spec['answer']:g}"}
    for answer in _wrong_answers(spec):
        shown = _wrong_feedback(spec, answer)
        found = [f for f in forms if re.search(rf"(?<![\d,.]){re.escape(f)}(?![\d,]|\.\d)", shown)]
        assert not found, f"{spec['id']}: after the wrong answer {answer!r}, the feedback writes the answer {found}:\n{shown}"


def test_the_bank_has_questions_of_both_kinds() -> None:
    """The checks above run on real questions (an empty parameter list would pass silently)."""
    kinds = {s["type"] for s in SPECS}
    assert {"multiple_choice", "multiple_select", "numeric"} <= kinds, kinds
