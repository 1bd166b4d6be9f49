"""The nbgitpuller link for a school JupyterHub (python -m aleppo2016 hub-link)."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from aleppo2016 import delivery
from aleppo2016.__main__ import main
from aleppo2016.delivery import HUB_FOLDER, START_NOTEBOOK, LinkError, hub_link

REPO = "https://github.com/example-school/aleppo2016"
ROOT = Path(__file__).resolve().parents[1]


def query(link: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(link).query, strict_parsing=True)


def test_link_has_the_documented_form() -> None:
    link = hub_link("https://hub.example.org", repo=REPO, branch="main")
    assert link.startswith("https://hub.example.org/hub/user-redirect/git-pull?repo=")
    assert query(link) == {
        "repo": [REPO],
        "branch": ["main"],
        "targetpath": [HUB_FOLDER],
        "urlpath": [f"lab/tree/{HUB_FOLDER}/{START_NOTEBOOK}"],
    }


def test_start_notebook_exists_where_the_link_opens_it() -> None:
    assert (ROOT / START_NOTEBOOK).is_file()


def test_parameters_are_url_encoded() -> None:
    link = hub_link("https://hub.example.org", repo="https://git.example.org/team%20a/aleppo2016", branch="week-3/lesson&1")
    raw = urlsplit(link).query
    # No raw '/', ':' or '&' from the values leaks into the query string.
    assert "https://" not in raw and "lab/tree" not in raw
    assert raw.count("&") == 3
    assert query(link)["branch"] == ["week-3/lesson&1"]
    assert query(link)["repo"] == ["https://git.example.org/team%20a/aleppo2016"]


@pytest.mark.parametrize(
    "hub, base",
    [
        ("https://hub.example.org/", "https://hub.example.org"),
        ("https://hub.example.org///", "https://hub.example.org"),
        ("  https://hub.example.org  ", "https://hub.example.org"),
        ("HTTPS://hub.example.org", "https://hub.example.org"),
        ("https://hub.example.org/hub/home", "https://hub.example.org"),
        ("https://hub.example.org/hub/login", "https://hub.example.org"),
        ("https://hub.example.org/user/amira/lab/tree/x.ipynb", "https://hub.example.org"),
        ("https://school.example.org/jupyter/", "https://school.example.org/jupyter"),
        ("https://school.example.org/jupyter/hub/spawn", "https://school.example.org/jupyter"),
        ("http://localhost:8000", "http://localhost:8000"),
    ],
)
def test_hub_address_forms(hub: str, base: str) -> None:
    assert delivery.hub_base(hub) == base
    assert hub_link(hub, repo=REPO).startswith(base + "/hub/user-redirect/git-pull?")


@pytest.mark.parametrize(
    "hub, words",
    [
        ("hub.example.org", ["no 'https://'", "'https://hub.example.org'"]),
        ("", ["empty"]),
        ("ftp://hub.example.org", ["'ftp://'", "https://"]),
        ("https://", ["no host name"]),
        ("https://hub.example.org/?next=x", ["'?' or '#'"]),
        ("https://hub example.org", ["spaces"]),
    ],
)
def test_bad_hub_addresses_say_what_to_write(hub: str, words: list[str]) -> None:
    with pytest.raises(LinkError) as err:
        hub_link(hub, repo=REPO)
    for word in words:
        assert word in str(err.value)


def test_repo_trailing_slash_is_dropped_and_bad_repo_rejected() -> None:
    assert query(hub_link("https://hub.example.org", repo=REPO + "/"))["repo"] == [REPO]
    with pytest.raises(LinkError, match="repository address 'github.com/x/y' has no 'https://'"):
        hub_link("https://hub.example.org", repo="github.com/x/y")
    with pytest.raises(LinkError, match="'git@github.com:x/y' has no 'https://'"):
        hub_link("https://hub.example.org", repo="git@github.com:x/y")


@pytest.mark.parametrize("branch", ["", "  ", "my branch"])
def test_bad_branch(branch: str) -> None:
    with pytest.raises(LinkError, match="branch"):
        hub_link("https://hub.example.org", repo=REPO, branch=branch)


def test_repo_defaults_to_package_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(delivery, "default_repo", lambda: REPO)
    assert query(hub_link("https://hub.example.org"))["repo"] == [REPO]
    monkeypatch.setattr(delivery, "default_repo", lambda: None)
    with pytest.raises(LinkError, match="--repo"):
        hub_link("https://hub.example.org")


def test_default_repo_reads_project_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    class Meta:
        def get_all(self, key: str) -> list[str]:
            assert key == "Project-URL"
            return ["Documentation, https://docs.example.org", f"Repository, {REPO}"]

    monkeypatch.setattr(delivery.metadata, "metadata", lambda name: Meta())
    assert delivery.default_repo() == REPO


def test_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["hub-link", "https://hub.example.org/", "--repo", REPO, "--branch", "spring"]) == 0
    out = capsys.readouterr().out.strip()
    assert out == hub_link("https://hub.example.org", repo=REPO, branch="spring")

    assert main(["hub-link", "hub.example.org", "--repo", REPO]) == 1
    err = capsys.readouterr().err
    assert "Problem found" in err and "https://hub.example.org" in err
