"""Put a shared widget back as it was, for tests that reuse one widget (they are slow to build)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import ipywidgets


@contextmanager
def restored(widget: Any) -> Iterator[Any]:
    """Yield `widget`; afterwards, even after a failure, set its own traits back to their values now.

    Its own traits are those its class adds to ``ipywidgets.VBox`` (an explorer's
    filters: categories, actor, date range, selection, scale...). They are set
    together, so the widget redraws once, and the reset itself is checked.
    """
    own = [n for n in type(widget).class_trait_names() if n not in ipywidgets.VBox.class_trait_names()]
    start = {n: getattr(widget, n) for n in own}
    try:
        yield widget
    finally:
        with widget.hold_trait_notifications():
            for name, value in start.items():
                setattr(widget, name, value)
        assert {n: getattr(widget, n) for n in own} == start, f"{type(widget).__name__} was not put back"
