"""show.table: a table a student reads like a textbook's (issue 12, "Tables")."""
from __future__ import annotations

import pandas as pd
import pytest

import aleppo2016
from aleppo2016 import show
from aleppo2016.errors import UnknownNameError


def test_no_python_syntax_in_cells() -> None:
    frame = pd.DataFrame({"target": [("russia",), (), ["a", "b"]], "n": [60000, 2.5, float("nan")],
                          "when": [pd.Timestamp("2016-09-19"), pd.NaT, None]}, index=["x", "y", "z"])
    t = show.table(frame)
    assert t.headers == ["id", "target", "n", "when"]
    assert t.rows == [["x", "russia", "60,000", "19 September 2016"], ["y", "—", "2.5", "—"], ["z", "a, b", "—", "—"]]
    text = repr(t)
    for python in ("(", "'", "nan", "NaT", "None", "[]"):
        assert python not in text


def test_html_is_escaped_and_does_not_break_words() -> None:
    frame = pd.DataFrame({"claim": ["<b>bold</b> & more"]}, index=["c"])
    markup = show.table(frame)._repr_html_()
    assert "<b>" not in markup and "&lt;b&gt;bold&lt;/b&gt; &amp; more" in markup
    assert "word-break:normal" in markup and "overflow-wrap:normal" in markup
    assert '<th scope="col"' in markup and '<th scope="row"' in markup  # no empty corner header


def test_one_record_reads_field_by_field() -> None:
    t = show.table(aleppo2016.actor("Ammar al-Salmo"), columns=["name", "role"])
    assert repr(t).splitlines()[1:] == ["name: Ammar al-Selmo", "role: a civil defense captain"]


def test_counts_are_headed_by_what_they_count_and_a_record_by_nothing_but_its_fields() -> None:
    """value_counts() heads its table "kind | count", no leftover "field"; a record needs no header row at all."""
    counts = show.table(aleppo2016.load_actors()["kind"].value_counts())
    assert counts.headers == ["kind", "count"] and counts.caption == ""
    markup = counts._repr_html_()
    assert "<thead><tr><th scope=\"col\"" in markup and ">kind</th>" in markup and ">count</th>" in markup
    assert "field" not in markup and "<caption" not in markup
    assert repr(counts).splitlines()[:2] == ["kind: count", "person: 9"]
    record = show.table(aleppo2016.actor("Ammar al-Salmo"), columns=["name", "role"])
    markup = record._repr_html_()
    assert "<thead>" not in markup and "field" not in markup and ">id: selmo</caption>" in markup
    assert markup.count('<th scope="row"') == 2


def test_a_web_address_ends_before_the_punctuation_after_it() -> None:
    text = "on OpenStreetMap: https://www.openstreetmap.org/?mlat=36.1#map=15/36.1/37.1): a place (see https://a.org/b)."
    markup = show.html_text(text)
    assert 'href="https://www.openstreetmap.org/?mlat=36.1#map=15/36.1/37.1"' in markup
    assert 'href="https://a.org/b"' in markup and "</a>): a place" in markup and "</a>)." in markup


def test_columns_blank_and_wrong_names() -> None:
    figures = aleppo2016.load_figures().loc[["rescued", "under_siege"]]
    t = show.table(figures, columns=["value_text", "attribution"], blank="the article itself")
    assert t.rows == [["rescued", "some 60,000", "the group claims"], ["under_siege", "estimated 300,000", "the article itself"]]
    with pytest.raises(UnknownNameError, match="Did you mean 'attribution'"):
        show.table(figures, columns=["atribution"])
    with pytest.raises(TypeError, match="needs a table"):
        show.table([1, 2])  # type: ignore[arg-type]


def test_a_table_too_wide_for_1024_stacks_one_block_per_record() -> None:
    later = aleppo2016.load_context().loc[["nobel_peace_prize_2016", "netflix_release"]]
    wide = show.table(later, columns=["date", "title", "description", "source", "source_url"])
    narrow = show.table(later, columns=["title"])
    assert wide.min_width() > show.FIT_PX and wide.stacked()
    assert narrow.min_width() < show.FIT_PX and not narrow.stacked()
    markup = wide._repr_html_()
    assert markup.count("<tbody>") == 2 and '<th colspan="2" scope="rowgroup"' in markup
    assert markup.count('<th scope="row"') == 2 * 5 and "<thead>" not in markup  # every field named, no empty header
    assert "id: nobel_<wbr>peace_<wbr>prize_<wbr>2016" in markup  # identifiers break after _, words never
    # Three columns of long text would squeeze to a few words a line at 592 px: stacked too.
    medics = aleppo2016.load_claims().loc[["medics_struggling"]]
    assert show.table(medics, columns=["claimant", "claim", "evidence", "note"]).stacked()
    assert not show.table(medics, columns=["claimant", "claim"]).stacked()


def test_web_addresses_are_underlined_links_and_citation_reads_as_text() -> None:
    frame = pd.DataFrame({"source_url": ["https://a.org/x-y ; not a link", "javascript:alert(1)"]}, index=["a", "b"])
    markup = show.table(frame)._repr_html_()
    assert markup.count("<a ") == 1 and 'href="https://a.org/x-y"' in markup and "text-decoration:underline" in markup
    assert "javascript" in markup and 'href="javascript' not in markup
    info = aleppo2016.article_info()
    cited = show.citation(info)
    assert repr(cited) == info["citation"]
    assert cited._repr_html_().count('<a href="' + info["url"] + '"') == 1


def test_a_dict_reads_field_by_field_and_a_paragraph_wraps_between_words() -> None:
    """article_info() and long texts: shown in the notebook's font, never printed in monospace (which breaks words)."""
    info = aleppo2016.article_info()
    t = show.table(info, columns=["citation", "reading_minutes"])
    assert t.record and t.caption == "" and [r[0] for r in t.rows] == ["citation", "reading_minutes"]
    assert '<a href="https://time.com/' in t._repr_html_() and "<caption" not in t._repr_html_()
    paragraph = show.text(info["published_reasoning"])
    assert repr(paragraph) == " ".join(info["published_reasoning"].split())
    markup = paragraph._repr_html_()
    assert markup.startswith("<p ") and "<pre" not in markup and "&ldquo;" not in markup and "“" in markup
    assert show.text("<b>x</b>")._repr_html_().count("&lt;b&gt;") == 1
