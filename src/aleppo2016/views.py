"""What each explorer shows, as a pure function of its state and the data.

``timeline_view(events, context, actors, categories=..., actor=..., date_range=...)``
and its siblings return a :class:`View`: the message line, the rows that
match, the listing as text parts (:mod:`aleppo2016.text`) and how to draw
the chart. They need no widgets, so they can be tested, and used, on their
own; the explorers in :mod:`aleppo2016.widgets` only show what these return.
"""

import math
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from . import charts, tables
from .text import Part, quoted

__all__ = ["View", "timeline_view", "figures_view", "figure_records", "largest_first", "voices_view", "claims_view", "NO_EVIDENCE"]

NO_EVIDENCE = "The article offers no evidence for this claim."


@dataclass
class View:
    """What an explorer shows for one state.

    ``entries`` is the listing, one list of text parts per entry; ``sides``
    (claims only) holds the two columns, each a list of entries. ``draw(ax)``
    draws the chart, and ``key`` names the state, so a drawn chart can be
    reused for an equal key.
    """

    message: str
    matching: pd.DataFrame
    entries: list[list[Part]] = field(default_factory=list)
    draw: Callable[[Any], Any] | None = None
    key: Hashable = None
    extra: dict[str, Any] = field(default_factory=dict)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


# --------------------------------------------------------------------------
# Timeline
# --------------------------------------------------------------------------

def timeline_view(
    events: pd.DataFrame,
    context: pd.DataFrame,
    *,
    categories: Sequence[str],
    actor: str = "",
    date_range: tuple[Any, Any] | None = None,
    published: Any = None,
) -> View:
    """The events and context rows in these categories, with this actor, in this date range.

    ``date_range`` None means every date; events with no known date are then
    listed too (at the end), since only then can they belong. ``extra``
    holds ``context`` (the matching context rows) and ``undated``.
    """
    name = "TimelineExplorer"
    keep = events["category"].map(tables.category).isin(categories)
    keep_ctx = context["category"].map(tables.category).isin(categories)
    if actor:
        has_actor = events["actors"].map(lambda acts: actor in tables.names(acts)).astype(bool)
        keep &= has_actor
        related = context["related"] if "related" in context.columns else pd.Series((), index=context.index, dtype=object)
        with_actor = set(events.index[has_actor])
        keep_ctx &= related.map(lambda rel: bool(with_actor & set(tables.names(rel)))).astype(bool)
    matching, matching_ctx = events[keep.astype(bool)], context[keep_ctx.astype(bool)]
    # The dated rows, each with its first and last possible day: filtered by date here, listed below.
    items = tables.timeline_items(matching, matching_ctx, name)
    lo = hi = None
    if date_range is not None:
        lo, hi = (pd.Timestamp(d) for d in date_range)
        items = items[(items["end"] >= lo) & (items["date"] <= hi)]
        items = items.assign(number=range(1, len(items) + 1))  # numbered as the chart numbers what it shows
        matching_ctx = matching_ctx[matching_ctx.index.map(str).isin(items.loc[items["source"] == "context", "id"])]
    dated = matching.index.map(str).isin(items.loc[items["source"] == "article", "id"])
    undated = matching[~dated]
    if date_range is not None:
        matching, undated = matching[dated], undated.iloc[:0]

    n_ctx = len(matching_ctx)
    if len(matching) + n_ctx == 0:
        message = ("No events match these filters — try adding a category, emptying "
                   "the Actor box, or widening the dates.")
    else:
        extra = f" ({len(undated)} with no known date, listed at the end)" if len(undated) else ""
        message = f"Showing {_plural(len(matching), 'event')} from the article{extra} and {n_ctx} from outside context."

    # Rows as plain dicts, looked up by id: a .loc per entry was most of the time a click took here.
    rows = {"article": {str(k): v for k, v in matching.to_dict("index").items()},
            "context": {str(k): v for k, v in matching_ctx.to_dict("index").items()}}
    entries: list[list[Part]] = []
    for number, when, title, source, rid in zip(items["number"], items["date"], items["title"], items["source"],
                                                items["id"]):
        head = f"{number}. {charts.format_date(when)} — {title}"
        row = rows[source][rid]
        if source == "article":
            entries.append(_event_parts(head, row))
        else:
            entries.append([
                ("heading", head),
                ("small", f"({tables.category(row['category'])}, outside context (not in the article))"),
                ("text", f"{tables.text(row['description'])} Source: {tables.text(row['source'])}."),
            ])
    for rid in undated.index:
        row = rows["article"][str(rid)]
        entries.append(_event_parts(f"No known date — {tables.text(row['title'])}", row))

    def draw(ax: Any) -> Any:
        return charts.timeline_chart(matching, matching_ctx, start=lo, end=hi, published=published, ax=ax)

    return View(message, matching, entries, draw, (tuple(categories), actor, date_range),
                extra={"context": matching_ctx, "undated": undated})


