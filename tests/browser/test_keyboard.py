"""The keyboard inside widgets never changes the notebook, Esc leaves a widget, focus follows Check (issue 12).

JupyterLab's notebook commands (arrows move the cell selection, A and B add
cells, D D deletes one, X cuts ...) fire on any focused element that is not
a text box, so without the classroom settings the arrow keys on a check box
moved the cell selection. ``jupyter/overrides.json`` gives those commands a
selector that leaves out everything inside an output, and binds Esc inside
an output to "back to the cell, command mode" (what notebook 00 teaches).

Every notebook with widgets is run and, while focus is in each kind of
control of each widget, the notebook's command keys are pressed: the cells,
their order, the active cell and the selection must stay as they were, and
focus must stay in the control. Every question is then answered with the
keyboard: after Enter on Check focus is on Try again (Save answer for a
written answer), after Enter on Try again on the answer's first control,
never on the page's body.
"""
from __future__ import annotations

from typing import Any

import pytest

import lab
from conftest import LabPage
from test_notebooks import NOTEBOOKS, _makes_widgets

pytestmark = pytest.mark.browser

WIDGET_NOTEBOOKS = [n for n in NOTEBOOKS if _makes_widgets(n)]

#: Notebook command keys a student may press by accident while in a widget (chords as lists).
COMMAND_KEYS: list[list[str]] = [
    ["ArrowDown"], ["ArrowUp"], ["ArrowLeft"], ["ArrowRight"], ["Shift+ArrowDown"], ["Shift+ArrowUp"],
    ["Control+Shift+ArrowDown"], ["a"], ["b"], ["m"], ["x"], ["d", "d"], ["c"], ["v"], ["z"],
]
#: In a text box the letters are typing; only the navigation keys are tried there.
TEXT_BOX_KEYS = COMMAND_KEYS[:7]

_NOTEBOOK_STATE_JS = r"""
() => {
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
  const nb = document.querySelector('.jp-Notebook');
  return {
    cells: cells.map(c => (c.classList.contains('jp-CodeCell') ? 'code:' : c.classList.contains('jp-MarkdownCell') ? 'md:' : 'raw:')
                          + (c.querySelector('.cm-content')?.textContent || '').slice(0, 60)),
    active: cells.findIndex(c => c.classList.contains('jp-mod-active')),
    selected: cells.map((c, i) => c.classList.contains('jp-mod-selected') ? i : -1).filter(i => i >= 0),
    mode: nb.classList.contains('jp-mod-editMode') ? 'edit' : 'command',
  };
}
"""

# One control of each kind per widget output, tagged so the test can find it again.
_TAG_CONTROLS_JS = r"""
() => {
  const kinds = {
    checkbox: 'input[type=checkbox]', 'toggle button': '.widget-toggle-button', button: 'button.jupyter-button:not(.widget-toggle-button)',
    'slider handle': '.noUi-handle', 'text box': 'input[type=text], input:not([type]), textarea',
  };
  const found = [];
  document.querySelectorAll('.jp-Notebook .jp-OutputArea-output').forEach((out, o) => {
    for (const [kind, sel] of Object.entries(kinds)) {
      const el = [...out.querySelectorAll(sel)].find(e => !e.disabled && e.getBoundingClientRect().width > 0);
      if (!el) continue;
      const tag = `k${o}-${found.length}`;
      el.setAttribute('data-aleppo2016-key-test', tag);
      const cell = [...document.querySelectorAll('.jp-Notebook .jp-Cell')].findIndex(c => c.contains(el)) + 1;
      found.push({tag, kind, cell, name: (el.innerText || el.getAttribute('aria-label') || el.title || el.parentElement.innerText || '').trim().slice(0, 40)});
    }
  });
  return found;
}
"""

_FOCUS_JS = r"""
(question) => {
  const a = document.activeElement;
  return {body: a === document.body || a === null, inQuestion: !!question && question.contains(a),
          text: (a?.innerText || a?.getAttribute('aria-label') || a?.tagName || '').trim().slice(0, 40),
          tag: a?.tagName || '', type: a?.getAttribute('type') || ''};
}
"""


def _state(page: Any) -> dict[str, Any]:
    return page.evaluate(_NOTEBOOK_STATE_JS)


def _press(page: Any, chord: list[str]) -> None:
    for key in chord:
        page.keyboard.press(key)
    page.wait_for_timeout(80)


@pytest.mark.parametrize("name", WIDGET_NOTEBOOKS)
def test_keyboard_in_every_notebook(lab_page: LabPage, name: str) -> None:
    """One run of the notebook for both checks: command keys inside widgets, then focus after Check."""
    lab_page.page.set_viewport_size({"width": 1366, "height": 768})
    nb, report = lab_page.run(name)
    assert not report.problems(), "\n".join(report.problems())
    problems = command_keys_problems(nb) + focus_problems(nb)
    assert not problems, f"{name}:\n  " + "\n  ".join(problems)


