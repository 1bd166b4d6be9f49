"""The explorers, driven from Python as a student's clicks would drive them."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import re
from datetime import date

import pandas as pd
import pytest
import traitlets

import aleppo2016 as a
from aleppo2016 import text, views
from aleppo2016 import widgets as w
from chart_parts import bars, points
from widget_state import restored

SCRIPT = "<script>alert('x')</script>"
PNG_MAGIC = b"\x89PNG"


def live_widgets():
    """Every widget the kernel keeps: ipywidgets 8.1 keeps them in ``widget._instances``, 8.0 in ``Widget._active_widgets``."""
    registry = getattr(w.widgets.widget, "_instances", None)
    return registry if registry is not None else w.widgets.Widget._active_widgets


def assert_escaped(bundle_html: str):
    assert "<script>" not in bundle_html
    assert "&lt;script&gt;" in bundle_html


# --------------------------------------------------------------------------
# Timeline explorer
# --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def _shared_timeline():
    return w.TimelineExplorer()


@pytest.fixture
def timeline(_shared_timeline):
    """One explorer for the module, put back as it started after every test (even a failed one)."""
    with restored(_shared_timeline) as explorer:
        yield explorer


def test_timeline_starts_with_everything(timeline):
    events, context = a.load_events(), a.load_context()
    timeline.categories = tuple(timeline.category_boxes)
    timeline.actor = ""
    timeline.date_range = (timeline._all_dates[0], timeline._all_dates[-1])
    assert len(timeline.matching) == len(events)
    assert len(timeline.matching_context) == len(context)
    assert points(timeline.ax) == events["date"].notna().sum() + len(context)
    assert bytes(timeline._pane.image.value).startswith(PNG_MAGIC)
    assert f"Showing {len(events)} events" in timeline.message
    assert "with no known date, listed at the end" in timeline.message


def test_timeline_category_boxes_filter_and_sync(timeline):
    timeline.category_boxes["military"].value = False
    assert "military" not in timeline.categories
    assert "military" not in set(timeline.matching["category"])
    timeline.categories = ("diplomatic",)
    assert not timeline.category_boxes["military"].value and timeline.category_boxes["diplomatic"].value
    assert set(timeline.matching["category"]) == {"diplomatic"}
    assert [t.get_text() for t in timeline.ax.get_yticklabels()] == ["Diplomatic"]
    timeline.categories = tuple(timeline.category_boxes)


def test_timeline_actor_by_name_or_id(timeline):
    timeline.actor = "churkin"
    assert list(timeline.matching.index) == ["security_council_meeting"]
    assert list(timeline.matching_context.index) == ["security_council_meeting_un"]
    assert timeline.actor_box.value == "Vitaly Churkin"  # the box shows the name, not the id
    timeline.actor = "Samantha Power"
    assert timeline.actor == "samantha_power" and timeline.actor_box.value == "Samantha Power"
    html = timeline._listing.value
    assert "Emergency meeting of the U.N. Security Council" in html
    assert "on Sunday" in html and "an emergency meeting of the U.N. Security Council held on Sunday" in html
    with pytest.raises(traitlets.TraitError, match="Did you mean 'Vitaly Churkin'"):
        timeline.actor = "Vitaly Churkn"
    timeline.actor = ""
    assert timeline.actor_box.value == ""


def test_timeline_actor_typed_in_the_box(timeline):
    everything = len(timeline.matching)
    redraws = []
    timeline.observe(redraws.append, names="actor")
    try:
        # Any case, no accents, an alias from the actors table: the package's own name lookup.
        timeline.actor_box.value = "vitaly churkin"
        assert timeline.actor == "churkin" and timeline.actor_box.value == "Vitaly Churkin"
        assert list(timeline.matching.index) == ["security_council_meeting"]
        timeline.actor_box.value = "Power"
        assert timeline.actor == "samantha_power" and timeline.actor_box.value == "Samantha Power"
        assert len(redraws) == 2  # one change each, no echo from the box
        # A misspelling: a friendly message with a suggestion, and the filter stays as it was.
        shown = list(timeline.matching.index)
        timeline.actor_box.value = "Vitaly Churkn"
        assert timeline.actor == "samantha_power" and list(timeline.matching.index) == shown
        assert "No actor called “Vitaly Churkn”" in timeline.message
        assert "Did you mean 'Vitaly Churkin'?" in timeline.message and "has not changed" in timeline.message
        assert "Did you mean" in timeline._message.value
        timeline.actor_box.value = "<script>x</script>"
        assert "<script>" not in timeline._message.value and "&lt;script&gt;" in timeline._message.value
        # The same actor typed again another way: the usual message and name come back.
        timeline.actor_box.value = "samantha POWER"
        assert timeline.actor_box.value == "Samantha Power" and timeline.message.startswith("Showing")
        # An empty box (spaces too) means every actor.
        timeline.actor_box.value = "  "
        assert timeline.actor == "" and len(timeline.matching) == everything
        assert timeline.message.startswith("Showing") and len(redraws) == 3
    finally:
        timeline.unobserve(redraws.append, names="actor")
        timeline.actor = ""


def test_timeline_date_range_snaps_and_leaves_out_undated(timeline):
    timeline.date_range = ("2016-09-19", "2016-09-19")
    assert timeline.date_slider.value == (date(2016, 9, 19), date(2016, 9, 19))
    # Shown beside the slider, never cut off; the hook before it names the slider's handles.
    assert timeline._date_text.value == (w._SLIDER_NAMES_HOOK
                                         + '<span style="white-space: nowrap">19 Sep 2016 to 19 Sep 2016</span>')
    assert timeline.matching["date"].notna().all()
    assert "convoy_attack" in timeline.matching.index
    assert "uprising_2011" not in timeline.matching.index
    # A week-long date that starts before the range still overlaps it.
    assert "heavy_bombs" in timeline.matching.index
    with pytest.raises(traitlets.TraitError, match="swap them"):
        timeline.date_range = ("2016-10-01", "2016-09-01")
    with pytest.raises(traitlets.TraitError, match="nothing happens"):
        timeline.date_range = ("2015-01-01", "2015-02-01")
    timeline.date_range = (timeline._all_dates[0], timeline._all_dates[-1])


def test_timeline_empty_selection_says_what_to_do(timeline):
    timeline.categories = ()
    assert timeline.matching.empty and timeline.matching_context.empty
    assert "No events match these filters" in timeline.message
    assert "try adding a category" in timeline._message.value
    assert points(timeline.ax) == 0
    timeline.categories = tuple(timeline.category_boxes)


def test_timeline_static_form(timeline):
    bundle = timeline._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].startswith("Timeline explorer")
    assert "A convoy" in bundle["text/plain"] or "convoy" in bundle["text/plain"]
    assert 'src="data:image/png;base64,' in bundle["text/html"]
    assert 'alt="Timeline chart' in bundle["text/html"]


def test_timeline_escapes_data_and_handles_one_event():
    events = a.load_events().loc[["convoy_attack"]].copy()
    events["title"] = SCRIPT
    events["excerpt"] = "<b>bold</b> & more"
    explorer = w.TimelineExplorer(events=events, context=a.load_context().iloc[0:0])
    assert len(explorer.matching) == 1
    assert_escaped(explorer._listing.value)
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; more" in explorer._listing.value
    bundle = explorer._repr_mimebundle_()
    assert_escaped(bundle["text/html"])
    assert SCRIPT in bundle["text/plain"]  # plain text is shown as text, never rendered


def test_timeline_with_no_events_at_all():
    explorer = w.TimelineExplorer(events=a.load_events().iloc[0:0], context=a.load_context().iloc[0:0])
    assert explorer.date_slider.disabled
    assert "No events match" in explorer.message


def test_timeline_rejects_a_wrong_table():
    with pytest.raises(TypeError, match="load_events"):
        w.TimelineExplorer(events="convoy_attack")


# --------------------------------------------------------------------------
# Figures explorer
# --------------------------------------------------------------------------

def test_figures_explorer_compare_and_switch_scale():
    explorer = w.FiguresExplorer()
    people = a.load_figures().query("unit == 'people'")
    assert len(bars(explorer.ax)) == len(people)
    assert explorer.ax.get_xscale() == "log"
    explorer.scale_buttons.value = "linear"
    assert explorer.scale == "linear" and explorer.ax.get_xscale() == "linear"
    for rid, box in explorer.figure_boxes.items():
        box.value = rid in ("convoy_killed", "without_water")
    assert list(explorer.matching.index) == ["without_water", "convoy_killed"]  # largest first, as the boxes
    assert len(bars(explorer.ax)) == 2
    texts = [t.get_text() for t in explorer.ax.texts]
    assert texts == ["at least 20", "nearly 2,000,000"]
    html = explorer._listing.value
    assert "Hedge: “nearly”" in html and "Who says so: according to the United Nations." in html
    assert "left nearly two million people in Aleppo" in html
    # Going back to an earlier state is served from the cache, and the axes still match it.
    explorer.scale = "log"
    explorer.scale = "linear"
    assert explorer.ax.get_xscale() == "linear"
    with pytest.raises(traitlets.TraitError, match="Did you mean 'log'"):
        explorer.scale = "logg"
    with pytest.raises(traitlets.TraitError, match="Did you mean 'under_siege'"):
        explorer.selected = ("under_seige",)


def test_figures_explorer_boxes_and_selected_follow_each_other():
    explorer = w.FiguresExplorer(selected=("convoy_killed", "without_water"))
    boxes = explorer.figure_boxes
    assert [rid for rid, box in boxes.items() if box.value] == ["without_water", "convoy_killed"]
    values = [pd.to_numeric(a.load_figures().loc[rid, "value"]) for rid in boxes]
    assert values == sorted(values, reverse=True)  # the boxes run largest first
    assert all(b.indent is False and not b.description_allow_html for b in boxes.values())
    redraws = []
    explorer.observe(redraws.append, names="selected")
    boxes["rescued"].value = True  # tick
    assert explorer.selected == ("without_water", "rescued", "convoy_killed") and len(redraws) == 1
    assert len(bars(explorer.ax)) == 3
    boxes["without_water"].value = False  # untick
    assert explorer.selected == ("rescued", "convoy_killed") and len(redraws) == 2
    explorer.selected = ("under_siege",)  # from code: the boxes follow, with one change only
    assert [rid for rid, box in boxes.items() if box.value] == ["under_siege"] and len(redraws) == 3
    assert list(explorer.matching.index) == ["under_siege"]
    boxes["under_siege"].value = False
    assert explorer.selected == () and "No figures chosen — tick one or more" in explorer.message


def test_figures_explorer_empty_one_and_mixed_units():
    explorer = w.FiguresExplorer(selected=())
    assert "No figures chosen" in explorer.message
    assert bars(explorer.ax) == []
    explorer.selected = ("rescued",)
    assert len(bars(explorer.ax)) == 1 and explorer.message == ""
    explorer.selected = ("rescued", "war_span_years")
    assert "different things" in explorer.message
    assert "5 years" in [" ".join(t.get_text().split()) for t in explorer.ax.texts]


def test_figures_explorer_zero_on_log_scale_falls_back_to_linear():
    figures = a.load_figures().loc[["convoy_killed"]].assign(value=0)
    explorer = w.FiguresExplorer(figures)
    assert "cannot show zero" in explorer.message
    assert explorer.ax.get_xscale() == "linear"


def test_figures_explorer_escapes_and_static_form():
    figures = a.load_figures().loc[["convoy_killed"]].copy()
    figures["measure"] = SCRIPT
    figures["attribution"] = "<i>someone</i>"
    explorer = w.FiguresExplorer(figures, selected=["convoy_killed"])
    assert_escaped(explorer._listing.value)
    bundle = explorer._repr_mimebundle_()
    assert_escaped(bundle["text/html"])
    assert "&lt;i&gt;someone&lt;/i&gt;" in bundle["text/html"]
    assert bundle["text/plain"].startswith("Figures explorer")
    assert "at least 20 people" in bundle["text/plain"]
    assert "data:image/png;base64," in bundle["text/html"]


# --------------------------------------------------------------------------
# Voices browser
# --------------------------------------------------------------------------

def test_voices_browser_pick_a_speaker():
    browser = w.VoicesBrowser()
    assert len(browser.matching) == len(a.load_quotes())
    browser.speaker_buttons.value = "baraa_omar"
    assert list(browser.matching.index) == ["omar_exhausted"]
    html = browser._listing.value
    assert "The doctors and staff are in exhausted." in html
    assert "Baraa Omar, a nurse in eastern Aleppo" in html
    assert "text message" in html
    browser.speaker = "Samantha Power"
    assert len(browser.matching) == 2 and "(25 Sep 2016)" in browser._listing.value
    browser.speaker = "role:not named in the article"
    assert "not named in the article" in browser._listing.value
    assert ("A voice the article does not name", "role:not named in the article") in browser.speaker_buttons.options
    assert browser.speaker_buttons.value == "role:not named in the article"
    tips = dict(zip([v for _, v in browser.speaker_buttons.options], browser.speaker_buttons.tooltips))
    assert tips["baraa_omar"] == "Baraa Omar (a nurse in eastern Aleppo): 1 quotation"
    assert browser.speaker_buttons.style.button_width == "auto"  # whole names, never cut off
    with pytest.raises(traitlets.TraitError, match="not one of the voices"):
        browser.speaker = "nobody"


def test_voices_browser_escapes_and_empty():
    quotes = a.load_quotes().loc[["selmo_rubble"]].copy()
    quotes["text"] = SCRIPT
    browser = w.VoicesBrowser(quotes)
    assert_escaped(browser._listing.value)
    assert_escaped(browser._repr_mimebundle_()["text/html"])
    empty = w.VoicesBrowser(a.load_quotes().iloc[0:0])
    assert "No quotations" in empty.message
    assert empty._repr_mimebundle_()["text/plain"].startswith("Voices browser")


# --------------------------------------------------------------------------
# Claims comparer
# --------------------------------------------------------------------------

def test_claims_comparer_both_sides_with_evidence():
    comparer = w.ClaimsComparer()
    assert comparer.point == "power_bombing_hospitals"  # a real dispute comes first
    assert list(comparer.matching.index) == ["power_bombing_hospitals", "churkin_denies"]
    assert "Samantha Power (accusation)" in comparer._left.value
    assert "Vitaly Churkin (denial)" in comparer._right.value
    assert "The article offers no evidence for this claim." in comparer._right.value
    assert "Evidence the article offers:" in comparer._left.value
    comparer.point_buttons.value = "power_accuses"
    assert "counter-accusation" in comparer._right.value
    assert "Armed opposition groups" in comparer._right.value
    assert comparer.point_buttons.style.button_width == "auto" and len(comparer.point_buttons.tooltips) == 4
    text = comparer._repr_mimebundle_()["text/plain"]
    assert "One side: Samantha Power" in text and "The reply: Vitaly Churkin" in text
    with pytest.raises(traitlets.TraitError, match="not a disputed point"):
        comparer.point = "power_acuses"


def test_claims_comparer_escapes_and_no_disputes():
    claims = a.load_claims().loc[["power_accuses", "churkin_blames_opposition"]].copy()
    claims.loc["churkin_blames_opposition", "claim"] = SCRIPT
    comparer = w.ClaimsComparer(claims)
    assert_escaped(comparer._right.value)
    assert_escaped(comparer._repr_mimebundle_()["text/html"])
    lonely = w.ClaimsComparer(a.load_claims().loc[["us_excoriates"]])
    assert lonely.point_buttons.disabled
    assert "no replies" in lonely.message
    assert lonely.matching.empty


def test_claims_comparer_quotes_once_and_says_no_evidence_once():
    comparer = w.ClaimsComparer()
    comparer.point = "power_accuses"
    left = comparer._left.value
    # The excerpt begins with its own quote mark; no second one is added.
    assert "““" not in left and "In the article: “She said: “Instead of peace" in left
    assert left.count("The article offers no evidence for this claim.") == 1
    right = comparer._right.value  # Churkin's reply: the note keeps its other sentence
    assert right.count("The article offers no evidence for this claim.") == 1
    assert "Note: The printed text says “blamed … of”" in right
    text = comparer._repr_mimebundle_()["text/plain"]
    assert "““" not in text and "””" not in text


def test_quote_marks_are_added_only_where_missing():
    assert text.quoted("make war") == "“make war”"
    assert text.quoted("“She said: “Instead") == "“She said: “Instead”"
    assert text.quoted("“whole”") == "“whole”"


# --------------------------------------------------------------------------
# Every explorer
# --------------------------------------------------------------------------

@pytest.mark.parametrize("cls", [w.TimelineExplorer, w.FiguresExplorer, w.VoicesBrowser, w.ClaimsComparer])
def test_every_explorer_uses_only_keyboard_friendly_controls(cls):
    """No drop-down or list: in JupyterLab their arrow and letter keys go to the notebook (ipywidgets#3912)."""
    explorer = cls()
    kinds = {type(c) for c in _walk(explorer)}
    assert not kinds & {w.widgets.Dropdown, w.widgets.Select, w.widgets.SelectMultiple}, kinds


@pytest.mark.parametrize("cls", [w.TimelineExplorer, w.FiguresExplorer, w.VoicesBrowser, w.ClaimsComparer])
def test_every_explorer_labels_its_controls_and_registers_one_handler(cls):
    explorer = cls()
    controls = [c for c in _walk(explorer) if hasattr(c, "description") and hasattr(c, "value")
                and not isinstance(c, (w.widgets.HTML, w.widgets.Image))]
    assert controls and all(c.description for c in controls)
    # One observer per trait, however often the explorer refreshes.
    for name in ("categories", "actor", "date_range", "selected", "scale", "speaker", "point"):
        if explorer.has_trait(name):
            handlers = explorer._trait_notifiers.get(name, {}).get("change", [])
            assert sum(1 for h in handlers if getattr(h, "__func__", None) is cls._on_state) == 1


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


# --------------------------------------------------------------------------
# What an explorer shows is a pure function of its state and the data
# --------------------------------------------------------------------------

def test_timeline_view_without_widgets():
    events, context = a.load_events(), a.load_context()
    everything = views.timeline_view(events, context, categories=a.data.EVENT_CATEGORIES)
    assert len(everything.matching) == len(events) and len(everything.extra["context"]) == len(context)
    view = views.timeline_view(events, context, categories=("humanitarian",), actor="red_crescent",
                               date_range=("2016-09-19", "2016-09-20"))
    assert set(view.matching["category"]) == {"humanitarian"}
    assert all("red_crescent" in acts for acts in view.matching["actors"])
    assert view.message.startswith(f"Showing {len(view.matching)} event")
    # Each entry is text parts, numbered as the chart numbers them; the chart draws the same rows.
    assert view.entries[0][0] == ("heading", f"1. 19 Sep 2016 — {view.matching.iloc[0]['title']}")
    ax = view.draw(w.ChartPane((9, 5), {}).ax)
    assert points(ax) == len(view.matching) + len(view.extra["context"])
    nothing = views.timeline_view(events, context, categories=())
    assert nothing.entries == [] and nothing.message.startswith("No events match")


def test_figures_explorer_shows_what_the_table_gives_for_any_selection():
    """The explorer works from records made once; what it shows must be what the table itself gives:
    the same listing, in pandas' order (ties in the order chosen, a figure with no number last), the same
    message and the same chart description as figures_chart() of the chosen rows."""
    import random

    from aleppo2016 import charts

    figures = a.load_figures()
    tied = figures.index[:3]
    figures = figures.assign(value=figures["value"].where(~figures.index.isin(tied), 5000))  # three equal numbers
    explorer = w.FiguresExplorer(figures)
    rng = random.Random(3)
    ids = list(figures.index)
    selections = [(), (ids[0],), tuple(tied), tuple(reversed(tied)), tuple(ids)]
    selections += [tuple(rng.sample(ids, k)) for k in (2, 5, 7, 12)]
    for selected in selections:
        for scale in ("log", "linear"):
            with explorer.hold_trait_notifications():
                explorer.selected, explorer.scale = selected, scale
            chosen = figures.loc[list(selected)]
            order = chosen.assign(_v=pd.to_numeric(chosen["value"])).sort_values("_v", ascending=False, kind="stable")
            fresh = views.figures_view(figures, selected=selected, scale=scale)
            assert explorer.view.entries == fresh.entries and explorer.message == fresh.message
            assert [e[0][1] for e in fresh.entries] == [
                f"{charts.hedged_value(row)} {row['unit']}: {row['measure']}" for _, row in order.iterrows()]
            assert list(explorer.matching.index) == list(selected)
            assert explorer._listing.value == text.render_entries(fresh.entries, box_style=explorer._entries_box())[1]
            if selected:
                drawn = charts.figures_chart(chosen, scale=fresh.extra["scale"], sources=False, legend=False)
                assert explorer._pane.description == charts.describe(drawn)
                matplotlib.pyplot.close(drawn.figure)
    explorer.close()
    no_number = figures.assign(value=figures["value"].where(figures.index != ids[0], float("nan")))
    view = views.figures_view(no_number, selected=tuple(ids[:4]), scale="linear")
    assert view.entries[-1][0][1].endswith(figures.at[ids[0], "measure"])  # pandas sorts it last too


def test_figures_voices_and_claims_views_without_widgets():
    figures = a.load_figures()
    view = views.figures_view(figures, selected=("convoy_killed", "under_siege"), scale="log")
    assert [e[0][1].split(":")[0] for e in view.entries] == ["estimated 300,000 people", "at least 20 people"]
    zero = figures.assign(value=figures["value"].where(figures.index != "convoy_killed", 0))
    fallback = views.figures_view(zero, selected=("convoy_killed",), scale="log")
    assert fallback.extra["scale"] == "linear" and "linear scale instead" in fallback.message
    quotes = views.voices_view(a.load_quotes(), a.load_actors(), speaker="samantha_power")
    assert quotes.entries and all(e[1][1].startswith("— Samantha Power") for e in quotes.entries)
    claims = a.load_claims()
    point = claims.index[claims["responds_to"].astype(str).isin(claims.index)][0]
    point = claims.at[point, "responds_to"]
    view = views.claims_view(claims, a.load_actors(), point=point)
    left, right = view.extra["sides"]
    assert len(left) == 1 and len(right) == (claims["responds_to"] == point).sum()
    plain, markup = text.render_entries(left)
    assert plain.startswith("One side: ") and "<b>One side: " in markup


def test_parts_render_once_to_text_and_escaped_html():
    parts = [("wrong", "Not quite."), ("quote", "<b>x</b>"), ("hint", "look"), ("speech", "“said”")]
    plain, markup = text.render(parts)
    assert plain == "Not quite.\nFrom the article: “<b>x</b>”\nHint: look\n“said”"
    assert "<b>x</b>" not in markup and "&lt;b&gt;x&lt;/b&gt;" in markup
    assert markup.startswith('<div class="aleppo2016-feedback aleppo2016-wrong">') and "\u2716" in markup
    assert 'class="aleppo2016-feedback aleppo2016-right"' in text.render([("right", "Yes.")])[1]
    assert text.render([]) == ("", "")
    with pytest.raises(ValueError, match="kind 'shout'"):
        text.to_html([("shout", "x")])


# --------------------------------------------------------------------------
# State stays consistent
# --------------------------------------------------------------------------

def test_setting_three_traits_at_once_redraws_once():
    explorer = w.TimelineExplorer()
    shown = []
    explorer._pane.show = lambda key, draw, show=explorer._pane.show: (shown.append(key), show(key, draw))
    with explorer.hold_trait_notifications():
        explorer.categories = ("military", "humanitarian")
        explorer.actor = "churkin"
        explorer.date_range = (date(2016, 9, 1), date(2016, 9, 30))
    assert len(shown) == 1
    assert shown[0][:2] == (("military", "humanitarian"), "churkin")
    assert set(explorer.matching["category"]) <= {"military", "humanitarian"}
    # One at a time, each change redraws.
    explorer.actor = ""
    explorer.categories = ("military",)
    assert len(shown) == 3


def test_an_inverted_date_range_leaves_control_trait_and_chart_in_agreement():
    explorer = w.TimelineExplorer()
    stops = [d for _, d in explorer.date_slider.options]
    explorer.date_slider.value = (stops[2], stops[8])
    before = (explorer.date_range, explorer._pane.description)
    explorer.date_slider.value = (stops[8], stops[2])  # inverted, as code could set it
    assert tuple(explorer.date_slider.value) == tuple(explorer.date_range) == (stops[2], stops[8])
    assert (explorer.date_range, explorer._pane.description) == before
    assert "swap them" in explorer.message
    with pytest.raises(traitlets.TraitError, match="swap them"):
        explorer.date_range = (stops[8], stops[2])
    assert tuple(explorer.date_slider.value) == (stops[2], stops[8])


def test_a_refused_button_value_springs_back():
    explorer = w.FiguresExplorer()
    explorer.scale_buttons.value = "linear"
    assert explorer.scale == "linear"
    with pytest.raises(traitlets.TraitError):
        explorer.scale = "cubic"
    assert explorer.scale_buttons.value == explorer.scale == "linear"


# --------------------------------------------------------------------------
# Student-edited tables
# --------------------------------------------------------------------------

def test_explorers_take_a_student_edited_table():
    events = a.load_events().copy()
    first = events.index[0]
    events.loc[first, "category"] = None
    events.loc[first, "date_reasoning"] = float("nan")
    events["date"] = pd.to_datetime(events["date"]).dt.tz_localize("UTC")
    explorer = w.TimelineExplorer(events=events)
    assert "no category" in explorer.category_boxes
    static = explorer._repr_mimebundle_()["text/plain"]
    assert not re.search(r"\bnan\b", static.lower())
    explorer.categories = ("no category",)
    assert list(explorer.matching.index) == [first]
    figures = a.load_figures().astype({"value": object})
    figures.loc["convoy_killed", "value"] = 10**19
    with pytest.raises(ValueError, match="FiguresExplorer\\(\\): figure 'convoy_killed' is 1e\\+19, too large"):
        w.FiguresExplorer(figures)
    bad = a.load_events().astype({"date": object})
    bad.loc[first, "date"] = "0216-09-19"
    with pytest.raises(ValueError, match=f"column 'date', row '{first}'"):
        w.TimelineExplorer(events=bad)


# --------------------------------------------------------------------------
# Memory through a lesson
# --------------------------------------------------------------------------

def test_redraws_do_not_pile_up():
    """Sixty changes, each a real redraw: the Axes and the number of live objects stay the same."""
    import gc
    import random

    import matplotlib.text

    explorer = w.FiguresExplorer()
    ids, rng = list(explorer.figure_boxes), random.Random(3)

    def changes(n):
        for _ in range(n):
            explorer._pane._cache.clear()  # no change is free
            with explorer.hold_trait_notifications():
                explorer.selected = tuple(rng.sample(ids, rng.randint(1, len(ids))))
                explorer.scale = rng.choice(["log", "linear"])

    def live_objects() -> int:
        # Matplotlib 3.7 keeps text sizes in one cache of up to 4096 entries shared by every renderer (its
        # own, bounded; later versions keep one per renderer): emptied, so that only what redraws keep counts.
        shared = getattr(matplotlib.text, "_get_text_metrics_with_cache_impl", None)
        if shared is not None:
            shared.cache_clear()
        gc.collect()
        return len(gc.get_objects())

    changes(10)
    start = live_objects()
    changes(60)
    grown = live_objects() - start
    ax = explorer.ax
    assert len(ax.containers) == 1 and len(bars(ax)) == len(explorer.selected)
    assert len(ax.get_children()) < 60
    # Before the fix each redraw kept its bar container and bars: thousands of objects here.
    assert grown < 3000, f"{grown} more live objects after 60 changes"


def test_close_frees_the_explorer_its_controls_and_its_figure():
    import gc
    import weakref

    gc.collect()
    before = len(live_widgets())
    explorer = w.TimelineExplorer()
    assert len(live_widgets()) > before + 20
    alive = [weakref.ref(explorer), weakref.ref(explorer.figure), weakref.ref(explorer.date_slider)]
    explorer.close()
    explorer.close()  # twice is harmless
    assert len(live_widgets()) == before
    del explorer
    gc.collect()
    assert [ref() for ref in alive] == [None, None, None]


def test_rerunning_a_cell_closes_the_explorers_it_made_before(monkeypatch):
    import types

    import IPython

    parent = {"metadata": {"cellId": "cell-a"}, "header": {"msg_id": "run-1"}}
    shell = types.SimpleNamespace(kernel=types.SimpleNamespace(get_parent=lambda channel="shell": parent))
    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)
    monkeypatch.setattr(w, "_BY_CELL", {})
    first, second = w.FiguresExplorer(), w.VoicesBrowser()  # one run may make several
    parent["metadata"]["cellId"], parent["header"]["msg_id"] = "cell-b", "run-2"
    elsewhere = w.VoicesBrowser()
    parent["metadata"]["cellId"], parent["header"]["msg_id"] = "cell-a", "run-3"
    again = w.FiguresExplorer()  # the student re-runs cell a
    assert first.comm is None and second.comm is None
    assert elsewhere.comm is not None and again.comm is not None
    assert first._pane.png == b"" and again._pane.png.startswith(PNG_MAGIC)
    # Without a front end saying which cell runs, nothing is closed behind the student's back.
    monkeypatch.setattr(IPython, "get_ipython", lambda: None)
    w.FiguresExplorer()
    assert again.comm is not None
    for explorer in (elsewhere, again):
        explorer.close()


