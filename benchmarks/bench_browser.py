"""5. Click to pixels: what a student feels, measured in Chromium with JupyterLab.

The widgets section times the kernel; a student waits for more: the click
reaching the kernel, the redraw and PNG, the message back, the front end
turning it into an image, and the next frame the browser paints. Here a real
JupyterLab (started as tests/browser/lab.py starts it, in a temporary HOME)
shows each charted explorer in a scratch notebook, and Playwright clicks its
checkboxes the way a student does. Each click goes to a state not seen before
(the checkboxes follow a Gray code, so every click flips one box and no
subset of boxes comes twice): the cache of earlier charts never answers.

Per click, in the page's own clock (performance.now):
  click            the click event's time stamp (the student's mouse button);
  sent             the comm message leaving for the kernel (the front end's share before the kernel);
  image message    the websocket message that brings the new PNG (the kernel's share ends here);
  src              the chart <img> getting its new blob URL;
  frame            the first animation frame after that (the old picture may still show:
                   Chromium keeps it until the new one is decoded);
  decoded          the new image decoded (img.decode() resolved);
  painted          the first animation frame after that: the new pixels on screen.
"click -> painted" is the figure with the target (p95 ≤ 100 ms, the limit at
which a response stops feeling instant); the parts say where the time goes,
with "kernel" (sent -> image message) and "after_image" (image message ->
painted) splitting it between the kernel and the front end, and "in_kernel"
the time the kernel itself spent handling the click's messages (measured in
the kernel: the rest of "kernel" is transport and queueing).
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_common import ROOT, percentile, row, summary

sys.path.insert(0, str(ROOT / "tests" / "browser"))
import lab  # noqa: E402  (tests/browser/lab.py: start JupyterLab, open and run a notebook)

TARGET = 0.100  # seconds, p95 of click -> frame
EXPLORERS = {
    # On the whole war, where every category has a row: each click changes the chart (on the article's
    # weeks a category with no event then draws the same picture, and no new image comes).
    "TimelineExplorer": "from aleppo2016.widgets import TimelineExplorer\n"
                        "explorer = TimelineExplorer()\nexplorer.whole_button.click()\nexplorer",
    "FiguresExplorer": "from aleppo2016.widgets import FiguresExplorer\nFiguresExplorer()",
}
# Put before the explorer's code: the kernel writes how long it spent handling each message from
# the front end (the observers, the redraw, the PNG and sending the updates back) to KERNEL_TIMES.
KERNEL_TIMES = "kernel-times.txt"
_KERNEL_TIMER = f"""\
import time as _time, ipywidgets as _ipw
_handle, _times = _ipw.Widget._handle_msg, open({KERNEL_TIMES!r}, "a", buffering=1)
def _timed(self, msg):
    start = _time.perf_counter()
    try:
        return _handle(self, msg)
    finally:
        _times.write(f"{{_time.perf_counter() - start}}\\n")
_ipw.Widget._handle_msg = _timed
"""

# Runs in every page before JupyterLab starts: time stamps of the websocket traffic.
_WEBSOCKET_PROBE = r"""
(() => {
  const Original = window.WebSocket;
  window.__benchWs = {sent: [], received: []};
  const size = d => (typeof d === 'string' ? d.length : (d.byteLength ?? d.size ?? 0));
  class Probed extends Original {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', e => window.__benchWs.received.push([performance.now(), size(e.data)]));
    }
    send(data) {
      window.__benchWs.sent.push([performance.now(), size(data)]);
      return super.send(data);
    }
  }
  window.WebSocket = Probed;
})();
"""

# Installed on the explorer once it is shown: click time stamps, chart src changes and the next frame.
_CLICK_PROBE = r"""
(root) => {
  const b = window.__bench = {clicks: [], changes: []};
  root.addEventListener('click', e => b.clicks.push(e.timeStamp), true);
  new MutationObserver(records => {
    for (const r of records) {
      if (r.type !== 'attributes' || r.target.tagName !== 'IMG') continue;
      const change = {src: performance.now(), frame: null, loaded: null, painted: null};
      b.changes.push(change);
      requestAnimationFrame(() => { change.frame = performance.now(); });
      const done = () => { change.loaded = performance.now();
                           requestAnimationFrame(() => { change.painted = performance.now(); }); };
      r.target.decode().then(done, done);
    }
  }).observe(root, {subtree: true, attributes: true, attributeFilter: ['src']});
}
"""


def gray_code_flips(boxes: int, clicks: int) -> list[int]:
    """Which box to flip at each click so that no set of ticked boxes comes twice (a Gray code)."""
    if clicks >= 2 ** boxes:
        raise ValueError(f"{boxes} boxes give only {2 ** boxes - 1} new states, not {clicks}")
    return [((i + 1) & -(i + 1)).bit_length() - 1 for i in range(clicks)]


def _show(page: Any, server: lab.LabServer, name: str, code: str) -> tuple[lab.Notebook, Any]:
    folder = server.root / "_bench"
    folder.mkdir(exist_ok=True)
    (folder / KERNEL_TIMES).unlink(missing_ok=True)
    lab.write_notebook(folder / f"{name}.ipynb", [_KERNEL_TIMER + code])
    nb, report = lab.run_notebook(page, server, f"_bench/{name}.ipynb", lab.ConsoleLog())
    if report.problems():
        raise RuntimeError(f"{name} did not render: " + "; ".join(report.problems()))
    widget = nb.output_of(1).locator(".aleppo2016-explorer").first
    widget.locator("img").first.wait_for(timeout=lab.TIMEOUT_MS)
    return nb, widget


def _click_and_wait(nb: lab.Notebook, widget: Any, box: Any) -> None:
    changes = nb.page.evaluate("() => window.__bench.changes.length")
    box.click()
    nb.page.wait_for_function("n => window.__bench.changes.length > n && window.__bench.changes[n].frame !== null"
                              " && window.__bench.changes[n].painted !== null", arg=changes, timeout=lab.TIMEOUT_MS)
    nb.wait_idle()  # the rest of the update (the list beside the chart) is in, as a student would wait
    time.sleep(0.15)  # and the page is quiet before the next click, as between a student's clicks


def _parts(click: float, change: dict[str, float], sent: list[list[float]], received: list[list[float]]) -> dict:
    """One click's times, in seconds after the click."""
    out = [t for t, _ in sent if click <= t <= change["src"]]
    back = [(size, t) for t, size in received if click <= t <= change["src"]]
    image_at = max(back)[1] if back else None  # the biggest message: the one carrying the PNG
    both = out and image_at is not None
    return {
        # the kernel's share: from the message leaving to the PNG arriving (the network here is loopback)
        "kernel": (image_at - out[0]) / 1000 if both else None,
        # the front end's share after the PNG arrived: model update, blob URL, decode, paint
        "after_image": (change["painted"] - image_at) / 1000 if image_at is not None else None,
        "painted": (change["painted"] - click) / 1000,
        "frame": (change["frame"] - click) / 1000,
        "decoded": (change["loaded"] - click) / 1000,
        "sent": (out[0] - click) / 1000 if out else None,
        "image_message": (image_at - click) / 1000 if image_at is not None else None,
        "src": (change["src"] - click) / 1000,
    }


