"""The set-up files agree with pyproject.toml, the one place dependencies are declared.

conda users get ``environment.yml`` (ranges), Binder gets ``binder/environment.yml``
(exact pins) and everyone else gets pyproject.toml through pip. If one of them
drifts, a class on one route gets different packages from the one we tested.
The package names are the same on PyPI and conda-forge for everything we use.
"""
from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest itself needs tomli on 3.10 to read pyproject.toml
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETTINGS = ROOT / "jupyter" / "overrides.json"
SUPPORTED = [f"3.{minor}" for minor in range(10, 14)]


def requirements(*groups: str) -> dict[str, Requirement]:
    """pyproject's requirements by canonical name: "runtime" and/or extras."""
    reqs: dict[str, Requirement] = {}
    for group in groups:
        lines = (
            PYPROJECT["project"]["dependencies"]
            if group == "runtime"
            else PYPROJECT["project"]["optional-dependencies"][group]
        )
        for line in lines:
            req = Requirement(line)
            reqs[canonicalize_name(req.name)] = req
    return reqs


def conda_specs(path: Path) -> tuple[dict[str, str], list[Any]]:
    """An environment file's conda packages as {name: spec} and its pip entries."""
    env = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert env["channels"] == ["conda-forge"], f"{path.name}: use conda-forge only"
    specs: dict[str, str] = {}
    pip: list[Any] = []
    for entry in env["dependencies"]:
        if isinstance(entry, dict):
            pip.extend(entry.get("pip", []))
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*(.*)", entry.strip())
        assert match, f"{path.name}: cannot read the dependency {entry!r}"
        name, spec = match.groups()
        assert canonicalize_name(name) not in specs, f"{path.name}: {name} listed twice"
        specs[canonicalize_name(name)] = spec.strip()
    return specs, pip


def conda_pin(spec: str) -> Version:
    """The version of an exact conda pin (``=3.1.1`` or ``==3.1.1``)."""
    match = re.fullmatch(r"==?(\d+(\.\d+)*)", spec)
    assert match, f"expected an exact pin like =1.2.3, got {spec!r}"
    return Version(match.group(1))


ALL_GROUPS = ("runtime", "lab", "test")
# Binder is for students: the package's runtime dependencies and JupyterLab, no test tools.
BINDER_GROUPS = ("runtime", "lab")


def test_conda_environment_lists_the_same_packages_with_the_same_ranges() -> None:
    specs, pip = conda_specs(ROOT / "environment.yml")
    wanted = requirements(*ALL_GROUPS)
    listed = set(specs) - {"python", "pip"}
    assert listed == set(wanted), (
        f"environment.yml and pyproject.toml differ: only in environment.yml "
        f"{sorted(listed - set(wanted))}, only in pyproject.toml {sorted(set(wanted) - listed)}"
    )
    for name, req in wanted.items():
        assert SpecifierSet(specs[name]) == req.specifier, (
            f"{name}: environment.yml says {specs[name]!r}, pyproject.toml says {str(req.specifier)!r}"
        )
    assert pip == ["-e ."], "environment.yml should install the module itself with pip: [-e .]"


def test_conda_environment_is_named_and_allows_every_supported_python() -> None:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert env["name"] == "aleppo2016"  # the README says `conda activate aleppo2016`
    specs, _ = conda_specs(ROOT / "environment.yml")
    conda_python = SpecifierSet(specs["python"])
    requires_python = SpecifierSet(PYPROJECT["project"]["requires-python"])
    classifiers = {
        c.rsplit(" :: ", 1)[1]
        for c in PYPROJECT["project"]["classifiers"]
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    }
    assert classifiers == set(SUPPORTED)
    for version in SUPPORTED:
        assert version in conda_python and version in requires_python, version
    for too_old in ("3.8", "3.9"):
        assert too_old not in conda_python and too_old not in requires_python, too_old


def test_binder_pins_every_runtime_and_lab_package_within_pyproject_ranges() -> None:
    specs, pip = conda_specs(ROOT / "binder" / "environment.yml")
    wanted = requirements(*BINDER_GROUPS)
    listed = set(specs) - {"python"}
    assert listed == set(wanted), (
        f"binder/environment.yml and pyproject.toml (runtime + lab) differ: only in binder "
        f"{sorted(listed - set(wanted))}, only in pyproject.toml {sorted(set(wanted) - listed)}"
    )
    assert pip == [], "binder/postBuild installs the package; keep pip out of the environment file"
    for name, req in wanted.items():
        pinned = conda_pin(specs[name])
        assert req.specifier.contains(pinned), (
            f"binder pins {name} {pinned}, outside pyproject.toml's range {req.specifier}"
        )
    python = specs["python"]
    assert re.fullmatch(r"=3\.\d+", python), f"pin Binder's Python to one minor version, not {python!r}"
    assert python[1:] in SUPPORTED


