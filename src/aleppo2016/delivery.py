"""Getting the notebooks to a class: the JupyterHub link and the notebook copies.

Teachers reach students through a school JupyterHub (an nbgitpuller link), a
static JupyterLite site or a student edition without answers. The pieces that
decide *what* students get live here, as small functions on plain notebook
JSON, so that they are unit-tested and shared by ``python -m aleppo2016
hub-link``, ``tools/build_lite.py`` and ``tools/student_edition.py``.
Nothing here imports Jupyter: a notebook is read with :mod:`json`.
"""
from __future__ import annotations

import copy
import ipaddress
import json
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from .errors import quoted

#: The folder nbgitpuller clones the module into, in each student's home.
HUB_FOLDER = "aleppo2016"
#: The notebook every route opens first, relative to the repository root.
START_NOTEBOOK = "notebooks/00_start_here.ipynb"
#: Cells with this tag are the teacher's answers.
SOLUTION_TAG = "solution"
#: The Pyodide kernel's name in JupyterLite: a notebook asking for any other
#: kernel (e.g. ``python3``) opens with a "Select Kernel" dialog there.
LITE_KERNELSPEC = {"name": "python", "display_name": "Python (Pyodide)", "language": "python"}
#: Tag of the install cell that only the JupyterLite copies get.
LITE_INSTALL_TAG = "jupyterlite-install"
LITE_INSTALL_SOURCE = (
    "# Run this cell first: it installs the aleppo2016 module inside your browser\n"
    "# and readies the charts. It takes a few seconds; nothing is installed on the computer.\n"
    "%pip install -q aleppo2016\n"
    "from aleppo2016.delivery import prepare_lite; prepare_lite()"
)

#: Files in notebooks/ that are for the test suite, not for students.
NOT_FOR_STUDENTS = frozenset({"nbval_sanitize.cfg"})

Notebook = dict[str, Any]


class LinkError(ValueError):
    """A hub, repository or branch that cannot make a working nbgitpuller link."""


#: Unicode categories of characters that show nothing or reorder what is shown
#: (controls, format characters such as U+202E RIGHT-TO-LEFT OVERRIDE, line
#: and paragraph separators, spaces other than the plain one, private use).
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Zs", "Co", "Cn", "Cs"})
_SSH_FORM = re.compile(
    r"(?:[\w.+-]+@)?(?P<host>[\w-]+(?:\.[\w-]+)+|localhost):(?!//)/?(?P<path>(?!\d+(?:/|$))[^:]+)"
)  # git@github.com:owner/repo.git (but not host:8000, a port)
#: Cyrillic and Greek letters that look like Latin ones: a host name made only
#: of them (аррӏе.com) reads as a Latin name but is another host.
_LOOKS_LATIN = frozenset("аеорсухіјѕԁӏһԛԝвкмнтѵпгьАВЕКМНОРСТХІЈЅαβεικνορτυχοΑΒΕΗΙΚΜΝΟΡΤΥΧΖ")
_HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
_PATH_START = re.compile(r"(?:/(?!/)|\./|\.\./|~|[A-Za-z]:[\\/]|\\\\)")  # /home/…, ./x, ~/x, C:\…


def _hidden_character(value: str, what: str, example: str) -> None:
    for ch in value:
        if ch != " " and unicodedata.category(ch) in _HIDDEN_CATEGORIES:
            name = unicodedata.name(ch, "a control character")
            raise LinkError(
                f"The {what} contains the invisible character U+{ord(ch):04X} ({name}), which can make an "
                f"address look different from where it goes. Type it again by hand, for example {example!r}."
            )


def _script(ch: str) -> str:
    """The alphabet a letter belongs to, from its Unicode name ('LATIN', 'CYRILLIC', 'GREEK' …)."""
    return unicodedata.name(ch, "UNKNOWN").split()[0]


