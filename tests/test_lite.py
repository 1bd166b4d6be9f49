"""The JupyterLite site (make lite): every notebook, the module's wheel, its own Pyodide.

The site is built once for this file exactly as `make lite` builds it:
self-contained, Pyodide 0.27.7 assembled by tools/offline_lite.py (every file
checked against Pyodide's lock; downloaded once into .cache/offline-lite and
reused), about 10 s once cached. The browser tests then open every notebook in
one Chromium with every request to another host aborted, and run it in the real
Pyodide kernel: Run All with no error or warning, a question answered, an
explorer changed, a screenshot in artifacts/screenshots/lite/. Where the site
or the browser cannot be had, they fail under ALEPPO2016_REQUIRE_BROWSER=1 (CI).
"""
from __future__ import annotations

import concurrent.futures
import importlib.util
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest itself needs tomli on 3.10 to read pyproject.toml
    import tomli as tomllib

sys.path.insert(0, str(Path(__file__).resolve().parent / "browser"))
import lab  # noqa: E402  (tests/browser/lab.py: the browser helpers)
from aleppo2016.delivery import LITE_INSTALL_TAG, LITE_KERNELSPEC, SOLUTION_TAG, is_solution, read_notebook, student_edition

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tools" / "build_lite.py"
OFFLINE_SCRIPT = ROOT / "tools" / "offline_lite.py"
#: Pyodide and the widget wheels for the site; the downloads (npm, PyPI) are kept here between runs.
OFFLINE_CACHE = ROOT / ".cache" / "offline-lite"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
DATA_FILES = sorted(
    p.relative_to(ROOT / "src").as_posix()
    for p in (ROOT / "src" / "aleppo2016" / "data").iterdir()
    if p.suffix in (".csv", ".json")
)


def _load(path: Path, name: str) -> Any:
    """A script in tools/ as a module, to call its functions without a build."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


OFFLINE = _load(OFFLINE_SCRIPT, "offline_lite_script")


def _lite_python() -> str:
    """The interpreter of the JupyterLite build environment (.venv-lite, made by `make lite` or `make test`).

    The site is built from its own environment so that the Pyodide kernel's lab
    extension never reaches the JupyterLab that students use.
    """
    chosen = os.environ.get("ALEPPO2016_LITE_PYTHON")
    if chosen:
        return chosen
    for candidate in (ROOT / ".venv-lite" / "bin" / "python", ROOT / ".venv-lite" / "Scripts" / "python.exe"):
        if candidate.exists():
            return str(candidate)
    return sys.executable


def _lite_missing(python: str) -> str | None:
    """Why `python` cannot build the site, or None if it can."""
    probe = subprocess.run([python, "-c", "import jupyterlite_core, jupyterlite_pyodide_kernel"],
                           capture_output=True, text=True)
    if probe.returncode == 0:
        return None
    return (f"{python} has no JupyterLite (jupyterlite-core, jupyterlite-pyodide-kernel). Run `make lite` "
            "once, or: python -m venv .venv-lite, then install it with .venv-lite's pip: pip install -e \".[lite]\"")


LITE_PYTHON = _lite_python()
_MISSING = _lite_missing(LITE_PYTHON)


@pytest.fixture(autouse=True)
def _lite_environment() -> None:
    """Skip, saying how to set it up, where there is no JupyterLite environment, except under
    `make test` and CI (ALEPPO2016_LITE_PYTHON or ALEPPO2016_REQUIRE_BROWSER is set), where a missing one is a failure."""
    if _MISSING:
        if os.environ.get("ALEPPO2016_LITE_PYTHON") or lab.browser_required():
            pytest.fail(_MISSING)
        pytest.skip(_MISSING)


def build(out: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [LITE_PYTHON, str(SCRIPT), "--out", str(out), *map(str, args)],
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site exactly as `make lite` builds it (default options)."""
    out = tmp_path_factory.mktemp("lite") / "_output"
    build(out)
    return out


def lite_config(site: Path) -> dict:
    return json.loads((site / "jupyter-lite.json").read_text(encoding="utf-8"))["jupyter-config-data"]


