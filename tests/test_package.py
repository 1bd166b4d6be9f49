"""The package's namespace: every public module is reachable as ``aleppo2016.NAME``, and importing the package stays cheap."""
from __future__ import annotations

import json
import subprocess
import sys
import types

import pytest

import aleppo2016

PUBLIC_MODULES = ("charts", "widgets", "quiz", "cards", "maps", "views", "tables", "text", "show", "handin", "report")
HEAVY = ("matplotlib", "ipywidgets")


def _fresh(code: str) -> dict:
    """Run `code` in a new interpreter (this one has imported everything already) and return what it prints as JSON."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    return json.loads(done.stdout)


def test_importing_the_package_loads_no_heavy_module() -> None:
    loaded = _fresh(
        "import json, sys, aleppo2016; "
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r} "
        f"or m.split('.')[-1] in {PUBLIC_MODULES!r} and m.startswith('aleppo2016.'))))"
    )
    assert loaded == [], f"'import aleppo2016' imports {loaded}; these should load on first use"


def test_public_modules_are_attributes_without_importing_them() -> None:
    found = _fresh(
        "import json, aleppo2016; "
        f"print(json.dumps([getattr(aleppo2016, name).__name__ for name in {PUBLIC_MODULES!r}]))"
    )
    assert found == [f"aleppo2016.{name}" for name in PUBLIC_MODULES]
    assert set(PUBLIC_MODULES) <= set(aleppo2016.__all__)
    assert all(isinstance(getattr(aleppo2016, name), types.ModuleType) for name in PUBLIC_MODULES)


def test_unknown_attribute_names_the_package() -> None:
    with pytest.raises(AttributeError, match="aleppo2016.*no_such_thing"):
        aleppo2016.no_such_thing  # noqa: B018
