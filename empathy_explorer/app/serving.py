"""Server-side pieces of the Voilà app (loaded by the Voilà server from ``voila.json``, never by a kernel).

:class:`PoolSafeKernelManager`
    Voilà 0.5 protects kernels waiting in its preheated pool from idle culling, but not the moment after a
    visitor takes one: the kernel has been idle since it was preheated, the visitor's page has not
    connected yet, and the next cull poll shuts it down, so the page hangs at "Executing…" (reproduced with
    ``cull_idle_timeout`` shorter than the time a kernel waited in the pool). This kernel manager gives
    every kernel at least one full ``cull_idle_timeout`` after the culler first sees it outside the pool.
    Closed pages are still culled (after one to two timeouts).

:func:`install_template`
    Installs the app's Voilà template ``empathy`` (Voilà's "lab" template without the Font Awesome
    stylesheets it loads from a CDN: the app must render with no network) where Voilà looks for templates,
    ``<sys.prefix>/share/jupyter/voila/templates/empathy``. ``make`` and ``binder/postBuild`` run
    ``python -m empathy_explorer.app.serving install-template``; ``voila.json`` selects the template.


:class:`AppProcess`
    The app started as ``make app`` starts it (``voila notebooks/`` from the repository root, so
    ``voila.json`` applies), on a free loopback port, with start, wait and stop: the one launcher of the
    tests (``tests/test_security.py``, ``tests/browser/``) and benchmarks (``benchmarks/``).

The kernel manager lives in the package rather than in a ``voila.py`` next to the notebooks: a top-level
``voila.py`` shadows the ``voila`` package itself whenever the repository root is on ``sys.path`` (as under
pytest).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

__all__ = ["TEMPLATE_NAME", "AppProcess", "PoolSafeKernelManager", "free_port", "install_template"]

#: Name of the app's Voilà template (``voila.json``: ``VoilaConfiguration.template``).
TEMPLATE_NAME = "empathy"
_TEMPLATE_SOURCE = Path(__file__).with_name("voila_template") / TEMPLATE_NAME


class PoolSafeKernelManager(AsyncMappingKernelManager):
    """``AsyncMappingKernelManager`` that never culls a kernel just handed out from Voilà's pool."""

    def cull_kernel_if_idle(self, kernel_id):  # type: ignore[override]
        first_seen = self.__dict__.setdefault("_first_seen_by_culler", {})
        for gone in [k for k in first_seen if k not in self._kernels]:
            del first_seen[gone]
        now = utcnow()
        first = first_seen.setdefault(kernel_id, now)
        if (now - first).total_seconds() < self.cull_idle_timeout:
            return None
        return super().cull_kernel_if_idle(kernel_id)


def install_template(prefix: str | Path | None = None) -> Path:
    """Copy the app's Voilà template to ``<prefix>/share/jupyter/voila/templates/empathy``.

    Parameters
    ----------
    prefix : str or Path, optional
        Installation prefix; default ``sys.prefix`` (the virtual environment Voilà runs from).

    Returns
    -------
    Path
        The template directory written (replaced if it existed).

    Examples
    --------
    >>> install_template()  # doctest: +SKIP
    PosixPath('.venv/share/jupyter/voila/templates/empathy')
    """
    target = Path(prefix or sys.prefix) / "share" / "jupyter" / "voila" / "templates" / TEMPLATE_NAME
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(_TEMPLATE_SOURCE, target)
    return target


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now (the operating system picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppProcess:
    """A standalone Voilà process serving ``root`` on 127.0.0.1, started as ``make app`` starts it.

    Parameters
    ----------
    root : str or Path
        The notebook folder to serve (``notebooks/``).
    cwd : str or Path
        Working directory of the server; the repository root, so that its ``voila.json`` applies.
    log_path : str or Path
        File receiving the server's output (stdout and stderr).
    extra_args : sequence of str, optional
        More command-line options, e.g. ``--MappingKernelManager.cull_idle_timeout=20``.

    Examples
    --------
    >>> app = AppProcess("notebooks", cwd=".", log_path="/tmp/voila.log")  # doctest: +SKIP
    >>> app.wait_ready(); print(app.url("00_start_here.ipynb")); app.stop()  # doctest: +SKIP
    """

    def __init__(
        self,
        root: str | Path,
        *,
        cwd: str | Path,
        log_path: str | Path,
        extra_args: Sequence[str] = (),
    ) -> None:
        self.root = Path(root)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(log_path)
        self._log = open(self.log_path, "wb")  # closed in stop()
        voila = Path(sys.executable).with_name("voila")
        self.args = [str(root), f"--port={self.port}", "--no-browser", "--Voila.ip=127.0.0.1", *extra_args]
        self.proc = subprocess.Popen(
            [str(voila), *self.args],
            cwd=cwd,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def url(self, notebook: str) -> str:
        """The address of one notebook's app page."""
        return f"{self.base}/voila/render/{notebook}"

    def log(self) -> str:
        """Everything the server has printed so far."""
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def wait_ready(self, timeout_s: float = 90.0, poll_s: float = 0.3) -> None:
        """Wait until the server answers ``/`` with 200; ``RuntimeError`` (with the log) if it never does."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Voilà exited with {self.proc.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.base + "/", timeout=5) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(poll_s)
        raise RuntimeError(f"Voilà did not answer within {timeout_s} s:\n{self.log()}")

    def stop(self, timeout_s: float = 20.0) -> None:
        """Stop the server and its kernels (the whole process group); SIGKILL if SIGTERM is not enough."""
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self._log.close()


if __name__ == "__main__":
    if sys.argv[1:] != ["install-template"]:
        sys.exit("usage: python -m empathy_explorer.app.serving install-template")
    print(f"Voilà template installed in {install_template()}")
