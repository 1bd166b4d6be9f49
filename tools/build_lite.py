#!/usr/bin/env python3
"""Build the JupyterLite site: the notebooks running in the browser, with nothing installed.

    python tools/build_lite.py [--out _output] [--pyodide PYODIDE] [--teacher-edition] [--wheels PATH ...]

The site (a folder of static files, any web server can host it) holds the
student edition of every notebook in notebooks/ (no solution cells, see
aleppo2016.delivery.student_edition; --teacher-edition keeps them) and the
module's own wheel. The wheel is served to the kernel only: it is not in the
site's file browser, so the question bank cannot be opened there. The notebooks are copied
for JupyterLite only: their kernel is set to the Pyodide kernel ("python"),
so they open without a "Select Kernel" dialog, and a first cell runs
``%pip install aleppo2016`` from the wheel shipped with the site. The
originals in notebooks/ are not changed.

Pyodide (Python compiled for the browser) is loaded from its CDN when a
student opens the site. For a classroom without internet, pass a local Pyodide
with ``--pyodide`` (a folder, as ``tools/offline_lite.py`` assembles, or a
``pyodide-*.tar.bz2`` file or its URL) and the wheels of packages Pyodide lacks
(ipywidgets and its helpers) with ``--wheels``. With a Pyodide folder the site
never falls back to PyPI: what it does not ship fails to install.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from aleppo2016 import delivery
from aleppo2016.delivery import copy_notebook_folder, lite_copy, student_edition

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SETTINGS = ROOT / "jupyter" / "overrides.json"
DEFAULT_OUT = ROOT / "_output"
#: For a site with its own Pyodide folder: a wheel missing from the site fails
#: to install, with a message, instead of being fetched from PyPI.
OFFLINE_CONFIG = {"jupyter-config-data": {"litePluginSettings": {
    "@jupyterlite/pyodide-kernel-extension:kernel": {"disablePyPIFallback": True}}}}


def build_wheel(dest: Path) -> Path:
    """Build the package's wheel from this checkout (see :func:`aleppo2016.delivery.build_wheel`)."""
    return delivery.build_wheel(ROOT, dest)


def _check_output(out: Path) -> None:
    """Refuse (before building) to replace a folder that is not an earlier JupyterLite site."""
    if out.exists() and any(out.iterdir()) and not (out / "jupyter-lite.json").is_file():
        raise SystemExit(f"{out} holds other files, not a JupyterLite site; give an empty or new folder with --out.")


def _replace_output(built: Path, out: Path) -> None:
    """Move the new site into place, replacing an earlier site so removed notebooks disappear."""
    _check_output(out)
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(built), str(out))


def build_site(
    out: Path = DEFAULT_OUT,
    *,
    notebooks: Path = NOTEBOOKS,
    pyodide: str | None = None,
    student: bool = True,
    wheels: list[Path] | None = None,
) -> Path:
    """Build the site into `out` (replacing an earlier site there) and return `out`."""
    out = Path(out).resolve()
    if not any(Path(notebooks).glob("*.ipynb")):
        raise SystemExit(f"No notebooks in {notebooks}.")
    _check_output(out)
    with tempfile.TemporaryDirectory(prefix="aleppo2016-lite-") as tmp:
        work = Path(tmp)
        wheel = build_wheel(work / "wheels")
        transform = (lambda nb: lite_copy(student_edition(nb))) if student else lite_copy
        copy_notebook_folder(notebooks, work / "contents", transform)
        # The classroom JupyterLab settings (no "Jupyter news" pop-up), read
        # by jupyter lite from overrides.json in its lite dir.
        shutil.copy2(SETTINGS, work / "overrides.json")
        command = [
            sys.executable, "-m", "jupyter", "lite", "build",
            "--lite-dir", str(work),
            "--contents", str(work / "contents"),
            "--output-dir", str(work / "_output"),
            "--piplite-wheels", str(wheel),
            "--no-sourcemaps",
        ]
        for extra in wheels or []:
            command += ["--piplite-wheels", str(Path(extra).resolve())]
        if pyodide and Path(pyodide).is_dir():
            # A Pyodide folder (tools/offline_lite.py makes one) goes where jupyter
            # lite looks for a local Pyodide; the site then never reaches PyPI either.
            shutil.copytree(pyodide, work / "static" / "pyodide")
            (work / "jupyter-lite.json").write_text(json.dumps(OFFLINE_CONFIG, indent=1), encoding="utf-8")
        elif pyodide:
            is_url = "://" in pyodide
            command += ["--pyodide", pyodide if is_url else str(Path(pyodide).resolve())]
        # The working folder is the temporary lite dir, so no build database or
        # cache is left in the checkout.
        done = subprocess.run(command, cwd=work, capture_output=True, text=True)
        if done.returncode != 0:
            sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
            raise SystemExit(f"jupyter lite build failed (exit {done.returncode}); its last output is above.")
        _replace_output(work / "_output", out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the site (default: _output/); an earlier site there is replaced")
    parser.add_argument("--notebooks", type=Path, default=NOTEBOOKS, help="folder of notebooks (default: notebooks/)")
    parser.add_argument("--pyodide", help="a local Pyodide for classrooms without internet: a folder (tools/offline_lite.py), or pyodide-*.tar.bz2 or its URL")
    parser.add_argument("--wheels", type=Path, action="append", default=[], help="extra wheel, or folder of wheels, to ship with the site (repeatable)")
    edition = parser.add_mutually_exclusive_group()
    edition.add_argument("--student-edition", action="store_true", help="the default: leave out solution cells and all outputs")
    edition.add_argument("--teacher-edition", action="store_true", help="keep the solution cells (a site for teachers only)")
    args = parser.parse_args(argv)
    out = build_site(args.out, notebooks=args.notebooks, pyodide=args.pyodide, student=not args.teacher_edition, wheels=args.wheels)
    count = len(list((out / "files").rglob("*.ipynb")))
    print(f"Built the JupyterLite site with {count} notebooks in {out}")
    print(f"Try it: python -m http.server --directory {out} 8000, then open")
    print("  http://localhost:8000/lab/index.html?path=00_start_here.ipynb")
    return 0


if __name__ == "__main__":
    sys.exit(main())
