"""Each explorer and question widget, used in the browser as a student would use it.

Every test writes a one-cell scratch notebook into the server's temporary
folder (never into notebooks/), runs it, interacts with the rendered widget
and checks that what is shown changes as it should. The expected text is
computed here, in Python, by making the same change to a second copy of the
widget: the page must show exactly what the package says it should.

To test a new widget: add a test that calls ``show(...)`` with the code that
displays it, interact through ``nb.page``, and compare with a local copy.
Screenshots of each step go to artifacts/screenshots/widget_*.png.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

import lab
from conftest import LabPage

pytestmark = pytest.mark.browser

expect: Callable[..., Any]
try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixtures skip (or fail in CI) with the install hint
    expect = None  # type: ignore[assignment]
else:
    # Each click goes to the kernel and back; on a busy machine that takes more than the default 5 s.
    expect.set_options(timeout=60_000)


def show(lab_page: LabPage, name: str, code: str, root: str) -> tuple[lab.Notebook, Any]:
    """Run `code` in a scratch notebook; return the notebook and the widget's root element.

    The cell must leave the widget as its last expression (so it is displayed).
    """
    folder = lab_page.server.root / "_scratch"
    folder.mkdir(exist_ok=True)
    lab.write_notebook(folder / f"{name}.ipynb", [code])
    nb, report = lab_page.run(f"_scratch/{name}.ipynb")
    assert not report.problems(), "\n".join(report.problems())
    widget = nb.output_of(1).locator(root).first
    expect(widget).to_be_visible()
    return nb, widget


def snap(widget: Any, name: str) -> None:
    """Save a screenshot of the widget alone, for the record of what each step looked like."""
    lab.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = widget.page
    size = page.viewport_size or {"width": 1280, "height": 900}
    box = widget.bounding_box() or {"height": 0}
    if box["height"] + 200 > size["height"]:  # a taller window, so the whole widget is drawn (not the status bar)
        page.set_viewport_size({"width": size["width"], "height": int(box["height"]) + 300})
    widget.screenshot(path=str(lab.SCREENSHOTS / f"widget_{name}.png"))
    page.set_viewport_size(size)


def image_src(widget: Any) -> str:
    return widget.locator("img").first.get_attribute("src") or ""


def expect_new_image(widget: Any, before: str) -> str:
    """Wait until the chart image has been redrawn (its blob URL changes), and return the new one."""
    widget.page.wait_for_function(
        "([el, before]) => { const i = el.querySelector('img'); return i && i.src && i.src !== before; }",
        arg=[widget.element_handle(), before], timeout=lab.TIMEOUT_MS)
    return image_src(widget)


# --------------------------------------------------------------------------
# Explorers
# --------------------------------------------------------------------------

def test_timeline_explorer_filters_and_keyboard_slider(lab_page: LabPage) -> None:
    from aleppo2016.widgets import TimelineExplorer

    model = TimelineExplorer()
    nb, widget = show(lab_page, "timeline", "from aleppo2016.widgets import TimelineExplorer\nTimelineExplorer()",
                      ".aleppo2016-explorer")
    expect(widget).to_contain_text(model.message)
    snap(widget, "timeline_0_start")

    # Untick the category with the most events: fewer rows, a new chart.
    counts = model.events["category"].astype(str).value_counts()
    category = str(counts.index[0])
    rows_before = widget.inner_text()
    src = image_src(widget)
    widget.get_by_role("checkbox", name=category.capitalize(), exact=True).click()
    model.categories = tuple(c for c in model.categories if c != category)
    expect(widget).to_contain_text(model.message)
    src = expect_new_image(widget, src)
    assert widget.inner_text() != rows_before
    snap(widget, "timeline_1_category_unticked")

    # Choose an actor from the dropdown.
    actor_label, actor_id = model.actor_dropdown.options[1]
    widget.locator(".widget-dropdown select").first.select_option(label=actor_label)
    model.actor = actor_id
    expect(widget).to_contain_text(model.message)
    src = expect_new_image(widget, src)
    snap(widget, "timeline_2_actor")

    # Keyboard: focus the slider's first handle and press the right arrow once.
    model.actor = ""
    widget.locator(".widget-dropdown select").first.select_option(label=model.actor_dropdown.options[0][0])
    expect(widget).to_contain_text(model.message)
    src = image_src(widget)
    handle = widget.locator(".widget-slider .noUi-handle").first
    handle.focus()
    handle.press("ArrowRight")
    last = len(model.date_slider.options) - 1
    model.date_slider.index = (1, last)
    first_day = model.date_slider.options[1][0]
    expect(widget.locator(".widget-readout").first).to_contain_text(first_day)
    expect(widget).to_contain_text(model.message)
    expect_new_image(widget, src)
    snap(widget, "timeline_3_slider_keyboard")


def test_figures_explorer_scale_and_choice(lab_page: LabPage) -> None:
    from aleppo2016.widgets import FiguresExplorer

    model = FiguresExplorer()
    nb, widget = show(lab_page, "figures", "from aleppo2016.widgets import FiguresExplorer\nFiguresExplorer()",
                      ".aleppo2016-explorer")
    snap(widget, "figures_0_start")

    # Log to linear: the pressed button changes and the chart is redrawn.
    src = image_src(widget)
    widget.get_by_role("button", name="Linear scale").click()
    expect(widget.locator(".widget-toggle-button.mod-active")).to_have_text("Linear scale")
    src = expect_new_image(widget, src)
    snap(widget, "figures_1_linear")
    widget.get_by_role("button", name="Log scale").click()
    expect(widget.locator(".widget-toggle-button.mod-active")).to_have_text("Log scale")
    src = expect_new_image(widget, src)

    # Choose one figure only: the list below the chart shows just that figure.
    label, rid = model.figure_select.options[-1]
    widget.locator("select").first.select_option(label=label)
    model.selected = (rid,)
    entry = model._entries()[0]["head"]
    expect(widget).to_contain_text(entry)
    expect_new_image(widget, src)
    listed = widget.locator(".widget-html-content p b").all_inner_texts()
    assert listed == [entry], listed
    snap(widget, "figures_2_one_figure")


def test_voices_browser_speaker_filter(lab_page: LabPage) -> None:
    from aleppo2016.widgets import VoicesBrowser

    model = VoicesBrowser()
    nb, widget = show(lab_page, "voices", "from aleppo2016.widgets import VoicesBrowser\nVoicesBrowser()",
                      ".aleppo2016-explorer")
    expect(widget.locator("blockquote")).to_have_count(len(model.matching))
    snap(widget, "voices_0_all")
    label, key = model.speaker_dropdown.options[1]
    widget.locator(".widget-dropdown select").first.select_option(label=label)
    model.speaker = key
    expect(widget).to_contain_text(model.message)
    expect(widget.locator("blockquote")).to_have_count(len(model.matching))
    assert len(model.matching) < len(model.quotes)
    snap(widget, "voices_1_one_speaker")


def test_claims_comparer_point_choice(lab_page: LabPage) -> None:
    from aleppo2016.widgets import ClaimsComparer

    model = ClaimsComparer()
    options = model.point_dropdown.options
    if len(options) < 2:
        pytest.fail(f"ClaimsComparer offers {len(options)} disputed point(s); the test needs two to switch")
    nb, widget = show(lab_page, "claims", "from aleppo2016.widgets import ClaimsComparer\nClaimsComparer()",
                      ".aleppo2016-explorer")
    first = model._side(model.first_claim)["who"]
    expect(widget).to_contain_text(first)
    snap(widget, "claims_0_first_point")
    label, point = options[1]
    widget.locator(".widget-dropdown select").first.select_option(label=label)
    model.point = point
    second = model._side(model.first_claim)["who"]
    expect(widget).to_contain_text(second)
    expect(widget).to_contain_text(model._side(model.replies.iloc[0])["claim"][:60])
    snap(widget, "claims_1_second_point")


# --------------------------------------------------------------------------
# Questions
# --------------------------------------------------------------------------

def _find(kind: str) -> tuple[str, dict[str, Any]]:
    """The first question of this type in the package's questions (notebook, spec)."""
    from aleppo2016 import quiz

    for notebook, specs in quiz.load_questions().items():
        for spec in specs:
            if spec["type"] == kind:
                return notebook, spec
    pytest.fail(f"no {kind} question in {quiz.QUESTIONS_FILE}")


