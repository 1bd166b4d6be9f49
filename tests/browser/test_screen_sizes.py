"""Every notebook at a school laptop's screen sizes: nothing wider than its cell, nothing still loading, charts readable.

Each notebook is run in JupyterLab at 1366×768 (a common school laptop) and
1024×768 (issue 12) and fails on:

- an output element wider than its cell: a student would have to scroll
  sideways, or the text is cut at the edge;
- a widget still "Loading widget..." once the run is over;
- text in an output smaller than 11 px, or printed (monospace) text that wraps,
  which breaks words anywhere;
- a chart without alt text or not tied to its description (aria-describedby);
- chart text drawn smaller than 11 px on screen: the chart's smallest text in
  points (PNG metadata "Smallest-Font-Pt": inline charts get it from the test
  kernels' start-up file, ``lab.FONT_PROBE``; widget charts must write it
  themselves), times the PNG's pixels per point (its dpi / 72; 1 when the PNG
  says no dpi), times the scale it is shown at (shown width / natural width).

Screenshots of the whole notebook at both sizes:
``artifacts/screenshots/sizes/<width>x<height>/<notebook>.png``.
"""
from __future__ import annotations

import base64
import struct
import zlib
from typing import Any

import pytest

import lab
from conftest import LabPage

pytestmark = pytest.mark.browser

NOTEBOOKS = sorted(p.name for p in lab.NOTEBOOKS.glob("*.ipynb"))
SIZES = [(1366, 768), (1024, 768)]
#: Body text on screen, at least (issue 12).
MIN_TEXT_PX = 11.0

# Cells JupyterLab has not laid out yet (content-visibility: auto) measure as empty; lay them all out.
_LAY_OUT_ALL_JS = """() => {
  if (!document.getElementById('aleppo2016-measure')) {
    const s = document.createElement('style');
    s.id = 'aleppo2016-measure';
    s.textContent = '.jp-Notebook .jp-Cell{content-visibility:visible !important}';
    document.head.appendChild(s);
  }
}"""

_OVERFLOW_JS = r"""
() => {
  const found = [];
  const name = e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string'
      ? '.' + e.className.trim().split(/\s+/).slice(0, 3).join('.') : '');
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
  cells.forEach((cell, i) => {
    cell.querySelectorAll('.jp-OutputArea-output').forEach(out => {
      const box = out.getBoundingClientRect();
      if (box.width === 0) return;
      const culprits = [];
      const report = (e, what) => { culprits.push(e); found.push({cell: i + 1, element: name(e), what,
          text: (e.innerText || e.getAttribute('alt') || '').trim().replace(/\s+/g, ' ').slice(0, 80)}); };
      out.querySelectorAll('*').forEach(e => {
        // The outermost element that overflows says it all; its rows and cells would repeat it.
        if (culprits.some(c => c.contains(e))) return;
        const r = e.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) return;
        const style = getComputedStyle(e);
        if (style.position === 'fixed' || style.visibility === 'hidden') return;
        if (r.right > box.right + 1) report(e, `ends ${Math.round(r.right - box.right)} px past the cell's right edge`);
        // An inner box that scrolls or clips sideways hides part of what it holds.
        else if (['auto', 'scroll', 'hidden'].includes(style.overflowX) && e.scrollWidth > e.clientWidth + 1
                 && e.tagName !== 'INPUT' && e.tagName !== 'TEXTAREA')
          report(e, `holds ${e.scrollWidth} px in ${e.clientWidth} px (scrolls or cuts sideways)`);
      });
      if (!culprits.length && out.scrollWidth > out.clientWidth + 1)
        report(out, `output is ${out.scrollWidth} px wide inside ${out.clientWidth} px`);
    });
  });
  return found;
}
"""

# Text in an output drawn smaller than the minimum (only text that shows: a closed <details> hides its body).
_SMALL_TEXT_JS = r"""
(minPx) => {
  const found = [];
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
  cells.forEach((cell, i) => {
    cell.querySelectorAll('.jp-OutputArea-output *').forEach(e => {
      const own = [...e.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
      if (!own) return;
      const r = e.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) return;
      const size = parseFloat(getComputedStyle(e).fontSize);
      if (size < minPx - 0.05) found.push({cell: i + 1, tag: e.tagName.toLowerCase(), size, text: own.slice(0, 60)});
    });
  });
  return found;
}
"""

# Printed (monospace) output that wraps: a line wider than the cell breaks wherever it must, mid-word too.
_WRAPPED_PRINT_JS = r"""
() => {
  const found = [];
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
  cells.forEach((cell, i) => {
    const printed = '.jp-OutputArea-output[data-mime-type="text/plain"] pre, '
        + '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stdout"] pre';
    cell.querySelectorAll(printed).forEach(pre => {
      const style = getComputedStyle(pre);
      const line = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.2;
      const inner = pre.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
      const lines = pre.textContent.replace(/\n+$/, '').split('\n');
      const drawn = Math.round(inner / line);
      if (inner > 0 && drawn > lines.length) {
        const longest = lines.reduce((a, b) => (b.length > a.length ? b : a), '');
        found.push({cell: i + 1, printed: lines.length, drawn, text: longest.slice(0, 80)});
      }
    });
  });
  return found;
}
"""

