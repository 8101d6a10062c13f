"""How fast the app answers one student: slider latency, time to first chart and kernel memory.

The script

1. starts one standalone Voilà server exactly as ``make app`` does (``voila notebooks/`` from the
   repository root, so ``voila.json`` applies, with its preheated kernel for the session explorer;
   loopback only, on a free port) and waits until the kernel pools are filled (a *warm* server);
2. opens the session explorer in headless Chromium (Debian's ``/usr/bin/chromium``) with every
   off-machine request aborted, ``--loads`` times in fresh browser contexts, and measures the **time
   from navigation to the first chart** (the first Vega SVG of marks in the page) and to the explorer
   being ready (its first summary), waiting for the pool to refill between loads;
3. picks the 50-minute session (``full-session-50min``) and presses the "Window (s)" slider's arrow
   keys ``--presses`` times (≥ 20), each time measuring in the browser, from the key-down event's own
   time stamp, (a) the first DOM mutation inside the chart and (b) the chart's update being complete
   (the offline bundle stamps ``data-ee-version`` after Vega re-rendered the new rows); it also counts
   the bytes the kernel sends to the browser per step;
4. reads the resident memory (RSS) of the page's kernel (found by its kernel id) after the presses;
5. prints the figures and PASS/FAIL against the app's speed targets (median ≤ 100 ms and p95 ≤ 250 ms
   per slider step, first chart ≤ 5 s from a warm server, kernel ≤ 250 MB) and exits 1 if any fails.

Run:  .venv/bin/python benchmarks/app_latency.py                 (≈ 1 min)
      .venv/bin/python benchmarks/app_latency.py --presses 40 --loads 5
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from classroom_load import CHROMIUM, OFF_MACHINE, REPO, children, cmdline, memory, pct, start_server, vmrss_mb

from tests.support.app_process import CHROMIUM_ARGS, AppProcess

NOTEBOOK = "07_session_explorer.ipynb"
LONG_SESSION = "full-session-50min"
SLIDER = "Window (s)"
ROOT = ".ee-session-explorer"
CHART = f"{ROOT} .ee-chart-panel .vega-embed"


TARGETS = {
    "slider median (ms)": 100.0,
    "slider p95 (ms)": 250.0,
    "first chart, warm server (s)": 5.0,
    "kernel RSS (MB)": 250.0,
}

# Installed before any page script: the browser's own time stamp of every trusted key-down.
KEYDOWN_JS = """
window.__ee = {keydown: -1, first: -1, done: -1};
document.addEventListener('keydown', (e) => { window.__ee.keydown = e.timeStamp; }, true);
"""
# Attached once the chart is drawn: first mutation inside the chart after the key-down, and the moment
# the bundle stamps a new data-ee-version (its update finished).
OBSERVE_JS = """
(sel) => {
  const chart = document.querySelector(sel);
  const seen = (m) => {
    const t = performance.now();
    if (window.__ee.keydown < 0) { return; }
    if (window.__ee.first < window.__ee.keydown) { window.__ee.first = t; }
    const stamped = m.some((r) => r.type === 'attributes' && r.attributeName === 'data-ee-version');
    if (stamped) { window.__ee.done = t; }
  };
  new MutationObserver(seen).observe(chart, {subtree: true, childList: true, attributes: true,
                                             characterData: true});
  return chart.getAttribute('data-ee-version');
}
"""
SUMMARY_JS = """
(root) => Object.fromEntries(Array.from(document.querySelectorAll(root + ' .ee-summary tr'),
  (tr) => [tr.querySelector('th').innerText.trim(), tr.querySelector('td').innerText.trim()]))
