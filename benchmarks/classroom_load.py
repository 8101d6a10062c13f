"""A classroom on one Voilà server: N simultaneous headless-browser students on the session explorer.

For each class size N (default 10 and 30) this script

1. starts one standalone Voilà server exactly as ``make app`` does (``voila notebooks/`` from the
   repository root, so the app's ``voila.json`` applies; loopback only, on a free port), plus a short
   idle-kernel cull timeout given on the command line (``--MappingKernelManager.cull_idle_timeout``);
2. opens one headless Chromium (Debian's ``/usr/bin/chromium``) with N browser contexts (one per student,
   no shared cookies or storage) that all load the session explorer at once;
3. measures per student the **time to first chart** (navigation start to the first Vega SVG in the page),
   then has every student press a slider key ``--presses`` times and measures the **slider latency** (the
   browser's own key-down timestamp to the first DOM mutation of a chart, via a MutationObserver);
4. reads the resident memory (``VmRSS`` in ``/proc/<pid>/status``) of the server and of each kernel
   process under it while all students are on the page;
5. closes the browser without a goodbye (students shut their laptops: no ``beforeunload``, so Voilà's
   shutdown call never comes) and measures how memory falls as the server culls the idle kernels;
6. prints the figures and stops the server. Errors (page errors, console errors, time-outs, any request
   that is not to 127.0.0.1) are counted and must be zero.

Safety: every request leaves only for 127.0.0.1 (all others are aborted in the browser and counted as
errors); every loop is bounded in count and time; the server and browser are always stopped.

Run:  .venv/bin/python benchmarks/classroom_load.py              (N = 10 and 30, ≈ 4 min)
      .venv/bin/python benchmarks/classroom_load.py --students 5 --presses 3 --cull-timeout 10
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the repository root: the tests' app launcher
from tests.support.app_process import AppProcess  # noqa: E402

VOILA = Path(sys.executable).with_name("voila")
CHROMIUM = "/usr/bin/chromium"
DEFAULT_NOTEBOOK = "07_session_explorer.ipynb"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]

# Browser-side instrumentation. Installed before any page script runs: the browser's own time stamp of
# every trusted key-down. Attached once the first chart is drawn (observing the whole page during Voilà's
# page build would slow the load being measured): the time of the first DOM mutation *inside a chart*
# after the key-down (mutations of the slider's own readout do not count).
KEYDOWN_JS = """
window.__ee = {keydown: -1, mutation: -1};
document.addEventListener('keydown', (e) => { window.__ee.keydown = e.timeStamp; }, true);
"""
OBSERVE_CHARTS_JS = """
() => {
  const charts = document.querySelectorAll('.vega-embed');
  const obs = new MutationObserver(() => {
    const t = performance.now();
    if (window.__ee.keydown >= 0 && window.__ee.mutation < window.__ee.keydown) window.__ee.mutation = t;
  });
  const what = {subtree: true, childList: true, attributes: true, characterData: true};
  charts.forEach((c) => obs.observe(c, what));
  return charts.length;
}
"""
# Everything that is not this machine (Chromium evaluates the pattern itself, so local requests are not
# slowed by a round trip to Python).
OFF_MACHINE = re.compile(r"^(?!(https?|wss?)://127\.0\.0\.1[:/]|data:|blob:|about:)")

FIRST_CHART_SELECTOR = ".vega-embed svg"
SLIDER_SELECTOR = ".widget-slider .noUi-handle, .widget-slider input[type=range], [role=slider]"


# ----------------------------------------------------------------------------------------------------
# Server and memory
# ----------------------------------------------------------------------------------------------------


def vmrss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    return None


def children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text().split()
            kids.extend(int(k) for k in text)
    except (FileNotFoundError, ProcessLookupError):
        pass
    return kids


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except (FileNotFoundError, ProcessLookupError):
        return ""


@dataclass
class Memory:
    server_mb: float
    kernels_mb: list[float]

    @property
    def total_mb(self) -> float:
        return self.server_mb + sum(self.kernels_mb)


def memory(server_pid: int) -> Memory:
    """RSS of the server and of every kernel (any descendant running ipykernel)."""
    kernels: list[float] = []
    stack = children(server_pid)
    seen: set[int] = set()
    while stack and len(seen) < 1000:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        if "ipykernel" in cmdline(pid):
            rss = vmrss_mb(pid)
            if rss is not None:
                kernels.append(rss)
        stack.extend(children(pid))
    return Memory(vmrss_mb(server_pid) or 0.0, sorted(kernels))


def start_server(root: str, cull_timeout_s: int, cull_interval_s: int) -> AppProcess:
    """The app as ``make app`` starts it, with the given idle-kernel cull settings; its log in /tmp."""
    with tempfile.NamedTemporaryFile(prefix="classroom-voila-", suffix=".log", delete=False) as log:
        log_path = log.name
    return AppProcess(
        root,
        cwd=REPO,
        log_path=log_path,
        extra_args=[
            f"--MappingKernelManager.cull_idle_timeout={cull_timeout_s}",
            f"--MappingKernelManager.cull_interval={cull_interval_s}",
        ],
    )


# ----------------------------------------------------------------------------------------------------
# Students
# ----------------------------------------------------------------------------------------------------


@dataclass
class Student:
    index: int
    first_chart_s: float | None = None
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)


async def run_student(browser, url: str, student: Student, presses: int, timeout_s: float) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()

    async def block(route):
        student.blocked.append(route.request.url[:100])
        await route.abort()

    await context.route(OFF_MACHINE, block)
    await page.add_init_script(KEYDOWN_JS)
    page.on("pageerror", lambda exc: student.errors.append(f"page error: {str(exc)[:200]}"))

    def on_console(msg) -> None:
        if msg.type != "error":
            return
        url = (msg.location or {}).get("url", "")
        if url and urlsplit(url).hostname not in (None, "127.0.0.1"):
            return  # the failure of a request we blocked ourselves: counted as blocked, not as an error
        student.errors.append(f"console error: {msg.text[:200]}")

    page.on("console", on_console)
    try:
        t0 = time.perf_counter()
        await page.goto(url, timeout=timeout_s * 1000, wait_until="commit")
        await page.wait_for_selector(FIRST_CHART_SELECTOR, timeout=timeout_s * 1000, state="attached")
        student.first_chart_s = time.perf_counter() - t0
        # A second network-quiet chart: Voilà may still be adding widgets; the slider must be there.
        handle = page.locator(SLIDER_SELECTOR).first
        await handle.wait_for(timeout=timeout_s * 1000)
        if traceback_text := await page.evaluate(
            "() => document.body.innerText.includes('Traceback') ? 'traceback' : ''"
        ):
            student.errors.append(f"{traceback_text} visible in the page")
        if not await page.evaluate(OBSERVE_CHARTS_JS):
            student.errors.append("no chart to observe")
        await handle.focus()
        for press in range(presses):
            key = "ArrowRight" if press % 2 == 0 else "ArrowLeft"
            await page.evaluate("() => { window.__ee.mutation = -1; window.__ee.keydown = -1; }")
            await page.keyboard.press(key)
            try:
                await page.wait_for_function(
                    "() => window.__ee.keydown >= 0 && window.__ee.mutation >= window.__ee.keydown",
                    timeout=10_000,
                    polling=5,
                )
            except Exception:  # a time-out is a measured error, not a crash
                student.errors.append(f"press {press}: chart did not change within 10 s")
                continue
            t = await page.evaluate("() => window.__ee.mutation - window.__ee.keydown")
            student.latencies_ms.append(float(t))
            await asyncio.sleep(0.3)  # a student does not press faster than a few times a second
    except Exception as exc:  # every failure is counted and reported
        student.errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


async def classroom(n: int, args: argparse.Namespace) -> dict:
    from playwright.async_api import async_playwright

    server = start_server(args.root, args.cull_timeout, args.cull_interval)
    result: dict = {"n": n}
    try:
        server.wait_ready(120.0, poll_s=0.5)
        time.sleep(2.0)  # let a preheated kernel pool fill, if the app configures one
        idle = memory(server.proc.pid)
        result["idle"] = idle
        url = f"{server.base}/voila/render/{args.notebook}"
        students = [Student(i) for i in range(n)]
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                t0 = time.perf_counter()
                await asyncio.wait_for(
                    asyncio.gather(
                        *(run_student(browser, url, s, args.presses, args.timeout) for s in students)
                    ),
                    timeout=args.timeout + args.presses * 12 + 60,
                )
                result["wall_s"] = time.perf_counter() - t0
                result["loaded"] = memory(server.proc.pid)
            finally:
                # Students leave without a goodbye: the browser goes away, no beforeunload shutdown.
                await browser.close()
        result["students"] = students
        # Culling: poll until the kernels opened by students are gone (bounded in time).
        t_leave = time.perf_counter()
        trace = []
        deadline = t_leave + args.cull_timeout + 3 * args.cull_interval + 60
        while time.perf_counter() < deadline:
            mem = memory(server.proc.pid)
            trace.append((time.perf_counter() - t_leave, mem))
            if len(mem.kernels_mb) <= len(idle.kernels_mb) and time.perf_counter() - t_leave > 2:
                break
            time.sleep(2.0)
        result["after"] = trace[-1][1]
        result["culled_after_s"] = trace[-1][0]
        result["log"] = str(server.log_path)
    finally:
        server.stop(timeout_s=30.0)
    return result


def report(r: dict, args: argparse.Namespace) -> None:
    students: list[Student] = r["students"]
    firsts = [s.first_chart_s for s in students if s.first_chart_s is not None]
    lat = [x for s in students for x in s.latencies_ms]
    errors = [f"student {s.index}: {e}" for s in students for e in s.errors]
    blocked = sorted({u for s in students for u in s.blocked})
    idle, loaded, after = r["idle"], r["loaded"], r["after"]
    per_kernel = loaded.kernels_mb
    print(f"\n=== {r['n']} students on one Voilà server ({args.notebook}) ===")
    print(f"students with a chart: {len(firsts)}/{r['n']}   wall time for the class: {r['wall_s']:.1f} s")
    if firsts:
        print(
            f"time to first chart:  median {statistics.median(firsts):6.2f} s   "
            f"worst {max(firsts):6.2f} s   best {min(firsts):6.2f} s"
        )
    if lat:
        print(
            f"slider latency under load ({len(lat)} presses): median {statistics.median(lat):6.0f} ms   "
            f"p95 {pct(lat, 95):6.0f} ms   worst {max(lat):6.0f} ms"
        )
    print(
        f"memory idle server:   server {idle.server_mb:6.0f} MB + {len(idle.kernels_mb)} kernel(s) "
        f"{sum(idle.kernels_mb):6.0f} MB = {idle.total_mb:6.0f} MB"
    )
    if per_kernel:
        print(
            f"memory with class:    server {loaded.server_mb:6.0f} MB + {len(per_kernel)} kernels "
            f"{sum(per_kernel):6.0f} MB = {loaded.total_mb:6.0f} MB"
        )
        print(
            f"per kernel:           median {statistics.median(per_kernel):6.0f} MB   "
            f"min {min(per_kernel):6.0f} MB   max {max(per_kernel):6.0f} MB"
        )
        added = (loaded.total_mb - idle.total_mb) / r["n"]
        print(f"added per student:    {added:6.0f} MB  ((with class - idle) / N)")
    print(
        f"after students left:  server {after.server_mb:6.0f} MB + {len(after.kernels_mb)} kernel(s) "
        f"{sum(after.kernels_mb):6.0f} MB = {after.total_mb:6.0f} MB   "
        f"(measured {r['culled_after_s']:.0f} s after leaving; cull timeout {args.cull_timeout} s, "
        f"interval {args.cull_interval} s)"
    )
    print(f"errors: {len(errors)}")
    for e in errors[:20]:
        print(f"  {e}")
    print(f"off-machine requests attempted (all blocked, page still worked): {len(blocked)} distinct")
    for u in blocked[:10]:
        print(f"  {u}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, nargs="+", default=[10, 30])
    parser.add_argument("--presses", type=int, default=6, help="slider presses per student (≤ 50)")
    parser.add_argument("--cull-timeout", type=int, default=20, help="idle kernel cull timeout, s")
    parser.add_argument("--cull-interval", type=int, default=5, help="how often the server culls, s")
    parser.add_argument("--timeout", type=float, default=240.0, help="per-student page time-out, s")
    parser.add_argument("--notebook", default=DEFAULT_NOTEBOOK)
    parser.add_argument("--root", default="notebooks/", help="folder Voilà serves (default: the app's)")
    args = parser.parse_args(argv)
    args.presses = max(1, min(args.presses, 50))
    if any(not 1 <= n <= 60 for n in args.students):
        parser.error("--students: between 1 and 60 per class on this machine")
    if not (REPO / args.root / args.notebook).exists():
        print(f"{args.root}/{args.notebook} does not exist yet", file=sys.stderr)
        return 2
    print(f"machine: {os.cpu_count()} cores; Chromium {CHROMIUM}; Voilà {VOILA}")
    print(
        f"server command: voila notebooks/ ... --MappingKernelManager.cull_idle_timeout={args.cull_timeout}"
    )
    failed = False
    for n in args.students:
        r = asyncio.run(classroom(n, args))
        report(r, args)
        failed |= any(s.errors for s in r["students"])
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
