"""Explorers: small interactive views of the article's data for JupyterLab.

Each explorer is one ``ipywidgets.VBox`` subclass. Its state lives in its own
traits (``categories``, ``actor``, ``scale`` ...), joined to its controls,
so a cell can read or set it: ``explorer.actor = "churkin"``; to change
several at once and redraw once, set them inside
``with explorer.hold_trait_notifications():``. A control set to a value the
trait refuses springs back, with the reason in the message line.

What an explorer shows is computed by a pure function of its state and the
data in :mod:`aleppo2016.views` (``timeline_view`` ...), and its words are
rendered by :mod:`aleppo2016.text`; the widget only shows the result. It is
public too: ``.view``, ``.matching`` (the rows shown), ``.message`` (the
note above them) and, for the chart, ``.figure`` and ``.ax``.

``explorer.close()`` closes every control in it and frees its chart; in
JupyterLab, re-running a cell closes the explorers its earlier run made,
so a lesson of clicks and re-runs does not grow the kernel.

Everything taken from the data is escaped before it becomes HTML, so a
record containing ``<script>`` shows as those characters, never as markup.

Every control works with the keyboard alone in JupyterLab: check boxes,
buttons, a text box and a slider, never a drop-down or list ``<select>``,
whose arrow and letter keys JupyterLab's notebook shortcuts take over
(jupyter-widgets/ipywidgets#3912).

Where no widget front end exists (nbconvert, nbval, GitHub's preview) each
explorer shows a static summary instead: plain text, and HTML with the chart
as a PNG.

Charts redraw into one reused matplotlib figure per explorer (no pyplot), at
a modest resolution, and the PNG of each recent state is kept, so a change
shows quickly.
"""

import html
import sys
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

import ipywidgets as widgets
import pandas as pd
import traitlets

from . import charts, data, style, tables, views
from .errors import check_choice, did_you_mean, normalise
from .show import html_text
from .text import render_entries

__all__ = ["TimelineExplorer", "FiguresExplorer", "VoicesBrowser", "ClaimsComparer"]

_e = html.escape
#: Readable labels: wide enough for a whole word, never cut off.
_LABEL_STYLE = {"description_width": "initial"}


#: A check box cuts its label to one line ("…"); in a box list with this class, long labels wrap instead.
_WRAP_LABELS_CSS = (
    "<style>.aleppo2016-wrap-labels .widget-checkbox{height:auto;min-height:var(--jp-widgets-inline-height)}"
    ".aleppo2016-wrap-labels .widget-label-basic{white-space:normal;overflow:visible;line-height:1.4;"
    "padding:0.3em 0}</style>"
)


# --------------------------------------------------------------------------
# Shared parts
# --------------------------------------------------------------------------

