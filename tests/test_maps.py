"""The map (issue 14, people and places): a labelled schematic drawn only from places.csv, not to scale.

No licensed street or district data is available offline, so the map must
not invent geography: areas come from the data's part_of links, points with
coordinates are labelled approximate with their source, and the map says it
is not to scale and links a published map.
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import aleppo2016  # noqa: E402
from aleppo2016 import charts, maps  # noqa: E402
from aleppo2016.style import OKABE_ITO  # noqa: E402


def texts(ax) -> str:
    """The drawn text, each label's wrapped lines joined by spaces (the map wraps names to fit its boxes)."""
    return "\n".join(" ".join(t.get_text().split()) for t in [*ax.texts, ax.title])


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_draws_every_place_of_the_three_areas_labelled_and_described() -> None:
    places = aleppo2016.load_places()
    ax = maps.aleppo_map()
    shown, told = texts(ax), charts.describe(ax)
    assert maps.describe(ax) == told
    for area in maps.AREAS:
        assert places.loc[area, "name"] in shown and places.loc[area, "name"] in told
    for pid in ("al_mashhad", "al_sukari", "ansari", "urum_al_kubra"):
        name = places.loc[pid, "name"]
        assert f"{name} (approximate point)" in shown
        link = maps.osm_link(places.loc[pid, "latitude"], places.loc[pid, "longitude"])
        assert link in told and places.loc[pid, "coordinate_source"] in told
    assert "convoy" in shown  # where the convoy was struck, in the data's own words
    for text in (shown, told):
        assert "not to scale" in text and maps.PUBLISHED_MAP in text and "OpenStreetMap contributors" in text
        assert "no licence stated" in text


def test_areas_read_in_colour_blind_safe_colours_and_distinct_hatches() -> None:
    ax = maps.aleppo_map()
    boxes = [p for p in ax.patches if p.get_hatch() is not None or p.get_width() > 1]
    assert len(boxes) == 3
    colours = {matplotlib.colors.to_hex(p.get_facecolor()[:3]).upper() for p in boxes}
    assert colours <= {c.upper() for c in OKABE_ITO.values()} and len(colours) == 3
    assert len({p.get_hatch() or "" for p in boxes}) == 3


def test_draws_into_a_given_axes_and_shows_a_teachers_own_place() -> None:
    places = aleppo2016.load_places()
    places.loc["old_city"] = {**places.loc["western_aleppo"].to_dict(), "name": "Old city test", "kind": "neighbourhood",
                              "part_of": "western_aleppo", "latitude": float("nan"), "longitude": float("nan"),
                              "description": "A teacher's own place."}
    _, ax = plt.subplots()
    assert maps.aleppo_map(places, ax=ax) is ax
    assert "Old city test" in texts(ax) and "Old city test (approximate point)" not in texts(ax)
    assert "In it: Old city test: A teacher's own place." in charts.describe(ax)


def test_bad_input_says_what_is_needed() -> None:
    places = aleppo2016.load_places()
    with pytest.raises(ValueError, match="missing: 'eastern_aleppo'"):
        maps.aleppo_map(places.drop(index="eastern_aleppo"))
    with pytest.raises(ValueError, match="column"):
        maps.aleppo_map(places.drop(columns="part_of"))
    with pytest.raises(TypeError, match="load_places"):
        maps.aleppo_map("places.csv")
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        maps.aleppo_map(ax="left")