def _event_parts(head: str, row: pd.Series | dict[str, Any]) -> list[Part]:
    when = f"When: {quoted(tables.text(row['date_text']))}. {tables.text(row['date_reasoning'])}".strip()
    return [
        ("heading", head),
        ("small", f"({tables.category(row['category'])}, from the article)"),
        ("text", when),
        ("text", f"In the article: {quoted(tables.text(row['excerpt']))}"),
    ]


# --------------------------------------------------------------------------
# Figures
# --------------------------------------------------------------------------

def figure_records(figures: pd.DataFrame) -> dict[Hashable, dict[str, Any]]:
    """Each figure by id as a plain dict, with its listing entry (``_entry``), for :func:`figures_view`.

    Made once, they spare a view pandas' per-row work: the figures explorer
    keeps them and redraws from them on every click.
    """
    records = {}
    for row in charts._figure_rows(figures):
        qualifier = tables.text(row["qualifier"]).strip()
        hedge = f"Hedge: {quoted(qualifier)}." if qualifier else "No hedge: the article gives the number plainly."
        row["_heading"] = f"{charts.hedged_value(row)} {tables.text(row['unit'])}: {tables.text(row['measure'])}"
        row["_entry"] = [
            ("heading", row["_heading"]),
            ("text", f"{hedge} The article's words: {quoted(tables.text(row['value_text']))}. "
                     f"Who says so: {tables.source_line(row['attribution'])}."),
            ("text", f"In the article: {quoted(tables.text(row['excerpt']))}"),
        ]
        records[row["_id"]] = row
    return records