def test_binder_test_tools_are_not_installed_for_students() -> None:
    specs, _ = conda_specs(ROOT / "binder" / "environment.yml")
    assert not set(specs) & set(requirements("test"))


def test_classroom_settings_turn_off_the_jupyter_news_popup() -> None:
    import json

    settings = json.loads(SETTINGS.read_text(encoding="utf-8"))
    assert settings["@jupyterlab/apputils-extension:notification"]["fetchNews"] == "false"


def test_postbuild_installs_the_package_and_the_classroom_settings(tmp_path: Path) -> None:
    """Run binder/postBuild for real, with a stand-in `python` that records its arguments."""
    postbuild = ROOT / "binder" / "postBuild"
    text = postbuild.read_text(encoding="utf-8")
    assert text.startswith("#!/bin/bash\n")
    assert re.search(r"^set -e", text, re.MULTILINE), "postBuild must stop at the first error"
    assert postbuild.stat().st_mode & stat.S_IXUSR, "binder/postBuild must be executable"

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "python-calls.txt"
    fake_python = bin_dir / "python"
    fake_python.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\n', encoding="utf-8")
    fake_python.chmod(0o755)
    prefix = tmp_path / "srv" / "conda" / "envs" / "notebook"
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "NB_PYTHON_PREFIX": str(prefix)}
    subprocess.run(["bash", str(postbuild)], cwd=ROOT, env=env, check=True)

    assert log.read_text(encoding="utf-8").split("\n")[0] == "-m pip install --no-deps ."
    installed = prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert installed.read_bytes() == SETTINGS.read_bytes()


