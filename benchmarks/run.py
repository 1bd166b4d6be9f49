"""Benchmarks of the aleppo2016 module against its floor (issue 7): `make bench`.

    python benchmarks/run.py                  every section, prints the table, writes results/latest.json
    python benchmarks/run.py --quick          tiny repetition counts: checks the code runs (tests use it)
    python benchmarks/run.py --sections import,widgets
    python benchmarks/run.py --update-readme  also writes the table into README.md and results/readme.json
    python benchmarks/run.py --profile        also shows the slowest imports (python -X importtime)
    python benchmarks/run.py --sections browser --clicks 40   click to pixels in Chromium (JupyterLab)

Sections: notebooks (every notebook vs bare kernels), widgets (response to a
change, in a real kernel), import (import + load every table vs pandas and
matplotlib), footprint (installed size vs the bare packages), browser (click to
new pixels in Chromium with JupyterLab; left out, with the reason, where
Chromium or playwright is missing), lite (the JupyterLite site: page open to
kernel ready and to the first chart, first and later visit; bench_lite.py), memory (10,000 explorer changes and 100
re-runs of a cell must not grow the kernel; bench_memory.py; about half an
hour, so only when asked for: --sections memory), hub (30 students at once on a
real JupyterHub on this machine; bench_hub.py; several minutes, so only when
asked for: --sections hub --students 30). Timings are
medians over several runs after a warm-up, with min–max. Nothing here
asserts a time: a missed target is reported, not failed.
"""
from __future__ import annotations

import argparse
import datetime
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import ROOT, fmt_size, fmt_time, machine  # noqa: E402

SECTIONS = ("notebooks", "widgets", "import", "footprint", "browser", "lite", "memory", "hub")
# memory takes ~30 min, hub (30 students on a real JupyterHub, bench_hub.py) several: opt-in
DEFAULT_SECTIONS = tuple(s for s in SECTIONS if s not in ("memory", "hub"))
RESULTS = Path(__file__).resolve().parent / "results"
README = ROOT / "README.md"
START, END = "<!-- benchmarks:start -->", "<!-- benchmarks:end -->"
COLUMNS = ("Benchmark", "Measured: median (min–max)", "Floor: median (min–max)", "Ratio", "Target", "Met")


def _span(summary: dict[str, float] | None, fmt: Any) -> str:
    if not summary:
        return "–"
    if summary.get("n", 1) == 1 or summary["min"] == summary["max"]:
        return fmt(summary["median"])
    return f"{fmt(summary['median'])} ({fmt(summary['min'])}–{fmt(summary['max'])})"


def cells(r: dict[str, Any]) -> list[str]:
    """One table row as text: what was measured, its floor, the ratio, the target, met or not."""
    fmt = {"bytes": fmt_size, "count": lambda n: f"{n:g}"}.get(r["unit"], fmt_time)
    measured, floor = _span(r["measured"], fmt), _span(r["floor"], fmt)
    if r["section"] in ("widgets", "browser") or (r["section"] == "hub" and r.get("p95")):
        measured = f"{measured}; p95 {_span(r['p95'], fmt)}"
    if r["section"] == "widgets":
        floor = f"new chart: {floor}" if r["floor"] else "no chart"
    name = {"notebooks": "Notebooks", "widgets": "Widget", "import": "Import", "footprint": "Footprint",
            "browser": "Click to pixels", "lite": "JupyterLite", "memory": "Memory", "hub": "Hub"}[r["section"]]
    ratio = f"{r['ratio']:.2f}×" if r.get("ratio") is not None else "–"
    met = "–" if r["ok"] is None else ("yes" if r["ok"] else "**no**")
    return [f"{name}: {r['name']}", measured, floor, ratio, r["target"] or "–", met]


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    lines += ["| " + " | ".join(c.replace("|", "/") for c in cells(r)) + " |" for r in rows]
    return "\n".join(lines)


def machine_line(info: dict[str, Any]) -> str:
    m = info["machine"]
    return (f"Measured {info['date']} at commit {info['commit']} on {m['cpu']}, {m['cores']} cores, "
            f"{m['memory_gib']} GiB, Python {m['python']}, {m['os']}.")


