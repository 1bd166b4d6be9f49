"""The JupyterLite site (make lite): every notebook, the module's wheel, the Pyodide kernel.

The site is built once for this file (about 10 s, no network: jupyter lite
build works offline). The first browser test opens a notebook in a real Chromium:
the Pyodide kernel must be the notebook's kernel with no "Select Kernel"
dialog (that site loads Pyodide from its CDN, so its kernel does not start here).
The last test builds the offline site (tools/offline_lite.py: Pyodide 0.27.7
from npm, its wheels checked against pyodide-lock.json; downloaded once into
.cache/) and runs a real kernel in Chromium with every request to another host
refused: install cell, a question answered, "Save my work", the downloaded file.
"""
from __future__ import annotations

import concurrent.futures
import importlib.util
import io
import json
import os
import socket
import subprocess
import sys
import tarfile
import time
import zipfile
from collections.abc import Iterator
from typing import Any
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest itself needs tomli on 3.10 to read pyproject.toml
    import tomli as tomllib

from aleppo2016.delivery import LITE_INSTALL_TAG, LITE_KERNELSPEC, SOLUTION_TAG, is_solution, read_notebook, student_edition

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tools" / "build_lite.py"
OFFLINE_SCRIPT = ROOT / "tools" / "offline_lite.py"
#: Pyodide and the widget wheels for the offline site; the downloads (npm, PyPI) are kept here between runs.
OFFLINE_CACHE = ROOT / ".cache" / "offline-lite"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"  # kept by CI, beside the browser tests' own
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
DATA_FILES = sorted(
    p.relative_to(ROOT / "src").as_posix()
    for p in (ROOT / "src" / "aleppo2016" / "data").iterdir()
    if p.suffix in (".csv", ".json")
)


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
    `make test` and CI (ALEPPO2016_LITE_PYTHON is set), where a missing one is a failure."""
    if _MISSING:
        if os.environ.get("ALEPPO2016_LITE_PYTHON"):
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
    assert "pyodideUrl" not in lite_config(site)["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]


def tiny_wheel(folder: Path) -> Path:
    """A minimal pure-Python wheel, standing in for ipywidgets on an offline build."""
    path = folder / "tiny_extra-1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as whl:
        whl.writestr("tiny_extra/__init__.py", "")
        whl.writestr("tiny_extra-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: tiny-extra\nVersion: 1.0\n")
        whl.writestr("tiny_extra-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        whl.writestr("tiny_extra-1.0.dist-info/RECORD", "")
    return path


def fake_pyodide(folder: Path) -> Path:
    """A tarball laid out like a Pyodide release (only the files the build checks for)."""
    path = folder / "pyodide-0.0.0.tar.bz2"
    with tarfile.open(path, "w:bz2") as tar:
        for name, text in (("pyodide/pyodide.js", "\n"), ("pyodide/pyodide-lock.json", "{}\n")):
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_offline_student_build_with_local_pyodide_and_extra_wheels(tmp_path: Path) -> None:
    """The README's offline recipe: --pyodide, --wheels and --student-edition."""
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
    build(out, "--notebooks", notebooks, "--student-edition", "--wheels", tiny_wheel(tmp_path),
          "--pyodide", fake_pyodide(tmp_path))

    copy = read_notebook(out / "files" / "lesson.ipynb")
    assert [c.get("id") for c in copy["cells"]] == [LITE_INSTALL_TAG, "q", "p"]
    assert copy["cells"][2]["outputs"] == []
    assert copy["metadata"]["kernelspec"]["name"] == "python"
    index = json.loads((out / "pypi" / "all.json").read_text(encoding="utf-8"))
    assert {"aleppo2016", "tiny-extra"} <= set(index)
    kernel = lite_config(out)["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel["pyodideUrl"] == "./static/pyodide/pyodide.js"
    assert (out / "static" / "pyodide" / "pyodide-lock.json").is_file()



def load_script():
    """tools/build_lite.py as a module, to call its checks without a build."""
    spec = importlib.util.spec_from_file_location("build_lite_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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


# --- in a real browser ---------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def browser_missing() -> str | None:
    """Why the browser test cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed: pip install -e '.[test]'"
    if not os.access(CHROMIUM, os.X_OK):
        return f"no Chromium at {CHROMIUM}: on Debian or Ubuntu, apt-get install chromium"
    return None


@pytest.fixture
def served_site(site: Path) -> Iterator[str]:
    """The site on http://127.0.0.1:PORT, served by Python's own web server, stopped afterwards."""
    yield from _serve(site)


def _serve(site: Path) -> Iterator[str]:
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


@pytest.mark.browser
def test_notebook_opens_with_the_pyodide_kernel_and_no_kernel_dialog(served_site: str) -> None:
    reason = browser_missing()
    if reason:
        if os.environ.get("ALEPPO2016_REQUIRE_BROWSER") == "1":
            pytest.fail(f"ALEPPO2016_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    # The browser tests in tests/browser keep their own Playwright open for the whole
    # session, and Playwright's sync API refuses to start a second one in the same
    # thread: this check runs in a thread of its own.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_open_in_chromium, served_site).result()


def _open_in_chromium(served_site: str) -> None:
    from playwright.sync_api import sync_playwright

    start = NOTEBOOKS[0].name
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(f"{served_site}/lab/index.html?path={start}")
            panel = page.locator(".jp-NotebookPanel").first
            panel.locator(".jp-Cell").first.wait_for(timeout=90_000)
            kernel_name = panel.locator(".jp-Toolbar-kernelName")
            # JupyterLab either picks the notebook's kernel by itself (its name shows in the
            # toolbar) or asks with a "Select Kernel" dialog: wait for whichever comes first.
            chosen = panel.locator(".jp-Toolbar-kernelName", has_text=LITE_KERNELSPEC["display_name"])
            dialogs = page.locator(".jp-Dialog")
            chosen.or_(dialogs).first.wait_for(timeout=90_000)
            assert dialogs.count() == 0, f"a dialog opened: {dialogs.first.inner_text()[:300]}"
            assert kernel_name.inner_text().strip() == LITE_KERNELSPEC["display_name"]
            status = page.locator("#jp-main-statusbar").inner_text()
            assert LITE_KERNELSPEC["display_name"] in status
            assert "No Kernel" not in status
            tab = page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current").first.inner_text()
            assert start in tab
            first_cell = panel.locator(".jp-Cell").first.inner_text()
            assert "%pip install -q aleppo2016" in first_cell
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "lite_00_start_here.png"))
        finally:
            browser.close()


# --- a real kernel: the offline site, "Save my work" ----------------------------

SAVE_CODE = [
    'from aleppo2016 import handin, quiz; q = quiz.question("02_timeline", "friday_date"); q',
    'handin.save_button("02_timeline")',
]


@pytest.fixture(scope="module")
def offline_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site as the README's offline recipe builds it: its own verified Pyodide, the widget wheels, no PyPI."""
    done = subprocess.run([LITE_PYTHON, str(OFFLINE_SCRIPT), "--out", str(OFFLINE_CACHE)],
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    out = tmp_path_factory.mktemp("lite-offline") / "_output"
    build(out, "--pyodide", OFFLINE_CACHE / "pyodide", "--wheels", OFFLINE_CACHE / "wheels")
    kernel = lite_config(out)["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel["disablePyPIFallback"] is True and kernel["pyodideUrl"] == "./static/pyodide/pyodide.js"
    return out


def test_offline_pyodide_is_verified_against_its_lock(tmp_path: Path) -> None:
    """Every wheel copied matches pyodide-lock.json's sha256; one changed byte and nothing is written."""
    spec = importlib.util.spec_from_file_location("offline_lite_script", OFFLINE_SCRIPT)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    npm, source = tool.fetch(OFFLINE_CACHE / "downloads")
    names = tool.assemble_pyodide(npm, source, tmp_path / "good")
    lock = json.loads((tmp_path / "good" / "pyodide-lock.json").read_text(encoding="utf-8"))
    by_file = {p["file_name"]: p["sha256"] for p in lock["packages"].values()}
    assert {"pandas", "matplotlib", "numpy", "micropip", "ipython"} <= {n.split("-")[0] for n in names}
    for name in names:
        assert tool._sha256((tmp_path / "good" / name).read_bytes()) == by_file[name], name

    tampered = tmp_path / source.name
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(tampered, "w") as copy:
        for item in original.infolist():
            data = original.read(item)
            if item.filename.endswith("/" + names[0]):
                data = data[:-1] + bytes([data[-1] ^ 1])
            copy.writestr(item, data)
    with pytest.raises(SystemExit, match="does not match pyodide-lock.json"):
        tool.assemble_pyodide(npm, tampered, tmp_path / "bad")
    assert not (tmp_path / "bad").exists()


@pytest.mark.browser
def test_save_my_work_in_a_running_offline_lite_kernel(offline_site: Path, tmp_path: Path) -> None:
    reason = browser_missing()
    if reason:
        if os.environ.get("ALEPPO2016_REQUIRE_BROWSER") == "1":
            pytest.fail(f"ALEPPO2016_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    for url in _serve(offline_site):
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:  # see the test above
            pool.submit(_save_in_lite, url, tmp_path).result()


def _save_in_lite(url: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    from aleppo2016 import handin, quiz

    spec = {q["id"]: q for q in quiz.load_questions()["02_timeline"]}["friday_date"]
    right = next(c["text"] for c in spec["choices"] if c["correct"])
    outside: list[str] = []

    def only_this_machine(route: Any) -> None:
        if route.request.url.startswith("http://127.0.0.1:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    with sync_playwright() as p:
        # No name resolves but 127.0.0.1's, for the page, its workers and the browser itself.
        browser = p.chromium.launch(executable_path=CHROMIUM,
                                    args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
            context.route("**/*", only_this_machine)
            page = context.new_page()
            page.goto(f"{url}/lab/index.html?path=02_timeline.ipynb")
            panel = page.locator(".jp-NotebookPanel").first
            cells = panel.locator(".jp-Cell")
            cells.first.wait_for(timeout=90_000)
            # Run nothing before the session has its kernel: JupyterLab would ask which one.
            expect(panel.locator(".jp-Toolbar-kernelName")).to_have_text(LITE_KERNELSPEC["display_name"], timeout=90_000)
            # Run the install cell, then add the question and "Save my work" below it.
            cells.first.locator(".jp-InputArea-editor").click()
            page.keyboard.press("Shift+Enter")
            expect(cells.first.locator(".jp-InputPrompt")).to_contain_text("[1]", timeout=240_000)
            assert page.locator(".jp-Dialog").count() == 0
            assert "Error" not in cells.first.locator(".jp-OutputArea").inner_text()
            for index, code in enumerate(SAVE_CODE, start=1):
                count = cells.count()
                page.keyboard.press("Escape")
                cells.nth(index - 1).locator(".jp-InputPrompt").click()
                page.keyboard.press("b")  # a new cell below, selected
                expect(cells).to_have_count(count + 1)
                page.keyboard.press("Enter")  # edit it
                expect(cells.nth(index).locator(".jp-InputArea-editor .cm-content")).to_be_focused()
                page.keyboard.insert_text(code)
                page.keyboard.press("Shift+Enter")
            question = panel.locator(".aleppo2016-question").first
            expect(question).to_be_visible(timeout=120_000)
            question.get_by_role("checkbox", name=right).check()
            question.get_by_role("button", name="Check").click()
            expect(question.locator('[role="status"]').first).to_be_visible(timeout=60_000)

            box = panel.locator(".aleppo2016-save").first
            expect(box).to_be_visible(timeout=60_000)
            box.get_by_role("textbox").fill("Amal H.")
            box.get_by_role("button", name="Save my work").click()
            status = box.locator('[role="status"]')
            expect(status).to_contain_text("1 question answered, 1 right", timeout=60_000)
            # written next to the notebook too: the site's own file browser shows it
            expect(page.locator(".jp-DirListing-item", has_text="aleppo2016-02_timeline-Amal_H.json")).to_be_visible()
            with page.expect_download() as info:
                status.locator("a[download]").click()
            download = info.value
            assert download.suggested_filename == "aleppo2016-02_timeline-Amal_H.json"
            saved = tmp_path / download.suggested_filename
            download.save_as(saved)
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "lite_save_my_work.png"))
        finally:
            browser.close()
    work = handin.read(saved)  # a valid hand-in file: format, version, checksum
    assert work.name == "Amal H." and work.notebooks == ("02_timeline",)
    records = {r["id"]: r for r in work.records}
    assert records["friday_date"]["correct"] is True
    assert records["friday_date"]["attempts"][0]["answer"] == right
    assert not outside, f"the offline site asked other hosts: {outside[:5]}"
