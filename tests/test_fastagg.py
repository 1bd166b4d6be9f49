"""The text-caching canvas draws what Matplotlib's own Agg canvas draws, reuses its text
bitmaps, and falls back to Matplotlib's own drawing when the private parts it uses are
missing or raise."""
from __future__ import annotations

import inspect

import matplotlib
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from aleppo2016 import _fastagg, charts
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


def _far_pixels(plain: np.ndarray, other: np.ndarray) -> float:
    """Share of pixels that differ clearly from every pixel within one pixel of them in the other image.

    Text is placed on whole pixels, so a label may sit up to a pixel away from
    where Matplotlib puts it.
    """
    assert plain.shape == other.shape
    best = np.full(plain.shape[:2], 255)
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            shifted = np.roll(other, (dy, dx), axis=(0, 1))
            best = np.minimum(best, np.abs(plain - shifted).max(axis=2))
    return float((best > 96).mean())


def test_same_picture_as_matplotlibs_own_canvas() -> None:
    plain, _ = _pixels(FigureCanvasAgg)
    cached, fig = _pixels(TextCachingCanvas)
    assert isinstance(fig.canvas.get_renderer(), _fastagg._TextCachingRenderer) and fig.canvas.renderer.fast
    assert _far_pixels(plain, cached) < 0.002
    # ...and the comparison can fail: a chart without its labels is caught.
    blank = plain.copy()
    blank[:, : plain.shape[1] // 4] = 255
    assert _far_pixels(plain, blank) > 0.002


def test_text_bitmaps_are_reused_between_draws() -> None:
    _, fig = _pixels(TextCachingCanvas)
    renderer = fig.canvas.get_renderer()
    first = dict(renderer.bitmaps)
    assert first, "no text was cached"
    fig.canvas.draw()
    assert renderer.bitmaps.keys() == first.keys()
    assert all(renderer.bitmaps[k][0] is first[k][0] for k in first)


def test_a_new_chart_pastes_the_labels_an_earlier_chart_drew(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache is shared: a second figure's labels come from the first figure's bitmaps."""
    monkeypatch.setattr(_fastagg, "_BITMAPS", type(_fastagg._BITMAPS)())
    _, first = _pixels(TextCachingCanvas)
    drawn = dict(first.canvas.get_renderer().bitmaps)
    _, second = _pixels(TextCachingCanvas)
    assert second.canvas.get_renderer() is not first.canvas.get_renderer()
    reused = second.canvas.get_renderer().bitmaps
    assert reused.keys() == drawn.keys(), "the second chart rasterised labels the first had drawn"
    assert all(reused[k][0] is drawn[k][0] for k in drawn)


def test_a_changed_hinting_setting_is_not_served_old_bitmaps() -> None:
    with matplotlib.rc_context({"text.hinting_factor": 8}):
        _, fig = _pixels(TextCachingCanvas)
        before = set(fig.canvas.get_renderer().bitmaps)
    with matplotlib.rc_context({"text.hinting_factor": 1}):
        _, fig = _pixels(TextCachingCanvas)
        after = set(fig.canvas.get_renderer().bitmaps) - before
    assert any(k[0] == "rotated" for k in after)


def _kerned(canvas_class: type, features: list[str] | None) -> tuple[np.ndarray, Figure]:
    fig = Figure(figsize=(3, 1), dpi=72)
    canvas_class(fig)
    fig.text(0.05, 0.5, "AVAWAY To Wa", fontsize=20, fontfeatures=features)
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).astype(int), fig


@pytest.mark.skipif(not hasattr(Text, "set_fontfeatures"), reason="font features came with Matplotlib 3.11")
def test_font_features_are_kept() -> None:
    kerned, _ = _kerned(FigureCanvasAgg, None)
    unkerned, _ = _kerned(FigureCanvasAgg, ["-kern"])
    assert _far_pixels(kerned, unkerned) > 0.01  # the feature shows (DejaVu Sans kerns "AV", "To", "Wa")
    for features, expected in ((None, kerned), (["-kern"], unkerned)):
        cached, fig = _kerned(TextCachingCanvas, features)
        assert _far_pixels(expected, cached) < 0.002
        keys = [k for k in fig.canvas.get_renderer().bitmaps if k[0] == "AVAWAY To Wa"]
        assert (tuple(features) if features else None) in [k[5] for k in keys]


# --------------------------------------------------------------------------
# The fallback
# --------------------------------------------------------------------------

def test_nothing_is_missing_from_this_matplotlib() -> None:
    """CI runs this with the lowest Matplotlib allowed and the newest, so both keep the fast path."""
    assert _fastagg.missing() == [], f"Matplotlib {matplotlib.__version__} lacks what the text cache needs"


@pytest.mark.parametrize("owner, name", [
    ("fontManager", "_find_fonts_by_props"),
    (RendererAgg, "_prepare_font"),
    (FigureCanvasAgg, "_lastKey"),
    ("c renderer", "draw_text_image"),
    ("FT2Font", "draw_glyphs_to_bitmap"),
])
def test_a_missing_internal_is_noticed(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> None:
    if owner == "fontManager":
        monkeypatch.delattr(type(_fastagg.fontManager), name)
    elif owner == "c renderer":
        monkeypatch.setattr(_fastagg, "_backend_agg", object())
    elif owner == "FT2Font":
        monkeypatch.setattr(_fastagg, "FT2Font", object())
    else:
        monkeypatch.delattr(owner, name)
    assert any(name in need for need in _fastagg.missing())


def _raise(*args: object, **kwargs: object) -> None:
    raise RuntimeError("a private Matplotlib part changed")


class _NoFonts:
    """A font manager without the private lookup the fast path uses."""


def _break(monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    # A fresh shared cache, as in a new kernel: what earlier tests cached would hide the failure.
    monkeypatch.setattr(_fastagg, "_BITMAPS", type(_fastagg._BITMAPS)())
    monkeypatch.setattr(_fastagg, "_HEIGHTS", {})
    monkeypatch.setattr(_fastagg, "_METRICS", type(_fastagg._METRICS)())
    if how == "missing":  # found missing when the module was imported
        monkeypatch.setattr(_fastagg, "_MISSING", ["fontManager._find_fonts_by_props"])
    elif how == "renderer raises":  # making the caching renderer fails
        monkeypatch.setattr(_fastagg._TextCachingRenderer, "__init__", _raise)
    elif how == "font lookup raises":  # in the _get_font_height_metrics hook, before any text is drawn
        monkeypatch.setattr(_fastagg, "fontManager", _NoFonts())
    elif how == "hinting flag raises":  # fails at the first label
        monkeypatch.setattr(_fastagg, "get_hinting_flag", _raise)
    elif how == "draw_text_image raises":  # fails at the last step, after the bitmap is made
        real = _fastagg._TextCachingRenderer._bitmap
        monkeypatch.setattr(_fastagg._TextCachingRenderer, "_bitmap",
                            lambda *a: ("not an image",) + real(*a)[1:])
    else:
        raise AssertionError(how)


# Matplotlib 3.7 to 3.10 never call the hook, so there a font lookup that raises leaves the fast path working.
_HOOK_USED = "_get_font_height_metrics" in inspect.getsource(Text._get_layout)


@pytest.mark.parametrize("how", ["missing", "renderer raises", "font lookup raises", "hinting flag raises",
                                 "draw_text_image raises"])
def test_falls_back_to_matplotlibs_own_drawing(monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    plain, _ = _pixels(FigureCanvasAgg)
    _break(monkeypatch, how)
    fallen, fig = _pixels(TextCachingCanvas)
    renderer = fig.canvas.get_renderer()
    if how == "font lookup raises" and not _HOOK_USED:
        assert renderer.fast and renderer.bitmaps
        assert _far_pixels(plain, fallen) < 0.002
        return
    if how in ("missing", "renderer raises"):  # the whole canvas is Matplotlib's
        assert type(renderer) is RendererAgg
    else:  # the canvas keeps its renderer, whose text is Matplotlib's after the first failure
        assert isinstance(renderer, _fastagg._TextCachingRenderer)
        assert not renderer.fast and not renderer.bitmaps
    np.testing.assert_array_equal(fallen, plain)
    fig.canvas.draw()  # and again, on the same canvas
    np.testing.assert_array_equal(np.asarray(fig.canvas.buffer_rgba()).astype(int), plain)


def test_a_fallen_back_canvas_still_writes_png(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # noqa: ANN001
    _break(monkeypatch, "hinting flag raises")
    _, fig = _pixels(TextCachingCanvas)
    fig.savefig(tmp_path / "chart.png")
    assert (tmp_path / "chart.png").read_bytes().startswith(b"\x89PNG")


def test_png_holds_the_exact_pixels_its_dpi_and_its_text() -> None:
    from PIL import Image
    import io

    _, fig = _pixels(TextCachingCanvas)
    data = _fastagg.png(fig.canvas, {"Smallest-Font-Pt": "9.5"})
    image = Image.open(io.BytesIO(data))
    image.load()
    np.testing.assert_array_equal(np.asarray(image), np.asarray(fig.canvas.buffer_rgba())[:, :, :3])
    assert image.text == {"Smallest-Font-Pt": "9.5"}
    assert image.info["dpi"][0] == pytest.approx(fig.dpi, abs=0.01)


def test_text_sizes_are_matplotlibs_and_shared_between_renderers() -> None:
    from matplotlib.font_manager import FontProperties

    prop = FontProperties(size=11)
    plain = RendererAgg(300, 200, 96).get_text_width_height_descent("Aleppo, 19 Sep 2016", prop, False)
    first = _fastagg._TextCachingRenderer(300, 200, 96)
    second = _fastagg._TextCachingRenderer(500, 400, 96)  # another size: another renderer
    assert first.get_text_width_height_descent("Aleppo, 19 Sep 2016", prop, False) == plain
    key = next(k for k in _fastagg._METRICS if k[0] == "Aleppo, 19 Sep 2016")
    _fastagg._METRICS[key] = (1.0, 2.0, 3.0)  # the second renderer answers from the shared table
    assert second.get_text_width_height_descent("Aleppo, 19 Sep 2016", prop, False) == (1.0, 2.0, 3.0)
    del _fastagg._METRICS[key]


def _renderers() -> list[RendererAgg]:
    import gc

    gc.collect()
    return [o for o in gc.get_objects() if isinstance(o, RendererAgg)]


@pytest.mark.parametrize("chart", ["centres_chart", "figures_chart", "timeline_chart"])
def test_a_shown_chart_gives_back_its_pixels(chart: str) -> None:
    """A notebook's ``ax = charts.…()`` then ``charts.show(ax)`` keeps the Axes for the whole lesson:
    once its picture is made, no renderer of it (and no pixel buffer: 1-2 MB a chart) stays alive,
    and it can still be drawn again, at the same size."""
    earlier = {id(r) for r in _renderers()}  # other tests' charts, still open
    ax = getattr(charts, chart)()
    shown = charts.show(ax)
    assert [r for r in _renderers() if id(r) not in earlier] == []
    again = charts.png_bytes(ax.figure)
    assert again[:33] == shown.png[:33] and len(again) > 10_000  # the PNG signature and header: its size
    assert [r for r in _renderers() if id(r) not in earlier] == []


def test_a_chart_jupyter_prints_itself_gives_back_its_pixels() -> None:
    """The same for a chart left for Jupyter to show (IPython prints the figure to PNG)."""
    import matplotlib.pyplot as plt
    from IPython.core.pylabtools import print_figure

    earlier = {id(r) for r in _renderers()}
    ax = charts.figures_chart()
    try:
        png = print_figure(ax.figure, "png", bbox_inches="tight")
        assert [r for r in _renderers() if id(r) not in earlier] == []
        assert print_figure(ax.figure, "png", bbox_inches="tight") == png
    finally:
        plt.close(ax.figure)


def test_a_resized_chart_lets_go_of_its_earlier_renderers() -> None:
    """Memory stays bounded over a lesson: after the figures explorer has been through many
    heights, only the current renderer (and its image buffer) is alive, not one per height.

    Tick labels are kept between redraws; before the fix, those a shorter chart did not draw
    held the renderer of every earlier height: 13 renderers, about 27 MB, after one pass.
    """
    import gc

    from aleppo2016 import widgets

    gc.collect()
    earlier = {id(o) for o in gc.get_objects() if isinstance(o, RendererAgg)}  # other tests' charts, still open
    explorer = widgets.FiguresExplorer()
    heights = set()
    for box in [*explorer.figure_boxes.values(), *explorer.figure_boxes.values()]:
        box.value = not box.value
        heights.add(explorer._pane.figure.canvas.get_width_height()[1])
    gc.collect()
    renderers = [o for o in gc.get_objects() if isinstance(o, RendererAgg) and id(o) not in earlier]
    assert len(heights) > 10  # the chart really was drawn at many heights
    assert renderers == [explorer._pane.figure.canvas.renderer]
    explorer.ax.figure.canvas.draw()  # the labels measure and draw with the current renderer
    assert explorer._pane.description
