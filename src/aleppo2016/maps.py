"""A map of the places the article names: a labelled schematic, not to scale.

Why a schematic: no geographic data with a licence that allows it (streets,
districts, the 2016 front line) can be had offline here, and the project does
not invent geography. So the map shows only what the data says: which places
lie in western Aleppo, eastern Aleppo and the countryside west of the city
(the ``part_of`` column of ``load_places()``). Boxes stand for those areas;
their sizes, shapes and the line between them are not real. Points with
coordinates are labelled "approximate", with their source, and each links to
the same spot on OpenStreetMap, a published map, for a real view.

Like the charts, ``aleppo_map()`` takes the data and an optional ``ax=``,
returns the Axes, and stores a plain-text description: ``charts.describe(ax)``
(or ``maps.describe(ax)``) returns it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from . import data
from .charts import show
from .drawing import check_ax, describe, new_axes, store_description, wrap
from .tables import check_frame as _check_frame
from .style import CHART_WIDTH, INK, MUTED, SMALL_PT, chart_style, colour_for, hatch_for, marker_for

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["aleppo_map", "describe", "show", "osm_link", "PUBLISHED_MAP", "AREAS"]

#: A published map of Aleppo and the countryside to its west (OpenStreetMap; © OpenStreetMap contributors, ODbL).
PUBLISHED_MAP = "https://www.openstreetmap.org/#map=11/36.19/37.07"
#: The areas the schematic draws, west to east: place ids from places.csv.
AREAS = ("countryside_west", "western_aleppo", "eastern_aleppo")
_COLUMNS = ("name", "kind", "part_of", "latitude", "longitude", "coordinate_source", "description")
# Where each area's box sits on the schematic (x0, x1); y runs 0..1. Not real positions.
_BOXES = {"countryside_west": (0.0, 3.0), "western_aleppo": (3.6, 6.6), "eastern_aleppo": (6.6, 10.0)}
NOT_TO_SCALE = ("Schematic, not to scale: boxes show only which area is west or east of which, "
                "not real borders, shapes or distances.")


def osm_link(latitude: float, longitude: float, zoom: int = 15) -> str:
    """The OpenStreetMap address of a point, to see an approximate point on a real, published map."""
    return f"https://www.openstreetmap.org/?mlat={latitude:.3f}&mlon={longitude:.3f}#map={zoom}/{latitude:.3f}/{longitude:.3f}"


def _members(places: pd.DataFrame, area: str) -> pd.DataFrame:
    """The places inside an area, and inside the places inside it (a town in the countryside, say)."""
    inside = places[places["part_of"] == area]
    deeper = [places[places["part_of"] == pid] for pid in inside.index]
    return pd.concat([inside, *deeper]) if deeper else inside


def aleppo_map(places: pd.DataFrame | None = None, *, ax: "Axes | None" = None) -> "Axes":
    """Draw western and eastern Aleppo, the countryside west of it, and the places in each, as a schematic.

    `places` is a table like ``aleppo2016.load_places()`` (the default). The
    three areas in ``AREAS`` must be in it; every place whose ``part_of`` is
    one of them (or inside one of them) is drawn in that area's box.
    """
    places = _check_frame(data.load_places() if places is None else places, "aleppo_map", "load_places", _COLUMNS)
    check_ax(ax, "aleppo_map")
    missing = [area for area in AREAS if area not in places.index]
    if missing:
        raise ValueError(
            f"aleppo_map() needs the areas {', '.join(map(repr, AREAS))} in the table (its index holds place ids, "
            f"like aleppo2016.load_places()); missing: {', '.join(map(repr, missing))}."
        )
    if ax is None:
        ax = new_axes((CHART_WIDTH, 7.0))
    with chart_style():
        lines = _draw(ax, places)
    store_description(ax, " ".join(lines))
    return ax


def _draw(ax: "Axes", places: pd.DataFrame) -> list[str]:
    from matplotlib.patches import Rectangle

    ax.set_xlim(-0.2, 10.2)
    ax.set_ylim(-0.3, 1.25)
    ax.set_axis_off()
    ax.set_title("Aleppo in September 2016: where the places are\n(schematic, not to scale)")
    told = [
        "Schematic map of Aleppo in September 2016, not to scale. Three boxes, from west to east:",
    ]
    for area in AREAS:
        x0, x1 = _BOXES[area]
        row = places.loc[area]
        ax.add_patch(Rectangle((x0, 0), x1 - x0, 1, facecolor=colour_for(area, AREAS), alpha=0.18,
                               hatch=hatch_for(area, AREAS), edgecolor=MUTED, linewidth=1))
        ax.text(x0 + 0.12, 0.97, wrap(row["name"], 14), fontsize=10.5, fontweight="bold", va="top", color=INK)
        ax.text(x0 + 0.12, 0.86, wrap(row["description"], 22 if x1 - x0 < 3.2 else 25), fontsize=SMALL_PT,
                va="top", color=INK)
        members = _members(places, area)
        told.append(f"{row['name']} ({row['description'].rstrip('.')}).")
        for n, (pid, member) in enumerate(members.iterrows()):
            y = 0.42 - n * 0.12
            has_point = pd.notna(member["latitude"]) and pd.notna(member["longitude"])
            ax.plot([x0 + 0.3], [y], marker=marker_for(area, AREAS), markersize=7, linestyle="none",
                    color=colour_for(area, AREAS), markeredgecolor=INK)
            label = wrap(member["name"], 18) + ("\n(approximate point)" if has_point else "")
            ax.text(x0 + 0.48, y, label, fontsize=SMALL_PT, va="center", color=INK)
            if len(members) == 1:  # room to say what the place is, e.g. where the convoy was struck
                ax.text(x0 + 0.12, y - 0.06, wrap(member["description"], 22), fontsize=SMALL_PT, va="top", color=INK)
            where = (f" at about {member['latitude']:.3f} N, {member['longitude']:.3f} E "
                     f"(approximate; source: {member['coordinate_source']}; on OpenStreetMap: "
                     f"{osm_link(member['latitude'], member['longitude'])})" if has_point else "")
            told.append(f"In it: {member['name']}{where}: {member['description']}")
    ax.annotate("", xy=(10.0, 1.12), xytext=(0.0, 1.12),
                arrowprops={"arrowstyle": "<->", "color": MUTED, "linewidth": 1})
    ax.text(0.0, 1.16, "West", fontsize=SMALL_PT, color=MUTED, va="bottom")
    ax.text(10.0, 1.16, "East", fontsize=SMALL_PT, color=MUTED, va="bottom", ha="right")
    ax.text(3.6, 1.02, "Aleppo (the city)", fontsize=9, color=INK, va="bottom")
    notes = (f"{NOT_TO_SCALE} Points are approximate; neighbourhood points come from data with no licence "
             f"stated. For a real map, see OpenStreetMap (© OpenStreetMap contributors): {PUBLISHED_MAP}")
    ax.text(0.0, -0.04, wrap(notes, 82), fontsize=SMALL_PT, va="top", color=MUTED)
    told.append(notes)
    return told
