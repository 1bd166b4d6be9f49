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

The site is self-contained: Pyodide (Python compiled for the browser) is served
from the site itself, with the wheels the module needs and the pure-Python ones
piplite installs (ipywidgets and its helpers), and PyPI fallback is off, so a
missing wheel fails instead of reaching out. No request leaves the web server
that hosts the folder. Pyodide is assembled by ``tools/offline_lite.py`` (every
file checked against Pyodide's lock file) and cached in .cache/offline-lite,
so only the first build downloads. ``--pyodide`` gives the official release
tarball (a path or URL) as the first source of those bytes, or a folder
assembled already. ``--cdn`` builds the smaller site of old instead: Pyodide
from its CDN and missing wheels from PyPI, for classrooms that are always online.
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
import offline_lite  # noqa: E402  (tools/offline_lite.py, beside this script)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SETTINGS = ROOT / "jupyter" / "overrides.json"
DEFAULT_OUT = ROOT / "_output"
#: For a site with its own Pyodide folder: a wheel missing from the site fails
#: to install, with a message, instead of being fetched from PyPI.
OFFLINE_CONFIG = {"jupyter-config-data": {"litePluginSettings": {
    "@jupyterlite/pyodide-kernel-extension:kernel": {"disablePyPIFallback": True}}}}
#: Settings for the Lite site only, laid over jupyter/overrides.json. JupyterLite 0.6's
#: JupyterLab detaches the cells out of view ("full"): find-in-page misses them, and so would
#: a check of every output. "none" keeps every cell attached ("defer" raised a TypeError there).
LITE_SETTINGS = {"@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"}}


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


def _settings() -> dict:
    """The classroom settings (jupyter/overrides.json) with the Lite-only ones laid over them."""
    settings = json.loads(SETTINGS.read_text(encoding="utf-8"))
    for plugin, values in LITE_SETTINGS.items():
        settings.setdefault(plugin, {}).update(values)
    return settings


def local_pyodide(pyodide: str | None = None, cache: Path = offline_lite.DEFAULT_OUT) -> tuple[Path, list[Path]]:
    """The verified Pyodide folder and the piplite wheels to ship: assembled (or found in `cache`).

    `pyodide` is a folder assembled already (checked again here), or the official
    release tarball (a path or URL), asked first for the bytes.
    """
    if pyodide and Path(pyodide).is_dir():
        if not offline_lite.verified(Path(pyodide)):
            raise SystemExit(f"{pyodide} is not a Pyodide {offline_lite.PYODIDE_VERSION} folder whose every file matches "
                             "its lock (tools/offline_lite.py assembles one).")
        out = offline_lite.assemble(cache, with_pyodide=False)
        return Path(pyodide), [out / "wheels"]
    out = offline_lite.assemble(cache, release=pyodide)
    return out / "pyodide", [out / "wheels"]


def build_site(
    out: Path = DEFAULT_OUT,
    *,
    notebooks: Path = NOTEBOOKS,
    pyodide: str | None = None,
    cdn: bool = False,
    cache: Path = offline_lite.DEFAULT_OUT,
    student: bool = True,
    wheels: list[Path] | None = None,
) -> Path:
    """Build the site into `out` (replacing an earlier site there) and return `out`."""
    out = Path(out).resolve()
    if not any(Path(notebooks).glob("*.ipynb")):
        raise SystemExit(f"No notebooks in {notebooks}.")
    _check_output(out)
    if cdn and pyodide:
        raise SystemExit("--cdn loads Pyodide from its CDN: give --pyodide or --cdn, not both.")
    extra = list(wheels or [])
    local = None
    if not cdn:
        local, shipped = local_pyodide(pyodide, cache)
        extra += shipped
    with tempfile.TemporaryDirectory(prefix="aleppo2016-lite-") as tmp:
        work = Path(tmp)
        wheel = build_wheel(work / "wheels")
        transform = (lambda nb: lite_copy(student_edition(nb))) if student else lite_copy
        copy_notebook_folder(notebooks, work / "contents", transform)
        # The classroom JupyterLab settings (no "Jupyter news" pop-up), read
        # by jupyter lite from overrides.json in its lite dir.
        (work / "overrides.json").write_text(json.dumps(_settings(), indent=1), encoding="utf-8")
        command = [
            sys.executable, "-m", "jupyter", "lite", "build",
            "--lite-dir", str(work),
            "--contents", str(work / "contents"),
            "--output-dir", str(work / "_output"),
            "--piplite-wheels", str(wheel),
            "--no-sourcemaps",
        ]
        for path in extra:
            command += ["--piplite-wheels", str(Path(path).resolve())]
        if local:
            # The Pyodide folder goes where jupyter lite looks for a local Pyodide;
            # the site then never reaches PyPI either.
            shutil.copytree(local, work / "static" / "pyodide")
            (work / "jupyter-lite.json").write_text(json.dumps(OFFLINE_CONFIG, indent=1), encoding="utf-8")
        # The working folder is the temporary lite dir, so no build database or
        # cache is left in the checkout.
        done = subprocess.run(command, cwd=work, capture_output=True, text=True)
        if done.returncode != 0:
            sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
            raise SystemExit(f"jupyter lite build failed (exit {done.returncode}); its last output is above.")
        # Browsers ask every site for /favicon.ico: without one, each first visit logs a 404
        # in the student's console and the server's log.
        icon = work / "_output" / "lab" / "favicon.ico"
        if icon.is_file():
            shutil.copy2(icon, work / "_output" / "favicon.ico")
        _replace_output(work / "_output", out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the site (default: _output/); an earlier site there is replaced")
    parser.add_argument("--notebooks", type=Path, default=NOTEBOOKS, help="folder of notebooks (default: notebooks/)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--pyodide", help=f"the official pyodide-{offline_lite.PYODIDE_VERSION}.tar.bz2 (path or URL) to take Pyodide's files from first, or a folder tools/offline_lite.py assembled")
    where.add_argument("--cdn", action="store_true", help="not self-contained: Pyodide from its CDN and missing wheels from PyPI (needs internet in class)")
    parser.add_argument("--cache", type=Path, default=offline_lite.DEFAULT_OUT, help="where the verified Pyodide and wheels are kept between builds (default: .cache/offline-lite)")
    parser.add_argument("--wheels", type=Path, action="append", default=[], help="extra wheel, or folder of wheels, to ship with the site (repeatable)")
    edition = parser.add_mutually_exclusive_group()
    edition.add_argument("--student-edition", action="store_true", help="the default: leave out solution cells and all outputs")
    edition.add_argument("--teacher-edition", action="store_true", help="keep the solution cells (a site for teachers only)")
    args = parser.parse_args(argv)
    out = build_site(args.out, notebooks=args.notebooks, pyodide=args.pyodide, cdn=args.cdn, cache=args.cache,
                     student=not args.teacher_edition, wheels=args.wheels)
    count = len(list((out / "files").rglob("*.ipynb")))
    print(f"Built the JupyterLite site with {count} notebooks in {out}")
    files = [p for p in out.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files) / 1e6
    where = "Pyodide from its CDN (needs internet)" if args.cdn else "self-contained, no internet needed"
    print(f"{size:.1f} MB in {len(files)} files, {where}. Host the folder on any web server (not file://).")
    print(f"Try it: python -m http.server --directory {out} 8000, then open")
    print("  http://localhost:8000/lab/index.html?path=00_start_here.ipynb")
    return 0


if __name__ == "__main__":
    sys.exit(main())