"""


def kernel_pid(server_pid: int, kernel_id: str) -> int | None:
    """The process of one kernel: its command line names ``kernel-<id>.json``."""
    stack, seen = [server_pid], set()
    while stack and len(seen) < 1000:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        if kernel_id in cmdline(pid):
            return pid
        stack.extend(children(pid))
    return None


def wait_for_pools(server: AppProcess, n_kernels: int, timeout_s: float = 120.0) -> None:
    """A warm server: its preheated kernels are running (and have imported the page's code)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if len(memory(server.proc.pid).kernels_mb) >= n_kernels:
            time.sleep(3.0)  # the pool kernel runs the notebook's cells once started
            return
        time.sleep(0.5)
    raise RuntimeError(f"the kernel pools did not fill within {timeout_s} s")


RESET_JS = "() => { window.__ee.keydown = -1; window.__ee.first = -1; window.__ee.done = -1; }"
TIMES_JS = "() => [window.__ee.first - window.__ee.keydown, window.__ee.done - window.__ee.keydown]"


class Tab:
    """One browser context and tab, fenced to 127.0.0.1, counting the bytes the kernel sends it."""

    def __init__(self, browser, blocked: list[str], errors: list[str]) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.received: list[int] = []  # sizes of websocket frames from the server

        def block(route) -> None:
            blocked.append(route.request.url)
            route.abort()

        self.context.route(OFF_MACHINE, block)
        self.page.add_init_script(KEYDOWN_JS)
        self.page.on("pageerror", lambda exc: errors.append(f"page error: {str(exc)[:200]}"))
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._count))

    def _count(self, payload) -> None:
        self.received.append(len(payload) if payload else 0)

    def load(self, url: str) -> tuple[float, float]:
        """Navigate; return (seconds to the first chart, seconds to the explorer's first summary)."""
        page = self.page
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=180_000)
        page.wait_for_selector(".vega-embed svg.marks", state="attached", timeout=180_000)
        first = time.perf_counter() - t0
        deadline = time.monotonic() + 120
        while not page.evaluate(SUMMARY_JS, ROOT).get("windows"):
            if time.monotonic() > deadline:
                raise RuntimeError("the explorer never showed its first summary")
            time.sleep(0.02)
        return first, time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--presses", type=int, default=30, help="slider presses (20-200)")
    parser.add_argument("--loads", type=int, default=3, help="measured page loads (1-10)")
    args = parser.parse_args(argv)
    args.presses = max(20, min(args.presses, 200))
    args.loads = max(1, min(args.loads, 10))
    if not (REPO / "notebooks" / NOTEBOOK).exists():
        print(f"notebooks/{NOTEBOOK} does not exist yet", file=sys.stderr)
        return 2
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} not found", file=sys.stderr)
        return 2

    from playwright.sync_api import sync_playwright

    from empathy_explorer.sessions import list_sessions

    catalogue = list_sessions()
    long_title = str(catalogue.loc[catalogue["id"] == LONG_SESSION, "title"].iloc[0])
    pools = json.loads((REPO / "voila.json").read_text())["VoilaKernelManager"]["kernel_pools_config"]
    n_pool = sum(int(c.get("pool_size", 0)) for name, c in pools.items() if name != "default")

    print(f"machine: {os.cpu_count()} cores; Chromium {CHROMIUM}")
    server = start_server("notebooks/", cull_timeout_s=900, cull_interval_s=60)
    blocked: list[str] = []
    errors: list[str] = []
    figures: dict[str, float] = {}
    try:
        server.wait_ready(120.0, poll_s=0.5)
        wait_for_pools(server, n_pool)
        url = f"{server.base}/voila/render/{NOTEBOOK}"
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                # --- time to first chart, warm server (a fresh context and a preheated kernel each time)
                firsts, readies, load_kb = [], [], []
                for i in range(args.loads + 1):
                    tab = Tab(browser, blocked, errors)
                    first, ready = tab.load(url)
                    if i > 0:  # the first visit warms the browser's cache of the front-end, as for a class
                        firsts.append(first)
                        readies.append(ready)
                        load_kb.append(sum(tab.received) / 1e3)
                    if i < args.loads:
                        tab.context.close()
                        wait_for_pools(server, n_pool)
                print(
                    f"\nfirst chart (warm server, {args.loads} loads): "
                    f"median {statistics.median(firsts):.2f} s, "
                    f"worst {max(firsts):.2f} s; explorer ready (first summary): median "
                    f"{statistics.median(readies):.2f} s, worst {max(readies):.2f} s"
                )
                print(f"kernel to browser while loading the page: median {statistics.median(load_kb):.0f} kB")
                figures["first chart, warm server (s)"] = max(firsts)

                # --- the 50-minute session
                page, frames = tab.page, tab.received
                kernel_id = json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]
                select = page.locator(f"{ROOT} .widget-dropdown:has(label:text-is('Session:')) select")
                t0 = time.perf_counter()
                select.select_option(label=long_title)
                deadline = time.monotonic() + 120
                while page.evaluate(SUMMARY_JS, ROOT).get("Duration") != "50.0 min":
                    if time.monotonic() > deadline:
                        raise RuntimeError("the 50-minute session never showed")
                    time.sleep(0.02)
                print(f"switch to the 50-minute session: {time.perf_counter() - t0:.2f} s")
                time.sleep(1.0)
                page.evaluate(OBSERVE_JS, CHART)
                handle = page.locator(f"{ROOT} .widget-slider:has(label:text-is('{SLIDER}')) .noUi-handle")
                handle.focus()
                first_ms, done_ms, step_bytes = [], [], []
                for press in range(args.presses):
                    key = "ArrowRight" if (press // 5) % 2 == 0 else "ArrowLeft"
                    page.evaluate(RESET_JS)
                    n_frames = len(frames)
                    before = sum(frames)
                    page.keyboard.press(key)
                    try:
                        page.wait_for_function(
                            "() => window.__ee.keydown >= 0 && window.__ee.done >= window.__ee.keydown",
                            timeout=10_000,
                            polling=5,
                        )
                    except Exception:  # a time-out is a measured failure
                        errors.append(f"press {press}: the chart did not update within 10 s")
                        continue
                    t = page.evaluate(TIMES_JS)
                    first_ms.append(t[0])
                    done_ms.append(t[1])
                    time.sleep(0.3)  # a student presses a few times a second at most
                    step_bytes.append(sum(frames) - before if len(frames) > n_frames else 0)
                pid = kernel_pid(server.proc.pid, kernel_id)
                rss = vmrss_mb(pid) if pid else None
                all_kernels = memory(server.proc.pid)
            finally:
                browser.close()
    finally:
        server.stop(timeout_s=30.0)

    if done_ms:
        print(
            f"slider, {len(done_ms)} presses on the 50-minute session (key-down to chart updated): "
            f"median {statistics.median(done_ms):.0f} ms, p95 {pct(done_ms, 95):.0f} ms, "
            f"worst {max(done_ms):.0f} ms"
        )
        print(
            f"  key-down to the first change inside the chart: median {statistics.median(first_ms):.0f} ms, "
            f"p95 {pct(first_ms, 95):.0f} ms"
        )
        print(f"  kernel to browser per step: median {statistics.median(step_bytes) / 1e3:.1f} kB")
        figures["slider median (ms)"] = statistics.median(done_ms)
        figures["slider p95 (ms)"] = pct(done_ms, 95)
    if rss is not None:
        print(f"kernel RSS of the page (after the presses): {rss:.0f} MB")
        figures["kernel RSS (MB)"] = rss
    print(
        f"server RSS {all_kernels.server_mb:.0f} MB; all kernels: "
        + ", ".join(f"{k:.0f}" for k in all_kernels.kernels_mb)
        + " MB"
    )
    print(f"off-machine requests attempted (all blocked): {len(set(blocked))} distinct")
    for u in sorted(set(blocked))[:5]:
        print(f"  {u[:100]}")
    print(f"errors: {len(errors)}")
    for e in errors[:10]:
        print(f"  {e}")

    print("\ntarget                               measured     target   verdict")
    failed = bool(errors)
    for name, target in TARGETS.items():
        value = figures.get(name)
        ok = value is not None and value <= target
        failed |= not ok
        shown = "n/a" if value is None else f"{value:.2f}" if name.endswith("(s)") else f"{value:.0f}"
        print(f"{name:36s} {shown:>8s}   ≤ {target:>6g}   {'PASS' if ok else 'FAIL'}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
