"""A Matplotlib Agg canvas that rasterises each distinct piece of text once.

Matplotlib 3.11 draws text one glyph at a time in Python, which makes text
the slowest part of redrawing a widget's chart (over half of each redraw for
the figures explorer). A widget's chart shows the same labels again and
again, so this canvas keeps each label's bitmap (keyed by its string, font,
size and antialiasing) and pastes it where the label goes, the way
Matplotlib itself drew text before 3.11. Mathtext and other text that the
fast path cannot draw fall back to Matplotlib's own renderer.
"""
from __future__ import annotations

import math
from collections import OrderedDict
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.font_manager import fontManager, get_font

_CACHE_SIZE = 2048


class _TextCachingRenderer(RendererAgg):
    def __init__(self, width: float, height: float, dpi: float) -> None:
        super().__init__(width, height, dpi)
        self.bitmaps: OrderedDict[tuple[Any, ...], tuple[np.ndarray, float, float, float]] = OrderedDict()
        self._heights: dict[tuple[Any, ...], tuple[float, float, float] | tuple[None, None, None]] = {}

    def _get_font_height_metrics(self, prop):  # noqa: ANN001, ANN202 - the hook Text._get_layout looks for
        """A font's ascent, descent and line gap in pixels, read from its tables once.

        ``Text._get_layout`` asks for these on every draw of every label and
        otherwise reads the font's tables each time; the answer is the same
        for the same font, size and dpi, so it is kept here.
        """
        key = (hash(prop), prop.get_size_in_points(), self.dpi)
        found = self._heights.get(key)
        if found is None:
            font = get_font(fontManager._find_fonts_by_props(prop))
            found = (None, None, None)
            for table_name, gap, ascent, descent in (
                ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                ("hhea", "lineGap", "ascent", "descent"),
            ):
                table = font.get_sfnt_table(table_name)
                if table is not None:
                    scale = prop.get_size_in_points() * self.dpi / 72 / font.get_sfnt_table("head")["unitsPerEm"]
                    found = (table[ascent] * scale, -table[descent] * scale, table[gap] * scale)
                    break
            self._heights[key] = found
        return found

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):  # noqa: ANN001 - Matplotlib's signature
        if ismath or not s:
            return super().draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)
        key = (s, hash(prop), prop.get_size_in_points(), gc.get_antialiased(), self.dpi)
        entry = self.bitmaps.get(key)
        if entry is None:
            font = self._prepare_font(prop)
            font.set_text(s, 0, flags=get_hinting_flag())
            font.draw_glyphs_to_bitmap(antialiased=gc.get_antialiased())
            xo, yo = font.get_bitmap_offset()
            entry = (np.array(font.get_image()), xo / 64.0, yo / 64.0, font.get_descent() / 64.0)
            self.bitmaps[key] = entry
            if len(self.bitmaps) > _CACHE_SIZE:
                self.bitmaps.popitem(last=False)
        image, xo, yo, descent = entry
        x = round(x + xo + descent * math.sin(math.radians(angle)))
        y = round(y + yo + descent * math.cos(math.radians(angle)))
        self._renderer.draw_text_image(image, x, y + 1, angle, gc)


class TextCachingCanvas(FigureCanvasAgg):
    """An Agg canvas whose renderer, and so its text bitmaps, lives as long as the figure's size."""

    def get_renderer(self) -> RendererAgg:
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if self._lastKey != key:
            self.renderer = _TextCachingRenderer(w, h, self.figure.dpi)
            self._lastKey = key
        return self.renderer
