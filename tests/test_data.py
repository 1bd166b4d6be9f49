"""The article's data: loaders, the issue's required records, lookups, dates and excerpts.

Validation of broken files is tested in test_validation.py; this file tests
what the package's own data says and how the loaders hand it out.

Excerpts are checked against tests/excerpt_register.json (a hash of each
excerpt and the paragraph it comes from, written by tools/register_excerpts.py
after checking it against the article), because CI has no copy of the article
and the project never stores its text. Where the article itself is present
(ALEPPO2016_ARTICLE, or ../shared/article/article.txt beside the repository)
the tests also check against its text and that the register is up to date.
"""
from __future__ import annotations

import importlib.util
import json
import re
from datetime import date
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

import aleppo2016
from aleppo2016 import UnknownNameError
from aleppo2016.data import ARTICLE_KEYS, TABLES

ROOT = Path(__file__).resolve().parents[1]


def _register_tool() -> ModuleType:
    """tools/register_excerpts.py, imported so its rules are not written twice."""
    spec = importlib.util.spec_from_file_location("register_excerpts", ROOT / "tools" / "register_excerpts.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


REG = _register_tool()
REGISTER = json.loads(REG.REGISTER.read_text(encoding="utf-8"))
PARAGRAPH_WORDS = {p["number"]: p["words"] for p in REGISTER["paragraphs"]}
ARTICLE_PATH = REG.default_article()

LOADERS = {name: getattr(aleppo2016, f"load_{name}") for name in TABLES}
VERBATIM = REG.excerpts()


def _paragraph_of(text: str) -> int | None:
    """The number of the paragraph a registered excerpt comes from, or None if it is not registered."""
    return REGISTER["excerpts"].get(REG.digest(text))


# --------------------------------------------------------------------------
# Loaders
# --------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(TABLES))
def test_loader_returns_contract_columns_and_unique_string_ids(name: str) -> None:
    frame = LOADERS[name]()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == [c.name for c in TABLES[name].columns]
    assert frame.index.name == "id"
    assert frame.index.is_unique
    assert all(isinstance(rid, str) and re.fullmatch(r"[a-z0-9_]+", rid) for rid in frame.index)
    assert len(frame) > 0


@pytest.mark.parametrize("name", list(TABLES))
def test_each_call_returns_an_independent_copy(name: str) -> None:
    first = LOADERS[name]()
    before = LOADERS[name]().copy()
    first.iloc[0, 0] = None
    first.index = [f"x{i}" for i in range(len(first))]
    first["added_by_a_student"] = 1
    pd.testing.assert_frame_equal(LOADERS[name](), before)


def test_article_info_is_a_copy() -> None:
    info = aleppo2016.article_info()
    info["title"] = "changed"
    assert aleppo2016.article_info()["title"] != "changed"


def test_date_columns_are_datetimes_and_values_are_numbers() -> None:
    assert pd.api.types.is_datetime64_any_dtype(aleppo2016.load_events()["date"])
    assert pd.api.types.is_datetime64_any_dtype(aleppo2016.load_context()["date"])
    assert pd.api.types.is_numeric_dtype(aleppo2016.load_figures()["value"])
    assert pd.api.types.is_float_dtype(aleppo2016.load_places()["latitude"])


# --------------------------------------------------------------------------
# The article's details
# --------------------------------------------------------------------------

def test_article_info_has_every_key_and_a_citation() -> None:
    info = aleppo2016.article_info()
    for key in (*ARTICLE_KEYS, "citation"):
        assert info[key], key
    assert info["publisher"] == "TIME"
    assert info["section"] == "World · Syria"
    assert info["url"] == "https://time.com/4507009/aleppo-offensive-syria-white-helmets-attack/"
    assert info["published"] == "2016-09-25"
    assert info["reading_minutes"] == 6
    assert "no byline" in info["author"]
    assert "copyright" in info["licence_note"]
    citation = info["citation"]
    assert info["title"] in citation and "TIME" in citation and info["url"] in citation
    assert "25 September 2016" in citation and "inferred" in citation


# --------------------------------------------------------------------------
# The issue's required figures
# --------------------------------------------------------------------------

REQUIRED_FIGURES = {
    # id: (value, qualifier, attribution)
    "rescued": (60000, "some", "the group claims"),
    "under_siege": (300000, "estimated", ""),
    "killed_since_2011": (500000, "nearly", ""),
    "without_water": (2000000, "nearly", "according to the United Nations"),
    "convoy_killed": (20, "at least", ""),
    "convoy_supplies": (70000, "more than", ""),
    "killed_sunday": (23, "at least", "according to activists quoted by The Associated Press"),
    "ops_centres_total": (4, "", ""),
    "ops_centres_damaged": (3, "at least", ""),
    "centres_out_of_operation": (2, "", "Ammar al-Selmo, a civil defense captain"),
    "war_span_years": (5, "", ""),
    "truce_days": (7, "", ""),
}


@pytest.mark.parametrize("fid", list(REQUIRED_FIGURES))
def test_required_figure(fid: str) -> None:
    value, qualifier, attribution = REQUIRED_FIGURES[fid]
    row = aleppo2016.load_figures().loc[fid]
    assert (row["value"], row["qualifier"], row["attribution"]) == (value, qualifier, attribution)


def test_required_value_texts() -> None:
    figures = aleppo2016.load_figures()
    assert figures.loc["rescued", "value_text"] == "some 60,000"
    assert figures.loc["killed_since_2011", "value_text"] == "nearly half a million"
    assert figures.loc["war_span_years", "value_text"] == "five-year span"
    assert figures.loc["truce_days", "value_text"] == "a week"


@pytest.mark.parametrize("fid", list(aleppo2016.load_figures().index))
def test_figure_hedge_value_and_attribution_are_in_its_excerpt(fid: str) -> None:
    row = aleppo2016.load_figures().loc[fid]
    excerpt = row["excerpt"].casefold()
    for column in ("qualifier", "value_text", "attribution"):
        assert row[column].casefold() in excerpt, f"{column} {row[column]!r} is not in the excerpt"


def test_figures_link_to_their_events() -> None:
    figures = aleppo2016.load_figures()
    assert figures.loc["convoy_killed", "event"] == "convoy_attack"
    assert figures.loc["killed_sunday", "event"] == "killed_sunday"


# --------------------------------------------------------------------------
# References between tables
# --------------------------------------------------------------------------

def _ids(value: object) -> tuple[str, ...]:
    if isinstance(value, tuple):
        return value
    return (value,) if isinstance(value, str) and value else ()


REFERENCES = [
    ("events", "actors", "actors"), ("events", "places", "places"), ("figures", "event", "events"),
    ("actors", "affiliation", "actors"), ("places", "part_of", "places"), ("quotes", "speaker", "actors"),
    ("claims", "claimant", "actors"), ("claims", "target", "actors"), ("claims", "responds_to", "claims"),
    ("context", "related", "events"),
]


@pytest.mark.parametrize(("table", "column", "target"), REFERENCES)
def test_every_reference_exists(table: str, column: str, target: str) -> None:
    known = set(LOADERS[target]().index)
    used = {ref for cell in LOADERS[table]()[column] for ref in _ids(cell)}
    assert used, f"{table}.{column} refers to nothing"
    assert used <= known, used - known


def test_every_actor_and_article_place_is_referred_to() -> None:
    events, claims, quotes = aleppo2016.load_events(), aleppo2016.load_claims(), aleppo2016.load_quotes()
    actors = aleppo2016.load_actors()
    used = {a for cell in events["actors"] for a in cell} | set(claims["claimant"]) | set(quotes["speaker"])
    used |= {a for cell in claims["target"] for a in cell} | set(actors["affiliation"])
    assert set(actors.index) - used == set()
    places = aleppo2016.load_places()
    in_article = set(places.index[places["in_article"]])
    assert in_article - {p for cell in events["places"] for p in cell} == set()


def test_issue_ids_exist() -> None:
    actors = set(aleppo2016.load_actors().index)
    assert {
        "white_helmets", "netflix", "nobel_committee", "george_clooney", "ben_affleck", "justin_timberlake",
        "right_livelihood", "bashar_al_assad", "assad_regime", "russia", "selmo", "ahmad_aziz", "big_heart",
        "baraa_omar", "associated_press", "activists", "medics", "residents", "united_nations",
        "security_council", "united_states", "samantha_power", "churkin", "red_crescent",
        "opposition_groups", "kurdish_groups", "isis", "time",
    } <= actors
    places = aleppo2016.load_places()
    assert {"aleppo", "eastern_aleppo", "western_aleppo", "al_mashhad", "al_sukari", "ansari",
            "countryside_west", "new_york", "syria"} <= set(places.index[places["in_article"]])
    assert {"urum_al_kubra", "deir_ez_zor"} <= set(places.index[~places["in_article"]])
    assert "convoy_attack" in aleppo2016.load_events().index
    assert {"power_accuses", "churkin_denies", "churkin_blames_opposition"} <= set(aleppo2016.load_claims().index)


# --------------------------------------------------------------------------
# Lookups by name
# --------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("lookup", "name", "rid"),
    [
        (aleppo2016.actor, "CHURKIN", "churkin"),
        (aleppo2016.actor, "Vitaly Čhurkin", "churkin"),
        (aleppo2016.actor, "vitaly churkin", "churkin"),
        (aleppo2016.actor, "Syria Civil Defence", "white_helmets"),
        (aleppo2016.actor, "the White Helmets", "white_helmets"),
        (aleppo2016.actor, "الدفاع المدني السوري", "white_helmets"),
        (aleppo2016.actor, "Ammar al Selmo", "selmo"),
        (aleppo2016.actor, "al-Salmo", "selmo"),
        (aleppo2016.actor, "U.N.", "united_nations"),
        (aleppo2016.place, "as-Sukkari", "al_sukari"),
        (aleppo2016.place, "AL SUKARI", "al_sukari"),
        (aleppo2016.place, "Orem al-Kubra", "urum_al_kubra"),
        (aleppo2016.place, "al-Ansari", "ansari"),
        (aleppo2016.event, "convoy_attack", "convoy_attack"),
        (aleppo2016.figure, "under_siege", "under_siege"),
    ],
)
def test_lookup_accepts_case_accents_and_aliases(lookup, name: str, rid: str) -> None:
    assert lookup(name).name == rid


