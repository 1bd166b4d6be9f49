"""aleppo2016: TIME's September 2016 article on the White Helmets in Aleppo, as teaching data.

Data access is one call per table (``load_events()``, ``load_figures()`` …),
each returning a tidy ``pandas.DataFrame``. Charts, widgets and quizzes live in
``aleppo2016.charts``, ``aleppo2016.widgets`` and ``aleppo2016.quiz``; they are
imported on first use so that ``import aleppo2016`` stays as cheap as pandas.
"""
from __future__ import annotations

import importlib
from typing import Any

from .data import (
    actor,
    article_info,
    check_data,
    event,
    figure,
    load_actors,
    load_claims,
    load_context,
    load_events,
    load_figures,
    load_places,
    load_quotes,
    place,
)
from .errors import DataError, UnknownNameError

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "DataError",
    "UnknownNameError",
    "actor",
    "article_info",
    "check_data",
    "event",
    "figure",
    "load_actors",
    "load_claims",
    "load_context",
    "load_events",
    "load_figures",
    "load_places",
    "load_quotes",
    "place",
    "charts",
    "widgets",
    "quiz",
    "cards",
    "maps",
    "views",
    "tables",
    "text",
    "show",
    "handin",
    "report",
]

_LAZY_MODULES = ("charts", "widgets", "quiz", "cards", "maps", "views", "tables", "text", "show", "handin", "report")


def __getattr__(name: str) -> Any:
    """Import the heavier modules (matplotlib, ipywidgets) only when first used."""
    if name in _LAZY_MODULES:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'aleppo2016' has no attribute {name!r}")
