"""Screen readers and contrast: an axe-core audit of every notebook's outputs, and the questions' live regions (issue 12).

- axe-core (``tests/browser/package.json``, installed with
  ``npm ci --prefix tests/browser``), WCAG 2.0/2.1 A and AA rules, run on the
  outputs of every notebook only (``.jp-OutputArea-output``: what the module
  prints, draws and shows as widgets, not JupyterLab's own interface). A
  violation of serious or critical impact fails, with the rule, the element and
  axe's summary.
- A question keeps ONE live region (``role="status"``, ``aria-live="polite"``),
  there before the first Check, the same element after Check, Try again and
  Check again; the score line likewise. A screen reader announces new words
  in an existing region; a region inserted with its words already inside is
  often never read.
- Right and wrong feedback differ by an icon and words as well as colour, and
  a checked answer's ticks stay fully visible (not faded like a disabled control).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import lab
from conftest import LabPage
from test_notebooks import NOTEBOOKS

pytestmark = pytest.mark.browser

expect: Any
try:
    from playwright.sync_api import expect
except ImportError:  # the browser fixtures skip (or fail in CI) with the install hint
    expect = None
else:
    expect.set_options(timeout=60_000)  # each click goes to the kernel and back

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACT = ("serious", "critical")

# For the audit only: every cell laid out (JupyterLab skips the ones off screen), and the body given
# the window's height. JupyterLab's body is 0 px tall (its shell is positioned absolutely) and hides
# its overflow, so axe-core would take every output for clipped and skip its colour-contrast check.
_LAY_OUT_ALL_JS = """() => {
  const s = document.createElement('style');
  s.textContent = '.jp-Notebook .jp-Cell{content-visibility:visible !important} body{height:100vh !important}';
  document.head.appendChild(s);
}"""

_AXE_RUN_JS = """async (tags) => {
  const include = [...document.querySelectorAll('.jp-Notebook .jp-OutputArea-output')];
  if (!include.length) return {violations: [], outputs: 0};
  const result = await axe.run({include}, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return {outputs: include.length, violations: result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200), summary: n.failureSummary}))}))};
}"""


def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"axe-core is not installed ({AXE} is missing): run `npm ci --prefix tests/browser` "
                    "(.ci/run does it before the tests)", pytrace=False)
    return AXE.read_text(encoding="utf-8")


def audit(page: Any) -> dict[str, Any]:
    """Run axe-core on the notebook's outputs; the serious and critical violations, and how many outputs were audited."""
    page.evaluate(_LAY_OUT_ALL_JS)
    size = page.viewport_size
    # A window as tall as the notebook: an output scrolled out of the notebook's view counts as hidden for axe.
    height = page.evaluate(lab._NOTEBOOK_HEIGHT_JS)
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(int(height), 15000))})
    page.wait_for_timeout(500)
    page.add_script_tag(content=axe_source())
    try:
        found = page.evaluate(_AXE_RUN_JS, AXE_TAGS)
    finally:
        page.set_viewport_size(size)
    found["failing"] = [v for v in found["violations"] if v["impact"] in FAILING_IMPACT]
    return found


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['impact']}: {v['id']} ({v['help']}), {len(v['nodes'])} element(s)")
        for node in v["nodes"][:4]:
            lines.append(f"    {node['target']}: {node['html']}")
            lines.append("      " + " ".join(node["summary"].split())[:300])
    return "\n  ".join(lines)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_axe_finds_no_serious_violation_in_the_outputs(lab_page: LabPage, name: str) -> None:
    lab_page.page.set_viewport_size({"width": 1366, "height": 768})
    nb, report = lab_page.run(name)
    assert not report.problems(), "\n".join(report.problems())
    found = audit(nb.page)
    assert found["outputs"] > 0, f"{name}: no outputs to audit"
    ARTIFACT = lab.ARTIFACTS / "axe"
    ARTIFACT.mkdir(parents=True, exist_ok=True)
    (ARTIFACT / f"{name.removesuffix('.ipynb')}.json").write_text(json.dumps(found["violations"], indent=1))
    assert not found["failing"], f"{name}: axe-core, {found['outputs']} outputs audited:\n  " + describe(found["failing"])


def test_axe_audit_catches_a_violation(lab_page: LabPage) -> None:
    """The audit can fail: a button with no name and unreadable pale text in an output are reported."""
    path = lab.write_scratch(lab_page.server, "axe_bad", [
        "from IPython.display import HTML\n"
        "HTML('<button></button><p style=\"color:#ddd;background:#fff\">Some pale text to read.</p>')",
    ])
    nb, _ = lab_page.run(path)
    failing = {v["id"] for v in audit(nb.page)["failing"]}
    assert {"button-name", "color-contrast"} <= failing, failing


# --------------------------------------------------------------------------
# The questions' live regions, feedback look and checked answers
# --------------------------------------------------------------------------

