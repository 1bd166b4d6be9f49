"""The nbgitpuller link for a school JupyterHub (python -m aleppo2016 hub-link)."""
from __future__ import annotations

import subprocess
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


# --------------------------------------------------------------------------
# The link cannot be turned against a class (issue 15): every address below
# used to give a link somewhere else, or to show a password to every student
# --------------------------------------------------------------------------

def refused(hub: str = "https://hub.example.org", repo: str = REPO, branch: str = "main") -> str:
    with pytest.raises(LinkError) as err:
        hub_link(hub, repo=repo, branch=branch)
    return str(err.value)


@pytest.mark.parametrize("hub", ["https://hub.example.org@evil.example", "https://hub.example.org:443@evil.example",
                                 "https://hub.example.org%2F@evil.example", "https://localhost@evil.example/hub/home"])
def test_user_info_that_looks_like_the_hub_is_refused(hub: str) -> None:
    message = refused(hub)
    assert "everything before '@' is a user name, so the link would open 'evil.example'" in message
    assert "Give the address with no '@', for example 'https://hub.example.org'" in message


@pytest.mark.parametrize("hub, repo", [
    ("https://teacher:s3cret@hub.example.org", REPO),
    ("https://hub.example.org", "https://teacher:ghp_s3cret@github.com/example-school/aleppo2016"),
    ("https://hub.example.org", "https://ghp_s3cret@github.com/example-school/aleppo2016"),
])
def test_credentials_are_refused_and_not_repeated(hub: str, repo: str) -> None:
    message = refused(hub, repo)
    assert "contains a user name or password (the part before '@'), which every student would see" in message
    assert "s3cret" not in message


@pytest.mark.parametrize("hub, ascii_form", [("https://hüb.example.org", "xn--hb-xka.example.org"),
                                             ("https://ｈｕｂ．example.org", "hub.example.org")])
def test_a_non_ascii_host_must_be_written_in_ascii(hub: str, ascii_form: str) -> None:
    message = refused(hub)
    assert "has a host name with letters outside plain ASCII" in message
    assert f"write the host in its ASCII form {ascii_form!r}" in message


@pytest.mark.parametrize("hub, says", [
    ("https://xn--pple-43d.com", "mixes alphabets (CYRILLIC and LATIN"),  # а + pple
    ("https://xn--80ak6aa92e.com", "written in Cyrillic letters that all look like Latin ones"),  # аррӏе
    ("https://xn--zz.example.org", "not a valid international (punycode) name"),
])
def test_a_look_alike_punycode_host_is_refused(hub: str, says: str) -> None:
    assert says in refused(hub)


def test_a_real_international_host_in_punycode_is_accepted() -> None:
    link = hub_link("https://xn--mller-kva.example", repo=REPO)  # müller.example
    assert urlsplit(link).hostname == "xn--mller-kva.example"


@pytest.mark.parametrize("where", ["hub", "repo", "branch"])
@pytest.mark.parametrize("char", ["\u202e", "\u2066", "\u200f", "\u200b", "\ufeff", "\x00", "\u00a0"])
def test_hidden_and_direction_characters_are_refused(where: str, char: str) -> None:
    values = {"hub": "https://hub.example.org", "repo": REPO, "branch": "main"}
    values[where] = values[where][:12] + char + values[where][12:] if where != "branch" else "ma" + char + "in"
    message = refused(**values)
    assert f"U+{ord(char):04X}" in message
    assert char not in message


@pytest.mark.parametrize("hub", ["https://hub.example.org\\@evil.example", "https:\\\\evil.example",
                                 "https://evil.example\\.hub.example.org"])
def test_backslashes_are_refused(hub: str) -> None:
    message = refused(hub)
    assert "contains a backslash" in message or "is a folder on this computer" in message


def test_an_ssh_address_gets_its_https_form() -> None:
    assert "Write it as 'https://github.com/x/y.git'" in refused(repo="git@github.com:x/y.git")
    assert "Write it as 'https://gitlab.example.org/team/aleppo2016'" in refused(
        repo="ssh://git@gitlab.example.org/team/aleppo2016")
    assert "Write it as 'https://github.com/x/y'" in refused(repo="git://github.com/x/y")


