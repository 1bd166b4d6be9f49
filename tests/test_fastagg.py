"""The text-caching canvas draws what Matplotlib's own Agg canvas draws, and reuses its text bitmaps."""
from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from aleppo2016 import charts
from aleppo2016._fastagg import TextCachingCanvas


def _pixels(canvas_class: type) -> tuple[np.ndarray, Figure]:
    fig = Figure(figsize=(9, 5), dpi=72)
    canvas_class(fig)
    fig.subplots_adjust(left=0.3, bottom=0.2)
    ax = fig.add_subplot()
    charts.figures_chart(ax=ax)
    ax.text(0.5, 0.5, "rotated", rotation=90, transform=ax.transAxes)
    ax.set_ylabel(r"$\sqrt{x}$ mathtext falls back")
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).astype(int), fig


def test_same_picture_as_matplotlibs_own_canvas() -> None:
    plain, _ = _pixels(FigureCanvasAgg)
    cached, _ = _pixels(TextCachingCanvas)
    assert plain.shape == cached.shape
    # Text is placed on whole pixels, so a label may sit up to a pixel away from
    # where Matplotlib puts it: compare each pixel with its neighbours too.
    best = np.full(plain.shape[:2], 255)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            shifted = np.roll(cached, (dy, dx), axis=(0, 1))
            best = np.minimum(best, np.abs(plain - shifted).max(axis=2))
    assert (best > 96).mean() < 0.002
    # ...and the comparison can fail: a chart without its labels is caught.
    blank = plain.copy()
    blank[:, : plain.shape[1] // 4] = 255
    assert (np.abs(plain - blank).max(axis=2) > 96).mean() > 0.002


def test_text_bitmaps_are_reused_between_draws() -> None:
    _, fig = _pixels(TextCachingCanvas)
    renderer = fig.canvas.get_renderer()
    first = dict(renderer.bitmaps)
    assert first, "no text was cached"
    fig.canvas.draw()
    assert renderer.bitmaps.keys() == first.keys()
    assert all(renderer.bitmaps[k][0] is first[k][0] for k in first)
