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
