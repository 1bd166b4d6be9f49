"""Source cards: one sourced statement per card, for lateral reading without internet.

Lateral reading means leaving a page to see what other sources say about it.
A class without internet can still practise it with prepared cards: each card
holds one statement (a context fact, or a short excerpt of the article), the
named source it comes from, that source's date and its address, so students
can ask the three questions of every source (who is behind it? what is the
evidence? what do other sources say?).

``source_cards(...)`` returns the cards; in Jupyter they show as readable HTML
(every piece of text escaped), and ``str()`` gives the same cards as plain text
for a printout or a screen reader.
"""
from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from . import data
from .show import link
from .errors import UnknownNameError, did_you_mean

__all__ = ["SourceCard", "SourceCards", "source_cards", "THREE_QUESTIONS", "TOPICS", "ARTICLE"]

#: The three questions of Civic Online Reasoning (Stanford History Education Group), asked of every source.
THREE_QUESTIONS = (
    "Who is behind the information?",
    "What is the evidence?",
    "What do other sources say?",
)

#: The id of the card about the article itself (its title, byline and date in our copy).
ARTICLE = "article"
#: Prefix for a card holding one of the article's own figures: "article:convoy_killed".
_ARTICLE_FIGURE = "article:"

#: Ready-made sets of cards for the lab's tasks.
TOPICS: dict[str, tuple[str, ...]] = {
    "byline": (ARTICLE,),
    "convoy": ("article:convoy_killed", "convoy_attack_un", "un_board_of_inquiry", "commission_of_inquiry"),
    "white_helmets": ("article:rescued", "netflix_release", "right_livelihood_announced",
                      "nobel_peace_prize_2016", "oscar_2017"),
}


@dataclass(frozen=True)
class SourceCard:
    """One statement with its named source, the source's date and where to find it."""

    id: str
    title: str
    claim: str
    source: str
    source_date: str
    urls: tuple[str, ...]
    note: str = ""

    def text(self) -> str:
        """The card as plain text (for print and screen readers)."""
        lines = [self.title, f"  Claim: {self.claim}", f"  Source: {self.source}",
                 f"  Source date: {self.source_date or 'not given'}"]
        lines += [f"  Link: {url}" for url in self.urls]
        if self.note:
            lines.append(f"  Note: {self.note}")
        return "\n".join(lines)

    def html(self) -> str:
        """The card as an HTML fragment; all text is escaped, links only for http(s) addresses."""
        esc = html.escape
        links = "".join(f"<li>{link(url)}</li>" for url in self.urls)
        note = f'<p style="margin:.3em 0;color:#555"><i>Note:</i> {esc(self.note)}</p>' if self.note else ""
        return (
            '<div class="source-card" style="border:1px solid #555;border-radius:6px;padding:.6em .9em;'
            'margin:.5em 0;max-width:46em;background:#fff;color:#222">'
            f'<p style="margin:0 0 .3em;font-weight:bold">{esc(self.title)}</p>'
            f'<p style="margin:.3em 0"><b>Claim:</b> {esc(self.claim)}</p>'
            f'<p style="margin:.3em 0"><b>Source:</b> {esc(self.source)}</p>'
            f'<p style="margin:.3em 0"><b>Source date:</b> {esc(self.source_date or "not given")}</p>'
            f'{note}<ul style="margin:.3em 0">{links}</ul></div>'
        )

    def _repr_html_(self) -> str:
        return self.html()

    def __str__(self) -> str:
        return self.text()


class SourceCards(tuple):
    """A set of source cards; shows as HTML in Jupyter, as plain text with print()."""

    def text(self) -> str:
        head = "Ask of every card: " + " ".join(THREE_QUESTIONS)
        return "\n\n".join([head, *(card.text() for card in self)])

    def html(self) -> str:
        questions = "".join(f"<li>{html.escape(q)}</li>" for q in THREE_QUESTIONS)
        return (f'<div class="source-cards"><p><b>Ask of every card:</b></p><ol>{questions}</ol>'
                + "".join(card.html() for card in self) + "</div>")

    def _repr_html_(self) -> str:
        return self.html()

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return self.text()


def _urls(value: object) -> tuple[str, ...]:
    return tuple(part.strip() for part in str(value or "").split(" ; ") if part.strip())


def _context_card(cid: str, row: pd.Series) -> SourceCard:
    return SourceCard(id=cid, title=str(row["title"]), claim=str(row["description"]), source=str(row["source"]),
                      source_date=str(row["source_date"]), urls=_urls(row["source_url"]))


def _article_card() -> SourceCard:
    info = data.article_info()
    return SourceCard(
        id=ARTICLE, title=f"The article: “{info['title']}”",
        claim=f"Publisher: {info['publisher']} ({info['section']}). Byline: {info['author']}",
        source="Our copy of the article, as stored in this module (article.json)",
        source_date=f"{info['published']} (inferred from the text, not printed in our copy)",
        urls=(info["url"],), note=info["published_reasoning"],
    )


def _figure_card(fid: str) -> SourceCard:
    info = data.article_info()
    row = data.load_figures().loc[fid]
    said = f"; the article attributes it: “{row['attribution']}”" if row["attribution"] else ""
    return SourceCard(
        id=_ARTICLE_FIGURE + fid, title=f"The article: {row['value_text']} {row['measure']}",
        claim=f"The article's words: “{row['excerpt']}”",
        source=f"{info['publisher']}, “{info['title']}”{said}",
        source_date=f"{info['published']} (inferred from the text)", urls=(info["url"],),
    )


def _known_ids(context: pd.DataFrame) -> list[str]:
    figures = [_ARTICLE_FIGURE + fid for fid in data.load_figures().index]
    return [*TOPICS, ARTICLE, *context.index, *figures]


def source_cards(ids: str | Iterable[str] | None = None) -> SourceCards:
    """Cards for a topic ("convoy", "white_helmets", "byline"), or for ids; all context facts by default.

    An id is a context fact's id (see ``aleppo2016.load_context()``), "article"
    for the article itself, or "article:" and a figure id for one of the
    article's figures in its own words (e.g. "article:convoy_killed").
    """
    context = data.load_context()
    if ids is None:
        wanted: list[str] = list(context.index)
    elif isinstance(ids, str):
        wanted = list(TOPICS.get(ids, (ids,)))
    else:
        wanted = list(ids)
    figures = data.load_figures()
    cards = []
    for cid in wanted:
        if not isinstance(cid, str):
            raise TypeError(f"source_cards() takes ids as text, like 'convoy_attack_un'; got {type(cid).__name__}.")
        if cid == ARTICLE:
            cards.append(_article_card())
        elif cid.startswith(_ARTICLE_FIGURE) and cid[len(_ARTICLE_FIGURE):] in figures.index:
            cards.append(_figure_card(cid[len(_ARTICLE_FIGURE):]))
        elif cid in context.index:
            cards.append(_context_card(cid, context.loc[cid]))
        else:
            raise UnknownNameError(
                f"No source card called {cid!r:.60}.{did_you_mean(cid, _known_ids(context))} "
                f"Use a topic ({', '.join(map(repr, TOPICS))}), 'article', 'article:' and a figure id, "
                "or a context id from aleppo2016.load_context()."
            )
    return SourceCards(cards)