def _question_code(notebook: str, qid: str) -> str:
    return f"from aleppo2016 import quiz\nquiz.question({notebook!r}, {qid!r})"


def test_multiple_choice_wrong_then_right_with_the_mouse(lab_page: LabPage) -> None:
    notebook, spec = _find("multiple_choice")
    right = next(c for c in spec["choices"] if c["correct"])
    wrong = next(c for c in spec["choices"] if not c["correct"])
    nb, widget = show(lab_page, "mc_mouse", _question_code(notebook, spec["id"]), ".aleppo2016-question")
    check = widget.get_by_role("button", name="Check")
    again = widget.get_by_role("button", name="Try again")

    check.click()  # nothing chosen yet: a note, not an attempt
    expect(widget).to_contain_text("Tick one answer first")

    # One answer only: ticking a second box unticks the first.
    widget.get_by_role("checkbox", name=right["text"], exact=True).check()
    widget.get_by_role("checkbox", name=wrong["text"], exact=True).check()
    expect(widget.get_by_role("checkbox", name=right["text"], exact=True)).not_to_be_checked()
    check.click()
    expect(widget).to_contain_text("Not quite.")
    expect(widget).to_contain_text(wrong["feedback"][:80])
    expect(check).to_be_disabled()
    snap(widget, "question_1_wrong")

    again.click()
    expect(widget).not_to_contain_text("Not quite.")
    widget.get_by_role("checkbox", name=right["text"], exact=True).check()
    check.click()
    expect(widget).to_contain_text("That's right.")
    expect(widget).to_contain_text(right["feedback"][:80])
    expect(check).to_be_disabled()
    snap(widget, "question_2_right")