class ChartPane:
    """One reused matplotlib figure drawn to PNG bytes for an ``ipywidgets.Image``.

    The figure uses the Agg canvas directly, never pyplot, so nothing piles
    up in pyplot's list of open figures. PNGs of the last few states are kept
    (a small least-recently-used cache): going back to an earlier choice costs
    almost nothing. On a cache hit the axes are redrawn only when someone
    looks at ``.ax``.
    """

    def __init__(self, size: tuple[float, float], margins: dict[str, float] | None = None, *, dpi: int = 96,
                 cache_size: int = 48, alt: str = "Chart") -> None:
        from matplotlib.figure import Figure

        from ._fastagg import TextCachingCanvas

        with style.chart_style():
            self.figure = Figure(figsize=size, dpi=dpi)
            TextCachingCanvas(self.figure)
            self._fit = margins is None  # the labels' room worked out at the first drawing, and when they need more
            self._margins: tuple[float, float, float, float] | None = None  # left, right, bottom, top (inches)
            if margins is None:
                self.figure.set_layout_engine("tight")  # for the first drawing only (see _encode)
            else:
                self.figure.subplots_adjust(**margins)
            self._ax = self.figure.add_subplot()
        # Drawn at the size it is shown (a cell about 590 px wide at a 1024 px window), so its
        # labels are not scaled down; no margin, or the image pokes out of the cell.
        self.image = widgets.Image(
            format="png",
            layout=widgets.Layout(width="100%", max_width=f"{int(size[0] * dpi)}px", height="auto", margin="0"),
        )
        self.description = ""
        self.png = b""
        self._alt = alt
        self._cache: OrderedDict[Hashable, tuple[bytes, str]] = OrderedDict()
        self._cache_size = cache_size
        self._pending: Callable[[Any], None] | None = None

    @property
    def ax(self) -> Any:
        """The Axes, drawn for the current state."""
        if self._pending is not None:
            self._draw(self._pending)
        return self._ax

    def show(self, key: Hashable, draw: Callable[[Any], None]) -> None:
        """Show the chart for state `key`; `draw(ax)` draws it when it is not cached."""
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            self.png, self.description = cached
            self._pending = draw
        else:
            self._draw(draw)
            self.png = self._encode()
            self._cache[key] = (self.png, self.description)
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        self.image.value = self.png

    def _draw(self, draw: Callable[[Any], None]) -> None:
        self._pending = None
        _reset_axes(self._ax)
        draw(self._ax)
        self.description = charts.describe(self._ax)

    def _encode(self) -> bytes:
        from matplotlib.layout_engine import PlaceHolderLayoutEngine, TightLayoutEngine

        from ._fastagg import png

        canvas = self.figure.canvas
        if self._fit and self._margins is not None:
            self._keep_margins()  # the same room in inches when the chart has grown or shrunk
        if isinstance(self.figure.get_layout_engine(), (type(None), PlaceHolderLayoutEngine)):  # margins fixed
            with _empty_labels_left_in_place(self._ax):
                canvas.draw()
        else:
            canvas.draw()  # a layout engine measures every label, the empty ones where Matplotlib places them
        if self._fit and (self._margins is None or self._cut_off()):
            # Margins that fit the labels, kept for later states: Matplotlib's tight layout on every
            # redraw measured every label twice, about half of each click, and made the chart shift.
            # (Tight, not constrained, layout: constrained leaks kiwisolver objects in Matplotlib 3.7.)
            if not isinstance(self.figure.get_layout_engine(), TightLayoutEngine):
                self.figure.set_layout_engine("tight")
                canvas.draw()
            self.figure.set_layout_engine("none")
            width, height = self.figure.get_size_inches()
            pars = self.figure.subplotpars
            self._margins = (pars.left * width, (1 - pars.right) * width, pars.bottom * height, (1 - pars.top) * height)
        # The smallest text size and the dpi travel with the PNG, so a test (or a reader) can work out
        # how large the labels are on screen.
        return png(canvas, {"Smallest-Font-Pt": f"{style.smallest_font_pt(self.figure):g}"})

    def _keep_margins(self) -> None:
        left, right, bottom, top = self._margins
        width, height = self.figure.get_size_inches()
        self.figure.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height,
                                    top=1 - top / height)

    def _cut_off(self) -> bool:
        """Whether a label or title just drawn reaches past the figure's edge (their sizes are known from the drawing)."""
        renderer = self.figure.canvas.get_renderer()
        width, height = self.figure.canvas.get_width_height(physical=True)
        ax = self._ax
        shown_ticks = [tick.label1 for axis, limits in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim()))
                       for tick in axis.get_major_ticks() if min(limits) <= tick.get_loc() <= max(limits)]
        texts = [*shown_ticks, ax.xaxis.label, ax.yaxis.label, ax.title, ax._left_title, ax._right_title]
        for text in texts:
            if not text.get_visible() or not text.get_text():
                continue
            box = text.get_window_extent(renderer)
            if box.x0 < 0 or box.y0 < 0 or box.x1 > width or box.y1 > height:
                return True
        return False

    def close(self) -> None:
        """Free the figure, its drawing and the cached PNGs (the explorer is being closed)."""
        self._cache.clear()
        self._pending = None
        self.png = b""
        if not sys.is_finalizing():  # at exit, matplotlib may be half gone; the process frees it all anyway
            self.figure.clear()
        self.image.close()

    def html(self) -> str:
        """The current chart as an <img> with alt text, its description tied to it (static form)."""
        if not self.png:
            return ""
        return charts.figure_html(self.png, self.description)


@contextmanager
def _empty_labels_left_in_place(ax: Any) -> Iterator[None]:
    """Draw without placing an empty axis label (the figures chart's y label).

    On every draw Matplotlib places each axis label clear of its tick labels,
    measuring them all again: about a tenth of a draw for the y axis alone.
    An empty label draws nothing, so where it stands changes no pixel, and
    the margins are worked out elsewhere (a layout engine places labels
    itself). Only a speed-up: without Matplotlib's flag, labels are placed.
    """
    skipped = [axis for axis in (ax.xaxis, ax.yaxis)
               if getattr(axis, "_autolabelpos", None) is True and not axis.label.get_text()]
    for axis in skipped:
        axis._autolabelpos = False
    try:
        yield
    finally:
        for axis in skipped:
            axis._autolabelpos = True


def _reset_axes(ax: Any) -> None:
    """Empty the Axes for the next drawing but keep its tick objects.

    ``ax.clear()`` would throw the ticks away, and building them again is
    the slowest part of a redraw; removing the drawn artists and resetting
    labels, scales and limits leaves the same blank Axes at a fraction of the cost.
    """
    for group in (ax.patches, ax.texts, ax.collections, ax.lines, ax.images, ax.artists):
        for artist in list(group):
            artist.remove()
    # A bar chart also files its bars as a container; removing the bars
    # leaves the container, which would keep one more set of bars per redraw.
    ax.containers.clear()
    if ax.legend_ is not None:
        ax.legend_.remove()
    for loc in ("left", "center", "right"):
        ax.set_title("", loc=loc)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_xscale("linear")
    ax.set_yscale("linear")
    ax.grid(False)
    ax.set_axis_on()
    ax.relim()
    ax.autoscale()


#: ipywidgets' Image has no alt text. This hook, in the HTML widget right after the chart's image, copies
#: the short text in its hidden span (escaped data, read as text) into the image's alt and ties the image
#: to the chart in words (aria-describedby), again at each redraw; it tries again briefly until the image
#: is drawn. The handler is constant text (see qtypes).
_ALT_HOOK = (
    '<style onload="var c=this.closest(\'.widget-html\'),n=0;(function f(){'
    'var i=c&&c.previousElementSibling,s=c&&c.querySelector(\'.aleppo2016-alt\');'
    'if(i&&s&&i.tagName==\'IMG\'){i.setAttribute(\'alt\',s.textContent);var d=c.querySelector(\'.aleppo2016-words\');'
    'if(d){d.id=d.id||\'aleppo2016-words-\'+Math.random().toString(36).slice(2);i.setAttribute(\'aria-describedby\',d.id)}}'
    'else if(n++<50){setTimeout(f,100)}})()">'
    '</style>'
)


