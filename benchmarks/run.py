"""Run every benchmark; print a markdown table and write benchmarks/results/latest.json.

Usage: .venv/bin/python benchmarks/run.py [--quick] [--runs N] [--churn N] [--skip-browser]

Each figure is measured next to its baseline in the same run and reported as a ratio:

1. Time to interactive (TTI): from the page request until the first form control of the
   rendered widgets is visible in headless Chromium, for 00_start, the steps 01..08 and
   09_trends (``?wb=demo&who=a``), against two bare notebooks (``benchmarks/baseline/``): one
   IntSlider, and one IntSlider plus matplotlib. Once with preheated kernels, once without.
   A page is compared with the bare matplotlib page when its kernel has matplotlib loaded,
   otherwise with the bare slider page. Target: <= 1.3x.
2. Kernel memory: PSS of the page's kernel (its own pages, plus its share of those it shares
   with the other kernels forked from the same template process) once the page is
   interactive and no chart is still being drawn in the background, against the bare
   matplotlib page's kernel. Target: <= 1.2x.
3. Saving a check-in with ``Workbook.add_checkin`` (500 saves; median and p99), and two writer
   processes at once (500 each), against plain ``sqlite3`` INSERTs with the same settings.
4. One person visits pages one after another in one tab (50, or 20 with --quick) on a third
   server with the production culling (15 min idle), then live kernels are counted 10 s after
   the last page is interactive: target <= the preheat pool (1 per notebook) + 1 (the page
   still open). Only the pages' own shutdown on leaving can meet it.
5. The trend chart (benchmarks/bench_trend_chart.py): data -> PNG; target <= 150 ms.

Nothing is asserted: each row says whether it meets its target.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil
from common import (
    CHROMIUM,
    NOTEBOOKS,
    RESULTS_DIR,
    VoilaServer,
    chromium,
    running_voila,
    wait_until,
)
from common import kernel_processes as harness_kernel_processes

from workbook.demo import write_demo
from workbook.serving import CELL_ERROR_MESSAGE, CULL_IDLE_TIMEOUT, CULL_INTERVAL, POOL_SIZE
from workbook.store import create

BASELINE_DIR = Path(__file__).resolve().parent / "baseline"
RESULTS = RESULTS_DIR / "latest.json"
#: True once no chart is still being drawn in the background (see workbook/ui/trends.py).
SETTLED_JS = "() => document.querySelectorAll('.ht-chart-pending').length === 0"
VIEWPORT = {"width": 1280, "height": 900}
PAGE_TIMEOUT_MS = 45_000

PAGES = [
    "00_start.ipynb",
    "01_safe_space.ipynb",
    "02_acknowledge_pain.ipynb",
    "03_empathy_patience.ipynb",
    "04_rebuild_trust.ipynb",
    "05_professional_support.ipynb",
    "06_self_care.ipynb",
    "07_intimacy_connection.ipynb",
    "08_walk_away.ipynb",
    "09_trends.ipynb",
]
BARE_SLIDER = "bare_slider.ipynb"
BARE_MPL = "bare_matplotlib.ipynb"
BASELINES = [BARE_SLIDER, BARE_MPL]
QUERY = {"wb": "demo", "who": "a"}

TTI_TARGET = 1.3
RSS_TARGET = 1.2
SAVES = 500
#: Seconds after the last visited page within which every left page's kernel must be gone.
LEFT_PAGE_WAIT_S = 10.0

#: Resolves with performance.now() (ms since the navigation started) once a form control in
#: the widget output is visible. ipywidgets 8 sliders have no <input>: their handle is a
#: ``role=slider`` element, so that counts as a form control too (the bare page has only one).
INTERACTIVE_JS = """() => {
  const sel = ':is(input, textarea, button, select, [role=slider])';
  for (const el of document.querySelectorAll('.jp-OutputArea-output ' + sel)) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden') {
      return performance.now();
    }
  }
  return false;
}"""
KERNEL_ID_JS = """() => {
  const node = document.getElementById('jupyter-config-data');
  return node ? (JSON.parse(node.textContent).kernelId || null) : null;
}"""
ERROR_SIGNS = ("There was an error when executing cell", CELL_ERROR_MESSAGE)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- the served folder and the server's kernels ---------------------------------------------


def make_site(root: Path) -> tuple[Path, Path]:
    """Copy the notebooks and the baselines into one folder; write the demo couple."""
    site = root / "site"
    site.mkdir()
    for nb in sorted(NOTEBOOKS.glob("*.ipynb")):
        shutil.copy2(nb, site / nb.name)
    for nb in BASELINES:
        shutil.copy2(BASELINE_DIR / nb, site / nb)
    data = root / "data"
    write_demo(data_dir=data).close()
    return site, data


def kernel_processes(server: VoilaServer) -> list[psutil.Process]:
    """The ipykernel processes under the Voila server."""
    return harness_kernel_processes(server.process.pid)


def kernel_process(server: VoilaServer, kernel_id: str | None) -> psutil.Process | None:
    if not kernel_id:
        return None
    for proc in kernel_processes(server):
        with contextlib.suppress(psutil.Error):
            if any(f"kernel-{kernel_id}.json" in part for part in proc.cmdline()):
                return proc
    return None


def has_matplotlib(proc: psutil.Process) -> bool:
    """True when the kernel has matplotlib's compiled modules mapped (it imported it)."""
    with contextlib.suppress(psutil.Error):
        return any("matplotlib" in m.path for m in proc.memory_maps(grouped=True))
    return False