def test_multiple_choice_with_the_keyboard_alone(lab_page: LabPage) -> None:
    """Tab to the right answer, tick it with Space, Tab on to Check and press Enter."""
    notebook, spec = _find("multiple_choice")
    index = next(i for i, c in enumerate(spec["choices"]) if c["correct"])
    from aleppo2016 import quiz

    specs = quiz.load_questions()[notebook]
    code = f"from aleppo2016 import quiz\nquiz.questions({notebook!r})"
    nb, whole = show(lab_page, "mc_keyboard", code, ".aleppo2016-quiz")
    widget = whole.locator(".aleppo2016-question").nth(specs.index(spec))
    page = nb.page
    boxes = widget.get_by_role("checkbox")
    boxes.first.focus()  # where a student lands when tabbing into the question
    for _ in range(index):
        page.keyboard.press("Tab")
    expect(boxes.nth(index)).to_be_focused()
    page.keyboard.press("Space")
    expect(boxes.nth(index)).to_be_checked()
    for _ in range(len(spec["choices"]) - index):
        page.keyboard.press("Tab")
    expect(widget.get_by_role("button", name="Check")).to_be_focused()
    page.keyboard.press("Enter")
    expect(widget).to_contain_text("That's right.")
    expect(widget.get_by_role("button", name="Try again")).to_be_enabled()
    score = quiz.Score(len(specs))
    score.record(spec["id"], True)
    expect(whole).to_contain_text(score.text)  # the quiz's shared score line
    snap(whole, "question_3_keyboard")


def test_numeric_question_typed_answers(lab_page: LabPage) -> None:
    notebook, spec = _find("numeric")
    nb, widget = show(lab_page, "numeric", _question_code(notebook, spec["id"]), ".aleppo2016-question")
    box = widget.locator("input[type=text]").first
    check = widget.get_by_role("button", name="Check")

    box.fill("lots")
    check.click()
    expect(widget).to_contain_text("is not one we can read")

    too_high = spec["answer"] + spec["tolerance"] + max(1, abs(spec["answer"]))
    box.fill(f"{too_high:g}")
    check.click()
    expect(widget).to_contain_text("Not quite.")
    expect(widget).to_contain_text(spec["feedback"]["too_high"][:80])
    snap(widget, "numeric_1_wrong")

    widget.get_by_role("button", name="Try again").click()
    box.fill(f"{spec['answer']:g}")
    check.click()
    expect(widget).to_contain_text("That's right.")
    snap(widget, "numeric_2_right")


def test_multiple_select_ticks(lab_page: LabPage) -> None:
    notebook, spec = _find("multiple_select")
    right = [c["text"] for c in spec["choices"] if c["correct"]]
    wrong = [c["text"] for c in spec["choices"] if not c["correct"]]
    nb, widget = show(lab_page, "select", _question_code(notebook, spec["id"]), ".aleppo2016-question")
    check = widget.get_by_role("button", name="Check")
    if wrong:
        widget.get_by_role("checkbox", name=wrong[0], exact=True).check()
        check.click()
        expect(widget).to_contain_text("Not quite.")
        expect(widget).to_contain_text(f"You ticked “{wrong[0]}”")
        widget.get_by_role("button", name="Try again").click()
        widget.get_by_role("checkbox", name=wrong[0], exact=True).uncheck()
    for text in right:
        widget.get_by_role("checkbox", name=text, exact=True).check()
    check.click()
    expect(widget).to_contain_text("That's right.")
    snap(widget, "select_right")


def test_ordering_question_up_buttons(lab_page: LabPage) -> None:
    notebook, spec = _find("ordering")
    from aleppo2016 import quiz

    model = quiz.question(notebook, spec["id"])
    nb, widget = show(lab_page, "ordering", _question_code(notebook, spec["id"]), ".aleppo2016-question")

    def shown() -> list[str]:
        return [label.value for label, _, _ in model.rows]

    labels = widget.locator(".widget-label").filter(has_text=re.compile(r"^\d+\. "))
    expect(labels).to_have_text(shown())
    widget.get_by_role("button", name="Check").click()  # the shuffled start is never the answer
    expect(widget).to_contain_text("Not quite.")
    widget.get_by_role("button", name="Try again").click()

    # Put the items in order with the Up buttons, as a student would.
    for target, item in enumerate(model._correct_order):
        at = model.order.index(item)
        for place in range(at, target, -1):
            widget.get_by_role("button", name="Up").nth(place).click()
            model.move(item, -1)
            expect(labels).to_have_text(shown())
    snap(widget, "ordering_1_sorted")
    widget.get_by_role("button", name="Check").click()
    expect(widget).to_contain_text("That's right.")
    snap(widget, "ordering_2_right")