def test_lookup_returns_a_copy() -> None:
    row = aleppo2016.actor("churkin")
    row["name"] = "changed"
    assert aleppo2016.actor("churkin")["name"] == "Vitaly Churkin"


def test_unknown_name_suggests_close_matches() -> None:
    with pytest.raises(UnknownNameError, match="Did you mean") as info:
        aleppo2016.actor("Churkn")
    assert "Vitaly Churkin" in str(info.value) or "churkin" in str(info.value)
    with pytest.raises(UnknownNameError, match="Did you mean"):
        aleppo2016.place("al-Sukary")
    with pytest.raises(UnknownNameError, match="load_actors"):
        aleppo2016.actor("Napoleon")


def test_lookup_of_something_not_text_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="as text"):
        aleppo2016.actor(3)  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------

def _day(table: pd.DataFrame, rid: str) -> date:
    return table.loc[rid, "date"].date()


def test_relative_dates_are_resolved() -> None:
    events = aleppo2016.load_events()
    assert _day(events, "selmo_interview") == date(2016, 9, 23)
    assert _day(events, "security_council_meeting") == date(2016, 9, 25)
    assert _day(events, "ceasefire_begins") == date(2016, 9, 12)
    assert _day(events, "killed_sunday") == date(2016, 9, 25)
    assert _day(events, "centres_damaged") == date(2016, 9, 22)
    assert _day(events, "convoy_attack") == date(2016, 9, 19)
    assert _day(events, "documentary_release") == date(2016, 9, 16)
    assert _day(events, "right_livelihood_award") == date(2016, 9, 22)
    assert (_day(events, "nobel_peace_prize"), events.loc["nobel_peace_prize", "date_precision"]) == (
        date(2016, 10, 1), "month")
    assert events.loc["uprising_2011", "date_precision"] == "year"
    assert events.loc["mistaken_airstrike", "date_precision"] == "week"
    quotes = aleppo2016.load_quotes()
    assert _day(quotes, "selmo_rubble") == date(2016, 9, 23)
    assert _day(quotes, "power_make_war") == date(2016, 9, 25)


