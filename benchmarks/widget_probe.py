"""Runs INSIDE a Jupyter kernel (see bench_widgets.py): drives each widget and times its replies.

The kernel's ``session.send`` is wrapped so that every message the kernel
sends to the front end is seen the moment it has been serialised and handed
to the socket. One interaction's response time runs from just before the
control changes (as a front end's change message would change it) to the
last widget or display message that change caused: for an explorer, the
chart redrawn and its PNG bytes in the Image widget's update; for a question,
the feedback. Interactions are random but seeded, so every run does the same.
"""
from __future__ import annotations

import io
import json
import random
import time
from collections.abc import Callable
from typing import Any

_SENT_TYPES = {"comm_msg", "display_data", "update_display_data", "clear_output"}
_log: list[tuple[float, str, int]] = []  # (time sent, message type, PNG bytes carried)


def _png_bytes(msg_type: str, content: Any, buffers: Any) -> int:
    size = 0
    for buf in buffers or ():
        view = memoryview(buf)
        if view.nbytes >= 8 and bytes(view[:8]) == b"\x89PNG\r\n\x1a\n":
            size += view.nbytes
    if isinstance(content, dict) and isinstance(content.get("data"), dict):
        size += len(content["data"].get("image/png", "")) * 3 // 4  # base64 in display_data
    return size


def install_recorder() -> None:
    """Wrap the kernel's session.send once, to log what leaves for the front end."""
    from IPython import get_ipython

    session = get_ipython().kernel.session
    if getattr(session.send, "_bench", False):
        return
    original = session.send

    def send(stream: Any, msg_or_type: Any, content: Any = None, parent: Any = None, ident: Any = None,
             buffers: Any = None, *args: Any, **kwargs: Any) -> Any:
        result = original(stream, msg_or_type, content, parent, ident, buffers, *args, **kwargs)
        msg_type = msg_or_type if isinstance(msg_or_type, str) else msg_or_type["header"]["msg_type"]
        if msg_type in _SENT_TYPES:
            body = content if content is not None or isinstance(msg_or_type, str) else msg_or_type.get("content")
            _log.append((time.perf_counter(), msg_type, _png_bytes(msg_type, body, buffers)))
        return result

    send._bench = True  # type: ignore[attr-defined]
    session.send = send


def timed(action: Callable[[], None], figure: Any = None, image: Any = None) -> dict[str, Any]:
    """Run one interaction; return its response time and what was sent."""
    drawn = []
    before = image.value if image is not None else None
    cid = figure.canvas.mpl_connect("draw_event", lambda _e: drawn.append(1)) if figure is not None else None
    _log.clear()
    start = time.perf_counter()
    action()
    end = time.perf_counter()
    if cid is not None:
        figure.canvas.mpl_disconnect(cid)
    sent = list(_log)
    if sent:
        end = max(end, max(t for t, _, _ in sent))
    return {"seconds": end - start, "messages": len(sent), "png_bytes": sum(p for _, _, p in sent),
            "redrawn": bool(drawn), "image_changed": image is not None and image.value != before}


# --------------------------------------------------------------------------
# Explorers: one random interaction each, as a student would make it
# --------------------------------------------------------------------------