def _details(summary: str, body: str) -> str:
    """The chart in words: body text, not monospace (a <pre> wraps mid-word), its web addresses links."""
    return (f"<details><summary>{_e(summary)}</summary>"
            f"<p class='aleppo2016-words' style='white-space:pre-wrap;line-height:1.45;margin:0.3em 0'>"
            f"{html_text(body)}</p></details>")


def _run_of_cell() -> tuple[str, str] | None:
    """(cell id, id of this run of it) when a notebook front end says which cell is running, else None.

    JupyterLab and Notebook 7 send the cell's id with every execute request;
    the request's own message id tells one run of the cell from the next.
    """
    try:
        from IPython import get_ipython

        kernel = getattr(get_ipython(), "kernel", None)
        parent = kernel.get_parent("shell") if kernel is not None else None
        cell = parent["metadata"].get("cellId") if parent else None
        return (str(cell), str(parent["header"]["msg_id"])) if cell else None
    except Exception:  # any other kernel or none: explorers are then closed only by close()
        return None


# Cell id -> (the run that made them, the explorers it made). Weak: an explorer closed or gone is not kept.
_BY_CELL: dict[str, tuple[str, list[weakref.ref[Any]]]] = {}


def _close_earlier_runs(explorer: Any) -> None:
    """Re-running a cell closes the explorers its earlier run made, so they do not pile up in the kernel.

    Their output has just been cleared from the page, so nothing shows them
    any more; without this they and their figures would live until the kernel stops.
    """
    run = _run_of_cell()
    if run is None:
        return
    cell, msg_id = run
    made_by, explorers = _BY_CELL.get(cell, (msg_id, []))
    if made_by != msg_id:
        for ref in explorers:
            old = ref()
            if old is not None:
                old.close()
        explorers = []
    explorers.append(weakref.ref(explorer))
    _BY_CELL[cell] = (msg_id, explorers)


def _close_tree(root: widgets.Widget) -> None:
    """Close `root` and every widget under it: children, layouts and styles (each is a widget of its own)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        widget = stack.pop()
        if id(widget) in seen:
            continue
        seen.add(id(widget))
        for key in widget.keys:
            value = getattr(widget, key, None)
            for item in value if isinstance(value, (tuple, list)) else (value,):
                if isinstance(item, widgets.Widget):
                    stack.append(item)
        if widget is not root:
            widget.close()


class _Explorer(widgets.VBox):
    """What every explorer shares: a heading, a message line, a list, a static form."""

    title = "Explorer"
    #: True while the explorer sets its own controls from a trait, so their change handlers stay quiet.
    _syncing = False

    def __init__(self, **kwargs: Any) -> None:
        _close_earlier_runs(self)
        super().__init__(**kwargs)
        self._message = widgets.HTML(layout=widgets.Layout(min_height="1.6em"))
        # No inner scroll box: a listing shows all it lists (a box that scrolls would need the keyboard focus).
        self._listing = widgets.HTML()
        self.message = ""
        self.add_class("aleppo2016-explorer")

    def close(self) -> None:
        """Close the explorer, every control in it and its chart: nothing of it stays in the kernel."""
        if self.comm is None:  # closed already
            return
        pane = getattr(self, "_pane", None)
        if pane is not None:
            pane.close()
        _close_tree(self)
        super().close()

    def _set_message(self, text: str) -> None:
        self.message = text
        self._message.value = f"<p style='margin:0.3em 0'><em>{_e(text)}</em></p>" if text else ""

    # Changing several traits at once --------------------------------------

    _holding = False
    _stale = False

    @contextmanager
    def hold_trait_notifications(self) -> Iterator[None]:
        """Change several traits at once and redraw once, at the end.

        ``with explorer.hold_trait_notifications(): explorer.actor = ...; explorer.categories = ...``
        The front end's changes of several controls come through here too.
        """
        if self._holding:
            yield
            return
        self._holding, self._stale = True, False
        try:
            with super().hold_trait_notifications():
                yield
        finally:
            self._holding = False
        if self._stale:
            self._refresh()

    def _on_state(self, change: dict[str, Any] | None = None) -> None:
        """A trait of the state changed: show the new state, or note it for the end of a batch."""
        if self._holding:
            self._stale = True
        else:
            self._refresh()

    def _refresh(self) -> None:
        raise NotImplementedError

    def _bind(self, trait: str, control: widgets.Widget) -> None:
        """Join a trait and its control's value both ways.

        A control set to a value the trait refuses springs back to the value
        in use and the message line says why, so control, trait and chart always agree.
        """
        def from_control(change: dict[str, Any]) -> None:
            if self._syncing:
                return
            try:
                setattr(self, trait, change["new"])
            except traitlets.TraitError as err:
                self._set_control(control, getattr(self, trait))
                self._set_message(f"{err} The control is back at the choice in use.")

        control.observe(from_control, names="value")
        self.observe(lambda change: self._set_control(control, change["new"]), names=trait)

    def _set_control(self, control: widgets.Widget, value: Any) -> None:
        self._syncing = True
        try:
            control.value = value
        finally:
            self._syncing = False

    # Static form ----------------------------------------------------------

    def _entries_box(self) -> str:
        return "margin:0.6em 0"

    def _static_text(self) -> str:
        lines = [self.title, *([self.message] if self.message else []), ""]
        pane = getattr(self, "_pane", None)
        if pane is not None:
            lines += [pane.description, ""]
        return "\n".join([*lines, render_entries(self.view.entries)[0]])

    def _static_html(self) -> str:
        pane = getattr(self, "_pane", None)
        chart = pane.html() if pane is not None else ""
        message = f"<p><em>{_e(self.message)}</em></p>" if self.message else ""
        return f"{message}{chart}{self._listing.value}"

    def _show(self, view: views.View) -> None:
        """Show a view: its message, its listing and (in a charted explorer) its chart."""
        self.view = view
        self.matching = view.matching
        self._set_message(view.message)
        self._listing.value = render_entries(view.entries, box_style=self._entries_box())[1]

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """The live widget where there is a widget front end; readable text and HTML where there is not."""
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = self._static_text()
        bundle["text/html"] = f"<div class='aleppo2016-static'><h4>{_e(self.title)}</h4>{self._static_html()}</div>"
        return bundle


class _ChartedExplorer(_Explorer):
    """An explorer with a chart: one reused ChartPane, its text description, ``.figure`` and ``.ax``."""

    def _chart_parts(self, pane: ChartPane) -> list[widgets.Widget]:
        """Keep `pane` as this explorer's chart; return what is shown under the controls."""
        self._pane = pane
        self._chart_text = widgets.HTML()
        return [self._message, pane.image, self._chart_text, self._listing]

    def _show(self, view: views.View) -> None:
        """Show the view's chart (drawn unless this state's PNG is cached) and its description, then the rest."""
        assert view.draw is not None
        self._pane.show(view.key, view.draw)
        self._chart_text.value = (_ALT_HOOK + f"<span class='aleppo2016-alt' hidden>"
                                  f"{_e(charts.short_text(self._pane.description))}</span>"
                                  + _details("The chart in words", self._pane.description))
        super()._show(view)

    @property
    def figure(self) -> Any:
        return self._pane.figure

    @property
    def ax(self) -> Any:
        return self._pane.ax