def _check_host(host: str, value: str, what: str, example: str) -> None:
    """Only plain ASCII host names (punycode for international ones), never a look-alike."""
    if len(host) > 253:  # the longest name DNS can hold
        raise LinkError(f"The {what} {quoted(value)} has a host name longer than 253 characters, the most a host "
                        f"name can have. Give an address such as {example!r}.")
    if not host.isascii():
        try:
            ascii_form = host.encode("idna").decode("ascii")
        except UnicodeError:
            ascii_form = ""
        suggestion = f" If it really is the address, write the host in its ASCII form {ascii_form!r}." if ascii_form else ""
        raise LinkError(
            f"The {what} {quoted(value)} has a host name with letters outside plain ASCII (a–z, 0–9, '-'). "
            f"Such names can imitate another (a Cyrillic 'а' looks like a Latin 'a').{suggestion}"
        )
    if ":" in host:  # an IPv6 address, in [brackets] in the address
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise LinkError(f"The {what} {quoted(value)} has a host that is not a valid address. "
                            f"Give an address such as {example!r}.") from None
        return
    labels = host.removesuffix(".").split(".")
    if not all(_HOST_LABEL.fullmatch(label) for label in labels):
        raise LinkError(
            f"The {what} {quoted(value)} has characters a host name cannot have (only letters, digits, '.' and '-'). "
            f"Give a full web address such as {example!r}."
        )
    for label in labels:
        if not label.startswith("xn--"):
            continue
        try:
            shown = label.encode("ascii").decode("idna")
        except UnicodeError:
            raise LinkError(f"The {what} {quoted(value)} has {label!r}, which is not a valid international "
                            f"(punycode) name. Give an address such as {example!r}.") from None
        letters = [ch for ch in shown if ch.isalpha()]
        scripts = sorted({_script(ch) for ch in letters})
        if len(scripts) > 1:
            raise LinkError(
                f"The {what} {quoted(value)} has a host name that mixes alphabets ({' and '.join(scripts)}: "
                f"{shown!a}), the mark of a look-alike address. Check the address with whoever runs the hub."
            )
        if scripts != ["LATIN"] and letters and all(ch in _LOOKS_LATIN for ch in letters):
            raise LinkError(
                f"The {what} {quoted(value)} has a host name written in {scripts[0].title()} letters that all "
                f"look like Latin ones ({shown!a}), the mark of a look-alike address. Check the address with "
                "whoever runs the hub."
            )


def _web_address(value: str, what: str, example: str) -> tuple[str, str, str]:
    """Split an http(s) address into (scheme, host, path), or say what is wrong.

    Anything that could send a class somewhere other than the address the
    teacher reads is refused: a user name before '@', credentials, hidden or
    direction-changing characters, backslashes, look-alike host names.
    """
    if not isinstance(value, str) or not value.strip():
        raise LinkError(f"The {what} is empty. Give a full web address such as {example!r}.")
    value = value.strip()
    _hidden_character(value, what, example)
    if _PATH_START.match(value) or value.lower().startswith("file:"):
        raise LinkError(
            f"The {what} {quoted(value)} is a folder on this computer, not a web address: students' hubs cannot "
            f"reach it. Put the module on a git host and give its web address, for example {example!r}."
        )
    if "\\" in value:
        raise LinkError(
            f"The {what} {quoted(value)} contains a backslash '\\'; web addresses use '/' (a browser reads '\\' as "
            f"'/', so the link could go to another host). Give an address such as {example!r}."
        )
    if any(ch.isspace() for ch in value):
        raise LinkError(f"The {what} {quoted(value)} contains spaces. Give a full web address such as {example!r}.")
    ssh = _SSH_FORM.fullmatch(value)
    if ssh or value.lower().startswith(("ssh://", "git://", "git+ssh://")):
        if ssh:
            host, path = ssh["host"], ssh["path"]
        else:
            rest = urlsplit(value)
            host, path = rest.hostname or "", rest.path.lstrip("/")
        raise LinkError(
            f"The {what} {quoted(value)} has no 'https://' at the start: it is an SSH or git address, which a "
            f"student's hub cannot use. Write it as {quoted('https://' + host + '/' + path, 200)}."
        )
    if "://" not in value:
        raise LinkError(
            f"The {what} {quoted(value)} has no 'https://' at the start. "
            f"Write it in full, for example {quoted('https://' + value.lstrip('/'), 200)}."
        )
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise LinkError(f"The {what} {quoted(value)} cannot be read as a web address (is the port a number?). "
                        f"Give an address such as {example!r}.") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise LinkError(
            f"The {what} {quoted(value)} starts with {parts.scheme + '://'!r}; "
            f"only 'https://' (or 'http://') addresses work, for example {example!r}."
        )
    if "@" in parts.netloc:
        user, _, host = parts.netloc.rpartition("@")
        name = user.partition(":")[0]
        if "." in name or name.lower() == "localhost":  # hub.example.org@evil.example: looks like one host, is another
            raise LinkError(
                f"The {what} has '@' in its host part: everything before '@' is a user name, so the link would "
                f"open {quoted(host)}, not {quoted(name)}. Give the address with no '@', for example {example!r}."
            )
        raise LinkError(
            f"The {what} contains a user name or password (the part before '@'), which every student "
            f"would see in the link. Give the address without it, and check that {quoted(host)} is the host "
            f"you meant, for example {example!r}."
        )
    if not parts.hostname:
        raise LinkError(f"The {what} {quoted(value)} has no host name. Give a full web address such as {example!r}.")
    _check_host(parts.hostname, value, what, example)
    if parts.query or parts.fragment:
        raise LinkError(
            f"The {what} {quoted(value)} has a '?' or '#' part. Give the plain address, for example {example!r}."
        )
    return parts.scheme.lower(), parts.netloc.lower(), parts.path


