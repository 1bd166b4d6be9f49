"""The teacher guide (docs/teacher_guide.md) stays true to the questions, the notebooks and the README it links to."""
from __future__ import annotations

import re
from pathlib import Path

from aleppo2016 import quiz

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
GUIDE = (DOCS / "teacher_guide.md").read_text(encoding="utf-8")


def slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(markdown: str) -> set[str]:
    return {slug(m) for m in re.findall(r"^#{1,6}\s+(.+)$", markdown, flags=re.M)}


def objectives_table() -> list[list[str]]:
    section = GUIDE.split("## Learning objectives", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| ---")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[1:]]


def test_objectives_table_maps_every_question_and_only_real_ones() -> None:
    questions = quiz.load_questions()
    real = {q["id"] for items in questions.values() for q in items}
    rows = objectives_table()
    assert [row[1] for row in rows] == [name[:2] for name in sorted(questions)], "one row per notebook, in order"
    named = {token for row in rows for token in re.findall(r"`([a-z0-9_]+)`", row[2] + row[3])}  # closed and open
    unknown = sorted(named - real)
    assert not unknown, f"the teacher guide names questions that do not exist: {unknown}"
    review = {q["id"] for q in questions["07_review"]}
    missing = sorted(real - named - review)  # the 07 row says "all review_… questions"
    assert not missing, f"add these questions to the objectives table in docs/teacher_guide.md: {missing}"
    for row in rows:
        assert row[3], f"notebook {row[1]}: name its open questions"


def test_spare_questions_named_in_the_guide_are_the_ones_no_notebook_shows() -> None:
    key = (DOCS / "answer_key.md").read_text(encoding="utf-8")
    spare_in_key = set(re.findall(r"### `(\w+)`[^\n]*\n\n\*[^*]*Not shown in any notebook", key))
    spare_in_guide = set(re.findall(r"spare: `(\w+)`", GUIDE))
    assert spare_in_guide == spare_in_key


def test_links_resolve() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", GUIDE):
        if target.startswith(("http://", "https://")):
            continue
        path, _, anchor = target.partition("#")
        file = (DOCS / path).resolve() if path else DOCS / "teacher_guide.md"
        if not file.exists():
            broken.append(target)
        elif anchor:
            text = readme if file == ROOT / "README.md" else file.read_text(encoding="utf-8")
            if anchor not in anchors(text):
                broken.append(target)
    assert not broken, f"links in docs/teacher_guide.md that lead nowhere: {broken}"


def test_guide_covers_what_issue_5_asks() -> None:
    for heading in (
        "Learning objectives",
        "One lesson (50 minutes)",
        "Three lessons (3 × 50 minutes)",
        "Discussion prompts",
        "Differentiation",
        "Teaching this subject with care",
        "Assessment and the score",
        "Checking edited data",
        "References",
    ):
        assert re.search(rf"^#+ {re.escape(heading)}", GUIDE, flags=re.M), heading
    assert "](answer_key.md)" in GUIDE and "not for\nstudents" in GUIDE
    for command in ("python -m aleppo2016 check FOLDER", "python tools/register_excerpts.py", "python tools/answer_key.py"):
        assert command in GUIDE
    for notebook in sorted(ROOT.glob("notebooks/*.ipynb")):
        assert f"](../notebooks/{notebook.name})" in GUIDE, f"the guide does not link {notebook.name}"


def test_readme_points_teachers_to_the_guide_and_the_key() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## For teachers\n", 1)[1].split("\n## ", 1)[0]
    assert "](docs/teacher_guide.md)" in section and "](docs/answer_key.md)" in section
    assert "python tools/answer_key.py" in section
    assert "| `docs/` |" in readme.split("## Project layout", 1)[1]
