#!/usr/bin/env python3
"""Build the teacher's printable packet, offline, as one PDF.

    python tools/packet.py --out packet.pdf                  # the PDF (needs Chromium)
    python tools/packet.py --out packet.pdf --html packet.html  # ... and keep the HTML it printed

Everything in the packet is read at build time from the files that already
hold it, so nothing is written twice: the 50-minute lesson plan from
``docs/teacher_guide.md``; the exit tickets and rubrics from ``questions.json``
(questions with ``"exit_ticket": true``, and any question with a ``"rubric"``,
the lateral-reading lab's tasks, notebook 09's open questions, first); the backgrounder, the source cards and the map from the
package's data. The page is plain HTML with no remote resource (a Content
Security Policy forbids any), printed to PDF by headless Chromium with its
background networking switched off, so the build needs no network.
"""
from __future__ import annotations

import argparse
import base64
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import mistune

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # run from a checkout without installing, too

from aleppo2016 import article_info, cards, load_context, load_figures  # noqa: E402
from aleppo2016.data import DATA_DIR  # noqa: E402

GUIDE = ROOT / "docs" / "teacher_guide.md"
#: The lateral-reading lab, whose tasks' rubrics come first.
LAB = "09_lateral_reading"
QUESTIONS = DATA_DIR / "questions.json"
STYLE = Path(__file__).resolve().parent / "packet" / "packet.css"
CHROMIUM = "/usr/bin/chromium"
PLAN_HEADING = re.compile(r"^(#{1,6})\s+One lesson \(50 minutes\).*$", re.M)
RUBRIC_LEVELS = ("beginning", "emerging", "mastery")
#: Keys read from questions.json (see the module docstring); absent keys are simply not used.
EXIT_TICKET_KEY, RUBRIC_KEY, SKILL_KEY = "exit_ticket", "rubric", "skill"
ORGANISER_COLUMNS = ("Claim", "Who says so?", "Evidence given", "Hedge words", "What other sources say")
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_markdown = mistune.create_markdown(escape=True, plugins=["table"])
esc = html.escape


# --------------------------------------------------------------------------
# Reading what the packet is made of
# --------------------------------------------------------------------------

def lesson_plan(guide: str) -> tuple[str, str]:
    """(heading, Markdown body) of the teacher guide's 50-minute plan, up to the next heading of its level."""
    match = PLAN_HEADING.search(guide)
    if match is None:
        raise SystemExit(f"{GUIDE.relative_to(ROOT)}: no heading 'One lesson (50 minutes)' to take the lesson plan from.")
    level = len(match.group(1))
    rest = guide[match.end():]
    end = re.search(rf"^#{{1,{level}}}\s", rest, re.M)
    heading = match.group(0).lstrip("#").strip()
    return heading, (rest[: end.start()] if end else rest).strip()


def bank(path: Path = QUESTIONS) -> list[tuple[str, Mapping[str, Any]]]:
    """(notebook, question) for every question in questions.json, in file order, read as plain JSON."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    return [(nb, q) for nb, items in raw.items() if not nb.startswith("_") and isinstance(items, list)
            for q in items if isinstance(q, Mapping)]


def exit_tickets(questions: Sequence[tuple[str, Mapping[str, Any]]]) -> tuple[list[tuple[str, Mapping[str, Any]]], bool]:
    """The questions marked as exit tickets; if none are marked yet, every open question (and False)."""
    marked = [(nb, q) for nb, q in questions if q.get(EXIT_TICKET_KEY) is True]
    if marked:
        return marked, True
    return [(nb, q) for nb, q in questions if q.get("type") == "open"], False


def rubric_rows(rubric: object) -> list[tuple[str, str, str]]:
    """(level, description, example) rows from a rubric written as {level: text | {...}} or [{level: ...}]."""
    if isinstance(rubric, Mapping):
        items = [{"level": level, **(value if isinstance(value, Mapping) else {"description": value})}
                 for level, value in rubric.items()]
    elif isinstance(rubric, list):
        items = [item for item in rubric if isinstance(item, Mapping)]
    else:
        return []
    rows = []
    for item in items:
        description = item.get("description", item.get("criteria", item.get("text", "")))
        rows.append((str(item.get("level", "")), str(description), str(item.get("example", ""))))
    order = {level: n for n, level in enumerate(RUBRIC_LEVELS)}
    return sorted(rows, key=lambda row: order.get(row[0].lower(), len(order)))


def map_png() -> tuple[str, str]:
    """The schematic map as a base64 PNG, and its text description."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from aleppo2016 import maps

    ax = maps.aleppo_map()
    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format="png", dpi=150)
    plt.close(ax.figure)
    return base64.b64encode(buffer.getvalue()).decode("ascii"), maps.describe(ax)


