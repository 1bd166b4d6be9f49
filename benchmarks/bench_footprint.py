"""4. Footprint: the installed size of the student environment against the bare packages.

Each environment is a fresh virtualenv in benchmarks/.cache, built once and
reused until pyproject.toml (or this file's package lists) changes. The
student environment is what `make lab` installs: the package and its `lab`
extra, installed from a built wheel rather than as an editable link, so that
the module's own files count. The floors install the named packages at the
versions the student environment got (pip freeze as constraints), so only
what the module adds is compared. Size is the apparent size of every file in
the venv (pip's .pyc files included, as in a real install).
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench_common import ROOT, row

CACHE = Path(__file__).resolve().parent / ".cache"
STUDENT = "student"
#: The packages a student's notebooks need, and the issue's five (they add nbval, which only tests use).
FLOORS = {
    "floor4": ["jupyterlab", "ipywidgets", "matplotlib", "pandas"],
    "floor5": ["jupyterlab", "ipywidgets", "matplotlib", "pandas", "nbval"],
}


def tree_size(path: Path) -> int:
    """Apparent size in bytes of every file under `path`, symlinks not followed."""
    total = 0
    for folder, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(folder, name)).st_size
            except OSError:
                pass
    return total


def cache_key(*parts: str) -> str:
    """Changes when pyproject.toml, the package list (`parts`) or the Python version change."""
    digest = hashlib.sha256()
    for text in ((ROOT / "pyproject.toml").read_text(encoding="utf-8"), sys.version, *parts):
        digest.update(text.encode())
    return digest.hexdigest()[:12]


def build_venv(name: str, pip_args: list[str], key: str, cache: Path = CACHE) -> Path:
    """A virtualenv with `pip install <pip_args>`, reused while `key` is unchanged.

    The venv is built under a temporary name and renamed when complete, so an
    interrupted build is never mistaken for a finished one.
    """
    target = cache / f"{name}-{key}"
    if target.is_dir():
        return target
    cache.mkdir(parents=True, exist_ok=True)
    for old in cache.glob(f"{name}-*"):  # an older key, or an interrupted build
        shutil.rmtree(old, ignore_errors=True)
    building = cache / f"{name}-{key}.building"
    subprocess.run([sys.executable, "-m", "venv", str(building)], check=True)
    if pip_args:
        env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
        print(f"footprint: building the {name} environment in {cache} (once; reused until pyproject.toml changes)",
              file=sys.stderr, flush=True)
        proc = subprocess.run([str(building / "bin" / "python"), "-m", "pip", "install", *pip_args],
                              env=env, capture_output=True, text=True)
        if proc.returncode:
            raise RuntimeError(f"pip install {' '.join(pip_args)} failed:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
    # venv scripts hold the absolute path; sizes do not depend on it, so a rename is safe here.
    building.rename(target)
    return target


def freeze(venv: Path) -> str:
    out = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "freeze", "--exclude-editable"],
                         check=True, capture_output=True, text=True).stdout
    return "\n".join(line for line in out.splitlines() if not line.startswith("aleppo2016"))


def run(cache: Path = CACHE) -> list[dict[str, Any]]:
    student = build_venv(STUDENT, [f"{ROOT}[lab]"], cache_key(STUDENT), cache)
    constraints = student / "bench-constraints.txt"
    if not constraints.exists():
        constraints.write_text(freeze(student) + "\n", encoding="utf-8")
    pins = constraints.read_text(encoding="utf-8")
    size = tree_size(student) - constraints.stat().st_size
    rows = []
    for name, packages in FLOORS.items():
        venv = build_venv(name, [*packages, "-c", str(constraints)], cache_key(name, *packages, pins), cache)
        floor_size = tree_size(venv)
        ratio = size / floor_size
        headline = name == "floor4"
        rows.append(row(
            "footprint",
            f"student env (package + lab extra) vs {', '.join(packages)}",
            {"median": size, "min": size, "max": size, "n": 1},
            {"median": floor_size, "min": floor_size, "max": floor_size, "n": 1},
            unit="bytes", ratio=ratio, target="≤ 1.05×" if headline else "≤ 1.05× (the issue's list)",
            ok=ratio <= 1.05,
            note="what a student installs vs the four packages it needs" if headline else
                 "nbval is a test tool a student never installs; listed as the issue names it",
        ))
    return rows
