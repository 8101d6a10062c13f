"""Leaving a page frees its kernel at once (a classroom must not pile up ~230 MB kernels until culling).

Voilà's front end posts ``/voila/api/shutdown/<kernel>`` from ``beforeunload`` with an ``_xsrf`` form field
read from a cookie that the standalone server never sets, so the request is refused with 403 and the kernel
lives on (voila-dashboards/voila#1458). ``voila.json`` therefore sets ``disable_check_xsrf`` for the
standalone app: the only state-changing request Voilà accepts is that shutdown of the caller's own kernel,
whose id is a random UUID.
"""

from __future__ import annotations

import re
import subprocess

from tests.browser.conftest import wait_until


def _kernel_alive(server, kernel_id: str) -> bool:
    """Whether a process under the server runs the kernel ``kernel_id`` (its connection file names it)."""
    out = subprocess.run(["pgrep", "-P", str(server.proc.pid)], capture_output=True, text=True).stdout
    for pid in out.split():
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                if kernel_id.encode() in fh.read():
                    return True
        except FileNotFoundError:
            continue
    return False


def test_leaving_a_page_shuts_its_kernel_down(browser, app_server):
    # A plain context: Playwright's request interception (used by the other tests' network fence) drops
    # beacons sent while a page unloads. The browser itself resolves only 127.0.0.1 (launch arguments).
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(app_server.url("01_empathy_in_the_clinic.ipynb"), wait_until="commit")
        # "detached" alone passes at once on a page that has not arrived yet: wait for the cells first.
        page.wait_for_selector("#rendered_cells", state="visible", timeout=120_000)
        page.wait_for_selector("#loading", state="detached", timeout=120_000)
        match = re.search(r"""kernelId["']?\s*:\s*["']([0-9a-fA-F-]{36})["']""", page.content())
        assert match, "the page carries no kernel id"
        kernel_id = match.group(1)
        assert _kernel_alive(app_server, kernel_id), "the page's kernel process was not found"
        log_mark = len(app_server.log())
        page.goto("about:blank")
        wait_until(
            lambda: not _kernel_alive(app_server, kernel_id),
            timeout_s=20,
            what="the page's kernel to shut down after leaving the page",
        )
        assert "403 POST /voila/api/shutdown" not in app_server.log()[log_mark:]
    finally:
        context.close()