def test_weekday_words_match_the_dates() -> None:
    events = aleppo2016.load_events()
    for rid, row in events.iterrows():
        for weekday in ("Friday", "Sunday"):
            if weekday.casefold() in row["date_text"].casefold():
                assert row["date"].strftime("%A") == weekday, rid


def test_unknown_precision_has_no_date_and_others_do() -> None:
    events = aleppo2016.load_events()
    unknown = events["date_precision"] == "unknown"
    assert events.loc[unknown, "date"].isna().all()
    assert events.loc[~unknown, "date"].notna().all()
    assert {"celebrity_petition", "pumping_station_attacks", "hospitals_attacked"} <= set(events.index[unknown])


def test_every_date_has_reasoning_and_no_event_is_after_publication() -> None:
    events = aleppo2016.load_events()
    assert (events["date_reasoning"].str.len() > 20).all()
    published = pd.Timestamp(aleppo2016.article_info()["published"])
    future = events[events["date"] > published]
    assert list(future.index) == ["nobel_peace_prize"]  # "next month": the only event still to come


# --------------------------------------------------------------------------
# Quotes, claims, places and context
# --------------------------------------------------------------------------

def test_quotes_media_and_unnamed_speaker() -> None:
    quotes = aleppo2016.load_quotes()
    assert quotes.loc["selmo_rubble", "medium"] == "phone interview"
    assert quotes.loc["omar_exhausted", "medium"] == "text message"
    assert quotes.loc["aziz_catastrophe", "medium"] == "not stated in the article"
    assert set(quotes.loc[quotes["speaker"] == "samantha_power"].index) == {"power_make_war", "power_bombing_hospitals"}
    closing = quotes.loc["closing_no_choice"]
    assert (closing["speaker"], closing["role"]) == ("", "not named in the article")
    assert closing["note"]