def branch_problem(branch: object) -> str | None:
    """Why `branch` is not a name git accepts for a branch (``git check-ref-format --branch``), or None.

    nbgitpuller hands the name to git on the hub; a name git refuses would
    fail there, in front of the class, instead of here.
    """
    if not isinstance(branch, str) or not branch.strip():
        return "is empty"
    bad = sorted({ch for ch in branch if ch != " " and (ch in _GIT_BAD_CHARACTERS or ord(ch) < 32 or ord(ch) == 127
                                                      or unicodedata.category(ch) in _HIDDEN_CATEGORIES)})
    if bad:
        shown = ", ".join(repr(ch) if ch.isprintable() else f"U+{ord(ch):04X}" for ch in bad)
        return f"contains {shown}, which git does not allow in a branch name"
    if any(ch.isspace() for ch in branch):
        return "contains spaces"
    rules = (
        (branch.startswith("-"), "starts with '-'"),
        (branch in ("HEAD", "@"), "is a name git keeps for itself"),
        (".." in branch, "contains '..'"),
        ("@{" in branch, "contains '@{'"),
        (branch.startswith("/") or branch.endswith("/") or "//" in branch, "has an empty part between '/'s"),
        (branch.endswith("."), "ends with '.'"),
        (any(part.startswith(".") for part in branch.split("/")), "has a part starting with '.'"),
        (any(part.endswith(".lock") for part in branch.split("/")), "has a part ending with '.lock'"),
    )
    return next((problem for broken, problem in rules if broken), None)


_GIT_BAD_CHARACTERS = frozenset("~^:?*[\\")


def hub_base(hub: str) -> str:
    """The hub's base address without a trailing slash.

    Teachers often copy the address bar, so a pasted page address
    (``…/hub/home``, ``…/hub/login``, ``…/user/NAME/lab``) is cut back to the
    hub's base; a hub served under a prefix (``https://school.org/jupyter``)
    keeps it.
    """
    scheme, netloc, path = _web_address(hub, "hub address", "https://hub.example.org")
    segments = [s for s in path.split("/") if s]
    for i, segment in enumerate(segments):
        if segment in ("hub", "user"):
            segments = segments[:i]
            break
    # percent-encoded, so the printed link is plain ASCII and carries no quote or '<' into a web page it is pasted in
    prefix = quote("/" + "/".join(segments), safe="/%") if segments else ""
    return urlunsplit((scheme, netloc, prefix, "", ""))


def default_repo() -> str | None:
    """The repository named in the installed package's metadata (Project-URL), if any."""
    try:
        urls = metadata.metadata("aleppo2016").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    found = {}
    for entry in urls:
        label, _, url = entry.partition(",")
        found[label.strip().casefold()] = url.strip()
    for label in ("repository", "source", "source code", "homepage"):
        if found.get(label):
            return found[label]
    return None


def hub_link(hub: str, repo: str | None = None, branch: str = "student") -> str:
    """The nbgitpuller link that copies the module into a student's hub home and opens the start notebook.

    ``branch`` defaults to ``student``, the student edition that
    ``tools/student_edition.py --publish student`` writes: no model answers,
    no answer key, no question bank in the student's home.

    ``targetpath`` is fixed to :data:`HUB_FOLDER`, so the folder (and so the
    notebook's address) is the same whatever the repository or fork is called.
    """
    base = hub_base(hub)
    if repo is None:
        repo = default_repo()
        if repo is None:
            raise LinkError(
                "No repository address given and none is recorded in the package. "
                "Add the address of the module's git repository, for example "
                "--repo https://github.com/YOUR-SCHOOL/aleppo2016"
            )
    scheme, netloc, path = _web_address(repo, "repository address", "https://github.com/YOUR-SCHOOL/aleppo2016")
    repo = urlunsplit((scheme, netloc, path.rstrip("/"), "", ""))
    problem = branch_problem(branch.strip() if isinstance(branch, str) else branch)
    if problem:
        raise LinkError(
            f"The branch {quoted(branch)} is not a git branch name: it {problem}. "
            "Give the name as git shows it, such as 'main'."
        )
    params = {
        "repo": repo,
        "branch": branch.strip(),
        "targetpath": HUB_FOLDER,
        "urlpath": f"lab/tree/{HUB_FOLDER}/{START_NOTEBOOK}",
    }
    return f"{base}/hub/user-redirect/git-pull?{urlencode(params, quote_via=quote)}"


