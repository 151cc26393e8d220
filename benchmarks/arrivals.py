"""Arrivals in a workshop room, measured on the server's side: no browser renders anything.

Usage: .venv/bin/python benchmarks/arrivals.py [--at-once N] [--spread N] [--over S]
       [--start-pool N] [--no-preheat]

Starts the workshop server (workshop mode, join codes, production settings) on loopback with
20 couples, then plays two arrivals with an asyncio client that speaks what a phone's browser
speaks to the server, and nothing more:

1. GET the start page with the couple's code and who is writing (``?code=…&who=a``), reading
   the whole response (Voila sends it as the page's cells run);
2. open the page kernel's channels websocket in the v1 protocol (as JupyterLab's widget manager
   does), open the ``jupyter.widget.control`` comm and ask for every widget's state;
3. stop the clock when the states hold the page's ``Save check-in`` button: the page's widgets
   are all created, and a browser would only have to draw them.

After the spread arrivals, the 40 partners choose mood and trust and all press Save at the same
moment (comm messages, as the widgets send them); each save is timed until the page says it
was saved. Target: median <= 2 s.

Scenario "at once": N partners (10) send their request at the same moment. Scenario
"spread": N partners (40) arrive one after another, evenly over S seconds (60). Targets on a
2-core machine: at once, median <= 5 s and every one <= 10 s; spread, median <= 3 s.

The simulated phones cost the server's machine almost nothing (one asyncio loop, no
Chromium), so the figures are the server's own time. `make load` runs it after the browser test
(whose figure includes 40 Chromium renderers sharing the same cores); the results are printed
and written to benchmarks/results/arrivals.json. The machine's load average at the start and
end is recorded beside them: other work on the machine makes the figures pessimistic.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil
from common import NOTEBOOKS, REPO, RESULTS_DIR, kernel_processes, running_voila, wait_until
from jupyter_server.services.kernels.connection.base import (
    deserialize_msg_from_ws_v1,
    serialize_msg_to_ws_v1,
)
from tornado.httpclient import AsyncHTTPClient
from websockets.asyncio.client import connect

from workbook import workshop
from workbook.kernel_guard import KERNEL_WS_PROTOCOL
from workbook.serving import WORKSHOP_FILL_DELAY, WORKSHOP_START_POOL
from workbook.ui.base import PAGES

RESULTS = RESULTS_DIR / "arrivals.json"
FAILED_PAGE = RESULTS.with_name("arrivals-failed-page.html")
COUPLES = 20
#: The widget that says a start page opened with a code and a partner is ready to use.
READY_DESCRIPTION = "Save check-in"
#: What the check-in form says once the check-in is in the file.
SAVED = "Thank you for checking in"
KERNEL_ID = re.compile(r'"kernelId": "([0-9a-f-]{36})"')
TIMEOUT = 300.0


def _message(msg_type: str, content: dict[str, Any], session: str) -> dict[str, Any]:
    header = {
        "msg_id": uuid.uuid4().hex,
        "msg_type": msg_type,
        "session": session,
        "username": "phone",
        "date": datetime.now(UTC).isoformat(),
        "version": "5.3",
    }
    metadata = {"version": "1.0.0"}  # the widget control protocol's
    return {"header": header, "parent_header": {}, "metadata": metadata, "content": content}


def _frame(msg: dict[str, Any]) -> bytes:
    keys = ("header", "parent_header", "metadata", "content")
    parts = [json.dumps(msg[k]).encode() for k in keys]
    return serialize_msg_to_ws_v1(parts, "shell")


class Phone:
    """One partner arriving: the page request, then the widget states over the websocket."""

    def __init__(self, base: str, url: str) -> None:
        self.base = base
        self.url = url
        self.page_seconds = 0.0  # the HTTP response complete: every cell has run
        self.ready_seconds = 0.0  # every widget's state received, the Save button among them
        self.widgets = 0
        self.save_seconds = 0.0  # from pressing Save to the page saying it was saved
        self.ws: Any = None
        self.session = ""
        self.states: dict[str, Any] = {}

    async def arrive(self) -> None:
        start = time.monotonic()
        response = await AsyncHTTPClient().fetch(
            self.url, request_timeout=TIMEOUT, connect_timeout=TIMEOUT
        )
        self.page_seconds = time.monotonic() - start
        html = response.body.decode()
        match = KERNEL_ID.search(html)
        if not match:
            FAILED_PAGE.parent.mkdir(parents=True, exist_ok=True)
            FAILED_PAGE.write_text(html)
            raise RuntimeError(f"no kernel id in the page (saved to {FAILED_PAGE.name})")
        session = uuid.uuid4().hex
        ws_url = (
            self.base.replace("http://", "ws://", 1)
            + f"/api/kernels/{match.group(1)}/channels?session_id={session}"
        )
        self.ws = await connect(
            ws_url,
            subprotocols=[KERNEL_WS_PROTOCOL],  # type: ignore[list-item]
            max_size=2**26,
            open_timeout=TIMEOUT,
        )
        self.session = session
        comm_id = uuid.uuid4().hex
        opened = _message(
            "comm_open",
            {"comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}},
            session,
        )
        await self.ws.send(_frame(opened))
        ask = _message(
            "comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}}, session
        )
        await self.ws.send(_frame(ask))
        while True:
            content = await self._next_comm()
            data = content.get("data") or {}
            if content.get("comm_id") == comm_id and data.get("method") == "update_states":
                self.states = data.get("states", {})
                self.widgets = len(self.states)
                if self._model(READY_DESCRIPTION) is None:
                    raise RuntimeError(f"{self.url}: the page has no {READY_DESCRIPTION!r}")
                self.ready_seconds = time.monotonic() - start
                return

    async def _next_comm(self) -> dict[str, Any]:
        """The content of the next comm message the kernel sends on iopub."""
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), TIMEOUT)
            if not isinstance(raw, bytes):
                continue
            channel, parts = deserialize_msg_from_ws_v1(raw)
            if channel == "iopub" and len(parts) >= 4:
                return dict(json.loads(parts[3]))

    def _model(self, description: str) -> str | None:
        return next(
            (k for k, v in self.states.items() if v["state"].get("description") == description),
            None,
        )

    async def _send_to(self, comm_id: str, data: dict[str, Any]) -> None:
        msg = _message("comm_msg", {"comm_id": comm_id, "data": data}, self.session)
        await self.ws.send(_frame(msg))

    async def choose(self) -> None:
        """Tap mood 6 and trust 5, as a phone's ToggleButtons send it (the index)."""
        for label, index in (("Mood", 5), ("Trust", 4)):
            model = self._model(label)
            assert model is not None, f"no {label} rating"
            await self._send_to(model, {"method": "update", "state": {"index": index}})

    async def save(self) -> None:
        """Press Save check-in; stop when the page's status says it was saved."""
        button = self._model(READY_DESCRIPTION)
        assert button is not None
        start = time.monotonic()
        await self._send_to(button, {"method": "custom", "content": {"event": "click"}})
        while True:
            content = await self._next_comm()
            state = (content.get("data") or {}).get("state") or {}
            if any(isinstance(v, str) and SAVED in v for v in state.values()):
                self.save_seconds = time.monotonic() - start
                return

    async def leave(self) -> None:
        if self.ws is not None:
            await self.ws.close()


