"""A class at once: N students on one JupyterHub on this machine (issue 17).

    python benchmarks/bench_hub.py --students 30          the full class, arriving within a minute (a few minutes)
    python benchmarks/bench_hub.py --arrival 0            ... all at the same second
    python benchmarks/bench_hub.py --prestart             ... their servers started before the lesson
    python benchmarks/run.py --sections hub               the same, as a section of `make bench`

A real JupyterHub on 127.0.0.1 (tests/hub/local_hub.py, started with
jupyter/hub/jupyterhub_config.py) and the repository over smart HTTP git. For
every student: their server is started through the hub's REST API, the hub
link's repository (the student edition) is pulled by nbgitpuller, the student
opens notebook 03 as JupyterLab does (its page, settings, the notebook, a
checkpoint: tests/hub/local_hub.py's open_in_lab), the notebook is run top to
bottom in a kernel, one question is answered (its Check button
pressed, as the front end's widget message), and the student changes the
figures explorer four times, reading the chart 2–6 s before each change:
issue 17's class, "30 students log in and open a notebook within a minute,
run it, answer its questions and change an explorer". Students arrive spread
evenly over --arrival seconds (default 60), so most of these changes are made
while others are still starting. Then, with the whole class in, six more
changes each at the same reading pace (the class at work), then a stress test:
every student changes the explorer six more times, 0.5–2 s apart (about 24
redraws a second for 30 students), to show where the machine's limit is. Then, with every kernel still running:

  server start     the hub's start request until the hub says the server is ready;
  to kernel        the start request until the notebook's kernel answers;
  run all          every code cell of notebook 03, one after the other;
  widget response  a widget message sent until the kernel is idle again after
                   handling it (the chart redrawn and its PNG sent back): the
                   kernel's and the transport's share of a click, not the
                   browser's drawing (benchmarks/bench_browser.py times that);
                   in the lesson, with the class at work, and in the stress test;
  memory           RSS and PSS (shared pages divided among the processes that
                   share them) from /proc/PID/smaps_rollup, of each student's
                   single-user server and kernel, and of the hub and its proxy;
  CPU time         each student's server and kernel, from /proc/PID/stat: what
                   a class costs the machine's cores;
  click to pixels  --browsers more students (default 2) in Chromium: they log in, and once
                   the first student has run the notebook they click the figures explorer
                   while the rest of the class arrives (benchmarks/bench_browser.py's
                   measurement: click to the new chart painted);
  hub API latency  every GET of the hub's REST API made during the load (the
                   students' status polls; not the start requests, which
                   wait for the server);
  machine CPU      the cores' busy time during the class (/proc/stat), split into
                   the hub's side (everything the hub runs) and the rest: the load
                   test's own clients, which in a classroom run on other machines.

Targets (issue 17): no error, widget response p95 < 300 ms (in the lesson and
with the class at work), at most 200 MB per student. Nothing is asserted: a missed target is reported. Everything stops
by itself at the end.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import bench_browser  # click to pixels in Chromium, reused for the students in a browser
from bench_common import ROOT, fmt_size, fmt_time, machine, percentile, row, summary

sys.path.insert(0, str(ROOT / "tests" / "hub"))
import local_hub  # noqa: E402  (tests/hub/local_hub.py: the hub, the git server, a student through the API)
from local_hub import lab  # noqa: E402  (tests/browser/lab.py)

WIDGET_TARGET = 0.300  # seconds, p95
MEMORY_TARGET = 200e6  # bytes per student (PSS of server + kernel)


def _spread(samples: list[float]) -> dict[str, float]:
    s = summary(samples)
    s["p95"] = percentile(samples, 95)
    return s


def browser_students(hub: local_hub.Hub, users: list[str], arriving: threading.Event, clicks: int
                     ) -> tuple[list[dict[str, float]], list[str]]:
    """Students in Chromium: each logs in, then, once the first student of the class has run the
    notebook, clicks the figures explorer `clicks` times while the others arrive
    (bench_browser.measure: click to new pixels)."""
    from playwright.sync_api import sync_playwright

    samples, errors = [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(lab.CHROMIUM), args=lab.CHROMIUM_ARGS, headless=True)
        try:
            pages = []
            for user in users:
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                context.set_default_timeout(lab.TIMEOUT_MS)
                context.add_init_script(bench_browser._WEBSOCKET_PROBE)
                page = context.new_page()
                local_hub.log_in(page, hub, user)
                pages.append((user, page))
            arriving.wait(timeout=900)
            for user, page in pages:
                try:
                    samples += bench_browser.measure(page, local_hub.StudentPages(hub, user), "FiguresExplorer",
                                                     clicks, warmup=2)
                except Exception as err:  # reported with the figures, as the API students' errors are
                    errors.append(f"{user} (browser): {err!r}")
        finally:
            browser.close()
    return samples, errors


def measure(students: int, work: Path, arrival: float = 60.0, browsers: int = 2, clicks: int = 15,
            prestart: bool = False) -> dict[str, Any]:
    """Run the class; return every figure (and every error) as plain data."""
    users = [f"student{i:02d}" for i in range(1, students + 1)]
    in_browser = [f"browser{i:02d}" for i in range(1, browsers + 1)]
    git_server = local_hub.start_git_server(work / "git")
    try:
        repo = local_hub.class_repo(work, git_server)
        hub = local_hub.start_hub(work / "hub", users + in_browser)
        try:
            start = time.perf_counter()
            busy, hub_side = local_hub.machine_busy_seconds(), local_hub.hub_cpu_seconds(hub)
            arriving = threading.Event()
            with ThreadPoolExecutor(1) as pool:
                lessons = pool.submit(local_hub.class_lessons, hub, users, repo.url, arrival=arrival,
                                      arriving=arriving, prestart=prestart)
                try:
                    clicked, browser_errors = browser_students(hub, in_browser, arriving, clicks) if browsers else ([], [])
                finally:
                    results = lessons.result()
            wall = time.perf_counter() - start
            busy, hub_side = local_hub.machine_busy_seconds() - busy, local_hub.hub_cpu_seconds(hub) - hub_side
            machine_cpu = {"cores": os.cpu_count(), "busy": busy, "hub_side": hub_side, "rest": busy - hub_side}
            errors = [f"{u}: {r!r}" for u, r in zip(users, results) if isinstance(r, BaseException)]
            done = [r for r in results if not isinstance(r, BaseException)]
            errors += [f"{r['user']}: {e}" for r in done for e in r["errors"]]
            errors += [f"{r['user']}: the explorer did not follow its widget messages" for r in done
                       if not r["explorer_followed"]]
            errors += browser_errors
            per_student, hub_memory = [], {}
            for user, pids in hub.processes().items():
                parts = {local_hub.process_name(pid): {**local_hub.memory(pid), "cpu": local_hub.cpu_seconds(pid)}
                         for pid in pids}
                if user == "?":  # the hub itself and its proxy carry the run's marker but no user
                    hub_memory = parts
                    continue
                if user in in_browser:  # their kernels were a scratch notebook's, shut down after the clicks
                    continue
                total = {k: sum(p[k] for p in parts.values()) for k in ("rss", "pss", "cpu")}
                per_student.append({"user": user, **total, "parts": parts})
            api = list(hub.api_seconds)
        finally:
            local_hub.stop_hub(hub)
    finally:
        git_server.stop()
    return {"students": students, "arrival": arrival, "prestart": prestart, "browsers": browsers, "clicks": clicked, "wall": wall, "errors": errors, "lessons": done, "memory": per_student,
            "hub_memory": hub_memory, "hub_api": api, "machine_cpu": machine_cpu}


def rows_of(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The section's rows for benchmarks/run.py's table."""
    n, done = result["students"], result["lessons"]
    label = f"{n} students within {result['arrival']:g} s" + (", servers started before" if result.get("prestart") else "")
    failed = {e.split(":")[0] for e in result["errors"]}
    rows = [row("hub", f"{label}: lessons without an error", {"median": n - len(failed), "min": n - len(failed),
                "max": n - len(failed), "n": 1}, None, unit="count", target=f"{n} of {n}",
                ok=not result["errors"], note="; ".join(result["errors"][:5]))]
    for key, name in (("server_start", "server start"), ("to_kernel", "start to kernel ready"),
                      ("run_all", "notebook 03 run all")):
        if done:
            rows.append(row("hub", f"{label}: {name}", _spread([r[key] for r in done]), None, unit="s",
                            target="–"))
    for key, name, targeted in (("lesson_seconds", "explorer change in the lesson, class arriving", True),
                                ("working_seconds", "explorer change, class at work", True),
                                ("check_seconds", "question's Check", True),
                                ("explorer_seconds", "explorer change, stress: whole class every 0.5–2 s", False)):
        clicks = [s for r in done for s in r.get(key, [])]
        if clicks:
            spread = _spread(clicks)
            rows.append(row("hub", f"{label}: widget response, {name} (kernel + transport)", spread, None,
                            unit="s", target="p95 < 300 ms" if targeted else "–",
                            ok=spread["p95"] < WIDGET_TARGET if targeted else None, p95={"median": spread["p95"]}))
    painted = [c["painted"] for c in result.get("clicks", [])]
    if painted:
        spread = _spread(painted)
        rows.append(row("hub", f"{label}: click to new pixels in Chromium ({result['browsers']} students)",
                        spread, None, unit="s", target="p95 < 300 ms", ok=spread["p95"] < WIDGET_TARGET,
                        p95={"median": spread["p95"]}))
    if result["memory"]:
        for key in ("pss", "rss"):
            values = [m[key] for m in result["memory"]]
            ok = max(values) <= MEMORY_TARGET if key == "pss" else None
            rows.append(row("hub", f"{label}: memory per student, {key.upper()} (server + kernel)",
                            summary(values), None, unit="bytes", target="≤ 200 MB" if key == "pss" else "–", ok=ok))
    if result["memory"] and "cpu" in result["memory"][0]:
        rows.append(row("hub", f"{label}: CPU time per student (server + kernel, whole run)",
                        summary([m["cpu"] for m in result["memory"]]), None, unit="s", target="–"))
    if result["hub_api"]:
        spread = _spread(result["hub_api"])
        rows.append(row("hub", f"{label}: hub API latency", spread, None, unit="s", target="–",
                        p95={"median": spread["p95"]}))
    return rows


