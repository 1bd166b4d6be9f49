"""1. The notebook sequence against a floor of bare kernels, measured in the same run.

Each notebook runs headlessly with nbclient in a fresh kernel, from a
temporary copy (nothing is written back). The floor is the same number of
fresh kernels that only import pandas, matplotlib.pyplot and ipywidgets and
draw one small figure: what any notebook of this kind costs at least.
Notebook runs and floor runs alternate, so a busy neighbour slows both alike.
"""
from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

from bench_common import ROOT, repeat, row, summary

#: The kernel's start-up warnings (plain TCP on localhost) would bury the table.
QUIET = ["--log-level=ERROR"]

FLOOR_SOURCE = """\
import pandas, matplotlib.pyplot as plt, ipywidgets
fig, ax = plt.subplots(figsize=(4, 3))
ax.plot([1, 2, 3], [1, 4, 9])
plt.show()
"""


def notebooks(folder: Path | None = None) -> list[Path]:
    return sorted((folder or ROOT / "notebooks").glob("*.ipynb"))


def execute(nb: nbformat.NotebookNode, workdir: Path, timeout: int = 600) -> float:
    """Wall time to start a fresh kernel, run every cell and shut the kernel down."""
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", extra_arguments=QUIET,
                            resources={"metadata": {"path": str(workdir)}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def floor_notebook() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell(FLOOR_SOURCE))
    return nb


def run(runs: int, warmup: int, only: list[str] | None = None, folder: Path | None = None) -> list[dict[str, Any]]:
    """Rows: the whole sequence vs the floor (the ratio), then each notebook for where time goes."""
    paths = notebooks(folder)
    if only:
        paths = [p for p in paths if p.stem in only]
    if not paths:
        raise SystemExit(f"no notebooks found in {folder or 'notebooks/'}")
    per_notebook: dict[str, list[float]] = {p.stem: [] for p in paths}
    with tempfile.TemporaryDirectory(prefix="aleppo2016-bench-") as tmp:
        work = Path(tmp)
        copies = []
        for p in paths:  # a temporary copy: outputs never reach the repository
            shutil.copy(p, work / p.name)
            copies.append(work / p.name)

        def sequence() -> float:
            total = 0.0
            for copy in copies:
                seconds = execute(nbformat.read(copy, as_version=4), work)
                per_notebook[copy.stem].append(seconds)
                total += seconds
            return total

        def floor() -> float:
            return sum(execute(floor_notebook(), work) for _ in copies)

        def pair() -> tuple[float, float]:
            return sequence(), floor()

        results = repeat(pair, runs, warmup)
    for stem in per_notebook:  # drop the warm-up runs
        per_notebook[stem] = per_notebook[stem][warmup:]
    seq = summary([r[0] for r in results])
    flo = summary([r[1] for r in results])
    ratio = seq["median"] / flo["median"]
    rows = [row("notebooks", f"all {len(paths)} notebooks, one fresh kernel each", seq, flo, unit="s",
                target="≤ 1.2×", ok=ratio <= 1.2,
                note=f"floor: {len(paths)} kernels that import pandas, matplotlib.pyplot, ipywidgets "
                     "and draw one small figure")]
    one_floor = {k: v / len(paths) for k, v in flo.items() if k != "n"} | {"n": flo["n"]}
    for stem, samples in per_notebook.items():
        rows.append(row("notebooks", stem, summary(samples), one_floor, unit="s", target="", ok=None,
                        note="floor: one bare kernel"))
    return rows
