"""7. JupyterLite: how long a student waits for the site `make lite` builds, first visit and later.

The site is built as `make lite` builds it (self-contained: its own Pyodide)
and served on 127.0.0.1 by a small web server that counts what it sends. A
real Chromium opens the first notebook with a chart and runs all its cells; no
request leaves this machine. Two figures per visit, from the moment the page
is asked for:
  kernel ready   the status bar says "Python (Pyodide) | Idle" (Pyodide
                 downloaded, compiled and started, numpy and the kernel imported);
  first chart    Run All clicked at once, the first chart image on the page (the
                 install cell, the module's import, matplotlib's first figure).
"cold" is a first visit with a new browser profile (empty cache); "warm" is the
next visit with the same profile, as a student opening the site again: the
browser's HTTP cache (and its cache of compiled WebAssembly) answers, and the
server sees only revalidations. Each visit also reports the megabytes the
server sent. The kernel starts in the page each time: Pyodide keeps nothing
between visits, so "warm" saves the downloads, not the start.
"""
from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench_common import ROOT, row, summary

sys.path.insert(0, str(ROOT / "tests" / "browser"))
import lab  # noqa: E402  (tests/browser/lab.py: Chromium, the notebook helpers)

NOTEBOOK = "02_timeline.ipynb"  # the first notebook, in lesson order, that draws a chart
LITE_IDLE = "Python (Pyodide) | Idle"
OFFLINE_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
_FIRST_CHART = ".jp-Notebook .jp-OutputArea-output img"


def lite_python() -> str:
    """The JupyterLite build environment's Python (.venv-lite, made by `make lite`)."""
    chosen = os.environ.get("ALEPPO2016_LITE_PYTHON")
    if chosen:
        return chosen
    candidate = ROOT / ".venv-lite" / "bin" / "python"
    return str(candidate) if candidate.exists() else sys.executable


def build(out: Path) -> Path:
    """The site exactly as `make lite` builds it (Pyodide from .cache/offline-lite once assembled)."""
    done = subprocess.run([lite_python(), str(ROOT / "tools" / "build_lite.py"), "--out", str(out)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"tools/build_lite.py failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return out


class _Counter:
    """What the server sent: requests, bytes of body, and how many were 304 Not Modified."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests = self.bytes = self.not_modified = 0

    def reset(self) -> None:
        with self.lock:
            self.requests = self.bytes = self.not_modified = 0


def _handler(counter: _Counter) -> type[http.server.SimpleHTTPRequestHandler]:
    class Counting(http.server.SimpleHTTPRequestHandler):
        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            with counter.lock:
                counter.requests += 1
                counter.not_modified += str(code) == "304"

        def copyfile(self, source: Any, outputfile: Any) -> None:
            start = source.tell()
            super().copyfile(source, outputfile)
            with counter.lock:
                counter.bytes += source.tell() - start

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002  (the base class's name)
            pass

    return Counting


def serve(site: Path, counter: _Counter) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(_handler(counter), directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def visit(pw: Any, profile: Path, base: str) -> dict[str, float]:
    """One visit with the browser profile `profile`: seconds to kernel ready and to the first chart."""
    context = pw.chromium.launch_persistent_context(
        str(profile), executable_path=str(lab.CHROMIUM), args=[*lab.CHROMIUM_ARGS, *OFFLINE_ARGS],
        headless=True, viewport={"width": 1280, "height": 900})
    try:
        context.set_default_timeout(lab.TIMEOUT_MS)
        # Offline by the resolver rules; requests are watched, not routed: Playwright's routing
        # turns the browser's HTTP cache off, and the warm visit is all about that cache.
        outside: list[str] = []
        context.on("request", lambda r: None if r.url.startswith((base + "/", "data:", "blob:"))
                   else outside.append(r.url))
        page = context.pages[0] if context.pages else context.new_page()
        start = time.monotonic()
        page.goto(f"{base}/lab/index.html?path={NOTEBOOK}")
        page.locator("#jp-main-statusbar").get_by_text(LITE_IDLE, exact=True).wait_for()
        ready = time.monotonic() - start
        page.locator(".lm-MenuBar-item", has_text="Run").first.click()
        page.locator("li.lm-Menu-item[data-command='runmenu:run-all']").click()
        page.locator(_FIRST_CHART).first.wait_for(state="visible")
        chart = time.monotonic() - start
        if outside:
            raise SystemExit(f"the site asked other hosts: {outside[:3]}")
        return {"ready": ready, "chart": chart}
    finally:
        context.close()


def run(visits: int = 2, site: Path | None = None) -> list[dict[str, Any]]:
    """`visits` cold visits (each with a new profile), each followed by a warm one."""
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="aleppo2016-bench-lite-") as tmp:
        site = site or build(Path(tmp) / "_output")
        files = [p for p in site.rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in files)
        counter = _Counter()
        server, base = serve(site, counter)
        times: dict[str, list[dict[str, float]]] = {"cold": [], "warm": []}
        sent: dict[str, list[tuple[int, int, int]]] = {"cold": [], "warm": []}
        try:
            with sync_playwright() as pw:
                for i in range(visits):
                    profile = Path(tmp) / f"profile{i}"
                    for kind in ("cold", "warm"):
                        counter.reset()
                        times[kind].append(visit(pw, profile, base))
                        sent[kind].append((counter.bytes, counter.requests, counter.not_modified))
        finally:
            server.shutdown()
    rows = []
    for kind in ("cold", "warm"):
        mb = summary([b for b, _, _ in sent[kind]])
        requests, not_modified = sent[kind][-1][1:]
        for key, label in (("ready", "kernel ready"), ("chart", "first chart")):
            rows.append(row(
                "lite", f"{kind} visit, page open -> {label}", summary([t[key] for t in times[kind]]), None,
                unit="s", target="", samples=times[kind], bytes_sent=mb, site_bytes=size, site_files=len(files),
                requests=requests, not_modified=not_modified,
                note=f"{NOTEBOOK}; server sent {mb['median'] / 1e6:.1f} MB in {requests} responses "
                     f"({not_modified} of them 304 Not Modified) per visit; "
                     f"site {size / 1e6:.1f} MB in {len(files)} files",
            ))
    return rows