async def _play(phones: list[Phone], spacing: float, *, save: bool = False) -> None:
    """Everyone arrives (`spacing` seconds apart); with `save`, then all press Save at once."""
    AsyncHTTPClient.configure(None, max_clients=max(10, len(phones)))

    async def later(i: int, phone: Phone) -> None:
        await asyncio.sleep(i * spacing)
        await phone.arrive()

    try:
        await asyncio.gather(*(later(i, p) for i, p in enumerate(phones)))
        if save:
            await asyncio.gather(*(p.choose() for p in phones))
            await asyncio.sleep(2)  # the choices are in; now every Save at the same moment
            await asyncio.gather(*(p.save() for p in phones))
    finally:
        await asyncio.gather(*(p.leave() for p in phones), return_exceptions=True)


def _figures(phones: list[Phone]) -> dict[str, Any]:
    ready = [p.ready_seconds for p in phones]
    page = [p.page_seconds for p in phones]
    return {
        "partners": len(phones),
        "ready_seconds": {
            "median": round(statistics.median(ready), 2),
            "max": round(max(ready), 2),
            "all": [round(x, 2) for x in ready],
        },
        "page_response_seconds": {
            "median": round(statistics.median(page), 2),
            "max": round(max(page), 2),
        },
        "widgets_per_page": max(p.widgets for p in phones),
    }