def test_pins_agree_and_share_a_minor_version() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    lite = set(extras["lite"])
    pins = {line.split("==")[0]: line.split("==")[1] for line in lite if "==" in line}
    assert set(pins) == {"jupyterlite-core", "jupyterlite-pyodide-kernel"}
    minors = {".".join(version.split(".")[:2]) for version in pins.values()}
    assert len(minors) == 1, f"keep the JupyterLite pair on one minor version: {pins}"
    for name, pinned in pins.items():
        installed = subprocess.run(
            [LITE_PYTHON, "-c", f"from importlib.metadata import version; print(version({name!r}))"],
            capture_output=True, text=True,
        ).stdout.strip()
        assert installed == pinned, f"{name} {installed or 'is not'} installed for {LITE_PYTHON}; pyproject pins {pinned}"


def test_every_notebook_is_in_the_site(site: Path) -> None:
    assert NOTEBOOKS
    shipped = sorted(p.name for p in (site / "files").glob("*.ipynb"))
    assert shipped == [p.name for p in NOTEBOOKS]
    listing = json.loads((site / "api" / "contents" / "all.json").read_text(encoding="utf-8"))
    listed = sorted(item["path"] for item in listing["content"] if item["type"] == "notebook")
    assert listed == shipped
    assert not (site / "files" / "nbval_sanitize.cfg").exists()  # the test suite's file stays out
    # the question bank is only inside the wheel the kernel installs, never in the file browser
    assert not list((site / "files").rglob("questions.json"))
    assert not any(item["name"] == "questions.json" for item in listing["content"])


def test_lite_copies_use_the_pyodide_kernel_and_install_the_module_first(site: Path) -> None:
    for original in NOTEBOOKS:
        source = read_notebook(original)
        copy = read_notebook(site / "files" / original.name)
        assert copy["metadata"]["kernelspec"] == LITE_KERNELSPEC, original.name
        first = copy["cells"][0]
        assert first["cell_type"] == "code" and LITE_INSTALL_TAG in first["metadata"]["tags"]
        assert "%pip install -q aleppo2016" in "".join(first["source"])
        # the site is the student edition by default: no solution cell, otherwise unchanged
        assert copy["cells"][1:] == student_edition(source)["cells"], f"{original.name}: the other cells must be unchanged"
        assert not any(is_solution(c) for c in copy["cells"])
        rest = {k: v for k, v in copy["metadata"].items() if k != "kernelspec"}
        assert rest == {k: v for k, v in student_edition(source)["metadata"].items() if k != "kernelspec"}
        assert len({c.get("id") for c in copy["cells"]}) == len(copy["cells"]), "cell ids must stay unique"
        # the original in notebooks/ is untouched
        assert source["metadata"].get("kernelspec", {}).get("name") != "python"