def report(result: dict[str, Any]) -> str:
    """The figures as a Markdown table for the README's hub sizing section."""
    done, mem = result["lessons"], result["memory"]
    before = ", servers started before the lesson" if result.get("prestart") else ""
    lines = [f"| {result['students']} students arriving within {result['arrival']:g} s{before} | median | p95 | min–max |",
             "|---|---|---|---|"]

    def line(name: str, values: list[float], fmt: Any) -> None:
        if values:
            lines.append(f"| {name} | {fmt(percentile(values, 50))} | {fmt(percentile(values, 95))} | "
                         f"{fmt(min(values))}–{fmt(max(values))} |")

    line("Server start (request → ready)" + (", before the lesson" if before else ""),
         [r["server_start"] for r in done], fmt_time)
    line("Arrival → notebook's kernel ready" if before else "Start → notebook's kernel ready",
         [r["to_kernel"] for r in done], fmt_time)
    line("Notebook 03, run all", [r["run_all"] for r in done], fmt_time)
    line("Widget response: explorer change in the lesson (class arriving)",
         [s for r in done for s in r.get("lesson_seconds", [])], fmt_time)
    line("Widget response: explorer change, class at work (all in, same pace)",
         [s for r in done for s in r.get("working_seconds", [])], fmt_time)
    line("Widget response: question's Check", [s for r in done for s in r["check_seconds"]], fmt_time)
    line(f"Explorer click → new pixels in Chromium ({result.get('browsers', 0)} students in a browser, class arriving)",
         [c["painted"] for c in result.get("clicks", [])], fmt_time)
    line("Stress: explorer change, whole class every 0.5–2 s", [s for r in done for s in r["explorer_seconds"]], fmt_time)
    line("Hub API call", result["hub_api"], fmt_time)
    for key in ("pss", "rss"):
        line(f"Memory per student, {key.upper()} (server + kernel)", [m[key] for m in mem], fmt_size)
    for part in ("server", "kernel"):
        line(f"… of which {part}, PSS", [m["parts"][part]["pss"] for m in mem if part in m["parts"]], fmt_size)
    line("CPU time per student, server + kernel (whole run)", [m["cpu"] for m in mem if "cpu" in m], fmt_time)
    for part in ("server", "kernel"):
        line(f"… of which {part}", [m["parts"][part]["cpu"] for m in mem if "cpu" in m["parts"].get(part, {})],
             fmt_time)
    for name, values in sorted(result["hub_memory"].items()):
        lines.append(f"| {name.capitalize()} process (once per hub), RSS / PSS | {fmt_size(values['rss'])} / "
                     f"{fmt_size(values['pss'])} | | |")
    lines.append(f"| Whole class: first request → last lesson done | {fmt_time(result['wall'])} | | |")
    if "machine_cpu" in result:
        cpu = result["machine_cpu"]
        lines.append(f"| Machine CPU in that time: busy / available ({cpu['cores']} cores) | "
                     f"{fmt_time(cpu['busy'])} / {fmt_time(cpu['cores'] * result['wall'])} | | |")
        lines.append(f"| … the hub's side (hub, proxy, students' servers and kernels) | {fmt_time(cpu['hub_side'])} | | |")
        lines.append(f"| … the rest: the load test's clients (driver, Playwright, Chromium) and its git server "
                     f"| {fmt_time(cpu['rest'])} | | |")
    lines.append(f"| Errors | {len(result['errors'])} | | |")
    return "\n".join(lines)


