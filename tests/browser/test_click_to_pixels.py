"""The click-to-pixels benchmark (benchmarks/bench_browser.py) still measures what it says.

No time is asserted (timing belongs in the benchmarks): a few real clicks on
the figures explorer must each bring a new chart, with the parts of each
click's time in order.
"""
from __future__ import annotations

import sys
from typing import Any

import pytest

import lab

sys.path.insert(0, str(lab.REPO / "benchmarks"))
import bench_browser  # noqa: E402


def test_gray_code_never_comes_back_to_a_state() -> None:
    flips = bench_browser.gray_code_flips(4, 15)
    state, seen = 0, {0}
    for flip in flips:
        state ^= 1 << flip
        assert state not in seen
        seen.add(state)
    with pytest.raises(ValueError, match="only 15 new states"):
        bench_browser.gray_code_flips(4, 16)


@pytest.mark.browser
def test_clicks_are_timed_from_click_to_painted_chart(lab_server: lab.LabServer, chromium: Any) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(lab.TIMEOUT_MS)
    context.add_init_script(bench_browser._WEBSOCKET_PROBE)
    try:
        samples = bench_browser.measure(context.new_page(), lab_server, "FiguresExplorer", clicks=3, warmup=1)
    finally:
        context.close()
    assert len(samples) == 3
    for s in samples:
        assert 0 < s["sent"] < s["image_message"] <= s["src"] <= s["frame"], s
        assert s["src"] <= s["decoded"] <= s["painted"], s
        assert 0 < s["in_kernel"], s  # the kernel wrote how long it took
