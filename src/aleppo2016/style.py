"""The module's one chart style: colour-blind-safe colours that also read in greyscale.

Colours come from the Okabe–Ito palette (Okabe and Ito, "Color Universal
Design", 2008), which stays distinguishable for the common kinds of colour
blindness. Because a printed worksheet may be black and white, every category
also gets a hatch pattern and a marker shape, so colour is never the only cue.

There is one mapping (``LOOKS``), built from the fixed lists in
:mod:`aleppo2016.data`, not from whatever rows happen to be on screen, so
"military" has the same colour and hatch in every chart and every notebook.
"""

import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NamedTuple

from cycler import cycler

from .data import CLAIM_KINDS, EVENT_CATEGORIES, FIGURE_CATEGORIES

__all__ = [
    "OKABE_ITO",
    "INK",
    "MUTED",
    "GRID",
    "PANEL",
    "ACCENT",
    "Look",
    "look_for",
    "colour_for",
    "hatch_for",
    "marker_for",
    "chart_style",
    "style_axes",
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
#: Secondary text (sources, captions) and borders.
MUTED = "#555555"
#: Grid lines, light enough to stay behind the data.
GRID = "#dddddd"
#: The fill behind a name in a diagram, or a panel of text.
PANEL = "#f2f2f2"
#: The one colour for a mark that belongs to no category (a quotation's rule).
ACCENT = OKABE_ITO["blue"]

# Fill colours, in the order they are handed out. Black is not among them:
# it is the ink, and a black bar hides its own hatch. Yellow is last because
# it is hard to see as a thin line on white; only a list longer than six
# reaches it. Two do: the figures' eight categories ("infrastructure" gets it,
# drawn as a bar with a dark edge and a hatch, so it still shows) and the
# seven claim kinds ("report" gets it, handed out last because a report is
# mostly about no one in particular and so counted under the diagram, not drawn).
_ORDER = ("blue", "vermillion", "bluish green", "reddish purple", "orange", "sky blue", "yellow")
# Every hatch is visible: none is empty, and every fill is light enough for a dark hatch.
_HATCHES = ("///", "...", "xx", "\\\\", "++", "oo", "--", "||")
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "h")


class Look(NamedTuple):
    """How one category is drawn: colour, hatch (for bars) and marker (for points)."""

    colour: str
    hatch: str
    marker: str


def _assign(vocabularies: Sequence[Sequence[str]]) -> dict[str, Look]:
    """One look per name, distinct within each list, the same in every list that has the name.

    Names are handed the first colour, hatch and marker not yet used in
    their own list, so "military" (an event category and a figure category)
    is blue with the same hatch everywhere. A list longer than the colours
    (the figures' eight) reuses a colour, never a hatch.
    """
    looks: dict[str, Look] = {}
    for vocabulary in vocabularies:
        taken = [looks[name] for name in vocabulary if name in looks]
        for name in vocabulary:
            if name in looks:
                continue

            def first(options: Sequence[str], used: set[str]) -> str:
                free = [o for o in options if o not in used]
                return free[0] if free else options[len(taken) % len(options)]

            look = Look(
                first([OKABE_ITO[c] for c in _ORDER], {t.colour for t in taken}),
                first(_HATCHES, {t.hatch for t in taken}),
                first(_MARKERS, {t.marker for t in taken}),
            )
            looks[name] = look
            taken.append(look)
    return looks


#: The one mapping from a category (or claim kind) to how it is drawn.
LOOKS: dict[str, Look] = _assign(
    (EVENT_CATEGORIES, FIGURE_CATEGORIES, [k for k in CLAIM_KINDS if k != "report"] + ["report"]))


def look_for(name: str) -> Look:
    """Colour, hatch and marker for an event category, figure category or claim kind.

    A name not in the package's lists (a teacher's own category) gets a
    stable look chosen from its letters, the same in every chart.
    """
    name = str(name)
    found = LOOKS.get(name)
    if found is not None:
        return found
    n = sum(map(ord, name))
    return Look(OKABE_ITO[_ORDER[n % len(_ORDER)]], _HATCHES[n % len(_HATCHES)], _MARKERS[n % len(_MARKERS)])


def colour_for(name: str, among: Sequence[str] | None = None) -> str:
    """The hex colour for an event category, figure category or claim kind.

    `among` is accepted for older code and ignored: a name has one colour everywhere.
    """
    return look_for(name).colour


def hatch_for(name: str, among: Sequence[str] | None = None) -> str:
    """The hatch pattern that stands in for colour when printed in greyscale."""
    return look_for(name).hatch


def marker_for(name: str, among: Sequence[str] | None = None) -> str:
    """The marker shape that stands in for colour when printed in greyscale."""
    return look_for(name).marker


#: The smallest text on any chart, in points. With charts at most 6.2 in wide it is at least
#: 11 px on screen even where a 1024 px window scales the chart to its cell (about 590 px).
SMALL_PT = 9.0
#: Width in inches of a chart drawn inline (its height varies with what it holds).
CHART_WIDTH = 6.2

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
    "text.usetex": False,  # text from the data is drawn as text, never typeset
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


# Axes already in the module's look: those made inside chart_style().
_STYLED: "weakref.WeakSet[Any]" = weakref.WeakSet()


def style_axes(ax: Any) -> None:
    """Give an Axes the student made (``ax=``) the look of one made by the charts.

    Matplotlib reads most settings when an Axes is created, so drawing inside
    chart_style() is not enough for an Axes that already exists: its
    spines, face, tick and label colours are set here, once per Axes.
    """
    if ax in _STYLED:
        return
    ax.set_facecolor(RC["axes.facecolor"])
    for side, spine in ax.spines.items():
        if side in ("top", "right"):
            spine.set_visible(False)
        else:
            spine.set_edgecolor(MUTED)
    ax.tick_params(colors=INK, labelsize=RC["font.size"])
    for label in (ax.xaxis.label, ax.yaxis.label):
        label.set_color(INK)
        label.set_fontsize(RC["axes.labelsize"])
    ax.set_prop_cycle(RC["axes.prop_cycle"])
    _STYLED.add(ax)


def mark_styled(ax: Any) -> None:
    """Note that `ax` was made inside chart_style(), so style_axes() has nothing to do."""
    _STYLED.add(ax)


def smallest_font_pt(figure: Any) -> float:
    """The size in points of the smallest visible text in `figure` (0 when it has none).

    Saved with a chart's PNG, so that its smallest label's size on screen can be checked.
    """
    from matplotlib.text import Text

    sizes = [t.get_fontsize() for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]
    return float(min(sizes, default=0))
