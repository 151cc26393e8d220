"""Time data -> PNG for the mood and trust trend chart on five years of daily check-ins.

Usage: .venv/bin/python benchmarks/bench_trend_chart.py [--runs N] [--json out.json]
Two partners x five years of daily check-ins (3,652 `CheckIn`s) are built once; each run then
times `mood_trust_chart(...)` plus `figure_to_png(...)`. The median of the runs is compared
with the target of 150 ms.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import matplotlib

from workbook.charts import figure_to_png, mood_trust_chart
from workbook.domain import STEPS, CheckIn

TARGET_MS = 150.0
YEARS = 5


def make_checkins(years: int = YEARS, seed: int = 7) -> list[CheckIn]:
    """Two partners' daily check-ins for `years` years, with a slow upward drift and noise."""
    rnd = random.Random(seed)
    start = date(2020, 1, 1)
    days = 365 * years + years // 4 + 1
    out: list[CheckIn] = []
    for pid, base in (("a", 4.0), ("b", 5.0)):
        for i in range(days):
            d = start + timedelta(days=i)
            drift = 3 * i / days
            mood = min(10, max(1, round(base + drift + rnd.gauss(0, 1.3))))
            trust = min(10, max(1, round(base - 1 + drift + rnd.gauss(0, 1.3))))
            out.append(CheckIn(pid, mood, trust, at=datetime(d.year, d.month, d.day, 20)))
    return out


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print a table line and optionally write JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs (default 7)")
    parser.add_argument("--json", type=Path, help="write the results to this JSON file")
    args = parser.parse_args(argv)

    checkins = make_checkins()
    names = {"a": "Sam", "b": "Alex"}
    milestones = [
        (date(2020, 1, 1) + timedelta(days=120 * step), f"Step {step}: {STEPS[step]}")
        for step in range(1, 9)
    ]
    png = figure_to_png(mood_trust_chart(checkins, names, milestones))  # warm-up (font cache)
    times_ms = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        png = figure_to_png(mood_trust_chart(checkins, names, milestones))
        times_ms.append((time.perf_counter() - t0) * 1000)
    median = statistics.median(times_ms)
    ok = median <= TARGET_MS
    widths = (-28, 8, 4, 9, 7, 7)
    header = ("benchmark", "checkins", "runs", "median ms", "min ms", "target")
    print(
        " ".join(
            f"{h:{'<' if w < 0 else '>'}{abs(w)}}" for h, w in zip(header, widths, strict=True)
        )
    )
    print(
        f"{'mood_trust_chart -> PNG':<28} {len(checkins):>8} {args.runs:>4} "
        f"{median:>9.1f} {min(times_ms):>7.1f} {'<= ' + str(int(TARGET_MS)):>7}"
        f"  {'OK' if ok else 'SLOWER THAN TARGET'}"
    )
    if args.json:
        result = {
            "benchmark": "mood_trust_chart_png",
            "checkins": len(checkins),
            "years": YEARS,
            "runs": args.runs,
            "times_ms": [round(t, 2) for t in times_ms],
            "median_ms": round(median, 2),
            "min_ms": round(min(times_ms), 2),
            "target_ms": TARGET_MS,
            "meets_target": ok,
            "png_bytes": len(png),
            "python": platform.python_version(),
            "matplotlib": matplotlib.__version__,
            "machine": platform.machine(),
        }
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