def pool_fills(server: VoilaServer) -> dict[str, int]:
    """How often each notebook's kernel pool was reported filled in the server log."""
    counts: dict[str, int] = {}
    for line in server.log_text().splitlines():
        if "Kernel pool of" in line and "is filled" in line:
            name = line.split("Kernel pool of", 1)[1].split(" is filled", 1)[0].strip()
            key = Path(name).name
            counts[key] = counts.get(key, 0) + 1
    return counts


def settle(server: VoilaServer, max_wait: float = 20.0, busy_percent: float = 25.0) -> None:
    """Wait (at most `max_wait` s) until the server and its kernels are mostly idle.

    Only this server's processes count (busy_percent is of one core), so that runs do not
    overlap a refilling pool or a kernel shutting down; other load on the machine is
    recorded as the load average instead (see `machine_load`).
    """
    deadline = time.monotonic() + max_wait
    while time.monotonic() < deadline:
        try:
            root = psutil.Process(server.process.pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            return
        for proc in procs:
            with contextlib.suppress(psutil.Error):
                proc.cpu_percent(None)
        time.sleep(0.4)
        busy = 0.0
        for proc in procs:
            with contextlib.suppress(psutil.Error):
                busy += proc.cpu_percent(None)
        if busy < busy_percent:
            return


def machine_load() -> list[float]:
    """The 1, 5 and 15 minute load averages (other work on the machine skews timings)."""
    return [round(x, 2) for x in os.getloadavg()]


# --- one page in Chromium ---------------------------------------------------------------------


def open_page(browser: Any, server: VoilaServer, notebook: str) -> dict[str, Any]:
    """Open `notebook` in a fresh browser context; time until interactive; measure its kernel."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    result: dict[str, Any] = {"notebook": notebook}
    try:
        t0 = time.perf_counter()
        page.goto(server.page_url(notebook, **QUERY), wait_until="commit")
        handle = page.wait_for_function(INTERACTIVE_JS, polling="raf", timeout=PAGE_TIMEOUT_MS)
        result["tti_ms"] = float(handle.json_value())
        # The trends page draws its charts after it is usable; memory is read once they are
        # all there, so the figure is the page's full cost, not a snapshot from before it.
        page.wait_for_function(SETTLED_JS, timeout=PAGE_TIMEOUT_MS)
        result["settled_ms"] = (time.perf_counter() - t0) * 1000
        kernel_id = page.evaluate(KERNEL_ID_JS)
        proc = kernel_process(server, kernel_id)
        if proc is None:
            # Without its kernel the page cannot be measured (nor told apart as a chart page).
            raise RuntimeError(f"no kernel process found for kernel {kernel_id}")
        with contextlib.suppress(psutil.Error):
            memory = proc.memory_full_info()
            result["rss_mb"] = memory.rss / 2**20
            # Kernels are forked from one template process and share its pages: PSS counts
            # each shared page once across them (a kernel's own pages, plus its share).
            result["pss_mb"] = memory.pss / 2**20
        result["matplotlib"] = has_matplotlib(proc)
        html = page.content()
        result["error"] = any(sign in html for sign in ERROR_SIGNS)
    except Exception as exc:  # a page that never becomes interactive is a result too
        result["error"] = True
        result["failure"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    finally:
        context.close()
    return result


# --- figures 1, 2 and 4: pages ----------------------------------------------------------------


def measure_pages(
    browser: Any, server: VoilaServer, runs: int, preheat: bool
) -> dict[str, list[dict[str, Any]]]:
    """`runs` rounds over the baselines and the pages (interleaved); each page once a round."""
    order = [BARE_SLIDER, *PAGES[:5], BARE_MPL, *PAGES[5:]]
    samples: dict[str, list[dict[str, Any]]] = {nb: [] for nb in order}
    used: dict[str, int] = {}
    # Warm-up: the server compiles its templates, Chromium its caches; not counted.
    open_page(browser, server, BARE_SLIDER)
    used[BARE_SLIDER] = 1
    for run in range(runs):
        for nb in order:
            if preheat:
                # Wait until every used pool has been refilled, then for the CPU to calm down.
                wait_until(lambda: pools_refilled(server, used), timeout=60)
            settle(server)
            sample = open_page(browser, server, nb)
            samples[nb].append(sample)
            used[nb] = used.get(nb, 0) + 1
            log(
                f"{'preheated' if preheat else 'cold'} run {run + 1}/{runs} {nb}: "
                f"TTI {sample.get('tti_ms', float('nan')):.0f} ms, "
                f"RSS {sample.get('rss_mb', float('nan')):.0f} MB, "
                f"PSS {sample.get('pss_mb', float('nan')):.0f} MB"
                + (f" FAILED {sample.get('failure', 'error on page')}" if sample["error"] else "")
            )
    return samples


_INITIAL_FILLS: dict[int, dict[str, int]] = {}


def pools_refilled(server: VoilaServer, used: dict[str, int]) -> bool:
    """True once each pool has been refilled as often as a kernel was taken from it."""
    base = _INITIAL_FILLS.get(server.process.pid, {})
    fills = pool_fills(server)
    return all(fills.get(k, 0) >= base.get(k, 0) + n for k, n in used.items())


def wait_for_pools(server: VoilaServer, notebooks: int, timeout: float = 300.0) -> float:
    t0 = time.monotonic()
    ok = wait_until(lambda: len(pool_fills(server)) >= notebooks, timeout=timeout, step=0.5)
    if not ok:
        log(f"only {len(pool_fills(server))} of {notebooks} pools filled after {timeout:.0f} s")
    _INITIAL_FILLS[server.process.pid] = pool_fills(server)
    return time.monotonic() - t0


def churn(browser: Any, server: VoilaServer, count: int, bound: int) -> dict[str, Any]:
    """One person visits `count` pages one after another in one tab; count kernels 10 s later.

    The server keeps the production culling, so every left page's kernel must be freed by the
    page's own shutdown request as it is left (issue 19).
    """
    t0 = time.monotonic()
    ttis = []
    failures = 0
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    try:
        for i in range(count):
            try:
                page.goto(server.page_url(PAGES[i % len(PAGES)], **QUERY), wait_until="commit")
                handle = page.wait_for_function(
                    INTERACTIVE_JS, polling="raf", timeout=PAGE_TIMEOUT_MS
                )
                ttis.append(float(handle.json_value()))
                failures += any(sign in page.content() for sign in ERROR_SIGNS)
            except Exception as exc:  # a page that never becomes interactive is a result too
                failures += 1
                log(f"visit {i}: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
        elapsed = time.monotonic() - t0
        right_after = len(kernel_processes(server))
        log(f"visits: {count} pages in {elapsed:.0f} s; {right_after} kernels right after")
        time.sleep(LEFT_PAGE_WAIT_S)
        after_wait = len(kernel_processes(server))
        # If shutdowns lag, give them up to 30 s more, and report how long it took.
        t1 = time.monotonic()
        wait_until(lambda: len(kernel_processes(server)) <= bound, timeout=30, step=1)
        settled = len(kernel_processes(server))
        settle_extra = time.monotonic() - t1
    finally:
        with contextlib.suppress(Exception):
            page.close(run_before_unload=True)
        context.close()
    refused = server.log_text().count(" 403 POST /voila/api/shutdown/")
    return {
        "pages": count,
        "notebooks": sorted({PAGES[i % len(PAGES)] for i in range(count)}),
        "seconds": round(elapsed, 1),
        "failures": failures,
        "tti_median_ms": round(statistics.median(ttis), 1) if ttis else None,
        "kernels_right_after": right_after,
        "kernels_after_wait": after_wait,
        "wait_s": LEFT_PAGE_WAIT_S,
        "kernels_settled": settled,
        "settle_extra_s": round(settle_extra, 1),
        "expected_bound": bound,
        "refused_shutdowns": refused,
        "meets_target": after_wait <= bound and not refused,
    }


def summarise_pages(samples: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for nb, runs in samples.items():
        tti = [s["tti_ms"] for s in runs if "tti_ms" in s]
        rss = [s["rss_mb"] for s in runs if "rss_mb" in s]
        pss = [s["pss_mb"] for s in runs if "pss_mb" in s]
        out[nb] = {
            "runs": len(runs),
            "tti_ms": [round(t, 1) for t in tti],
            "tti_median_ms": round(statistics.median(tti), 1) if tti else None,
            "rss_mb": [round(r, 1) for r in rss],
            "rss_median_mb": round(statistics.median(rss), 1) if rss else None,
            "pss_median_mb": round(statistics.median(pss), 1) if pss else None,
            "settled_median_ms": (
                round(statistics.median(s["settled_ms"] for s in runs if "settled_ms" in s), 1)
                if any("settled_ms" in s for s in runs)
                else None
            ),
            "matplotlib": any(s.get("matplotlib") for s in runs),
            "errors": sum(bool(s["error"]) for s in runs),
            "failures": [s["failure"] for s in runs if "failure" in s],
        }
    return out


def page_server_run(
    browser: Any, site: Path, data: Path, *, runs: int, preheat: bool, churn_pages: int = 0
) -> dict[str, Any]:
    """One server on `site`: measure the pages (`runs` > 0) or open and close pages (churn).

    Every server uses the production culling settings (serving.py's defaults).
    """
    served = len(list(site.glob("*.ipynb")))
    name = "bench-churn" if churn_pages else ("bench-preheat" if preheat else "bench-cold")
    with running_voila(site, data, name=name, preheat=preheat) as server:
        result: dict[str, Any] = {"log": str(server.log_path), "notebooks_served": served}
        result["culling"] = {"cull_idle_timeout": CULL_IDLE_TIMEOUT, "cull_interval": CULL_INTERVAL}
        if preheat:
            log(f"waiting for the kernel pools of {served} notebooks to fill")
            result["pool_fill_s"] = round(wait_for_pools(server, served), 1)
            log(f"pools filled after {result['pool_fill_s']} s")
        if runs:
            samples = measure_pages(browser, server, runs, preheat)
            result["pages"] = summarise_pages(samples)
        if churn_pages:
            settle(server)
            # The pools, and the last visited page, still open.
            bound = (served * POOL_SIZE if preheat else 0) + 1
            result["churn"] = churn(browser, server, churn_pages, bound)
    return result


# --- figure 3: saving check-ins ----------------------------------------------------------------


def _save_loop(data_dir: str, count: int, start: Any, out: Any) -> None:
    """A writer process: `count` saves through the workbook API, each timed."""
    from workbook.store import open_workbook

    wb = open_workbook("bench", data_dir=Path(data_dir))
    start.wait()
    times = []
    for i in range(count):
        t0 = time.perf_counter()
        wb.add_checkin("a" if i % 2 else "b", 1 + i % 10, 1 + (i * 3) % 10, "benchmark")
        times.append(time.perf_counter() - t0)
    wb.close()
    out.put(times)


def _raw_loop(path: str, count: int, start: Any, out: Any) -> None:
    """The baseline writer: plain sqlite3 INSERTs, WAL, synchronous=FULL, BEGIN IMMEDIATE."""
    con = sqlite3.connect(path, timeout=30, isolation_level=None)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA synchronous = FULL")
    start.wait()
    times = []
    for i in range(count):
        t0 = time.perf_counter()
        con.execute("BEGIN IMMEDIATE")
        con.execute(
            "INSERT INTO t (author, at, mood, trust, note) VALUES (?, ?, ?, ?, ?)",
            ("a", datetime.now().isoformat(), i % 10, i % 10, "benchmark"),
        )
        con.execute("COMMIT")
        times.append(time.perf_counter() - t0)
    con.close()
    out.put(times)


def _writers(target: Callable[..., None], arg: str, procs: int, count: int) -> dict[str, Any]:
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    out = ctx.Queue()
    workers = [ctx.Process(target=target, args=(arg, count, start, out)) for _ in range(procs)]
    for w in workers:
        w.start()
    time.sleep(1.5 if procs > 1 else 0.5)  # let each process import and open the file
    t0 = time.perf_counter()
    start.set()
    times: list[float] = []
    for _ in workers:
        times.extend(out.get(timeout=600))
    total = time.perf_counter() - t0
    for w in workers:
        w.join(timeout=60)
    return {
        "processes": procs,
        "saves": len(times),
        "total_s": round(total, 3),
        "median_ms": round(statistics.median(times) * 1000, 3),
        "p99_ms": round(statistics.quantiles(times, n=100)[98] * 1000, 3),
        "max_ms": round(max(times) * 1000, 3),
    }


def filesystem(path: Path) -> str:
    """The file system type under `path` (fsync on tmpfs or overlay costs little)."""
    best = ("", "?")
    for part in psutil.disk_partitions(all=True):
        mount = part.mountpoint
        if str(path).startswith(mount) and len(mount) > len(best[0]):
            best = (mount, part.fstype)
    return f"{best[1]} on {best[0] or '?'}"


def bench_saves(root: Path, count: int = SAVES) -> dict[str, Any]:
    data = root / "saves"
    wb = create("bench", "Sam", "Alex", data_dir=data)
    journal = wb._con.execute("PRAGMA journal_mode").fetchone()[0]
    sync = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(
        wb._con.execute("PRAGMA synchronous").fetchone()[0], "?"
    )
    wb.close()
    raw_path = root / "raw.sqlite3"
    con = sqlite3.connect(raw_path)
    con.execute(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, author TEXT, at TEXT, mood INT, trust INT,"
        " note TEXT)"
    )
    con.close()
    return {
        "journal_mode": journal,
        "synchronous": sync,
        "filesystem_dir": str(root),
        "filesystem": filesystem(root),
        "api_single": _writers(_save_loop, str(data), 1, count),
        "raw_single": _writers(_raw_loop, str(raw_path), 1, count),
        "api_two_writers": _writers(_save_loop, str(data), 2, count),
        "raw_two_writers": _writers(_raw_loop, str(raw_path), 2, count),
    }


# --- figure 5: the trend chart -----------------------------------------------------------------


def bench_chart(root: Path, runs: int) -> dict[str, Any]:
    out = root / "trend.json"
    script = Path(__file__).resolve().parent / "bench_trend_chart.py"
    proc = subprocess.run(
        [sys.executable, str(script), "--runs", str(runs), "--json", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0 or not out.exists():
        return {"error": proc.stderr[-2000:]}
    return dict(json.loads(out.read_text(encoding="utf-8")))


# --- the table ---------------------------------------------------------------------------------


def _ratio(value: float | None, base: float | None) -> float | None:
    if value is None or not base:
        return None
    return value / base


def _fmt(x: float | None, unit: str = "", digits: int = 0) -> str:
    return "-" if x is None else f"{x:.{digits}f}{unit}"


def table_rows(results: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []

    def add(
        figure: str,
        value: str,
        baseline: str,
        ratio: float | None,
        target: str,
        ok: bool | None,
    ) -> None:
        rows.append(
            {
                "figure": figure,
                "value": value,
                "baseline": baseline,
                "ratio": None if ratio is None else round(ratio, 2),
                "target": target,
                "pass": ok,
            }
        )

    for mode in ("preheated", "cold"):
        run = results.get(f"pages_{mode}")
        if not run:
            continue
        pages = run["pages"]
        for nb in PAGES:
            page = pages[nb]
            bare = BARE_MPL if page["matplotlib"] else BARE_SLIDER
            base = pages[bare]["tti_median_ms"]
            ratio = _ratio(page["tti_median_ms"], base)
            note = f" ({page['errors']} errors)" if page["errors"] else ""
            add(
                f"TTI {mode} {nb.removesuffix('.ipynb')}{note}",
                _fmt(page["tti_median_ms"], " ms"),
                f"{bare.removesuffix('.ipynb')} {_fmt(base, ' ms')}",
                ratio,
                f"<= {TTI_TARGET}x",
                None if ratio is None else ratio <= TTI_TARGET and not page["errors"],
            )
        trends = pages.get("09_trends.ipynb")
        if trends and trends.get("settled_median_ms"):
            add(
                f"Trends {mode}: all five charts drawn (after the page is usable)",
                _fmt(trends["settled_median_ms"], " ms"),
                "-",
                None,
                "-",
                None,
            )
    for mode in ("preheated", "cold"):
        run = results.get(f"pages_{mode}")
        if not run:
            continue
        pages = run["pages"]
        base = pages[BARE_MPL]["pss_median_mb"]
        for nb in PAGES:
            value = pages[nb]["pss_median_mb"]
            ratio = _ratio(value, base)
            add(
                f"Kernel PSS {mode} {nb.removesuffix('.ipynb')}",
                _fmt(value, " MB"),
                f"bare_matplotlib {_fmt(base, ' MB')}",
                ratio,
                f"<= {RSS_TARGET}x",
                None if ratio is None else ratio <= RSS_TARGET,
            )
    saves = results.get("saves")
    if saves:
        api, raw = saves["api_single"], saves["raw_single"]
        label = (
            f"{saves['journal_mode'].upper()}, synchronous={saves['synchronous']}, "
            f"{saves['filesystem'].split(' ')[0]}"
        )
        for stat in ("median_ms", "p99_ms"):
            add(
                f"add_checkin {stat.split('_')[0]} ({api['saves']} saves, {label})",
                _fmt(api[stat], " ms", 2),
                f"raw sqlite3 INSERT {_fmt(raw[stat], ' ms', 2)}",
                _ratio(api[stat], raw[stat]),
                "-",
                None,
            )
        api2, raw2 = saves["api_two_writers"], saves["raw_two_writers"]
        add(
            f"2 writer processes x {api2['saves'] // 2}: total",
            _fmt(api2["total_s"], " s", 2),
            f"raw sqlite3 {_fmt(raw2['total_s'], ' s', 2)}",
            _ratio(api2["total_s"], raw2["total_s"]),
            "-",
            None,
        )
        add(
            "2 writer processes: per-save median",
            _fmt(api2["median_ms"], " ms", 2),
            f"raw sqlite3 {_fmt(raw2['median_ms'], ' ms', 2)}",
            _ratio(api2["median_ms"], raw2["median_ms"]),
            "-",
            None,
        )
    run = results.get("churn")
    if run and "churn" in run:
        c = run["churn"]
        add(
            f"Live kernels {c['wait_s']:.0f} s after one person visited {c['pages']} pages "
            "(production cull)",
            str(c["kernels_after_wait"]),
            f"pool {c['expected_bound'] - 1} (1 x {run['notebooks_served']} notebooks) + 1 open",
            _ratio(c["kernels_after_wait"], c["expected_bound"]),
            f"<= {c['expected_bound']}",
            bool(c["meets_target"]) and not c["failures"],
        )
    chart = results.get("trend_chart")
    if chart and "median_ms" in chart:
        add(
            f"Trend chart -> PNG ({chart['checkins']} check-ins)",
            _fmt(chart["median_ms"], " ms", 1),
            f"target {chart['target_ms']:.0f} ms",
            _ratio(chart["median_ms"], chart["target_ms"]),
            f"<= {chart['target_ms']:.0f} ms",
            bool(chart["meets_target"]),
        )
    return rows


def markdown(rows: list[dict[str, Any]]) -> str:
    header = ["figure", "value", "baseline", "ratio", "target", "pass"]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for row in rows:
        ok = {True: "PASS", False: "FAIL", None: "info"}[row["pass"]]
        ratio = "-" if row["ratio"] is None else f"{row['ratio']:.2f}x"
        cells = [row["figure"], row["value"], row["baseline"], ratio, row["target"], ok]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor(),
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 run per page, 20 churn pages")
    parser.add_argument("--runs", type=int, help="runs per page (default 3, 1 with --quick)")
    parser.add_argument("--churn", type=int, help="pages to open and close (default 50)")
    parser.add_argument("--skip-browser", action="store_true", help="only figures 3 and 5")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"JSON file ({RESULTS})")
    args = parser.parse_args(argv)
    runs = args.runs or (1 if args.quick else 3)
    churn_pages = args.churn if args.churn is not None else (20 if args.quick else 50)

    started = time.monotonic()
    results: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": {
            "runs": runs,
            "quick": args.quick,
            "churn_pages": churn_pages,
            "query": QUERY,
            "cull_idle_timeout": CULL_IDLE_TIMEOUT,
            "cull_interval": CULL_INTERVAL,
            "pool_size": POOL_SIZE,
            "chromium": CHROMIUM,
        },
    }
    load: dict[str, list[float]] = {"start": machine_load()}
    results["load_average"] = load
    with tempfile.TemporaryDirectory(prefix="workbook-bench-") as tmp:
        root = Path(tmp)
        log("figure 3: saving check-ins")
        results["saves"] = bench_saves(root)
        load["after_saves"] = machine_load()
        log("figure 5: trend chart")
        results["trend_chart"] = bench_chart(root, runs=3 if args.quick else 7)
        load["after_chart"] = machine_load()
        if not args.skip_browser:
            if not Path(CHROMIUM).exists():
                results["browser_error"] = f"no Chromium at {CHROMIUM}"
                log(results["browser_error"])
            else:
                site, data = make_site(root)
                with chromium() as browser:
                    log("figures 1, 2: preheated kernels")
                    results["pages_preheated"] = page_server_run(
                        browser, site, data, runs=runs, preheat=True
                    )
                    load["after_preheated"] = machine_load()
                    log("figures 1, 2: kernels started per page (no preheating)")
                    results["pages_cold"] = page_server_run(
                        browser, site, data, runs=runs, preheat=False
                    )
                    load["after_cold"] = machine_load()
                    if churn_pages:
                        log(f"figure 4: one person visits {churn_pages} pages, production cull")
                        results["churn"] = page_server_run(
                            browser, site, data, runs=0, preheat=True, churn_pages=churn_pages
                        )
                        load["after_churn"] = machine_load()
    results["seconds"] = round(time.monotonic() - started, 1)
    rows = table_rows(results)
    results["table"] = rows
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(markdown(rows))
    cpus = os.cpu_count() or 1
    print(f"\n{len(rows)} rows in {results['seconds']:.0f} s; JSON: {args.out}")
    print(
        f"Machine: {cpus} CPUs, {results['machine']['memory_gb']} GB; 1-minute load average "
        + ", ".join(f"{k} {v[0]}" for k, v in load.items())
        + " (the pages' own kernels and Chromium add to it)"
    )
    if load["start"][0] > cpus / 2:
        print(
            f"Note: the load average was already {load['start'][0]} on {cpus} CPUs before the "
            "benchmarks started: other work shared the machine, so absolute times are "
            "inflated; the ratios (measured side by side in the same run) are fairer."
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