def test_postbuild_stops_at_the_first_error(tmp_path: Path) -> None:
    """A failed install must fail the Binder build, not leave a half-working image."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").write_text("#!/bin/sh\nexit 3\n", encoding="utf-8")
    (bin_dir / "python").chmod(0o755)
    prefix = tmp_path / "prefix"
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "NB_PYTHON_PREFIX": str(prefix)}
    result = subprocess.run(["bash", str(ROOT / "binder" / "postBuild")], cwd=ROOT, env=env)
    assert result.returncode != 0
    assert not (prefix / "share").exists()


# --- the Makefile: `make lab` and `make test` -------------------------------

MAKE = shutil.which("make")
# make is how Linux and macOS users (and CI) run the tests; on Windows it may be absent.
needs_make = pytest.mark.skipif(MAKE is None, reason="make is not installed (Windows: see the README)")


def fake_checkout(tmp_path: Path) -> Path:
    """A copy of the files the Makefile reads, with a stand-in .venv that logs every call.

    The stand-in ``python``/``jupyter`` print ``9.9`` when asked for their version,
    so that the interpreter check can be exercised without a second Python.
    """
    work = tmp_path / "checkout"
    (work / "jupyter").mkdir(parents=True)
    (work / "tests" / "browser").mkdir(parents=True)
    (work / "tests" / "hub").mkdir(parents=True)
    for name in ("Makefile", "pyproject.toml", "jupyter/overrides.json",
                 "tests/browser/package.json", "tests/browser/package-lock.json",
                 "tests/hub/package.json", "tests/hub/package-lock.json"):
        shutil.copy2(ROOT / name, work / name)
    # A stand-in npm (first on PATH in make()) that logs its call and "installs" axe-core and the hub's proxy.
    (work / "bin").mkdir()
    npm = work / "bin" / "npm"
    npm.write_text(
        f'#!/bin/sh\necho "npm $*" >> "{work}/calls.txt"\n'
        f'case "$*" in *tests/browser*) mkdir -p "{work}/tests/browser/node_modules/axe-core" && '
        f': > "{work}/tests/browser/node_modules/axe-core/axe.min.js";;\n'
        f'*tests/hub*) mkdir -p "{work}/tests/hub/node_modules/.bin" && '
        f': > "{work}/tests/hub/node_modules/.bin/configurable-http-proxy";; esac\n',
        encoding="utf-8",
    )
    npm.chmod(0o755)
    for venv in (".venv", ".venv-lite"):  # .venv-lite: the JupyterLite build environment
        (work / venv / "bin").mkdir(parents=True)
        (work / venv / "pyvenv.cfg").write_text("version = 9.9.0\n", encoding="utf-8")
    for tool in ("python", "jupyter", "../../.venv-lite/bin/python"):
        script = work / ".venv" / "bin" / tool
        script.write_text(
            '#!/bin/sh\nif [ "$1" = "-c" ]; then echo 9.9; exit 0; fi\n'
            f'echo "{Path(tool).name} $*" >> "{work}/calls.txt"\n',
            encoding="utf-8",
        )
        script.chmod(0o755)
    return work


# Settings of an outer `make test PYTEST_ARGS=...` reach this process's environment; keep them
# out of the Makefile runs under test.
_OUTER_MAKE = {"PYTHON", "VENV", "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "PYTEST_ARGS", "LAB_ARGS", "BENCH_ARGS", "LITE_ARGS",
               "EDITION_ARGS", "STUDENT_EDITION"}


def make(work: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in _OUTER_MAKE}
    return subprocess.run(
        [MAKE or "make", "--no-print-directory", *args],
        cwd=work, env={**environ, "PATH": f"{work / 'bin'}{os.pathsep}{environ.get('PATH', '')}", **env},
        capture_output=True, text=True,
    )


def calls(work: Path) -> list[str]:
    log = work / "calls.txt"
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


@needs_make
def test_make_knows_the_documented_targets() -> None:
    result = subprocess.run([MAKE or "make", "-n", "help", "lab", "lab-teacher", "test", "clean"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "jupyter lab student_edition/notebooks/00_start_here.ipynb" in result.stdout  # students' view
    assert "jupyter lab notebooks/00_start_here.ipynb" in result.stdout  # make lab-teacher
    assert "-m pytest" in result.stdout


@needs_make
def test_make_test_installs_once_then_reruns_without_reinstalling(tmp_path: Path) -> None:
    work = fake_checkout(tmp_path)
    first = make(work, "test", "PYTEST_ARGS=-k smoke")
    assert first.returncode == 0, first.stdout + first.stderr
    assert calls(work) == [
        "python -m pip install -e .[lab,test]",
        "python -m pip install -e .[lite]",  # in .venv-lite, for tests/test_lite.py
        "npm ci --prefix tests/browser --no-audit --no-fund",  # axe-core, for the accessibility audit
        "npm ci --prefix tests/hub --no-audit --no-fund",  # configurable-http-proxy, for tests/test_hub.py
        "python -m pytest -k smoke",
    ]
    settings = work / ".venv" / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert settings.read_bytes() == SETTINGS.read_bytes()

    (work / "calls.txt").unlink()
    again = make(work, "test")
    assert calls(work) == ["python -m pytest"], again.stdout
    (work / "calls.txt").unlink()
    lab = make(work, "lab", "LAB_ARGS=--no-browser")  # the test install covers the lab extra
    assert lab.returncode == 0, lab.stderr
    assert calls(work) == [  # the student edition, built on first use, is JupyterLab's root
        "python tools/student_edition.py --out student_edition --no-wheel",
        f"jupyter lab student_edition/notebooks/00_start_here.ipynb --ServerApp.root_dir={work}/student_edition"
        + (" --allow-root" if os.geteuid() == 0 else "") + " --no-browser",  # as root, JupyterLab needs it
    ]


@needs_make
def test_changing_pyproject_or_the_settings_reinstalls(tmp_path: Path) -> None:
    work = fake_checkout(tmp_path)
    assert make(work, "lab").returncode == 0
    for changed in ("pyproject.toml", "jupyter/overrides.json"):
        (work / "calls.txt").unlink()
        stamp = work / ".venv" / ".aleppo2016-installed-lab"
        later = stamp.stat().st_mtime + 5
        os.utime(work / changed, (later, later))
        assert make(work, "lab").returncode == 0
        assert calls(work)[0] == "python -m pip install -e .[lab]", changed


@needs_make
def test_choosing_another_python_for_an_existing_venv_is_refused_with_advice(tmp_path: Path) -> None:
    work = fake_checkout(tmp_path)  # the stand-in .venv says it is Python 9.9
    result = make(work, "test", PYTHON=sys.executable)
    assert result.returncode != 0
    assert "was made with Python 9.9" in result.stdout
    assert "make clean" in result.stdout
    assert calls(work) == []


@needs_make
def test_too_old_python_gets_a_clear_message(tmp_path: Path) -> None:
    work = fake_checkout(tmp_path)
    shutil.rmtree(work / ".venv")
    old = tmp_path / "python3.9"
    old.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")  # fails the version check like 3.9 would
    old.chmod(0o755)
    result = make(work, "test", PYTHON=str(old))
    assert result.returncode != 0
    assert "needs Python 3.10 to 3.13" in result.stdout
    assert not (work / ".venv").exists()


def test_the_lab_environment_has_no_jupyterlite_extension() -> None:
    # jupyterlite-pyodide-kernel's lab extension logs "Shared module @jupyterlite/services doesn't
    # exist" in a server JupyterLab: the JupyterLite site is built from .venv-lite instead.
    from importlib.metadata import PackageNotFoundError, version

    with pytest.raises(PackageNotFoundError):
        version("jupyterlite-pyodide-kernel")
