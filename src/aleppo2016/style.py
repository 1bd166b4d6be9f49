"""The module's one chart style: colour-blind-safe colours that also read in greyscale.

Colours come from the Okabe–Ito palette (Okabe and Ito, "Color Universal
Design", 2008), which stays distinguishable for the common kinds of colour
blindness. Because a printed worksheet may be black and white, every category
also gets a hatch pattern and a marker shape, so colour is never the only cue.

Each mapping is built from the fixed lists in :mod:`aleppo2016.data`, not from
whatever rows happen to be on screen, so "military" is the same colour in
every chart and every notebook.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from cycler import cycler

from .data import CLAIM_KINDS, EVENT_CATEGORIES, FIGURE_CATEGORIES

__all__ = [
    "OKABE_ITO",
    "INK",
    "MUTED",
    "colour_for",
    "hatch_for",
    "marker_for",
    "chart_style",
]

#: The eight Okabe–Ito colours, by name.
OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "black": "#000000",
}

#: Text and lines.
INK = "#222222"
#: Secondary text (sources, captions) and grid lines.
MUTED = "#555555"

# Yellow is last: it is hard to see as a thin line on white, and no list of
# categories is long enough to reach it.
_ORDER = ("blue", "vermillion", "bluish green", "reddish purple", "orange", "sky blue", "black", "yellow")
_HATCHES = ("", "///", "...", "xx", "\\\\", "++", "oo", "--")
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "h")

#: Every vocabulary that gets a stable style, in a fixed order.
_VOCABULARIES: tuple[Sequence[str], ...] = (EVENT_CATEGORIES, FIGURE_CATEGORIES, CLAIM_KINDS)


def _position(name: str, among: Sequence[str] | None) -> int:
    for vocabulary in ((among,) if among is not None else _VOCABULARIES):
        if name in vocabulary:
            return list(vocabulary).index(name)
    # Not in a known list (a teacher's own category): a stable choice by name.
    return sum(map(ord, name)) % len(_ORDER)


def colour_for(name: str, among: Sequence[str] | None = None) -> str:
    """The hex colour for an event category, figure category or claim kind.

    `among` is the list the name comes from (e.g. ``data.FIGURE_CATEGORIES``),
    for a name that is in two lists ("military"); by default the first list
    that has it.
    """
    return OKABE_ITO[_ORDER[_position(name, among) % len(_ORDER)]]


def hatch_for(name: str, among: Sequence[str] | None = None) -> str:
    """The hatch pattern that stands in for colour when printed in greyscale."""
    return _HATCHES[_position(name, among) % len(_HATCHES)]


def marker_for(name: str, among: Sequence[str] | None = None) -> str:
    """The marker shape that stands in for colour when printed in greyscale."""
    return _MARKERS[_position(name, among) % len(_MARKERS)]


#: Matplotlib settings for every chart; applied while a chart is drawn.
RC: dict[str, object] = {
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 10,
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(color=[OKABE_ITO[c] for c in _ORDER]),
    "xtick.color": INK,
    "ytick.color": INK,
    "text.color": INK,
    "legend.frameon": False,
    "legend.fontsize": 9,
    "hatch.linewidth": 0.8,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
}


@contextmanager
def chart_style() -> Iterator[None]:
    """Draw with the module's style without changing the student's own settings."""
    import matplotlib

    # Save and restore only our keys: matplotlib.rc_context copies every
    # setting, which costs more than drawing a small change in a widget.
    params = matplotlib.rcParams
    saved = {key: params[key] for key in RC}
    params.update(RC)
    try:
        yield
    finally:
        params.update(saved)
        # Jupyter's inline backend switches interactive mode on when the first
        # figure is made; if that happened in here, keep it on after the
        # context restores the old settings, or later charts are never shown.
        interactive = matplotlib.is_interactive()
    matplotlib.interactive(interactive)
