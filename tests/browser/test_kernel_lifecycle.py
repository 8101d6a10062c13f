"""Leaving a page frees its kernel at once (a classroom must not pile up ~230 MB kernels until culling).

Voilà's front end posts ``/voila/api/shutdown/<kernel>`` from ``beforeunload`` with an ``_xsrf`` form field
read from a cookie that the standalone server never sets, so the request is refused with 403 and the kernel
lives on (voila-dashboards/voila#1458). ``voila.json`` therefore sets ``disable_check_xsrf`` for the
standalone app: the only state-changing request Voilà accepts is that shutdown of the caller's own kernel,
whose id is a random UUID.
"""

from __future__ import annotations

import subprocess

from conftest import wait_until


def _kernels(server) -> set[str]:
    """Process ids of the kernels under the server (preheated ones included)."""
    out = subprocess.run(["pgrep", "-P", str(server.proc.pid)], capture_output=True, text=True).stdout
    kernels = set()
    for pid in out.split():
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                if b"ipykernel" in fh.read():
                    kernels.add(pid)
        except FileNotFoundError:
            continue
    return kernels


def test_leaving_a_page_shuts_its_kernel_down(browser, app_server):
    # A plain context: Playwright's request interception (used by the other tests' network fence) drops
    # beacons sent while a page unloads. The browser itself resolves only 127.0.0.1 (launch arguments).
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(app_server.url("01_empathy_in_the_clinic.ipynb"), wait_until="commit")
        page.wait_for_selector("#loading", state="detached", timeout=120_000)
        before = _kernels(app_server)
        assert before, "no kernel process found under the Voilà server"
        log_mark = len(app_server.log())
        page.goto("about:blank")
        wait_until(
            lambda: len(_kernels(app_server)) < len(before),
            timeout_s=20,
            what="the page's kernel to shut down after leaving the page",
        )
        assert "403 POST /voila/api/shutdown" not in app_server.log()[log_mark:]
    finally:
        context.close()
