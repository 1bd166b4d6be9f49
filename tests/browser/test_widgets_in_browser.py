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
    path = lab.write_scratch(lab_page.server, name, [code])
    nb, report = lab_page.run(path)
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
    options = model.date_slider.options
    start, end = model.date_slider.index  # it opens on the article's weeks
    expect(widget).to_contain_text(f"{options[start][0]} to {options[end][0]}")
    assert (start, end) != (0, len(options) - 1)
    snap(widget, "timeline_0_start")
    # The way out to the whole war, and back.
    widget.get_by_role("button", name="All dates (the whole war)").click()
    model.whole_button.click()
    first, last = options[0][0], options[-1][0]
    expect(widget).to_contain_text(f"{first} to {last}")  # the whole date range, not cut off
    expect(widget).to_contain_text(model.message)

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

    # Type an actor's name in the Actor box and press Enter.
    actor_id, actor_name = next(iter(model.actor_names.items()))
    box = widget.locator("input[list]").first
    box.fill(actor_name.lower())  # any case will do
    box.press("Enter")
    model.actor = actor_id
    expect(widget).to_contain_text(model.message)
    expect(box).to_have_value(actor_name)
    src = expect_new_image(widget, src)
    snap(widget, "timeline_2_actor")

    # Keyboard: empty the box for all actors, then focus the slider's first handle and press the right arrow once.
    box.fill("")
    box.press("Enter")
    model.actor = ""
    expect(widget).to_contain_text(model.message)
    src = image_src(widget)
    handle = widget.locator(".widget-slider .noUi-handle").first
    handle.focus()
    handle.press("ArrowRight")
    model.date_slider.index = (1, len(model.date_slider.options) - 1)
    expect(widget).to_contain_text(f"{model.date_slider.options[1][0]} to {last}")
    expect(widget).to_contain_text(model.message)
    expect_new_image(widget, src)
    snap(widget, "timeline_3_slider_keyboard")


def test_figures_explorer_scale_and_choice(lab_page: LabPage) -> None:
    from aleppo2016.widgets import FiguresExplorer

    model = FiguresExplorer()
    nb, widget = show(lab_page, "figures", "from aleppo2016.widgets import FiguresExplorer\nFiguresExplorer()",
                      ".aleppo2016-explorer")
    snap(widget, "figures_0_start")
    # Every figure's label is shown whole (long ones wrap), never cut to "…".
    clipped = widget.locator(".widget-checkbox .widget-label-basic").evaluate_all(
        "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)")
    assert clipped == [], clipped

    # Log to linear: the pressed button changes and the chart is redrawn.
    src = image_src(widget)
    widget.get_by_role("button", name="Linear scale").click()
    expect(widget.locator(".widget-toggle-button.mod-active")).to_have_text("Linear scale")
    src = expect_new_image(widget, src)
    snap(widget, "figures_1_linear")
    widget.get_by_role("button", name="Log scale").click()
    expect(widget.locator(".widget-toggle-button.mod-active")).to_have_text("Log scale")
    src = expect_new_image(widget, src)

    # Choose one figure only: untick the others, tick the smallest; the list shows just that figure.
    for rid in model.selected:
        widget.get_by_role("checkbox", name=model.figure_boxes[rid].description, exact=True).uncheck()
    expect(widget).to_contain_text("No figures chosen")
    rid, box = list(model.figure_boxes.items())[-1]
    widget.get_by_role("checkbox", name=box.description, exact=True).check()
    model.selected = (rid,)
    entry = model.view.entries[0][0][1]
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
    expect(widget.locator("blockquote")).to_have_count(2 * len(model.matching))  # the quotation and its excerpt
    snap(widget, "voices_0_all")
    label, key = model.speaker_buttons.options[1]
    widget.get_by_role("button", name=label, exact=True).click()
    model.speaker = key
    expect(widget.locator(".widget-toggle-button.mod-active")).to_have_text(label)
    expect(widget).to_contain_text(model.message)
    expect(widget.locator("blockquote")).to_have_count(2 * len(model.matching))  # the quotation and its excerpt
    assert len(model.matching) < len(model.quotes)
    snap(widget, "voices_1_one_speaker")


def test_claims_comparer_point_choice(lab_page: LabPage) -> None:
    from aleppo2016.widgets import ClaimsComparer

    model = ClaimsComparer()
    options = model.point_buttons.options
    if len(options) < 2:
        pytest.fail(f"ClaimsComparer offers {len(options)} disputed point(s); the test needs two to switch")
    nb, widget = show(lab_page, "claims", "from aleppo2016.widgets import ClaimsComparer\nClaimsComparer()",
                      ".aleppo2016-explorer")
    first = model.view.entries[0][0][1]
    expect(widget).to_contain_text(first)
    snap(widget, "claims_0_first_point")
    label, point = options[1]
    widget.get_by_role("button", name=label, exact=True).click()
    model.point = point
    second = model.view.entries[0][0][1]
    expect(widget).to_contain_text(second)
    expect(widget).to_contain_text(model.replies.iloc[0]["claim"][:60])
    text = widget.inner_text()
    assert "““" not in text, text
    sides = model.claims.loc[list(model.matching.index)]
    without = int((sides["evidence"].fillna("").str.strip() == "").sum())
    assert text.count("The article offers no evidence for this claim.") == without, text  # once per side at most
    snap(widget, "claims_1_second_point")


