"""Binder: repo2docker's own detection picks our binder/ set-up.

``repo2docker --no-build --debug`` prints the Dockerfile it would build, with
no Docker daemon, in about a second. Binder runs the same detection, so this
is the closest check of a Binder launch that this machine allows.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def repo2docker() -> tuple[str, str]:
    """(Dockerfile, log) that repo2docker would use for this repository."""
    done = subprocess.run(
        [sys.executable, "-m", "repo2docker", "--no-build", "--debug", str(ROOT)],
        capture_output=True, text=True, timeout=300, cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout, done.stderr


def test_conda_build_pack_with_binders_python(repo2docker: tuple[str, str]) -> None:
    dockerfile, log = repo2docker
    python = next(
        d for d in yaml.safe_load((ROOT / "binder" / "environment.yml").read_text(encoding="utf-8"))["dependencies"]
        if isinstance(d, str) and d.startswith("python")
    )
    version = python.split("=", 1)[1]
    assert f"Building conda environment for python={version}" in log, log
    assert "MAMBA_EXE" in dockerfile and "NB_PYTHON_PREFIX" in dockerfile


def test_our_environment_file_is_installed(repo2docker: tuple[str, str]) -> None:
    dockerfile, _ = repo2docker
    assert re.search(r"^COPY .*binder/environment\.yml \$\{REPO_DIR\}/binder/environment\.yml$", dockerfile, re.MULTILINE)
    assert re.search(r'env update -p \$\{NB_PYTHON_PREFIX\} --file "binder/environment\.yml"', dockerfile)
    # With binder/ present, nothing at the root is used (the note in binder/postBuild):
    # not environment.yml, not pyproject.toml, not a requirements file.
    assert '--file "environment.yml"' not in dockerfile
    assert "pyproject" not in dockerfile and "requirements" not in dockerfile


def test_postbuild_runs_after_the_repository_is_copied(repo2docker: tuple[str, str]) -> None:
    dockerfile, _ = repo2docker
    lines = dockerfile.splitlines()
    copy_repo = next(i for i, line in enumerate(lines) if re.fullmatch(r"COPY --chown=\S+ src/ \$\{REPO_DIR\}/", line))
    postbuild = lines.index("RUN ./binder/postBuild")
    assert copy_repo < postbuild
    # postBuild is what installs the package itself
    assert "python -m pip install --no-deps ." in (ROOT / "binder" / "postBuild").read_text(encoding="utf-8")
