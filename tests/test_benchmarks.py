"""The benchmarks still run (issue 7): every code path with tiny repetition counts.

No timing is asserted here: these tests check that `benchmarks/run.py`
measures what it says and prints a well-formed table, so that the benchmark
code cannot rot between `make bench` runs. The footprint's venv building is
checked on an empty venv (no downloads); `make bench` builds the real ones.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
sys.path.insert(0, str(BENCH))

import bench_common  # noqa: E402
import bench_footprint  # noqa: E402
import run as bench_run  # noqa: E402
import widget_probe  # noqa: E402

EXPLORERS = {"TimelineExplorer", "FiguresExplorer", "VoicesBrowser", "ClaimsComparer"}
QUESTIONS = {f"question: {t}" for t in widget_probe.question_types()}  # every type the question bank uses


@pytest.fixture(scope="module")
def quick(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    """One quick run of every timed section, through the real entry point."""
    out = tmp_path_factory.mktemp("bench") / "quick.json"
    # A one-cell notebook: the notebooks are run elsewhere in the suite, so here a small one checks the code.
    folder = tmp_path_factory.mktemp("notebooks")
    nb = nbformat.v4.new_notebook()
    nb.cells.append(nbformat.v4.new_code_cell("import aleppo2016\naleppo2016.load_events().shape"))
    nbformat.write(nb, str(folder / "tiny.ipynb"))
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--quick", "--sections", "notebooks,widgets,import",
         "--notebooks", str(folder), "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8")), proc.stdout


def test_quick_run_prints_one_table_row_per_result(quick: tuple[dict, str]) -> None:
    report, stdout = quick
    lines = [line for line in stdout.splitlines() if line.startswith("|")]
    assert lines[0] == "| " + " | ".join(bench_run.COLUMNS) + " |"
    assert len(lines) == 2 + len(report["rows"])
    assert all(line.count("|") == len(bench_run.COLUMNS) + 1 for line in lines)
    assert stdout.startswith("Measured ") and report["machine"]["cores"] >= 1
    assert report["quick"] is True and report["machine"]["cpu"]


def test_every_section_measures_against_its_floor(quick: tuple[dict, str]) -> None:
    rows = quick[0]["rows"]
    by_section = {s: [r for r in rows if r["section"] == s] for s in ("notebooks", "widgets", "import")}
    sequence = by_section["notebooks"][0]
    assert sequence["name"].startswith("all 1 notebooks") and sequence["ratio"] > 0
    assert sequence["floor"]["median"] > 0 and sequence["ok"] in (True, False)
    assert [r["name"] for r in by_section["notebooks"][1:]] == ["tiny"]  # the sequence, then its one notebook
    assert sequence["target"] == "≤ 1.2×"
    bench_import = __import__("bench_import")
    assert [r["name"] for r in by_section["import"]] == [*bench_import.CASES, bench_import.FIRST_LOAD]
    for r in by_section["import"][:-1]:
        assert r["ratio"] == pytest.approx(r["measured"]["median"] / r["floor"]["median"])
    first_load = by_section["import"][-1]
    assert first_load["floor"] is None and first_load["target"] == "≤ 50 ms"
    assert 0 < first_load["measured"]["median"] < 5 and first_load["ok"] in (True, False)


def test_every_widget_is_driven_and_answers(quick: tuple[dict, str]) -> None:
    widgets = {r["name"]: r for r in quick[0]["rows"] if r["section"] == "widgets"}
    assert set(widgets) == EXPLORERS | QUESTIONS
    for name, r in widgets.items():
        assert r["interactions"] == 3
        assert 0 < r["measured"]["median"] <= r["p95"]["max"] + 1e-9
        assert r["target"] == "median ≤ 50 ms, p95 ≤ 100 ms"
    # The two charted explorers are compared with a chart drawn from scratch; the others have no chart.
    assert {n for n, r in widgets.items() if r["floor"]} == {"TimelineExplorer", "FiguresExplorer"}
    assert widgets["FiguresExplorer"]["redrawn"]["count"] >= 1


def test_summary_and_percentile() -> None:
    assert bench_common.summary([3.0, 1.0, 2.0]) == {"median": 2.0, "min": 1.0, "max": 3.0, "n": 3}
    assert bench_common.percentile([1, 2, 3, 4, 5], 50) == 3
    assert bench_common.percentile(list(range(101)), 95) == pytest.approx(95)
    assert bench_common.percentile([10, 20], 95) == pytest.approx(19.5)
    with pytest.raises(ValueError):
        bench_common.summary([])


def test_tree_size_counts_every_file_once(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.bin").write_bytes(b"1" * 1000)
    (tmp_path / "y.txt").write_bytes(b"2" * 24)
    (tmp_path / "link").symlink_to(tmp_path / "a" / "x.bin")  # a link costs its own few bytes, not the target's
    assert 1024 <= bench_footprint.tree_size(tmp_path) < 1024 + 200


def test_cached_venv_is_reused_then_replaced_when_its_key_changes(tmp_path: Path) -> None:
    first = bench_footprint.build_venv("empty", [], "key1", cache=tmp_path)
    assert (first / "bin" / "python").exists() and first.name == "empty-key1"
    marker = first / "marker"
    marker.write_text("kept")
    assert bench_footprint.build_venv("empty", [], "key1", cache=tmp_path) == first and marker.exists()
    second = bench_footprint.build_venv("empty", [], "key2", cache=tmp_path)
    assert second.name == "empty-key2" and not first.exists()
    assert not list(tmp_path.glob("*.building"))


def test_cache_key_follows_pyproject_and_package_list() -> None:
    key = bench_footprint.cache_key("floor4", "pandas")
    assert key == bench_footprint.cache_key("floor4", "pandas")
    assert key != bench_footprint.cache_key("floor4", "pandas", "nbval")


def test_update_readme_replaces_only_between_the_markers(tmp_path: Path, quick: tuple[dict, str]) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n\nbefore\n{bench_run.START}\nold table\n{bench_run.END}\nafter\n", encoding="utf-8")
    bench_run.update_readme(quick[0], readme)
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# Title\n\nbefore\n") and text.endswith(f"{bench_run.END}\nafter\n")
    assert "old table" not in text and bench_run.table(quick[0]["rows"]) in text
    assert bench_run.machine_line(quick[0]) in text
    readme.write_text("no markers\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="markers"):
        bench_run.update_readme(quick[0], readme)


def test_the_readme_has_the_markers_make_bench_fills() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.index(bench_run.START) < text.index(bench_run.END)
    assert text.index("## Benchmarks") < text.index(bench_run.START)