# --- notebook copies -------------------------------------------------------


def read_notebook(path: str | Path) -> Notebook:
    """Read a notebook file as plain JSON (nbformat 4)."""
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(notebook, dict) or notebook.get("nbformat") != 4 or not isinstance(notebook.get("cells"), list):
        raise ValueError(f"{path} is not a Jupyter notebook in format 4 (the format JupyterLab saves).")
    return notebook


def write_notebook(notebook: Notebook, path: str | Path) -> None:
    """Write a notebook the way JupyterLab does (indent 1, UTF-8, final newline), so diffs stay small."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def copy_notebook_folder(src: str | Path, dest: str | Path, transform: Callable[[Notebook], Notebook]) -> list[Path]:
    """Copy a folder of notebooks, passing each notebook through `transform`.

    Other files (pictures the notebooks show) are copied unchanged; hidden
    files and folders (checkpoints), caches and the test suite's files
    (:data:`NOT_FOR_STUDENTS`) are left out. Returns the notebooks written.
    """
    src, dest = Path(src), Path(dest)
    written = []
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        hidden = any(part.startswith(".") or part == "__pycache__" for part in rel.parts)
        if hidden or path.is_dir() or path.name in NOT_FOR_STUDENTS:
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".ipynb":
            write_notebook(transform(read_notebook(path)), target)
            written.append(target)
        else:
            shutil.copy2(path, target)
    return written


def _tags(cell: dict[str, Any]) -> list[str]:
    """A cell's tags as a list of strings, whatever a hand-edited notebook holds (null, one string, numbers)."""
    metadata = cell.get("metadata")
    tags = metadata.get("tags") if isinstance(metadata, dict) else None
    if isinstance(tags, str):
        tags = [tags]
    if not isinstance(tags, list):
        return []
    return [tag for tag in tags if isinstance(tag, str)]


#: Tag spellings that mark a teacher's answer, compared case-folded and trimmed.
SOLUTION_TAGS = frozenset({SOLUTION_TAG, "solutions"})


def solution_reason(cell: dict[str, Any]) -> str | None:
    """Why `cell` is the teacher's and stays out of the student edition, or None if students get it.

    The one definition of "a solution", used by the student edition, the
    JupyterLite site and the tests: a cell tagged ``solution`` or
    ``solutions`` in any case, a cell nbgrader marks as a solution, and a
    cell whose source a teacher hid (``jupyter.source_hidden``), since a
    hidden cell is one the teacher did not mean students to read.
    """
    if any(tag.strip().casefold() in SOLUTION_TAGS for tag in _tags(cell)):
        return "tagged solution"
    metadata = cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}
    nbgrader = metadata.get("nbgrader")
    if isinstance(nbgrader, dict) and nbgrader.get("solution") is True:
        return "an nbgrader solution"
    jupyter = metadata.get("jupyter")
    if isinstance(jupyter, dict) and jupyter.get("source_hidden"):
        return "source hidden"
    return None


def is_solution(cell: dict[str, Any]) -> bool:
    """True for a cell that only the teacher's edition keeps (see :func:`solution_reason`)."""
    return solution_reason(cell) is not None


#: Notebook-level metadata students get; everything else (saved widget state,
#: which holds the feedback a teacher saw while trying the quiz, or a
#: grading tool's settings) is left out.
STUDENT_NOTEBOOK_METADATA = ("kernelspec", "language_info")
_ATTACHMENT_REF = re.compile(r"attachment:([^)\s\"'>]+)")


def _student_cell(cell: dict[str, Any]) -> dict[str, Any]:
    """A kept cell as students get it: no outputs, no hiding, only the attachments its text shows."""
    if cell.get("cell_type") == "code":
        cell["outputs"] = []
        cell["execution_count"] = None
    metadata = cell.get("metadata")
    if not isinstance(metadata, dict):
        metadata = cell["metadata"] = {}
    jupyter = metadata.get("jupyter")
    if isinstance(jupyter, dict):
        jupyter.pop("outputs_hidden", None)
        if not jupyter:
            del metadata["jupyter"]
    if "tags" in metadata:  # nbformat wants a list of strings; a hand edit may leave null or numbers
        metadata["tags"] = _tags(cell)
    if "attachments" in cell:
        source = cell.get("source", "")
        text = source if isinstance(source, str) else "".join(source)
        shown = set(_ATTACHMENT_REF.findall(text))
        attachments = cell["attachments"] if isinstance(cell["attachments"], dict) else {}
        kept = {name: value for name, value in attachments.items() if name in shown}
        if kept:
            cell["attachments"] = kept
        else:
            del cell["attachments"]
    return cell


