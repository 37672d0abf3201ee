"""Widget latency in the browser: from a slider key press to the first visible response, and for
the widgets that train, to the final result.

Each chapter is opened in JupyterLab (headless Debian Chromium, the machinery of the browser
tests), run once, and every explorer on the page gets ``--moves`` arrow-key presses on its sliders
(right then left, slider after slider). In the page, a MutationObserver stamps ``performance.now()``
when the explorer's image ``src`` changes (the figure is the last thing a redraw updates; the
readout comes before it); the first visible response of a move is the first such stamp minus the
keydown's. An explorer that trains in the background (its readout says "training...") draws again
as it trains; its time to the final result is the stamp of its last picture, once the readout says
training is over. The script prints a Markdown table (median and 90th percentile per widget; goal:
median <= 100 ms and p90 <= 150 ms for the first response) and writes it to
``benchmarks/results_widgets.md``.

Usage::

    python benchmarks/bench_widgets.py                 # every chapter, 20 moves per widget
    python benchmarks/bench_widgets.py --chapters 04 07 --moves 30 --no-write
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import booklab

GOAL_MS = 100.0
GOAL_P90_MS = 150.0


def percentile(values, q):
    """Linear-interpolated percentile, q in [0, 100]."""
    xs = sorted(values)
    if len(xs) == 1:
        return xs[0]
    pos = (len(xs) - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def slider_positions(state: dict) -> list[int]:
    return [c["i"] for c in state["controls"] if c["kind"] == "slider" and not c.get("disabled")]


def _training(state: dict) -> bool:
    return "training" in state["readout"].get("progress", "")


def measure_explorer(chapter: booklab.Chapter, index: int, moves: int, timeout: float = 10.0):
    """First-response latencies (ms) of ``moves`` key presses on the sliders of one explorer, the
    times to the final result of those moves that started a training run, and the missed moves."""
    state = chapter.explorer_state(index)
    sliders = slider_positions(state)
    if not sliders:
        return [], [], 0
    latencies, finals, missed = [], [], 0
    for k in range(moves):
        position = sliders[(k // 2) % len(sliders)]
        key = "ArrowRight" if k % 2 == 0 else "ArrowLeft"
        before = chapter.explorer_state(index)
        chapter.watch(index)
        chapter.press(index, position, key)
        deadline = time.monotonic() + timeout
        readout_seen = None
        while True:
            marks = chapter.marks()
            if marks["img"] is not None:
                break
            if marks["readout"] is not None:
                # a move that leaves the figure as it was (same PNG) only changes the readout
                readout_seen = readout_seen or time.monotonic()
                if time.monotonic() - readout_seen > 0.5:
                    break
            if time.monotonic() > deadline:
                break
            time.sleep(0.005)
        end = marks["img"] if marks["img"] is not None else marks["readout"]
        if end is None or marks["t0"] is None:
            # at a slider's end the key does nothing: step back the other way
            now = chapter.explorer_state(index)
            if now["controls"][position]["value"] == before["controls"][position]["value"]:
                chapter.press(index, position, "ArrowLeft" if key == "ArrowRight" else "ArrowRight")
                chapter.wait_redraw(index, before, timeout=timeout)
            missed += 1
            continue
        latencies.append(end - marks["t0"])
        if _training(chapter.explorer_state(index)):  # wait for the final result
            while _training(chapter.explorer_state(index)) and time.monotonic() < deadline + 60:
                time.sleep(0.02)
            time.sleep(0.3)  # the final picture follows the final readout
            finals.append(chapter.marks()["imgLast"] - marks["t0"])
        time.sleep(0.05)  # let the page settle between moves
    return latencies, finals, missed


def run(chapter_filter: list[str], moves: int):
    rows = []
    names = [n for n in booklab.chapter_names() if booklab.chapter_widgets(n)]  # book.toml
    if chapter_filter:
        names = [n for n in names if any(n.startswith(f) for f in chapter_filter)]
    from playwright.sync_api import sync_playwright

    with booklab.LabServer() as server, sync_playwright() as p:
        browser = booklab.launch_browser(p)
        for name in names:
            path = booklab.chapter_path(name)
            chapter = booklab.Chapter(server, browser, path)
            try:
                chapter.open()
                chapter.run_all()
                seen = {}
                for e in chapter.explorers():
                    seen[e["name"]] = seen.get(e["name"], 0) + 1
                    label = e["name"] if seen[e["name"]] == 1 else f"{e['name']} #{seen[e['name']]}"
                    chapter.explorer_locator(e["index"]).scroll_into_view_if_needed()
                    lat, finals, missed = measure_explorer(chapter, e["index"], moves)
                    row = {"chapter": name, "widget": label, "moves": len(lat), "missed": missed}
                    if lat:
                        row.update(median=statistics.median(lat), p90=percentile(lat, 90),
                                   min=min(lat), max=max(lat))
                    if finals:
                        row.update(final_median=statistics.median(finals), final_p90=percentile(finals, 90))
                    rows.append(row)
                    print(f"{name} {label}: " + (f"median {row['median']:.0f} ms, p90 {row['p90']:.0f} ms "
                                                 f"({len(lat)} moves)" if lat else "no slider moved"), flush=True)
            finally:
                chapter.close()
        browser.close()
    return rows


def table(rows) -> str:
    lines = [
        "| chapter | widget | moves | first response: median (ms) | p90 (ms) | min (ms) | max (ms) "
        "| at the goal | final result: median (ms) | p90 (ms) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    for r in rows:
        final = (f"{r['final_median']:.0f} | {r['final_p90']:.0f}" if "final_median" in r else
                 "same | same")
        if r["moves"]:
            ok = "yes" if r["median"] <= GOAL_MS and r["p90"] <= GOAL_P90_MS else "**no**"
            lines.append(f"| {r['chapter'][:2]} | `{r['widget']}` | {r['moves']} | {r['median']:.0f} | "
                         f"{r['p90']:.0f} | {r['min']:.0f} | {r['max']:.0f} | {ok} | {final} |")
        else:
            lines.append(f"| {r['chapter'][:2]} | `{r['widget']}` | 0 | - | - | - | - | no slider moved | - | - |")
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--chapters", nargs="*", default=[], help="chapter number prefixes, e.g. 04 07")
    ap.add_argument("--moves", type=int, default=20)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results_widgets.md"))
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)
    reason = booklab.browser_unavailable_reason()
    if reason:
        sys.exit(f"cannot run the widget benchmark: {reason}")
    load_before = os.getloadavg()[0]
    rows = run(args.chapters, args.moves)
    load_after = os.getloadavg()[0]
    md = table(rows)
    print()
    print(md)
    if not args.no_write:
        slow = [r["widget"] for r in rows if r["moves"] and (r["median"] > GOAL_MS or r["p90"] > GOAL_P90_MS)]
        verdict = ("Every widget meets the goal." if not slow else
                   "Not yet at the goal: " + ", ".join(f"`{w}`" for w in slow) + ".")
        text = (
            "# Widget latency in the browser\n\n"
            "Time from a slider key press (keydown) to the first visible response (the explorer's image\n"
            "replaced; its readout is updated just before) and, for an explorer that trains in the\n"
            "background, to its final result (its last picture), measured in the page with `performance.now()` by\n"
            f"`benchmarks/bench_widgets.py`: JupyterLab on 127.0.0.1, headless Chromium, {args.moves} arrow-key\n"
            "moves per widget over its sliders (moves after which nothing on screen changed, such as the\n"
            "leaky-ReLU slope while f is the sigmoid, are not counted). Goal for the first response: median\n"
            "<= 100 ms and p90 <= 150 ms. \"same\": the first response is the final result.\n\n"
            f"{md}\n\n{verdict}\n\n"
            f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores "
            f"({platform.machine()}, Python {platform.python_version()}); 1-minute load average "
            f"{load_before:.1f} before the run and {load_after:.1f} after it (JupyterLab, Chromium and the kernels "
            "of the run included).\n"
        )
        Path(args.out).write_text(text)
        print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
