"""What every chart shares: the Axes it draws on, text that is safe to draw, and its stored description.

``charts`` and ``maps`` both draw through these, so a chart from either takes
``ax=`` the same way, gets the same look on a student's own Axes, and can be
described with ``charts.describe(ax)``.
"""
# No ``from __future__ import annotations``: help() shows real types (as in charts).

import textwrap
import weakref
from typing import Any

from matplotlib.axes import Axes

from . import tables
from .style import chart_style, mark_styled, style_axes

__all__ = ["describe", "store_description", "check_ax", "axes_for", "new_axes", "safe_text", "wrap"]

# Descriptions live beside the Axes they describe and go when it goes.
_DESCRIPTIONS: "weakref.WeakKeyDictionary[Any, str]" = weakref.WeakKeyDictionary()


def describe(ax: Any) -> str:
    """The plain-text description stored when one of these charts was drawn on `ax`.

    Use it as alt text, or read it aloud: it says what kind of chart it is,
    its axes and ranges, and lists the data shown.
    """
    try:
        return _DESCRIPTIONS[ax]
    except (KeyError, TypeError):
        raise ValueError(
            "describe() needs the Axes returned by one of aleppo2016.charts' functions "
            f"(timeline_chart, figures_chart, claims_chart, centres_chart) or maps.aleppo_map; got {type(ax).__name__}, "
            "which was not drawn by them."
        ) from None


def store_description(ax: Axes, text: str) -> None:
    """Keep `text` as the description of the chart just drawn on `ax` (kept as long as the Axes)."""
    _DESCRIPTIONS[ax] = text


def check_ax(ax: object, function: str) -> None:
    """`ax` must be None or a flat matplotlib Axes; say so rather than fail deep inside matplotlib."""
    if ax is not None and not isinstance(ax, Axes):
        raise TypeError(
            f"{function}(): ax must be a matplotlib Axes (e.g. from plt.subplots()) or left out; "
            f"got {type(ax).__name__}."
        )
    if ax is not None and getattr(ax, "name", "rectilinear") != "rectilinear":
        raise ValueError(
            f"{function}(): ax must be an ordinary flat Axes (plt.subplots() without a projection); "
            f"got a {ax.name!r} Axes, on which this chart cannot be drawn."
        )


def axes_for(ax: Axes | None, size: tuple[float, float]) -> Axes:
    """The Axes to draw on: the student's own, given the module's look, or a new one."""
    if ax is None:
        return new_axes(size)
    style_axes(ax)
    return ax


def safe_text(value: Any) -> str:
    """Text from the data, made safe to draw: a "$" is a dollar sign, never the start of mathematics."""
    return tables.text(value).replace("$", r"\$")


def new_axes(size: tuple[float, float]) -> Axes:
    """A new figure for a chart called without ``ax=``.

    The figure is made through pyplot so that Jupyter shows it under the cell
    (as seaborn and pandas do); nothing else uses pyplot's state.
    """
    import matplotlib.pyplot as plt

    with chart_style():
        _, ax = plt.subplots(figsize=size, layout="constrained")
    mark_styled(ax)
    _release_after_printing(ax.figure.canvas)
    return ax


def _release_after_printing(canvas: Any) -> None:
    """Let a chart that has been shown give back its pixel buffer.

    Jupyter shows a chart by printing it to PNG once. The canvas then keeps
    the renderer it drew with (width × height × 4 bytes: 1–2 MB a chart) for
    as long as a variable holds the Axes, which a notebook's ``ax = …`` does
    for the whole lesson. After each print the renderer is let go; drawing
    again (``savefig``, showing it again) makes a new one.
    """
    from ._fastagg import release_renderer

    printing = canvas.print_figure

    def print_figure(*args: Any, **kwargs: Any) -> Any:
        try:
            return printing(*args, **kwargs)
        finally:
            release_renderer(canvas)

    canvas.print_figure = print_figure


def wrap(text: Any, width: int) -> str:
    """Data text wrapped to `width` characters, safe to draw (see safe_text)."""
    text = safe_text(text)
    return "\n".join(textwrap.wrap(text, width)) or text
