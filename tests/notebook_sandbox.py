"""Run every notebook as a student would, then again and out of order (used by test_offline_readonly.py).

Run as ``python tests/notebook_sandbox.py PROJECT_COPY RESULTS.json``, usually
inside the sandbox that test_offline_readonly.py builds (no network, the copy
read-only). For each notebook, in one kernel:

1. every code cell top to bottom (the normal run; the outputs of cells marked
   tagged ``nbval-check-output`` are reported, to be compared with the stored ones);
2. every code cell a second time, in order (a student pressing Run again);
3. every code cell once more, from the last to the first (out of order);
4. a check cell that looks at the live widgets: no trait or button has the
   same handler twice, no pyplot figure is left open, and answering every
   copy of a re-run question right (twice each) adds exactly one per
   question to each score they count in.

Outputs of runs 1 and 2 are compared (as text, with widget ids and memory
addresses blanked), so a cell that behaves differently the second time shows.
Writes a JSON report; it never raises for a notebook's error, so one broken
notebook does not hide the others.
"""
from __future__ import annotations

import inspect
import json
import re
import socket
import sys
from pathlib import Path
from typing import Any

import nbformat

# Run inside the kernel after the reruns; prints one JSON line.
CHECK_CELL = r'''
import gc as _gc, json as _json, socket as _socket
import ipywidgets as _ipw
import matplotlib.pyplot as _plt
from collections import Counter as _Counter

def _check():
    problems = []
    live = [o for o in _gc.get_objects() if isinstance(o, _ipw.Widget)]
    for wdg in live:
        for trait, kinds in wdg._trait_notifiers.items():
            for kind, handlers in kinds.items():
                seen = _Counter((id(getattr(h, "__self__", None)), getattr(h, "__func__", h)) for h in handlers)
                dupes = [k for k, n in seen.items() if n > 1]
                if dupes:
                    problems.append(f"{type(wdg).__name__}.{trait} has a {kind} handler {len(dupes)} time(s) twice")
        if isinstance(wdg, _ipw.Button) and len(wdg._click_handlers.callbacks) > 1:
            problems.append(f"button {wdg.description!r} has {len(wdg._click_handlers.callbacks)} click handlers")
    if _plt.get_fignums():
        problems.append(f"{len(_plt.get_fignums())} pyplot figure(s) left open")
    counted = 0
    try:
        from aleppo2016 import quiz as _quiz
    except ImportError:
        _quiz = None
    if _quiz is not None:
        questions = [o for o in live if isinstance(o, _quiz.Question) and o.scored]
        by_id = {}
        for q in questions:
            by_id.setdefault(q.id, []).append(q)
        # A re-run question cell may make a new score or join the notebook's running score
        # again; the copies share one record, so answering every copy right counts it once per score.
        rerun = {qid: copies for qid, copies in by_id.items() if len(copies) >= 2}
        before, clicked = {}, {}
        for qid, copies in rerun.items():
            for q in copies:  # every score's count before anything is answered
                before.setdefault(id(q.score), (q.score, q.score.correct))
                clicked.setdefault(id(q.score), set()).add(qid)
        for qid, copies in rerun.items():
            for q in copies:
                if q.checked:
                    q.retry_button.click()  # shown again with the answer another copy checked
                _answer_right(_quiz, q)
                q.check_button.click()
                q.check_button.click()  # a double click (the front end sends only one) counts nothing more
            counted += 1
        for key, (score, was) in before.items():
            if score.correct != was + len(clicked[key]) or score.correct > score.total:
                problems.append(f"a score went from {was} to {score.correct} of {score.total} after answering "
                                f"{len(clicked[key])} question(s) right in every run of their cells")
    blocked = True
    try:
        _socket.create_connection(("1.1.1.1", 53), timeout=3).close()
        blocked = False
    except OSError:
        pass
    import aleppo2016 as _pkg
    return {"problems": problems, "widgets": len(live), "questions_double_checked": counted,
            "network_blocked": blocked, "package": _pkg.__file__}

print("SANDBOX-CHECK " + _json.dumps(_check()))
'''


def answer_right(quiz, q) -> None:
    """Give question widget `q` the answer its type judges right (tests/test_quiz.py uses it too; the kernel gets its source)."""
    q.answer = quiz.question_type(q.spec["type"]).right_answer(q.spec)


# The check cell calls _answer_right, defined in the kernel from the function above.
CHECK_CELL = inspect.getsource(answer_right).replace("def answer_right", "def _answer_right", 1) + CHECK_CELL

_VOLATILE = re.compile(r"0x[0-9a-f]+|\"model_id\": \"[0-9a-f]+\"|[0-9a-f]{32}")


def _text(outputs: list[dict[str, Any]]) -> list[str]:
    """A cell's outputs as comparable text: streams, errors and text/plain, volatile ids blanked."""
    found = []
    for out in outputs:
        if out.get("output_type") == "stream":
            found.append(out["text"])
        elif out.get("output_type") == "error":
            found.append(f"ERROR {out['ename']}: {out['evalue']}")
        else:
            found.append(str(out.get("data", {}).get("text/plain", "")))
    return [_VOLATILE.sub("#", t) for t in found]


def run_notebook(path: Path) -> dict[str, Any]:
    # Imported here: the quiz unit tests import answer_right from this file and must not need nbclient.
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    report: dict[str, Any] = {"errors": [], "changed_on_rerun": [], "check": None}
    phase = "top to bottom"
    with client.setup_kernel():
        try:
            for i in code:
                client.execute_cell(nb.cells[i], i)
            first = {i: _text(nb.cells[i].outputs) for i in code}
            # Cells marked for nbval: test_offline_readonly.py compares them with the stored outputs.
            report["checked"] = {str(i): first[i] for i in code
                                 if "nbval-check-output" in (nb.cells[i].metadata.get("tags") or [])}
            phase = "run again in order"
            for i in code:
                client.execute_cell(nb.cells[i], i)
                again = _text(nb.cells[i].outputs)
                if again != first[i]:
                    report["changed_on_rerun"].append({"cell": i, "first": first[i], "again": again})
            phase = "run from the last cell to the first"
            for i in reversed(code):
                client.execute_cell(nb.cells[i], i)
            phase = "widget check"
            nb.cells.append(nbformat.v4.new_code_cell(CHECK_CELL))
            client.execute_cell(nb.cells[-1], len(nb.cells) - 1)
            lines = [o["text"] for o in nb.cells[-1].outputs if o.get("output_type") == "stream"]
            marker = next(line for text in lines for line in text.splitlines() if line.startswith("SANDBOX-CHECK "))
            report["check"] = json.loads(marker.removeprefix("SANDBOX-CHECK "))
        except CellExecutionError as err:
            report["errors"].append(f"{phase}: {str(err)[-1500:]}")
    return report


def main(project: Path, results: Path) -> None:
    probe = project / "notebooks" / ".write-probe"
    try:
        probe.write_text("x")
        probe.unlink()
        read_only = False
    except OSError:
        read_only = True
    try:
        socket.create_connection(("1.1.1.1", 53), timeout=3).close()
        network_blocked = False
    except OSError:
        network_blocked = True
    report = {"read_only_enforced": read_only, "runner_network_blocked": network_blocked, "notebooks": {}}
    for path in sorted((project / "notebooks").glob("*.ipynb")):
        report["notebooks"][path.name] = run_notebook(path)
    results.write_text(json.dumps(report, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