# --------------------------------------------------------------------------
# The HTML
# --------------------------------------------------------------------------

def _source_line(source: str, source_date: str, url: str) -> str:
    links = " ".join(esc(u.strip()) for u in url.split(" ; ") if u.strip())
    return f'<span class="src">{esc(source)}; source date {esc(source_date)}. {links}</span>'


def section_cover(info: Mapping[str, Any]) -> str:
    return f"""<section class="cover">
<h1>Aleppo 2016: teacher's packet</h1>
<p class="lead">For the module on TIME's article “{esc(info['title'])}” (September 2016).</p>
<ol>
<li>Lesson plan (50 minutes)</li><li>Graphic organiser for the article</li><li>Exit tickets</li>
<li>Rubrics</li><li>Backgrounder: the war in September 2016</li><li>Map (schematic)</li>
<li>Source cards for lateral reading without internet</li>
</ol>
<p class="small">Article: {esc(info['citation'])}</p>
<p class="small">{esc(info['licence_note'])}</p>
<p class="small">Built from the module's files by <code>python tools/packet.py</code>: the plan comes from
docs/teacher_guide.md, the questions and rubrics from questions.json and the notebooks, the backgrounder from
the context data. Edit those files, not this packet.</p>
</section>"""


def section_plan(guide: str) -> str:
    heading, body = lesson_plan(guide)
    return f'<section class="page"><h2>1. Lesson plan: {esc(heading)}</h2>{_markdown(body)}</section>'


def section_organiser() -> str:
    example = load_figures().loc["convoy_killed"]
    head = "".join(f"<th>{esc(c)}</th>" for c in ORGANISER_COLUMNS)
    worked = ("<tr class='worked'>"
              f"<td>“{esc(example['excerpt'])}”</td><td>The article, in its own voice; no source named.</td>"
              "<td>None given in this sentence.</td>"
              f"<td>“{esc(example['qualifier'])}”</td>"
              "<td>UN Board of Inquiry (Dec 2016): at least 10 killed. UN Commission of Inquiry (March 2017): "
              "at least 14 aid workers killed.</td></tr>")
    blank = "<tr class='blank'>" + "<td></td>" * len(ORGANISER_COLUMNS) + "</tr>"
    return f"""<section class="page landscape">
<h2>2. Graphic organiser: who says so?</h2>
<p>Name: ______________________ &nbsp; Date: ____________ &nbsp; Article: TIME, September 2016</p>
<p class="small">For each claim you find, fill a row. Ask of every source, the White Helmets included:
{esc(' '.join(cards.THREE_QUESTIONS))} The first row is an example (the later counts are from the module's
context data: UN S/2016/1093, 21 Dec 2016; UN A/HRC/34/64, 1 March 2017).</p>
<table class="organiser"><thead><tr>{head}</tr></thead><tbody>{worked}{blank * 5}</tbody></table>
</section>"""