def update_readme(report: dict[str, Any], readme: Path = README) -> None:
    """Put the table between the two markers in README.md (the rest of the file is untouched)."""
    text = readme.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"{readme} has no {START} … {END} markers to put the table between.")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    body = f"{START}\n{machine_line(report)}\n\n{table(report['rows'])}\n{END}"
    readme.write_text(head + body + tail, encoding="utf-8")


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one run, no warm-up, a few interactions, one notebook")
    parser.add_argument("--sections", default=",".join(DEFAULT_SECTIONS),
                        help=f"comma-separated, from: {', '.join(SECTIONS)})")
    parser.add_argument("--runs", type=int, default=None, help="timed runs after the warm-up (default 5; notebooks 3)")
    parser.add_argument("--interactions", type=int, default=60, help="widget interactions per widget and run")
    parser.add_argument("--notebooks", type=Path, default=None,
                        help="notebooks section: time the notebooks of this folder instead of notebooks/")
    parser.add_argument("--clicks", type=int, default=40, help="browser section: measured clicks per explorer")
    parser.add_argument("--students", type=int, default=30, help="hub section: students at once")
    parser.add_argument("--json", type=Path, default=RESULTS / "latest.json", help="where to write the results")
    parser.add_argument("--update-readme", action="store_true",
                        help="also write the table into README.md and the results to results/readme.json")
    parser.add_argument("--profile", action="store_true", help="also list the slowest imports")
    args = parser.parse_args(argv)
    sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")

    quick = args.quick
    warmup = 0 if quick else 1
    rows: list[dict[str, Any]] = []
    for section in sections:
        print(f"--- {section}", file=sys.stderr, flush=True)
        if section == "notebooks":
            import bench_notebooks

            only = [bench_notebooks.notebooks(args.notebooks)[0].stem] if quick else None
            rows += bench_notebooks.run(runs=args.runs or (1 if quick else 3), warmup=warmup, only=only,
                                        folder=args.notebooks)
        elif section == "widgets":
            import bench_widgets

            rows += bench_widgets.run(runs=args.runs or (1 if quick else 3),
                                      interactions=3 if quick else args.interactions,
                                      scratch_runs=1 if quick else 10, warmup=1 if quick else 5)
        elif section == "import":
            import bench_import

            rows += bench_import.run(runs=args.runs or (1 if quick else 7), warmup=warmup)
            if args.profile:
                print("Slowest imports (own time) for import aleppo2016 + load every table:", file=sys.stderr)
                for micros, name in bench_import.importtime():
                    print(f"  {micros / 1000:7.1f} ms  {name}", file=sys.stderr)
        elif section == "footprint":
            import bench_footprint

            rows += bench_footprint.run()
        elif section == "browser":
            import bench_browser

            problem = bench_browser.lab.browser_problem()
            if problem:
                print(f"browser section left out: {problem}", file=sys.stderr)
                continue
            rows += bench_browser.run(clicks=3 if quick else args.clicks, warmup=1 if quick else 3)
        elif section == "lite":
            import bench_lite

            problem = bench_lite.lab.browser_problem()
            if problem:
                print(f"lite section left out: {problem}", file=sys.stderr)
                continue
            rows += bench_lite.run(visits=1 if quick else 2)
        elif section == "memory":
            import bench_memory

            rows += (bench_memory.run(changes=40, reruns=4, explorers=("FiguresExplorer",)) if quick
                     else bench_memory.run())
        elif section == "hub":
            import bench_hub

            rows += bench_hub.run(students=3 if quick else args.students, arrival=5 if quick else 60)

    report = {
        "date": datetime.date.today().isoformat(),
        "commit": _commit(),
        "machine": machine(),
        "quick": quick,
        "sections": sections,
        "rows": rows,
    }
    print(machine_line(report))
    print()
    print(table(rows))
    for path in [args.json] + ([RESULTS / "readme.json"] if args.update_readme else []):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.update_readme:
        update_readme(report)
    return report


if __name__ == "__main__":
    main()