def measure(page: Any, server: lab.LabServer, name: str, clicks: int, warmup: int) -> list[dict[str, float]]:
    """Show the explorer, click `warmup` + `clicks` times, return the measured clicks' times."""
    nb, widget = _show(page, server, name, EXPLORERS[name])
    page.evaluate(_CLICK_PROBE, widget.element_handle())
    boxes = widget.get_by_role("checkbox")
    count = min(boxes.count(), 8)
    flips = gray_code_flips(count, warmup + clicks)
    samples = []
    times = server.root / "_bench" / KERNEL_TIMES
    for i, flip in enumerate(flips):
        handled = len(times.read_text().split())
        _click_and_wait(nb, widget, boxes.nth(flip))
        if i < warmup:
            continue
        b = page.evaluate("() => window.__bench")
        ws = page.evaluate("() => window.__benchWs")
        sample = _parts(b["clicks"][-1], b["changes"][-1], ws["sent"], ws["received"])
        sample["in_kernel"] = sum(map(float, times.read_text().split()[handled:]))
        samples.append(sample)
    server.shutdown_kernels()
    return samples


def _summary_of(samples: list[dict[str, float]], key: str) -> dict[str, float] | None:
    values = [s[key] for s in samples if s[key] is not None]
    if not values:
        return None
    return {**summary(values), "p95": percentile(values, 95)}


def run(clicks: int = 40, warmup: int = 3, explorers: list[str] | None = None) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory(prefix="aleppo2016-bench-browser-") as tmp:
        server = lab.start_lab(lab.NOTEBOOKS, Path(tmp))
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(lab.CHROMIUM), args=lab.CHROMIUM_ARGS,
                                             headless=True)
                try:
                    for name in explorers or list(EXPLORERS):
                        context = browser.new_context(viewport={"width": 1280, "height": 900})
                        context.set_default_timeout(lab.TIMEOUT_MS)
                        context.add_init_script(_WEBSOCKET_PROBE)
                        try:
                            samples = measure(context.new_page(), server, name, clicks, warmup)
                        finally:
                            context.close()
                        frame = [s["painted"] for s in samples]
                        med, p95 = summary(frame), percentile(frame, 95)
                        parts = {k: _summary_of(samples, k)
                                 for k in ("sent", "image_message", "src", "frame", "decoded", "kernel", "in_kernel",
                                           "after_image")}
                        rows.append(row(
                            "browser", name, med, None, unit="s", target=f"p95 ≤ {TARGET * 1000:.0f} ms",
                            ok=p95 <= TARGET, p95={"median": p95, "min": p95, "max": p95, "n": 1},
                            interactions=len(samples), parts=parts, samples=samples,
                            note="click -> first frame after the new chart image is decoded, each click a new state; "
                                 + ", ".join(f"{k} median {v['median'] * 1000:.0f} ms / p95 {v['p95'] * 1000:.0f} ms"
                                             for k, v in parts.items() if v),
                        ))
                finally:
                    browser.close()
        finally:
            lab.stop_lab(server)
    return rows
