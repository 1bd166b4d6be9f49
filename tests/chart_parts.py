"""Find the marks a chart drew by what they are, for the chart and widget tests."""
from __future__ import annotations

from typing import Any

from matplotlib.container import BarContainer


def bars(ax: Any) -> list[Any]:
    """The bars of every bar plot the Axes shows (``ax.bar``/``ax.barh``), in drawing order.

    A widget that redraws by removing its old artists leaves their containers in
    ``ax.containers``, so only bars still among the Axes' patches count.
    """
    shown = {id(p) for p in ax.patches}
    return [bar for container in ax.containers if isinstance(container, BarContainer)
            for bar in container if id(bar) in shown]


def marker_groups(ax: Any) -> list[Any]:
    """The groups of point markers the Axes shows: lines drawn as markers only (``ax.plot(..., linestyle="none")``)."""
    return [line for line in ax.lines if line.get_linestyle() in ("None", "none", "", " ")
            and line.get_marker() not in (None, "None", "none", "", " ")]


def points(ax: Any) -> int:
    """How many point markers the Axes shows."""
    return sum(len(line.get_xdata()) for line in marker_groups(ax))


def hollow(line: Any) -> bool:
    """A marker group drawn hollow (white inside): outside context on the timeline."""
    import matplotlib.colors

    return matplotlib.colors.to_hex(line.get_markerfacecolor()) == "#ffffff"


def drawn_text_boxes(figure: Any) -> list[tuple[str, Any]]:
    """Every piece of text the figure draws, with its box in pixels (drawn first, so tick labels exist).

    Tick labels of ticks outside the axis' range are made but never drawn, so they are left out.
    """
    from matplotlib.text import Text

    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    ticks, shown = set(), []
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            drawn = ax.axison and axis.get_visible()
            low, high = sorted(axis.get_view_interval())
            for major in (True, False):
                tick_list = axis.get_major_ticks() if major else axis.get_minor_ticks()
                locs = axis.get_majorticklocs() if major else axis.get_minorticklocs()
                for tick, loc in zip(tick_list, locs):
                    for label in (tick.label1, tick.label2):
                        ticks.add(id(label))
                        if drawn and low - 1e-9 * abs(high - low) <= loc <= high + 1e-9 * abs(high - low):
                            shown.append(label)
                for tick in tick_list[len(locs):]:
                    ticks.update((id(tick.label1), id(tick.label2)))
    shown += [t for t in figure.findobj(Text) if id(t) not in ticks]
    return [(t.get_text(), t.get_window_extent(renderer)) for t in shown
            if t.get_visible() and t.get_text().strip()]


def overlapping_labels(figure: Any) -> list[tuple[str, str]]:
    """Pairs of drawn texts whose boxes overlap (by more than half a pixel either way)."""
    boxes = drawn_text_boxes(figure)
    found = []
    for i, (text_a, a) in enumerate(boxes):
        for text_b, b in boxes[i + 1:]:
            if min(a.x1, b.x1) - max(a.x0, b.x0) > 0.5 and min(a.y1, b.y1) - max(a.y0, b.y0) > 0.5:
                found.append((text_a, text_b))
    return found


def labels_outside(figure: Any) -> list[str]:
    """Drawn texts that run past the figure's edge (cut off in its PNG)."""
    width, height = figure.canvas.get_width_height()
    return [text for text, box in drawn_text_boxes(figure)
            if box.x0 < -0.5 or box.y0 < -0.5 or box.x1 > width + 0.5 or box.y1 > height + 0.5]
