"""5. Memory through a lesson (issue 15): clicking and re-running cells must not grow the kernel without bound.

Two measurements, each in a fresh Python process (ipywidgets works without a
front end, so no kernel is needed for the Python side of the widgets):

- **changes**: one explorer driven through N changes (default 10,000) to
  random states, each a real redraw and PNG (the explorer's PNG cache is
  emptied before every change, so no change is free). Memory is the resident
  set size after a garbage collection, sampled 20 times; the growth counted
  is over the second half of the run, after start-up and warm caches.
- **re-runs**: the same cell run R times (default 100), each run making a
  new explorer, as a student who re-runs a cell does. JupyterLab sends the
  cell's id with each run and the explorers close the one the cell made
  before; here a stand-in IPython shell reports the cell id.

Targets: at most 5 MB growth over the second half of the changes (a leak of
one bar container a redraw grew ~100 MB per thousand), and at most 5 MB over
the second half of the re-runs (each leaked explorer held 2–3 MB). The first
few runs grow the process by ~15 MB (font and text caches, the allocator's
arenas) and then it stays level; the second half shows whether it keeps growing. Nothing here asserts; the
test that fails on unbounded growth is tests/test_widgets.py.

    python benchmarks/bench_memory.py [--changes 10000] [--reruns 100]

Measured on 29 Nov 2026 (2 shared cores, Python 3.11, matplotlib/ipywidgets of
the project's .venv), FiguresExplorer:
before the fix, 1,000 changes took the process from 120 to 218 MB (51 MB over
the second half; 1,001 bar containers on the Axes) and 20 re-runs added 43 MB
(live widgets 78 → 1,560); after it, 10,000 changes: 115 → 115 MB (0.0 MB over
the second half, 1 container) and 100 re-runs: 114 MB after the first, 145 MB
after 50, 145 MB after 100 (0.1 MB over the second half; live widgets 78 → 78).
TimelineExplorer after the fix (1,000 changes, 30 re-runs): 0.2 MB and 0.0 MB
over the second half.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench_common import ROOT, row, summary

HERE = Path(__file__).resolve().parent
CHANGES_TARGET = 5 * 2**20
RERUNS_TARGET = 5 * 2**20

# Runs in a child process: prints one JSON line.
_CHILD = r'''
import gc, json, random, sys, types
sys.path.insert(0, {src!r})
import matplotlib
matplotlib.use("Agg")
import IPython
from aleppo2016 import widgets

def rss():
    gc.collect()
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096

kind, n, which = {kind!r}, {n}, {which!r}
rng = random.Random(7)
if kind == "changes":
    ex = getattr(widgets, which)()
    pane = ex._pane
    def change():
        pane._cache.clear()
        if which == "FiguresExplorer":
            ids = list(ex.figure_boxes)
            if rng.random() < 0.2:
                ex.scale = "linear" if ex.scale == "log" else "log"
            else:
                ex.selected = tuple(rng.sample(ids, rng.randint(1, len(ids))))
        else:
            cats = list(ex.category_boxes)
            ex.categories = tuple(rng.sample(cats, rng.randint(1, len(cats))))
    samples = []
    step = max(n // 20, 1)
    for i in range(n):
        change()
        if i % step == step - 1:
            ax = ex.ax
            samples.append([i + 1, rss(), len(ax.get_children()), len(ax.containers)])
    print(json.dumps(samples))
else:
    parent = {{"metadata": {{"cellId": "cell-7"}}, "header": {{"msg_id": ""}}, "content": {{}}}}
    shell = types.SimpleNamespace(kernel=types.SimpleNamespace(get_parent=lambda channel="shell": parent))
    IPython.get_ipython = lambda: shell  # the stand-in shell: every run comes from cell "cell-7"
    registry = getattr(widgets.widgets.widget, "_instances", None)
    registry = widgets.widgets.Widget._active_widgets if registry is None else registry  # ipywidgets 8.0
    samples = []
    ex = None
    for i in range(n):
        parent["header"]["msg_id"] = f"run-{{i}}"  # each run of the cell is a new execute request
        ex = getattr(widgets, which)()  # the cell: `ex = widgets.FiguresExplorer()`
        if i in (0, max(n // 2 - 1, 1), n - 1):
            samples.append([i + 1, rss(), len(registry)])
    print(json.dumps(samples))
'''


def measure(kind: str, n: int, which: str) -> list[list[int]]:
    """Run one measurement in a fresh interpreter and return its samples."""
    code = _CHILD.format(src=str(ROOT / "src"), kind=kind, n=n, which=which)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def run(changes: int = 10_000, reruns: int = 100, explorers: tuple[str, ...] = ("FiguresExplorer", "TimelineExplorer")
        ) -> list[dict[str, Any]]:
    rows = []
    for which in explorers:
        samples = measure("changes", changes, which)
        half = samples[len(samples) // 2 - 1]
        growth = samples[-1][1] - half[1]
        rows.append(row(
            "memory", f"{which}: {changes:,} changes, growth over the second half", summary([growth]), None,
            unit="bytes", target="≤ 5 MB", ok=growth <= CHANGES_TARGET,
            note=f"RSS {samples[0][1] / 2**20:.0f} MB after {samples[0][0]:,} changes, "
                 f"{samples[-1][1] / 2**20:.0f} MB after {samples[-1][0]:,}; Axes children "
                 f"{samples[0][2]}→{samples[-1][2]}, containers {samples[0][3]}→{samples[-1][3]}",
            samples=samples,
        ))
        samples = measure("reruns", reruns, which)
        growth = samples[-1][1] - samples[1][1]
        rows.append(row(
            "memory", f"{which}: its cell re-run {reruns} times, growth over the second half", summary([growth]),
            None, unit="bytes", target="≤ 5 MB", ok=growth <= RERUNS_TARGET,
            note=f"RSS {samples[0][1] / 2**20:.0f} MB after the first run, {samples[1][1] / 2**20:.0f} MB after "
                 f"{samples[1][0]}, {samples[-1][1] / 2**20:.0f} MB after {samples[-1][0]}; "
                 f"live widgets {samples[0][2]}→{samples[-1][2]}",
            samples=samples,
        ))
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--changes", type=int, default=10_000)
    parser.add_argument("--reruns", type=int, default=100)
    parser.add_argument("--explorers", default="FiguresExplorer,TimelineExplorer")
    args = parser.parse_args(argv)
    for r in run(args.changes, args.reruns, tuple(args.explorers.split(","))):
        print(f"{r['name']}: {r['measured']['median'] / 2**20:.1f} MB (target {r['target']}, "
              f"{'met' if r['ok'] else 'NOT met'}); {r['note']}")


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    main()