class _Names(traitlets.Tuple):
    """A tuple of names; one name given as text counts as a tuple of one."""

    def info(self) -> str:
        return "a tuple of names (or one name as text)"

    def validate(self, obj: Any, value: Any) -> Any:
        return super().validate(obj, (value,) if isinstance(value, str) else value)




def _possessive(name: str) -> str:
    """"Churkin’s", but "United States’"."""
    return f"{name}’" if name.endswith("s") else f"{name}’s"


def _toggle_buttons(options: Sequence[tuple[str, str]], tooltips: Sequence[str], value: str,
                    description: str) -> widgets.ToggleButtons:
    """One button per option: Tab reaches each, Space or Enter presses it (unlike a drop-down, see above)."""
    return widgets.ToggleButtons(
        options=list(options), value=value, tooltips=list(tooltips), description=description,
        style={**_LABEL_STYLE, "button_width": "auto"}, disabled=len(options) < 2 and not value,
        layout=widgets.Layout(width="100%"),
    )


# --------------------------------------------------------------------------
# Timeline explorer
# --------------------------------------------------------------------------

class TimelineExplorer(_ChartedExplorer):
    """Filter the article's events by category, actor and dates; see them on the timeline and read them.

    ``TimelineExplorer()`` uses the package's tables; pass ``events=``,
    ``context=`` or ``actors=`` to explore your own. State: ``categories``
    (a tuple), ``actor`` (an actor id, or "" for all) and ``date_range``
    (first and last day). Events with no known date are listed only while
    the whole date range is chosen, since they cannot be placed in a part of it.

    The actor filter is a text box with suggestions (``actor_box``), not a
    row of buttons: 24 names would make a wall of buttons to Tab through,
    while typing a few letters is quick with the keyboard alone, and the
    suggestions still let a mouse user pick. A typed name is looked up as the
    package looks names up (any case, accents or not, aliases such as
    "Power"); an empty box means all actors; a name it cannot find gets a
    "Did you mean" in the message line and leaves the filter as it was.
    """

    title = "Timeline explorer"
    categories = _Names()
    actor = traitlets.Unicode("")
    date_range = traitlets.Tuple()

    def __init__(self, events: pd.DataFrame | None = None, context: pd.DataFrame | None = None,
                 actors: pd.DataFrame | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.events = tables.check_frame(data.load_events() if events is None else events, "TimelineExplorer",
                                   "load_events", ("date", "date_precision", "date_text", "date_reasoning",
                                                   "title", "category", "actors", "excerpt"))
        self.context = tables.check_frame(data.load_context() if context is None else context, "TimelineExplorer",
                                    "load_context", ("date", "title", "category", "description", "source"))
        self.actors = tables.check_frame(data.load_actors() if actors is None else actors, type(self).__name__, "load_actors", ("name",))
        self._published = pd.Timestamp(data.article_info()["published"])

        all_categories = tables.category_order(
            list(self.events["category"].map(tables.category)) + list(self.context["category"].map(tables.category)))
        self.category_boxes = {
            c: widgets.Checkbox(value=True, description=c.capitalize(), indent=False,
                                layout=widgets.Layout(width="auto", margin="0 1em 0 0"))
            for c in all_categories
        }
        actor_ids = sorted({a for acts in self.events["actors"] for a in tables.names(acts)},
                           key=lambda a: tables.actor_name(a, self.actors).casefold())
        #: Actor id -> the name shown, for every actor in these events.
        self.actor_names = {a: tables.actor_name(a, self.actors) for a in actor_ids}
        self.actor_box = widgets.Combobox(
            options=list(self.actor_names.values()), value="", ensure_option=False, continuous_update=True,
            placeholder="All actors: type a name, then Enter", description="Actor", style=_LABEL_STYLE,
            tooltip="Type an actor's name and press Enter; empty the box for all actors",
            layout=widgets.Layout(width="28em"),
        )
        dates = sorted({d.date() for d in pd.concat([tables.dates(self.events["date"], "TimelineExplorer"),
                                                     tables.dates(self.context["date"], "TimelineExplorer")]).dropna()})
        self._all_dates = dates
        # It opens on the article's weeks, where most events are (the whole war squeezes them into one clump).
        weeks = [i for i, d in enumerate(dates) if ARTICLE_WEEKS[0] <= d <= ARTICLE_WEEKS[1]]
        self.date_slider = widgets.SelectionRangeSlider(
            options=[(charts.format_date(d), d) for d in dates] or [("no dates", None)],
            index=(weeks[0], weeks[-1]) if weeks else (0, max(len(dates) - 1, 0)), description="Dates",
            style=_LABEL_STYLE, continuous_update=False, disabled=not dates, readout=False,
            layout=widgets.Layout(width="70%"),
        )
        # The slider's own readout is too narrow for two dates; this one has room. Its hook names the
        # slider's two handles for screen readers.
        self._date_text = widgets.HTML(layout=widgets.Layout(width="auto", margin="0 0 0 0.5em"))
        self.whole_button = widgets.Button(description="All dates (the whole war)", disabled=not dates,
                                           tooltip="Show every dated event, 2011 to 2017",
                                           layout=widgets.Layout(width="auto"))
        self.weeks_button = widgets.Button(description="The article's weeks", disabled=not weeks,
                                           tooltip="Show 8 to 27 September 2016",
                                           layout=widgets.Layout(width="auto"))
        if dates:
            self.whole_button.on_click(lambda _b: setattr(self, "date_range", (dates[0], dates[-1])))
        if weeks:
            self.weeks_button.on_click(lambda _b: setattr(self, "date_range", (dates[weeks[0]], dates[weeks[-1]])))
        chart = self._chart_parts(ChartPane((6, 4.2), dict(left=0.2, right=0.95, top=0.88, bottom=0.36),
                                            alt="Timeline of events"))

        self.categories = tuple(all_categories)
        self.date_range = tuple(self.date_slider.value)
        for category, box in self.category_boxes.items():
            box.observe(self._on_box, names="value")
        self.actor_box.observe(self._on_actor_typed, names="value")
        # JupyterLite's page fires no `change` on Enter, so a box synced on change told the kernel
        # only when left. Every keystroke is synced instead: a name applies as soon as the box holds one,
        # and Enter ("submit", which can overtake the last keystrokes) says what is wrong with the rest.
        self.actor_box.on_msg(lambda _box, content, _buffers: content.get("event") == "submit"
                              and self._on_actor_typed({"new": self.actor_box.value}))
        self._bind("date_range", self.date_slider)
        self.observe(self._on_state, names=["categories", "actor", "date_range"])

        self.children = [
            widgets.HTML("<b>Categories</b> (tick to show)"),
            widgets.HBox(list(self.category_boxes.values()), layout=widgets.Layout(flex_flow="row wrap")),
            self.actor_box,
            # Where the two dates do not fit beside the slider (a 1024-px screen with the file list
            # open), they go under it together, not split across two lines.
            widgets.HBox([self.date_slider, self._date_text],
                         layout=widgets.Layout(align_items="center", flex_flow="row wrap")),
            widgets.HBox([self.weeks_button, self.whole_button], layout=widgets.Layout(flex_flow="row wrap")),
            *chart,
        ]
        self._refresh()

    # State ----------------------------------------------------------------

    @traitlets.validate("categories")
    def _valid_categories(self, proposal: dict[str, Any]) -> tuple[str, ...]:
        value = proposal["value"]
        if isinstance(value, str):
            value = (value,)
        known = list(self.category_boxes)
        for category in value:
            if category not in known:
                raise traitlets.TraitError(
                    f"categories: {category!r:.40} is not a category here.{did_you_mean(str(category), known)} "
                    f"Allowed: {', '.join(map(repr, known))}."
                )
        return tuple(c for c in known if c in value)

    @traitlets.validate("actor")
    def _valid_actor(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        found = self._find_actor(value)
        if found is not None:
            return found
        names = list(self.actor_names.values())
        raise traitlets.TraitError(
            f"actor: {value!r:.40} is not an actor in these events.{did_you_mean(str(value), names)} "
            "Use \"\" for all actors, or one of the names in the Actor box."
        )

    def _find_actor(self, value: str) -> str | None:
        """The actor id for `value` (id, shown name, or the package's spellings and aliases), or None."""
        if value == "":
            return value
        return tables.find_name(value, self.actor_names) if isinstance(value, str) else None

    _unknown_actor = False  # the message says the typed name is not an actor

    def _on_actor_typed(self, change: dict[str, Any]) -> None:
        """A name typed or picked in the box: filter by it, or (on Enter) say what went wrong."""
        typed = str(change["new"]).strip()
        found = self._find_actor(typed)
        if self._syncing or (found is None and self.actor_box._property_lock and not self._unknown_actor):
            return  # a keystroke from the page that names no actor yet: wait for Enter
        self._unknown_actor = found is None  # after Enter, keystrokes that arrive late update the message
        if found is None:
            hint = did_you_mean(typed, self.actor_names.values())
            self._set_message(f"No actor called “{typed[:40]}” in these events.{hint} The filter has not "
                              "changed: fix the name, or empty the box to see all actors.")
            return
        if found == self.actor:  # the same filter, perhaps spelt another way: show its usual name again
            self._show_actor_name(found)
            self._set_message(self.view.message)
        else:
            self.actor = found

    @traitlets.validate("date_range")
    def _valid_date_range(self, proposal: dict[str, Any]) -> tuple[Any, Any]:
        value = proposal["value"]
        if not self._all_dates:
            return (None, None)
        if len(value) != 2:
            raise traitlets.TraitError("date_range needs two dates, the first and the last day, "
                                       "e.g. ('2016-09-12', '2016-09-25').")
        try:
            lo, hi = (pd.Timestamp(v) for v in value)
            if pd.isna(lo) or pd.isna(hi):  # NaN, None or "" give NaT, which is not a day
                raise ValueError
            lo, hi = lo.date(), hi.date()
        except (TypeError, ValueError, OverflowError):
            raise traitlets.TraitError(f"date_range: {value!r:.60} are not dates; write them like '2016-09-19'.") from None
        if lo > hi:
            raise traitlets.TraitError(f"date_range: the first day ({charts.format_date(lo)}) is after the last "
                                       f"({charts.format_date(hi)}); swap them.")
        # Snap to the days that have events, which are the slider's stops.
        inside = [d for d in self._all_dates if lo <= d <= hi]
        if not inside:
            raise traitlets.TraitError(
                f"date_range: nothing happens between {charts.format_date(lo)} and {charts.format_date(hi)}; "
                f"the dates run from {charts.format_date(self._all_dates[0])} to "
                f"{charts.format_date(self._all_dates[-1])}."
            )
        return (inside[0], inside[-1])

    def _on_box(self, change: dict[str, Any]) -> None:
        if not self._syncing:
            self.categories = tuple(c for c, box in self.category_boxes.items() if box.value)


    @traitlets.observe("categories")
    def _sync_boxes(self, change: dict[str, Any]) -> None:
        self._syncing = True
        try:
            for category, box in self.category_boxes.items():
                box.value = category in change["new"]
        finally:
            self._syncing = False

    @traitlets.observe("actor")
    def _sync_actor_box(self, change: dict[str, Any]) -> None:
        self._show_actor_name(change["new"])

    def _show_actor_name(self, actor: str) -> None:
        self._syncing = True
        try:
            self.actor_box.value = self.actor_names.get(actor, "")
        finally:
            self._syncing = False

    @property
    def whole_range(self) -> bool:
        """True while the date range covers every dated event (undated ones are then listed too)."""
        return not self._all_dates or tuple(self.date_range) == (self._all_dates[0], self._all_dates[-1])

    def _refresh(self) -> None:
        self._show(views.timeline_view(
            self.events, self.context, categories=self.categories, actor=self.actor,
            date_range=None if self.whole_range else tuple(self.date_range), published=self._published,
        ))
        self.matching_context = self.view.extra["context"]
        self._show_actor_name(self.actor)  # a name typed wrong earlier gives way to the filter in use
        self._date_text.value = _SLIDER_NAMES_HOOK + (
            f'<span style="white-space: nowrap">{_e(charts.format_date(self.date_range[0]))} to '
            f'{_e(charts.format_date(self.date_range[1]))}</span>' if self._all_dates else "")


#: The weeks the timeline explorer opens on: the article's (published 25 September 2016) and the days it recounts.
ARTICLE_WEEKS = (date(2016, 9, 8), date(2016, 9, 27))

#: Gives the date slider's two handles names ("From date", "To date") for screen readers: ipywidgets
#: cannot set ARIA attributes, so a style element's load handler in the HTML beside the slider does it
#: (as qtypes' live regions do), trying again briefly until the slider is drawn. Constant text only.
_SLIDER_NAMES_HOOK = (
    '<style onload="var b=this.closest(\'.widget-hbox\'),n=0;(function f(){'
    'var h=b?b.querySelectorAll(\'.noUi-handle\'):[];if(h.length==2){'
    'h[0].setAttribute(\'aria-label\',\'From date\');h[1].setAttribute(\'aria-label\',\'To date\')}'
    'else if(n++<50){setTimeout(f,100)}})()"></style>'
)


# --------------------------------------------------------------------------
# Figures explorer
# --------------------------------------------------------------------------

#: The figures explorer's chart height in inches, for a few figures; it grows when more are ticked.
_FIGURES_HEIGHT = 4.6


class FiguresExplorer(_ChartedExplorer):
    """Choose numbers from the article to compare, on a log or a linear scale.

    State: ``selected`` (a tuple of figure ids, shown in that order of size)
    and ``scale`` ("log" or "linear"). Below the chart, each figure's hedge,
    who gives it and the article's own words.

    Each figure has its own check box (``figure_boxes``, largest first), so
    Tab and Space choose figures; a multiple-choice list would need Ctrl or
    Shift + click, and its arrow keys do not reach it in JupyterLab.
    """

    title = "Figures explorer"
    selected = _Names()
    scale = traitlets.Unicode("log")

    def __init__(self, figures: pd.DataFrame | None = None, *, selected: Sequence[str] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.figures = tables.check_frame(data.load_figures() if figures is None else figures, "FiguresExplorer",
                                    "load_figures", ("value", "value_text", "unit", "measure", "qualifier",
                                                     "attribution", "excerpt"))
        self._records = views.figure_records(self.figures)  # each figure's parts, made once, not at every click
        # Every figure could be ticked, so every value must be drawable: say so now, not at a click.
        charts._check_rows(list(self._records.values()), "FiguresExplorer")
        self.figure_boxes = {
            str(row["_id"]): widgets.Checkbox(value=False, description=row["_heading"], indent=False,
                                              description_allow_html=False,
                                              layout=widgets.Layout(width="auto", margin="0"))
            for row in views.largest_first(self._records.values())
        }
        self.scale_buttons = widgets.ToggleButtons(
            options=[("Log scale", "log"), ("Linear scale", "linear")], value="log", description="Scale",
            style=_LABEL_STYLE,
            tooltips=["Each grid step is 10 times the one before", "Bar lengths in proportion to the numbers"],
        )
        chart = self._chart_parts(ChartPane((6, _FIGURES_HEIGHT), alt="Bar chart of figures"))
        self._bind("scale", self.scale_buttons)
        self.selected = tuple(charts.default_figures(self.figures).index) if selected is None else selected
        self._sync_figure_boxes()
        for box in self.figure_boxes.values():
            box.observe(self._on_figure_box, names="value")
        self.observe(self._on_state, names=["selected", "scale"])
        message, image, chart_text, listing = chart
        # The chart beside the check boxes where the cell is wide enough (1366 px windows), above them where
        # it is not: ticking a box always changes something the student can see.
        boxes = widgets.VBox(
            [widgets.HTML("<b>Tick the figures to compare</b> (click, or Tab to a box and press Space)"
                          + _WRAP_LABELS_CSS),
             *self.figure_boxes.values()],
            layout=widgets.Layout(flex="1 1 18em", min_width="0", margin="0 0 0.5em 0"),
        ).add_class("aleppo2016-wrap-labels")
        self.children = [
            self.scale_buttons,
            message,
            widgets.HBox([widgets.VBox([image, chart_text], layout=widgets.Layout(flex="0 1 576px", min_width="0")),
                          boxes], layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start")),
            listing,
        ]
        self._refresh()

    @traitlets.validate("selected")
    def _valid_selected(self, proposal: dict[str, Any]) -> tuple[str, ...]:
        value = proposal["value"]
        value = (value,) if isinstance(value, str) else tuple(value)
        known = list(self.figures.index)
        for rid in value:
            if rid not in known:
                raise traitlets.TraitError(
                    f"selected: {rid!r:.40} is not a figure id.{did_you_mean(str(rid), known)} "
                    "See the ids with aleppo2016.load_figures().index."
                )
        return tuple(dict.fromkeys(value))

    @traitlets.validate("scale")
    def _valid_scale(self, proposal: dict[str, Any]) -> str:
        try:
            return check_choice(proposal["value"], charts.SCALES, "scale")
        except (TypeError, LookupError) as err:
            raise traitlets.TraitError(str(err)) from None


    def _on_figure_box(self, change: dict[str, Any]) -> None:
        """A box ticked or unticked: the ticked figures, largest first, become ``selected`` (one redraw)."""
        if not self._syncing:
            self.selected = tuple(rid for rid, box in self.figure_boxes.items() if box.value)

    @traitlets.observe("selected")
    def _sync_figure_boxes(self, change: dict[str, Any] | None = None) -> None:
        """``selected`` set in code: tick exactly its boxes, without each tick setting ``selected`` again."""
        self._syncing = True
        try:
            for rid, box in self.figure_boxes.items():
                box.value = rid in self.selected
        finally:
            self._syncing = False

    def _refresh(self) -> None:
        self._show(views.figures_view(self.figures, selected=self.selected, scale=self.scale,
                                      min_height=_FIGURES_HEIGHT, records=self._records))


# --------------------------------------------------------------------------
# Voices browser
# --------------------------------------------------------------------------

class VoicesBrowser(_Explorer):
    """Pick a speaker (or, for unnamed voices, a role) and read their quotations.

    State: ``speaker``: "" for every voice, an actor id, or "role:" and the
    role for a voice the article does not name. Each quotation shows who
    said it, their role, how the reporter got the words (the medium), when,
    and the context. One button per voice (``speaker_buttons``; the role is
    in its tooltip): Tab to it, Space or Enter to choose.
    """

    title = "Voices browser"
    speaker = traitlets.Unicode("")

    def __init__(self, quotes: pd.DataFrame | None = None, actors: pd.DataFrame | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.quotes = tables.check_frame(data.load_quotes() if quotes is None else quotes, "VoicesBrowser",
                                   "load_quotes", ("speaker", "role", "text", "medium", "date_text", "context"))
        self.actors = tables.check_frame(data.load_actors() if actors is None else actors, type(self).__name__, "load_actors", ("name",))
        options: dict[str, tuple[str, str]] = {}  # key -> (button label, tooltip)
        keys = self.quotes.apply(views.voice_key, axis=1) if len(self.quotes) else pd.Series(dtype=str)
        for key, group in self.quotes.groupby(keys, sort=False):
            row = group.iloc[0]
            n = f"{len(group)} quotation{'s' if len(group) != 1 else ''}"
            role = tables.text(row["role"]) or "role not given"
            if tables.text(row["speaker"]):
                name = tables.actor_name(row["speaker"], self.actors)
                options[key] = (name, f"{name} ({role}): {n}")
            else:
                label = "A voice the article does not name"
                if normalise(role) != normalise("not named in the article"):
                    label += f" ({role})"
                options[key] = (label, f"{label}: {n}")
        self.speaker_buttons = _toggle_buttons(
            [("All voices", "")] + [(label, key) for key, (label, _) in options.items()],
            [f"Every quotation in the article ({len(self.quotes)})"] + [tip for _, tip in options.values()],
            "", "Speaker or role",
        )
        self._bind("speaker", self.speaker_buttons)
        self.observe(self._on_state, names="speaker")
        self.children = [self.speaker_buttons, self._message, self._listing]
        self._refresh()

    @traitlets.validate("speaker")
    def _valid_speaker(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        options = self.speaker_buttons.options
        if value in (v for _, v in options):
            return value
        shown = {v: tables.actor_name(v, self.actors) for _, v in options if v and not v.startswith("role:")}
        found = tables.find_name(value, shown) if isinstance(value, str) else None
        if found is not None:
            return found
        names = list(shown.values())  # names beat ids
        names += [label for label, v in options if v] + list(shown)
        raise traitlets.TraitError(
            f"speaker: {value!r:.40} is not one of the voices.{did_you_mean(str(value), names)} "
            "Use \"\" for every voice, or a name on the buttons."
        )

    def _refresh(self) -> None:
        self._show(views.voices_view(self.quotes, self.actors, speaker=self.speaker))

    def _entries_box(self) -> str:
        return f"margin:0.5em 0;padding-left:0.8em;border-left:3px solid {style.ACCENT}"


# --------------------------------------------------------------------------
# Claims comparer
# --------------------------------------------------------------------------

class ClaimsComparer(_Explorer):
    """Two sides of a disputed point, side by side, with the evidence each side offers.

    A disputed point is a claim and the claims that answer it (their
    ``responds_to``), such as Samantha Power's accusation and Vitaly Churkin's
    denial. State: ``point``, the id of the claim that starts the dispute.
    One button per disputed point (``point_buttons``): Tab to it, Space or
    Enter to choose.
    """

    title = "Claims comparer"
    point = traitlets.Unicode("")

    def __init__(self, claims: pd.DataFrame | None = None, actors: pd.DataFrame | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.claims = tables.check_frame(data.load_claims() if claims is None else claims, "ClaimsComparer",
                                   "load_claims", ("claimant", "claim", "target", "kind", "responds_to",
                                                   "evidence", "excerpt"))
        self.actors = tables.check_frame(data.load_actors() if actors is None else actors, type(self).__name__, "load_actors", ("name",))
        responds_to = self.claims["responds_to"].map(tables.text)
        answered = [r for r in dict.fromkeys(responds_to) if r and r in self.claims.index]
        options = []
        for rid in answered:
            first = self.claims.loc[rid]
            replies = self.claims[responds_to == rid]
            other = " and ".join(f"{_possessive(self._who(r))} {tables.text(r['kind'])}" for _, r in replies.iterrows())
            disputed = replies["kind"].isin(("denial", "counter-accusation")).any()
            options.append((not disputed, f"{_possessive(self._who(first))} {tables.text(first['kind'])} vs {other}",
                            rid))
        # Real disagreements (a denial, a counter-accusation) first.
        options = [(label, rid) for _, label, rid in sorted(options, key=lambda o: o[0])]
        self.point_buttons = _toggle_buttons(
            options or [("(no disputed points)", "")],
            [f"{label}: the claim on the left, the reply on the right" for label, _ in options] or
            ["The article reports no replies to any claim"],
            options[0][1] if options else "", "Disputed point",
        )
        self.point = self.point_buttons.value
        self._bind("point", self.point_buttons)
        self._left = widgets.HTML(layout=widgets.Layout(width="50%", padding="0 1em 0 0"))
        self._right = widgets.HTML(layout=widgets.Layout(width="50%", padding="0 0 0 1em"))
        self.observe(self._on_state, names="point")
        self.children = [self.point_buttons, self._message, widgets.HBox([self._left, self._right])]
        self._refresh()

    def _who(self, row: pd.Series) -> str:
        return views.claimant(row, self.actors)

    @traitlets.validate("point")
    def _valid_point(self, proposal: dict[str, Any]) -> str:
        value = proposal["value"]
        options = [v for _, v in self.point_buttons.options]
        if value in options:
            return value
        raise traitlets.TraitError(
            f"point: {value!r:.40} is not a disputed point.{did_you_mean(str(value), [o for o in options if o])} "
            f"Allowed: {', '.join(map(repr, options))}."
        )

    def _refresh(self) -> None:
        view = views.claims_view(self.claims, self.actors, point=self.point)
        self._show(view)
        self.first_claim, self.replies = view.extra["first_claim"], view.extra["replies"]
        box = f"border:1px solid {style.MUTED};border-radius:4px;padding:0.5em;margin-bottom:0.5em"
        left, right = view.extra["sides"]
        self._left.value = render_entries(left, box_style=box)[1]
        self._right.value = render_entries(right, box_style=box)[1]

    def _static_html(self) -> str:
        return (f"<p><em>{_e(self.message)}</em></p><div style='display:flex;gap:1em'>"
                f"<div style='flex:1'>{self._left.value}</div><div style='flex:1'>{self._right.value}</div></div>")