def test_voices_and_claims_take_empty_cells_without_showing_nan():
    quotes = a.load_quotes().copy()
    quotes.iloc[0, quotes.columns.get_loc("role")] = float("nan")
    quotes.iloc[1, quotes.columns.get_loc("medium")] = None
    browser = w.VoicesBrowser(quotes=quotes)
    shown = " ".join(label for label, _ in browser.speaker_buttons.options) + browser._static_text()
    shown += " ".join(browser.speaker_buttons.tooltips)
    assert not re.search(r"\bnan\b", shown.lower()), shown
    claims = a.load_claims().copy()
    claims["evidence"] = claims["evidence"].where(claims.index != claims.index[0], float("nan"))
    claims.loc[claims.index[1], "note"] = float("nan")
    comparer = w.ClaimsComparer(claims=claims)
    assert not re.search(r"\bnan\b", comparer._static_text().lower())


@pytest.mark.parametrize("make", [w.TimelineExplorer, w.FiguresExplorer])
def test_explorer_charts_say_their_smallest_text_and_read_at_a_1024_px_window(make):
    """The PNG carries its smallest font size and its dpi; shown in a cell 590 px wide its labels are >= 11 px."""
    import io

    from PIL import Image

    explorer = make()
    try:
        png = Image.open(io.BytesIO(explorer._pane.png))
        pt = float(png.text["Smallest-Font-Pt"])
        dpi = png.info["dpi"][0]
        assert pt == a.style.smallest_font_pt(explorer.figure) > 0
        assert abs(dpi - explorer.figure.dpi) < 0.5
        shown = min(png.width, 590)
        assert pt * dpi / 72 * shown / png.width >= 11
        assert explorer._pane.image.layout.margin == "0"  # width 100% plus a margin pokes out of the cell
    finally:
        explorer.close()