def _question_block(nb: str, q: Mapping[str, Any], lines: int) -> str:
    excerpt = q.get("excerpt")
    quoted = f"<p class='excerpt'>“{esc(excerpt)}”</p>" if isinstance(excerpt, str) else ""
    choices = ""
    if isinstance(q.get("choices"), list):
        choices = "<ul class='choices'>" + "".join(
            f"<li>☐ {esc(str(c.get('text', '')))}</li>" for c in q["choices"] if isinstance(c, Mapping)) + "</ul>"
    skill = f" · skill: {esc(str(q[SKILL_KEY]))}" if SKILL_KEY in q else ""
    title = q.get("title") or q.get("id", "")
    write = "<div class='lines'></div>" * lines if not choices else ""
    return (f"<div class='ticket'><p class='small'>Notebook {esc(nb)} · <code>{esc(str(q.get('id', '')))}</code>{skill}</p>"
            f"<h3>{esc(str(title))}</h3><p>{esc(str(q.get('prompt', '')))}</p>{quoted}{choices}{write}</div>")


def section_exit_tickets(questions: Sequence[tuple[str, Mapping[str, Any]]]) -> str:
    tickets, marked = exit_tickets(questions)
    note = ("" if marked else "<p class='small'>No question is marked as an exit ticket yet "
            f"(<code>\"{EXIT_TICKET_KEY}\": true</code> in questions.json), so these are all the open questions.</p>")
    blocks = "".join(_question_block(nb, q, 4) for nb, q in tickets) or (
        "<p>questions.json has no open questions either: use the exit ticket in the lesson plan (section 1).</p>")
    return f'<section class="page"><h2>3. Exit tickets</h2>{note}<p>Name: ______________________</p>{blocks}</section>'


def _rubric_table(rows: Sequence[tuple[str, str, str]]) -> str:
    body = "".join(f"<tr><th>{esc(level.capitalize())}</th><td>{esc(text)}</td><td>{esc(example)}</td></tr>"
                   for level, text, example in rows)
    return f"<table class='rubric'><thead><tr><th>Level</th><th>What it looks like</th><th>Example answer</th></tr></thead><tbody>{body}</tbody></table>"


def _rubric_block(nb: str, q: Mapping[str, Any]) -> str:
    return (f"<div class='keep'><h4>{esc(str(q.get('title') or q.get('id')))} "
            f"<span class='small'>(notebook {esc(nb)}, <code>{esc(str(q.get('id')))}</code>)</span></h4>"
            f"<p>{esc(str(q.get('prompt', '')))}</p>{_rubric_table(rubric_rows(q[RUBRIC_KEY]))}</div>")


def section_rubrics(questions: Sequence[tuple[str, Mapping[str, Any]]]) -> str:
    parts = ["<section class='page'><h2>4. Rubrics</h2>",
             "<p class='small'>Three levels, in the manner of Civic Online Reasoning (Stanford History Education "
             "Group): beginning, emerging, mastery.</p>"]
    with_rubric = [(nb, q) for nb, q in questions if rubric_rows(q.get(RUBRIC_KEY))]
    lab = [(nb, q) for nb, q in with_rubric if nb == LAB]
    others = [(nb, q) for nb, q in with_rubric if nb != LAB]
    if lab:
        parts.append("<h3>Lateral-reading lab (notebook 09)</h3>")
        parts += [_rubric_block(nb, q) for nb, q in lab]
    if others:
        parts.append("<h3>Open questions</h3>")
        parts += [_rubric_block(nb, q) for nb, q in others]
    if not with_rubric:
        parts.append(f"<p class='small'>No question in questions.json has a <code>\"{RUBRIC_KEY}\"</code> yet; "
                     "see the model answers in docs/answer_key.md.</p>")
    parts.append("</section>")
    return "".join(parts)


def section_backgrounder() -> str:
    context = load_context()
    september = context[(context["date"].dt.year == 2016) & (context["date"].dt.month == 9)]
    items = "".join(
        f"<li><b>{esc(row['date'].strftime('%d %b %Y'))}: {esc(row['title'])}.</b> {esc(row['description'])} "
        f"{_source_line(row['source'], row['source_date'], row['source_url'])}</li>"
        for _, row in september.iterrows())
    return f"""<section class="page backgrounder">
<h2>5. Backgrounder: the war in September 2016</h2>
<p class="small">What other sources reported in the month the article was written. Each line gives its source and
the source's date; the article itself is not used here. Later findings (the UN inquiries into the aid convoy,
December 2016 and March 2017) are on the source cards.</p>
<ul class="facts">{items}</ul>
</section>"""