def student_edition(notebook: Notebook) -> Notebook:
    """The student's copy: no solution cells (:func:`is_solution`), no outputs, no saved widget state.

    Kept cells keep their ids, source, tags and the attachments their text
    shows; attachments nothing shows (an image of an answer left behind) are
    dropped, and nothing stays hidden. Of the notebook's metadata only the
    kernel and language (:data:`STUDENT_NOTEBOOK_METADATA`) are kept.
    """
    result = copy.deepcopy(notebook)
    metadata = result.get("metadata") if isinstance(result.get("metadata"), dict) else {}
    result["metadata"] = {key: metadata[key] for key in STUDENT_NOTEBOOK_METADATA if key in metadata}
    result["cells"] = [_student_cell(cell) for cell in result["cells"] if isinstance(cell, dict) and not is_solution(cell)]
    return result


def prepare_lite() -> None:
    """Build matplotlib's font cache now, quietly (the Lite install cell calls this).

    Every JupyterLite session starts with no font cache; building it printed
    "Matplotlib is building the font cache" under the first chart a student drew.
    """
    import logging

    logger = logging.getLogger("matplotlib.font_manager")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        import matplotlib.font_manager  # noqa: F401  (the import builds the cache)
    finally:
        logger.setLevel(level)


def lite_copy(notebook: Notebook) -> Notebook:
    """The JupyterLite copy: the Pyodide kernel's kernelspec and an install cell on top.

    The kernelspec makes the notebook open without a "Select Kernel" dialog;
    the install cell loads the module's wheel shipped with the site (Pyodide
    cannot preinstall a wheel that is not in its own distribution).
    """
    result = copy.deepcopy(notebook)
    result.setdefault("metadata", {})["kernelspec"] = dict(LITE_KERNELSPEC)
    if not any(LITE_INSTALL_TAG in _tags(cell) for cell in result["cells"]):
        install: dict[str, Any] = {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {"tags": [LITE_INSTALL_TAG]},
            "outputs": [],
            "source": LITE_INSTALL_SOURCE.splitlines(keepends=True),
        }
        if result.get("nbformat_minor", 0) >= 5:
            install["id"] = LITE_INSTALL_TAG
        result["cells"].insert(0, install)
    return result


# --- the student edition as a folder (tools/student_edition.py) -----------

#: The student edition's Binder set-up: install the module from the wheel that
#: ships beside it, then delete the wheel, so that nothing in the student's
#: home holds the question bank (the package lives in the image's Python,
#: outside the folder JupyterLab shows).
STUDENT_POSTBUILD = """#!/bin/bash
# Runs once when Binder builds the image, from the student edition's root.
set -euo pipefail

# The module (with its question bank) goes into the image's Python, outside the
# home folder that JupyterLab shows; the wheel is then removed from the home.
python -m pip install --no-deps binder/aleppo2016-*.whl
rm -f binder/aleppo2016-*.whl

# Classroom JupyterLab settings (no "Jupyter news" pop-up).
settings="${NB_PYTHON_PREFIX}/share/jupyter/lab/settings"
mkdir -p "$settings"
cp binder/overrides.json "$settings/overrides.json"
"""


#: The build backend pyproject.toml asks for (setuptools 77 reads its SPDX licence form).
_SETUPTOOLS_MAJOR = 77


def _backend_installed() -> bool:
    try:
        return int(metadata.version("setuptools").split(".")[0]) >= _SETUPTOOLS_MAJOR
    except (metadata.PackageNotFoundError, ValueError):
        return False


def build_wheel(project: str | Path, dest: str | Path) -> Path:
    """Build the package's wheel from a checkout into `dest`.

    With the build backend installed (``.venv-lite`` has it) this needs no
    network; otherwise pip fetches it into an isolated build environment.
    """
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    isolation = ["--no-build-isolation"] if _backend_installed() else []
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", *isolation,
         "--disable-pip-version-check", "-q", "-w", str(dest), str(project)],
        check=True,
    )
    wheels = sorted(dest.glob("aleppo2016-*-py3-none-any.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"Expected one aleppo2016 wheel in {dest}, found {[w.name for w in wheels]}.")
    return wheels[0]