_CHARTS_JS = r"""
async () => {
  const imgs = [...document.querySelectorAll('.jp-Notebook .jp-OutputArea-output img')];
  const out = [];
  for (const [k, img] of imgs.entries()) {
    if (!img.naturalWidth || !img.getBoundingClientRect().width) continue;
    const cell = [...document.querySelectorAll('.jp-Notebook .jp-Cell')].findIndex(c => c.contains(img)) + 1;
    let png = '';
    try {
      const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
      let s = ''; for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
      png = btoa(s);
    } catch (e) { png = ''; }
    const words = img.getAttribute('aria-describedby');
    out.push({cell, index: k, natural: img.naturalWidth, shown: img.getBoundingClientRect().width,
              widget: !!img.closest('.jupyter-widgets'), alt: img.getAttribute('alt') || '',
              described: !!(words && document.getElementById(words) && document.getElementById(words).textContent.trim()),
              png});
  }
  return out;
}
"""


def png_info(data: bytes) -> tuple[dict[str, str], float | None]:
    """The PNG's text chunks and its pixels per inch (None when it does not say)."""
    texts: dict[str, str] = {}
    dpi = None
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return texts, dpi
    at = 8
    while at + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + length]
        if kind == b"tEXt" and b"\0" in body:
            key, value = body.split(b"\0", 1)
            texts[key.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"iTXt" and b"\0" in body:
            key, rest = body.split(b"\0", 1)
            compressed = rest[0] == 1
            rest = rest[2:].split(b"\0", 2)[-1]
            texts[key.decode("latin-1")] = (zlib.decompress(rest) if compressed else rest).decode("utf-8")
        elif kind == b"pHYs" and len(body) == 9:
            x, _y, unit = struct.unpack(">IIB", body)
            if unit == 1:
                dpi = x * 0.0254
        elif kind == b"IEND":
            break
        at += 12 + length
    return texts, dpi


def chart_text_sizes(charts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For each chart: its smallest text on screen in px, or None when the PNG does not say its font size."""
    rows = []
    for chart in charts:
        texts, dpi = png_info(base64.b64decode(chart["png"])) if chart["png"] else ({}, None)
        pt = texts.get("Smallest-Font-Pt")
        scale = chart["shown"] / chart["natural"]
        px = float(pt) * (dpi or 72.0) / 72.0 * scale if pt else None
        rows.append({**{k: v for k, v in chart.items() if k != "png"}, "pt": pt, "dpi": dpi, "scale": scale, "px": px})
    return rows


def run_at(lab_page: LabPage, name: str, width: int, height: int) -> tuple[lab.Notebook, lab.RunReport]:
    """Run a notebook in a window of this size (the screenshot keeps the width)."""
    lab_page.page.set_viewport_size({"width": width, "height": height})
    folder = f"sizes/{width}x{height}"
    (lab.SCREENSHOTS / folder).mkdir(parents=True, exist_ok=True)
    return lab_page.run(name, screenshot=f"{folder}/{name.rsplit('/', 1)[-1].removesuffix('.ipynb')}")


#: Every chart the package draws, shown as a student would, and the figures explorer with every box
#: ticked (its chart grows): the notebooks show only some of them (claims_chart in none).
EVERY_CHART = [
    "import aleppo2016\nfrom aleppo2016 import charts, maps, widgets",
    "charts.show(charts.claims_chart())",
    "charts.show(charts.timeline_chart())",
    "charts.show(charts.figures_chart(scale='linear'))",
    "charts.show(charts.centres_chart())",
    "maps.show(maps.aleppo_map())",
    "widgets.FiguresExplorer(selected=list(aleppo2016.load_figures().index))",
]


@pytest.mark.parametrize("width,height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_fits_the_screen(lab_page: LabPage, name: str, width: int, height: int) -> None:
    check_fits(lab_page, name, width, height)


@pytest.mark.parametrize("width,height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_chart_fits_the_screen(lab_page: LabPage, width: int, height: int) -> None:
    """claims_chart, the whole-war timeline and the fully ticked figures explorer too, not only what notebooks show."""
    path = lab.write_scratch(lab_page.server, "every_chart", EVERY_CHART)
    charts = check_fits(lab_page, path, width, height)
    assert len(charts) == len(EVERY_CHART) - 1, f"expected one chart per cell, found {len(charts)}"


def check_fits(lab_page: LabPage, name: str, width: int, height: int) -> list[dict[str, Any]]:
    """Run `name` at this size and fail on overflow, loading widgets or small chart text; return its charts."""
    nb, report = run_at(lab_page, name, width, height)
    page = nb.page
    assert report.pending_widgets == 0, f"{name} at {width}x{height}: {report.pending_widgets} widget(s) still loading"
    assert not report.problems(), "\n".join(report.problems())
    assert report.screenshot is not None and report.screenshot.stat().st_size > 10_000
    problems, charts = screen_problems(page)
    more = f"\n  ... and {len(problems) - 25} more" if len(problems) > 25 else ""
    assert not problems, f"{name} at {width}x{height}, {len(problems)} problem(s):\n  " + "\n  ".join(problems[:25]) + more
    return charts


def screen_problems(page: Any) -> tuple[list[str], list[dict[str, Any]]]:
    """What a student could not read on this page, one line each, and its charts."""
    page.evaluate(_LAY_OUT_ALL_JS)
    page.wait_for_timeout(300)
    problems: list[str] = []
    charts = chart_text_sizes(page.evaluate(_CHARTS_JS))
    for chart in charts:
        where = (f"cell {chart['cell']}: {'widget ' if chart['widget'] else ''}chart "
                 f"({chart['natural']} px shown at {chart['shown']:.0f} px, scale {chart['scale']:.2f})")
        if chart["pt"] is None:
            problems.append(f"{where} does not say its smallest font size (PNG text 'Smallest-Font-Pt'), "
                            "so its labels cannot be checked")
        elif chart["px"] < MIN_TEXT_PX - 0.05:
            problems.append(f"{where}: smallest text {chart['pt']} pt at {chart['dpi'] or 72:.0f} dpi "
                            f"is {chart['px']:.1f} px on screen, under {MIN_TEXT_PX:g} px")
        if not chart["alt"].strip() or not chart["described"]:
            problems.append(f"{where} has no alt text or is not tied to its description (aria-describedby)")
    for item in page.evaluate(_SMALL_TEXT_JS, MIN_TEXT_PX):
        problems.append(f"cell {item['cell']}: <{item['tag']}> text at {item['size']:g} px, under {MIN_TEXT_PX:g} px: "
                        f"{item['text']!r}")
    for item in page.evaluate(_WRAPPED_PRINT_JS):
        problems.append(f"cell {item['cell']}: printed text wraps ({item['drawn']} lines drawn for {item['printed']} "
                        f"printed), in monospace mid-word: {item['text']!r}")
    for item in page.evaluate(_OVERFLOW_JS):
        problems.append(f"cell {item['cell']}: {item['element']} {item['what']}: {item['text']!r}")
    return list(dict.fromkeys(problems)), charts


#: One of each thing the checks must catch (and one chart that passes them all, to show they are not blind).
BROKEN = [
    "from IPython.display import HTML\nimport aleppo2016\nfrom aleppo2016 import charts",
    "print('a line of words too long for any cell ' * 12)",
    "HTML('<p style=\"font-size:9px\">tiny words</p>')",
    "HTML('<div style=\"width:3000px\">a box wider than its cell</div>')",
    "import base64\nHTML('<img src=\"data:image/png;base64,' + base64.b64encode("
    "charts.show(charts.centres_chart()).png).decode() + '\">')",
    "charts.show(charts.centres_chart())",
]


def test_the_checks_catch_what_they_look_for(lab_page: LabPage) -> None:
    path = lab.write_scratch(lab_page.server, "unreadable", BROKEN)
    nb, report = run_at(lab_page, path, 1024, 768)
    assert not report.problems(), "\n".join(report.problems())
    problems, charts = screen_problems(nb.page)
    found = "\n".join(problems)
    assert "cell 2: printed text wraps" in found, found
    assert "cell 3: <p> text at 9 px" in found, found
    assert "cell 4: div ends" in found and "past the cell's right edge" in found, found
    assert "cell 5: chart" in found and "no alt text" in found, found
    assert len(charts) == 2 and "cell 6" not in found, found  # charts.show passes every check


def test_png_info_reads_what_matplotlib_writes(tmp_path: Any) -> None:
    """The metadata the size check relies on comes back from a real matplotlib PNG."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 1), dpi=144)
    fig.text(0.1, 0.5, "label", fontsize=8)
    path = tmp_path / "chart.png"
    fig.savefig(path, metadata={"Smallest-Font-Pt": "8"})
    texts, dpi = png_info(path.read_bytes())
    assert texts["Smallest-Font-Pt"] == "8" and dpi is not None and abs(dpi - 144) < 0.5
    [row] = chart_text_sizes([{"png": base64.b64encode(path.read_bytes()).decode(), "natural": 288, "shown": 144}])
    assert abs(row["px"] - 8) < 0.01  # 8 pt at 144 dpi is 16 px, shown at half size: 8 px