def command_keys_problems(nb: lab.Notebook) -> list[str]:
    """Press the notebook's command keys in one control of each kind of each widget: what changed the notebook."""
    page = nb.page
    controls = page.evaluate(_TAG_CONTROLS_JS)
    assert controls, f"{nb.name} makes widgets, but no control was found in its outputs"
    problems = []
    for control in controls:
        element = page.locator(f"[data-aleppo2016-key-test='{control['tag']}']")
        element.scroll_into_view_if_needed()
        element.focus()
        before = _state(page)
        for chord in TEXT_BOX_KEYS if control["kind"] == "text box" else COMMAND_KEYS:
            _press(page, chord)
            after = _state(page)
            where = f"cell {control['cell']}, {control['kind']} {control['name']!r}, key {'+'.join(chord)}"
            if after != before:
                changed = [k for k in before if before[k] != after[k]]
                problems.append(f"{where}: the notebook changed ({', '.join(changed)}: {before['active']}->{after['active']}, "
                                f"{len(before['cells'])}->{len(after['cells'])} cells)")
                break
            if not element.evaluate("el => el === document.activeElement"):
                problems.append(f"{where}: focus left the control (now {page.evaluate(_FOCUS_JS, None)['text']!r})")
                break
    return problems


def _answer_with_keys(page: Any, question: Any) -> None:
    """Give some answer from the keyboard: tick the first box, or type in the box."""
    box = question.locator("input[type=checkbox]").first
    if box.count():
        box.focus()
        page.keyboard.press("Space")
        return
    text = question.locator("textarea, input[type=text]").first
    if text.count():
        text.focus()
        page.keyboard.type("1")
    # ordering: the shuffled order is an answer already


def focus_problems(nb: lab.Notebook) -> list[str]:
    """Answer every question with the keyboard: where focus went after Enter on Check and on Try again."""
    page = nb.page
    questions = page.locator(".jp-Notebook .aleppo2016-question")
    problems: list[str] = []
    for i in range(questions.count()):
        question = questions.nth(i)
        question.scroll_into_view_if_needed()
        check = question.locator("button", has_text="Check").or_(question.locator("button", has_text="Save answer")).first
        again = question.locator("button", has_text="Try again")
        live = question.locator(".aleppo2016-live .widget-html-content")
        if check.is_disabled():  # answered earlier in the notebook (the same question shown twice): start afresh
            again.focus()
            page.keyboard.press("Enter")
            page.wait_for_function("b => !b.disabled", arg=check.element_handle())
        _answer_with_keys(page, question)
        before = live.inner_text()
        check.focus()
        page.keyboard.press("Enter")
        page.wait_for_function("([el, t]) => el.innerText !== t", arg=[live.element_handle(), before])
        nb.wait_idle()
        page.wait_for_timeout(300)
        label = question.locator("[role=heading]").first.inner_text()
        focus = page.evaluate(_FOCUS_JS, question.element_handle())
        scored = again.count() == 1
        want = "Try again" if scored else "Save answer"
        if focus["body"] or not focus["inQuestion"] or want not in focus["text"]:
            problems.append(f"{label!r}: after Enter on Check, focus is on {focus['text'] or 'the page body'!r}, not {want!r}")
            continue
        if not scored:
            continue
        page.keyboard.press("Enter")  # on Try again
        page.wait_for_function("b => !b.disabled", arg=check.element_handle())
        page.wait_for_timeout(300)
        focus = page.evaluate(_FOCUS_JS, question.element_handle())
        if focus["body"] or not focus["inQuestion"] or focus["tag"] not in ("INPUT", "TEXTAREA", "BUTTON") \
                or "Try again" in focus["text"] or "Check" in focus["text"]:
            problems.append(f"{label!r}: after Enter on Try again, focus is on {focus['text'] or 'the page body'!r}, "
                            "not on the answer's first control")
    return problems


def test_escape_leaves_a_widget_for_its_cell(lab_page: LabPage) -> None:
    """Esc in a widget: focus goes to the widget's cell in command mode, and the arrow keys move between cells again."""
    path = lab.write_scratch(lab_page.server, "escape", [
        "x = 1",
        "from aleppo2016 import quiz\nquiz.question('00_start_here', quiz.question_ids('00_start_here')[0])",
        "y = 2",
    ])
    nb, report = lab_page.run(path)
    assert not report.problems(), "\n".join(report.problems())
    page = nb.page
    cell = page.locator(".jp-Notebook .jp-Cell").nth(1)
    for control in ("input[type=checkbox]", "button"):
        cell.locator(control).first.focus()
        assert _state(page)["active"] == 1
        page.keyboard.press("ArrowDown")  # inside the widget: nothing happens to the notebook
        assert _state(page)["active"] == 1
        page.keyboard.press("Escape")
        page.wait_for_timeout(200)
        assert cell.evaluate("el => el === document.activeElement"), page.evaluate(_FOCUS_JS, None)
        assert _state(page)["mode"] == "command"
        page.keyboard.press("ArrowDown")  # back in the notebook: the arrow keys move between cells
        page.wait_for_timeout(200)
        assert _state(page)["active"] == 2, _state(page)
        page.keyboard.press("ArrowUp")
        page.wait_for_timeout(200)
        assert _state(page)["active"] == 1
