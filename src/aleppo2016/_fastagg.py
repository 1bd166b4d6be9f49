"""A Matplotlib Agg canvas that rasterises each distinct piece of text once.

Matplotlib 3.11 draws text one glyph at a time in Python, which makes text
the slowest part of redrawing a widget's chart (over half of each redraw for
the figures explorer). A widget's chart shows the same labels again and
again, so this canvas keeps each label's bitmap (keyed by its string, font,
size, antialiasing and font features) and pastes it where the label goes, the
way Matplotlib itself drew text before 3.11. Mathtext and other text that the
fast path cannot draw fall back to Matplotlib's own renderer.

The fast path leans on private parts of Matplotlib (listed in ``_NEEDS``). It
is only a speed-up, so it must never cost a student a chart: if one of those
parts is missing, the canvas is Matplotlib's own Agg canvas; if one raises
while drawing, that renderer hands the text, and all its later text, to
Matplotlib's own ``draw_text``.
"""
from __future__ import annotations

import logging
import math
import struct
import zlib
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Callable

import numpy as np
from matplotlib import rcParams
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.text import Text

if TYPE_CHECKING:
    from matplotlib.figure import Figure

try:  # private: each may move or vanish in a Matplotlib release
    from matplotlib.backends import _backend_agg
    from matplotlib.backends.backend_agg import get_hinting_flag
    from matplotlib.font_manager import fontManager, get_font
    from matplotlib.ft2font import FT2Font
except ImportError:  # pragma: no cover - depends on the Matplotlib release
    _backend_agg = get_hinting_flag = fontManager = get_font = FT2Font = None

_log = logging.getLogger(__name__)
_CACHE_SIZE = 2048
#: Shared by every caching renderer, so a label drawn in one chart (a tick label, a legend
#: entry) is pasted, not drawn again, in the next chart of the lesson; bounded by _CACHE_SIZE.
_BITMAPS: OrderedDict[tuple[Any, ...], tuple[np.ndarray, float, float, float]] = OrderedDict()
_HEIGHTS: dict[tuple[Any, ...], tuple[float, float, float] | tuple[None, None, None]] = {}
#: Text sizes (width, height, descent in pixels), shared too: Matplotlib keeps them per renderer, and an
#: explorer whose chart changes height gets a new renderer, so its labels were measured again.
_METRICS: OrderedDict[tuple[Any, ...], tuple[float, float, float]] = OrderedDict()

# What the fast path reads from Matplotlib, each with how to reach it (raising or None: not there).
_NEEDS: dict[str, Callable[[], Any]] = {
    "backend_agg.get_hinting_flag": lambda: get_hinting_flag,
    "font_manager.get_font": lambda: get_font,
    "fontManager._find_fonts_by_props": lambda: fontManager._find_fonts_by_props,
    "RendererAgg._prepare_font": lambda: RendererAgg._prepare_font,
    "the C renderer's draw_text_image": lambda: _backend_agg.RendererAgg.draw_text_image,
    "FigureCanvasAgg._lastKey": lambda: hasattr(FigureCanvasAgg, "_lastKey") or None,
    **{f"FT2Font.{name}": (lambda name=name: getattr(FT2Font, name)) for name in (
        "set_text", "draw_glyphs_to_bitmap", "get_bitmap_offset", "get_image", "get_descent", "get_sfnt_table")},
}


def missing() -> list[str]:
    """The private Matplotlib parts the fast path needs that this Matplotlib lacks (empty: all there)."""
    lacking = []
    for name, check in _NEEDS.items():
        try:
            if check() is None:
                lacking.append(name)
        except Exception:  # noqa: BLE001 - any failure means "not usable here"
            lacking.append(name)
    return lacking


def _features(mtext: Any) -> tuple[tuple[str, ...] | None, Any]:
    """The text's font features and language, on a Matplotlib that has them (3.11 and later)."""
    if mtext is None or not hasattr(mtext, "get_fontfeatures"):
        return None, None
    features = mtext.get_fontfeatures()
    language = mtext.get_language() if hasattr(mtext, "get_language") else None
    return (tuple(features) if features is not None else None,
            tuple(language) if isinstance(language, list) else language)