def test_explorers_work_with_the_keyboard_alone(lab_page: LabPage) -> None:
    """Every explorer changes its view from the keyboard alone: Tab, Space, Enter, typing and arrow keys.

    No mouse clicks: each step focuses a control as Tab would (``.focus()``) and
    presses keys. JupyterLab takes arrow and letter keys from a focused
    drop-down (ipywidgets#3912), which is why the explorers have none.
    """
    from aleppo2016.widgets import ClaimsComparer, FiguresExplorer, TimelineExplorer, VoicesBrowser

    code = ("from aleppo2016.widgets import ClaimsComparer, FiguresExplorer, TimelineExplorer, VoicesBrowser\n"
            "from ipywidgets import VBox\n"
            "VBox([TimelineExplorer(), FiguresExplorer(), VoicesBrowser(), ClaimsComparer()])")
    nb, _ = show(lab_page, "keyboard", code, ".aleppo2016-explorer")
    page = nb.page
    timeline, figures, voices, claims = (nb.output_of(1).locator(".aleppo2016-explorer").nth(i) for i in range(4))

    # Timeline: type a misspelt name and Enter (a suggestion, nothing changes), then the right one.
    tl = TimelineExplorer()
    box = timeline.locator("input[list]").first
    box.focus()
    src = image_src(timeline)
    page.keyboard.type("Vitaly Churkn")
    page.keyboard.press("Enter")
    expect(timeline).to_contain_text("Did you mean 'Vitaly Churkin'?")
    page.keyboard.press("Backspace")  # "Vitaly Chur" + "kin"
    page.keyboard.press("Backspace")
    page.keyboard.type("kin")
    page.keyboard.press("Enter")
    tl.actor = "churkin"
    expect(timeline).to_contain_text(tl.message)
    expect(box).to_have_value("Vitaly Churkin")
    src = expect_new_image(timeline, src)
    # Tab on to the slider's first handle and move it one stop right.
    handle = timeline.locator(".widget-slider .noUi-handle").first
    for _ in range(3):  # the handle is a few Tab stops on; tabbing lands on it
        if handle.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(handle).to_be_focused()
    page.keyboard.press("ArrowRight")
    start, end = tl.date_slider.index  # the explorer opens on the article's weeks
    tl.date_slider.index = (start + 1, end)
    expect(timeline).to_contain_text(f"{tl.date_slider.options[start + 1][0]} to {tl.date_slider.options[end][0]}")
    expect(timeline).to_contain_text(tl.message)
    expect_new_image(timeline, src)
    snap(timeline, "keyboard_1_timeline")

    # Figures: Space unticks the first box (the largest figure), Tab to the next, Space ticks it.
    fe = FiguresExplorer()
    boxes = figures.get_by_role("checkbox")
    src = image_src(figures)
    listing = figures.locator(".widget-html-content p b")
    expect(listing).to_have_count(len(fe.selected))
    boxes.nth(0).focus()
    page.keyboard.press("Space")
    expect(boxes.nth(0)).not_to_be_checked()
    order = list(fe.figure_boxes)
    fe.figure_boxes[order[0]].value = False
    expect(listing).to_have_text([e[0][1] for e in fe.view.entries])
    src = expect_new_image(figures, src)
    unticked = next(i for i, rid in enumerate(order) if not fe.figure_boxes[rid].value and i > 0)
    for _ in range(unticked):
        page.keyboard.press("Tab")
    expect(boxes.nth(unticked)).to_be_focused()
    page.keyboard.press("Space")
    fe.figure_boxes[order[unticked]].value = True
    expect(listing).to_have_text([e[0][1] for e in fe.view.entries])
    expect_new_image(figures, src)
    snap(figures, "keyboard_2_figures")

    # Voices: from "All voices", Tab to the next voice and press Enter.
    vb = VoicesBrowser()
    buttons = voices.get_by_role("button")
    buttons.nth(0).focus()
    page.keyboard.press("Tab")
    expect(buttons.nth(1)).to_be_focused()
    page.keyboard.press("Enter")
    vb.speaker = vb.speaker_buttons.options[1][1]
    expect(voices).to_contain_text(vb.message)
    expect(voices.locator("blockquote")).to_have_count(2 * len(vb.matching))  # the quotation and its excerpt
    assert len(vb.matching) < len(vb.quotes)
    snap(voices, "keyboard_3_voices")

    # Claims: from the first disputed point, Tab to the second and press Space.
    cc = ClaimsComparer()
    buttons = claims.get_by_role("button")
    buttons.nth(0).focus()
    page.keyboard.press("Tab")
    expect(buttons.nth(1)).to_be_focused()
    page.keyboard.press("Space")
    cc.point = cc.point_buttons.options[1][1]
    expect(claims.locator(".widget-toggle-button.mod-active")).to_have_text(cc.point_buttons.options[1][0])
    expect(claims).to_contain_text(cc.replies.iloc[0]["claim"][:60])
    snap(claims, "keyboard_4_claims")


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
    score = quiz.Score(sum(quiz.question_type(s["type"]).scored for s in specs))  # open questions are not scored
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