def test_timeline_opens_on_the_article_weeks_with_a_way_to_the_whole_war():
    explorer = w.TimelineExplorer()
    try:
        first, last = explorer.date_range
        assert w.ARTICLE_WEEKS[0] <= first <= last <= w.ARTICLE_WEEKS[1] and not explorer.whole_range
        assert "uprising_2011" not in explorer.matching.index and "convoy_attack" in explorer.matching.index
        explorer.whole_button.click()
        assert explorer.whole_range and "uprising_2011" in explorer.matching.index
        assert explorer.date_slider.value == (explorer._all_dates[0], explorer._all_dates[-1])
        explorer.weeks_button.click()
        assert explorer.date_range == (first, last)
        # The hook names the handles with constant text only.
        assert "aria-label" in w._SLIDER_NAMES_HOOK and "From date" in w._SLIDER_NAMES_HOOK
    finally:
        explorer.close()


def test_explorer_chart_image_has_a_text_alternative():
    """The Image widget has no alt: the HTML under it carries the short text, escaped, and the hook that copies it."""
    explorer = w.FiguresExplorer()
    try:
        value = explorer._chart_text.value
        assert value.startswith(w._ALT_HOOK)
        assert ("<span class='aleppo2016-alt' hidden>Horizontal bar chart of numbers in the article, "
                "on a log scale.</span>") in value
        explorer.scale = "linear"  # follows the chart shown
        assert "on a linear scale.</span>" in explorer._chart_text.value
    finally:
        explorer.close()


def test_figures_explorer_fits_its_labels_without_a_layout_pass_per_click() -> None:
    """Margins are worked out when labels need more room, then kept: no label is ever cut off at the edge."""
    explorer = w.FiguresExplorer()
    ids = list(explorer.figure_boxes)
    for selected, scale in ((ids[-2:], "log"), (ids[:1], "linear"), (ids, "linear"), (ids[3:6], "log")):
        with explorer.hold_trait_notifications():
            explorer.selected, explorer.scale = tuple(selected), scale
        assert not explorer._pane._cut_off(), (selected, scale)
        assert type(explorer.figure.get_layout_engine()).__name__ == "PlaceHolderLayoutEngine"
    # ...and the check can fail: a label pushed past the left edge is seen.
    explorer.figure.subplots_adjust(left=0.01)
    explorer.figure.canvas.draw()
    assert explorer._pane._cut_off()