def _timeline_action(w: Any, rng: random.Random) -> Callable[[], None]:
    kind = rng.choice(["category", "actor", "dates", "dates"])
    if kind == "category":
        boxes = list(w.category_boxes.values())
        ticked = [b for b in boxes if b.value]
        # Untick one, or tick one back when few are left: a student narrows and widens.
        box = rng.choice(ticked if len(ticked) > 2 else [b for b in boxes if not b.value] or boxes)
        return lambda: setattr(box, "value", not box.value)
    if kind == "actor":  # a name typed in the Actor box (sent on Enter), or the box emptied for all actors
        names = [""] + list(w.actor_names.values())
        current = w.actor_names.get(w.actor, "")
        name = "" if rng.random() < 0.4 and current else rng.choice(names[1:])
        if name == current:  # every interaction is a real change
            name = names[(names.index(name) + 1) % len(names)]
        return lambda: setattr(w.actor_box, "value", name)
    n = len(w.date_slider.options)
    lo = rng.randrange(n)
    hi = rng.randrange(lo, n)
    if (lo, hi) == tuple(w.date_slider.index):
        lo, hi = (0, n - 1) if (lo, hi) != (0, n - 1) else (0, n // 2)
    return lambda: setattr(w.date_slider, "index", (lo, hi))


def _figures_action(w: Any, rng: random.Random) -> Callable[[], None]:
    if rng.random() < 0.3:
        return lambda: setattr(w.scale_buttons, "index", 1 - w.scale_buttons.index)
    # Tick or untick one box, as a student does; never the last ticked one, so a chart is always drawn.
    boxes = list(w.figure_boxes.values())
    ticked = [b for b in boxes if b.value]
    box = rng.choice([b for b in boxes if not b.value] if len(ticked) <= 1 or (len(ticked) < 8 and rng.random() < 0.5)
                     else ticked)
    return lambda: setattr(box, "value", not box.value)


def _buttons_action(name: str) -> Callable[[Any, random.Random], Callable[[], None]]:
    """Press another of the explorer's toggle buttons."""
    def make(w: Any, rng: random.Random) -> Callable[[], None]:
        buttons = getattr(w, name)
        n = len(buttons.options)
        others = [i for i in range(n) if i != buttons.index] or [0]
        i = rng.choice(others)
        return lambda: setattr(buttons, "index", i)
    return make


def _scratch_timeline(w: Any) -> Callable[[], Any]:
    import pandas as pd
    from aleppo2016 import charts

    lo, hi = (None, None) if w.whole_range else tuple(pd.Timestamp(d) for d in w.date_range)
    events, context = w.matching, w.matching_context
    return lambda: charts.timeline(events, context, start=lo, end=hi)


def _scratch_figures(w: Any) -> Callable[[], Any]:
    from aleppo2016 import charts

    chosen, scale = w.matching, w.scale
    return lambda: charts.figures_chart(chosen, scale=scale)


def scratch(draw: Callable[[], Any]) -> float:
    """A chart drawn once from nothing, as a notebook cell shows it: new figure, then the PNG the inline backend sends."""
    import matplotlib.pyplot as plt
    from IPython.core.pylabtools import print_figure

    start = time.perf_counter()
    ax = draw()
    print_figure(ax.figure, "png")
    seconds = time.perf_counter() - start
    plt.close(ax.figure)
    return seconds


EXPLORERS = {
    "TimelineExplorer": ("TimelineExplorer", _timeline_action, _scratch_timeline),
    "FiguresExplorer": ("FiguresExplorer", _figures_action, _scratch_figures),
    "VoicesBrowser": ("VoicesBrowser", _buttons_action("speaker_buttons"), None),
    "ClaimsComparer": ("ClaimsComparer", _buttons_action("point_buttons"), None),
}


def explorer(name: str, interactions: int, scratch_runs: int, warmup: int, seed: int = 7) -> dict[str, Any]:
    import ipywidgets

    from aleppo2016 import widgets

    cls_name, make_action, make_scratch = EXPLORERS[name]
    w = getattr(widgets, cls_name)()
    figure = getattr(w, "figure", None)
    image = next((c for c in w.children if isinstance(c, ipywidgets.Image)), None)
    rng = random.Random(seed)
    for _ in range(warmup):
        timed(make_action(w, rng), figure, image)
    if make_scratch is not None:
        scratch(make_scratch(w))  # warm-up: fonts, pyplot
    samples, scratch_times = [], []
    for i in range(interactions):
        samples.append(timed(make_action(w, rng), figure, image))
        if make_scratch is not None and i < scratch_runs:
            scratch_times.append(scratch(make_scratch(w)))
    return {"kind": "explorer", "chart": figure is not None, "samples": samples, "scratch": scratch_times}


# --------------------------------------------------------------------------
# Question widgets: set an answer (right or wrong, varied) and press Check
# --------------------------------------------------------------------------

def _answer(q: Any, rng: random.Random) -> None:
    """One of the type's sample answers (right or wrong, varied), a new one each time where it can."""
    from aleppo2016 import quiz

    samples = quiz.question_type(q.spec["type"]).sample_answers(q.spec)
    q.answer = rng.choice([a for a in samples if a != q.answer] or samples)


def question(qtype: str, interactions: int, warmup: int, seed: int = 11) -> dict[str, Any]:
    from aleppo2016 import quiz

    notebook, qid = next((nb, s["id"]) for nb, specs in quiz.load_questions().items() for s in specs
                         if s["type"] == qtype)
    q = quiz.question(notebook, qid)
    rng = random.Random(seed)

    def once() -> dict[str, Any]:
        def act() -> None:
            _answer(q, rng)
            q.check_button.click()

        result = timed(act)
        if not q.retry_button.disabled:
            q.retry_button.click()  # untimed: ready for the next answer
        return result

    for _ in range(warmup):
        once()
    return {"kind": "question", "chart": False, "question": f"{notebook}/{qid}",
            "samples": [once() for _ in range(interactions)], "scratch": []}


def question_types() -> list[str]:
    """Every question type that has a question in the bank, as the quiz registers them."""
    from aleppo2016 import quiz

    used = {s["type"] for specs in quiz.load_questions().values() for s in specs}
    return [t for t in quiz.QUESTION_TYPES if t in used]


def main(out: str, interactions: int = 60, scratch_runs: int = 10, warmup: int = 5) -> None:
    """Write every widget's samples as JSON to the file `out`, for bench_widgets.py to read."""
    install_recorder()
    results: dict[str, Any] = {}
    for name in EXPLORERS:
        results[name] = explorer(name, interactions, scratch_runs, warmup)
    for qtype in question_types():
        results[f"question: {qtype}"] = question(qtype, interactions, warmup)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(results, f)