_LIVE_JS = r"""
(root) => [...root.querySelectorAll('.aleppo2016-live .widget-html-content, .aleppo2016-score .widget-html-content')]
  .map(e => ({role: e.getAttribute('role'), live: e.getAttribute('aria-live'), text: e.innerText.trim().slice(0, 80),
              regions: e.closest('.aleppo2016-question, .aleppo2016-score').querySelectorAll('[role=status], [aria-live]').length}))
"""

_SAME_ELEMENTS_JS = r"""
([root, kept]) => {
  const now = [...root.querySelectorAll('.aleppo2016-live .widget-html-content, .aleppo2016-score .widget-html-content')];
  return now.length === kept.length && now.every((e, i) => e === kept[i] && e.isConnected);
}
"""

_OPACITY_JS = r"""
(el) => { let o = 1; for (let e = el; e; e = e.parentElement) o *= parseFloat(getComputedStyle(e).opacity); return o; }
"""


def test_one_live_region_per_question_and_score_kept_across_check_and_try_again(lab_page: LabPage) -> None:
    from aleppo2016 import quiz

    notebook = "00_start_here"
    spec = quiz.load_questions()[notebook][0]
    assert spec["type"] == "multiple_choice", spec["type"]
    right = next(c["text"] for c in spec["choices"] if c["correct"])
    wrong = next(c["text"] for c in spec["choices"] if not c["correct"])
    path = lab.write_scratch(lab_page.server, "live", [f"from aleppo2016 import quiz\nquiz.questions({notebook!r})"])
    nb, report = lab_page.run(path)
    assert not report.problems(), "\n".join(report.problems())
    page = nb.page
    whole = nb.output_of(1).locator(".aleppo2016-quiz").first
    question = whole.locator(".aleppo2016-question").first
    root = whole.element_handle()

    start = page.evaluate(_LIVE_JS, root)
    n_questions = whole.locator(".aleppo2016-question").count()
    assert len(start) == n_questions + 1, start  # one per question, one score line
    for region in start:
        assert (region["role"], region["live"], region["regions"]) == ("status", "polite", 1), region
    kept = page.evaluate_handle(
        "root => [...root.querySelectorAll('.aleppo2016-live .widget-html-content, .aleppo2016-score .widget-html-content')]",
        root)
    feedback = question.locator(".aleppo2016-live .widget-html-content")
    check = question.get_by_role("button", name="Check")
    again = question.get_by_role("button", name="Try again")

    question.get_by_role("checkbox", name=wrong, exact=True).check()
    check.click()
    expect(feedback).to_contain_text("Not quite.")
    wrong_box = question.locator(".aleppo2016-feedback.aleppo2016-wrong")
    assert wrong_box.locator(".aleppo2016-icon").inner_text() == "\u2716"
    wrong_colour = wrong_box.evaluate("e => getComputedStyle(e).borderLeftColor")
    # The checked answer stays readable: still ticked, not faded.
    ticked = question.get_by_role("checkbox", name=wrong, exact=True)
    assert ticked.is_checked() and ticked.is_disabled()
    for element in (ticked, question.locator(".widget-checkbox").filter(has_text=wrong).locator(".widget-label-basic")):
        assert element.evaluate(_OPACITY_JS) >= 0.99, "a checked answer is drawn faded"
    assert page.evaluate(_SAME_ELEMENTS_JS, [root, kept]), "Check replaced a live region instead of writing into it"
    lab.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    question.screenshot(path=str(lab.SCREENSHOTS / "a11y_question_wrong.png"))
    found = audit(page)  # the wrong-try feedback box and the disabled, ticked answer
    assert not found["failing"], "after a wrong try:\n  " + describe(found["failing"])

    again.click()
    expect(feedback).to_have_text("")
    assert page.evaluate(_SAME_ELEMENTS_JS, [root, kept]), "Try again replaced a live region"
    question.get_by_role("checkbox", name=right, exact=True).check()
    check.click()
    expect(feedback).to_contain_text("That's right.")
    right_box = question.locator(".aleppo2016-feedback.aleppo2016-right")
    assert right_box.locator(".aleppo2016-icon").inner_text() == "\u2714"
    assert right_box.evaluate("e => getComputedStyle(e).borderLeftColor") != wrong_colour
    assert page.evaluate(_SAME_ELEMENTS_JS, [root, kept]), "the second Check replaced a live region"
    after = page.evaluate(_LIVE_JS, root)
    assert all((r["role"], r["live"], r["regions"]) == ("status", "polite", 1) for r in after), after
    score = quiz.Score(sum(quiz.question_type(s["type"]).scored for s in quiz.load_questions()[notebook]))
    score.record(spec["id"], False)
    score.record(spec["id"], True)
    assert after[-1]["text"] == score.text, after[-1]

    # Headings: one per question, for screen readers, at the level given (3 by default), not a fixed <h4>.
    headings = whole.locator("[role=heading][aria-level='3']")
    assert headings.count() == n_questions and whole.locator("h4").count() == 0
    question.screenshot(path=str(lab.SCREENSHOTS / "a11y_question_right.png"))
    found = audit(page)
    assert not found["failing"], "after a right answer:\n  " + describe(found["failing"])