def test_claims_answer_each_other() -> None:
    claims = aleppo2016.load_claims()
    assert claims.loc["churkin_denies", "kind"] == "denial"
    assert claims.loc["churkin_denies", "responds_to"] in {"power_accuses", "power_bombing_hospitals"}
    assert claims.loc["churkin_blames_opposition", "kind"] == "counter-accusation"
    assert "opposition_groups" in claims.loc["churkin_blames_opposition", "target"]
    assert claims.loc["footage_corroborates", "responds_to"] == "residents_incendiary"
    assert {"russia", "bashar_al_assad"} <= set(claims.loc["power_accuses", "target"])


def test_claims_without_evidence_say_so() -> None:
    claims = aleppo2016.load_claims()
    for rid, row in claims[claims["evidence"] == ""].iterrows():
        if row["kind"] in {"accusation", "denial", "counter-accusation"}:
            assert "evidence" in row["note"], rid


def test_coordinates_come_with_a_source_and_lie_in_syria() -> None:
    places = aleppo2016.load_places()
    has_coords = places["latitude"].notna()
    assert (has_coords == places["longitude"].notna()).all()
    assert (has_coords == (places["coordinate_source"] != "")).all()
    located = places[has_coords]
    assert {"aleppo", "al_sukari", "al_mashhad", "ansari", "urum_al_kubra"} <= set(located.index)
    assert located["latitude"].between(32, 38).all() and located["longitude"].between(35, 43).all()