def largest_first(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records from :func:`figure_records`, largest number first, ties in their order, no number (NaN) last
    (as pandas sorts them)."""
    return sorted(records, key=lambda row: (math.isnan(row["_value"]), -row["_value"]))


def figures_view(figures: pd.DataFrame, *, selected: Sequence[str], scale: str = "log",
                 min_height: float | None = None, records: dict[Hashable, dict[str, Any]] | None = None) -> View:
    """The chosen figures, largest first, each with its hedge, its source and the article's words.

    A log scale cannot show zero or less: the view then uses the linear
    scale and says so (``extra["scale"]`` is the scale drawn). With
    ``min_height`` (inches), the chart's figure is made that tall, or taller
    when the chosen figures' labels need it, so that they never overlap.
    ``records``: ``figure_records(figures)``, made once by a caller that makes many views.
    """
    chosen = figures.loc[list(selected)]
    records = figure_records(chosen) if records is None else records
    rows = [records[rid] for rid in selected]
    message = ""
    if not rows:
        message = "No figures chosen — tick one or more of the boxes above to compare them."
    elif scale == "log" and any(row["_value"] <= 0 for row in rows):
        message = "A log scale cannot show zero or less; showing the linear scale instead."
        scale = "linear"
    elif len({tables.text(row["unit"]) for row in rows}) > 1:
        message = "These figures count different things (see the units): compare them with care."
    entries = [list(row["_entry"]) for row in largest_first(rows)]  # copies: a change to a view's entries stays in it

    def draw(ax: Any) -> Any:
        if min_height is not None:
            ax.figure.set_figheight(max(min_height, charts._rows_height(rows, sources=False, legend=False)))
        return charts._figures_chart_of_rows(rows, scale=scale, sources=False, legend=False, ax=ax)

    return View(message, chosen, entries, draw, (tuple(selected), scale), extra={"scale": scale})


# --------------------------------------------------------------------------
# Voices
# --------------------------------------------------------------------------

def voice_key(row: pd.Series) -> str:
    """A quotation's voice: the speaker's id, or "role:" and the role for a voice the article does not name."""
    speaker = tables.text(row["speaker"])
    return speaker if speaker else f"role:{tables.text(row['role'])}"


def voices_view(quotes: pd.DataFrame, actors: pd.DataFrame | None, *, speaker: str = "") -> View:
    """The quotations of one voice ("" for all): who, their role, how the words were got, when, the context."""
    keys = quotes.apply(voice_key, axis=1) if len(quotes) else pd.Series(dtype=str)
    matching = quotes[keys == speaker] if speaker else quotes
    n = len(matching)
    message = ("No quotations to show for this choice — try “All voices”." if n == 0
               else f"{_plural(n, 'quotation')}.")
    entries: list[list[Part]] = []
    for _, row in matching.iterrows():
        role = tables.text(row["role"])
        who = (f"— {tables.actor_name(tables.text(row['speaker']), actors)}, {role}" if tables.text(row["speaker"])
               else f"— not named in the article ({role})")
        when = tables.text(row["date_text"])
        if "date" in row.index and not pd.isna(row["date"]):
            when = f"{when} ({charts.format_date(row['date'])})"
        entry: list[Part] = [
            ("speech", tables.text(row["text"])),
            ("small", who),
            ("small", f"How the reporter got it: {tables.text(row['medium'])}. When: {when}."),
            ("small", f"Context: {tables.text(row['context'])}"),
        ]
        # The article's own sentence and our note on it: a task in 04 asks students to compare the
        # cleaned quotation with the excerpt (Power's first quotation has a slip in its quote marks).
        if "excerpt" in row.index and tables.text(row["excerpt"]):
            entry.append(("quote", tables.text(row["excerpt"])))
        if "note" in row.index and tables.text(row["note"]):
            entry.append(("note", f"Note: {tables.text(row['note'])}"))
        entries.append(entry)
    return View(message, matching, entries)


# --------------------------------------------------------------------------
# Claims
# --------------------------------------------------------------------------

def claims_view(claims: pd.DataFrame, actors: pd.DataFrame | None, *, point: str = "") -> View:
    """One disputed point: the claim that starts it (left) and the claims that answer it (right).

    ``extra`` holds ``first_claim`` (a row, or None), ``replies`` and
    ``sides``: the two columns, each a list of entries.
    """
    if not point:
        return View("The article reports no replies to any claim, so there is nothing to compare.",
                    claims.iloc[0:0], extra={"first_claim": None, "replies": claims.iloc[0:0], "sides": ([], [])})
    first = claims.loc[point]
    replies = claims[claims["responds_to"].map(tables.text) == point]
    left = [_side(first, "One side", claims, actors)]
    right = [_side(row, "The reply", claims, actors) for _, row in replies.iterrows()]
    return View("One side on the left, the reply on the right. Which side offers evidence?",
                claims.loc[[point, *replies.index]], left + right,
                extra={"first_claim": first, "replies": replies, "sides": (left, right)})


def claimant(row: pd.Series, actors: pd.DataFrame | None) -> str:
    """Who makes a claim, by name."""
    return tables.actor_name(tables.text(row["claimant"]), actors)


def _side(row: pd.Series, heading: str, claims: pd.DataFrame, actors: pd.DataFrame | None) -> list[Part]:
    targets = ", ".join(tables.actor_name(t, actors) for t in tables.names(row["target"]))
    evidence = tables.text(row["evidence"]).strip()
    note = tables.text(row.get("note")).strip()
    if not evidence:  # the bold line already says so; once is enough
        note = " ".join(note.replace(NO_EVIDENCE, "").split())
    answers = tables.text(row.get("responds_to"))
    if targets:
        about = f"About: {targets}"
    elif answers in claims.index:
        about = f"Answers: {claimant(claims.loc[answers], actors)}"
    else:
        about = "About: no one named"
    parts: list[Part] = [
        ("heading", f"{heading}: {claimant(row, actors)} ({tables.text(row['kind'])})"),
        ("speech", tables.text(row["claim"])),
        ("text", about),
        ("heading", f"Evidence the article offers: {evidence}" if evidence else NO_EVIDENCE),
        ("text", f"In the article: {quoted(tables.text(row['excerpt']))}"),
    ]
    if note:
        parts.append(("small", f"Note: {note}"))
    return parts