def test_the_wheel_is_shipped_indexed_and_holds_the_data(site: Path) -> None:
    wheels = sorted((site / "pypi").glob("aleppo2016-*.whl"))
    assert len(wheels) == 1, wheels
    index = json.loads((site / "pypi" / "all.json").read_text(encoding="utf-8"))
    releases = index["aleppo2016"]["releases"]
    assert [r["filename"] for rs in releases.values() for r in rs] == [wheels[0].name]
    urls = lite_config(site)["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]["pipliteUrls"]
    assert any(url.startswith("./pypi/all.json") for url in urls), urls

    names = set(zipfile.ZipFile(wheels[0]).namelist())
    assert DATA_FILES, "no data files found in src/aleppo2016/data"
    missing = [f for f in DATA_FILES if f not in names]
    assert not missing, f"the wheel lacks the data files {missing}"
    assert {"aleppo2016/__init__.py", "aleppo2016/data.py"} <= names
    metadata = zipfile.ZipFile(wheels[0]).read(f"{wheels[0].name.split('-py3')[0]}.dist-info/METADATA").decode()
    assert "Requires-Dist: pandas" in metadata  # piplite installs the dependencies with it


def test_site_carries_the_classroom_settings(site: Path) -> None:
    overrides = lite_config(site)["settingsOverrides"]
    expected = json.loads((ROOT / "jupyter" / "overrides.json").read_text(encoding="utf-8"))
    for plugin, settings in expected.items():
        assert overrides[plugin] == settings
    # every cell stays attached to the page (JupyterLite 0.6 would detach those out of view)
    assert overrides["@jupyterlab/notebook-extension:tracker"]["windowingMode"] == "none"


def test_site_is_self_contained(site: Path) -> None:
    """Pyodide, its wheels and the widget wheels are in the site, every one as its lock says; no PyPI fallback."""
    kernel = lite_config(site)["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel["pyodideUrl"] == "./static/pyodide/pyodide.js"
    assert kernel["disablePyPIFallback"] is True
    pyodide = site / "static" / "pyodide"
    assert OFFLINE.verified(pyodide), "the site's Pyodide is not exactly the verified files"
    lock = json.loads((pyodide / "pyodide-lock.json").read_text(encoding="utf-8"))
    assert {"numpy", "pandas", "matplotlib", "micropip"} <= set(OFFLINE.closure(lock))
    index = json.loads((site / "pypi" / "all.json").read_text(encoding="utf-8"))
    assert {"aleppo2016", "ipywidgets", "comm", "jupyterlab-widgets"} <= set(index)
    assert (site / "favicon.ico").is_file()  # browsers ask for it: no 404 in the console or the server's log
    config = (site / "jupyter-lite.json").read_text(encoding="utf-8")
    assert "cdn.jsdelivr" not in config and "pypi.org" not in config


def tiny_wheel(folder: Path) -> Path:
    """A minimal pure-Python wheel, standing in for an extra package."""
    path = folder / "tiny_extra-1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as whl:
        whl.writestr("tiny_extra/__init__.py", "")
        whl.writestr("tiny_extra-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: tiny-extra\nVersion: 1.0\n")
        whl.writestr("tiny_extra-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        whl.writestr("tiny_extra-1.0.dist-info/RECORD", "")
    return path


def fake_release(folder: Path) -> Path:
    """A tarball laid out like a Pyodide release, whose lock is not Pyodide's."""
    path = folder / "pyodide-0.27.7.tar.bz2"
    with tarfile.open(path, "w:bz2") as tar:
        for name, text in (("pyodide/pyodide.js", "\n"), ("pyodide/pyodide-lock.json", "{}\n")):
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_cdn_site_on_request_with_extra_wheels(tmp_path: Path) -> None:
    """--cdn: the smaller site that loads Pyodide from its CDN; --wheels and --student-edition still apply."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nb.cells = [
        new_markdown_cell("Question", id="q"),
        new_code_cell("answer = 42", id="a", metadata={"tags": [SOLUTION_TAG]}),
        new_code_cell("print('hi')", id="p", execution_count=1, outputs=[nbformat.v4.new_output("stream", text="hi\n")]),
    ]
    nbformat.write(nb, notebooks / "lesson.ipynb")
    out = tmp_path / "site"
    build(out, "--notebooks", notebooks, "--student-edition", "--wheels", tiny_wheel(tmp_path), "--cdn")

    copy = read_notebook(out / "files" / "lesson.ipynb")
    assert [c.get("id") for c in copy["cells"]] == [LITE_INSTALL_TAG, "q", "p"]
    assert copy["cells"][2]["outputs"] == []
    assert copy["metadata"]["kernelspec"]["name"] == "python"
    index = json.loads((out / "pypi" / "all.json").read_text(encoding="utf-8"))
    assert {"aleppo2016", "tiny-extra"} <= set(index)
    kernel = lite_config(out)["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert "pyodideUrl" not in kernel and "disablePyPIFallback" not in kernel
    assert not (out / "static" / "pyodide").exists()


def test_a_release_that_does_not_match_the_lock_is_refused(tmp_path: Path) -> None:
    """--pyodide with a release tarball: its lock is checked against the pinned sha256 before anything is used."""
    release = fake_release(tmp_path)
    with pytest.raises(SystemExit, match="does not match the pinned sha256"):
        OFFLINE.assemble_pyodide([OFFLINE.ArchiveSource(release, "pyodide/")], tmp_path / "bad")
    assert not (tmp_path / "bad").exists()
    done = subprocess.run([LITE_PYTHON, str(SCRIPT), "--out", str(tmp_path / "site"), "--pyodide", str(release),
                           "--cache", str(tmp_path / "cache")], capture_output=True, text=True, timeout=600)
    assert done.returncode != 0 and "refused" in done.stderr, done.stdout + done.stderr
    assert not (tmp_path / "site").exists()
    # a Pyodide folder given with --pyodide is checked too: one that is not exactly the verified files is refused
    folder = tmp_path / "pyodide"
    folder.mkdir()
    (folder / "pyodide.js").write_text("\n")
    with pytest.raises(SystemExit, match="whose every file matches"):
        load_script().local_pyodide(str(folder), tmp_path / "cache")


def test_pyodide_is_verified_against_its_lock(site: Path, tmp_path: Path) -> None:
    """The site's wheels match pyodide-lock.json's sha256; one changed byte in a source and nothing is written."""
    pyodide = site / "static" / "pyodide"
    lock = json.loads((pyodide / "pyodide-lock.json").read_text(encoding="utf-8"))
    by_file = {p["file_name"]: p["sha256"] for p in lock["packages"].values()}
    wheels = sorted(p.name for p in pyodide.glob("*.whl"))
    assert {"pandas", "matplotlib", "numpy", "micropip", "ipython"} <= {n.split("-")[0] for n in wheels}
    for name in wheels:
        assert OFFLINE._sha256((pyodide / name).read_bytes()) == by_file[name], name

    # A source whose copy of one wheel has one byte changed: refused, nothing written.
    data = (pyodide / wheels[0]).read_bytes()
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(tampered, "w") as copy:
        copy.writestr(OFFLINE.WHEEL_SOURCE_FOLDER + wheels[0], data[:-1] + bytes([data[-1] ^ 1]))
    chain = [OFFLINE.NpmSource(OFFLINE_CACHE / "downloads"),
             OFFLINE.ArchiveSource(tampered, OFFLINE.WHEEL_SOURCE_FOLDER, skip={"pyodide-lock.json"})]
    with pytest.raises(SystemExit, match="does not match pyodide-lock.json"):
        OFFLINE.assemble_pyodide(chain, tmp_path / "bad")
    assert not (tmp_path / "bad").exists()
    # A cached copy with one file changed is not taken as verified: the next build assembles it again.
    cached = tmp_path / "cached"
    shutil.copytree(pyodide, cached)
    assert OFFLINE.verified(cached)
    (cached / wheels[0]).write_bytes(b"changed")
    assert not OFFLINE.verified(cached)


def load_script():
    """tools/build_lite.py as a module, to call its checks without a build."""
    return _load(SCRIPT, "build_lite_script")


def test_an_earlier_site_is_replaced_and_other_folders_refused(tmp_path: Path) -> None:
    script = load_script()
    out = tmp_path / "_output"
    (out / "files").mkdir(parents=True)
    (out / "jupyter-lite.json").write_text("{}")
    (out / "files" / "deleted_since.ipynb").write_text("{}")
    built = tmp_path / "new"
    (built / "files").mkdir(parents=True)
    (built / "jupyter-lite.json").write_text("{}")
    script._replace_output(built, out)
    assert not (out / "files" / "deleted_since.ipynb").exists() and (out / "jupyter-lite.json").is_file()

    other = tmp_path / "homework"
    other.mkdir()
    (other / "essay.txt").write_text("mine")
    with pytest.raises(SystemExit, match="not a JupyterLite site"):
        script.build_site(other)  # refused before anything is built
    assert (other / "essay.txt").read_text() == "mine"
    with pytest.raises(SystemExit, match="No notebooks"):
        script.build_site(tmp_path / "x", notebooks=tmp_path / "empty")


# --- every notebook in a real Pyodide kernel, in Chromium, offline -----------------

#: What the status bar says once the Pyodide kernel has started and waits.
LITE_IDLE = f"{LITE_KERNELSPEC['display_name']} | Idle"
FONT_CACHE_NOTE = "Matplotlib is building the font cache"
#: The notebook whose "Save my work" is pressed (with the question answered in it).
SAVE_IN = "02_timeline.ipynb"
#: No name resolves but 127.0.0.1's, for the page, its workers and the browser itself.
OFFLINE_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


@dataclass
class LiteSite:
    """The site on a loopback web server, shaped like lab.LabServer for lab.Notebook."""

    base: str
    kernel_idle: str = LITE_IDLE

    def url(self, notebook: str) -> str:
        return f"{self.base}/lab/index.html?path={notebook}"

    def log_tail(self, lines: int = 15) -> str:
        return "(python -m http.server keeps no log)"


def _serve(site: Path) -> Iterator[str]:
    """The site on http://127.0.0.1:PORT, served by Python's own web server, stopped afterwards."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", "--directory", str(site), str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"python -m http.server did not start on port {port}")
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


class LiteBrowser:
    """One Chromium page on the served site, every request to another host aborted (and recorded).

    tests/browser keeps its own Playwright open for the whole session, and Playwright's
    sync API refuses a second one in the same thread: everything here runs in one
    thread of its own (`call`).
    """

    def __init__(self, url: str):
        self.site = LiteSite(url)
        self.outside: list[str] = []
        self.failed: list[str] = []  # loopback responses with an error status (a file missing from the site)
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        self.call(LiteBrowser._start)

    def call(self, function: Any, *args: Any) -> Any:
        return self.pool.submit(function, self, *args).result()

    def _start(self) -> None:
        from playwright.sync_api import expect, sync_playwright

        expect.set_options(timeout=lab.TIMEOUT_MS)  # each change goes to the Pyodide kernel and back
        self.playwright = sync_playwright().start()
        self.browser = self.playwright.chromium.launch(executable_path=str(lab.CHROMIUM),
                                                       args=[*lab.CHROMIUM_ARGS, *OFFLINE_ARGS])
        self.context = self.browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        self.context.set_default_timeout(lab.TIMEOUT_MS)
        self.context.route("**/*", self._only_this_machine)
        self.page = None

    def new_page(self) -> None:
        """A new page for the next notebook, in the same context (the browser's cache stays warm).

        Navigating the old page to the next notebook instead left its kernel at "Unknown":
        the new Pyodide worker never started while the old one was torn down.
        """
        if self.page is not None:
            self.page.close()
        self.page = self.context.new_page()
        self.page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        self.console = lab.ConsoleLog()
        self.console.attach(self.page)

    def _only_this_machine(self, route: Any) -> None:
        if route.request.url.startswith(self.site.base + "/"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def close(self) -> None:
        def stop(self: LiteBrowser) -> None:
            self.browser.close()
            self.playwright.stop()
        self.call(stop)
        self.pool.shutdown()


@pytest.fixture(scope="module")
def lite_browser(site: Path) -> Iterator[LiteBrowser]:
    """The site as `make lite` builds it, served on loopback, in one Chromium for all the notebooks."""
    problem = lab.browser_problem()
    if problem:
        if lab.browser_required():
            pytest.fail(f"{lab.REQUIRE_ENV}=1, so this is a failure, not a skip. {problem}")
        pytest.skip(problem)
    for url in _serve(site):
        browser = LiteBrowser(url)
        try:
            yield browser
        finally:
            browser.close()


def _makes(name: str, pattern: str) -> bool:
    import re

    return any(re.search(pattern, "".join(c["source"])) for c in read_notebook(ROOT / "notebooks" / name)["cells"]
               if c["cell_type"] == "code" and not is_solution(c))


def _answer_a_question(nb: Any) -> str:
    """Answer the notebook's first choice question (or a numeric one) and press Check; return its feedback."""
    from playwright.sync_api import expect

    questions = nb.page.locator(".jp-Notebook .aleppo2016-question")
    for i in range(questions.count()):
        question = questions.nth(i)
        choice = question.get_by_role("radio").or_(question.get_by_role("checkbox")).first
        if choice.count():
            choice.check()
            break
        box = question.locator("input[type='text'], input[type='number']").first
        if box.count():
            box.fill("1")
            break
    else:
        raise AssertionError(f"{nb.name}: no question with choices or a number box to answer")
    question.scroll_into_view_if_needed()
    question.get_by_role("button", name="Check").click()
    status = question.locator('[role="status"]').first
    expect(status).not_to_be_empty()
    return status.inner_text()


def _change_an_explorer(nb: Any) -> None:
    """Press the first explorer's first button that is not pressed yet; its view must change."""
    explorer = nb.page.locator(".jp-Notebook .aleppo2016-explorer").first
    explorer.scroll_into_view_if_needed()
    before = explorer.inner_html()
    control = explorer.locator(".widget-toggle-button:not(.mod-active)").or_(
        explorer.locator("input[type='checkbox']")).first
    control.click()
    nb.page.wait_for_function("([el, before]) => el.innerHTML !== before",
                              arg=[explorer.element_handle(), before], timeout=lab.TIMEOUT_MS)


def _actor_box_applies_on_enter(nb: Any) -> None:
    """The timeline explorer's Actor box: type a name, press Enter, the listing changes to that actor."""
    from playwright.sync_api import expect

    from aleppo2016.widgets import TimelineExplorer

    model = TimelineExplorer()
    explorer = nb.page.locator(".jp-Notebook .aleppo2016-explorer").first
    box = explorer.locator("input[list]").first
    box.scroll_into_view_if_needed()
    listing = explorer.inner_text()
    actor_id, name = "churkin", model.actor_names["churkin"]
    box.click()
    nb.page.keyboard.type(name.lower()[:-1])  # typed, not picked: any case will do, nothing applies yet
    nb.page.keyboard.type(name.lower()[-1])
    nb.page.keyboard.press("Enter")
    model.actor = actor_id
    expect(box).to_have_value(name)  # the kernel applied it and shows the name as it spells it
    expect(explorer).to_contain_text(model.message)
    assert explorer.inner_text() != listing


def _save_my_work(nb: Any, folder: Path) -> Path:
    """Type a name in "Save my work", press it: the file shows in the site's file browser and downloads."""
    from playwright.sync_api import expect

    box = nb.page.locator(".jp-Notebook .aleppo2016-save").last
    box.scroll_into_view_if_needed()
    box.get_by_role("textbox").fill("Amal H.")
    box.get_by_role("button", name="Save my work").click()
    status = box.locator('[role="status"]')
    expect(status).to_contain_text("1 question answered")
    stem = nb.name.removesuffix(".ipynb")
    # written next to the notebook too: the site's own file browser shows it
    expect(nb.page.locator(".jp-DirListing-item", has_text=f"aleppo2016-{stem}-Amal_H.json")).to_be_visible()
    with nb.page.expect_download() as info:
        status.locator("a[download]").click()
    saved = folder / info.value.suggested_filename
    info.value.save_as(saved)
    return saved


def _run_in_lite(browser: LiteBrowser, name: str, save_to: Path | None = None) -> dict[str, Any]:
    """Open `name` in the Lite site, Run All, check it, answer a question, change an explorer."""
    browser.new_page()
    failed_before = len(browser.failed)
    start = time.monotonic()
    nb = lab.Notebook(browser.page, browser.site, name, browser.console).open()
    ready = time.monotonic() - start
    nb.run_all()
    report = nb.report(time.monotonic() - start)
    texts = nb.page.locator(".jp-Notebook .jp-OutputArea-output").all_inner_texts()
    done: dict[str, Any] = {"report": report, "ready": ready, "font_cache": [t for t in texts if FONT_CACHE_NOTE in t]}
    if report.questions:
        done["feedback"] = _answer_a_question(nb)
    if report.explorers:
        if _makes(name, r"\bTimelineExplorer\b"):
            _actor_box_applies_on_enter(nb)
        else:
            _change_an_explorer(nb)
        done["explorer_changed"] = True
    if save_to and done.get("feedback"):
        done["saved"] = _save_my_work(nb, save_to)
    report.screenshot = nb.screenshot(f"lite/{name.removesuffix('.ipynb')}")
    done["failed"] = browser.failed[failed_before:]
    return done


@pytest.mark.browser
@pytest.mark.parametrize("name", [p.name for p in NOTEBOOKS])
def test_notebook_runs_offline_in_the_pyodide_kernel(lite_browser: LiteBrowser, name: str, tmp_path: Path) -> None:
    """Run All in the real Pyodide kernel: no error or warning, widgets drawn, a question and an explorer answer.

    In the timeline notebook the Actor box must apply a name on Enter, and "Save my work" must save.
    """
    save = name == SAVE_IN
    done = lite_browser.call(_run_in_lite, name, tmp_path if save else None)
    report = done["report"]
    problems = report.problems()
    assert not problems, (f"{name} in JupyterLite ({report.seconds:.0f} s):\n  " + "\n  ".join(problems)
                          + "".join(f"\n  (response {r})" for r in done["failed"]))
    assert not done["font_cache"], f"{name}: an output says {done['font_cache'][0]!r}: prepare_lite() should build it"
    assert not done["failed"], f"{name}: the site lacks {done['failed'][:5]}"
    assert not lite_browser.outside, f"the site asked other hosts: {lite_browser.outside[:5]}"
    if _makes(name, r"\b(TimelineExplorer|FiguresExplorer|VoicesBrowser|ClaimsComparer)\b"):
        assert done.get("explorer_changed"), f"{name} makes an explorer, but none was drawn"
    if _makes(name, r"\bquiz\.questions?\b"):
        assert done.get("feedback"), f"{name} asks questions, but none was answered"
    assert report.screenshot is not None and report.screenshot.stat().st_size > 10_000
    if save:
        from aleppo2016 import handin

        work = handin.read(done["saved"])  # a valid hand-in file: format, version, checksum
        assert work.name == "Amal H." and work.notebooks == (SAVE_IN.removesuffix(".ipynb"),)
        answered = [r for r in work.records if r["attempts"]]
        assert len(answered) == 1, work.records  # the one question answered above, and only it