class _TextCachingRenderer(RendererAgg):
    def __init__(self, width: float, height: float, dpi: float) -> None:
        super().__init__(width, height, dpi)
        self.bitmaps = _BITMAPS
        self._heights = _HEIGHTS
        self.fast = True  # False once the fast path has failed here: Matplotlib draws all text after that

    def _get_font_height_metrics(self, prop):  # noqa: ANN001, ANN202 - the hook Text._get_layout looks for
        """A font's ascent, descent and line gap in pixels, read from its tables once.

        ``Text._get_layout`` asks for these on every draw of every label and
        otherwise reads the font's tables each time; the answer is the same
        for the same font, size and dpi, so it is kept here. ``(None, None,
        None)`` (also the answer when reading fails) makes Matplotlib measure
        the font itself.
        """
        if not self.fast:
            return None, None, None
        try:
            key = (hash(prop), prop.get_size_in_points(), self.dpi)
            found = self._heights.get(key)
            if found is None:
                found = self._read_height_metrics(prop)
                self._heights[key] = found
            return found
        except Exception:  # noqa: BLE001 - a speed-up must not break a drawing
            self._give_up("reading font height metrics")
            return None, None, None

    def _read_height_metrics(self, prop):  # noqa: ANN001, ANN202
        font = get_font(fontManager._find_fonts_by_props(prop))
        for table_name, gap, ascent, descent in (
            ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
            ("hhea", "lineGap", "ascent", "descent"),
        ):
            table = font.get_sfnt_table(table_name)
            if table is not None:
                scale = prop.get_size_in_points() * self.dpi / 72 / font.get_sfnt_table("head")["unitsPerEm"]
                return table[ascent] * scale, -table[descent] * scale, table[gap] * scale
        return None, None, None

    def get_text_width_height_descent(self, s, prop, ismath):  # noqa: ANN001, ANN201 - Matplotlib's signature
        if ismath or not self.fast:
            return super().get_text_width_height_descent(s, prop, ismath)
        try:
            key = (s, hash(prop), prop.get_size_in_points(), self.dpi, get_hinting_flag(), rcParams["text.hinting_factor"])
        except Exception:  # noqa: BLE001 - a speed-up must not break a drawing
            self._give_up("measuring text")
            return super().get_text_width_height_descent(s, prop, ismath)
        found = _METRICS.get(key)
        if found is None:
            found = _METRICS[key] = super().get_text_width_height_descent(s, prop, ismath)
            if len(_METRICS) > _CACHE_SIZE:
                _METRICS.popitem(last=False)
        return found

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):  # noqa: ANN001 - Matplotlib's signature
        if ismath or not s or not self.fast:
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        try:
            image, xo, yo, descent = self._bitmap(gc, s, prop, mtext)
            left = round(x + xo + descent * math.sin(math.radians(angle)))
            top = round(y + yo + descent * math.cos(math.radians(angle)))
            self._renderer.draw_text_image(image, left, top + 1, angle, gc)
        except Exception:  # noqa: BLE001 - nothing is drawn before the last call, so Matplotlib can start over
            self._give_up("drawing text")
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        return None

    def _bitmap(self, gc, s, prop, mtext):  # noqa: ANN001, ANN202
        features, language = _features(mtext)
        hinting = get_hinting_flag()
        key = (s, hash(prop), prop.get_size_in_points(), gc.get_antialiased(), self.dpi, features, language,
               hinting, rcParams["text.hinting_factor"])
        entry = self.bitmaps.get(key)
        if entry is None:
            font = self._prepare_font(prop)
            if features is None and language is None:
                font.set_text(s, 0, flags=hinting)
            else:
                font.set_text(s, 0, flags=hinting, features=features, language=language)
            font.draw_glyphs_to_bitmap(antialiased=gc.get_antialiased())
            xo, yo = font.get_bitmap_offset()
            entry = (np.array(font.get_image()), xo / 64.0, yo / 64.0, font.get_descent() / 64.0)
            self.bitmaps[key] = entry
            if len(self.bitmaps) > _CACHE_SIZE:
                self.bitmaps.popitem(last=False)
        else:
            self.bitmaps.move_to_end(key)
        return entry

    def _give_up(self, doing: str) -> None:
        self.fast = False
        self.bitmaps = OrderedDict()  # this renderer stops using the shared cache; other charts keep theirs
        _log.debug("aleppo2016: the text cache failed while %s; Matplotlib draws the text instead", doing,
                   exc_info=True)