def test_context_rows_have_sources_and_the_issues_facts() -> None:
    context = aleppo2016.load_context()
    assert len(context) == 17
    assert (context["source"].str.len() > 2).all()
    assert "excerpt" not in context.columns
    assert context["source_url"].map(lambda u: u.startswith(("https://", "http://"))).all()  # pages: test_sources.py
    expected = {
        "truce_begins": date(2016, 9, 12), "deir_ez_zor_airstrike": date(2016, 9, 17),
        "convoy_attack_un": date(2016, 9, 19), "nobel_peace_prize_2016": date(2016, 10, 7),
        "evacuation_complete": date(2016, 12, 22), "oscar_2017": date(2017, 2, 26),
    }
    for rid, day in expected.items():
        assert _day(context, rid) == day, rid
    assert "Santos" in context.loc["nobel_peace_prize_2016", "description"]
    assert "differ" in context.loc["evacuation_complete", "description"]  # by day and by what was counted
    assert "different" in context.loc["deir_ez_zor_airstrike", "description"]


# --------------------------------------------------------------------------
# Excerpts: verbatim, short, and covering every paragraph
# --------------------------------------------------------------------------

IDS = [where for where, _ in VERBATIM]


@pytest.mark.parametrize(("where", "text"), VERBATIM, ids=IDS)
def test_excerpt_is_registered_as_verbatim(where: str, text: str) -> None:
    assert len(text.split()) >= 3, "too short to locate: use three words or more"
    assert _paragraph_of(text), (
        "not in tests/excerpt_register.json: check it against the article with python tools/register_excerpts.py"
    )


@pytest.mark.parametrize(("where", "text"), VERBATIM, ids=IDS)
def test_excerpt_is_never_a_whole_paragraph(where: str, text: str) -> None:
    assert len(text.split()) < PARAGRAPH_WORDS[_paragraph_of(text)], "quote a sentence or clause, not a paragraph"
    assert len(text.split()) <= 40


def test_every_paragraph_gives_at_least_one_record() -> None:
    covered = {_paragraph_of(text) for _, text in VERBATIM}
    missing = sorted(set(PARAGRAPH_WORDS) - covered)
    assert not missing, f"paragraphs {missing} have no record"


def test_register_rejects_a_changed_excerpt() -> None:
    # The check must be able to fail: a one-letter change is not registered.
    assert _paragraph_of("The group claims to have rescued some 60,000 people since 2013.")
    assert _paragraph_of("The group claims to have rescued some 60,000 people since 2012.") is None


def test_register_is_well_formed_and_up_to_date() -> None:
    assert len(PARAGRAPH_WORDS) == 13
    assert all(re.fullmatch(r"[0-9a-f]{16}", h) for h in REGISTER["excerpts"])
    assert set(REGISTER["excerpts"].values()) <= set(PARAGRAPH_WORDS)
    if ARTICLE_PATH.is_file():  # the article is not committed: this part runs where it is present
        data, problems = REG.register(ARTICLE_PATH.read_text(encoding="utf-8"))
        assert not problems
        assert REG.REGISTER.read_text(encoding="utf-8") == REG.dumps(data), "run python tools/register_excerpts.py"


def test_excerpts_are_verbatim_in_the_article_itself_where_present() -> None:
    if not ARTICLE_PATH.is_file():  # CI has only the register, checked above
        return
    text = ARTICLE_PATH.read_text(encoding="utf-8")
    paragraphs = REG.paragraphs(text)
    assert len(paragraphs) == len(PARAGRAPH_WORDS)
    for where, excerpt in VERBATIM:
        assert any(REG.fold(excerpt) in p for p in paragraphs), f"{where} is not verbatim within one paragraph"
    assert aleppo2016.article_info()["title"] in text


def test_a_figure_of_one_has_a_singular_unit() -> None:
    """Students read "1 night", never "1 nights" (issue 12: units and plurals)."""
    figures = aleppo2016.load_figures()
    ones = figures[figures["value"] == 1]
    assert len(ones) >= 4
    assert [u for u in ones["unit"] if u.endswith("s")] == []
