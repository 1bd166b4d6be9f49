"""Drive JupyterLab in a real Chromium the way a student does: open, wait, run all, look.

nbval and nbclient never render a widget, so they cannot see "Error displaying
widget", a slider shown as the text ``IntSlider(value=0)`` or an explorer that
fell back to its static HTML. These helpers look at what JupyterLab really
draws. The selectors were checked against JupyterLab 4.6 with ipywidgets 8.1
(see the docstrings); ``tests/browser/README.md`` lists them.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
ARTIFACTS = REPO / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
#: The classroom settings (no news pop-up ...), installed into the environment by the Makefile.
CLASSROOM_SETTINGS = REPO / "jupyter" / "overrides.json"

#: Debian's Chromium; ALEPPO2016_CHROMIUM points elsewhere (another distribution, or a test of the skip message).
CHROMIUM = Path(os.environ.get("ALEPPO2016_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",  # root in a container: the sandbox cannot start
    "--disable-gpu",
    "--no-first-run",
    # Without these Chromium keeps trying Google's servers and logs refused connections.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_HINT = (
    "Install Debian's Chromium with `apt-get install -y --no-install-recommends chromium` "
    "(and `pip install -e '.[test]'` for playwright); CI sets ALEPPO2016_REQUIRE_BROWSER=1 "
    "so that a missing browser fails there instead of skipping."
)
REQUIRE_ENV = "ALEPPO2016_REQUIRE_BROWSER"

#: What the status bar says once the notebook's kernel has started and is waiting.
KERNEL_IDLE = "Python 3 (ipykernel) | Idle"
#: Slow machines (and CI runners shared with other jobs) need generous waits.
TIMEOUT_MS = int(os.environ.get("ALEPPO2016_BROWSER_TIMEOUT", "180")) * 1000

#: A widget that reached the page only as its text repr: ``IntSlider(value=0)``, ``VBox(children=...``.
PLAIN_TEXT_WIDGET = re.compile(
    r"^\s*(VBox|HBox|Box|GridBox|Tab|Accordion|Output|Button|Checkbox|Dropdown|Select\w*|Radio\w*|"
    r"Toggle\w*|\w*Slider|Text|Textarea|HTML|Image|Label|\w+Explorer|\w+Browser|\w+Comparer|"
    r"\w+Question|MultipleChoice|MultipleSelect|Quiz|Score|interactive)\("
)


def browser_problem() -> str | None:
    """Why no browser test can run here, or None when Chromium and playwright are both present."""
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} is missing")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the Python package playwright is missing")
    if not missing:
        return None
    return f"Browser tests cannot run: {' and '.join(missing)}. {INSTALL_HINT}"


def require_browser() -> None:
    """Skip the calling test where the browser cannot run; fail it instead under ALEPPO2016_REQUIRE_BROWSER=1."""
    import pytest

    problem = browser_problem()
    if problem is None:
        return
    if browser_required():
        pytest.fail(f"{REQUIRE_ENV} is set, so this is a failure, not a skip. {problem}", pytrace=False)
    pytest.skip(problem)


def browser_required() -> bool:
    """True in CI, where a missing browser must fail the run rather than skip it."""
    return os.environ.get(REQUIRE_ENV, "").strip() not in ("", "0", "false", "no")


# --------------------------------------------------------------------------
# The JupyterLab server
# --------------------------------------------------------------------------

@dataclass
class LabServer:
    """A running ``jupyter lab`` serving a throw-away copy of the notebooks."""

    root: Path
    port: int
    token: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, notebook: str) -> str:
        """The notebook's address in a new, empty JupyterLab workspace.

        Trap: the server remembers each workspace's open tabs, even across fresh
        browser contexts, so /lab/tree/B after /lab/tree/A reopens A as well and
        its cells (hidden behind B's tab) are found first. A workspace of its own
        for every page avoids that.
        """
        workspace = "t" + secrets.token_hex(6)
        return f"{self.base}/lab/workspaces/{workspace}/tree/{notebook}?token={self.token}"

    def api(self, method: str, path: str) -> Any:
        """Call the server's REST API (for housekeeping such as shutting kernels down)."""
        request = urllib.request.Request(f"{self.base}{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """End every notebook session, so the next test starts from a fresh kernel."""
        for session in self.api("GET", "/api/sessions") or []:
            try:
                self.api("DELETE", f"/api/sessions/{session['id']}")
            except urllib.error.HTTPError:
                pass  # already gone

    def log_tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def isolated_env(home: Path) -> dict[str, str]:
    """The environment for the server: a temporary HOME, so nothing of the user's is read or written.

    Jupyter, IPython, matplotlib and Chromium all write under HOME. The
    environment's own share/jupyter (lab extensions, kernels) stays on the
    search path because it is found through sys.prefix, not HOME.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JUPYTERLAB", "IPYTHON"))}
    dirs = {
        "HOME": home,
        "JUPYTER_CONFIG_DIR": home / ".jupyter",
        "JUPYTER_DATA_DIR": home / ".local/share/jupyter",
        "JUPYTER_RUNTIME_DIR": home / ".local/share/jupyter/runtime",
        "IPYTHONDIR": home / ".ipython",
        "MPLCONFIGDIR": home / ".config/matplotlib",
        "XDG_CACHE_HOME": home / ".cache",
        "XDG_CONFIG_HOME": home / ".config",
    }
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    startup = dirs["IPYTHONDIR"] / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-aleppo2016-font-probe.py").write_text(FONT_PROBE)
    env.update({k: str(v) for k, v in dirs.items()})
    env["PYTHONUNBUFFERED"] = "1"
    return env


#: An IPython start-up file for the test kernels only: every chart drawn inline (matplotlib's
#: PNG through IPython) carries its smallest text size in points as PNG metadata
#: ("Smallest-Font-Pt"), so the browser tests can work out the size of that text on screen.
#: It changes no pixel. Charts drawn by widgets carry their own (see test_screen_sizes.py).
FONT_PROBE = """\
def _aleppo2016_font_probe():
    from IPython.core import pylabtools

    plain = pylabtools.print_figure

    def print_figure(fig, fmt="png", *args, **kwargs):
        if fmt == "png" and "metadata" not in kwargs:
            from matplotlib.text import Text

            sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
            if sizes:
                kwargs["metadata"] = {"Smallest-Font-Pt": f"{min(sizes):g}"}
        return plain(fig, fmt, *args, **kwargs)

    pylabtools.print_figure = print_figure


_aleppo2016_font_probe()
del _aleppo2016_font_probe
"""


def classroom_settings_dir(work: Path) -> Path:
    """A JupyterLab app settings folder holding the classroom overrides.json.

    It starts from the environment's own settings folder (what `make lab`
    installed) and lays the repository's jupyter/overrides.json over it, so the
    tests see the classroom settings even in an environment installed with a
    plain `pip install`. A `static` link next to it keeps JupyterLab's lookup of
    the built application (``dirname(app_settings_dir)/static``) working.
    """
    app_dir = Path(sys.prefix) / "share" / "jupyter" / "lab"
    target = work / "lab-app"
    settings = target / "settings"
    settings.mkdir(parents=True, exist_ok=True)
    overrides: dict[str, Any] = {}
    if (app_dir / "settings").is_dir():
        for item in (app_dir / "settings").iterdir():
            if item.is_file():
                shutil.copy2(item, settings / item.name)
        if (settings / "overrides.json").exists():
            overrides = json.loads((settings / "overrides.json").read_text())
    if CLASSROOM_SETTINGS.exists():
        for plugin, values in json.loads(CLASSROOM_SETTINGS.read_text()).items():
            overrides.setdefault(plugin, {}).update(values)
    (settings / "overrides.json").write_text(json.dumps(overrides, indent=2))
    if (app_dir / "static").exists() and not (target / "static").exists():
        (target / "static").symlink_to(app_dir / "static")
    return settings


def start_lab(notebooks: Path, work: Path, timeout: float = 120.0) -> LabServer:
    """Copy `notebooks` into `work` and start JupyterLab there; return once it answers.

    The copy matters: JupyterLab autosaves an open notebook after 120 s, which
    would write this run's outputs over the committed notebooks.
    """
    root = work / "notebooks"
    shutil.copytree(notebooks, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    env = isolated_env(work / "home")
    port, token = _free_port(), secrets.token_hex(24)
    log = work / "jupyter-lab.log"
    cmd = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",  # the successor of --ServerApp.token (deprecated in jupyter_server 2)
        f"--ServerApp.root_dir={root}",
        f"--LabApp.app_settings_dir={classroom_settings_dir(work)}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # containers and CI runners often run as root
    with log.open("wb") as out:
        process = subprocess.Popen(cmd, env=env, cwd=root, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    return wait_until_answering(LabServer(root=root, port=port, token=token, process=process, log=log), timeout)


def wait_until_answering(server: LabServer, timeout: float = 120.0) -> LabServer:
    """Return `server` once its REST API answers; stop it and raise if it exits or stays silent."""
    wait_for_server(server.process, lambda: server.api("GET", "/api/status"), "jupyter lab", server.log_tail,
                    lambda: stop_lab(server), timeout)
    return server


def wait_for_server(process: subprocess.Popen, probe: Callable[[], object], what: str, log_tail: Callable[[], str],
                    stop: Callable[[], None], timeout: float, interval: float = 0.2) -> None:
    """Return once `probe()` gets an answer from the server `process` runs; if the process exits or
    time runs out, `stop()` it and raise with the end of its log."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with code {process.returncode} before it answered:\n{log_tail()}")
        try:
            probe()
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            if time.monotonic() > deadline:
                stop()
                raise RuntimeError(f"{what} did not answer within {timeout:.0f} s:\n{log_tail()}")
            time.sleep(interval)


def stop_lab(server: LabServer) -> None:
    """Stop the server and its kernels: terminate, then kill whatever is left of its process group."""
    try:
        server.shutdown_kernels()
    except Exception:
        pass  # the server may already be gone; the signals below still clean up
    process = server.process
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)
    # Kernels run in sessions of their own; the API call above and the server's own
    # shutdown end them, and ipykernel exits by itself if its parent is killed.
    try:  # anything else the server started stays in its process group (start_new_session=True)
        os.killpg(process.pid, 9)
    except (ProcessLookupError, PermissionError):
        pass


# --------------------------------------------------------------------------
# One page: console errors, opening, running, inspecting
# --------------------------------------------------------------------------

@dataclass
class ConsoleLog:
    """Console messages of type error and uncaught page errors, as a student's browser would log them."""

    errors: list[str] = field(default_factory=list)

    def attach(self, page: Any) -> None:
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))


#: Console errors that are understood and harmless. Each needs a reason.
# Console errors that are understood and harmless, each with the reason. Empty:
# the one there was (JupyterLite's Pyodide lab extension, installed by the test
# extra to build the JupyterLite site) is switched off by jupyter/page_config.json.
BENIGN_CONSOLE_ERRORS: list[tuple[re.Pattern[str], str]] = []


def unexpected_console_errors(errors: list[str]) -> list[str]:
    """The console errors that are not on the allow-list above."""
    return [e for e in errors if not any(p.search(e) for p, _ in BENIGN_CONSOLE_ERRORS)]


# JavaScript run in the page. One notebook is open per page, so document-wide queries are safe.
_RUN_STATE_JS = r"""
() => {
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-CodeCell')];
  const state = cells.map((cell, i) => {
    const prompt = (cell.querySelector('.jp-InputPrompt')?.textContent || '').trim();
    const source = (cell.querySelector('.cm-content')?.textContent || '').trim();
    return {index: i, prompt, empty: source === ''};
  });
  const status = [...document.querySelectorAll('#jp-main-statusbar .jp-StatusBar-TextItem')]
    .map(e => e.textContent.trim()).find(t => t.includes('|')) || '';
  return {cells: state, status};
}
"""

# An output that will hold a widget view says "Loading widget..." until the view is drawn or fails
# (it fails a few seconds later with "Error displaying widget: model not found").
_PENDING_WIDGETS_JS = r"""
() => [...document.querySelectorAll('.jp-Notebook .jp-OutputArea-output.lm-Panel')]
        .filter(o => o.children.length === 0 && /^(Loading widget\.*)?$/.test((o.textContent || '').trim())).length
"""

_PROBLEMS_JS = r"""
(plainWidget) => {
  const re = new RegExp(plainWidget);
  const traceback = /Traceback \(most recent call last\)|^\w*(Error|Exception|Interrupt)\b.*:/m;
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
  const out = {errors: [], stderr: [], widgetErrors: [], plainTextWidgets: [], staticFallbacks: [],
               widgets: 0, explorers: 0, questions: 0, images: 0};
  cells.forEach((cell, i) => {
    const where = `cell ${i + 1}`;
    cell.querySelectorAll('.jp-OutputArea-output').forEach(o => {
      const mime = o.getAttribute('data-mime-type') || '';
      const text = (o.innerText || '').trim();
      // JupyterLab draws an exception with the stderr mime type too; the traceback tells them apart.
      if (mime === 'application/vnd.jupyter.error' ||
          (mime === 'application/vnd.jupyter.stderr' && traceback.test(text)))
        out.errors.push(`${where}: ${text.slice(0, 800)}`);
      else if (mime === 'application/vnd.jupyter.stderr') out.stderr.push(`${where}: ${text.slice(0, 800)}`);
      if (text.includes('Error displaying widget')) out.widgetErrors.push(`${where}: ${text.slice(0, 300)}`);
      if (mime === 'text/plain' && re.test(text)) out.plainTextWidgets.push(`${where}: ${text.slice(0, 200)}`);
      if (o.querySelector('.aleppo2016-static, .aleppo2016-question-static'))
        out.staticFallbacks.push(`${where}: ${text.slice(0, 200)}`);
    });
  });
  // A rendered widget view is a .jupyter-widgets element inside the output; the failed
  // placeholder is the output div itself (class jupyter-widgets) holding only the error text.
  out.pending = [...document.querySelectorAll('.jp-Notebook .jp-OutputArea-output.lm-Panel')]
    .filter(o => o.children.length === 0 && /^(Loading widget\.*)?$/.test((o.textContent || '').trim())).length;
  out.widgets = document.querySelectorAll('.jp-Notebook .jp-OutputArea-output > .jupyter-widgets').length;
  out.explorers = document.querySelectorAll('.jp-Notebook .aleppo2016-explorer').length;
  out.questions = document.querySelectorAll('.jp-Notebook .aleppo2016-question').length;
  out.images = document.querySelectorAll('.jp-Notebook .jp-RenderedImage img, .jp-Notebook img.widget-image').length;
  return out;
}
"""


_NOTEBOOK_HEIGHT_JS = """() => {
  const s = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer');
  return s ? s.scrollHeight + s.getBoundingClientRect().top + 40 : 0;
}"""
_SCROLL_TOP_JS = """() => {
  const s = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer');
  if (s) s.scrollTop = 0;
}"""
# Scroll the notebook on to its k-th screenful (a little overlap); true when that screenful shows something new.
_SCROLL_PART_JS = """(k) => {
  const s = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer');
  if (!s) return false;
  const before = s.scrollTop;
  s.scrollTop = k * (s.clientHeight - 100);
  return s.scrollTop > before;
}"""


@dataclass
class RunReport:
    """What a student would see after Run All: the problems, and what rendered."""

    notebook: str
    seconds: float
    errors: list[str]
    stderr: list[str]
    widget_errors: list[str]
    plain_text_widgets: list[str]
    static_fallbacks: list[str]
    not_run: list[int]
    pending_widgets: int
    console_errors: list[str]
    widgets: int
    explorers: int
    questions: int
    images: int
    screenshot: Path | None = None

    def problems(self) -> list[str]:
        """Every problem as one readable line (empty when the notebook is clean)."""
        lines = [f"error output in {e}" for e in self.errors]
        lines += [f"stderr (a warning students see) in {e}" for e in self.stderr]
        lines += [f"'Error displaying widget' in {e}" for e in self.widget_errors]
        lines += [f"widget shown as plain text in {e}" for e in self.plain_text_widgets]
        lines += [f"widget fell back to its static HTML (no live widget) in {e}" for e in self.static_fallbacks]
        lines += [f"code cell {i} did not run" for i in self.not_run]
        if self.pending_widgets:
            lines.append(f"{self.pending_widgets} widget output(s) still say 'Loading widget...': the widget never rendered")
        lines += [f"browser console error: {e[:500]}" for e in unexpected_console_errors(self.console_errors)]
        return lines


class Notebook:
    """One notebook open in one page of a fresh browser context."""

    def __init__(self, page: Any, server: LabServer, name: str, console: ConsoleLog):
        self.page, self.server, self.name, self.console = page, server, name, console
        #: The status bar once the kernel is ready; JupyterLite's site says "Python (Pyodide) | Idle".
        self.idle: str = getattr(server, "kernel_idle", KERNEL_IDLE)

    # -- opening -------------------------------------------------------------
    def open(self) -> "Notebook":
        """Open the notebook and wait until its kernel is really ready.

        The readiness trap: cells and the toolbar's idle circle appear before
        the notebook model and kernel have loaded, and Run All then fails
        about half the time. The status bar's "Python 3 (ipykernel) | Idle"
        appears only once the kernel has started and answered.
        """
        self.page.goto(self.server.url(self.name))
        try:
            self.page.locator("#jp-main-statusbar").get_by_text(self.idle, exact=True).wait_for(timeout=TIMEOUT_MS)
        except Exception as err:
            raise AssertionError(f"{self.name}: the kernel never became idle. {self._diagnosis()}") from err
        self.page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=TIMEOUT_MS)
        return self

    def _diagnosis(self) -> str:
        status = self.page.evaluate(_RUN_STATE_JS)["status"]
        dialog = self.page.locator(".jp-Dialog")
        text = dialog.first.inner_text() if dialog.count() else ""
        return (f"Status bar: {status!r}. " + (f"A dialog is open: {text[:300]!r}. " if text else "")
                + f"Server log:\n{self.server.log_tail(15)}")

    # -- running -------------------------------------------------------------
    def run_all(self) -> None:
        """Run every cell from the Run menu, as a student would."""
        self.page.locator(".lm-MenuBar-item", has_text="Run").first.click()
        self.page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").click()
        self.wait_until_run()

    def wait_until_run(self) -> None:
        """Wait until the kernel is idle again and every cell has run (or a cell raised)."""
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        settled = 0
        while True:
            state = self.page.evaluate(_RUN_STATE_JS)
            code = [c for c in state["cells"] if not c["empty"]]
            busy = any(c["prompt"] == "[*]:" for c in code)
            idle = state["status"] == self.idle
            # Run All marks every cell [*] at once, so "idle and none left at [*]" means the run is over.
            # An error stops it early: the later cells go back to [ ] (reported by the checks).
            if idle and not busy and (not code or code[0]["prompt"] != "[ ]:"):
                settled += 1
                # Stable for three polls, and no widget still on its way: a widget view is drawn (or
                # fails with "Error displaying widget") some time after the kernel is idle again.
                if settled >= 3 and (self.page.evaluate(_PENDING_WIDGETS_JS) == 0
                                     or time.monotonic() > deadline - 5):
                    return
            else:
                settled = 0
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name}: Run All did not finish in {TIMEOUT_MS // 1000} s; "
                                     f"prompts {[c['prompt'] for c in code]}. {self._diagnosis()}")
            time.sleep(0.25)

    def wait_idle(self) -> None:
        """Wait for the kernel to finish what a click or key press asked of it."""
        status = self.page.locator("#jp-main-statusbar").get_by_text(self.idle, exact=True)
        status.wait_for(timeout=TIMEOUT_MS)

    # -- looking -------------------------------------------------------------
    def report(self, seconds: float = 0.0) -> RunReport:
        found = self.page.evaluate(_PROBLEMS_JS, PLAIN_TEXT_WIDGET.pattern)
        state = self.page.evaluate(_RUN_STATE_JS)
        not_run = [c["index"] + 1 for c in state["cells"]
                   if not c["empty"] and not re.fullmatch(r"\[\d+\]:", c["prompt"])]
        return RunReport(
            notebook=self.name, seconds=seconds, errors=found["errors"], stderr=found["stderr"],
            widget_errors=found["widgetErrors"], plain_text_widgets=found["plainTextWidgets"],
            static_fallbacks=found["staticFallbacks"], not_run=not_run, pending_widgets=found["pending"],
            console_errors=list(self.console.errors),
            widgets=found["widgets"], explorers=found["explorers"], questions=found["questions"],
            images=found["images"],
        )

    def screenshot(self, name: str) -> Path:
        """A screenshot of the whole notebook (not just the window) in artifacts/screenshots/.

        JupyterLab scrolls the notebook inside a fixed-size page, so a
        "full page" screenshot would show only the first screen. The window is
        made as tall as the notebook instead (Chromium's limit is about 16000 px;
        a taller notebook's rest is in further parts, <name>-part2.png and on).
        """
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        size = self.page.viewport_size or {"width": 1280, "height": 900}
        for _ in range(3):  # grow until the notebook fits: cells below the fold may lay out taller once seen
            height = self.page.evaluate(_NOTEBOOK_HEIGHT_JS)
            current = (self.page.viewport_size or size)["height"]
            if height <= current:
                break
            self.page.set_viewport_size({"width": size["width"], "height": min(int(height), 15000)})
            self.page.wait_for_timeout(500)  # let JupyterLab lay the taller window out
        # JupyterLab keeps the active (last run) cell in view; show the notebook from its top.
        self.page.evaluate(_SCROLL_TOP_JS)
        self.page.wait_for_timeout(300)
        self.page.screenshot(path=str(path), full_page=True)
        # A notebook taller than that limit: the rest in further parts, <name>-part2.png and on.
        for old in SCREENSHOTS.glob(f"{name}-part*.png"):
            old.unlink()
        for k in range(1, 8):
            if not self.page.evaluate(_SCROLL_PART_JS, k):
                break
            self.page.wait_for_timeout(300)
            self.page.screenshot(path=str(SCREENSHOTS / f"{name}-part{k + 1}.png"), full_page=True)
        self.page.set_viewport_size(size)
        return path

    # -- finding widgets -----------------------------------------------------
    def output_of(self, cell: int) -> Any:
        """The output area of code cell number `cell` (1-based, counting code cells only)."""
        return self.page.locator(".jp-Notebook .jp-CodeCell").nth(cell - 1).locator(".jp-OutputArea")


def run_notebook(page: Any, server: LabServer, name: str, console: ConsoleLog,
                 screenshot: str | None = None) -> tuple[Notebook, RunReport]:
    """Open `name`, run all, and report what a student would see (with a screenshot)."""
    start = time.monotonic()
    nb = Notebook(page, server, name, console).open()
    nb.run_all()
    report = nb.report(time.monotonic() - start)
    if screenshot:
        report.screenshot = nb.screenshot(screenshot)
    return nb, report


SCRATCH = "_scratch"


def write_scratch(server: LabServer, name: str, cells: list[str]) -> str:
    """A scratch notebook of code cells in the server's _scratch folder; its path as the server sees it."""
    folder = server.root / SCRATCH
    folder.mkdir(exist_ok=True)
    write_notebook(folder / f"{name}.ipynb", cells)
    return f"{SCRATCH}/{name}.ipynb"


def write_notebook(path: Path, cells: list[str]) -> Path:
    """Write a small notebook of code cells (for the widget tests' scratch notebooks)."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    nbformat.write(nb, str(path))
    return path
