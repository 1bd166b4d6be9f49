"""Find the marks a chart drew by what they are, for the chart and widget tests."""
from __future__ import annotations

from typing import Any

from matplotlib.collections import PathCollection
from matplotlib.container import BarContainer


def bars(ax: Any) -> list[Any]:
    """The bars of every bar plot the Axes shows (``ax.bar``/``ax.barh``), in drawing order.

    A widget that redraws by removing its old artists leaves their containers in
    ``ax.containers``, so only bars still among the Axes' patches count.
    """
    shown = {id(p) for p in ax.patches}
    return [bar for container in ax.containers if isinstance(container, BarContainer)
            for bar in container if id(bar) in shown]


def points(ax: Any) -> int:
    """How many scatter points the Axes shows."""
    return sum(len(c.get_offsets()) for c in ax.collections if isinstance(c, PathCollection))