def _idle_pools(server_pid: int, expected: int, timeout: float = 900) -> int:
    """Wait until the preheat pools are full and their kernels have run their notebooks up to
    the page request (the kernels' CPU time stops growing); returns how many there are."""
    wait_until(lambda: len(kernel_processes(server_pid)) >= expected, timeout=timeout, step=1)

    def cpu() -> float:
        total = 0.0
        for p in kernel_processes(server_pid):
            with contextlib.suppress(psutil.Error):
                total += sum(p.cpu_times()[:2])
        return total

    time.sleep(WORKSHOP_FILL_DELAY + 10)  # Voila refills a pool that long after a kernel is taken
    deadline = time.monotonic() + timeout
    before = cpu()
    while time.monotonic() < deadline:
        time.sleep(3)
        now = cpu()
        if now - before < 0.3:  # under 10 % of one core for all of them together
            break
        before = now
    return len(kernel_processes(server_pid))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--at-once", type=int, default=10)
    parser.add_argument("--spread", type=int, default=40)
    parser.add_argument("--over", type=float, default=60.0)
    parser.add_argument("--start-pool", type=int, default=WORKSHOP_START_POOL)
    parser.add_argument("--no-preheat", action="store_true")
    args = parser.parse_args()

    load_before = os.getloadavg()
    results: dict[str, Any] = {
        "measured": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": psutil.cpu_count(),
            "memory_gib": round(psutil.virtual_memory().total / 2**30),
            "load_average_before": [round(x, 2) for x in load_before],
        },
        "preheat": not args.no_preheat,
        "start_page_pool": 0 if args.no_preheat else args.start_pool,
    }
    with tempfile.TemporaryDirectory(prefix="arrivals-") as tmp:
        data = Path(tmp) / "room"
        codes = workshop.create_couples(data, COUPLES)
        os.environ["WORKBOOK_WORKSHOP"] = "1"  # the server and its kernels inherit it
        with running_voila(
            NOTEBOOKS,
            data,
            name="voila-arrivals",
            preheat=not args.no_preheat,
            start_pool_size=args.start_pool,
            startup_timeout=300,
        ) as server:
            pid = server.process.pid
            pools = 0
            if not args.no_preheat:
                pools = args.start_pool + len(list(NOTEBOOKS.glob("*.ipynb"))) - 1
                pools = _idle_pools(pid, pools)
                pool_rss = sum(p.memory_info().rss for p in kernel_processes(pid))
                results["preheated_kernels"] = pools
                results["preheated_kernels_rss_mib"] = round(pool_rss / 2**20)

            def urls(n: int, first: int = 0) -> list[Phone]:
                chosen = [(c, who) for c in codes for who in ("a", "b")][first : first + n]
                return [
                    Phone(server.url, server.page_url(PAGES[0], code=c.code, who=who))
                    for c, who in chosen
                ]

            at_once = urls(args.at_once)
            asyncio.run(_play(at_once, 0.0))
            results["at_once"] = _figures(at_once)
            print(f"{args.at_once} at once: {results['at_once']['ready_seconds']}", flush=True)
            if not args.no_preheat:
                _idle_pools(pid, pools)  # the pools refilled, as before a room arrives
            spread = urls(args.spread)
            asyncio.run(_play(spread, args.over / max(1, args.spread), save=True))
            results["spread"] = _figures(spread)
            results["spread"]["over_seconds"] = args.over
            saves = [p.save_seconds for p in spread]
            results["saves_at_once"] = {
                "partners": len(saves),
                "median": round(statistics.median(saves), 2),
                "max": round(max(saves), 2),
            }
            print(f"{len(saves)} saves at once: {results['saves_at_once']}", flush=True)
            print(f"{args.spread} over {args.over:.0f} s: {results['spread']['ready_seconds']}")
            results["peak_kernels_rss_mib"] = round(
                sum(p.memory_info().rss for p in kernel_processes(pid)) / 2**20
            )
    results["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    a, s = results["at_once"]["ready_seconds"], results["spread"]["ready_seconds"]
    results["targets"] = {
        "at_once_median_le_5s": a["median"] <= 5,
        "at_once_max_le_10s": a["max"] <= 10,
        "spread_median_le_3s": s["median"] <= 3,
        "saves_at_once_median_le_2s": results["saves_at_once"]["median"] <= 2,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1) + "\n")
    print(json.dumps({k: v for k, v in results.items() if k not in ("at_once", "spread")}))
    print(f"written to {RESULTS.relative_to(REPO)}")


if __name__ == "__main__":
    main()