def _let_go(figure: Figure, renderer: RendererAgg) -> None:
    """Drop the Text artists' references to a renderer the figure has outgrown.

    A Text keeps the renderer that last measured it. Tick labels are kept
    between redraws (widgets._reset_axes), and those a smaller chart does not
    draw would keep the renderer of every earlier size alive, each with its
    image (576 × 1852 pixels is 4 MB): 13 of them, about 27 MB, after one pass
    through the figures explorer. A Text with no renderer asks the figure for
    the current one when it is next measured.
    """
    try:
        texts = list(figure.findobj(Text))
        for ax in figure.axes:
            for axis in (ax.xaxis, ax.yaxis):
                for tick in (*axis.majorTicks, *axis.minorTicks):
                    texts += (tick.label1, tick.label2)
        for text in texts:
            if getattr(text, "_renderer", None) is renderer:
                text._renderer = None
    except Exception:  # noqa: BLE001 - a saving of memory must not break a drawing
        _log.debug("aleppo2016: could not release an outgrown renderer", exc_info=True)


def release_renderer(canvas: Any) -> None:
    """Give back an Agg canvas's cached renderer and its pixel buffer; the next drawing makes a new one."""
    renderer = getattr(canvas, "renderer", None)
    if renderer is None:
        return
    _let_go(canvas.figure, renderer)
    del canvas.renderer
    canvas._lastKey = None


class TextCachingCanvas(FigureCanvasAgg):
    """An Agg canvas whose renderer, and so its text bitmaps, lives as long as the figure's size.

    Where this Matplotlib lacks what the text cache needs, or making its
    renderer fails, it is exactly Matplotlib's own Agg canvas.
    """

    def get_renderer(self, *args: Any, **kwargs: Any) -> RendererAgg:
        if _MISSING or getattr(self, "_plain", False):
            return super().get_renderer(*args, **kwargs)
        try:
            w, h = self.get_width_height(physical=True)
            key = w, h, self.figure.dpi
            if self._lastKey != key:
                old = getattr(self, "renderer", None)
                if old is not None:
                    _let_go(self.figure, old)
                self.renderer = _TextCachingRenderer(w, h, self.figure.dpi)
                self._lastKey = key
            elif kwargs.get("cleared") or any(args):  # Matplotlib 3.7's get_renderer(cleared=True)
                self.renderer.clear()
            return self.renderer
        except Exception:  # noqa: BLE001 - a speed-up must not break a drawing
            _log.debug("aleppo2016: no text cache for this canvas; Matplotlib's renderer is used", exc_info=True)
            self._plain = True
            self._lastKey = None
            return super().get_renderer(*args, **kwargs)


_MISSING = missing()


def png(canvas: FigureCanvasAgg, text: dict[str, str] | None = None) -> bytes:
    """The canvas's last drawing as an RGB PNG, with its dpi and `text` (tEXt chunks).

    Written directly (no row filter, zlib at level 1): a chart's large flat
    areas compress as well as with PIL's encoder, in under half the time, and
    the PNG is made on every click in an explorer.
    """
    rgba = np.asarray(canvas.buffer_rgba())
    height, width = rgba.shape[:2]
    rows = np.zeros((height, width * 3 + 1), dtype=np.uint8)  # each row starts with filter type 0 (None)
    rgb = rows[:, 1:].reshape(height, width, 3)
    for channel in range(3):  # one channel at a time: about 3 times quicker than copying rgba[:, :, :3] at once
        rgb[:, :, channel] = rgba[:, :, channel]
    pixels_per_metre = round(canvas.figure.dpi / 0.0254)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    return b"".join([
        b"\x89PNG\r\n\x1a\n",
        chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),  # 8-bit RGB
        chunk(b"pHYs", struct.pack(">IIB", pixels_per_metre, pixels_per_metre, 1)),
        *(chunk(b"tEXt", f"{key}\0{value}".encode("latin-1")) for key, value in (text or {}).items()),
        chunk(b"IDAT", zlib.compress(memoryview(rows), 1)),
        chunk(b"IEND", b""),
    ])
