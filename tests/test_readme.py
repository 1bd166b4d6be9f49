"""The README's promises: two commands, the ones CI runs, and paths that exist.

A newcomer follows the README word for word; if it names a command CI does
not run, or a file that has moved, they hit the failure we never saw.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest itself needs tomli on 3.10 to read pyproject.toml
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
START = "notebooks/00_start_here.ipynb"


def section(title: str) -> str:
    """The text of the README section whose heading starts with ``title``."""
    match = re.search(rf"^(#+) {re.escape(title)}.*$", README, re.MULTILINE)
    assert match, f"the README has no section titled {title!r}"
    level = len(match.group(1))
    end = re.compile(rf"^#{{1,{level}}} ", re.MULTILINE).search(README, match.end())
    return README[match.end() : end.start() if end else len(README)]


def code_blocks(text: str) -> list[str]:
    return re.findall(r"^```[a-z]*\n(.*?)^```", text, re.MULTILINE | re.DOTALL)


def commands(block: str) -> list[str]:
    return [line.strip() for line in block.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def quick_start_commands() -> list[str]:
    quick = section("Quick start").split("\n### ", 1)[0]  # before the Windows, Binder and conda parts
    blocks = code_blocks(quick)
    assert len(blocks) == 1, "the quick start should have exactly one code block"
    return commands(blocks[0])


def test_quick_start_is_exactly_two_commands() -> None:
    assert quick_start_commands() == ["make lab", "make test"]


def test_ci_runs_the_readmes_test_command() -> None:
    test_command = quick_start_commands()[1]
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert script.startswith("#!/usr/bin/env bash\n")
    ci = commands(script)
    assert ci[0] == "set -euo pipefail"
    assert ci[-1] == test_command, f".ci/run should end by running {test_command!r}, not {ci[-1]!r}"
    assert "export ALEPPO2016_REQUIRE_BROWSER=1" in ci


def test_ci_script_is_valid_bash() -> None:
    result = subprocess.run(["bash", "-n", str(ROOT / ".ci" / "run")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_windows_commands_mirror_the_two_commands() -> None:
    windows = section("Windows")
    blocks = [commands(b) for b in code_blocks(windows)]
    lab, test = blocks[0], blocks[1]
    assert lab[0] == "py -m venv .venv"
    assert '-m pip install -e ".[lab]"' in lab[1]
    assert lab[2] == r".venv\Scripts\jupyter lab " + START.replace("/", "\\")
    assert '-m pip install -e ".[lab,test]"' in test[0]
    # the JupyterLite build environment, as `make test` makes it (tests/test_lite.py uses it)
    assert test[1:3] == ["py -m venv .venv-lite", r'.venv-lite\Scripts\python -m pip install -e ".[lite]"']
    assert test[-1] == r".venv\Scripts\python -m pytest"
    # the optional settings step copies the same file the Makefile installs
    assert r"copy jupyter\overrides.json .venv\share\jupyter\lab\settings" in windows


def test_conda_commands_match_environment_yml() -> None:
    conda = commands(code_blocks(section("conda"))[0])
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert conda == [
        "conda env create -f environment.yml",
        f"conda activate {env['name']}",
        f"jupyter lab {START}",
    ]


def test_binder_badge_opens_the_start_notebook_in_jupyterlab() -> None:
    links = re.findall(r"\(https://mybinder\.org/v2/gh/([^)\s]+)\)", README)
    assert len(links) == 1, f"expected one Binder link, found {links}"
    repo, _, query = links[0].partition("/student?")  # the student edition's branch (tools/student_edition.py)
    assert re.fullmatch(r"[\w.-]+/[\w.-]+", repo)
    assert query == f"urlpath=lab/tree/{START}"
    assert (ROOT / START).is_file()
    assert "https://mybinder.org/badge_logo.svg" in README
    assert "PLACEHOLDER" in README  # the owner must be filled in on publication, and says so


def test_every_path_the_readme_mentions_exists() -> None:
    """Paths in backticks or relative links, under the repository's own folders or files."""
    spans = re.findall(r"`([^`\n]+)`", README) + re.findall(r"\]\((?!https?:|#)([^)\s]+)\)", README)
    top_level = {p.name for p in ROOT.iterdir()} - {".venv", ".git"}
    mentioned = set()
    for span in spans:
        candidate = span.strip().rstrip("/")
        first = candidate.split("/", 1)[0]
        if " " not in candidate and first in top_level:
            mentioned.add(candidate)
    assert {START, "environment.yml", "binder/postBuild", ".ci/run", "LICENSE"} <= mentioned
    missing = sorted(p for p in mentioned if not (ROOT / p).exists())
    assert not missing, f"the README mentions paths that do not exist: {missing}"
    # notebook names mentioned anywhere
    for name in re.findall(r"[\w-]+\.ipynb", README):
        assert (ROOT / "notebooks" / name).is_file(), f"the README mentions {name}, not in notebooks/"


def test_readme_has_the_sections_teachers_look_for() -> None:
    for title in (
        "Quick start",
        "Windows",
        "Binder",
        "conda",
        "Using the data",
        "Teaching with JupyterHub",
        "JupyterLite (no install)",
        "Benchmarks",
        "What happens when",
        "Project layout",
        "Licences",
        "Citation",
    ):
        section(title)
    assert "**Content note:**" in README


def test_using_the_data_example_calls_only_public_functions() -> None:
    import aleppo2016

    example = code_blocks(section("Using the data"))[0]
    called = set(re.findall(r"aleppo2016\.(\w+)\(", example))
    assert {"load_figures", "article_info"} <= called
    missing = sorted(name for name in called if name not in aleppo2016.__all__)
    assert not missing, f"the README calls functions aleppo2016 does not export: {missing}"


def test_citation_file_is_cff_1_2_and_matches_the_package() -> None:
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    project = PYPROJECT["project"]
    assert cff["cff-version"] == "1.2.0"
    assert {"message", "title", "authors"} <= set(cff)
    assert str(cff["version"]) == project["version"]
    assert cff["license"] == project["license"] == "MIT"
    assert cff["authors"] == [{"name": "The aleppo2016 contributors"}]
    article = cff["references"][0]
    assert {"type", "title", "authors"} <= set(article)
    assert article["url"] == "https://time.com/4507009/aleppo-offensive-syria-white-helmets-attack/"


def test_licences_cover_code_and_content_and_keep_times_rights() -> None:
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    content = (ROOT / "LICENSE-CONTENT.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in content and "creativecommons.org/licenses/by/4.0" in content
    assert "remain the copyright of TIME" in content
    assert "## [Unreleased]" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