def _load() -> list[float]:
    return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]


def run(students: int = 30, arrival: float = 60.0, browsers: int = 2, prestart: bool = False) -> list[dict[str, Any]]:
    problem = local_hub.hub_problem()
    if problem:
        raise SystemExit(problem)
    with tempfile.TemporaryDirectory(prefix="aleppo2016-bench-hub-") as tmp:
        before = _load()
        result = measure(students, Path(tmp), arrival, browsers=browsers if lab.browser_problem() is None else 0,
                         prestart=prestart)
        result["load_average"] = {"before": before, "after": _load()}  # 1, 5 and 15 minutes: how busy the machine was
    print(f"load average before: {before}, after: {result['load_average']['after']}", file=sys.stderr)
    print(report(result), file=sys.stderr)
    out = ROOT / "benchmarks" / "results" / (f"hub-{students}-in-{arrival:g}s"
                                              + (f"-{browsers}-browsers" if browsers else "")
                                              + ("-prestarted" if prestart else "") + ".json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"machine": machine(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                               **result}, indent=1) + "\n", encoding="utf-8")
    return rows_of(result)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--arrival", type=float, default=60.0, help="seconds over which the students arrive")
    parser.add_argument("--browsers", type=int, default=2, help="students in Chromium besides the API ones")
    parser.add_argument("--prestart", action="store_true",
                        help="start every student's server before the lesson (the admin page's Start All)")
    args = parser.parse_args(argv)
    run(args.students, args.arrival, args.browsers, args.prestart)


if __name__ == "__main__":
    main()
