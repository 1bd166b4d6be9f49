"""The question bank is worth answering (issues 12 and 14): skills, no guessable positions, exit tickets.

Every question names the skill it practises and recall is at most a quarter of
the bank; the right answer of a one-answer question is not in a guessable
place (no position holds more than 40% of them, and the order is the data's,
so a teacher's key and a student's screen agree); 07's score counts exactly
the questions it shows.
"""
from __future__ import annotations

from collections import Counter

from aleppo2016 import quiz

BANK = [q for qs in quiz.load_questions().values() for q in qs]


def test_every_question_names_its_skill_and_recall_is_at_most_a_quarter() -> None:
    missing = [q["id"] for q in BANK if q["skill"] not in quiz.SKILLS]
    assert not missing, f"questions without a skill: {missing}"
    skills = Counter(q["skill"] for q in BANK)
    assert skills["recall"] <= len(BANK) / 4, f"recall is {skills['recall']} of {len(BANK)} questions"
    assert {"analyse", "evaluate"} <= set(skills), "the bank asks students to analyse and evaluate"


def test_the_right_answer_is_not_in_a_guessable_position() -> None:
    single = [q for q in BANK if q["type"] == "multiple_choice"]
    positions = Counter(next(n for n, c in enumerate(q["choices"]) if c["correct"]) for q in single)
    worst, count = positions.most_common(1)[0]
    assert count <= 0.4 * len(single), f"choice {worst + 1} is right in {count} of {len(single)} questions"
    for nb in {q["notebook"] for q in single}:
        here = [q for q in single if q["notebook"] == nb]
        firsts = sum(q["choices"][0]["correct"] for q in here)
        assert len(here) < 3 or firsts < len(here), f"{nb}: every right answer is the first choice"


def test_the_choices_keep_the_order_of_the_data() -> None:
    """Stable: the widget shows the choices as the file lists them, so 'B' is the same everywhere."""
    q = next(q for q in BANK if q["type"] == "multiple_choice")
    widget = quiz.question(q["notebook"], q["id"])
    assert widget.static_text().index(q["choices"][0]["text"]) < widget.static_text().index(q["choices"][1]["text"])


def test_each_notebook_has_a_place_to_write_and_exit_tickets_are_open_questions() -> None:
    for nb in quiz.notebooks():
        assert any(q["type"] == "open" for q in BANK if q["notebook"] == nb), f"{nb}: no open question"
    tickets = [q for q in BANK if q["exit_ticket"]]
    assert tickets and all(q["type"] == "open" for q in tickets)
    assert all(q["title"].lower().startswith("exit ticket") or "exit ticket" in q["title"].lower() for q in tickets)


def test_the_review_score_counts_the_questions_it_shows() -> None:
    quiz._forget_answers()
    review = quiz.questions("07_review")
    extra = [quiz.question("03_figures", "log_steps", score=review.score),
             quiz.question("04_voices", "what_attribution_does", score=review.score)]
    shown = [q for q in [*review.questions, *extra] if q.scored]
    assert review.score.total == len(shown), review.score.text
    assert f"of {len(shown)} answered" in review.score.text


def test_the_promise_in_00_is_kept_in_07() -> None:
    """00 asks how students decide to trust war news and promises to come back to it; 07 does."""
    by_id = {q["id"]: q for q in BANK}
    assert by_id["trust_news"]["notebook"] == "00_start_here" and "07" in by_id["trust_news"]["prompt"]
    back = by_id["trust_again"]
    assert back["notebook"] == "07_review" and back["exit_ticket"] and "notebook 00" in back["prompt"]
