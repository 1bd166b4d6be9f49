"""Source cards (issue 14, lateral reading offline): every card carries its statement, named source, date and link.

The cards stand in for the web in a classroom without internet, so they must
say no more than the data: the claim is the context fact's description (or
the article's own words), with the source, source date and addresses from
the same row. Their HTML escapes every piece of text.
"""
from __future__ import annotations

import pytest

import aleppo2016
from aleppo2016 import cards
from aleppo2016.errors import UnknownNameError


def test_every_context_fact_becomes_a_card_with_its_own_source_date_and_links() -> None:
    context = aleppo2016.load_context()
    made = cards.source_cards()
    assert [card.id for card in made] == list(context.index)
    for card in made:
        row = context.loc[card.id]
        assert card.claim == row["description"] and card.source == row["source"]
        assert card.source_date == row["source_date"]
        assert card.urls == tuple(u.strip() for u in row["source_url"].split(" ; "))
        assert all(url.startswith(("https://", "http://")) for url in card.urls)


def test_the_convoy_cards_set_the_article_beside_both_un_inquiries() -> None:
    convoy = cards.source_cards("convoy")
    ids = [card.id for card in convoy]
    assert ids == ["article:convoy_killed", "convoy_attack_un", "un_board_of_inquiry", "commission_of_inquiry"]
    article = convoy[0]
    assert aleppo2016.figure("convoy_killed")["excerpt"] in article.claim  # the article's exact words
    assert "killed at least 20 people" in article.claim
    assert article.urls == (aleppo2016.article_info()["url"],)
    text = str(convoy)
    for wanted in ("S/2016/1093", "A/HRC/34/64", "at least 10", "at least 14", *cards.THREE_QUESTIONS):
        assert wanted in text


def test_a_figure_card_keeps_the_articles_attribution() -> None:
    card = cards.source_cards(["article:rescued"])[0]
    assert "the group claims" in card.source
    assert aleppo2016.figure("rescued")["excerpt"] in card.claim


def test_the_article_card_says_what_our_copy_lacks() -> None:
    card = cards.source_cards("byline")[0]
    info = aleppo2016.article_info()
    assert info["author"] in card.claim and info["published"] in card.source_date and "inferred" in card.source_date
    assert card.note == info["published_reasoning"]


def test_html_escapes_every_text_and_links_only_web_addresses() -> None:
    card = cards.SourceCard(id="x", title="<b>T</b>", claim='<script>alert("x")</script>', source="A & B",
                            source_date="2016-09-19", urls=("javascript:alert(1)", "https://example.org/?a=1&b=<2>"))
    page = cards.SourceCards([card])._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page and "&lt;b&gt;T&lt;/b&gt;" in page
    assert "A &amp; B" in page
    assert 'href="javascript' not in page and "javascript:alert(1)" in page  # shown as text, not a link
    assert 'href="https://example.org/?a=1&amp;b=&lt;2&gt;"' in page
    assert '<script>alert("x")</script>' in str(card)  # plain text keeps the text as it is


def test_plain_text_and_html_hold_the_same_fields() -> None:
    for card in cards.source_cards("white_helmets"):
        for field in (card.title, card.source, card.source_date, *card.urls):
            assert field in card.text()
        assert card.html().count("<b>Source:</b>") == 1


def test_unknown_ids_say_what_is_allowed_and_suggest_the_closest() -> None:
    with pytest.raises(UnknownNameError, match="Did you mean 'convoy_attack_un'") as caught:
        cards.source_cards("convoy_atack_un")
    assert "'convoy'" in str(caught.value) and "load_context()" in str(caught.value)
    with pytest.raises(UnknownNameError):
        cards.source_cards(["article:no_such_figure"])
    with pytest.raises(TypeError, match="as text"):
        cards.source_cards([3])