@pytest.mark.parametrize("repo", ["/home/teacher/aleppo2016", "./aleppo2016", "../aleppo2016", "~/aleppo2016",
                                  "C:\\Users\\teacher\\aleppo2016", "file:///home/teacher/aleppo2016"])
def test_a_local_path_is_not_turned_into_a_wrong_https_address(repo: str) -> None:
    message = refused(repo=repo)
    assert "is a folder on this computer, not a web address" in message
    assert "https://github.com/YOUR-SCHOOL/aleppo2016" in message
    assert "https:///" not in message and "https://home" not in message


def test_a_hub_with_a_port_but_no_scheme_gets_the_right_suggestion() -> None:
    assert "'https://hub.example.org:8000'" in refused("hub.example.org:8000")


GIT_RULES = [  # (branch, what the message says): the rules of `git check-ref-format --branch`
    ("a..b", "contains '..'"), ("-x", "starts with '-'"), ("x.lock", "ending with '.lock'"),
    ("a/.b", "starting with '.'"), (".a", "starting with '.'"), ("a.", "ends with '.'"), ("a//b", "empty part"),
    ("/a", "empty part"), ("a/", "empty part"), ("a@{1}", "contains '@{'"), ("@", "git keeps for itself"),
    ("HEAD", "git keeps for itself"), ("a~1", "'~'"), ("a^", "'^'"), ("a:b", "':'"), ("a?", "'?'"), ("a*", "'*'"),
    ("a[b", "'['"), ("a\\b", "'\\\\'"), ("a\x7fb", "U+007F"),
]


@pytest.mark.parametrize("branch, says", GIT_RULES)
def test_branch_names_git_rejects_are_refused(branch: str, says: str) -> None:
    message = refused(branch=branch)
    assert "is not a git branch name" in message and says in message


@pytest.mark.parametrize("branch", ["main", "week-3/lesson&1", "feature/été", "v1.0", "a@b", "release-2016.09"])
def test_branch_names_git_accepts_are_kept(branch: str) -> None:
    assert query(hub_link("https://hub.example.org", repo=REPO, branch=branch))["branch"] == [branch]


@pytest.mark.parametrize("branch", [b for b, _ in GIT_RULES] + ["main", "week-3/lesson&1", "feature/été", "a@b"])
def test_branch_rules_agree_with_git(branch: str) -> None:
    """Our reading of git's rules, checked against git itself (`git check-ref-format`)."""
    ours = delivery.branch_problem(branch) is None
    git = subprocess.run(["git", "check-ref-format", "--branch", branch], capture_output=True).returncode == 0
    assert ours == git or branch == "@"  # git --branch reads '@' as HEAD; as a branch name it is refused


def test_the_command_line_refuses_a_hostile_hub(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["hub-link", "https://hub.example.org@evil.example", "--repo", REPO]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "would open 'evil.example'" in captured.err


MEGA = "x" * 1_000_000


@pytest.mark.parametrize("hub, repo, branch", [
    ("hub" + MEGA, REPO, "main"), ("https://" + MEGA + "@evil.example", REPO, "main"), ("https://h\u00fcb" + MEGA, REPO, "main"),
    ("https://hub.example.org", "git@github.com:" + MEGA, "main"), ("https://hub.example.org", "ssh://" + MEGA, "main"),
    ("https://hub.example.org", "/" + MEGA, "main"), ("https://hub.example.org", REPO, ".." + MEGA),
    ("https://hub.example.org/?" + MEGA, REPO, "main"),
])
def test_an_error_never_repeats_a_megabyte(hub: str, repo: str, branch: str) -> None:
    message = refused(hub, repo, branch)
    assert len(message) < 600, len(message)


def test_default_branch_is_the_student_edition(capsys: pytest.CaptureFixture[str]) -> None:
    """A teacher who gives no --branch sends students the student edition, never the answers on main."""
    assert query(hub_link("https://hub.example.org", repo=REPO))["branch"] == ["student"]
    assert main(["hub-link", "https://hub.example.org", "--repo", REPO]) == 0
    assert query(capsys.readouterr().out.strip())["branch"] == ["student"]
