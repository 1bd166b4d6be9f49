"""3. `import aleppo2016` and loading every table, against importing pandas and matplotlib.

Each measurement is a fresh interpreter (`python -c ...`), so nothing is
cached in memory; the warm-up run fills the disk cache and writes .pyc files.
A third row times only the first load of every table (reading and checking
the files), after the import, in that fresh interpreter: its target is
absolute, as a student waits for it on the first cell that shows data.
`import aleppo2016` does not import matplotlib (charts are loaded on first
use), so a second row adds matplotlib to the module's side too: the honest
cost for a notebook that draws a chart.
"""
from __future__ import annotations

import subprocess
import sys
import time
from typing import Any

from bench_common import repeat, row, summary

LOAD_ALL = (
    "import aleppo2016 as a; a.article_info(); "
    "[getattr(a, n)() for n in a.__all__ if n.startswith('load_')]"
)
FLOOR = "import pandas, matplotlib"
FIRST_LOAD = "first load of every table, after the import"
FIRST_LOAD_CODE = (
    "import time, aleppo2016 as a; start = time.perf_counter(); a.article_info(); "
    "[getattr(a, n)() for n in a.__all__ if n.startswith('load_')]; print(time.perf_counter() - start)"
)
FIRST_LOAD_TARGET = 0.05  # seconds
CASES = {
    "import aleppo2016 + load every table": LOAD_ALL,
    "the same, with matplotlib imported too": "import matplotlib; " + LOAD_ALL,
}


def wall(code: str) -> float:
    """Wall time of a fresh interpreter running `code` (startup included, as a student's kernel pays it)."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def run(runs: int, warmup: int) -> list[dict[str, Any]]:
    for code in (FLOOR, *CASES.values()):
        wall(code)  # warm-up: disk cache, .pyc files
    rows = []
    for name, code in CASES.items():
        # Alternate the two so that both see the same machine load.
        pairs = repeat(lambda: (wall(code), wall(FLOOR)), runs, warmup)
        measured = summary([p[0] for p in pairs])
        floor = summary([p[1] for p in pairs])
        ratio = measured["median"] / floor["median"]
        rows.append(row("import", name, measured, floor, unit="s", target="≤ 1.1×", ok=ratio <= 1.1,
                        note=f"floor: python -c '{FLOOR}'"))
    loads = summary(repeat(first_load, runs, warmup))
    rows.append(row("import", FIRST_LOAD, loads, None, unit="s", target=f"≤ {FIRST_LOAD_TARGET * 1000:.0f} ms",
                    ok=loads["median"] <= FIRST_LOAD_TARGET, note="in a fresh interpreter, the import not counted"))
    return rows


def first_load(code: str = FIRST_LOAD_CODE) -> float:
    """Seconds the first load of every table takes in a fresh interpreter (nothing cached yet)."""
    proc = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    return float(proc.stdout.strip().splitlines()[-1])


def importtime(code: str = LOAD_ALL, top: int = 15) -> list[tuple[int, str]]:
    """The modules that take longest to import (own time, µs), from `python -X importtime`."""
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True,
                          check=True)
    found = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, _cumulative, name = (part.strip() for part in line[len("import time:"):].split("|"))
        found.append((int(own), name.strip()))
    return sorted(found, reverse=True)[:top]
