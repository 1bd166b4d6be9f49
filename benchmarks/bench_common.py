"""What every benchmark shares: summaries of repeated timings, the machine, one result row.

A row is a plain dict so that it goes to JSON unchanged; run.py prints the
rows as a table. Times are in seconds inside the code and shown in ms or s.
"""
from __future__ import annotations

import os
import platform
import statistics
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def summary(samples: Sequence[float]) -> dict[str, float]:
    """Median with min and max: the median resists a noisy neighbour, min–max shows the spread."""
    if not samples:
        raise ValueError("no samples to summarise")
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples), "n": len(samples)}


def percentile(samples: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation, as numpy's default does."""
    ordered = sorted(samples)
    if not ordered:
        raise ValueError("no samples")
    pos = (len(ordered) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def repeat(measure: Callable[[], float], runs: int, warmup: int = 1) -> list[float]:
    """Call `measure` warmup + runs times and keep the last `runs` results (disk and caches warm)."""
    for _ in range(warmup):
        measure()
    return [measure() for _ in range(runs)]


def row(section: str, name: str, measured: dict[str, float], floor: dict[str, float] | None,
        *, unit: str, target: str, ratio: float | None = None, ok: bool | None = None,
        note: str = "", **extra: Any) -> dict[str, Any]:
    """One line of the table: what was measured, its floor, the ratio and whether the target is met."""
    if ratio is None and floor is not None and floor["median"]:
        ratio = measured["median"] / floor["median"]
    return {"section": section, "name": name, "unit": unit, "measured": measured, "floor": floor,
            "ratio": ratio, "target": target, "ok": ok, "note": note, **extra}


def machine() -> dict[str, Any]:
    """The machine the figures come from: CPU model, cores, memory, Python, OS."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    mem_gib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    os_name = platform.platform()
    try:
        release = dict(
            line.split("=", 1) for line in Path("/etc/os-release").read_text().splitlines() if "=" in line
        )
        os_name = f"{release.get('PRETTY_NAME', '').strip(chr(34))} (Linux {platform.release()})"
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": mem_gib,
        "python": platform.python_version(),
        "implementation": sys.implementation.name,
        "os": os_name,
    }


def fmt_time(seconds: float) -> str:
    """1.23 s or 45.6 ms: as few digits as the noise deserves."""
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1000:.1f} ms"


def fmt_size(n_bytes: float) -> str:
    return f"{n_bytes / 1e6:.0f} MB"