def section_map() -> str:
    png, text = map_png()
    return f"""<section class="page">
<h2>6. Map: where the places are (schematic, not to scale)</h2>
<img class="map" alt="{esc(text, quote=True)}" src="data:image/png;base64,{png}">
<p class="small">{esc(text)}</p>
</section>"""


def section_cards() -> str:
    blocks = []
    for topic, label in (("byline", "Task 1: the byline and the date"), ("convoy", "Task 3: the aid convoy"),
                         ("white_helmets", "Who is behind it? The White Helmets' own claims and their awards")):
        blocks.append(f"<h3>{esc(label)}</h3>" + "".join(card.html() for card in cards.source_cards(topic)))
    questions = "".join(f"<li>{esc(q)}</li>" for q in cards.THREE_QUESTIONS)
    return f"""<section class="page cards">
<h2>7. Source cards (lateral reading without internet)</h2>
<p>Cut out the cards. For each, ask:</p><ol>{questions}</ol>
{''.join(blocks)}
</section>"""


def build_html(guide: str | None = None, questions_path: Path = QUESTIONS) -> str:
    """The whole packet as one HTML page (no remote resources)."""
    guide = GUIDE.read_text(encoding="utf-8") if guide is None else guide
    questions = bank(questions_path)
    info = article_info()
    body = "".join([section_cover(info), section_plan(guide), section_organiser(), section_exit_tickets(questions),
                    section_rubrics(questions), section_backgrounder(), section_map(),
                    section_cards()])
    style = STYLE.read_text(encoding="utf-8")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<title>Aleppo 2016: teacher's packet</title><style>{style}</style></head>
<body>{body}</body></html>
"""


# --------------------------------------------------------------------------
# The PDF
# --------------------------------------------------------------------------

def chromium_command(chromium: str, html_file: Path, pdf: Path, profile: Path) -> list[str]:
    """Headless Chromium printing a local file, with every background connection switched off."""
    return [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-extensions", "--disable-default-apps", f"--user-data-dir={profile}",
            "--no-pdf-header-footer", "--print-to-pdf-no-header", f"--print-to-pdf={pdf}", html_file.as_uri()]


def build_pdf(out: Path, *, html_out: Path | None = None, chromium: str = CHROMIUM) -> Path:
    """Write the packet as a PDF at `out` (and its HTML at `html_out`, if given)."""
    found = shutil.which(chromium) or (chromium if Path(chromium).exists() else None)
    if found is None:
        raise SystemExit(f"Chromium not found at {chromium!r}: install it (Debian: apt-get install chromium) "
                         "or pass --chromium PATH.")
    page = build_html()
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="aleppo2016-packet-") as tmp:
        html_file = Path(tmp) / "packet.html"
        html_file.write_text(page, encoding="utf-8")
        if out.exists():
            out.unlink()
        run = subprocess.run(chromium_command(found, html_file, out, Path(tmp) / "profile"),
                             capture_output=True, text=True, timeout=180, env={**os.environ, "HOME": tmp})
        if run.returncode != 0 or not out.exists() or out.stat().st_size == 0:
            raise SystemExit(f"Chromium did not write {out} (exit {run.returncode}):\n{run.stderr[-2000:]}")
    if html_out is not None:
        Path(html_out).write_text(page, encoding="utf-8")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the teacher's printable packet (PDF), offline.")
    parser.add_argument("--out", type=Path, default=Path("packet.pdf"), help="the PDF to write (default packet.pdf)")
    parser.add_argument("--html", type=Path, help="also write the HTML that was printed")
    parser.add_argument("--chromium", default=CHROMIUM, help=f"the Chromium to print with (default {CHROMIUM})")
    args = parser.parse_args(argv)
    out = build_pdf(args.out, html_out=args.html, chromium=args.chromium)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
