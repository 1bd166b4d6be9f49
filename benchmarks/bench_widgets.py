"""2. Widget response: each explorer and question widget, driven inside a real Jupyter kernel.

The widgets run in a fresh ipykernel (started by nbclient, as for the
notebooks), so the times include what a student's kernel really does: the
trait change, the redraw, the PNG, and serialising the widget message for
the front end. widget_probe.py does the driving inside the kernel; this file
starts the kernels and summarises. Each run is a new kernel; the figures are
the median over runs of each run's median and 95th percentile.
"""
from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

from bench_common import percentile, row, summary
from bench_notebooks import QUIET

HERE = Path(__file__).resolve().parent


def probe(interactions: int, scratch_runs: int, warmup: int) -> dict[str, Any]:
    """One fresh kernel: run widget_probe.main there and return the samples it wrote."""
    with tempfile.TemporaryDirectory(prefix="aleppo2016-bench-") as tmp:
        out = Path(tmp) / "widgets.json"
        nb = nbformat.v4.new_notebook()
        nb.cells.append(nbformat.v4.new_code_cell(
            f"import sys; sys.path.insert(0, {str(HERE)!r})\n"
            "import widget_probe\n"
            f"widget_probe.main({str(out)!r}, interactions={interactions}, scratch_runs={scratch_runs}, "
            f"warmup={warmup})"
        ))
        NotebookClient(nb, timeout=1200, kernel_name="python3", extra_arguments=QUIET,
                       resources={"metadata": {"path": tmp}}).execute()
        return json.loads(out.read_text(encoding="utf-8"))


def run(runs: int, interactions: int, scratch_runs: int, warmup: int = 5) -> list[dict[str, Any]]:
    results = [probe(interactions, scratch_runs, warmup) for _ in range(runs)]
    rows = []
    for name in results[0]:
        per_run = [r[name] for r in results]
        first = per_run[0]
        medians, p95s, redraw_medians, redraw_p95s, scratches = [], [], [], [], []
        n_redrawn = 0
        for r in per_run:
            times = [s["seconds"] for s in r["samples"]]
            medians.append(percentile(times, 50))
            p95s.append(percentile(times, 95))
            redrawn = [s["seconds"] for s in r["samples"] if s["redrawn"]]
            n_redrawn += len(redrawn)
            if redrawn:
                redraw_medians.append(percentile(redrawn, 50))
                redraw_p95s.append(percentile(redrawn, 95))
            scratches.extend(r["scratch"])
            silent = [s for s in r["samples"] if s["messages"] == 0]
            if silent:
                raise RuntimeError(f"{name}: {len(silent)} interaction(s) sent nothing to the front end")
            if any(s["image_changed"] and not s["png_bytes"] for s in r["samples"]):
                raise RuntimeError(f"{name}: an interaction changed the chart but sent no PNG")
        med, p95 = summary(medians), summary(p95s)
        ok = med["median"] <= 0.050 and p95["median"] <= 0.100
        n = sum(len(r["samples"]) for r in per_run)
        extra: dict[str, Any] = {"p95": p95, "interactions": n}
        note = f"{n} interactions in {len(per_run)} kernels"
        if first["chart"]:
            extra["redrawn"] = {"count": n_redrawn, "median": summary(redraw_medians) if redraw_medians else None,
                                "p95": summary(redraw_p95s) if redraw_p95s else None}
            note += f"; {n_redrawn} needed a redraw (the rest came from the PNG cache)"
        if first.get("question"):
            note += f"; question {first['question']}"
        rows.append(row("widgets", name, med, summary(scratches) if scratches else None, unit="s",
                        target="median ≤ 50 ms, p95 ≤ 100 ms", ok=ok, note=note, **extra))
        rows[-1]["ratio"] = None  # the target is absolute; the new chart is shown beside it, not divided
    return rows
